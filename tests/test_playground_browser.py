"""Tests of playground.py's widget in a real browser: JupyterLab on 127.0.0.1, driven by Selenium in Chromium.

The notebook it opens is a setup cell (sys.path, the imports, the cell tagged
``parameters``, section 4's settings and section 2's ``my_forward``) and then the source of the cell
tagged ``playground``, both taken from neural_network.ipynb, so the test
exercises the notebook's own cell. It sets the hidden neurons to 4, presses
Train and reads the canvas's pixels while it trains: the drawing must change
at least twice, and after training the boundary is bent. Then it sets the
hidden neurons to 0, trains again, and checks that the boundary between the
two region colours is a straight line. Screenshots of the playground before
and after training go under pytest's tmp dir, their paths printed. It needs
``chromium`` and ``chromedriver`` (apt-get install chromium chromium-driver;
.ci/run does).
"""

import base64
import io
import time

import nbformat
import numpy as np
import pytest
import test_canvas_browser as canvas_test
from conftest import NOTEBOOK, ROOT

from playground import REGION_COLOURS

# The canvas test's fixtures: a JupyterLab server on 127.0.0.1, and headless Chromium; and its skip without them.
jupyter_lab, browser, needs_chromium, WAIT = (
    canvas_test.jupyter_lab,
    canvas_test.browser,
    canvas_test.pytestmark,
    canvas_test.WAIT,
)


def notebook_cells():
    """The setup cell, then neural_network.ipynb's own cells: the rings, the animation, the playground."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells

    def tagged(tag):
        found = [c.source for c in cells if tag in c.metadata.get("tags", [])]
        assert len(found) == 1, (
            f"neural_network.ipynb has {len(found)} cells tagged {tag!r}; it needs one, in section 7"
        )
        return found[0]

    (my_forward,) = [c.source for c in cells if c.source.startswith("def my_forward")]
    (rings,) = [c.source for c in cells if c.source.startswith("x_rings, y_rings =")]
    (settings,) = [c.source for c in cells if c.source.startswith("LAYER_SIZES =")]  # section 4's: LEARNING_RATE
    setup = (
        f"import sys\nsys.path[:0] = [{str(ROOT)!r}]\n"
        "import numpy as np\nimport nn_helpers as nn\nimport playground\n\n"
        + tagged("parameters")
        + "\n"
        + settings
        + "\n\n"
        + my_forward
    )
    return [setup, rings, tagged("figure-learning-animation"), tagged("playground")]


def write_notebook(path, cells):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source) for source in cells],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    path.write_text(nbformat.writes(nb))
    return nb


def animation_plays(browser, wait):
    """Press the animation's Play button; return the frames its picture showed (at least 3 different ones)."""
    from selenium.webdriver.common.by import By

    picture = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "img[id^='_anim_img']"))
    player = picture.find_element(By.XPATH, "ancestor::div[contains(@class, 'animation')][1]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", picture)
    first = picture.get_attribute("src")
    assert first.startswith("data:image/png;base64,")  # frame 0, shown before Play: the script has run
    play = player.find_element(By.CSS_SELECTOR, "button[title='Play']")
    # at once, even where the page scrolls smoothly, and clear of a page's fixed header (the website's theme)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'});", play)
    play.click()
    shown = [first]
    wait.until(lambda _: shown.append(picture.get_attribute("src")) or len(set(shown)) >= 3)
    return set(shown)


