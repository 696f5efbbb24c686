"""Render every lesson, with its stored outputs, into a static website that works offline.

Used by ``make html``. The lessons are committed executed (``make notebooks``), so nothing is
re-run: each notebook is exported with nbconvert's HTMLExporter (JupyterLab look), its embedded
widget state included, so the explorers show the figure and readout they had when the notebook was
saved (they do not respond without a kernel). Everything a page loads comes from ``site/static/``:

- the widget renderer ``@jupyter-widgets/html-manager`` (``dist/embed-amd.js`` and its fonts),
- ``require.js`` (``requirejs``),
- MathJax 3 (``mathjax``, ``es5/tex-chtml-full.js`` and its fonts),

copied from ``node_modules/`` (pinned in ``package.json`` / ``package-lock.json``; ``make html``
runs ``npm ci --ignore-scripts`` first). No page references a remote script or stylesheet; the
build checks that and fails otherwise.

Usage::

    python scripts/build_site.py [--notebooks notebooks] [--out site] [--execute]

``--execute`` runs each notebook first (in a temporary copy, as ``make notebooks`` does) for
notebooks that were saved without outputs.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# (package folder inside node_modules, file or folder inside it, destination inside site/static)
ASSETS = [
    ("@jupyter-widgets/html-manager", "dist", "html-manager"),
    ("requirejs", "require.js", "require.js"),
    ("mathjax", "es5/tex-chtml-full.js", "mathjax/tex-chtml-full.js"),
    ("mathjax", "es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
]
# From html-manager's dist/ only the AMD bundle and the icon fonts its CSS points at are needed.
HTML_MANAGER_FILES = re.compile(r"^(embed-amd\.js|[0-9a-f]{20}\.(woff2?|ttf|eot|svg))$")

TEMPLATE = r"""
{%- extends 'index.html.j2' -%}

{%- block html_head_js -%}
{{ super() }}
<script>
// The widget renderer's icon fonts are resolved against its AMD module names; map those names
// (and webpack's public path) onto static/html-manager/, where the fonts are copied.
window.__jupyter_widgets_assets_path__ = 'static/html-manager/';
requirejs.config({paths: {'@jupyter-widgets/html-manager/dist': 'static/html-manager',
                          '@jupyter-widgets': 'static/html-manager'}});
</script>
{%- endblock html_head_js -%}

{%- block html_head_js_mathjax -%}
<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\(', '\\)']], displayMath: [['$$', '$$'], ['\\[', '\\]']],
        processEscapes: true, processEnvironments: true, tags: 'ams'},
  options: {enableMenu: false}
};
</script>
<script src="static/mathjax/tex-chtml-full.js" defer></script>
{%- endblock html_head_js_mathjax -%}

