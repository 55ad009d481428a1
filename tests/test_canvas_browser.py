"""Tests of handwriting.py's draw_letter in a real browser: JupyterLab on 127.0.0.1, driven by Selenium in Chromium.

The browser is Debian's headless Chromium. The test writes a small notebook
that trains a quick network on the real ``train`` part of tests/data and calls
``handwriting.draw_letter(net)``, runs it in JupyterLab (and again in Notebook
7, the same way), draws an "l" with pointer actions, waits for the top-3
guesses, clicks Clear, draws an "o" and checks that the guesses changed. It
saves a screenshot under pytest's tmp dir and prints its path. It needs
``chromium`` and ``chromedriver`` (apt-get install chromium chromium-driver;
.ci/run does).
"""

import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver")),
    reason="needs Debian's chromium and chromedriver: apt-get install chromium chromium-driver (.ci/run does)",
)

NOTEBOOK_CELLS = [
    f"import sys\nsys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]\n"
    "import handwriting\nimport nn_helpers as nn\nfrom real_letters import real_inputs",
    "net = nn.Network([784, 64, 26], seed=1)\n"
    'history = net.train(*real_inputs("train"), epochs=10, batch_size=32, learning_rate=3, progress=False)',
    "handwriting.draw_letter(net)",
]
WAIT = 120  # seconds, for any one thing to appear: a busy 2-core machine starts JupyterLab slowly


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(params=["lab", "notebook"])
def jupyter_lab(tmp_path, request):
    """A JupyterLab (or Notebook 7) server on 127.0.0.1 with a token, rooted in tmp_path: (url, token, page).

    ``page`` is where the app opens a notebook. Stopped afterwards."""
    (tmp_path / "canvas_check.ipynb").write_text(
        nbformat.writes(
            nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_code_cell(source) for source in NOTEBOOK_CELLS],
                metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            )
        )
    )
    port, token = free_port(), secrets.token_hex(16)
    config = tmp_path / "jupyter"  # no settings from the user's own Jupyter
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(config), JUPYTER_RUNTIME_DIR=str(config / "runtime"))
    app, page = request.param, {"lab": "lab/tree", "notebook": "notebooks"}[request.param]
    command = [sys.executable, "-m", "jupyter", app, "--no-browser", "--ip=127.0.0.1", f"--port={port}"]
    command += [f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}"]
    command += ["--ServerApp.port_retries=0"]
    if app == "lab":
        command.append("--LabApp.workspaces_dir=" + str(config / "workspaces"))
    if os.geteuid() == 0:  # CI containers run as root, which Jupyter refuses unless told
        command.append("--allow-root")
    log = open(tmp_path / "jupyter.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab stopped; see {tmp_path / 'jupyter.log'}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"JupyterLab did not answer in {WAIT} s; see {tmp_path / 'jupyter.log'}"
                    ) from None
                time.sleep(0.5)
        yield url, token, page
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def chromium_options(tmp_path):
    """Headless Debian Chromium, with a fresh profile under ``tmp_path``."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in (
        "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-background-networking "
        "--disable-component-update --disable-sync --no-first-run --window-size=1280,1000"
    ).split():
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    return options


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(options=chromium_options(tmp_path), service=Service(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def draw(driver, canvas, points):
    """One stroke through ``points`` (x, y), measured in pixels from the canvas's centre, with pointer actions."""
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(driver, duration=20)
    actions.move_to_element_with_offset(canvas, *points[0]).click_and_hold()
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        actions.move_by_offset(x1 - x0, y1 - y0)
    actions.release().perform()


def settled_guesses(driver, guesses):
    """The guesses' text, once it shows percentages and has stopped changing."""
    from selenium.webdriver.support.ui import WebDriverWait

    seen = []

    def settled(_):
        seen.append(guesses.text)
        return "%" in seen[-1] and len(seen) > 1 and seen[-1] == seen[-2] and seen[-1]

    return WebDriverWait(driver, WAIT, poll_frequency=0.5).until(settled)


