"""Tests of plumbing.py's progress bar for Network.train, as a notebook saves it: a static render shows the finished bar.

A tiny notebook of one cell runs on a real kernel through nbclient; the saved text/plain of the
bar's widget output is what a render without the widget (nbconvert, GitHub) shows.
"""

import nbformat
import pytest
from conftest import ROOT
from nbclient import NotebookClient

CELL = f"""import sys
sys.path.insert(0, {str(ROOT)!r})
import numpy as np
import nn_helpers as nn
rng = np.random.default_rng(0)
x, y = rng.random((40, 4)), rng.integers(0, 3, 40)
history = nn.Network([4, 5, 3], seed=0).train(x, y, EPOCHS, 8, 1.0)
"""


def saved_bar_texts(tmp_path, epochs):
    pytest.importorskip("ipywidgets")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(CELL.replace("EPOCHS", str(epochs)))]
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    bars = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    return [o["data"]["text/plain"] for o in bars], outputs


def test_a_static_render_shows_the_finished_bar_above_the_summary(tmp_path):
    texts, outputs = saved_bar_texts(tmp_path, epochs=3)
    assert len(texts) == 1, texts  # one bar, not a second copy of it
    assert "3/3" in texts[0] and "0/3" not in texts[0], texts[0]
    summary = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert summary.startswith("Trained 3 epochs in "), summary
