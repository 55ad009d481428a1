"""Tests of evaluation.py: the confusion matrix, the worst confusions, per-letter accuracy, the learning curves."""

import warnings

import matplotlib
import numpy as np
import pytest

import evaluation
from emnist_data import LETTERS

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# -- confusion matrix -------------------------------------------------------


def test_rows_are_true_letters_and_columns_predictions():
    # three a's read as b, one b read right, one c read as a
    counts = evaluation.confusion_matrix([0, 0, 0, 1, 2], [1, 1, 1, 1, 0], num_classes=3)
    np.testing.assert_array_equal(counts, [[0, 3, 0], [0, 1, 0], [1, 0, 0]])


def test_every_example_is_counted_once():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 26, 500), rng.integers(0, 26, 500)
    counts = evaluation.confusion_matrix(y_true, y_pred)
    assert counts.shape == (26, 26) and counts.sum() == 500
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(y_true, minlength=26))
    np.testing.assert_array_equal(counts.sum(axis=0), np.bincount(y_pred, minlength=26))


@pytest.mark.parametrize(
    ("y_true", "y_pred", "message"),
    [
        ([0, 1, 26], [0, 1, 2], r"y_true must lie in 0\.\.25"),
        ([0, 1, 2], [0, -1, 2], r"y_pred must lie in 0\.\.25"),
        ([0, 1, 2], [0, 1], "y_true has 3 labels but y_pred has 2"),
        ([0, 1], [0, 1, 2], "y_true has 2 labels but y_pred has 3"),
        ([0.0, 1.0], [0, 1], "y_true must be a 1-D array of integer labels"),
    ],
)
def test_bad_labels_are_rejected_with_a_clear_error(y_true, y_pred, message):
    with pytest.raises(ValueError, match=message):
        evaluation.confusion_matrix(y_true, y_pred)


# -- most confused ----------------------------------------------------------


def confusions(*entries, diagonal=50):
    counts = np.diag(np.full(26, diagonal))
    for true, predicted, count in entries:
        counts[LETTERS.index(true), LETTERS.index(predicted)] = count
    return counts


def test_most_confused_lists_the_largest_off_diagonal_entries_first():
    counts = confusions(("i", "l", 7), ("c", "e", 3), ("q", "g", 12), ("u", "v", 5))
    assert evaluation.most_confused(counts, k=3) == [("q", "g", 12), ("i", "l", 7), ("u", "v", 5)]


def test_most_confused_does_not_pad_with_pairs_never_confused():
    counts = confusions(("i", "l", 7), ("l", "i", 2))
    assert evaluation.most_confused(counts, k=8) == [("i", "l", 7), ("l", "i", 2)]
    assert evaluation.most_confused(confusions()) == []


def test_most_confused_never_lists_a_letter_read_right():
    counts = confusions(("o", "d", 1), diagonal=1000)
    assert evaluation.most_confused(counts) == [("o", "d", 1)]


# -- learning curves --------------------------------------------------------


def history(epochs, seed, validation=True):
    rng = np.random.default_rng(seed)
    figures = {key: list(rng.random(epochs)) for key in ("train_cost", "train_accuracy")}
    for key in ("val_cost", "val_accuracy"):
        figures[key] = list(rng.random(epochs)) if validation else []
    return figures


def lines_per_axis(fig):
    return [len(ax.get_lines()) for ax in fig.axes]


def test_one_history_draws_training_and_validation():
    fig = evaluation.plot_history(history(5, 0))
    assert lines_per_axis(fig) == [2, 2]
    plt.close(fig)


def test_a_list_of_histories_without_labels_draws_every_one():
    fig = evaluation.plot_history([history(5, 0), history(3, 1, validation=False)])
    assert lines_per_axis(fig) == [3, 3]
    assert [line.get_label() for line in fig.axes[0].get_lines()] == [
        "run 1 training",
        "run 1 validation",
        "run 2 training",
    ]
    plt.close(fig)


def test_more_histories_than_colours_are_all_drawn():
    colours = len(plt.rcParams["axes.prop_cycle"].by_key()["color"])
    histories = [history(4, seed) for seed in range(colours + 3)]
    fig = evaluation.plot_history(histories, labels=[f"rate {i}" for i in range(len(histories))])
    assert lines_per_axis(fig) == [2 * len(histories)] * 2
    plotted = [list(line.get_ydata()) for line in fig.axes[0].get_lines()]
    assert plotted[-1] == histories[-1]["val_cost"]
    plt.close(fig)


def test_labels_that_do_not_match_the_histories_are_rejected():
    with pytest.raises(ValueError, match="3 histories but 2 labels"):
        evaluation.plot_history([history(2, 0)] * 3, labels=["a", "b"])


