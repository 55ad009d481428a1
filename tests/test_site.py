"""Tests of docs/build.py, the lesson as a website, and of the figures' alt texts (docs/alt_texts.py).

The site is built with ``--executed`` from the notebook the session executed once (``notebook_run`` in
conftest.py: QUICK, on a small SYNTHETIC stand-in), so building it adds only Sphinx's time; the test prints
it. Then headless Chromium opens it from the disk with the network turned off, and the test checks what a
reader gets: the equations typeset by MathJax, every figure loaded with its alt text, the animation playing,
the solutions folded, the "your turn" checks' and the widgets' lines of text, the data line and build date
at the top, and no request to another host (read from Chromium's own log of its requests). It needs
``chromium`` and ``chromedriver`` (apt-get install chromium chromium-driver; .ci/run does) and
requirements-site.txt.
"""

import importlib.util
import json
import shutil
import subprocess
import sys
import time

import alt_texts
import nbformat
import pytest
import test_canvas_browser as canvas_test
from conftest import ROOT, stdout
from test_playground_browser import animation_plays

BUILD = ROOT / "docs" / "build.py"


def run_build(*args):
    return subprocess.run([sys.executable, str(BUILD), *args], capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize(
    "args, says",
    [
        (["--executed", "no-such-notebook.ipynb"], "no such file"),
        (["--executed", "README.md"], "is not a Jupyter notebook"),
        (["--executed", "neural_network.ipynb", "--out", "{tmp}/site"], "holds no alt texts"),
        (["--executed", "neural_network.ipynb", "--set", "QUICK = True"], "not both"),
        (["--set", "QUICK = = True"], "is not Python"),
        (["--out", "README.md"], "is a file"),
        (["--out", "tests"], "holds files of its own"),
    ],
)
def test_build_says_what_is_wrong_with_its_arguments(args, says, tmp_path):
    done = run_build(*(a.format(tmp=tmp_path) for a in args))
    assert done.returncode != 0
    assert says in done.stderr, done.stderr
    assert not (tmp_path / "site").exists()


def test_an_alt_text_that_fails_names_its_figure():
    texts = alt_texts.compute({})  # no notebook ran: every function fails, and none of them escapes
    assert set(texts) == set(alt_texts.ALT_TEXTS)
    with pytest.raises(ValueError, match="figure-learning-curves: KeyError"):
        alt_texts.read_output(json.dumps(texts))


def test_every_figure_has_an_alt_text_computed_from_the_run(notebook_run):
    nb, _, _, _, figures = notebook_run
    texts = nb.metadata["alt_texts"]
    tagged = {tag for c in nb.cells for tag in c.metadata.get("tags", []) if tag.startswith("figure-")}
    assert set(texts) == tagged  # one per figure, and none for a figure that is gone
    assert all(isinstance(text, str) and len(text) > 60 for text in texts.values())
    history = figures["history"]
    assert (
        f"{history['val_accuracy'][-1]:.1%} after epoch {len(history['val_accuracy'])}"
        in texts["figure-learning-curves"]
    )
    confusion = figures["confusion"]
    read_right = sum(confusion[k][k] for k in range(26))
    assert f"the {read_right:,} read right" in texts["figure-confusion"]
    # the last figure: its alt text counts the letters the kept output shows, not those of a later rerun
    (last,) = [c for c in nb.cells if "figure-predictions" in c.metadata.get("tags", [])]
    right = int(texts["figure-predictions"].rsplit(": ", 1)[1].split(" of ")[0])
    assert f"This sample: {right / 20:.0%} right." in stdout(last)


@pytest.fixture(scope="module")
def site(notebook_run, tmp_path_factory):
    """The site built from the session's executed notebook: (its folder, the notebook it was built from)."""
    if importlib.util.find_spec("myst_nb") is None:
        pytest.skip("needs the site's packages: pip install -r requirements-site.txt")
    nb, *_ = notebook_run
    folder = tmp_path_factory.mktemp("site")
    nbformat.write(nb, folder / "executed.ipynb")
    start = time.perf_counter()
    done = run_build("--executed", str(folder / "executed.ipynb"), "--out", str(folder / "html"))
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"\nthe site build from the executed notebook took {seconds:.1f} s (the CI budget is 60 s)")
    return folder / "html", nb


