"""How often predict_image reads a photo of a letter as the network reads the letter itself.

Real EMNIST letters a–m (8,000 images) from tests/data: a network with the
notebook's default settings (its cell tagged ``parameters``: layer sizes,
epochs, batch size, learning rate, seed) is trained on the ``train`` part
(4,000 images), then each of
``N`` images of the ``choose`` part is turned into each kind of picture in
tests/photo_kinds.py (clean scan, EXIF-rotated JPG, transparent PNG, gray
paper, sheet on a dark desk, specks, chalk, 16-bit PNG, PIL image, NumPy
array). For each kind it prints the share of pictures whose top letter from
``predict_image`` equals the network's reading of the original 28 x 28 image
(target: at least 0.9 for every kind), and the mean time per picture.
Run from the repository root:

    python bench/bench_photos.py [N]        # N = 300 by default
"""

import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
from conftest import notebook_defaults
from photo_kinds import KINDS
from real_letters import real_inputs, real_letters

import emnist_data
import handwriting
import nn_helpers as nn


def main(n=300):
    settings = notebook_defaults()
    net = nn.Network(settings["LAYER_SIZES"], seed=settings["SEED"])
    x, y = real_inputs("train")
    epochs = round(settings["IMAGES_SEEN"] / 112_320)  # the notebook's epochs of the full training set
    net.train(x, y, epochs, settings["BATCH_SIZE"], settings["LEARNING_RATE"], progress=False)
    images, labels = real_letters("choose")
    chosen = np.random.default_rng(0).choice(len(images), n, replace=False)  # the part is sorted by letter
    readings = net.predict(emnist_data.prepare_inputs(images[chosen]))
    print(f"real EMNIST letters a–m (8,000 images): {n} images of the choose part, network trained on the train part")
    print(f"network {net.sizes}, {epochs} epochs, batch {settings['BATCH_SIZE']}, rate {settings['LEARNING_RATE']}")
    print(f"network's accuracy on these originals: {np.mean(readings == labels[chosen]):.3f}")
    print(f"{'kind':<22} {'same top letter':>15} {'ms per picture':>15}")
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as folder:
        for kind, make in KINDS.items():
            same, seconds = 0, 0.0
            for image, reading in zip(images[chosen], readings):
                picture = make(image, Path(folder), rng)
                start = time.perf_counter()
                same += handwriting.predict_image(net, picture, top=1)[0][0] == emnist_data.LETTERS[reading]
                seconds += time.perf_counter() - start
            print(f"{kind:<22} {same / n:>15.3f} {1000 * seconds / n:>15.0f}")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:]))
