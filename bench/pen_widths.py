"""Photos of letters written with other pens: how wide preprocess_image should make strokes that are too thin.

``handwriting.letter_image`` widens strokes thinner than ``MIN_STROKE_WIDTH``
pixels. This script chose that width. It trains ``choose_best.BEST`` on the
``train`` part of "real EMNIST letters a–m (8,000 images)" (seeds 1 and 2),
turns ``N`` images of the ``choose`` part into photos written with thinner and
thicker pens (tests/photo_kinds.py, ``other_pen``: strokes grown or shrunk by
some pixels on each side at 8 x scale, where EMNIST's strokes are about 18
pixels wide), and prints, for each smallest width tried (0: none), the share of
photos whose letter the network reads right; then the same for the plain
network of the notebook's defaults (``choose_best.plain_settings``, seed 1),
which reads photos in the lesson. The photos are SYNTHETIC, made from
real letters: the real target is photos of other writers' letters.

Run from the repository root:

    OMP_NUM_THREADS=1 python bench/pen_widths.py [--n 300] [--seeds 1 2]
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import choose_best  # noqa: E402  (it puts the repository and tests/ on the path)
from photo_kinds import other_pen, to_uint8  # noqa: E402
from real_letters import real_inputs, real_letters  # noqa: E402

import emnist_data  # noqa: E402
import handwriting  # noqa: E402

PENS = (-4, -2, 0, 3, 6)  # pixels wider on each side at 8 x scale: negative is thinner
WIDTHS = (0.0, 2.2, 2.6, 3.0, 3.4, 3.8)  # EMNIST's median is 2.2, its 90th percentile 3.1 (see MIN_STROKE_WIDTH)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="choose images written with each pen")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    images, labels = real_letters("choose")
    chosen = np.random.default_rng(0).choice(len(images), args.n, replace=False)  # the part is sorted by letter
    start = time.perf_counter()
    inks = {}  # the ink of each pen's photos, found once and made into images at each width
    for pen in PENS:
        rng = np.random.default_rng(1)
        inks[pen] = [
            handwriting.find_letter(handwriting.read_picture(to_uint8(other_pen(image, rng, pen))))
            for image in images[chosen]
        ]
    made = {  # the 28 x 28 images preprocess_image would give, for each smallest width and pen
        (width, pen): np.array([handwriting.letter_image(ink, width) for ink in inks[pen]])
        for width in WIDTHS
        for pen in PENS
    }
    widths = {width: np.median([handwriting.stroke_width(image) for image in made[width, 0]]) for width in WIDTHS}
    inputs = {key: emnist_data.prepare_inputs(made_images) for key, made_images in made.items()}
    print(f"{choose_best.LABEL}: SYNTHETIC photos of {args.n} choose images, written with other pens; accuracy")
    for name, settings, seeds in (("BEST", choose_best.BEST, args.seeds), ("plain", choose_best.plain_settings(), [1])):
        nets = [choose_best.train(settings, *real_inputs("train"), seed=seed)[0] for seed in seeds]
        originals = emnist_data.prepare_inputs(images[chosen])
        print(f"\n{name}, trained on the train part (4,000), seeds {seeds} (the mean of their accuracies)")
        print(
            f"the same images as EMNIST has them: {np.mean([n.accuracy(originals, labels[chosen]) for n in nets]):.3f}"
        )
        print(f"{'pen (px at 8x)':>26} " + " ".join(f"{pen:>+6}" for pen in PENS) + "    mean")
        for width in WIDTHS:
            row = [np.mean([n.accuracy(inputs[width, pen], labels[chosen]) for n in nets]) for pen in PENS]
            print(
                f"{'smallest width ' + format(width, '.1f'):>20} ({widths[width]:.1f}) "
                + " ".join(f"{a:>6.3f}" for a in row)
                + f"  {np.mean(row):.3f}",
                flush=True,
            )
    print(
        f"(in brackets: the median stroke width of the pen +0 photos at that setting)  {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