{#- No mermaid: its script would come from a CDN, and the lessons do not use it. -#}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}

{%- block extra_css -%}
<style>
.mechlib-site-nav { font-family: var(--jp-ui-font-family, sans-serif); font-size: 14px;
  display: flex; gap: 1.5em; padding: 8px 16px; border-bottom: 1px solid #ccc; background: #f7f7f7; }
.mechlib-site-nav a { color: #0b57a4; }
.mechlib-site-note { font-family: var(--jp-ui-font-family, sans-serif); font-size: 13px;
  color: #444; padding: 4px 16px; }
</style>
{%- endblock extra_css -%}

{%- block body_header -%}
{{ super() }}
<nav class="mechlib-site-nav" aria-label="Lessons">
  <a href="index.html">All lessons</a>
  {%- set prev, next = resources.mechlib.prev, resources.mechlib.next %}
  {%- if prev %}<a href="{{ prev.href }}" rel="prev">&larr; {{ prev.title | e }}</a>{% endif %}
  {%- if next %}<a href="{{ next.href }}" rel="next">{{ next.title | e }} &rarr;</a>{% endif %}
</nav>
<p class="mechlib-site-note">A static copy: figures and explorers show the state the lesson was saved in.
To move the sliders, open the notebook in JupyterLab, Binder or Voila.</p>
{%- endblock body_header -%}
"""

REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?//""", re.I)
REMOTE_STYLESHEET = re.compile(
    r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?//[^>]*>|@import\s+(url\()?\s*["']?(https?:)?//""", re.I
)


def remote_references(page: str) -> list[str]:
    """Remote scripts and stylesheets a page would load (empty when it is self-contained)."""
    found = [m.group(0) for m in REMOTE_SCRIPT.finditer(page)]
    for m in REMOTE_STYLESHEET.finditer(page):
        tag = m.group(0)
        if tag.lower().startswith("<link") and not re.search(r"stylesheet|preload|modulepreload", tag, re.I):
            continue  # e.g. <link rel="canonical">: a link, not something the page loads
        found.append(tag)
    return found


def copy_assets(node_modules: Path, static: Path) -> None:
    missing = [pkg for pkg, _, _ in ASSETS if not (node_modules / pkg / "package.json").is_file()]
    if missing:
        raise SystemExit(
            f"missing npm packages in {node_modules}: {', '.join(sorted(set(missing)))}.\n"
            "Run `npm ci --ignore-scripts` in the repository (needs the npm registry once; "
            "`make html` does it), or copy a node_modules/ folder from a machine that has it."
        )
    for pkg, src, dst in ASSETS:
        source, target = node_modules / pkg / src, static / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            target.mkdir(exist_ok=True)
            for f in source.iterdir():
                if pkg != "@jupyter-widgets/html-manager" or HTML_MANAGER_FILES.match(f.name):
                    shutil.copy2(f, target / f.name)
        else:
            shutil.copy2(source, target)


def lesson_catalogue(data_dir: Path) -> dict[str, dict]:
    """Titles, minutes and objectives of the lessons, by notebook stem, from the validated data."""
    from mechlib import data

    return {les.id: {"title": les.title, "minutes": les.minutes, "objectives": les.objectives}
            for les in data.load(data_dir).lessons}


def first_heading(nb: nbformat.NotebookNode) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return None


def execute(path: Path, workdir: Path) -> nbformat.NotebookNode:
    """Run a notebook as `make notebooks` does (widget state stored), without touching the original."""
    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    from run_notebooks import run  # the same code `make notebooks` uses

    copy = workdir / path.name
    shutil.copy2(path, copy)
    run(copy)
    return nbformat.read(copy, as_version=4)


def widget_problems(nb: nbformat.NotebookNode) -> list[str]:
    """Widget views whose state is not embedded (they would render as nothing in the page)."""
    views = [
        o["data"][WIDGET_VIEW]["model_id"]
        for c in nb.cells if c.cell_type == "code"
        for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})
    ]
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return [m for m in views if m not in state]


def rewrite_lesson_links(page: str, stems: set[str]) -> str:
    """Links between lessons (``02_lamotrigine.ipynb#section``) point at their .html pages."""
    def fix(m: re.Match) -> str:
        stem = m.group(2)
        return f"{m.group(1)}{stem}.html{m.group(3) or ''}" if stem in stems else m.group(0)

    return re.sub(r'(href=")(?:\./)?([\w.-]+)\.ipynb(#[^"]*)?(?=")', fix, page)


def index_page(entries: list[dict]) -> str:
    items = []
    for e in entries:
        minutes = f' <span class="min">· {e["minutes"]} min</span>' if e.get("minutes") else ""
        objectives = "".join(f"<li>{html.escape(str(o))}</li>" for o in e.get("objectives", []))
        items.append(
            f'<li><a href="{e["href"]}">{html.escape(e["title"])}</a>{minutes}'
            + (f"<ul>{objectives}</ul>" if objectives else "") + "</li>"
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Lamotrigine and ketamine: the lessons</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46em; margin: 2em auto; padding: 0 1em;
       color: #111; background: #fff; line-height: 1.5; }}
li {{ margin: .4em 0; }} .min {{ color: #555; }} ul ul {{ font-size: .92em; color: #333; }}
</style>
</head>
<body>
<main>
<h1>Lamotrigine and ketamine: the lessons</h1>
<p>A static copy of the lesson notebooks with their figures, for reading without Python or a
network. The explorers show the state each lesson was saved in; to use them, open the notebooks
in JupyterLab, on Binder, or in Voila.</p>
<p>The suite teaches pharmacology. It is not medical advice.</p>
<ol class="lessons">
{chr(10).join(items)}
</ol>
</main>
</body>
</html>
"""


def build(notebooks: Path, out: Path, node_modules: Path, data_dir: Path, run_first: bool) -> list[Path]:
    paths = sorted(p for p in notebooks.glob("*.ipynb"))
    if not paths:
        raise SystemExit(f"no notebooks in {notebooks}")
    catalogue = lesson_catalogue(data_dir)
    order = {stem: i for i, stem in enumerate(catalogue)}
    paths.sort(key=lambda p: (order.get(p.stem, len(order)), p.name))

    if out.exists():
        shutil.rmtree(out)
    (out / "static").mkdir(parents=True)
    copy_assets(node_modules, out / "static")
    for extra in notebooks.iterdir():  # images and other files the lessons link to
        if extra.suffix != ".ipynb" and not extra.name.startswith("."):
            (shutil.copytree if extra.is_dir() else shutil.copy2)(extra, out / extra.name)

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[DictLoader({"mechlib_site.html.j2": TEMPLATE})],
        template_file="mechlib_site.html.j2",
        require_js_url="static/require.js",
        widget_renderer_url="static/html-manager/embed-amd.js",
        embed_images=True,
    )
    entries = []
    for p in paths:
        meta = catalogue.get(p.stem, {})
        entries.append({"stem": p.stem, "href": f"{p.stem}.html", "minutes": meta.get("minutes"),
                        "objectives": meta.get("objectives", []), "title": meta.get("title")})
    stems = {e["stem"] for e in entries}
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (p, entry) in enumerate(zip(paths, entries, strict=True)):
            nb = execute(p, Path(tmp)) if run_first else nbformat.read(p, as_version=4)
            entry["title"] = entry["title"] or first_heading(nb) or p.stem.replace("_", " ")
            missing_state = widget_problems(nb)
            if missing_state:
                print(f"warning: {p.name}: {len(missing_state)} widget view(s) without saved widget "
                      "state will be blank; re-run `make notebooks`", file=sys.stderr)
            resources = {
                "metadata": {"name": entry["title"], "path": str(p.parent)},
                "mechlib": {"prev": entries[i - 1] if i > 0 else None,
                            "next": entries[i + 1] if i + 1 < len(entries) else None},
            }
            body, _ = exporter.from_notebook_node(nb, resources=resources)
            body = rewrite_lesson_links(body, stems)
            target = out / entry["href"]
            target.write_text(body, encoding="utf-8")
            written.append(target)
            print(f"{p.name} -> {target}")
    index = out / "index.html"
    index.write_text(index_page(entries), encoding="utf-8")
    written.append(index)

    remote = {str(page.relative_to(out)): remote_references(page.read_text(encoding="utf-8"))
              for page in written}
    remote = {k: v for k, v in remote.items() if v}
    if remote:
        raise SystemExit("pages reference remote scripts or stylesheets:\n" + json.dumps(remote, indent=2))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--out", type=Path, default=REPO / "site")
    parser.add_argument("--node-modules", type=Path, default=REPO / "node_modules")
    parser.add_argument("--data", type=Path, default=REPO / "data", help="for lesson titles (lessons.yaml)")
    parser.add_argument("--execute", action="store_true", help="run each notebook before exporting it")
    args = parser.parse_args(argv)
    written = build(args.notebooks, args.out, args.node_modules, args.data, args.execute)
    print(f"wrote {len(written)} pages to {args.out}/ (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
