"""Tests of the notebook's imports cell without nn_helpers, and of handwriting.py's draw_letter in Colab.

Where learners open the notebook alone. Colab itself cannot be reached from
here, so a stand-in ``google.colab`` module plays it: the test checks that
``draw_letter`` turns on Colab's custom widget manager, the one call Colab
needs before it shows widgets.
"""

import sys
import types

import IPython.display
import nbformat
import pytest
from conftest import NOTEBOOK
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

import handwriting
import nn_helpers as nn


def test_the_imports_cell_stops_with_what_to_do_when_nn_helpers_is_missing(tmp_path, monkeypatch):
    imports = nbformat.read(NOTEBOOK, as_version=4).cells[1]
    assert "import nn_helpers as nn" in imports.source
    after = nbformat.v4.new_code_cell("print('the next cell ran')")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(imports.source), after])
    monkeypatch.delenv("PYTHONPATH", raising=False)  # the kernel starts in an empty folder: no nn_helpers
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}})
    with pytest.raises(CellExecutionError) as stopped:  # as Run All stops at this cell
        client.execute()
    (error,) = nb.cells[0].outputs
    assert error.ename == "ModuleNotFoundError"
    message = error.evalue
    lesson_modules = ["nn_helpers", "emnist_data", "augmentation", "evaluation", "looking_inside", "handwriting"]
    assert any(message.startswith(f"No module named '{name}'.") for name in lesson_modules), message
    for name in [
        *lesson_modules,
        "playground",
        "plumbing",
        "your_turn",
        "learner_code",
    ]:  # every file the lesson needs, named
        assert f"{name}.py" in message
    for needed in ("Upload", "clone the repository", "%pip install"):
        assert needed in message
    for package in ("numpy", "matplotlib", "tqdm", "ipycanvas", "threadpoolctl"):
        assert package in message
    assert len(error.traceback) <= 4  # the cell alone, with no traceback from inside an import
    assert nb.cells[1].outputs == []  # nothing ran after it
    assert "the next cell ran" not in str(stopped.value)


@pytest.fixture
def displayed(monkeypatch):
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects, **options: shown.extend(objects))
    return shown


def stand_in_colab(monkeypatch):
    """Modules google, google.colab and google.colab.output, as in Colab; returns the list of calls made."""
    calls = []
    google, colab, output = (types.ModuleType(n) for n in ("google", "google.colab", "google.colab.output"))
    output.enable_custom_widget_manager = lambda: calls.append("enable_custom_widget_manager")
    google.colab, colab.output = colab, output
    for module in (google, colab, output):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    return calls


def test_draw_letter_turns_on_colabs_custom_widget_manager(monkeypatch, displayed):
    calls = stand_in_colab(monkeypatch)
    handwriting.draw_letter(nn.Network([784, 8, 26], seed=0))
    assert calls == ["enable_custom_widget_manager"]  # before the canvas is shown
    (bundle,) = displayed
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_draw_letter_elsewhere_calls_no_colab(monkeypatch, displayed):
    monkeypatch.setitem(sys.modules, "google.colab", None)  # import google.colab fails, as outside Colab
    handwriting.draw_letter(nn.Network([784, 8, 26], seed=0))
    (bundle,) = displayed
    assert "application/vnd.jupyter.widget-view+json" in bundle
