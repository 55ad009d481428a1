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


def read_curves(history, validation_size=None, level=0.01, wide_gap=0.05, last=3):
    """What a run's learning curves say: the figures the lesson reads, and the verdict that follows from them.

    From ``train``'s history (accuracies after each epoch, on training images as they are and on validation
    images), a dict:

    - ``epochs``, ``best_epoch`` (1-based, the best validation accuracy) and ``best``, that accuracy;
    - ``fall``: how far validation accuracy ended below its best; ``rise``: how far training accuracy
      rose from the best epoch to the end;
    - ``gap_at_best`` and ``gap_at_end``: training minus validation accuracy at those two epochs;
    - ``change``: validation accuracy's change over the last ``last`` epochs (fewer in a shorter run);
    - ``verdict``, the first of these that holds, and ``text``, one sentence that says it with its figures:

      ``"too short"``      a single epoch: no curve to read;
      ``"overfitting"``    validation accuracy ended ``level`` (1 point) or more below its best while
                           the gap grew: the network went on fitting its training images, not the letters;
      ``"wide gap"``       the gap ended at ``wide_gap`` (5 points) or more: it reads its training images
                           much better than new ones, though validation accuracy has not fallen;
      ``"unsteady"``       validation accuracy ended ``level`` or more below its best, but the gap did not
                           grow: training accuracy fell with it, which is no overfitting;
      ``"still learning"`` validation accuracy rose by ``level`` or more over the last epochs;
      ``"levelled off"``   none of these: the curves have flattened, without overfitting.

    With ``validation_size``, the number of validation images, ``level`` is at least twice the standard error
    of an accuracy measured on that many images, 2·√(p(1 − p)/n) at the best accuracy p: on a small validation
    set a change of a point can be chance. Accuracies are fractions; the text gives them in points.
    """
    train, val = np.asarray(history["train_accuracy"]), np.asarray(history["val_accuracy"])
    if len(val) == 0 or len(train) != len(val):
        raise ValueError("read_curves needs a history with validation data: train(..., validation_data=(x, y))")
    epochs, best_epoch = len(val), int(np.argmax(val)) + 1
    if validation_size:
        best = val[best_epoch - 1]
        level = max(level, 2 * np.sqrt(best * (1 - best) / validation_size))
    k = min(last, epochs - 1)
    facts = dict(
        epochs=epochs,
        best_epoch=best_epoch,
        best=float(val[best_epoch - 1]),
        fall=float(val[best_epoch - 1] - val[-1]),
        rise=float(train[-1] - train[best_epoch - 1]),
        gap_at_best=float(train[best_epoch - 1] - val[best_epoch - 1]),
        gap_at_end=float(train[-1] - val[-1]),
        change=float(val[-1] - val[-1 - k]),
        last=k,
        level=float(level),
    )
    points = {name: 100 * value for name, value in facts.items() if isinstance(value, float)}
    if epochs == 1:
        verdict, text = "too short", "one epoch is too short a run to read a trend from."
    elif facts["fall"] >= level and facts["gap_at_end"] > facts["gap_at_best"]:
        verdict = "overfitting"
        text = (
            f"after epoch {best_epoch}, training accuracy changed by {points['rise']:+.1f} points while validation "
            f"accuracy fell {points['fall']:.1f}, and the gap grew from {points['gap_at_best']:.1f} to "
            f"{points['gap_at_end']:.1f} points: the network fits its training images better, new ones worse."
        )
    elif facts["gap_at_end"] >= wide_gap:
        verdict = "wide gap"
        text = (
            f"training accuracy ended {points['gap_at_end']:.1f} points above validation accuracy: the network "
            f"reads its training images much better than new ones, though validation accuracy "
            + (
                f"ended only {points['fall']:.1f} points below its best (a fall counts from {points['level']:.1f})."
                if points["fall"] >= 0.05
                else "ended at its best."
            )
        )
    elif facts["fall"] >= level:
        verdict = "unsteady"
        text = (
            f"validation accuracy ended {points['fall']:.1f} points below its best (epoch {best_epoch}), but the gap "
            f"did not grow ({points['gap_at_best']:.1f} then {points['gap_at_end']:.1f} points): training accuracy "
            f"fell too, so this is not overfitting; large steps or a noisy run can do it."
        )
    elif facts["change"] >= level:
        verdict = "still learning"
        text = (
            f"validation accuracy rose {points['change']:.1f} points over the last {k} epochs, and the gap is "
            f"{points['gap_at_end']:.1f} points: more epochs would likely help."
        )
    else:
        verdict = "levelled off"
        text = (
            f"validation accuracy changed by {points['change']:+.1f} points over the last {k} epochs and ended "
            + (f"{points['fall']:.1f} points below its best" if points["fall"] >= 0.05 else "at its best")
            + f", and the gap is {points['gap_at_end']:.1f} points: the curves have flattened, without overfitting."
        )
    return facts | {"verdict": verdict, "text": f"Verdict: {verdict}. {text[0].upper()}{text[1:]}"}


def show_letters(images, titles, colors=None, columns=10, size=1.2):
    """A grid of 28 x 28 images (values 0..255), each with a title above it (and optionally a title colour).

    The images are tiles of one picture, drawn with one ``imshow``: a figure of one axes per image would
    take four times as long to draw (``bench/README.md``).
    """
    import matplotlib
    import matplotlib.pyplot as plt

    images = np.asarray(images, dtype=np.float64).reshape(-1, 28, 28)
    rows = -(-len(images) // columns)  # rounded up
    lines = max(str(title).count("\n") + 1 for title in titles) if len(titles) else 1
    gap, head = 4, 10 * lines  # pixels between tiles, and above each tile for its title
    tiles = np.full((rows * (28 + head), columns * (28 + gap) - gap), np.nan)  # NaN: the white between tiles
    fig, ax = plt.subplots(figsize=(columns * size, rows * size * (28 + head) / 28 * 0.85))
    for i, (image, title) in enumerate(zip(images, titles)):
        top, left = (i // columns) * (28 + head) + head, (i % columns) * (28 + gap)
        tiles[top : top + 28, left : left + 28] = image
        color = colors[i] if colors is not None else "black"
        ax.text(left + 13.5, top - 1, title, ha="center", va="bottom", fontsize=9, color=color)
    gray = matplotlib.colormaps["gray"].with_extremes(bad="white")
    ax.imshow(np.ma.masked_invalid(tiles), cmap=gray, vmin=0, vmax=255, interpolation="nearest")
    ax.set_axis_off()
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1)
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
