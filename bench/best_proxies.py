"""Beyond the choose part: how the best network reads handwriting unlike its training images.

The real target of bench/choose_best.py is other writers and other pens. This
script trains ``BEST`` (or BEST changed by a Python dict given on the command
line) on the ``train`` part (4,000 images) of "real EMNIST letters a–m (8,000
images)" and prints its accuracy on proxies for that target, none of which
chose anything unless said so:

- the ``choose`` part itself, and the same images with strokes made thicker
  or thinner (``augmentation.thicken_strokes`` on every image), turned by ±15°
  (beyond the distortions' ±10°) and slanted by ±0.3;
- the 122 real images of a–m in EMNIST's *balanced* split kept in
  /work/shared/data/emnist/real (other writers; tiny, so ±0.03 is noise);
- synthetic "photos" of ``N`` choose images (tests/photo_kinds.py: a clean
  scan, gray paper, a sheet on a dark desk, chalk), read through
  ``handwriting.predict_image``: the share whose top letter is the true one.

Run from the repository root:

    python bench/best_proxies.py ["{'shift': 1, 'distort': None}"] [--seed 1] [--n 200]
"""

import argparse
import ast
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import choose_best  # noqa: E402  (it puts the repository and tests/ on the path)
from photo_kinds import KINDS  # noqa: E402
from real_letters import real_inputs, real_letters  # noqa: E402

import augmentation  # noqa: E402
import emnist_data  # noqa: E402
import handwriting  # noqa: E402

BALANCED = Path("/work/shared/data/emnist/real/emnist-letters-balancedtest122")
PHOTO_KINDS = ("clean scan", "gray paper", "sheet on a dark desk", "chalk")


def balanced_a_to_m():
    """The real a–m images of the balanced split's 122 as inputs and labels, or None where the files are absent."""
    if not Path(f"{BALANCED}-images-idx3-ubyte.gz").exists():
        return None
    images = emnist_data.read_idx(Path(f"{BALANCED}-images-idx3-ubyte.gz"), ndim=3)
    labels = emnist_data.read_idx(Path(f"{BALANCED}-labels-idx1-ubyte.gz"), ndim=1)
    images, labels = emnist_data.orient_letters(images, labels, "balanced 122")
    keep = labels < 13
    return emnist_data.prepare_inputs(images[keep]), labels[keep]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("changes", nargs="?", default="{}", help="changes to BEST, a Python dict literal")
    parser.add_argument("--seed", type=int, default=choose_best.SEED)
    parser.add_argument("--n", type=int, default=200, help="choose images rendered as each kind of photo")
    args = parser.parse_args()
    changes = ast.literal_eval(args.changes)
    settings = dict(choose_best.BEST, **changes)
    net, _ = choose_best.train(settings, *real_inputs("train"), seed=args.seed)
    x, y = real_inputs("choose")
    every = np.arange(len(x))
    rows = {"choose part (chose the settings)": x}
    rows["  strokes thicker"] = augmentation.thicken_strokes(x.copy(), every, thicker=True)
    rows["  strokes thinner"] = augmentation.thicken_strokes(x.copy(), every, thicker=False)
    for name, amounts in (("turned +15°", dict(rotation=15)), ("turned −15°", dict(rotation=-15))):
        rows["  " + name] = augmentation.transform_images(x, **amounts)
    for name, amounts in (("slanted +0.3", dict(shear=0.3)), ("slanted −0.3", dict(shear=-0.3))):
        rows["  " + name] = augmentation.transform_images(x, **amounts)
    print(f"{choose_best.LABEL}: trained on the train part (4,000), seed {args.seed}; settings {settings}")
    for name, images in rows.items():
        print(f"{name:<40} {net.accuracy(images, y):.3f}")
    balanced = balanced_a_to_m()
    if balanced is not None:
        print(
            f"{'balanced split, a–m (' + str(len(balanced[1])) + ' real, other writers)':<40} {net.accuracy(*balanced):.3f}"
        )
    images, labels = real_letters("choose")
    chosen = np.random.default_rng(0).choice(len(images), args.n, replace=False)  # the part is sorted by letter
    rng, right = np.random.default_rng(1), []
    with tempfile.TemporaryDirectory() as folder:
        for kind in PHOTO_KINDS:
            hits = [
                handwriting.predict_image(net, KINDS[kind](image, Path(folder), rng), top=1)[0][0]
                == emnist_data.LETTERS[label]
                for image, label in zip(images[chosen], labels[chosen])
            ]
            right.append(np.mean(hits))
            print(f"{'synthetic photos: ' + kind:<40} {right[-1]:.3f}")
    print(f"{'synthetic photos, mean of the kinds':<40} {np.mean(right):.3f}  ({args.n} choose images each)")


if __name__ == "__main__":
    main()
