"""Sphinx settings of the lesson's website. docs/build.py runs Sphinx with them; see its docstring.

Everything the pages need is in the site itself, so they work offline: the theme's files, and MathJax
from the sphinx-mathjax-offline package (copied into _static/mathjax), never from a CDN.
"""

project = "A neural network from scratch"
html_title = "A neural network from scratch: handwritten letters"
author = "the project's contributors"

extensions = [
    "myst_nb",  # the notebook and the Markdown pages (it brings MyST's parser)
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 served from _static/mathjax, not from a CDN
]

# docs/build.py executes the notebook itself (in its own kernel, to compute the figures' alt texts after the
# last cell); MyST-NB only renders the outputs it is given.
nb_execution_mode = "off"
# No widget manager: it would come from a CDN. build.py keeps each widget's one-line text instead.
nb_ipywidgets_js = {}
myst_enable_extensions = ["dollarmath"]  # $...$ and $$...$$, as in the notebook's markdown
myst_heading_anchors = 3  # links to headings such as the README's [The data](#the-data)

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_download_button": False,  # the source of the page is the executed notebook; the repository has the lesson
    "use_fullscreen_button": False,
}
html_copy_source = False
html_show_sourcelink = False
html_last_updated_fmt = None
