"""Which cure matters most in the best network? Drop one at a time, on real handwriting.

Takes the best settings of bench/choose_best.py (``BEST``), trains them on the
``train`` part (4,000 images) of the 8,000 real EMNIST test images of a–m in
tests/data/, then again with distortions (or only their elastic part if any,
or shifts, or 1-pixel shifts in their place), the cosine schedule, L2 or
momentum switched off, one at a time, and prints the accuracy on the
``choose`` part (2,000 images). Without
momentum it also tries the rate η/(1 − μ), which takes steps as long as
momentum's. Every figure is for "real EMNIST letters a–m (8,000 images)".
Run from the repository root:

    python bench/best_ablation.py [--seed 1]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))
sys.path.insert(0, os.path.dirname(__file__))
import choose_best
from real_letters import real_inputs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    best = choose_best.BEST
    data, choose = real_inputs("train"), real_inputs("choose")
    runs = {"all cures": best}
    if best.get("distort") is not None:
        runs["without distortions"] = dict(best, distort=None)
        if best["distort"].get("elastic"):
            runs["without elastic distortions"] = dict(
                best, distort={k: v for k, v in best["distort"].items() if k != "elastic"}
            )
        runs["shifts of 1 pixel instead"] = dict(best, distort=None, shift=1)
    if best["shift"]:
        runs["without shifts"] = dict(best, shift=0)
    if best.get("schedule"):
        runs["fixed rate, no schedule"] = dict(best, schedule=None)
    if best["l2"]:
        runs["without L2"] = dict(best, l2=0.0)
    runs["without momentum"] = dict(best, momentum=0.0)
    runs["without momentum, rate η/(1−μ)"] = dict(
        best, momentum=0.0, learning_rate=best["learning_rate"] / (1 - best["momentum"])
    )
    print(f"{choose_best.LABEL}: train on 4,000, accuracy on the choose part (2,000); seed {args.seed}; BEST = {best}")
    for name, settings in runs.items():
        net, history = choose_best.train(settings, *data, validation=choose, seed=args.seed)
        print(
            f"{name:<32} rate {settings['learning_rate']:<5g} accuracy {history['val_accuracy'][-1]:.3f} "
            f"(best {max(history['val_accuracy']):.3f} at epoch {history['best_epoch']})"
        )


if __name__ == "__main__":
    main()
