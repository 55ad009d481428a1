"""A SYNTHETIC stand-in for EMNIST letters: typeset letters, not handwriting.

The real EMNIST image files cannot be had on the project's machines, so the
tests and the notebook benchmark run on this. Every figure measured on it is
labelled synthetic. It writes the official layout (a zip holding
``gzip/emnist-letters-{train,test}-{images-idx3,labels-idx1}-ubyte.gz``,
images stored transposed, labels 1..26, the test split sorted by class), so
``load_emnist_letters`` reads it exactly as it reads the real thing. Beside
its four files it writes a marker, ``gzip/SYNTHETIC-STAND-IN.txt``
(``emnist_data.STANDIN_MARKER``), so the loader's data-source line can say it
is the stand-in, whether it is read as the zip or as the unpacked folder.

Each image is one of a–z or A–Z in one of the fonts matplotlib ships, made
thicker or not, then randomly rotated, sheared and stretched, blurred, and
cropped and centred in 28×28 the way EMNIST was made: the letter's longer
side fills about 24 of the 28 pixels. Command line:

    python tests/synthetic_emnist.py OUT.zip --train 124800 --test 20800
"""

import argparse
import string
import sys
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.ft2font import FT2Font

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from emnist_layout import official_files, write_zip  # noqa: E402

from emnist_data import STANDIN_MARKER  # noqa: E402

FONTS = [
    "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSansMono", "DejaVuSansMono-BoldOblique",
    "DejaVuSerif", "DejaVuSerif-Italic", "DejaVuSerif-BoldItalic", "STIXGeneral", "STIXGeneralItalic",
    "STIXGeneralBol", "cmr10", "cmss10", "cmtt10", "cmti10", "cmmi10",
]  # fmt: skip
CANVAS = 64  # glyphs are drawn at about 40 px on a 64 x 64 canvas, then shrunk to 28 x 28
THICKENINGS = (0, 1, 2)  # extra pixels of stroke width at the canvas' scale


def _shift_max(images, radius):
    """Thicken the strokes: each pixel takes the brightest value within ``radius``."""
    out = images.copy()
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            if dy * dy + dx * dx <= radius * radius:
                out = np.maximum(out, np.roll(images, (dy, dx), axis=(-2, -1)))
    return out


