"""The figures of the notebook's "Look inside the network" section, measured on real handwriting.

Trains the plain network (the notebook's defaults, ``choose_best.plain_settings()``)
and the best one (``choose_best.BEST``) on the ``train`` part (4,000 images) of
the 8,000 real EMNIST test images of a–m in tests/data/, and measures on the
``choose`` part (2,000 images): accuracy under the adversarial nudge (FGSM)
and the ε that halves it, under rotation, Gaussian noise, shifts and thinner
or thicker strokes; the share of saturated neurons in a fresh network, the
plain one and one trained at rate 5; and the hidden layer's principal
components. Every figure is for "real EMNIST letters a–m (8,000 images)", 13
classes. BEST is read from bench/choose_best.py each run, so rerun this when
it changes. Run from the repository root:

    python bench/look_inside.py [--seed 1]
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
import choose_best  # noqa: E402
from real_letters import real_inputs  # noqa: E402

import augmentation  # noqa: E402
import evaluation  # noqa: E402
import looking_inside  # noqa: E402
import nn_helpers as nn  # noqa: E402
from emnist_data import LETTERS  # noqa: E402

EPSILONS = np.round(np.arange(0, 0.301, 0.01), 2)
ANGLES = [-30, -20, -15, -10, -5, 0, 5, 10, 15, 20, 30]
NOISE = [0, 0.1, 0.2, 0.3, 0.4, 0.5]
SHIFTS = [-3, -2, -1, 0, 1, 2, 3]
THICKNESS = [-1, 0, 1, 2]
SATURATION_RATE, SATURATION_EPOCHS = 5.0, 10  # the notebook's rate-5 network, as in section 7.3


def row(name, amounts, curve, fmt="{:g}"):
    print(f"  {name:<6}" + " ".join(f"{fmt.format(a):>6}" for a in amounts))
    for label, accuracies in curve.items():
        print(f"  {label:<6}" + " ".join(f"{a:>6.3f}" for a in accuracies))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=choose_best.SEED)
    args = parser.parse_args()
    (x, y), (x_choose, y_choose) = real_inputs("train"), real_inputs("choose")
    settings = {"plain": choose_best.plain_settings(), "best": choose_best.BEST}
    nets = {name: choose_best.train(s, x, y, seed=args.seed)[0] for name, s in settings.items()}
    print(
        f"{choose_best.LABEL}: trained on the train part (4,000), measured on the choose part (2,000), seed {args.seed}"
    )
    for name, s in settings.items():
        print(f"  {name}: {s}; accuracy {nets[name].accuracy(x_choose, y_choose):.3f}")

    near_ink = looking_inside.change_thickness((x_choose > 0.5).astype(np.float32), 1) > 0  # as in the notebook
    print(
        f"\nSaliency: pixels on or next to the strokes are {near_ink.mean():.1%} of each image; share of |∂aₖ/∂x| there:"
    )
    for name, net in nets.items():
        maps = looking_inside.saliency(net, x_choose)
        print(f"  {name}: {np.sum(maps * near_ink) / np.sum(maps):.1%}")

    print("\nAdversarial nudge (FGSM), accuracy against ε:")
    curves = {}
    for name, net in nets.items():
        sign = np.sign(looking_inside.input_gradient(net, x_choose, nn.one_hot(y_choose, 26, net.dtype)))

        def nudge(x, e, sign=sign):  # looking_inside.fgsm's nudge; the gradient's sign does not depend on ε
            return np.clip(x + e * sign, 0, 1)

        curves[name] = looking_inside.robustness_curves([net], x_choose, y_choose, nudge, EPSILONS)[0]
    row("ε", EPSILONS[::2], {k: v[::2] for k, v in curves.items()})
    for name, curve in curves.items():
        print(f"  {name}: accuracy halves at ε = {looking_inside.halving_point(EPSILONS, curve):.3f}")

    print("\nRobustness, accuracy against each distortion:")
    distortions = {
        "rotation (degrees)": (lambda x, a: augmentation.transform_images(x, rotation=a), ANGLES),
        "Gaussian noise (σ)": (looking_inside.add_noise, NOISE),
        "shift right (pixels)": (lambda x, d: augmentation.transform_images(x, dx=d), SHIFTS),
        "thickness (steps of a 3x3 dilation; < 0 thinner)": (looking_inside.change_thickness, THICKNESS),
    }
    for title, (distort, amounts) in distortions.items():
        print(f" {title}")
        found = looking_inside.robustness_curves(list(nets.values()), x_choose, y_choose, distort, amounts)
        row("", amounts, dict(zip(nets, found)))
        if title.startswith("rotation"):
            at = [ANGLES.index(-15), ANGLES.index(15)]
            for name, curve in zip(nets, found):
                print(f"  {name}: at ±15° {curve[at[0]]:.3f} and {curve[at[1]]:.3f}, mean {curve[at].mean():.3f}")

    print("\nSaturated neurons (share of activations below 0.01 / above 0.99, on the choose part):")
    fast = dict(settings["plain"], learning_rate=SATURATION_RATE, epochs=SATURATION_EPOCHS)
    saturation = {
        "fresh": nn.Network([784, settings["plain"]["hidden"], 26], seed=args.seed),
        "plain (rate 3)": nets["plain"],
        f"rate {SATURATION_RATE:g}, {SATURATION_EPOCHS} epochs": choose_best.train(fast, x, y, seed=args.seed)[0],
    }
    for name, net in saturation.items():
        hidden, output = net._forward(x_choose)[1:]
        (h0, h1), (o0, o1) = looking_inside.saturation_shares(hidden), looking_inside.saturation_shares(output)
        right, _ = looking_inside.saturation_shares(output[np.arange(len(y_choose)), y_choose])
        print(
            f"  {name:<22} hidden {h0:.3f} / {h1:.3f}   output {o0:.3f} / {o1:.3f}   "
            f"right letter's output < 0.01: {right:.3f}   accuracy {net.accuracy(x_choose, y_choose):.3f}"
        )

    print("\nThe exercise: brighten the pixels whose ∂C/∂x for the target l is most negative, in i's read right:")
    for name, net in nets.items():
        i_images = x_choose[(y_choose == 8) & (net.predict(x_choose) == 8)]
        g = looking_inside.input_gradient(net, i_images, nn.one_hot(np.full(len(i_images), 11), 26, net.dtype))
        for count in (10, 30, 100):
            changed = i_images.copy()
            chosen = np.argsort(g, axis=1)[:, :count]
            np.put_along_axis(changed, chosen, 1.0, axis=1)
            ink_rows = [np.flatnonzero(image.reshape(28, 28).max(axis=1) > 0.5) for image in i_images]
            below = np.mean([np.mean(c // 28 > rows.max()) for c, rows in zip(chosen, ink_rows)])
            above = np.mean([np.mean(c // 28 < rows.min()) for c, rows in zip(chosen, ink_rows)])
            print(
                f"  {name}, {count:>3} pixels: {np.mean(net.predict(changed) == 11):.0%} of {len(i_images)} i's read as l; "
                f"of the pixels, {below:.0%} below the letter's ink and {above:.0%} above it"
            )

    print("\nThe hidden layer as a map (principal components of the hidden activations, choose part):")
    for name, net in nets.items():
        points, shares = looking_inside.principal_components(looking_inside.hidden_activations(net, x_choose))
        centres = np.array([points[y_choose == k].mean(axis=0) for k in range(13)])
        distances = np.linalg.norm(centres[:, None] - centres[None], axis=2) + np.diag(np.full(13, np.inf))
        close = sorted((distances[i, j], i, j) for i in range(13) for j in range(i + 1, 13))[:5]
        confusion = evaluation.confusion_matrix(y_choose, net.predict(x_choose), 26)
        print(
            f"  {name}: the two components hold {shares.sum():.1%} of the variance ({shares[0]:.1%} + {shares[1]:.1%})"
        )
        print("    closest letter centres in the map: " + ", ".join(f"{LETTERS[i]}-{LETTERS[j]}" for _, i, j in close))
        print(
            "    most confused (true, read as, count): "
            + ", ".join(f"{t}-{p} {c}" for t, p, c in evaluation.most_confused(confusion, 5))
        )


if __name__ == "__main__":
    main()
