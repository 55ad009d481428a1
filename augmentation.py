"""Cures that change the training images: shifts, distortions and thicker or thinner strokes.

A letter moved by a pixel, turned a little, bent by a wobbling hand or
written with another pen is still the same letter, so changing every
training image a little, anew each epoch, gives the network more data for
free (*data augmentation*). ``Network.train(..., augment=...)`` takes one of
the functions at the end, ``random_shifts``, ``random_distortions`` or
``random_elastic``, and calls it at the start of each epoch. Images are rows
(n, 784) of pixels in [0, 1].

- ``shift_images``: moves by whole pixels;
- ``transform_images``: turns, scales, slants and moves, by the inverse map and
  bilinear interpolation, and bends by displacement fields if given;
  ``distort_images`` draws its amounts at random;
- ``elastic_fields``: Simard's elastic distortions, random displacements
  smoothed by a Gaussian (``gaussian_kernel``), which bend a letter;
- ``thicken_strokes``: strokes about half a pixel thicker or thinner;
  ``dilate`` is the grey dilation under it.
"""

import functools
import math
from numbers import Integral, Real

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def shift_images(x, shift, rng, out=None):
    """Data augmentation: move each 28×28 image by a random whole number of pixels, in x and in y.

    ``x`` holds images as rows (n, 784). Each image moves by dy rows and dx
    columns, each drawn independently from [−shift, shift]: the new pixel
    (r, c) is the old (r − dy, c − dx). The pixels that move in are 0.
    Returns rows (n, 784), written into ``out`` if given.

    Put an image in a frame of ``shift`` zeros on every side: the image moved
    by (dy, dx) is then the 28×28 window of the framed image that starts at
    row shift − dy and column shift − dx. One indexing step cuts the windows
    of many images at once, with no loop over the images.
    """
    if x.ndim != 2 or x.shape[1] != 784:
        raise ValueError(f"shift_images moves 28×28 images, so x must have shape (n, 784); got {x.shape}")
    n, side = len(x), 28 + 2 * shift
    dy = rng.integers(-shift, shift + 1, n)
    dx = rng.integers(-shift, shift + 1, n)
    rows, columns = shift - dy, shift - dx
    out = np.empty((n, 784), x.dtype) if out is None else out
    # 1,024 images at a time, in small arrays that are reused: arrays for all n images
    # would need fresh memory every epoch, and getting it is slower than the work.
    framed = np.zeros((1024, side, side), x.dtype)  # only the middle is written: the frame stays 0
    for start in range(0, n, 1024):
        part = slice(start, start + 1024)
        count = len(rows[part])
        framed[:count, shift : shift + 28, shift : shift + 28] = x[part].reshape(-1, 28, 28)
        windows = sliding_window_view(framed[:count], (28, 28), axis=(1, 2))  # [i, r, c] = framed[i, r:r+28, c:c+28]
        out[part] = windows[np.arange(count), rows[part], columns[part]].reshape(-1, 784)
    return out


# The pixel grid of a 28×28 image as columns (x, y, 1), x the column and y the row, both
# measured from the image centre (13.5, 13.5): one matrix product maps every pixel at once.
_CENTRE = 13.5
_ys, _xs = np.mgrid[0:28, 0:28].astype(np.float32) - _CENTRE
_GRID = np.stack([_xs.ravel(), _ys.ravel(), np.ones(784, np.float32)])  # (3, 784)
del _ys, _xs
_BORDER = 2  # zeros around each image, so samples that fall outside it read 0 with no masks
_CHUNK = 256  # images per step: small reused arrays that stay in the cache (faster here than 1,024)
_BANK = 1024  # elastic fields drawn per call of distort_images, at most (see its docstring)
_MAX_SIGMA = 10.0  # the widest elastic smoothing, in pixels (see elastic_fields)