def test_the_best_validation_epoch_is_marked_on_the_accuracy_axis():
    h = history(6, 0)
    h["val_accuracy"] = [0.2, 0.5, 0.7, 0.65, 0.7, 0.6]  # a tie: train keeps the first best epoch
    h["best_epoch"] = 3
    fig = evaluation.plot_history([h, history(4, 1, validation=False)], ["a", "b"])
    ax_cost, ax_accuracy = fig.axes
    assert len(ax_cost.collections) == 0
    (dot,) = ax_accuracy.collections  # the run without validation has no best epoch
    np.testing.assert_allclose(dot.get_offsets(), [[3, 0.7]])
    plt.close(fig)


def test_accuracy_axes_run_from_0_to_1():
    fig = evaluation.plot_history(history(5, 0))
    assert fig.axes[1].get_ylim() == (0, 1)
    plt.close(fig)
    fig = evaluation.plot_beside(history(5, 0), {"x": history(5, 1), "y": history(5, 2)})
    assert [ax.get_ylim() for ax in fig.axes] == [(0, 1)] * 2
    plt.close(fig)


def test_without_costs_only_the_accuracies_are_drawn():
    fig = evaluation.plot_history([history(5, 0), history(5, 1)], ["mse", "cross-entropy"], costs=False)
    (ax,) = fig.axes
    assert ax.get_ylabel() == "accuracy" and len(ax.get_lines()) == 4
    assert [list(line.get_ydata()) for line in ax.get_lines()][1] == history(5, 0)["val_accuracy"]
    plt.close(fig)


def test_each_cure_gets_a_panel_beside_the_reference():
    reference = history(5, 0)
    cures = {f"cure {i}": history(5, i + 1) for i in range(5)}
    fig = evaluation.plot_beside(reference, cures)
    panels = [ax for ax in fig.axes if ax.get_lines()]
    assert [ax.get_title() for ax in panels] == list(cures)
    for ax, (name, h) in zip(panels, cures.items()):
        (ref, cure) = ax.get_lines()
        assert list(ref.get_ydata()) == reference["val_accuracy"] and ref.get_label() == "no cure"
        assert list(cure.get_ydata()) == h["val_accuracy"] and cure.get_label() == name
        assert len(ax.collections) == 2  # both best epochs marked
    assert len(fig.axes) == 8 and not fig.axes[-1].axison  # 5 panels in rows of 4: the spare ones are hidden
    plt.close(fig)


def test_the_confusion_picture_leaves_zero_white_and_rare_cells_light():
    counts = confusions(("i", "l", 1), ("q", "g", 30), diagonal=800)
    fig = evaluation.plot_confusion(counts)
    (image,) = fig.axes[0].get_images()
    rgba = image.to_rgba(image.get_array())
    i, l, q, g = (LETTERS.index(c) for c in "ilqg")
    assert np.allclose(rgba[0, 1], [1, 1, 1, 1])  # never happened: white
    darkness = [1 - rgba[r, c, :3].mean() for r, c in ((i, l), (q, g), (0, 0))]
    assert 0 < darkness[0] < darkness[1] < darkness[2]  # 1, then 30, then 800: ever darker
    plt.close(fig)


# -- per-letter accuracy and where a curve levels off -------------------------


def test_per_letter_accuracy_is_the_diagonal_over_each_row():
    counts = confusions(("i", "l", 10), diagonal=30)
    accuracy = evaluation.per_letter_accuracy(counts)
    assert accuracy[LETTERS.index("i")] == 0.75 and accuracy[0] == 1.0


def test_a_missing_letter_gets_nan_without_a_warning():
    counts = confusions(("b", "d", 4), diagonal=0)  # no letter read right, and only b's among the examples
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a 0/0 RuntimeWarning would fail here
        accuracy = evaluation.per_letter_accuracy(counts)
    assert accuracy[LETTERS.index("b")] == 0.0
    assert np.isnan(np.delete(accuracy, LETTERS.index("b"))).all()


@pytest.mark.parametrize(
    ("values", "within", "epoch"),
    [
        ([0.1, 0.5, 0.69, 0.695, 0.70], 0.01, 3),  # on the plateau from epoch 3, best at 5
        ([0.1, 0.5, 0.69, 0.695, 0.70], 0.001, 5),
        ([0.3, 0.2, 0.1], 0.01, 1),
        ([0.5, 0.7, 0.6, 0.71], 0.02, 2),
    ],
)
def test_level_epoch_is_the_first_epoch_near_the_best(values, within, epoch):
    assert evaluation.level_epoch(values, within) == epoch
