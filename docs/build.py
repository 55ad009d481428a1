"""Builds the lesson as a website you can read without running it: docs/_build/html/index.html.

    python docs/build.py                            # executes the notebook on your data, then builds the site
    python docs/build.py --set "QUICK = True"       # the same, with settings put after the parameters cell
    python docs/build.py --executed run.ipynb       # builds from the tests' run (conftest.py's notebook_run)
    python docs/build.py --out /some/folder         # writes the site there instead

It runs neural_network.ipynb top to bottom in a fresh kernel, on the data the lesson itself would find
(the cache in ~/.cache/emnist, or EMNIST_DATA), then, in the same kernel, computes each figure's alt text
from the run (docs/alt_texts.py). The site holds the README as its front page, the lesson with all its
outputs, and docs/data.md; its packages are in requirements-site.txt. The top of the lesson says which
data it was built from and when. The committed notebook is never changed: the site gets a copy.
"""

import argparse
import datetime
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path[:0] = [str(DOCS), str(ROOT / "tests")]
import alt_texts  # noqa: E402
from conftest import with_parameters  # noqa: E402  the tests inject their settings the same way

NOTEBOOK = ROOT / "neural_network.ipynb"
DEFAULT_OUT = DOCS / "_build" / "html"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"  # a live widget: needs a widget manager from a CDN
DATA_LINE = "EMNIST letters from"  # how the line that says which data was loaded starts (emnist_data.py) ...
OFFICIAL = "the official files (sha256 verified)"  # ... and how it ends for the official files, and only them


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--executed", type=Path, help="a run that kept the figures' alt texts (the tests' run), to build from"
    )
    parser.add_argument("--set", default="", help='settings put after the parameters cell, e.g. "QUICK = True"')
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"where to write the site (default {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    if args.executed is not None:
        if not args.executed.is_file():
            parser.error(
                f"--executed {args.executed}: no such file. Give a notebook the tests executed (conftest.py's "
                "notebook_run), or leave --executed out to execute neural_network.ipynb now."
            )
        if args.set:
            parser.error(
                "--set changes a run, and --executed builds from a run done before: give one of them, not both."
            )
    if args.set:
        try:
            compile(args.set, "--set", "exec")
        except SyntaxError as error:
            parser.error(f'--set {args.set!r} is not Python ({error.msg}); write assignments such as "QUICK = True".')
    if args.out.exists() and not args.out.is_dir():
        parser.error(f"--out {args.out} is a file; give a folder to write the site into.")
    if args.out.is_dir() and any(args.out.iterdir()) and not (args.out / ".buildinfo").exists():
        parser.error(
            f"--out {args.out} holds files of its own, and the build replaces the folder: give a new or empty one."
        )
    return args


def execute(settings=""):
    """neural_network.ipynb executed in a fresh kernel (``settings`` after its parameters cell), its alt texts
    computed in that kernel after the last cell and kept in its metadata, ``alt_texts``."""
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK, as_version=4)
    if settings:
        nb = with_parameters(nb, settings)
    client = NotebookClient(nb, timeout=3600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            for heading in re.findall(r"^## (.+)", cell.source, re.MULTILINE) if cell.cell_type == "markdown" else []:
                print(f"  {heading}", flush=True)  # where the run is, section by section
            client.execute_cell(cell, index)
        extra = nbformat.v4.new_code_cell(alt_texts.kernel_code())
        nb.cells.append(extra)
        try:
            client.execute_cell(extra, len(nb.cells) - 1)
        finally:
            nb.cells.pop()
    printed = "".join(o.get("text", "") for o in extra.outputs if o.get("name") == "stdout")
    nb.metadata["alt_texts"] = alt_texts.read_output(printed)
    return nb


def data_line(nb):
    """The line the lesson printed about its data (which files, official or not)."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for line in output.get("text", "").splitlines():
                if line.startswith(DATA_LINE):
                    return line.strip()
    raise SystemExit(f"The executed notebook printed no line starting {DATA_LINE!r}: did its section 1 run?")


def settings_of(nb):
    """The settings injected after the parameters cell, or "" for the notebook's own."""
    return "; ".join(c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))


def for_the_site(nb, built):
    """A copy of the executed notebook as the site shows it: alt texts on its figures, the data line and the
    build date under its title, each widget replaced by its one-line text, and nothing from another host."""
    nb = nbformat.from_dict(nb)
    texts = nb.metadata.pop("alt_texts", None)
    if texts is None:
        raise SystemExit(
            "This notebook holds no alt texts for its figures (metadata 'alt_texts'): leave --executed out, "
            "and docs/build.py executes the notebook and computes them in its kernel."
        )
    nb.metadata.pop("widgets", None)  # the widgets' saved state would bring a widget manager from a CDN
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            offline(output.get("data", {}))
        if draws(cell):
            tags = [t for t in cell.metadata.get("tags", []) if t.startswith("figure-")]
            if not tags or tags[0] not in texts:
                raise SystemExit(
                    f"Cell {index} draws a figure but has no alt text: tag it 'figure-...' in its metadata and "
                    "give that tag a function in docs/alt_texts.py."
                )
            with_alt_text(cell, texts[tags[0]])
    line = data_line(nb)
    first = next(c for c in nb.cells if c.cell_type == "markdown")  # the title, then the lesson's introduction
    title, _, introduction = first.source.partition("\n")
    first.source = f"{title}\n\n```{{note}}\n{about_this_page(nb, line, built)}\n```\n{introduction}"
    return nb, line


