import ast
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # for the settings bench/choose_best.py chose
sys.path.insert(0, str(ROOT / "docs"))  # for the figures' alt texts of the website, docs/alt_texts.py

NOTEBOOK = ROOT / "neural_network.ipynb"

# What a learner's shell may hold that the lesson's code reads. The tests never read them: a test that needs
# one sets it itself. The README's offline route exports EMNIST_DATA, and the tests must pass after it.
LEARNER_VARIABLES = ("EMNIST_DATA", "EMNIST_URL", "EMNIST_SHA256")


def pytest_configure(config):
    """Before any test: drop the learner's EMNIST variables, and point HOME at an empty folder of the tests' own.

    So no test reads or writes the learner's cache in ``~/.cache/emnist``, whatever the shell exported.
    """
    for name in LEARNER_VARIABLES:
        os.environ.pop(name, None)
    home = tempfile.mkdtemp(prefix="nn-tests-home-")
    config._nn_tests_home = home
    os.environ["HOME"] = os.environ["USERPROFILE"] = home  # USERPROFILE: the home folder on Windows


def pytest_unconfigure(config):
    home = getattr(config, "_nn_tests_home", None)
    if home:
        shutil.rmtree(home, ignore_errors=True)


def committed_notebook(path=NOTEBOOK):
    """The notebook as git holds it for the next commit (its staged version), or the file where there is no git.

    Jupyter's autosave writes a learner's outputs into the file; what is committed is what the tests check
    for cleanliness.
    """
    try:
        text = subprocess.run(
            ["git", "show", f":./{Path(path).name}"],
            cwd=Path(path).parent,
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):  # no git, not a checkout, or the file is not tracked
        return nbformat.read(path, as_version=4)
    return nbformat.reads(text, as_version=4)


def notebook_parameters():
    """The notebook's defaults: the assignments in its cell tagged ``parameters``."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values = {}
    exec(cell.source, {}, values)
    return values


def notebook_settings(quick=False):
    """Every setting the notebook defines: the assignments of UPPER_CASE names to plain values, in any code cell.

    The cell tagged ``parameters`` holds the settings of the whole run (``QUICK``, ``TRAIN_LIMIT``, ``SEED``);
    each section sets its own where it starts. A setting written ``quick_value if QUICK else value`` gives
    ``value``, or ``quick_value`` with ``quick=True``.
    """
    values = {}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        python = "\n".join(line for line in cell.source.splitlines() if not line.startswith(("%", "!")))  # no magics
        for node in ast.parse(python).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name.isupper():
                    values.setdefault(name, []).append(_plain_value(node.value, quick))
    return values


def notebook_defaults():
    """Every setting at its default, as a run with QUICK = False reads it: {name: value}."""
    return {name: values[0] for name, values in notebook_settings().items()}


def quick_settings():
    """The settings that ``QUICK`` changes: {name: (quick value, default value)}."""
    quick, default = notebook_settings(quick=True), notebook_settings()
    return {name: (quick[name][0], default[name][0]) for name in default if quick[name] != default[name]}


def _plain_value(node, quick=False):
    """The value of a literal, of ``dict(name=literal, …)``, which the notebook uses for readability, or of
    ``a if QUICK else b``."""
    if isinstance(node, ast.IfExp) and isinstance(node.test, ast.Name) and node.test.id == "QUICK":
        return _plain_value(node.body if quick else node.orelse, quick)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        return {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
    return ast.literal_eval(node)


QUICK_RUN = "QUICK = True"  # what the tests inject after the parameters cell, as papermill would
SAMPLE = "print(sorted(sample.tolist()))"  # the test images the last cell drew, read from the kernel
FINGERPRINT = (
    "import hashlib\nprint(hashlib.sha256(b''.join(p.tobytes() for p in net.weights + net.biases)).hexdigest())"
)
# The run's own figures, read from the kernel after the last cell, for checking the verdicts the notebook prints.
FIGURES = """import json
print(json.dumps({
    "history": history, "overfit_history": overfit_history, "best_history": best_history,
    "cure_histories": cure_histories, "validation_size": len(y_val), "overfit_validation_size": len(small_validation[1]),
    "train_counts": np.bincount(train_labels, minlength=26).tolist(), "test_labels": test_labels.tolist(),
    "rings": [majority, flat_score, hidden_score, bool(crosses)],
    "adversarial": adversarial, "epsilons": EPSILONS, "fool_epsilon": FOOL_EPSILON, "right_off": right_off,
    "confusion": confusion.tolist(), "y_look": y_look.tolist(),
}, default=float))"""


def stdout(cell):
    return "".join(
        o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream" and o.name == "stdout"
    )


def with_parameters(nb, source):
    nb = copy.deepcopy(nb)
    (index,) = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    injected = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(index + 1, injected)
    return nb


@pytest.fixture(scope="session")
def notebook_run(tmp_path_factory):
    """The notebook executed once for the whole session, with ``QUICK = True``, on a small SYNTHETIC stand-in.

    Right after the last cell, the figures' alt texts (docs/alt_texts.py) are computed in the kernel and kept
    in the executed notebook's metadata, ``alt_texts``, so that ``docs/build.py --executed`` can build the
    site from it. Then its last cell twice more, with a weights fingerprint around those reruns. Returns
    ``(nb, (reruns, samples), before, after, figures)``: the executed notebook (with its injected-parameters
    cell), the reruns of the last cell and the test images each run drew, the fingerprints, and the run's own
    figures (``FIGURES``), to check what the notebook printed against.
    """
    import alt_texts
    from nbclient import NotebookClient
    from synthetic_emnist import write_standin

    folder = tmp_path_factory.mktemp("notebook")
    data = write_standin(folder / "synthetic-emnist.zip", 26 * 300, 26 * 40, seed=0)
    (folder / "home").mkdir()  # an empty HOME: no real cache, no download
    env = dict(os.environ, EMNIST_DATA=str(data), HOME=str(folder / "home"), EMNIST_URL="http://127.0.0.1:9/")
    nb = with_parameters(nbformat.read(NOTEBOOK, as_version=4), QUICK_RUN)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})

    def run_extra(cell):  # nbclient stores each executed cell back into nb.cells
        nb.cells.append(cell)
        try:
            return client.execute_cell(cell, len(nb.cells) - 1)
        finally:
            nb.cells.pop()

    with client.setup_kernel(env=env):
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        # before the reruns, which draw other letters than the last figure the notebook keeps
        alt_cell = run_extra(nbformat.v4.new_code_cell(alt_texts.kernel_code()))
        nb.metadata["alt_texts"] = alt_texts.read_output(stdout(alt_cell))
        before = stdout(run_extra(nbformat.v4.new_code_cell(FINGERPRINT)))
        samples = [stdout(run_extra(nbformat.v4.new_code_cell(SAMPLE)))]
        reruns = []
        for _ in range(2):
            reruns.append(run_extra(copy.deepcopy(nb.cells[-1])))
            samples.append(stdout(run_extra(nbformat.v4.new_code_cell(SAMPLE))))
        after = stdout(run_extra(nbformat.v4.new_code_cell(FINGERPRINT)))
        figures = json.loads(stdout(run_extra(nbformat.v4.new_code_cell(FIGURES))))
    return nb, (reruns, samples), before, after, figures