def test_the_site_has_the_readme_the_lesson_and_the_data_page(site):
    html, nb = site
    index = (html / "index.html").read_text(encoding="utf-8")
    assert "Read it as a web page" in index and 'href="neural_network.html"' in index
    assert (html / "data.html").is_file()
    lesson = (html / "neural_network.html").read_text(encoding="utf-8")
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    assert lesson.count('<img alt="') >= figures + 1  # every figure, and the animation
    assert "application/vnd.jupyter.widget" not in lesson and "require.js" not in lesson


@canvas_test.pytestmark
def test_the_site_reads_offline_in_chromium(site, tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    html, nb = site
    options = canvas_test.chromium_options(tmp_path)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # every request Chromium sends
    browser = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        browser.execute_cdp_cmd("Network.enable", {})
        offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        wait = WebDriverWait(browser, canvas_test.WAIT, poll_frequency=0.25)
        browser.get_log("performance")  # drops what the browser's own start page requested
        browser.get((html / "index.html").as_uri())
        browser.find_element(By.CSS_SELECTOR, "a[href='neural_network.html']").click()  # the front page's link
        wait.until(lambda b: b.current_url.endswith("neural_network.html"))
        try:
            read_the_lesson(browser, wait, nb, html)
        except Exception:
            browser.save_screenshot(str(tmp_path / "failure.png"))
            print(f"\nfailure screenshot: {tmp_path / 'failure.png'}")
            raise
        requests = set()
        for entry in browser.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                requests.add(message["params"]["request"]["url"])
    finally:
        browser.quit()
    # file: the site's own files; data: the animation's frames; chrome: the browser's own pages, not a host
    elsewhere = sorted(url[:120] for url in requests if not url.startswith(("file://", "data:", "chrome:")))
    print(f"{len(requests)} requests, {len(elsewhere)} to another host")
    assert requests and elsewhere == []


def read_the_lesson(browser, wait, nb, html):
    from selenium.webdriver.common.by import By

    # the equations: every piece of math typeset by MathJax, and no raw TeX left
    maths = browser.execute_script("return document.querySelectorAll('.math').length")
    assert maths > 50
    wait.until(lambda b: b.execute_script("return document.querySelectorAll('.math mjx-container').length") == maths)
    text = browser.find_element(By.CSS_SELECTOR, "main").text
    assert "$$" not in text and "\\frac" not in text and "\\sigma" not in text

    # every image loaded, with the alt text computed for its figure
    wait.until(lambda b: b.execute_script("return [...document.images].every(i => i.complete)"))
    images = browser.execute_script("return [...document.images].map(i => [i.naturalWidth, i.alt])")
    texts = nb.metadata["alt_texts"]
    figures = sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
    print(f"\n{len(images)} images on the lesson page, {figures} figures in the notebook")
    assert len(images) == figures + 1  # and the animation's picture
    assert all(width > 0 for width, _ in images)
    assert sorted(alt for _, alt in images) == sorted(texts.values())

    # the top says which data, and when
    (data_line,) = {line for c in nb.cells for line in stdout(c).splitlines() if line.startswith("EMNIST letters from")}
    note = browser.find_element(By.CSS_SELECTOR, "main .admonition").text
    assert data_line in note and time.strftime("%Y-%m-%d", time.gmtime()) in note
    assert "SYNTHETIC" in data_line and "no number on this page is an EMNIST result" in note

    # solutions folded, as in the notebook
    solutions = sum(c.source.count("<details") for c in nb.cells if c.cell_type == "markdown")
    assert (
        browser.execute_script("return [...document.querySelectorAll('details')].map(d => d.open)")
        == [False] * solutions
    )

    # the "your turn" checks say "not written yet"; the canvas and the playground show their line of text
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("your_turn.check_"):
            assert "not written yet" in stdout(cell) and stdout(cell).splitlines()[0] in text
        if cell.cell_type == "code" and "draw_letter(" in cell.source or "playground" in cell.metadata.get("tags", []):
            (line,) = [o.data["text/plain"] for o in cell.outputs if "text/plain" in o.get("data", {})]
            assert line.strip("'\"") in text

    # the animation plays: its picture changes
    frames = animation_plays(browser, wait)
    print(f"the animation played: {len(frames)} frames seen")