def _blur(images, sigma):
    """A separable Gaussian blur of a stack of images (…, H, W); the borders are dark."""
    radius = max(1, int(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    for axis in (-2, -1):
        padded = np.pad(
            images, [(0, 0)] * (images.ndim - 2) + [(radius, radius) if a == axis else (0, 0) for a in (-2, -1)]
        )
        size = images.shape[axis]
        images = sum(k * np.take(padded, range(i, i + size), axis=axis) for i, k in enumerate(kernel))
    return images


def render_glyphs():
    """Every letter in every font and thickness: glyphs (G, 64, 64) in [0, 1], labels (G,) 0..25."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    glyphs, labels = [], []
    for name in FONTS:
        if not (folder / f"{name}.ttf").is_file():
            continue  # matplotlib 3.8 has no cmti10: there the stand-in is drawn in the other 15 fonts
        font = FT2Font(str(folder / f"{name}.ttf"))
        for label, letters in enumerate(zip(string.ascii_lowercase, string.ascii_uppercase)):
            for letter in letters:
                font.set_size(40, 72)
                font.set_text(letter)
                font.draw_glyphs_to_bitmap(antialiased=True)
                bitmap = np.asarray(font.get_image(), dtype=np.float32) / 255
                h, w = bitmap.shape
                canvas = np.zeros((CANVAS, CANVAS), np.float32)
                top, left = (CANVAS - h) // 2, (CANVAS - w) // 2
                canvas[top : top + h, left : left + w] = bitmap
                for radius in THICKENINGS:
                    glyphs.append(_shift_max(canvas, radius))
                    labels.append(label)
    # Shrinking 64 px glyphs to about 24 px would alias thin strokes: blur first.
    return _blur(np.stack(glyphs), 0.9), np.array(labels)


def _warp(glyphs, boxes, rng):
    """Random rotation, shear and stretch of each glyph, sampled straight into 28 x 28.

    Output pixel p comes from glyph point M⁻¹(p − centre) + glyph centre, with
    M = scale · rotation · shear · stretch, and the scale chosen so that the
    warped letter's longer side spans 20 to 24 pixels, as EMNIST centred it.
    """
    n = len(glyphs)
    angle = rng.uniform(-0.3, 0.3, n)  # radians, about ±17°
    shear = rng.uniform(-0.3, 0.3, n)
    stretch = np.exp(rng.uniform(-0.2, 0.2, (n, 2)))
    cos, sin = np.cos(angle), np.sin(angle)
    rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    shearing = np.stack([np.stack([np.ones(n), shear], -1), np.stack([np.zeros(n), np.ones(n)], -1)], -2)
    M = rotation @ shearing * stretch[:, None, :]
    top, bottom, left, right = boxes.T.astype(np.float32)
    centre = np.stack([(top + bottom) / 2, (left + right) / 2], -1)
    half = np.stack([(bottom - top) / 2, (right - left) / 2], -1)
    corners = np.array([[1, 1], [1, -1], [-1, 1], [-1, -1]])[None] * half[:, None]  # (n, 4, 2)
    extent = np.ptp(corners @ M.transpose(0, 2, 1), axis=1).max(axis=1)
    M *= (rng.uniform(20, 24, n) / np.maximum(extent, 1))[:, None, None]
    grid = np.stack(np.meshgrid(np.arange(28), np.arange(28), indexing="ij"), -1).reshape(-1, 2) - 13.5
    grid = grid[None] + rng.uniform(-1, 1, (n, 1, 2))  # small shifts off centre
    points = grid @ np.linalg.inv(M).transpose(0, 2, 1) + centre[:, None]  # (n, 784, 2)
    r0, c0 = np.floor(points[..., 0]).astype(int), np.floor(points[..., 1]).astype(int)
    fr, fc = points[..., 0] - r0, points[..., 1] - c0
    index = np.arange(n)[:, None]

    def at(r, c):
        inside = (r >= 0) & (r < CANVAS) & (c >= 0) & (c < CANVAS)
        return np.where(inside, glyphs[index, r.clip(0, CANVAS - 1), c.clip(0, CANVAS - 1)], 0)

    sampled = (
        at(r0, c0) * (1 - fr) * (1 - fc) + at(r0, c0 + 1) * (1 - fr) * fc
        + at(r0 + 1, c0) * fr * (1 - fc) + at(r0 + 1, c0 + 1) * fr * fc
    )  # fmt: skip
    return sampled.reshape(n, 28, 28)


def make_letters(n, seed=0, chunk=4096):
    """``n`` synthetic letters: upright uint8 images (n, 28, 28) and labels 0..25, balanced."""
    rng = np.random.default_rng(seed)
    glyphs, glyph_labels = render_glyphs()
    rows, cols = np.nonzero(glyphs.reshape(len(glyphs), -1) > 0.05)
    boxes = np.zeros((len(glyphs), 4), int)  # ink box: top, bottom, left, right
    for g in range(len(glyphs)):
        rr, cc = np.divmod(cols[rows == g], CANVAS)
        boxes[g] = rr.min(), rr.max(), cc.min(), cc.max()
    labels = rng.permutation(np.arange(n) % 26)
    by_class = [np.flatnonzero(glyph_labels == k) for k in range(26)]
    choice = np.array([rng.choice(by_class[k]) for k in labels]) if n else np.zeros(0, int)
    images = np.zeros((n, 28, 28), np.uint8)
    for start in range(0, n, chunk):
        pick = choice[start : start + chunk]
        warped = _blur(_warp(glyphs[pick], boxes[pick], rng), 0.5)
        peak = warped.reshape(len(pick), -1).max(axis=1)[:, None, None]
        images[start : start + chunk] = np.round(255 * warped / np.maximum(peak, 1e-6))
    return images, labels


def write_standin(path, n_train, n_test, seed=0):
    """Write a synthetic ``gzip.zip`` in the official layout and return its path.

    Like the real one, the training split is shuffled and the test split is
    sorted by class (all the a's, then all the b's, …), so code that shows
    "the first N" test images is caught showing one letter.
    """
    train = make_letters(n_train, seed)
    test_images, test_labels = make_letters(n_test, seed + 1)
    by_class = np.argsort(test_labels, kind="stable")
    files = official_files(train, (test_images[by_class], test_labels[by_class]))
    files[STANDIN_MARKER] = b"A SYNTHETIC stand-in for EMNIST letters (tests/synthetic_emnist.py): not EMNIST.\n"
    return write_zip(path, files)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a SYNTHETIC stand-in for EMNIST letters.")
    parser.add_argument("out", help="the zip to write, e.g. /tmp/synthetic-emnist.zip")
    parser.add_argument("--train", type=int, default=124_800)
    parser.add_argument("--test", type=int, default=20_800)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("wrote SYNTHETIC stand-in", write_standin(args.out, args.train, args.test, args.seed), file=sys.stderr)
