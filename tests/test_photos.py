"""Tests of handwriting.py: reading a picture of one letter (preprocess_image, predict_image), and draw_letter.

Letters typeset with matplotlib check the basics. Then each kind of picture
(tests/photo_kinds.py) is made from real 28 x 28 letters of the ``test`` part
of tests/data; the 28 x 28 image that comes back must match the original, and a
network trained on the ``train`` part must read the picture as it reads the
original. evaluation.confidence, which predict_image reports, is checked here too.
"""

import numpy as np
import pytest
from photo_kinds import KINDS, on_paper, other_pen, to_uint8
from PIL import Image
from real_letters import real_inputs, real_letters

import emnist_data
import evaluation
import handwriting
import nn_helpers as nn

LETTERS_PER_KIND = 10


# -- letters drawn with matplotlib ---------------------------------------------


def letter_picture(path, letter="l", ink="black", paper="white"):
    """A letter drawn with matplotlib, off centre and small, as a photo of paper might be."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 1.5), dpi=100, facecolor=paper)
    fig.text(0.3, 0.2, letter, fontsize=60, color=ink)
    fig.savefig(path, facecolor=paper)
    plt.close(fig)
    return path


@pytest.mark.parametrize("ink, paper", [("black", "white"), ("white", "black")])
def test_a_photo_of_a_letter_becomes_an_emnist_style_image(tmp_path, ink, paper):
    image = handwriting.preprocess_image(letter_picture(tmp_path / "l.png", "l", ink, paper))
    assert image.shape == (28, 28) and image.dtype == np.uint8
    assert image.max() == 255 and np.median(image) < 10  # white ink on black, as in EMNIST
    rows, cols = np.nonzero(image > 64)
    assert rows.max() - rows.min() > 2 * (cols.max() - cols.min())  # still upright: 'l' is tall
    assert 20 <= rows.max() - rows.min() + 1 <= 26  # the longer side fills about 24 of 28 pixels
    assert abs((rows.min() + rows.max()) / 2 - 13.5) <= 1.5 and abs((cols.min() + cols.max()) / 2 - 13.5) <= 1.5


def test_a_jpg_is_read_too(tmp_path):
    path = letter_picture(tmp_path / "x.jpg", "x")
    assert handwriting.preprocess_image(path).max() == 255


def test_predict_image_returns_the_top_three(tmp_path):
    net = nn.Network([784, 26], seed=0)
    net.biases[0][emnist_data.LETTERS.index("q")] = 5  # a network that strongly favours "q"
    top = handwriting.predict_image(net, letter_picture(tmp_path / "a.png", "a"))
    assert [letter for letter, _ in top][0] == "q" and len(top) == 3
    probabilities = [p for _, p in top]
    assert probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1


def test_predict_image_rejects_a_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="No image at"):
        handwriting.predict_image(nn.Network([784, 26]), tmp_path / "missing.png")


def test_predict_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("not a picture")
    with pytest.raises(ValueError, match="not an image"):
        handwriting.predict_image(nn.Network([784, 26]), path)


@pytest.mark.parametrize("color", ["white", "black"])
def test_predict_image_rejects_a_blank_image(tmp_path, color):
    path = letter_picture(tmp_path / "blank.png", "", paper=color)
    with pytest.raises(ValueError, match="looks blank"):
        handwriting.predict_image(nn.Network([784, 26]), path)


# -- pictures of real EMNIST letters ---------------------------------------------


@pytest.fixture(scope="module")
def net():
    """A quick network on the real ``train`` part (4,000 images): about 75% right on the ``test`` part."""
    net = nn.Network([784, 64, 26], seed=1)
    net.train(*real_inputs("train"), epochs=10, batch_size=32, learning_rate=3, progress=False)
    return net


@pytest.fixture(scope="module")
def letters():
    """Ten real letters from the ``test`` part, drawn at random (the part is sorted by letter)."""
    images, labels = real_letters("test")
    return images[np.random.default_rng(9).choice(len(images), LETTERS_PER_KIND, replace=False)]


def ink_box(image):
    """The longer side and the centre (row, column) of the box around the pixels brighter than 64."""
    rows, cols = np.nonzero(image > 64)
    return max(np.ptp(rows), np.ptp(cols)) + 1, (rows.min() + rows.max()) / 2, (cols.min() + cols.max()) / 2


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_picture_gives_back_the_original_letter(kind, letters, net, tmp_path):
    rng = np.random.default_rng(0)
    correlations, same_box, same_reading = [], 0, 0
    for original in letters:
        picture = KINDS[kind](original, tmp_path, rng)
        image = handwriting.preprocess_image(picture)
        assert image.shape == (28, 28) and image.dtype == np.uint8 and image.max() == 255
        correlations.append(np.corrcoef(original.ravel(), image.ravel())[0, 1])
        (side, row, col), (side0, row0, col0) = ink_box(image), ink_box(original)
        same_box += abs(side - side0) <= 2 and abs(row - row0) <= 1.5 and abs(col - col0) <= 1.5
        reading = net.predict(emnist_data.prepare_inputs(original[None]))[0]
        same_reading += handwriting.predict_image(net, picture)[0][0] == emnist_data.LETTERS[reading]
    # A few real EMNIST images carry scanning debris (a faint ruled line) inside their box, which a
    # clean picture rightly loses; and a quick network reads borderline letters either way. Hence the
    # tolerance of two letters in ten.
    assert np.median(correlations) >= 0.9, correlations
    assert same_box >= 8
    assert same_reading >= 8  # the bench measures about 0.93 on 300 letters (bench/bench_photos.py)


def test_real_emnist_letters_come_back_the_size_they_were(letters):
    """Measured on the real images: the longer side of the ink box (> 64) is about 24 of 28 pixels."""
    images, _ = real_letters("test")
    assert np.median([ink_box(image)[0] for image in images]) == pytest.approx(24, abs=1)
    sides = [
        ink_box(handwriting.preprocess_image(255 - np.kron(image, np.ones((8, 8), np.uint8))))[0] for image in letters
    ]
    assert np.median(sides) == pytest.approx(24, abs=1)


# -- other pens: strokes too thin are widened -------------------------------------


@pytest.mark.parametrize("width", [1, 2, 3, 4, 5])
def test_stroke_width_measures_a_bar_of_known_width(width):
    bar = np.zeros((100, 100), np.uint8)
    bar[5:95, 40 : 40 + width] = 255  # a vertical stroke 90 pixels long
    assert handwriting.stroke_width(bar) == pytest.approx(width, rel=0.06)  # its two ends count as outline too


def test_the_smallest_stroke_width_lies_within_emnists_pens():
    images, _ = real_letters("train")
    widths = [handwriting.stroke_width(image) for image in images]
    assert np.median(widths) < handwriting.MIN_STROKE_WIDTH <= np.percentile(widths, 95)


def test_a_letter_written_with_a_thin_pen_comes_out_with_strokes_as_wide_as_emnists(letters):
    rng = np.random.default_rng(0)
    inks = [handwriting.find_letter(handwriting.read_picture(other_pen(image, rng, -4))) for image in letters]
    thin = [handwriting.stroke_width(handwriting.letter_image(ink, min_stroke_width=0)) for ink in inks]
    widened = [handwriting.stroke_width(handwriting.letter_image(ink)) for ink in inks]
    assert np.median(thin) < handwriting.MIN_STROKE_WIDTH - 0.5  # the pen is thin indeed
    for before, after in zip(thin, widened):  # widened to the smallest width, or left alone if already wider
        assert (
            after == before
            if before >= handwriting.MIN_STROKE_WIDTH
            else abs(after - handwriting.MIN_STROKE_WIDTH) <= 0.15
        )
    same_size = [
        abs(ink_box(handwriting.letter_image(ink))[0] - ink_box(handwriting.letter_image(ink, 0))[0]) for ink in inks
    ]
    assert max(same_size) <= 1  # wider strokes, not a bigger letter


def test_strokes_as_wide_as_the_smallest_width_or_wider_are_left_as_they_are():
    paper = np.ones((300, 300))
    paper[60:240, 120:150] = 0  # an "l" written with a marker: 30 of 180 pixels wide
    ink = handwriting.find_letter(paper)
    image, _ = handwriting.emnist_steps(ink)
    assert handwriting.stroke_width(image) >= handwriting.MIN_STROKE_WIDTH
    np.testing.assert_array_equal(handwriting.letter_image(ink), image)


def test_widening_thin_strokes_helps_the_network_read_them(net):
    images, labels = real_letters("test")
    chosen = np.random.default_rng(3).choice(len(images), 100, replace=False)
    rng = np.random.default_rng(0)
    inks = [handwriting.find_letter(handwriting.read_picture(other_pen(image, rng, -4))) for image in images[chosen]]
    accuracy = {
        width: net.accuracy(
            emnist_data.prepare_inputs(np.array([handwriting.letter_image(ink, width) for ink in inks])), labels[chosen]
        )
        for width in (0, handwriting.MIN_STROKE_WIDTH)
    }
    print(
        f"\nthin-pen photos of 100 test letters, read by a quick network: as they come {accuracy[0]:.2f}, widened {accuracy[handwriting.MIN_STROKE_WIDTH]:.2f}"
    )
    assert accuracy[handwriting.MIN_STROKE_WIDTH] >= accuracy[0] + 0.05


def test_an_i_keeps_its_dot_and_loses_a_far_speck():
    paper = np.ones((300, 300))
    paper[120:260, 140:160] = 0  # the stem
    rows, cols = np.mgrid[:300, :300]
    paper[np.hypot(rows - 85, cols - 150) <= 13] = 0  # the dot
    paper[np.hypot(rows - 280, cols - 20) <= 5] = 0  # a speck far away
    image = handwriting.preprocess_image(paper)
    ink_rows = np.flatnonzero(image.max(axis=1) > 64)
    assert len(ink_rows) < ink_rows.max() - ink_rows.min() + 1  # a gap between the dot and the stem
    side, row, col = ink_box(image)
    assert 22 <= side <= 26 and abs(row - 13.5) <= 1 and abs(col - 13.5) <= 1  # centred without the speck


def test_a_palette_png_reads_like_its_original(letters, tmp_path):
    gray = to_uint8(on_paper(letters[0], np.random.default_rng(0)))
    Image.fromarray(gray).convert("P").save(tmp_path / "palette.png")
    assert (
        np.corrcoef(
            handwriting.preprocess_image(tmp_path / "palette.png").ravel(), handwriting.preprocess_image(gray).ravel()
        )[0, 1]
        > 0.99
    )


def test_paper_grain_alone_is_blank():
    grain = 0.35 + 0.02 * np.random.default_rng(0).standard_normal((200, 200))
    with pytest.raises(ValueError, match="looks blank"):
        handwriting.preprocess_image(grain)


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((28, 28, 2)), "shape"),
        (np.zeros((4, 4)), "at least 8 x 8"),
        (np.zeros(784), "shape"),
        (np.full((28, 28), 2.0), "floats in \\[0, 1\\]"),
        (np.zeros((28, 28), np.int64), "uint8, uint16"),
    ],
)
def test_arrays_of_the_wrong_shape_or_type_are_refused_with_a_hint(array, message):
    with pytest.raises(ValueError, match=message):
        handwriting.preprocess_image(array)


def test_confidence_is_the_outputs_scaled_to_sum_to_one(net, letters):
    outputs = net.feedforward(emnist_data.prepare_inputs(letters))
    shares = evaluation.confidence(outputs)
    np.testing.assert_allclose(shares.sum(axis=1), 1)
    assert (shares.argmax(axis=1) == outputs.argmax(axis=1)).all()
    image = handwriting.preprocess_image(letters[0])
    expected = evaluation.confidence(net.feedforward(emnist_data.prepare_inputs(image[None]))[0])
    top = handwriting.predict_image(net, letters[0])
    assert [share for _, share in top] == pytest.approx(np.sort(expected)[::-1][:3])
    assert [letter for letter, _ in top] == [emnist_data.LETTERS[k] for k in np.argsort(expected)[::-1][:3]]


def test_draw_letter_shows_the_canvas_and_a_line_of_text_where_widgets_cannot_display(net, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda bundle, raw=False: shown.append(bundle))
    assert handwriting.draw_letter(net) is None  # returns at once: nothing waits for a browser
    (bundle,) = shown
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "handwriting.predict_image" in bundle["text/plain"]  # what to use instead, named as the learner calls it
