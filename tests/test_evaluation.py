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


# -- reading the learning curves ---------------------------------------------


def curves(train, val):
    return {"train_accuracy": list(train), "val_accuracy": list(val)}


@pytest.mark.parametrize(
    "train, val, verdict",
    [
        ([0.5], [0.45], "too short"),
        # validation peaks at epoch 3 and falls 3 points while training climbs: the gap grows
        ([0.6, 0.8, 0.9, 0.97, 1.0], [0.55, 0.7, 0.75, 0.74, 0.72], "overfitting"),
        # validation still at its best, but training 20 points above it
        ([0.8, 0.9, 0.95, 0.99], [0.6, 0.7, 0.75, 0.79], "wide gap"),
        # a small gap and validation still climbing by more than a point over the last 3 epochs
        ([0.5, 0.6, 0.7, 0.75, 0.8], [0.5, 0.6, 0.69, 0.74, 0.78], "still learning"),
        # flat at the end, small gap
        ([0.5, 0.9, 0.91, 0.912, 0.913], [0.5, 0.9, 0.901, 0.904, 0.903], "levelled off"),
        # a fall of more than a point while the gap shrinks is not overfitting: training fell too
        ([0.6, 0.9, 0.88], [0.6, 0.89, 0.875], "unsteady"),
    ],
)
def test_read_curves_gives_the_first_verdict_that_holds(train, val, verdict):
    reading = evaluation.read_curves(curves(train, val))
    assert reading["verdict"] == verdict
    assert reading["text"].startswith(f"Verdict: {verdict}. ")


def test_read_curves_figures_are_the_history_s_own():
    train, val = [0.6, 0.8, 0.9, 0.97, 1.0], [0.55, 0.7, 0.75, 0.74, 0.72]
    reading = evaluation.read_curves(curves(train, val))
    assert (reading["epochs"], reading["best_epoch"], reading["last"]) == (5, 3, 3)
    assert reading["best"] == 0.75 and reading["fall"] == pytest.approx(0.03)
    assert reading["gap_at_best"] == pytest.approx(0.15) and reading["gap_at_end"] == pytest.approx(0.28)
    assert reading["rise"] == pytest.approx(0.10) and reading["change"] == pytest.approx(0.72 - 0.7)
    assert "epoch 3" in reading["text"] and "+10.0 points" in reading["text"] and "fell 3.0" in reading["text"]
    assert "from 15.0 to 28.0 points" in reading["text"]


def test_read_curves_thresholds_can_be_changed():
    history = curves([0.8, 0.9, 0.95, 0.99], [0.6, 0.7, 0.75, 0.79])  # a gap of 20 points
    assert evaluation.read_curves(history)["verdict"] == "wide gap"
    assert evaluation.read_curves(history, wide_gap=0.25)["verdict"] == "still learning"


def test_read_curves_needs_validation_figures():
    with pytest.raises(ValueError, match="validation_data"):
        evaluation.read_curves({"train_accuracy": [0.5, 0.6], "val_accuracy": []})


def test_on_a_small_validation_set_a_change_within_chance_is_no_verdict():
    # validation falls 1.5 points from its best while the gap grows: overfitting on 10,000 images,
    # but on 300 images twice the standard error of an accuracy near 0.8 is 4.6 points
    history = curves([0.8, 0.82, 0.83, 0.83], [0.78, 0.8, 0.79, 0.785])
    assert evaluation.read_curves(history, validation_size=10_000)["verdict"] == "overfitting"
    small = evaluation.read_curves(history, validation_size=300)
    assert small["level"] == pytest.approx(2 * (0.8 * 0.2 / 300) ** 0.5)
    assert small["verdict"] == "levelled off"


def test_show_letters_draws_each_image_as_a_tile_under_its_title():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (13, 28, 28))
    titles = [f"letter {i}" for i in range(13)]
    colors = ["green", "red"] * 6 + ["green"]
    fig = evaluation.show_letters(images, titles, colors=colors, columns=5)
    (ax,) = fig.axes
    (picture,) = ax.get_images()
    tiles = picture.get_array()
    assert tiles.shape == (3 * (28 + 10), 5 * (28 + 4) - 4)  # 3 rows of 5, a title line above each
    np.testing.assert_array_equal(tiles[10 : 10 + 28, 0:28], images[0])  # the first image, under its title
    np.testing.assert_array_equal(tiles[2 * 38 + 10 : 2 * 38 + 38, 2 * 32 : 2 * 32 + 28], images[12])  # row 3, column 3
    assert tiles.mask[0:10].all() and tiles.mask[2 * 38 + 10 :, 3 * 32 :].all()  # white above and after the last
    texts = {t.get_text(): t.get_color() for t in ax.texts}
    assert texts == dict(zip(titles, colors))
    plt.close(fig)
