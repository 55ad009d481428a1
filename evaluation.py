"""Evaluating and drawing: which letters a network reads, which it confuses, and the notebook's plots.

- ``confusion_matrix``, ``most_confused`` and ``per_letter_accuracy`` count
  the answers; ``confidence`` is the lesson's one definition of confidence;
- ``plot_history`` and ``plot_beside`` draw learning curves, ``level_epoch``
  says where one levels off; ``plot_confusion`` and ``show_letters`` draw
  the confusion matrix and a grid of letters.
"""

import numpy as np

from emnist_data import LETTERS
from plumbing import check_labels


def confusion_matrix(y_true, y_pred, num_classes=26):
    """counts[i, j] = how many examples of class i were predicted as class j.

    Rows are the true letters, columns the predictions, so the diagonal holds
    the letters read right.
    """
    y_true = check_labels(y_true, num_classes, "y_true")
    y_pred = check_labels(y_pred, num_classes, "y_pred")
    if len(y_true) != len(y_pred):
        raise ValueError(
            f"y_true has {len(y_true)} labels but y_pred has {len(y_pred)}; give one prediction per example"
        )
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def most_confused(counts, k=8):
    """The ``k`` largest off-diagonal entries: [(true letter, predicted letter, count), …].

    Largest first; pairs never confused are left out, so the list can be shorter than ``k``.
    """
    off_diagonal = counts * (1 - np.eye(len(counts), dtype=counts.dtype))
    rows, columns = np.nonzero(off_diagonal)
    order = np.argsort(-off_diagonal[rows, columns], kind="stable")[:k]
    return [(LETTERS[i], LETTERS[j], int(off_diagonal[i, j])) for i, j in zip(rows[order], columns[order])]


def confidence(outputs):
    """The network's confidence in each letter: its output activations scaled to sum to 1.

    ``outputs`` is one output row or a batch of rows (n, 26). A sigmoid network
    does not give probabilities itself; its answer is the brightest output, and
    ``confidence(outputs).max(axis=-1)`` says how much of the total brightness
    that answer holds. The notebook, ``predict_image`` and ``draw_letter`` all
    use this one definition.
    """
    outputs = np.asarray(outputs, dtype=np.float64)
    return outputs / outputs.sum(axis=-1, keepdims=True)


def per_letter_accuracy(counts):
    """The share of each true letter read right: the confusion matrix's diagonal over its row sums.

    A letter with no examples (a row of zeros) has no accuracy: it gets NaN,
    without the RuntimeWarning that 0/0 would give.
    """
    counts = np.asarray(counts)
    totals = counts.sum(axis=1)
    right = np.diag(counts).astype(np.float64)
    return np.divide(right, totals, out=np.full(len(counts), np.nan), where=totals > 0)


def level_epoch(values, within=0.01):
    """The first epoch (1-based) whose value is within ``within`` of the best, the largest.

    Where a curve levels off: after it, every epoch gains at most ``within``.
    On a plateau the best epoch itself can come much later, since small ups
    and downs decide it.
    """
    values = np.asarray(values, dtype=np.float64)
    return int(np.argmax(values >= values.max() - within)) + 1


def show_letters(images, titles, colors=None, columns=10, size=1.2):
    """A grid of 28 x 28 images, each with a title (and optionally a title colour)."""
    import matplotlib.pyplot as plt

    rows = -(-len(images) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * size * 1.4), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap="gray", vmin=0, vmax=255)
            ax.set_title(titles[i], fontsize=9, color=colors[i] if colors is not None else "black")
    fig.tight_layout()
    return fig