def offline(data):
    """An output's data as a page without the internet shows it: a live widget becomes its one-line text,
    and a stylesheet from another host goes (matplotlib's animation links Font Awesome 4 from a CDN for its
    buttons; the theme's own copy of Font Awesome draws them)."""
    data.pop(WIDGET_VIEW, None)  # its text/plain stays: the widget's fallback
    if "text/html" in data:
        data["text/html"] = re.sub(r"<link[^>]*\bhref=[\"']?(https?:)?//[^>]*>", "", data["text/html"])


def draws(cell):
    """Whether a cell shows a picture: a PNG, or HTML with an <img> (the animation)."""
    outputs = cell.get("outputs", [])
    return any("image/png" in o.get("data", {}) or "<img" in o.get("data", {}).get("text/html", "") for o in outputs)


def with_alt_text(cell, alt):
    """Puts ``alt`` on the cell's pictures: in MyST-NB's cell metadata for PNGs, into the <img> for HTML."""
    cell.metadata.setdefault("mystnb", {})["image"] = {"alt": alt}
    escaped = alt.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    for output in cell.get("outputs", []):
        html = output.get("data", {}).get("text/html")
        if html:
            output["data"]["text/html"] = re.sub(r"<img(?![^>]*\balt=)", f'<img alt="{escaped}"', html)


def about_this_page(nb, line, built):
    """What the top of the lesson says: one run, when, with which settings, on which data."""
    settings = settings_of(nb)
    note = (
        f"**This page** shows the lesson with the outputs of one run, made by `docs/build.py` on "
        f"{built:%Y-%m-%d %H:%M} UTC" + (f" with `{settings}`" if settings else " with the notebook's own settings")
    )
    note += f". It was run on this data: `{line}`."
    if not line.endswith(OFFICIAL):
        note += " These are not the official EMNIST files, so no number on this page is an EMNIST result."
    return note + " Every figure and number below comes from that run; run the notebook to get your own."


def site_links(markdown):
    """Markdown links as the site resolves them: docs/data.md is a page of the site; other files of the
    repository (CONTRIBUTING.md, bench/README.md, ...) are not in it, so their links become plain text."""

    def link(match):
        text, target = match.groups()
        if re.match(r"[a-z]+:|#", target) or target.endswith(".ipynb"):
            return match.group(0)
        if target.split("#")[0] in ("docs/data.md", "data.md"):
            return f"[{text}](data.md{target.partition('#')[1]}{target.partition('#')[2]})"
        return f"{text} (in the repository)" if text.strip("`") != target else text

    return re.sub(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)", link, markdown)


def write_sources(folder, nb, line, built):
    """The pages Sphinx reads: the README as index.md, the lesson, data.md."""
    readme = site_links((ROOT / "README.md").read_text(encoding="utf-8"))
    title, _, rest = readme.partition("\n")
    pointer = (
        f"\n**Read the lesson on this site**, with every figure and output of one run: [the lesson](neural_network.ipynb), "
        f"built on {built:%Y-%m-%d} from `{line}`. The rest of this page is the project's README.\n"
    )
    toctree = "\n```{toctree}\n:hidden:\nneural_network\ndata\n```\n"
    (folder / "index.md").write_text(title + "\n" + pointer + rest + toctree, encoding="utf-8")
    (folder / "data.md").write_text(site_links((DOCS / "data.md").read_text(encoding="utf-8")), encoding="utf-8")
    nbformat.write(nb, folder / "neural_network.ipynb")


def build(nb, out):
    """The site from an executed notebook, written to ``out``; returns the lesson page's path."""
    built = datetime.datetime.now(datetime.timezone.utc)
    nb, line = for_the_site(nb, built)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source"
        source.mkdir()
        write_sources(source, nb, line, built)
        if out.exists():
            shutil.rmtree(out)  # a site built before (parse_args checked): no page of it left behind
        sphinx = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(DOCS)]  # docs/conf.py's settings
        done = subprocess.run([*sphinx, "-d", str(Path(folder) / "doctrees"), str(source), str(out)])
    if done.returncode:
        raise SystemExit(f"Sphinx failed (exit {done.returncode}); its messages are above.")
    return out / "neural_network.html"


def main(argv=None):
    args = parse_args(argv)
    start = time.perf_counter()
    if args.executed is not None:
        try:
            nb = nbformat.read(args.executed, as_version=4)
        except ValueError as error:  # not JSON, or not a notebook
            raise SystemExit(f"--executed {args.executed} is not a Jupyter notebook ({error}).") from None
    else:
        print("executing neural_network.ipynb in a fresh kernel:", flush=True)
        nb = execute(args.set)
        print(f"executed in {time.perf_counter() - start:.0f} s", flush=True)
    site_start = time.perf_counter()
    lesson = build(nb, args.out)
    print(
        f"site written in {time.perf_counter() - site_start:.0f} s: open {args.out / 'index.html'} (the lesson: {lesson})"
    )


if __name__ == "__main__":
    main()
