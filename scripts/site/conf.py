"""Sphinx configuration of the offline course site (copied into the staging folder by
scripts/build_site.py, which writes every page it reads; see docs/contributing.md).

Nothing is executed (the lessons are rendered with their saved outputs) and nothing is fetched:
MathJax, the search index and every script and font come from ``_static/``.
"""

project = "Lamotrigine × ketamine: a mechanism lab"
author = "The mechlib contributors"
copyright = "the mechlib contributors; code MIT, lessons and data CC BY 4.0"

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
master_doc = "index"
language = "en"

# --- notebooks: saved outputs only, never a kernel
nb_execution_mode = "off"
nb_output_stderr = "remove"
nb_merge_streams = True
# Saved widget views that the builder did not replace by static HTML would need the widget
# renderer: the npm copies in _static/ (require.js and @jupyter-widgets/html-manager).
nb_ipywidgets_js = {
    "require.js": {},
    "html-manager/embed-amd.js": {"data-jupyter-widgets-cdn": "", "crossorigin": "anonymous"},
}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist", "html_image"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type", "misc.highlighting_failure"]

# --- MathJax 3, bundled (npm `mathjax`), no menu (its accessibility extras would load more)
mathjax_path = "mathjax/tex-chtml-full.js"
mathjax3_config = {"options": {"enableMenu": False}}

# --- theme
html_theme = "sphinx_book_theme"
html_title = "Lamotrigine × ketamine"
html_static_path = ["_static"]
templates_path = ["_templates"]  # accessible overrides of theme components
html_css_files = ["mechlib-site.css"]
html_js_files = ["mechlib-site.js"]
html_show_sourcelink = False
html_copy_source = False
# Result summaries would be fetched page by page, which file:// forbids; titles are enough.
html_show_search_summary = False
html_last_updated_fmt = None
# Light or dark follows the reader's system setting until they pick one.
html_context = {"default_mode": "auto"}
html_theme_options = {
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "use_issues_button": False,
    "show_navbar_depth": 1,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "navigation_with_keys": False,
    "article_footer_items": [],
    "footer_content_items": ["copyright"],
}
