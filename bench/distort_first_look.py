"""A first look at random distortions and a cosine schedule on real handwriting (issue 13, phase 1).

Trains bench/choose_best.py's BEST, changed as named below, on the ``train``
part of "real EMNIST letters a–m (8,000 images)" and prints the accuracy on
the ``choose`` part, for the seeds given (default 1). Not the search: that is
bench/choose_best.py. Run from the repository root, one variant at a time:

    python bench/distort_first_look.py "distort, no shift" 1 2
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
import choose_best  # noqa: E402  (it puts the repository and tests/ on the path)
from real_letters import real_inputs  # noqa: E402

VARIANTS = {
    "BEST (shift 1)": {},
    "distort, no shift": dict(shift=0, distort=True),
    "shift 1 + distort": dict(distort=True),
    "distort + cosine": dict(shift=0, distort=True, schedule="cosine"),
    "distort + cosine 0.1": dict(shift=0, distort=True, schedule="cosine", learning_rate=0.1),
    "distort, rate 0.1": dict(shift=0, distort=True, learning_rate=0.1),
}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in VARIANTS:
        sys.exit(f"usage: python bench/distort_first_look.py VARIANT [SEED ...], VARIANT one of {list(VARIANTS)}")
    name, seeds = sys.argv[1], [int(s) for s in sys.argv[2:]] or [1]
    data, choose = real_inputs("train"), real_inputs("choose")
    print(f"{choose_best.LABEL}: train part (4,000) -> choose part (2,000)")
    for seed in seeds:
        settings = dict(choose_best.BEST, **VARIANTS[name])
        start = time.perf_counter()
        _, history = choose_best.train(settings, *data, validation=choose, seed=seed)
        print(
            f"{name:>20} seed {seed}: choose acc last {history['val_accuracy'][-1]:.4f}  "
            f"peak {max(history['val_accuracy']):.4f} (epoch {history['best_epoch']})  "
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