def transform_images(x, rotation=0.0, scale=1.0, shear=0.0, dx=0.0, dy=0.0, out=None, fields=None):
    """Move, turn, stretch and slant 28×28 images: the same affine map for all, or one per image.

    ``x`` holds images as rows (n, 784), pixels in [0, 1]. Each amount is a
    number, or an array of n numbers, one per image:

    - ``rotation``: degrees about the image centre, anticlockwise as the image
      is shown (rows going down), so 90 gives ``np.rot90(image)``;
    - ``scale``: a factor, 1.1 makes the letter 10% bigger;
    - ``shear``: a factor, the slant of a row ``y`` pixels below the centre
      moving ``shear · y`` pixels to the right (italics lean with ``shear < 0``);
    - ``dx``, ``dy``: pixels to the right and down, fractions allowed, as in
      ``shift_images``: the new pixel (r, c) is the old (r − dy, c − dx).

    The letter is first scaled, then sheared, then turned, then moved.
    ``fields``, if given, bends it too: displacement fields (n, 2, 28, 28),
    such as ``elastic_fields`` draws, in pixels; the new pixel (r, c) comes
    from ``fields[i, 0, r, c]`` further right and ``fields[i, 1, r, c]``
    further down than the affine map alone says (Simard's elastic
    distortions: one interpolation for both). Returns rows (n, 784) in
    [0, 1], written into ``out`` if given (``out`` may be ``x`` itself).

    How: the *inverse* map. Rather than sending each input pixel somewhere
    (which leaves holes where no pixel lands), each output pixel asks where
    in the input it comes from: undo the move, the turn, the slant and the
    scale on its coordinates. That point usually falls between four pixels,
    so its value is their blend by *bilinear interpolation*: mix the two
    upper pixels by how far the point is from each along the row, the same
    for the two lower ones, then mix those two results by how far it is from
    each down the column. A point outside the image reads 0 (black).

    With whole-pixel moves and quarter turns every point lands exactly on a
    pixel, so the output is the input's pixels, moved, with no blur.
    """
    x, out = _images_and_out(x, out)
    n = len(x)
    inverse = _inverse_maps(n, rotation=rotation, scale=scale, shear=shear, dx=dx, dy=dy)
    displacement = None
    if fields is not None:
        fields = np.asarray(fields, np.float32)
        if fields.shape != (n, 2, 28, 28) or not np.all(np.isfinite(fields)):
            raise ValueError(
                f"fields must be finite displacements in pixels, shape {(n, 2, 28, 28)} (one Δx and one Δy "
                f"per pixel of each image), such as elastic_fields draws; got shape {fields.shape}"
            )
        displacement = lambda start, k: fields[start : start + k]  # noqa: E731  (image i takes fields[i])
    return _resample(x, inverse, out, displacement)


