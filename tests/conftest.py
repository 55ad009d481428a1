import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))  # for the settings bench/choose_best.py chose

NOTEBOOK = ROOT / "neural_network.ipynb"


def notebook_parameters():
    """The notebook's defaults: the assignments in its cell tagged ``parameters``."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values = {}
    exec(cell.source, {}, values)
    return values