def test_draw_letter_reads_strokes_drawn_in_jupyterlab(jupyter_lab, browser, tmp_path):
    try:
        draw_two_letters(jupyter_lab, browser, tmp_path)
    except Exception:
        browser.save_screenshot(str(tmp_path / "failure.png"))  # artefacts, to see what the browser showed
        (tmp_path / "failure.html").write_text(browser.page_source)
        print(f"\nfailure screenshot and page: {tmp_path / 'failure.png'}, {tmp_path / 'failure.html'}")
        raise


def draw_two_letters(jupyter_lab, browser, tmp_path):
    from selenium.common.exceptions import ElementClickInterceptedException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import WebDriverWait

    started = time.monotonic()
    url, token, page = jupyter_lab
    browser.get(f"{url}/{page}/canvas_check.ipynb?token={token}")
    wait = WebDriverWait(browser, WAIT)
    wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")))
    wait.until(
        seen.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']"))
    )
    run_menu = (By.XPATH, "//div[contains(@class, 'lm-MenuBar-itemLabel') and text()='Run']")
    run_all = (By.CSS_SELECTOR, "li.lm-Menu-item[data-command='runmenu:run-all']")

    def cells_started(b):  # a prompt shows [*] (running or queued) or [n] (run)
        return any(p.text.strip("[]: ") for p in b.find_elements(By.CSS_SELECTOR, ".jp-Cell .jp-InputPrompt"))

    def accept_kernel_dialog(b):  # JupyterLab, busy starting, may ask which kernel to use: the notebook's own
        for button in b.find_elements(By.CSS_SELECTOR, ".jp-Dialog button.jp-mod-accept"):
            button.click()

    def canvas_or_stalled(b):  # the canvas is drawn; or the kernel is idle with a cell that never ran
        accept_kernel_dialog(b)
        if b.find_elements(By.CSS_SELECTOR, ".nn-guesses"):
            return "canvas"
        idle = b.find_elements(By.CSS_SELECTOR, ".jp-Notebook-ExecutionIndicator[data-status='idle']")
        prompts = b.find_elements(By.CSS_SELECTOR, ".jp-Cell .jp-InputPrompt")
        return "stalled" if idle and not all(p.text.strip("[]: ") for p in prompts) else False

    # Run All is sometimes ignored while JupyterLab is still settling, and a kernel that JupyterLab
    # replaces as it starts drops the cells queued after the first: then ask again.
    for attempt in range(5):
        accept_kernel_dialog(browser)
        try:
            wait.until(seen.element_to_be_clickable(run_menu)).click()
            wait.until(seen.element_to_be_clickable(run_all)).click()
        except ElementClickInterceptedException:  # a dialog opened meanwhile: accept it, then ask again
            continue
        try:
            WebDriverWait(browser, 10, poll_frequency=0.25).until(cells_started)
            state = WebDriverWait(browser, WAIT, poll_frequency=0.5).until(canvas_or_stalled)
            if state == "stalled":
                time.sleep(3)  # idle between two cells is brief; a dropped queue stays idle
                state = canvas_or_stalled(browser) or "running"
        except TimeoutException:
            state = "not started"
        if state in ("canvas", "running") or attempt == 4:
            break
    guesses = wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, ".nn-guesses")))  # the canvas is drawn
    canvas = max(browser.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output canvas"), key=lambda c: c.size["width"])
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", canvas)
    assert canvas.size["width"] >= 200

    draw(browser, canvas, [(0, -90 + 18 * i) for i in range(11)])  # an "l": one stroke down
    first = settled_guesses(browser, guesses)
    assert "Top 3" in first and first.count("%") == 3

    browser.find_element(By.XPATH, "//button[contains(., 'Clear')]").click()
    wait.until(lambda _: "%" not in guesses.text)

    circle = [(70 * math.sin(2 * math.pi * k / 24), -70 * math.cos(2 * math.pi * k / 24)) for k in range(25)]
    draw(browser, canvas, circle)  # an "o"
    second = settled_guesses(browser, guesses)
    assert second.count("%") == 3 and second != first

    screenshot = tmp_path / "draw_letter.png"
    browser.save_screenshot(str(screenshot))
    print(f"\nscreenshot: {screenshot}\nguesses for 'l': {first!r}; for 'o': {second!r}")
    print(f"browser test: {time.monotonic() - started:.1f} s after the server answered")
