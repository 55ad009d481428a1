import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Real EMNIST files live beside the repository, in ../shared (see its PROVENANCE.md).
SHARED_EMNIST = ROOT.parent / "shared" / "data" / "emnist"


@pytest.fixture
def shared_emnist():
    if not SHARED_EMNIST.is_dir():
        pytest.skip(f"real EMNIST files not found at {SHARED_EMNIST} (../shared is absent)")
    return SHARED_EMNIST


NOTEBOOK = ROOT / "neural_network.ipynb"


def notebook_parameters():
    """The notebook's defaults: the assignments in its cell tagged ``parameters``."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    values = {}
    exec(cell.source, {}, values)
    return values
