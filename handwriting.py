"""Your own handwriting: a photo or a drawing of one letter, prepared the way EMNIST was made.

- ``predict_image(net, picture)``: the network's top guesses for a photo or
  an image file; ``preprocess_image`` makes the 28×28 image it reads;
- ``draw_letter(net)``: a canvas (ipycanvas) to draw a letter on, which shows
  what the network sees and reads after each stroke.

Pillow, which comes with matplotlib, reads the pictures, resizes and blurs;
Otsu's threshold and the labelling of connected regions are written out here.
"""

import os
from pathlib import Path

import numpy as np

from augmentation import dilate
from emnist_data import LETTERS, prepare_inputs
from evaluation import confidence


def predict_image(net, picture, top=3):
    """The network's ``top`` guesses for a picture of one letter: [(letter, confidence), …], best first.

    ``picture`` is anything ``preprocess_image`` reads: a path, a ``PIL.Image``
    or a NumPy array.
    """
    return _guesses(net, preprocess_image(picture), top)


def _guesses(net, image, top):
    shares = confidence(net.feedforward(prepare_inputs(image[None]))[0])
    best = np.argsort(shares)[::-1][:top]
    return [(LETTERS[k], float(shares[k])) for k in best]


def draw_letter(net, size=280):
    """A canvas to draw a letter on, with the mouse or a finger: after each stroke, what the network sees and reads.

    Shows the canvas, the 28 x 28 image that ``preprocess_image`` makes of the
    drawing (exactly as of a photo), the network's top 3 guesses with their
    ``confidence``, and a *Clear* button. It needs ipycanvas and a front end
    that shows Jupyter widgets: JupyterLab, Notebook 7, VS Code, or Colab
    (where it turns on Colab's custom widget manager itself). Elsewhere (a
    headless run, a static page) it shows a line of text instead: use
    ``predict_image`` with a photo there.
    """
    try:
        import ipywidgets as widgets
        from ipycanvas import Canvas
    except ImportError:
        print(
            "draw_letter needs ipycanvas (pip install ipycanvas). Meanwhile, use handwriting.predict_image(net, 'photo.jpg')."
        )
        return
    from IPython.display import display

    try:
        from google.colab import output  # only in Colab, which shows no third-party widgets until told to
    except ImportError:
        pass
    else:
        output.enable_custom_widget_manager()

    # sync_image_data: the browser sends the drawing back, so Python can read its pixels.
    canvas = Canvas(width=size, height=size, sync_image_data=True, layout={"border": "1px solid #888"})
    canvas.line_width, canvas.line_cap, canvas.line_join = size / 14, "round", "round"  # a thick pen, like EMNIST's
    seen = widgets.Image(value=_png(np.zeros((112, 112), np.uint8)), format="png", width=112, height=112)
    guesses = widgets.HTML("Draw a letter in the box.")
    guesses.add_class("nn-guesses")
    clear = widgets.Button(description="Clear", icon="eraser")
    pen = {"down": False, "at": None, "drawn": False, "drawing": 0}  # "drawing" counts the Clear clicks

    def pen_down(x, y):
        pen.update(down=True, at=(x, y), drawn=True)
        canvas.fill_circle(x, y, canvas.line_width / 2)  # a dot, for a click without a stroke (an "i")

    def pen_move(x, y):
        if pen["down"]:
            canvas.stroke_line(*pen["at"], x, y)
            pen["at"] = (x, y)

    def pen_up(*_):
        pen["down"] = False
        read()

    def read(*_):  # after each stroke, and again when the browser has sent the finished drawing
        drawing = pen["drawing"]
        if pen["down"] or not pen["drawn"] or canvas.image_data is None:
            return
        try:
            image = preprocess_image(canvas.get_image_data())
            top3 = _guesses(net, image, 3)
        except ValueError:  # nothing that looks like ink yet
            return
        if drawing != pen["drawing"]:  # Clear was clicked meanwhile (events can arrive while this runs)
            return
        seen.value = _png(np.kron(image, np.ones((4, 4), np.uint8)))
        guesses.value = "<b>Top 3</b><br>" + "<br>".join(f"{letter} {share:.0%}" for letter, share in top3)

    def clear_all(_):
        canvas.clear()
        pen.update(down=False, drawn=False, drawing=pen["drawing"] + 1)
        guesses.value, seen.value = "Draw a letter in the box.", _png(np.zeros((112, 112), np.uint8))

    canvas.on_mouse_down(pen_down)
    canvas.on_mouse_move(pen_move)
    canvas.on_mouse_up(pen_up)
    canvas.on_mouse_out(pen_up)
    canvas.on_touch_start(lambda touches: pen_down(*touches[0]))
    canvas.on_touch_move(lambda touches: pen_move(*touches[0]))
    canvas.on_touch_end(pen_up)
    canvas.observe(read, names="image_data")
    clear.on_click(clear_all)
    pad = widgets.HBox([canvas, widgets.VBox([widgets.Label("What the network sees"), seen, guesses, clear])])
    bundle = pad._repr_mimebundle_()
    bundle["text/plain"] = (
        "(A drawing canvas, for a front end that shows widgets. Here, give the same network and a photo to handwriting.predict_image.)"
    )
    display(bundle, raw=True)


