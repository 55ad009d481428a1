"""The "your turn" checks on a corpus of learner-style attempts, each in its own Python process: the table, and its totals.

The attempts are those of tests/your_turn_attempts.py: right ones in many styles, borderline ones (a lenient but
correct check accepts them) and wrong ones, each with the verdict it should get. Each runs in a fresh process, as
in a fresh kernel, so that nothing one attempt does (a replaced nn.sigmoid) can reach the next. Prints one row
per attempt, then: how many right and borderline attempts pass (all should), how many wrong ones pass (none
should), how many wrong ones are "unrecognised", how many get another verdict than expected, and how many
"raised" verdicts speak of transposing for an error that is not about a matrix product's shapes (none should).

    python bench/your_turn_attempts.py                  # the real time limit (10 s) for the attempts that loop
    python bench/your_turn_attempts.py --time-limit 1   # quicker
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from your_turn_attempts import ATTEMPTS  # noqa: E402

import learner_code  # noqa: E402

ONE = """
import json, sys
sys.path[:0] = {paths!r}
import learner_code
learner_code.TIME_LIMIT = {limit!r}
from your_turn_attempts import ATTEMPTS, run
result, out = run(ATTEMPTS[{index}])
print(json.dumps({{"passed": result.passed, "mistake": result.mistake, "out": out}}))
"""


def run_alone(index, limit):
    """Run attempt ``index`` in a fresh process; return what its check found, and the seconds it took."""
    code = ONE.format(paths=[str(ROOT), str(ROOT / "tests")], limit=limit, index=index)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode:
        return {"passed": None, "mistake": "the process failed", "out": done.stderr}, seconds
    return json.loads(done.stdout.strip().split("\n")[-1]), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--time-limit", type=float, default=learner_code.TIME_LIMIT, help="seconds (default: 10)")
    args = parser.parse_args()
    rows, totals = [], {"right": [0, 0], "borderline": [0, 0]}
    wrong_passed, unrecognised, other_key, transposing = [], [], [], []
    print(f"{'check':9} {'kind':10} {'attempt':55} {'expected':32} {'verdict':32} seconds")
    for index, attempt in enumerate(ATTEMPTS):
        found, seconds = run_alone(index, args.time_limit)
        verdict = "passed" if found["passed"] else found["mistake"]
        expected = "passed" if attempt.kind != "wrong" else attempt.key
        if attempt.kind != "wrong":
            totals[attempt.kind][0] += 1
            totals[attempt.kind][1] += found["passed"] is True
        elif found["passed"]:
            wrong_passed.append(attempt.name)
        if attempt.kind == "wrong" and verdict == "unrecognised":
            unrecognised.append(attempt.name)
        if attempt.kind == "wrong" and not found["passed"] and verdict != expected:
            other_key.append(f"{attempt.name}: {verdict}, expected {expected}")
        said = [line for line in found["out"].split("\n") if line.startswith("  Found: ")]
        product = any(m in said[0] for m in learner_code._MATMUL) if said else False
        if verdict == "raised" and "transpos" in found["out"] and not product:
            transposing.append(attempt.name)
        mark = "" if verdict == expected else "  <-"
        print(
            f"{attempt.check:9} {attempt.kind:10} {attempt.name[:55]:55} {expected:32} {verdict:32} {seconds:6.2f}{mark}"
        )
        rows.append((attempt, verdict))
    wrong = sum(a.kind == "wrong" for a in ATTEMPTS)
    print()
    print(f"right attempts that pass: {totals['right'][1]} of {totals['right'][0]}")
    print(f"borderline attempts that pass: {totals['borderline'][1]} of {totals['borderline'][0]}")
    print(f"wrong attempts that pass: {len(wrong_passed)} of {wrong} {wrong_passed or ''}")
    print(
        f"wrong attempts unrecognised: {len(unrecognised)} of {wrong} ({len(unrecognised) / wrong:.1%}) {unrecognised}"
    )
    print(f"wrong attempts with another verdict than expected: {len(other_key)} {other_key or ''}")
    print(f"'raised' verdicts that speak of transposing for an error not about a matrix product: {len(transposing)}")
    print(f"time limit: {args.time_limit:g} s; Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