def region_classes(png):
    """From a PNG of the canvas: 0 or 1 where a pixel has a region's colour, -1 elsewhere (points, cuts, edges)."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int32)
    distance = np.linalg.norm(pixels[:, :, None, :] - REGION_COLOURS.astype(np.int32), axis=-1)  # to each region colour
    return np.where(distance.min(axis=-1) <= 12, distance.argmin(axis=-1), -1)


def crossings(classes):
    """Where the region colour changes along each row: {row: [(column, gap), …]}, ignoring pixels of neither colour.

    The column is halfway between the last pixel of one region and the first of the other; the gap, how many
    pixels of neither colour (the dashed line, a point) hide the change between them.
    """
    found = {}
    for row, line in enumerate(classes):
        columns = np.flatnonzero(line >= 0)
        values = line[columns]
        changes = np.flatnonzero(values[1:] != values[:-1])
        if len(changes):
            found[row] = [((columns[k] + columns[k + 1]) / 2, columns[k + 1] - columns[k] - 1) for k in changes]
    return found


HIDDEN = 4  # pixels: the dashed line drawn on the boundary hides 1 to 4 of them (in a browser), a point on it 5 to 25


def straightness(classes):
    """How far the boundary between the two regions is from a straight line, in pixels (RMS), and on how many lines.

    A straight boundary crosses each row (or each column, if it runs more across than down) once, at
    points on a line. Along whichever direction more lines are crossed, lines crossed more than once
    count as infinitely far; the others' crossing points are fitted with a line. Only crossings seen
    through at most ``HIDDEN`` pixels are fitted: where a point sits on the boundary, the change lies
    somewhere under it, so its middle says little about where.
    """
    best = None
    for image in (classes, classes.T):
        found = crossings(image)
        if best is None or len(found) > len(best):
            best = found
    if len(best) < 20:
        return np.inf, len(best)
    if sum(len(c) > 1 for c in best.values()) > 0.05 * len(best):  # crossed twice: a bent, closed boundary
        return np.inf, len(best)
    seen = {r: c[0][0] for r, c in best.items() if len(c) == 1 and c[0][1] <= HIDDEN}
    if len(seen) < 20:
        return np.inf, len(best)
    rows, columns = np.array(list(seen), dtype=float), np.array(list(seen.values()))
    slope, intercept = np.polyfit(rows, columns, 1)
    return float(np.sqrt(np.mean((columns - (slope * rows + intercept)) ** 2))), len(best)


def test_region_reading_tells_a_straight_boundary_from_a_bent_one():
    """The pixel reading the browser test relies on, on images made here: a half-plane, and a disc."""
    rows, columns = np.mgrid[0:200, 0:200]
    half_plane = (2 * rows + columns > 250).astype(int)
    disc = ((rows - 100) ** 2 + (columns - 100) ** 2 < 50**2).astype(int)
    assert straightness(half_plane)[0] < 1
    assert straightness(disc)[0] == np.inf
    # A boundary that runs across, with points (radius 3, as the playground's) drawn on it every 8 columns,
    # 3 pixels below it: the changes hidden under them are not fitted (with them, 1.4 px RMS).
    dotted = (rows > 100 + 0.2 * columns).astype(int)
    for column in range(5, 200, 8):
        dotted[(rows - 103 - 0.2 * column) ** 2 + (columns - column) ** 2 <= 9] = -1
    assert straightness(dotted)[0] < 1
    one_colour = np.zeros((200, 200), int)
    assert straightness(one_colour) == (np.inf, 0)


@needs_chromium
@pytest.mark.parametrize("jupyter_lab", ["lab"], indirect=True)  # Notebook 7 shows widgets as well: see the canvas test
def test_playground_trains_and_redraws_in_jupyterlab(jupyter_lab, browser, tmp_path):
    try:
        play(jupyter_lab, browser, tmp_path)
    except Exception:
        browser.save_screenshot(str(tmp_path / "failure.png"))  # artefacts, to see what the browser showed
        (tmp_path / "failure.html").write_text(browser.page_source)
        print(f"\nfailure screenshot and page: {tmp_path / 'failure.png'}, {tmp_path / 'failure.html'}")
        raise


def play(jupyter_lab, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.monotonic()
    url, token, page = jupyter_lab
    write_notebook(tmp_path / "playground_check.ipynb", notebook_cells())
    browser.get(f"{url}/{page}/playground_check.ipynb?token={token}")
    run_all(browser)
    wait = WebDriverWait(browser, WAIT, poll_frequency=0.25)
    frames = animation_plays(browser, wait)
    print(f"\nthe animation played in JupyterLab: {len(frames)} frames seen")
    box = wait.until(lambda b: b.find_element(By.CSS_SELECTOR, ".nn-playground"))
    status = box.find_element(By.CSS_SELECTOR, ".nn-playground-status")
    wait.until(lambda _: "epoch 0:" in status.text)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)

    def canvas_png():
        url = browser.execute_script(
            "const el = document.querySelector('.nn-playground-canvas');"
            "const canvas = el.tagName === 'CANVAS' ? el : el.querySelector('canvas');"
            "return canvas.toDataURL('image/png');"
        )
        return base64.b64decode(url.split(",", 1)[1])

    def button(name):
        return box.find_element(By.XPATH, f".//button[contains(., '{name}')]")

    def set_hidden(n):
        readout = box.find_element(By.CSS_SELECTOR, ".nn-playground-hidden .widget-readout")
        readout.click()
        readout.send_keys(Keys.CONTROL, "a")
        readout.send_keys(str(n), Keys.ENTER)
        wait.until(lambda _: "epoch 0:" in status.text and status.text.count("━") == n)  # one per cut, in its colour

    wait.until(lambda _: len(set(region_classes(canvas_png()).ravel()) - {-1}) > 0)  # the regions are drawn
    before = tmp_path / "playground_before.png"
    box.screenshot(str(before))

    set_hidden(4)
    button("Train").click()
    drawings, epochs, watch_start = [canvas_png()], set(), time.monotonic()
    while time.monotonic() - watch_start < 5:  # read what the browser shows for 5 s while it trains
        drawings.append(canvas_png())
        epochs.add(status.text.split(":")[0])
    changes = sum(a != b for a, b in zip(drawings[:-1], drawings[1:]))
    print(
        f"while training, over 5 s: {len(epochs)} epochs shown in the status, the canvas read {len(drawings)} times, "
        f"{changes} changes ({len(epochs) / 5:.1f} frames/s seen)"
    )
    assert changes >= 2 and len(set(drawings)) >= 3
    assert "(training)" in status.text
    button("Train").click()  # pressed again while training: no harm
    wait.until(lambda _: "accuracy 100%" in status.text)
    button("Stop").click()
    wait.until(lambda _: "(training)" not in status.text)
    stopped_at = status.text.split(":")[0]
    time.sleep(1)
    assert status.text.split(":")[0] == stopped_at  # Stop stopped it
    after = tmp_path / "playground_after.png"
    box.screenshot(str(after))
    bent, crossed = straightness(region_classes(canvas_png()))
    assert bent == np.inf and crossed >= 20  # 4 hidden neurons, trained: a closed region around the inner ring

    set_hidden(0)
    straight = []

    def in_view(classes):  # both region colours cover some of the canvas
        return min(np.mean(classes == 0), np.mean(classes == 1)) > 0.05

    # Without a hidden layer the line may swing out of the square for a while. Read it only once stopped, so
    # that no reading falls between two frames: train until the line is in view, stop, read; again if it left.
    for _ in range(10):
        button("Train").click()
        WebDriverWait(browser, WAIT, poll_frequency=0.2).until(lambda _: in_view(region_classes(canvas_png())))
        button("Stop").click()
        wait.until(lambda _: "(training)" not in status.text)
        png = canvas_png()
        classes = region_classes(png)
        if in_view(classes):
            (tmp_path / "canvas_no_hidden_layer.png").write_bytes(png)
            straight.append(straightness(classes))
            break
    assert straight, "without a hidden layer, the boundary never stayed in the square"
    boundary = tmp_path / "playground_no_hidden_layer.png"
    box.screenshot(str(boundary))
    (rms, crossed) = straight[-1]
    print(f"no hidden layer: the boundary crosses {crossed} lines of pixels, {rms:.2f} px RMS from a straight line")
    assert crossed >= 20 and rms < 2.5
    print(f"screenshots: before {before}, after training {after}, without a hidden layer {boundary}")
    print(f"browser test: {time.monotonic() - started:.1f} s after the server answered")


def run_all(browser):
    """Run All, as the canvas test does it, until the playground shows (JupyterLab may be slow to settle)."""
    from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT)
    wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
    wait.until(
        seen.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']"))
    )
    run_menu = (By.XPATH, "//div[contains(@class, 'lm-MenuBar-itemLabel') and text()='Run']")
    run_all = (By.CSS_SELECTOR, "li.lm-Menu-item[data-command='runmenu:run-all']")

    def accept_kernel_dialog(b):  # JupyterLab, busy starting, may ask which kernel to use: the notebook's own
        for button in b.find_elements(By.CSS_SELECTOR, ".jp-Dialog button.jp-mod-accept"):
            button.click()

    def shown_or_stalled(b):  # the playground is drawn; or the kernel is idle with a cell that never ran
        accept_kernel_dialog(b)
        if b.find_elements(By.CSS_SELECTOR, ".nn-playground-status"):
            return "shown"
        idle = b.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']")
        prompts = b.find_elements(By.CSS_SELECTOR, ".jp-Cell .jp-InputPrompt")
        return "stalled" if idle and not all(p.text.strip("[]: ") for p in prompts) else False

    def cells_started(b):  # a prompt shows [*] (running or queued) or [n] (run)
        return any(p.text.strip("[]: ") for p in b.find_elements(By.CSS_SELECTOR, ".jp-Cell .jp-InputPrompt"))

    def kernel_connected(b):  # the status bar reads "Python 3 (ipykernel) | Idle" once the kernel answers
        accept_kernel_dialog(b)
        status = b.find_elements(By.CSS_SELECTOR, ".jp-StatusBar-TextItem[title^='Change kernel']")
        return any(s.text.endswith("| Idle") for s in status)

    for attempt in range(5):
        # Run All before the kernel is connected may be dropped, and asking again while JupyterLab still
        # starts it made it start kernel after kernel (a CI run with the oldest versions): wait for it first.
        WebDriverWait(browser, WAIT, poll_frequency=0.5).until(kernel_connected)
        try:
            wait.until(seen.element_to_be_clickable(run_menu)).click()
            wait.until(seen.element_to_be_clickable(run_all)).click()
        except ElementClickInterceptedException:  # a dialog opened meanwhile: accept it, then ask again
            continue
        try:
            WebDriverWait(browser, 30, poll_frequency=0.25).until(cells_started)
            state = WebDriverWait(browser, WAIT, poll_frequency=0.5).until(shown_or_stalled)
            if state == "stalled":
                time.sleep(3)  # idle between two cells is brief; a dropped queue stays idle
                state = shown_or_stalled(browser) or "running"
        except TimeoutException:
            state = "not started"
        if state in ("shown", "running") or attempt == 4:
            break


@needs_chromium
def test_the_animation_plays_in_nbconverts_html_without_a_kernel(browser, tmp_path):
    """The notebook's animation cell, run by nbclient and saved, then nbconvert's HTML opened as a static page."""
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter
    from selenium.webdriver.support.ui import WebDriverWait

    nb = write_notebook(tmp_path / "animation.ipynb", notebook_cells()[:3])
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    page = tmp_path / "animation.html"
    page.write_text(HTMLExporter().from_notebook_node(nb)[0], encoding="utf-8")
    browser.get(page.as_uri())  # a file: no server, no kernel
    frames = animation_plays(browser, WebDriverWait(browser, WAIT, poll_frequency=0.1))
    print(f"\nthe animation played in nbconvert's HTML ({page.stat().st_size:,} bytes): {len(frames)} frames seen")