def _png(image):
    """The bytes of a PNG file of a uint8 image."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="png")
    return buffer.getvalue()


LETTER_SIZE = 48
"""The letter's longer side, in pixels, where EMNIST's blur and border are applied (see ``preprocess_image``)."""

MIN_STROKE_WIDTH = 2.6
"""The thinnest strokes ``preprocess_image`` lets through, in pixels of the 28 x 28 image (see ``stroke_width``).

EMNIST's writers used pens whose strokes come out 1.6 to 3.1 pixels wide in
its 28 x 28 images (10th to 90th percentile of the real letters a–m; median
2.2). A ballpoint on a big letter comes out thinner, and networks read strokes
too thin far worse than strokes too thick (bench/README.md: one step thinner
costs the best network about half its accuracy, one step thicker about a
tenth). Chosen by bench/pen_widths.py on photos of the ``choose`` letters
written with thinner and thicker pens: among widths from EMNIST's median up,
2.6 (about its upper quartile) read best, for the best network and the plain one.
"""


def preprocess_image(picture):
    """A photo, scan or drawing of one letter -> a 28 x 28 uint8 image, made the way EMNIST was.

    ``picture`` is a path (PNG, JPG or anything else Pillow reads), a
    ``PIL.Image``, or a NumPy array: H x W, or H x W x 3 or 4, of uint8,
    uint16 or floats in [0, 1].

    First ``find_letter`` finds the ink, on light or dark paper, without the
    desk around the sheet or specks on it; then ``letter_image`` makes the
    image of it, by EMNIST's own steps and with strokes no thinner than
    ``MIN_STROKE_WIDTH``.
    """
    return letter_image(find_letter(read_picture(picture)))


def letter_image(ink, min_stroke_width=MIN_STROKE_WIDTH):
    """The 28 x 28 uint8 image of the letter whose ink strength is ``ink`` (floats in [0, 1], 0 for paper).

    EMNIST's own steps (``emnist_steps``) make the image. A letter written with
    a thin pen is then made again with its strokes widened, half on each side,
    by as much as they lack of ``min_stroke_width`` pixels (``stroke_width``),
    in up to three steps, as each step measures what is still missing. Thicker
    strokes are left as they are (thinning would break the thin parts of a
    letter).
    """
    image, scale = emnist_steps(ink)
    widened = 0.0  # pixels of ink added on each side of every stroke
    for _ in range(3):
        missing = min_stroke_width - stroke_width(image)
        if missing < 0.1:
            break
        widened += missing / 2 * scale
        image, _ = emnist_steps(widen(ink, widened))
    return image


def emnist_steps(ink):
    """EMNIST's own steps (Cohen et al. 2017) on the ink of one letter -> (28 x 28 uint8 image, ink pixels per pixel).

    Crop to the letter; centre it in a square, keeping its aspect ratio, with
    a 2-pixel border; blur with σ = 1; bicubic resize to 28 x 28; scale to
    0–255. The blur and border are applied where the letter's longer side is
    ``LETTER_SIZE`` pixels: at that scale the letters come out the size real
    EMNIST letters are, their longer side about 24 of the 28 pixels. The
    second result is how many pixels of ``ink`` one pixel of the image spans.
    """
    rows, cols = np.nonzero(ink >= 0.5)  # the letter's box: where its strokes are at least half-strength
    middle_x, middle_y = (cols.min() + cols.max() + 1) / 2, (rows.min() + rows.max() + 1) / 2
    side = max(np.ptp(rows), np.ptp(cols)) + 1
    side = side * (LETTER_SIZE + 2 * (3 + 2)) / LETTER_SIZE  # with the blur's reach (3σ) and a 2-pixel border
    box = (middle_x - side / 2, middle_y - side / 2, middle_x + side / 2, middle_y + side / 2)
    square = _resize(np.pad(ink, round(side)), LETTER_SIZE + 10, LETTER_SIZE + 10, [x + round(side) for x in box])
    small = np.clip(_resize(_gaussian_blur(square, sigma=1), 28, 28), 0, None)
    return np.uint8(np.round(255 * small / small.max())), side / 28


def stroke_width(image):
    """The mean width of a letter's strokes, in pixels: 2 × its area / the length of its outline.

    A stroke w pixels wide and L long covers w L pixels and has an outline
    about 2 L long. The letter is where ``image`` (uint8, 0–255) is at least
    half-strength; the outline is counted as the pixel edges between letter and
    background, so a slanted stroke reads a little thinner than it is.
    """
    letter = np.pad(np.asarray(image) >= 128, 1)
    outline = np.sum(letter[1:] != letter[:-1]) + np.sum(letter[:, 1:] != letter[:, :-1])
    return 2 * letter.sum() / max(outline, 1)


def widen(ink, pixels):
    """The ink with its strokes ``pixels`` wider on each side: a grey dilation, the last fraction blended in."""
    whole, fraction = divmod(pixels, 1)
    wider = np.pad(ink, int(whole) + 1)  # room to grow at the picture's edge
    for _ in range(int(whole)):
        wider = dilate(wider)
    return (1 - fraction) * wider + fraction * dilate(wider)


def read_picture(picture):
    """A path, ``PIL.Image`` or array -> grayscale floats (H, W) in [0, 1], 0 black: upright, transparency on white."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # Pillow comes with matplotlib

    if isinstance(picture, (str, os.PathLike)):
        path = Path(picture)
        if not path.is_file():
            raise FileNotFoundError(f"No image at {path}: give the path of a PNG or JPG of one letter.")
        try:
            with Image.open(path) as image:
                return read_picture(image)
        except (UnidentifiedImageError, OSError) as err:
            raise ValueError(f"{path} is not an image that can be read (PNG or JPG): {err}") from None
    if isinstance(picture, Image.Image):
        image = ImageOps.exif_transpose(picture)  # a phone stores portrait photos sideways, with a note to turn them
        if image.mode in ("P", "PA", "LA", "La", "RGBa") or "transparency" in image.info:
            image = image.convert("RGBA")  # palette and transparency become plain RGBA
        elif image.mode == "I":  # 16-bit grayscale, as older Pillows open it
            image = Image.fromarray(np.clip(np.asarray(image), 0, 65535).astype(np.uint16))
        elif image.mode not in ("1", "L", "RGB", "RGBA", "F") and not image.mode.startswith("I;16"):
            image = image.convert("RGB")  # CMYK, YCbCr, …
        picture = np.asarray(image)
    a = np.asarray(picture)
    if a.dtype == bool:
        a = a.astype(np.float64)
    elif a.dtype.kind == "u" and a.dtype.itemsize in (1, 2):
        a = a / np.iinfo(a.dtype).max  # uint8 or uint16: full scale is 255 or 65535
    elif a.dtype.kind == "f" and np.all(np.isfinite(a)) and a.size and 0 <= a.min() and a.max() <= 1:
        a = a.astype(np.float64)
    else:
        raise ValueError(
            f"Give an image of uint8, uint16 or floats in [0, 1]; got {a.dtype} values (scale them first)."
        )
    if a.ndim == 3 and a.shape[2] in (3, 4):
        gray = a[..., :3] @ [0.299, 0.587, 0.114]  # luminance, as Pillow's "L"
        if a.shape[2] == 4:
            gray = gray * a[..., 3] + (1 - a[..., 3])  # transparent parts become white paper
        a = gray
    if a.ndim != 2 or min(a.shape) < 8:
        raise ValueError(
            f"Give a picture of shape (H, W), (H, W, 3) or (H, W, 4), at least 8 x 8 pixels; got {np.shape(picture)}."
        )
    return a


