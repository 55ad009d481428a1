"""Tests of tests/conftest.py: the tests pass after a learner has used the project as the README says.

A learner may have exported EMNIST_DATA (the README's offline route), have a real cache in
~/.cache/emnist, and have run the notebook in JupyterLab, whose autosave writes the outputs into
neural_network.ipynb. None of that may change what the tests see.
"""

import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import LEARNER_VARIABLES, ROOT, committed_notebook


def test_the_tests_read_none_of_the_learner_s_variables():
    assert [name for name in LEARNER_VARIABLES if name in os.environ] == []
    # in the learner's run below, HOME was theirs: the tests have their own
    assert os.path.expanduser("~") != os.environ.get("NN_TESTS_OUTER_HOME")


def test_a_learner_s_exported_emnist_data_and_cache_change_no_test(tmp_path):
    """The loader's tests, run as a learner with EMNIST_DATA exported and a cache of their own would run them."""
    home = tmp_path / "learner-home"
    (home / ".cache" / "emnist" / "letters").mkdir(parents=True)
    (home / ".cache" / "emnist" / "emnist.zip").write_bytes(b"not a zip: the learner's own cache")
    env = dict(
        os.environ,
        EMNIST_DATA=str(tmp_path / "their-gzip.zip"),  # exported, as the README's offline route says
        EMNIST_URL="http://127.0.0.1:9/their-mirror.zip",
        HOME=str(home),
        NN_TESTS_OUTER_HOME=str(home),
    )
    (tmp_path / "their-gzip.zip").write_bytes(b"their own file")
    tests = [
        "tests/test_shared_cache.py::test_a_part_file_this_process_left_is_continued_at_once",
        "tests/test_emnist_loader.py",
        "tests/test_learner_use.py::test_the_tests_read_none_of_the_learner_s_variables",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert (home / ".cache" / "emnist" / "emnist.zip").read_bytes() == b"not a zip: the learner's own cache"
    assert list((home / ".cache" / "emnist" / "letters").iterdir()) == []  # nothing written into their cache


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_clean_notebook_check_reads_what_git_holds_not_the_autosaved_file(tmp_path):
    notebook = tmp_path / "lesson.ipynb"
    clean = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A"), nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(clean, notebook)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", notebook.name], ["commit", "-qm", "clean"]):
        subprocess.run(git + command, cwd=tmp_path, check=True, capture_output=True)
    run = nbformat.read(notebook, as_version=4)  # what JupyterLab's autosave writes after Run All
    run.cells[1].execution_count = 1
    run.cells[1].outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    nbformat.write(run, notebook)
    committed = committed_notebook(notebook)
    assert committed.cells[1].outputs == [] and committed.cells[1].execution_count is None
    (tmp_path / "elsewhere").mkdir()
    outside = tmp_path / "elsewhere" / "lesson.ipynb"  # not tracked by git: the file itself
    nbformat.write(run, outside)
    assert committed_notebook(outside).cells[1].outputs != []
