"""The plumbing around ``Network.train``: a learner need not read it to follow the lesson.

The checks of train's arguments (each wrong one raises a ValueError that says
what to do), the learning rate of each epoch, the BLAS threads, the progress
bar and the line train prints at the end.
"""

import contextlib
import warnings
from numbers import Integral, Real

import numpy as np
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm


def check_training(net, x, y, epochs, batch_size, learning_rate, validation_data, l2, momentum, augment, keep_best):
    """Check train's arguments: return x, y and validation_data as arrays, or raise a ValueError saying what to do."""
    x = net._check_inputs(x, "x")
    y = check_labels(y, net.sizes[-1], "y", length=len(x))
    if len(x) == 0:
        raise ValueError(
            "x has no examples, so there is nothing to train on. Did a limit such as TRAIN_LIMIT = 0 empty it?"
        )
    warn_if_unscaled(x, "x")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if not is_positive_int(value):
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if not (callable(learning_rate) or is_positive_number(learning_rate)):
        raise ValueError(
            f"learning_rate must be a positive number, or a function of the epoch such as "
            f"cosine_schedule(0.05, epochs); got {learning_rate!r}"
        )
    if not (isinstance(l2, Real) and np.isfinite(l2) and l2 >= 0):
        raise ValueError(f"l2 (the regularisation strength λ) must be a number ≥ 0, got {l2!r}; 0 turns it off")
    if not (isinstance(momentum, Real) and 0 <= momentum < 1):
        raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}; 0 turns it off, 0.9 is usual")
    if not (augment is None or callable(augment)):
        raise ValueError(
            f"augment must be None (off) or a function (x, rng, out), such as "
            f"augmentation.random_shifts(2); got {augment!r}"
        )
    if keep_best and validation_data is None:
        raise ValueError("keep_best keeps the epoch with the best validation accuracy, so it needs validation_data")
    if validation_data is not None:
        try:
            x_val, y_val = validation_data
        except (TypeError, ValueError):
            raise ValueError("validation_data must be a pair (x_val, y_val)") from None
        x_val = net._check_inputs(x_val, "x_val")
        y_val = check_labels(y_val, net.sizes[-1], "y_val", length=len(x_val))
        if len(x_val) == 0:
            raise ValueError("validation_data has no examples; pass None to train without validation")
        warn_if_unscaled(x_val, "x_val")
        validation_data = x_val, y_val
    return x, y, validation_data


def rate_for(learning_rate, epoch):
    """The learning rate η for this epoch: the number itself, or the schedule's value."""
    if not callable(learning_rate):
        return learning_rate
    rate = learning_rate(epoch)
    if not is_positive_number(rate):
        raise ValueError(
            f"the learning-rate schedule must return a positive number; for epoch {epoch} it gave {rate!r}"
        )
    return float(rate)  # a Python float keeps the float32 arithmetic in float32


def blas_threads(threads):
    """At most ``threads`` BLAS threads for the matrix products, or no limit when ``threads`` is None.

    One thread is train's default: at batch 32 the products are small, so a second thread gains little on a
    quiet machine, and on a busy one the threads wait for each other (bench/README.md: bench_busy.py).
    """
    if threads is None:
        return contextlib.nullcontext()
    if not is_positive_int(threads):
        raise ValueError(
            f"threads must be a positive whole number of BLAS threads, or None to leave them; got {threads!r}"
        )
    return threadpool_limits(threads, user_api="blas")


@contextlib.contextmanager
def progress_bar(epochs, progress):
    """tqdm's bar over the epochs 1, 2, …, closed at the end, even after an error.

    In a notebook tqdm draws a widget, and the text saved beside it (what a static render shows) is the bar
    as first displayed, "0/30". So the widget is displayed with a handle, and updated to the finished bar.
    """
    notebook = progress and any(c.__module__ == "tqdm.notebook" for c in tqdm.__mro__)
    bar = tqdm(
        range(1, epochs + 1),
        desc="epochs",
        unit="epoch",
        disable=not progress,
        **({"display": False} if notebook else {}),
    )
    handle = None
    if notebook:
        from IPython.display import display  # present wherever tqdm draws a notebook widget

        handle = display(bar.container, display_id=True)
    try:
        yield bar
    finally:
        bar.close()
        if handle is not None:
            handle.update(bar.container)


def show_progress(bar, history):
    figures = {"cost": history["train_cost"][-1], "acc": history["train_accuracy"][-1]}
    if history["val_accuracy"]:
        figures["val_acc"] = history["val_accuracy"][-1]
    bar.set_postfix({k: f"{v:.4f}" for k, v in figures.items()})


def summary(history, epochs, keep_best):
    """The line train prints at the end: a run executed headless shows it though its progress bar is lost."""
    line = (
        f"Trained {epochs} epochs in {history['seconds']:.1f} s: training accuracy {history['train_accuracy'][-1]:.1%}"
    )
    if history["val_accuracy"]:
        line += f", validation accuracy {history['val_accuracy'][-1]:.1%}"
    if keep_best:
        best = history["best_epoch"]
        line += f"; kept the weights of epoch {best}, validation accuracy {history['val_accuracy'][best - 1]:.1%}"
    return line


def blew_up(cost, learning_rate):
    return (
        f"The cost became {cost} at learning rate {learning_rate}. The learning rate is most "
        "likely too high: each step overshoots and the weights blow up. Try a rate about 10 "
        "times smaller; the network is back to its weights at the start of the epoch that failed. "
        "(Check too that the inputs are finite and scaled to [0, 1].)"
    )


def warn_if_unscaled(x, name):
    # Pixels of 0..255 saturate every sigmoid, and training then silently stays at chance.
    low, high = x.min(), x.max()
    if not (low >= 0 and high <= 1):
        warnings.warn(
            f"{name} has values from {low} to {high}, outside [0, 1]. Scale images with "
            "emnist_data.prepare_inputs(images), which divides the pixels by 255; unscaled inputs "
            "saturate the sigmoids and the network stays at chance.",
            UserWarning,
            stacklevel=4,
        )


def check_labels(labels, num_classes, name, length=None):
    """``labels`` as a 1-D integer array with values in 0..num_classes − 1, or a ValueError that says what is wrong."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"{name} must be a 1-D array of integer labels, got {labels.dtype} of shape {labels.shape}")
    if length is not None and len(labels) != length:
        raise ValueError(f"{name} has {len(labels)} labels but there are {length} examples; they must match")
    if len(labels) and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"{name} must lie in 0..{num_classes - 1} (one per output neuron); found {labels.min()}..{labels.max()}"
        )
    return labels


def is_positive_number(value):
    return isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value) and value > 0


def is_positive_int(value):
    return isinstance(value, Integral) and not isinstance(value, bool) and value > 0