def find_letter(gray, work_size=256):
    """The letter's ink strength in [0, 1] (0 for paper), bright on dark as EMNIST, at most ``work_size`` pixels wide.

    Otsu's threshold splits the picture into two classes. The paper is the
    class with the largest connected region (ink is strokes, paper is one
    piece), so light paper, gray paper, chalk on a board and a sheet on a desk
    all work. ``letter_mask`` keeps the letter and drops specks and the desk.
    The ink is then measured from the paper's level, less a noise floor (the
    paper's grain), and scaled so that the median ink pixel is 1.
    """
    gray = _shrink(gray, work_size)
    if np.ptp(gray) < 0.05:
        raise ValueError("The picture looks blank: no ink stands out from the paper. Give a picture of one letter.")
    dark = gray < otsu_threshold(gray)
    paper_is_light = _largest_region(~dark) >= _largest_region(dark)
    ink = dark if paper_is_light else ~dark
    strength = 1 - gray if paper_is_light else gray  # bright ink on dark paper, as in EMNIST
    strength = strength - np.median(strength[~ink])
    floor, ink_level = np.percentile(strength[~ink], 99), np.median(strength[ink])
    if ink_level - floor < 0.05:
        raise ValueError("The picture looks blank: no ink stands out from the paper. Give a picture of one letter.")
    strength = np.clip((strength - floor) / (ink_level - floor), 0, 1)
    return strength * dilate(dilate(letter_mask(ink)))  # grown by 2 pixels, to keep the strokes' soft edges


