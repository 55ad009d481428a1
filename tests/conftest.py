import ast
import copy
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


def notebook_settings():
    """Every setting the notebook defines: the assignments of UPPER_CASE names to plain values, in any code cell.

    The main settings are in the cell tagged ``parameters``; the later sections
    set their own where they start (the best network's, for example).
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
                    values.setdefault(name, []).append(_plain_value(node.value))
    return values


def _plain_value(node):
    """The value of a literal, or of ``dict(name=literal, …)``, which the notebook uses for readability."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict" and not node.args:
        return {keyword.arg: ast.literal_eval(keyword.value) for keyword in node.keywords}
    return ast.literal_eval(node)


FAST = """IMAGES_SEEN = 84_240
LAYER_SIZES = [784, 64, 26]
NO_HIDDEN_IMAGES_SEEN = 14_040
COMPARE_EXAMPLES = 2000
COMPARE_EPOCHS = 4
OVERFIT_EXAMPLES = 300
OVERFIT_EPOCHS = 30
OVERFIT_VALIDATION = 780
BEST_SIZES = [784, 64, 26]
BEST_IMAGES_SEEN = 28_080
"""  # on the stand-in's 7,020 training images: 12, 2 and 4 epochs
SAMPLE = "print(sorted(sample.tolist()))"  # the test images the last cell drew, read from the kernel
FINGERPRINT = (
    "import hashlib\nprint(hashlib.sha256(b''.join(p.tobytes() for p in net.weights + net.biases)).hexdigest())"
)


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
    """The notebook executed once for the whole session, on a small SYNTHETIC stand-in with the fast settings.

    Then its last cell twice more, with a weights fingerprint around those reruns. Returns
    ``(nb, (reruns, samples), before, after)``: the executed notebook (with its injected-parameters cell),
    the reruns of the last cell and the test images each run drew, and the fingerprints.
    """
    from nbclient import NotebookClient
    from synthetic_emnist import write_standin

    folder = tmp_path_factory.mktemp("notebook")
    data = write_standin(folder / "synthetic-emnist.zip", 26 * 300, 26 * 40, seed=0)
    (folder / "home").mkdir()  # an empty HOME: no real cache, no download
    env = dict(os.environ, EMNIST_DATA=str(data), HOME=str(folder / "home"), EMNIST_URL="http://127.0.0.1:9/")
    nb = with_parameters(nbformat.read(NOTEBOOK, as_version=4), FAST)
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
        before = stdout(run_extra(nbformat.v4.new_code_cell(FINGERPRINT)))
        samples = [stdout(run_extra(nbformat.v4.new_code_cell(SAMPLE)))]
        reruns = []
        for _ in range(2):
            reruns.append(run_extra(copy.deepcopy(nb.cells[-1])))
            samples.append(stdout(run_extra(nbformat.v4.new_code_cell(SAMPLE))))
        after = stdout(run_extra(nbformat.v4.new_code_cell(FINGERPRINT)))
    return nb, (reruns, samples), before, after
