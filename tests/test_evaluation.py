"""Evaluating and drawing: the confusion matrix, the worst confusions, the learning curves."""

import matplotlib
import numpy as np
import pytest

import nn_helpers as nn

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

# -- confusion matrix -------------------------------------------------------


def test_rows_are_true_letters_and_columns_predictions():
    # three a's read as b, one b read right, one c read as a
    counts = nn.confusion_matrix([0, 0, 0, 1, 2], [1, 1, 1, 1, 0], num_classes=3)
    np.testing.assert_array_equal(counts, [[0, 3, 0], [0, 1, 0], [1, 0, 0]])


def test_every_example_is_counted_once():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 26, 500), rng.integers(0, 26, 500)
    counts = nn.confusion_matrix(y_true, y_pred)
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
        nn.confusion_matrix(y_true, y_pred)


# -- most confused ----------------------------------------------------------


def confusions(*entries, diagonal=50):
    counts = np.diag(np.full(26, diagonal))
    for true, predicted, count in entries:
        counts[nn.LETTERS.index(true), nn.LETTERS.index(predicted)] = count
    return counts


def test_most_confused_lists_the_largest_off_diagonal_entries_first():
    counts = confusions(("i", "l", 7), ("c", "e", 3), ("q", "g", 12), ("u", "v", 5))
    assert nn.most_confused(counts, k=3) == [("q", "g", 12), ("i", "l", 7), ("u", "v", 5)]


def test_most_confused_does_not_pad_with_pairs_never_confused():
    counts = confusions(("i", "l", 7), ("l", "i", 2))
    assert nn.most_confused(counts, k=8) == [("i", "l", 7), ("l", "i", 2)]
    assert nn.most_confused(confusions()) == []


def test_most_confused_never_lists_a_letter_read_right():
    counts = confusions(("o", "d", 1), diagonal=1000)
    assert nn.most_confused(counts) == [("o", "d", 1)]


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
    fig = nn.plot_history(history(5, 0))
    assert lines_per_axis(fig) == [2, 2]
    plt.close(fig)


def test_a_list_of_histories_without_labels_draws_every_one():
    fig = nn.plot_history([history(5, 0), history(3, 1, validation=False)])
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
    fig = nn.plot_history(histories, labels=[f"rate {i}" for i in range(len(histories))])
    assert lines_per_axis(fig) == [2 * len(histories)] * 2
    plotted = [list(line.get_ydata()) for line in fig.axes[0].get_lines()]
    assert plotted[-1] == histories[-1]["val_cost"]
    plt.close(fig)


def test_labels_that_do_not_match_the_histories_are_rejected():
    with pytest.raises(ValueError, match="3 histories but 2 labels"):
        nn.plot_history([history(2, 0)] * 3, labels=["a", "b"])