def otsu_threshold(gray):
    """The gray level that best splits a picture into two classes (Otsu, 1979).

    Among 256 levels, the one with the largest between-class variance
    w₀ w₁ (μ₀ − μ₁)², where w is each class's share of the pixels and μ its mean.
    """
    counts, edges = np.histogram(gray, bins=256, range=(0, 1))
    levels = (edges[:-1] + edges[1:]) / 2
    w0 = np.cumsum(counts) / counts.sum()  # the share at or below each level
    m0 = np.cumsum(counts * levels) / counts.sum()  # w₀ μ₀
    with np.errstate(invalid="ignore", divide="ignore"):
        between = (m0[-1] * w0 - m0) ** 2 / (w0 * (1 - w0))  # = w₀ w₁ (μ₀ − μ₁)²
    return levels[np.nanargmax(between)]


def connected_regions(mask):
    """Label the 8-connected regions of a boolean mask: -1 off the mask, else a label shared by its region.

    Label propagation: each pixel starts with its own index and takes, again
    and again, the largest label around it, until nothing changes. Taking the
    label of that label too (pointer jumping) carries labels far in one round.
    """
    labels = np.where(mask, np.arange(mask.size).reshape(mask.shape), -1)
    while True:
        grown = np.where(mask, dilate(labels), -1)
        grown[mask] = grown.flat[grown[mask]]  # the label of my label
        if np.array_equal(grown, labels):
            return labels
        labels = grown


def letter_mask(ink):
    """The letter in an ink mask: its largest region, with the regions near it (an "i" keeps its dot).

    Regions touching the picture's edge (a desk, a shadow) and specks away
    from the letter are dropped. A letter that touches the edge is kept when
    there is nothing else.
    """
    labels = connected_regions(ink)
    sizes = np.bincount(labels[ink], minlength=ink.size)
    inside = sizes.copy()
    inside[_border(labels)[_border(labels) >= 0]] = 0
    if inside.any():
        sizes = inside
    rows, cols = np.nonzero(labels == np.argmax(sizes))
    margin = max(np.ptp(rows), np.ptp(cols)) // 2 + 1  # "near" is within half the letter's size
    near = np.zeros_like(ink)
    near[
        max(rows.min() - margin, 0) : rows.max() + margin + 1, max(cols.min() - margin, 0) : cols.max() + margin + 1
    ] = 1
    keep = np.unique(labels[near & ink])
    keep = keep[sizes[keep] >= 0.02 * sizes.max()]  # not specks: at least 2% of the letter's main stroke
    return np.isin(labels, keep)


def _largest_region(mask):
    labels = connected_regions(mask)
    return np.bincount(labels[mask]).max() if mask.any() else 0


def _border(image):
    """The pixels along the picture's four edges."""
    return np.concatenate([image[0], image[-1], image[:, 0], image[:, -1]])


def _gaussian_blur(image, sigma):
    """Blur a float image in [0, 1] with a Gaussian of standard deviation ``sigma`` pixels.

    Pillow (which comes with matplotlib) does the blur; it works on 8-bit
    images, whose rounding (1/255) is far below what the 28 x 28 result keeps.
    """
    from PIL import Image, ImageFilter

    eight_bit = Image.fromarray(np.uint8(np.round(255 * np.clip(image, 0, 1))))
    return np.asarray(eight_bit.filter(ImageFilter.GaussianBlur(sigma)), dtype=np.float64) / 255


def _resize(image, width, height, box=None):
    """Bicubic resize of a float image, or of the part of it inside ``box`` (left, top, right, bottom)."""
    from PIL import Image

    resized = Image.fromarray(np.float32(image)).resize((width, height), Image.BICUBIC, box=box)
    return np.asarray(resized, dtype=np.float64)


def _shrink(image, size):
    """The image, shrunk so that its longer side is at most ``size`` pixels (for speed)."""
    scale = size / max(image.shape)
    if scale >= 1:
        return image
    return np.clip(_resize(image, round(image.shape[1] * scale), round(image.shape[0] * scale)), 0, 1)