def _images_and_out(x, out):
    """``x`` as an array of images as rows (n, 784), and ``out`` checked, or a new array for the result."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != 784:
        raise ValueError(f"x must hold 28×28 images as rows, shape (n, 784); got {x.shape}")
    out = np.empty(x.shape, x.dtype) if out is None else out
    if out.shape != x.shape:
        raise ValueError(f"out must have shape {x.shape}, got {out.shape}")
    return x, out


def _inverse_maps(n, **amounts):
    """The checked amounts of ``transform_images`` as n inverse maps (n, 2, 3), float32, in framed pixel indices."""
    for name, value in amounts.items():
        try:
            value = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,))
        except (TypeError, ValueError):
            raise ValueError(
                f"{name} must be a number or an array of {n} numbers, one per image; got {value!r}"
            ) from None
        if not np.all(np.isfinite(value)):
            raise ValueError(f"{name} must be finite")
        amounts[name] = value
    if np.any(amounts["scale"] <= 0):
        raise ValueError("scale must be a positive factor (1 keeps the size)")

    # The inverse map for each image, as a 2×3 matrix on (x, y, 1) from the centre:
    # source = S⁻¹ H⁻¹ R⁻¹ (target − (dx, dy)), for the forward map target = R H S source + (dx, dy).
    angle = np.radians(amounts["rotation"])
    cos, sin = np.cos(angle), np.sin(angle)
    cos[np.abs(cos) < 1e-12], sin[np.abs(sin) < 1e-12] = 0.0, 0.0  # quarter turns exact: cos 90° is 0, not 6e-17
    # R turns anticlockwise on screen (y down): R = [[cos, sin], [−sin, cos]], so R⁻¹ = [[cos, −sin], [sin, cos]].
    # H = [[1, shear], [0, 1]], H⁻¹ = [[1, −shear], [0, 1]]; S⁻¹ = 1/scale.
    shear_, inv_scale = amounts["shear"], 1.0 / amounts["scale"]
    inverse = np.empty((n, 2, 3))
    inverse[:, 0, 0] = (cos - shear_ * sin) * inv_scale
    inverse[:, 0, 1] = (-sin - shear_ * cos) * inv_scale
    inverse[:, 1, 0] = sin * inv_scale
    inverse[:, 1, 1] = cos * inv_scale
    inverse[:, :, 2] = -(inverse[:, :, :2] @ np.stack([amounts["dx"], amounts["dy"]], axis=1)[:, :, None])[:, :, 0]
    inverse[:, :, 2] += _CENTRE + _BORDER  # back to pixel indices, in the framed image
    return inverse.astype(np.float32)


def _resample(x, inverse, out, displacement=None):
    """Write into ``out`` each image of ``x`` read at the points its inverse map gives, by bilinear interpolation.

    ``inverse`` (n, 2, 3) from ``_inverse_maps``; ``displacement``, if given, is a function
    ``(start, k)`` giving the displacements (k, 2, 28, 28) to add to the points of images start to start + k.
    """
    n = len(x)
    # Reused arrays for one chunk of images; the frame of zeros is never written.
    side = 28 + 2 * _BORDER
    framed = np.zeros((_CHUNK, side, side), np.float32)
    flat = framed.reshape(-1)
    points = np.empty((_CHUNK, 2, 784), np.float32)  # where each output pixel comes from: x and y
    corner = np.empty((_CHUNK, 2, 784), np.float32)  # the pixel up and left of that point
    index = np.empty((_CHUNK, 784), np.intp)
    starts = (np.arange(_CHUNK, dtype=np.float32) * side * side)[:, None]  # where each framed image starts in flat
    upper_left, upper_right, lower_left, lower_right = (np.empty((_CHUNK, 784), np.float32) for _ in range(4))
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        k = len(x[part])
        framed[:k, _BORDER : _BORDER + 28, _BORDER : _BORDER + 28] = x[part].reshape(-1, 28, 28)
        p, c = points[:k], corner[:k]
        np.matmul(inverse[part], _GRID, out=p)  # every source point of every image in one product
        if displacement is not None:
            bent = p.reshape(k, 2, 28, 28)  # a view of the points, as fields
            bent += displacement(start, k)  # the elastic bend, on top of the affine map
        np.clip(p, _BORDER - 1, _BORDER + 28, out=p)  # far outside lands in the frame, which reads 0
        np.floor(p, out=c)  # the pixel up and left of each point (np.modf is 3× slower here)
        p -= c  # now the fractions: how far right of and below that pixel
        fx, fy = p[:, 0], p[:, 1]
        c[:, 1] *= side
        c[:, 0] += c[:, 1]
        c[:, 0] += starts[:k]
        np.copyto(index[:k], c[:, 0], casting="unsafe")  # the flat index of the upper-left pixel
        i = index[:k]
        a, b = upper_left[:k], upper_right[:k]
        np.take(flat, i, out=a, mode="clip")
        np.take(flat[1:], i, out=b, mode="clip")  # one pixel right: index + 1
        b -= a
        b *= fx
        a += b  # the upper pair, mixed along the row
        lo, lr = lower_left[:k], lower_right[:k]
        np.take(flat[side:], i, out=lo, mode="clip")  # one row down: index + side
        np.take(flat[side + 1 :], i, out=lr, mode="clip")
        lr -= lo
        lr *= fx
        lo += lr  # the lower pair, mixed along the row
        lo -= a
        lo *= fy
        a += lo  # the two mixed down the column
        np.clip(a, 0.0, 1.0, out=out[part])  # rounding must not step outside [0, 1]
    return out


def _check_elastic(sigma, alpha):
    """Raise a ValueError that says what to give unless σ and α are usable elastic amounts."""
    if not (isinstance(sigma, Real) and not isinstance(sigma, bool) and 0 < sigma <= _MAX_SIGMA):
        raise ValueError(
            f"sigma must be a number above 0 and at most {_MAX_SIGMA:g}: the width in pixels of the Gaussian "
            f"that smooths the elastic fields (Simard used 4); got {sigma!r}"
        )
    if not (isinstance(alpha, Real) and not isinstance(alpha, bool) and np.isfinite(alpha) and alpha >= 0):
        raise ValueError(
            f"alpha must be a finite number ≥ 0: how strongly the smoothed fields bend the letter, in pixels "
            f"(0 turns it off); got {alpha!r}"
        )


def gaussian_kernel(sigma):
    """The weights of a Gaussian of width ``sigma`` pixels at −r, …, 0, …, r, r = ⌈3σ⌉ (at least 1), summing to 1."""
    radius = max(1, math.ceil(3 * sigma))
    weights = np.exp(-0.5 * (np.arange(-radius, radius + 1) / sigma) ** 2)
    return weights / weights.sum()


def gaussian_smooth(a, sigma):
    """Smooth the last two axes of ``a`` by a Gaussian of width ``sigma`` pixels, where the whole Gaussian fits.

    Each value of the result is the weighted mean of the values around it,
    with the weights of a 2-D Gaussian. A 2-D Gaussian is separable: a 1-D
    one (``gaussian_kernel``, radius r) along the rows, then down the
    columns, each a matrix product with a band matrix whose row i holds the
    weights centred on i + r. Only where the whole kernel fits: (..., h, w)
    gives (..., h − 2r, w − 2r).
    """
    weights = gaussian_kernel(sigma).astype(np.float32)
    size = len(weights)  # 2r + 1

    def band(width):  # (width − 2r, width): (band(width) @ v)[i] = Σ_j weights[j] v[i + j]
        matrix = np.zeros((width - size + 1, width), np.float32)
        for i in range(len(matrix)):
            matrix[i, i : i + size] = weights
        return matrix

    height, width = a.shape[-2:]
    return band(height) @ (a @ band(width).T)  # along each row, then down each column


def elastic_fields(n, sigma, alpha, rng):
    """Simard's elastic distortion fields: n smooth random displacements (n, 2, 28, 28), Δx then Δy, in pixels.

    For each image, every pixel draws a Δx and a Δy uniformly from [−1, 1];
    each of the two fields is smoothed by a Gaussian of width ``sigma``
    pixels (``gaussian_smooth``), then multiplied by ``alpha`` (Simard,
    Steinkraus and Platt, 2003, used σ = 4 and α = 34 on digits). Alone the
    draws would tear a letter apart; smoothed, neighbouring pixels move
    together and the letter bends, like the wobble of a hand. A wide σ gives
    gentle bends, and smaller displacements for the same α (the mean of more
    draws).

    The draws cover the image and ⌈3σ⌉ pixels around it, so a pixel near the
    edge averages as many draws as one in the middle: the field is as strong
    at the edges as in the centre. ``sigma`` is at most 10 pixels: wider
    fields hardly bend a 28×28 letter, they move it, which
    ``distort_images`` does already.
    """
    _check_elastic(sigma, alpha)
    if not (isinstance(n, Integral) and not isinstance(n, bool) and n >= 0):
        raise ValueError(f"n must be a whole number of fields ≥ 0, got {n!r}")
    wide = 28 + 2 * (len(gaussian_kernel(sigma)) // 2)
    draws = rng.random((n, 2, wide, wide), dtype=np.float32)
    draws *= 2
    draws -= 1  # uniform in [−1, 1)
    fields = gaussian_smooth(draws, sigma)
    fields *= alpha
    return fields


def distort_images(x, rng, rotation=10.0, scale=0.1, shear=0.2, translation=2.0, thickness=0.0, elastic=None, out=None):
    """Data augmentation: a random affine distortion of each 28×28 image, by ``transform_images``.

    Each image draws its own amounts, uniformly: a turn of up to ±``rotation``
    degrees, a size factor in 1 ± ``scale``, a slant in ±``shear`` and a move
    of up to ±``translation`` pixels in x and in y, in fractions of a pixel.
    An amount of 0 turns that distortion off. The defaults (±10°, ±10%, ±0.2,
    ±2 px) keep a letter readable. Returns rows (n, 784) in [0, 1], written
    into ``out`` if given (``out`` may be ``x``).

    Other pens draw thicker or thinner lines: ``thickness`` is the share of
    images whose strokes change, half of them made thicker, half thinner, by
    ``thicken_strokes``, after the affine map (0, the default, changes none).

    A hand wobbles: ``elastic=dict(sigma=σ, alpha=α)`` bends each image too,
    by a random smooth field of ``elastic_fields`` (Simard's elastic
    distortions), added to the affine map's points so each image is
    interpolated once. With up to 1,024 images, each draws its own field, as
    Simard did. With more, a field for every image would cost more than a
    whole epoch of training (about 2 to 3 s per epoch for 112,320 images at
    σ = 4 to 6, bench/README.md), so one call draws a *bank* of 1,024 fields
    (a few hundredths of a second) and each chunk of 256 images takes 256
    neighbouring fields of the bank, from a place drawn at random. So each
    image is bent by a field drawn anew at each call (each epoch), shared by
    about one image in 1,024 (110 of 112,320), each with its own affine
    amounts; reading the bank costs one addition per pixel.
    """
    for name, value in (("rotation", rotation), ("scale", scale), ("shear", shear), ("translation", translation)):
        if not (isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value) and value >= 0):
            raise ValueError(f"{name} must be a number ≥ 0 (the largest amount drawn; 0 turns it off), got {value!r}")
    if scale >= 1:
        raise ValueError(f"scale must be below 1: sizes are drawn from 1 ± scale and must stay positive; got {scale}")
    if not (isinstance(thickness, Real) and not isinstance(thickness, bool) and 0 <= thickness <= 1):
        raise ValueError(f"thickness must be a share of the images, from 0 to 1; got {thickness!r}")
    if elastic is not None:
        if not (isinstance(elastic, dict) and set(elastic) == {"sigma", "alpha"}):
            raise ValueError(f"elastic must be None (off) or dict(sigma=..., alpha=...), got {elastic!r}")
        _check_elastic(elastic["sigma"], elastic["alpha"])
    x, out = _images_and_out(x, out)
    n = len(x)
    inverse = _inverse_maps(
        n,
        rotation=rng.uniform(-rotation, rotation, n),
        scale=rng.uniform(1 - scale, 1 + scale, n),
        shear=rng.uniform(-shear, shear, n),
        dx=rng.uniform(-translation, translation, n),
        dy=rng.uniform(-translation, translation, n),
    )
    displacement = None if elastic is None else _elastic_bank(n, elastic["sigma"], elastic["alpha"], rng)
    _resample(x, inverse, out, displacement)
    if thickness:  # drawn only when asked for, so thickness 0 leaves the random numbers as they were
        draw = rng.random(n)
        thicken_strokes(out, np.flatnonzero(draw < thickness / 2), thicker=True)
        thicken_strokes(out, np.flatnonzero((draw >= thickness / 2) & (draw < thickness)), thicker=False)
    return out


def _elastic_bank(n, sigma, alpha, rng):
    """For n images, the function ``(start, k)`` that ``_resample`` asks for displacements: see ``distort_images``."""
    bank = elastic_fields(min(n, _BANK), sigma, alpha, rng)
    if n <= _BANK:
        return lambda start, k: bank[start : start + k]  # each image its own field
    places = rng.integers(0, _BANK - _CHUNK + 1, -(-n // _CHUNK))  # where each chunk's run of fields starts

    def displacement(start, k):
        place = places[start // _CHUNK]
        return bank[place : place + k]  # a view, no copy

    return displacement


def dilate(a, outside=None):
    """Each pixel's largest value among itself and its 8 neighbours: a grey *dilation* (for a mask, it grows).

    It works on the last two axes, so on one image or on a batch of them at
    once. Beyond the edge counts as ``outside`` (by default the smallest value
    of ``a``, which never wins). ``-dilate(-a)`` is the grey *erosion*.
    """
    fill = a.min() if outside is None else outside
    padded = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(1, 1), (1, 1)], constant_values=fill)
    height, width = a.shape[-2:]
    return functools.reduce(
        np.maximum, (padded[..., i : i + height, j : j + width] for i in range(3) for j in range(3))
    )


def thicken_strokes(x, which, thicker=True):
    """Make the strokes of images ``x[which]`` about half a pixel thicker on every side, or thinner, in place.

    Thicker: each pixel moves halfway to the brightest of its 3×3
    neighbourhood (the average of the image and its grey dilation, ``dilate``);
    thinner: halfway to the darkest (its grey erosion; pixels beyond the
    edge count as 0). A whole pixel on every side would turn a thin stroke
    into a blob or wipe it out. ``x`` holds rows (n, 784); ``which`` the row
    numbers.
    """
    images = x[which].reshape(-1, 28, 28)
    neighbours = dilate(images, outside=0) if thicker else -dilate(-images, outside=0)
    x[which] = ((images + neighbours) / 2).reshape(-1, 784)
    return x


def random_shifts(shift):
    """What ``Network.train(..., augment=random_shifts(2))`` calls each epoch: every image moved by up to ``shift`` pixels.

    Returns a function ``(x, rng, out)`` that writes ``shift_images(x, shift, rng)`` into ``out``.
    """
    if not (isinstance(shift, int) and not isinstance(shift, bool) and 0 < shift < 28):
        raise ValueError(f"shift must be a whole number of pixels from 1 to 27, got {shift!r}")
    return lambda x, rng, out: shift_images(x, shift, rng, out=out)


def random_distortions(**amounts):
    """What ``Network.train(..., augment=random_distortions())`` calls each epoch: every image distorted anew.

    ``amounts`` are ``distort_images``' (rotation, scale, shear, translation,
    thickness, elastic); without them, its defaults. Returns a function ``(x, rng, out)``.
    """
    distort_images(np.zeros((1, 784), np.float32), np.random.default_rng(0), **amounts)  # checks the amounts now
    return lambda x, rng, out: distort_images(x, rng, **amounts, out=out)


def random_elastic(sigma=4.0, alpha=34.0, **amounts):
    """What ``Network.train(..., augment=random_elastic())`` calls each epoch: the affine distortions and elastic ones.

    Every image is bent anew by Simard's elastic distortions of width
    ``sigma`` and strength ``alpha`` (``elastic_fields``), on top of
    ``distort_images``' affine ones, drawn with ``amounts`` (its defaults
    without them; give ``rotation=0, scale=0, shear=0, translation=0`` for
    elastic distortions alone). The defaults are Simard's, for digits; on
    real letters, bench/choose_best.py's elastic stage compares a few.
    Returns a function ``(x, rng, out)``.
    """
    return random_distortions(**amounts, elastic=dict(sigma=sigma, alpha=alpha))
