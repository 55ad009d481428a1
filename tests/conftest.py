import ast
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


def notebook_settings():
    """Every setting the notebook defines: the assignments of UPPER_CASE names to plain values, in any code cell.

    The main settings are in the cell tagged ``parameters``; the later sections
    set their own where they start (the best network's, for example).
    """
    values = {}
    for cell in nbformat.read(NOTEBOOK, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                name = node.targets[0].id
                if name.isupper():
                    values.setdefault(name, []).append(ast.literal_eval(node.value))
    return values
