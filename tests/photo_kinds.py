"""Ordinary pictures of one letter, made from a real 28 x 28 EMNIST image, for tests/test_photos.py and bench/.

Each kind is a function ``(image, folder, rng) -> picture``: ``image`` is a
28 x 28 uint8 EMNIST letter (white on black), ``folder`` is where files may
be written, and the picture is whatever ``handwriting.preprocess_image`` accepts: a
path, a ``PIL.Image`` or a NumPy array. The letter is enlarged 8 times and
placed off centre on paper bigger than itself, as a photo of a sheet would be.
"""

import numpy as np
from PIL import Image

SCALE = 8


def ink(image, scale=SCALE):
    """The letter enlarged ``scale`` times: ink strength in [0, 1], 1 where the pen was."""
    big = Image.fromarray(image).resize((28 * scale, 28 * scale), Image.BICUBIC)
    return np.asarray(big, dtype=np.float64) / 255


def on_paper(image, rng, paper=0.95, pen=0.05, size=(320, 300), grain=0.0, strength=None):
    """Gray levels in [0, 1]: the enlarged letter in ``pen`` on ``paper``, at a random place, with paper grain.

    ``strength``, if given, is the enlarged letter's ink to use instead of ``ink(image)``.
    """
    strength = ink(image) if strength is None else strength
    gray = np.full(size, paper) + grain * rng.standard_normal(size)
    top, left = rng.integers(0, size[0] - strength.shape[0]), rng.integers(0, size[1] - strength.shape[1])
    window = gray[top : top + strength.shape[0], left : left + strength.shape[1]]
    window[:] = window * (1 - strength) + pen * strength
    return np.clip(gray, 0, 1)


def other_pen(image, rng, pixels):
    """Gray levels: the letter as if written with another pen, its strokes ``pixels`` wider on each side at 8 x scale.

    Negative ``pixels`` make a thinner pen (at -4 a ballpoint's strokes: about
    1.4 pixels of the 28 x 28 image instead of EMNIST's 2.2; from -6 on strokes
    break). The outline is cut at half-strength, grown or shrunk by a square
    grey dilation or erosion, and softened as a camera would.
    """
    from PIL import ImageFilter

    pen = Image.fromarray(to_uint8(ink(image) >= 0.5))
    if pixels:
        grow = ImageFilter.MaxFilter if pixels > 0 else ImageFilter.MinFilter
        pen = pen.filter(grow(2 * abs(pixels) + 1))
    strength = np.asarray(pen.filter(ImageFilter.GaussianBlur(1.5)), dtype=np.float64) / 255
    return on_paper(image, rng, paper=0.93, pen=0.08, grain=0.02, strength=strength)


def to_uint8(gray):
    return np.uint8(np.round(255 * np.clip(gray, 0, 1)))


def clean_scan(image, folder, rng):
    path = folder / "scan.png"
    Image.fromarray(to_uint8(on_paper(image, rng))).save(path)
    return path


def exif_rotated_jpg(image, folder, rng):
    """A portrait phone photo: the pixels are stored turned a quarter, with EXIF orientation 6 saying how to turn them back."""
    path = folder / "phone.jpg"
    upright = Image.fromarray(to_uint8(on_paper(image, rng, grain=0.02))).convert("RGB")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    upright.transpose(Image.Transpose.ROTATE_90).save(path, quality=90, exif=exif)
    return path


def transparent_png(image, folder, rng):
    """A drawing app's export: black ink whose alpha is the letter, on a transparent canvas."""
    path = folder / "drawing.png"
    alpha = to_uint8(on_paper(image, rng, paper=0, pen=1))
    rgba = np.zeros((*alpha.shape, 4), np.uint8)
    rgba[..., 3] = alpha
    Image.fromarray(rgba).save(path)
    return path


def gray_paper(image, folder, rng):
    """Gray paper under dim light, with grain: paper at 35%, ink at 12%."""
    path = folder / "dim.png"
    Image.fromarray(to_uint8(on_paper(image, rng, paper=0.35, pen=0.12, grain=0.02))).save(path)
    return path


def sheet_on_desk(image, folder, rng):
    """A white sheet filling most of the photo, on a dark desk that shows along two edges, with a shadow."""
    path = folder / "desk.jpg"
    sheet = on_paper(image, rng, paper=0.9, pen=0.1, size=(340, 320), grain=0.01)
    photo = 0.12 + 0.03 * rng.standard_normal((400, 380))  # the desk
    top, left = rng.integers(5, 60), rng.integers(5, 60)
    photo[top : top + 340, left : left + 320] = sheet
    photo[top + 340 : top + 350, left + 10 : left + 330] = 0.05  # the sheet's shadow
    Image.fromarray(to_uint8(photo)).convert("RGB").save(path, quality=92)
    return path


def specks(image, folder, rng):
    """A clean scan with specks of dirt away from the letter, one of them at the edge."""
    path = folder / "specks.png"
    gray = on_paper(image, rng, size=(420, 420))
    letter_rows, letter_cols = np.nonzero(gray < 0.5)
    rows, cols = np.mgrid[: gray.shape[0], : gray.shape[1]]
    placed = 0
    for _ in range(1000):  # bounded: the corners away from the letter have room for them
        r, c = rng.integers(0, gray.shape[0]), rng.integers(0, gray.shape[1])
        if placed < 6 and np.min(np.hypot(letter_rows - r, letter_cols - c)) > 150:  # away from the letter
            gray[np.hypot(rows - r, cols - c) <= rng.uniform(2, 6)] = 0.1
            placed += 1
    gray[:4, 100:110] = 0.1  # a speck cut by the edge
    Image.fromarray(to_uint8(gray)).save(path)
    return path


def chalk(image, folder, rng):
    """Chalk on a green board: light strokes on dark, in colour, as a JPG."""
    path = folder / "chalk.jpg"
    strength = on_paper(image, rng, paper=0, pen=1, grain=0.0)
    board = np.array([0.15, 0.25, 0.18]) + 0.03 * rng.standard_normal((*strength.shape, 3))
    rgb = board * (1 - strength[..., None]) + 0.85 * strength[..., None]
    Image.fromarray(to_uint8(rgb)).save(path, quality=90)
    return path


def png_16_bit(image, folder, rng):
    path = folder / "deep.png"
    Image.fromarray(np.uint16(np.round(65535 * on_paper(image, rng, grain=0.01)))).save(path)
    return path


def pil_image(image, folder, rng):
    return Image.fromarray(to_uint8(on_paper(image, rng))).convert("RGB")


def numpy_array(image, folder, rng):
    """Floats in [0, 1], H x W x 3, as from ``plt.imread`` of a PNG."""
    return np.repeat(on_paper(image, rng, grain=0.01)[..., None], 3, axis=2)


KINDS = {
    "clean scan": clean_scan,
    "EXIF-rotated JPG": exif_rotated_jpg,
    "transparent PNG": transparent_png,
    "gray paper": gray_paper,
    "sheet on a dark desk": sheet_on_desk,
    "specks": specks,
    "chalk": chalk,
    "16-bit PNG": png_16_bit,
    "PIL image": pil_image,
    "NumPy array": numpy_array,
}
