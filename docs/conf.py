"""Sphinx configuration for the dlconcepts site (``make book``).

The page sources are not kept here: ``python -m dlconcepts.site`` writes them (home page,
topic pages, copies of ``notebooks/*.ipynb``) into ``build/site-src`` and runs Sphinx with
``-c docs``, so this file, ``_templates`` and ``_static`` are the only hand-written parts.

Everything is served from the site's own folder: notebooks are rendered from their stored
outputs (never executed here), and math is typeset by a local copy of MathJax 3 taken from
the ``sphinx-mathjax-offline`` package. No page loads anything from the internet.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

project = "dlconcepts"
author = "dlconcepts contributors"
copyright = "dlconcepts contributors, MIT licence"

extensions = ["myst_nb", "sphinx.ext.mathjax"]

# Notebooks are shown with the outputs stored in them; nothing runs at build time.
nb_execution_mode = "off"
nb_output_stderr = "show"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

exclude_patterns = ["_files/**", "**.ipynb_checkpoints"]
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["dlconcepts.css"]

html_theme = "sphinx_book_theme"
html_title = "dlconcepts"
html_show_sourcelink = False
html_copy_source = False
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "use_download_button": False,  # each notebook page links its .ipynb file itself
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "search_bar_text": "Search the notebooks…",
    "footer_content_items": ["copyright", "dlc-offline"],  # _templates/dlc-offline.html
}

# -- Math without the network ---------------------------------------------------------
# sphinx-mathjax-offline ships MathJax 3.2.2 (JavaScript and woff fonts). Only the files
# that the ``tex-chtml`` bundle can load are copied into ``_static/mathjax``.
_MATHJAX_KEEP = ("tex-chtml.js", "a11y", "adaptors", "input", "output", "sre", "ui")


def _mathjax_source() -> Path:
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the site needs a local MathJax: install the docs extra "
            "(pip install -c constraints.txt -e '.[docs]'), which provides sphinx-mathjax-offline"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


mathjax_path = "mathjax/tex-chtml.js"
mathjax3_config = {"options": {"enableMenu": False}}


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    source, target = _mathjax_source(), Path(app.outdir) / "_static" / "mathjax"
    for name in _MATHJAX_KEEP:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, dirs_exist_ok=True)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)


def setup(app):
    _mathjax_source()  # fail early, with the fix, when MathJax is not installed
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True}