def plot_history(histories, labels=None, costs=True):
    """Cost and accuracy per epoch: solid lines for training, dashed for validation.

    ``histories`` is one history from ``Network.train``, or a list of them
    to compare, with ``labels`` naming each (by default "run 1", "run 2", …).
    A dot marks the epoch of the best validation accuracy. Networks trained
    with different costs measure different things on the cost axis: give
    ``costs=False`` to draw the accuracies alone.
    """
    import matplotlib.pyplot as plt

    if isinstance(histories, dict):
        histories, labels = [histories], [""]
    if labels is None:
        labels = [f"run {i + 1}" for i in range(len(histories))]
    if len(labels) != len(histories):
        raise ValueError(f"{len(histories)} histories but {len(labels)} labels; give one label per history")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    if costs:
        fig, (ax_cost, ax_accuracy) = plt.subplots(1, 2, figsize=(11, 3.8))
        panels = ((ax_cost, "cost"), (ax_accuracy, "accuracy"))
    else:
        fig, ax_accuracy = plt.subplots(figsize=(6.5, 3.8))
        panels = ((ax_accuracy, "accuracy"),)
    for i, (history, label) in enumerate(zip(histories, labels)):
        color = colors[i % len(colors)]  # reused after the last colour, so no history is dropped
        epochs = np.arange(1, len(history["train_cost"]) + 1)
        for ax, key in panels:
            ax.plot(epochs, history[f"train_{key}"], color=color, label=f"{label} training".strip())
            if history[f"val_{key}"]:
                ax.plot(epochs, history[f"val_{key}"], "--", color=color, label=f"{label} validation".strip())
        _mark_best(ax_accuracy, history, color)
    if costs:
        ax_cost.set(xlabel="epoch", ylabel="cost", title="Cost (lower is better)")
    title = "Accuracy (higher is better; dot: best validation epoch)"
    ax_accuracy.set(xlabel="epoch", ylabel="accuracy", title=title, ylim=(0, 1))
    for ax, _ in panels:
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_beside(reference, histories, reference_label="no cure", columns=4):
    """Small panels of validation accuracy per epoch: each of ``histories`` beside the same ``reference``.

    ``histories`` maps a name to a history from ``Network.train``; each gets
    its own panel, titled with its name, with ``reference`` drawn in gray
    behind it. Dots mark the best validation epochs.
    """
    import matplotlib.pyplot as plt

    columns = min(columns, len(histories))
    rows = -(-len(histories) // columns)  # rounded up
    fig, axes = plt.subplots(rows, columns, figsize=(2.9 * columns, 2.6 * rows + 0.3), sharey=True, squeeze=False)
    for ax in axes.flat[len(histories) :]:
        ax.axis("off")
    for ax, (name, history) in zip(axes.flat, histories.items()):
        for h, label, color in ((reference, reference_label, "0.6"), (history, name, "C0")):
            ax.plot(np.arange(1, len(h["val_accuracy"]) + 1), h["val_accuracy"], color=color, label=label)
            _mark_best(ax, h, color)
        ax.set(title=name, xlabel="epoch", ylim=(0, 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    for ax in axes[:, 0]:
        ax.set_ylabel("validation accuracy")
    fig.tight_layout()
    return fig


def _best_epoch(history):
    """The 1-based epoch of the best validation accuracy, as ``train`` records it (None without validation)."""
    if not history["val_accuracy"]:
        return None
    return history.get("best_epoch") or int(np.argmax(history["val_accuracy"])) + 1


def _mark_best(ax, history, color):
    best = _best_epoch(history)
    if best is not None:  # a scatter, not a line: it marks a point on the dashed curve
        ax.scatter(
            [best], [history["val_accuracy"][best - 1]], s=60, marker="o", color=color, edgecolor="black", zorder=3
        )


def plot_confusion(counts):
    """The confusion matrix as a picture: rare cells light, frequent ones dark, on a log scale; white where none.

    The log scale shows a confusion that happened once or twice beside the
    hundreds of right answers on the diagonal; the light-to-dark colours keep
    those rare cells faint, so the frequent confusions stand out.
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap, LogNorm

    counts = np.asarray(counts)
    blues = ListedColormap(matplotlib.colormaps["Blues"](np.linspace(0.15, 1, 256)))  # from light blue: 1 is not white
    blues = blues.with_extremes(bad="white")  # the cells that never happened
    fig, ax = plt.subplots(figsize=(7, 6))
    image = ax.imshow(np.ma.masked_equal(counts, 0), cmap=blues, norm=LogNorm(vmin=1, vmax=max(counts.max(), 1)))
    ax.set_xticks(range(len(counts)), LETTERS[: len(counts)])
    ax.set_yticks(range(len(counts)), LETTERS[: len(counts)])
    ax.set(xlabel="predicted letter", ylabel="true letter")
    fig.colorbar(image, label="test images (log scale; white: none)")
    return fig
