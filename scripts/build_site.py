"""Build the offline course site (``make html``): Sphinx + MyST-NB over the saved lessons.

Nothing is executed: the lessons are committed executed (``make notebooks``), and a notebook that
lacks its outputs or its widget state stops the build with its name and the fix. The builder lays
out a Sphinx source folder (a staging copy; the notebooks themselves are never changed):

- the lessons in the order of ``data/lessons.yaml`` (previous/next links, search), each a copy
  whose self-check cells show an HTML form marked in the browser (:mod:`mechlib.site.quizzes`)
  and whose explorer cells show frames rendered ahead of time (:mod:`mechlib.site.frames`);
- the glossary, the bibliography and the instructors' answer key, generated from ``data/``
  (:mod:`mechlib.site.pages`), and the instructor guide and deploy notes from ``docs/``;
- ``_static/``: ``mechlib-site.js``/``.css``, the frames, and MathJax, require.js and the widget
  renderer copied from ``node_modules/`` (pinned in package-lock.json).

Then ``sphinx-build`` writes ``site/``, and every page is checked to load nothing from the network.

Usage::

    python scripts/build_site.py [--notebooks notebooks] [--out site] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
CONF = Path(__file__).resolve().parent / "site" / "conf.py"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
FIX = "Run `make notebooks` to re-execute the lessons and save their outputs, then `make html` again."

# (package in node_modules, file or folder in it, destination in _static)
ASSETS = [
    ("@jupyter-widgets/html-manager", "dist/embed-amd.js", "html-manager/embed-amd.js"),
    ("requirejs", "require.js", "require.js"),
    ("mathjax", "es5/tex-chtml-full.js", "mathjax/tex-chtml-full.js"),
    ("mathjax", "es5/output/chtml/fonts/woff-v2", "mathjax/output/chtml/fonts/woff-v2"),
]

QUIZ_CALL = re.compile(r"""\bquiz\.show\(\s*["']([\w-]+)["']\s*\)""")
QUIZ_LESSON_CALL = re.compile(r"""\bquiz\.show_lesson\(\s*["']([\w-]+)["']\s*\)""")
EXPLORER_CALL = re.compile(r"""\bwidgets\.show\(\s*["']([\w-]+)["']\s*(?:,[^)]*)?\)""")
HEADER_CALL = re.compile(r"""\blesson\.header\(""")
REF_LINK = re.compile(r"\[([^\]\n]+)\]\(#((?:ref|term)-[\w-]+)\)")


class BuildError(Exception):
    """A problem the user can fix; printed as one line, without a traceback."""


# --------------------------------------------------------------------------- checks


def notebook_problems(nb: nbformat.NotebookNode) -> list[str]:
    """What a saved lesson lacks: unexecuted code cells, widget views without saved state."""
    problems = []
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    unrun = [i for i, c in enumerate(nb.cells) if c in code and c.get("execution_count") is None]
    if unrun:
        problems.append(f"{len(unrun)} code cell(s) without saved outputs (first: cell {unrun[0] + 1})")
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    views = [(i, o["data"][WIDGET_VIEW]["model_id"]) for i, c in enumerate(nb.cells) if c in code
             for o in c.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
    missing = [i for i, m in views if m not in state]
    if missing:
        problems.append(f"no saved widget state for {len(missing)} widget view(s) "
                        f"(first: cell {missing[0] + 1})")
    calls = [i for i, c in enumerate(nb.cells) if c in code and not c.get("outputs")
             and (QUIZ_CALL.search(c.source) or EXPLORER_CALL.search(c.source))]
    if calls and not unrun:
        problems.append(f"a self-check or explorer cell has no saved output (cell {calls[0] + 1})")
    return problems


def check_notebooks(paths: list[Path]) -> None:
    bad = []
    for p in paths:
        problems = notebook_problems(nbformat.read(p, as_version=4))
        if problems:
            bad.append(f"{p}: " + "; ".join(problems))
    if bad:
        raise BuildError("cannot build the site from unexecuted lessons:\n  " + "\n  ".join(bad)
                         + "\n" + FIX)


# --------------------------------------------------------------------------- staging


def _html_output(html_text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/html": html_text})


def stage_notebook(nb: nbformat.NotebookNode, explorer_html, terms: list[str]) -> list[str]:
    """Rewrite a lesson copy in place for the static site; return the explorers it shows.

    ``terms`` are the (term, id) pairs first met in this lesson: a first use the lesson does not
    link itself is linked to the glossary page.
    """
    from mechlib.site import pages, quizzes

    shown, cells = [], []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            # In-page citation links as raw HTML, so they keep their #ref- target.
            cell.source = REF_LINK.sub(r'<a href="#\2">\1</a>', cell.source)
            cells.append(cell)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        src = cell.source
        cell.source = "\n".join(line for line in src.splitlines() if "NBVAL_" not in line)
        replaced = None
        if m := QUIZ_CALL.search(src):
            replaced = quizzes.form_html(m.group(1))
        elif m := QUIZ_LESSON_CALL.search(src):
            replaced = quizzes.lesson_forms_html(m.group(1))
        elif m := EXPLORER_CALL.search(src):
            replaced = explorer_html(m.group(1))
            shown.append(m.group(1))
        if replaced is not None:
            cell.outputs = [_html_output(replaced)]
            cell.metadata.setdefault("tags", []).append("remove-input")
        elif HEADER_CALL.search(src):
            # The lesson's title block becomes Markdown, so its heading is the page title.
            for out in list(cell.outputs):
                md = out.get("data", {}).get("text/markdown")
                if md:
                    cells.append(nbformat.v4.new_markdown_cell(REF_LINK.sub(r'<a href="#\2">\1</a>', md)))
                    cell.outputs.remove(out)
            if not cell.outputs:
                cell.metadata.setdefault("tags", []).append("remove-cell")
        for out in cell.get("outputs", []):
            md = out.get("data", {}).get("text/markdown")
            if isinstance(md, str):
                out["data"]["text/markdown"] = REF_LINK.sub(r'<a href="#\2">\1</a>', md)
        cells.append(cell)
    nb.cells = cells
    md = [c for c in nb.cells if c.cell_type == "markdown"]
    for c, text in zip(md, pages.link_first_uses([c.source for c in md], terms), strict=True):
        c.source = text
    if not any(WIDGET_VIEW in o.get("data", {}) for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", [])):
        nb.metadata.pop("widgets", None)  # no widget left: the page needs no widget renderer
    return shown


def copy_assets(node_modules: Path, static: Path, widgets: bool) -> None:
    """Copy MathJax (and the widget renderer, if a page still shows a saved widget)."""
    missing = sorted({pkg for pkg, _, _ in ASSETS if not (node_modules / pkg / "package.json").is_file()})
    if missing:
        raise BuildError(f"missing npm packages in {node_modules}: {', '.join(missing)}. Run "
                         "`npm ci --ignore-scripts` (make html does), or copy node_modules/ from a "
                         "machine that has it.")
    for pkg, src, dst in ASSETS:
        if dst.startswith(("html-manager", "require")) and not widgets:
            continue
        source, target = node_modules / pkg / src, static / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, target)


def index_md(ds, lesson_docs: list[str]) -> str:
    rows = "\n".join(f"{i}. [{les.title}]({les.id}.ipynb) · about {les.minutes} min"
                     for i, les in enumerate(ds.lessons) if les.id in lesson_docs)
    return f"""# Lamotrigine × ketamine: a mechanism lab

How lamotrigine and ketamine act on the brain, and how to weigh the competing hypotheses about
taking them together. This is the offline copy of the lessons: it needs no Python and no network.
The self-checks mark your answers in the page, and the explorers move between frames drawn ahead
of time; the live notebooks (JupyterLab or Binder) run every value.

> **Not medical advice.** The suite teaches pharmacology. It recommends no dose and no treatment.

## The lessons, in order

{rows}

Also: the [glossary](glossary.md), the [bibliography](bibliography.md) and the
[instructor section](instructor/index.md).

```{{toctree}}
:hidden:
:caption: Lessons

{chr(10).join(lesson_docs)}
```

```{{toctree}}
:hidden:
:caption: Reference

glossary
bibliography
```

```{{toctree}}
:hidden:
:caption: Instructors

instructor/index
```
"""


INSTRUCTOR_INDEX = """# For instructors

Kept apart from the learners' pages: how to teach with the suite, how to hand it out, and the
answers to every self-check.

```{toctree}
guide
deploy
answer-key
```
"""


def _doc_page(src: Path) -> str:
    """A docs/ page for the site: links to other repository files become plain text."""
    text = src.read_text(encoding="utf-8")
    return re.sub(r"\[([^\]\n]+)\]\((?!https?:|#)([^)\s]+)\)", r"\1 (`\2` in the repository)", text)


def stage(src: Path, notebooks: list[Path], data_dir: Path, jobs: int) -> dict:
    """Write the Sphinx source folder ``src``; return build facts (explorers, frame counts)."""
    from mechlib import data
    from mechlib.site import explorer_page, frames, pages

    ds = data.load(data_dir)
    order = {les.id: i for i, les in enumerate(ds.lessons)}
    notebooks = sorted(notebooks, key=lambda p: (order.get(p.stem, len(order)), p.name))
    staged = {p.stem: nbformat.read(p, as_version=4) for p in notebooks}

    wanted: list[str] = []
    for nb in staged.values():
        for c in nb.cells:
            if c.cell_type == "code":
                wanted += [m.group(1) for m in EXPLORER_CALL.finditer(c.source) if m.group(1) not in wanted]
    static = src / "_static"
    (static / "frames").mkdir(parents=True)
    rendered = frames.render_all(wanted, processes=jobs)
    for name, r in rendered.items():
        folder = static / "frames" / name
        folder.mkdir()
        for fname, body in r.figures.items():
            (folder / fname).write_bytes(body)
        (static / "frames" / f"{name}.js").write_text(explorer_page.frames_script(r), encoding="utf-8")

    def explorer_html(name: str) -> str:
        return explorer_page.explorer_html(rendered[name], f"_static/frames/{name}.js")

    glossary = pages.glossary_entries(ds, data_dir)
    for stem, nb in staged.items():
        terms = [(pages._field(e, "term"), pages.term_id(e)) for e in glossary
                 if pages.first_lesson(e) == stem]
        stage_notebook(nb, explorer_html, terms)
        nbformat.write(nb, src / f"{stem}.ipynb")
    for extra in notebooks[0].parent.iterdir():  # images and files the lessons link to
        if extra.suffix != ".ipynb" and not extra.name.startswith((".", "_")) and extra.is_file():
            shutil.copy2(extra, src / extra.name)

    (src / "index.md").write_text(index_md(ds, list(staged)), encoding="utf-8")
    (src / "bibliography.md").write_text(pages.bibliography_md(ds), encoding="utf-8")
    (src / "glossary.md").write_text(pages.glossary_md(glossary, ds),
                                     encoding="utf-8")
    inst = src / "instructor"
    inst.mkdir()
    (inst / "index.md").write_text(INSTRUCTOR_INDEX, encoding="utf-8")
    (inst / "guide.md").write_text(_doc_page(REPO / "docs" / "instructor-guide.md"), encoding="utf-8")
    (inst / "deploy.md").write_text(_doc_page(REPO / "docs" / "deploy.md"), encoding="utf-8")
    (inst / "answer-key.md").write_text(pages.answer_key_md(ds), encoding="utf-8")
    site_static = Path(frames.__file__).parent / "static"
    for f in site_static.iterdir():
        shutil.copy2(f, static / f.name)
    shutil.copy2(CONF, src / "conf.py")
    shutil.copytree(CONF.parent / "_templates", src / "_templates")
    return {name: {"frames": len(r.frames), "figures": len(r.figures), "bytes": r.size_bytes(),
                   "frozen": list(r.grid.frozen)} for name, r in rendered.items()}


# --------------------------------------------------------------------------- checks after


REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?//""", re.I)
REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*(https?:)?//[^>]*>""", re.I)
REMOTE_CSS = re.compile(r"""(@import\s+(url\()?|url\()\s*["']?(https?:)?//""", re.I)


def remote_references(text: str, css: bool = False) -> list[str]:
    """Remote scripts, stylesheets or fonts a page (or a stylesheet) would load."""
    if css:
        return [m.group(0) for m in REMOTE_CSS.finditer(text)]
    found = [m.group(0) for m in REMOTE_SCRIPT.finditer(text)]
    found += [t.group(0) for t in REMOTE_LINK.finditer(text)
              if re.search(r"stylesheet|preload|modulepreload|icon|manifest", t.group(0), re.I)]
    return found


def check_offline(out: Path) -> None:
    bad = {}
    for f in out.rglob("*"):
        if f.suffix in (".html", ".css"):
            found = remote_references(f.read_text(encoding="utf-8", errors="replace"), f.suffix == ".css")
            if found:
                bad[str(f.relative_to(out))] = found[:3]
    if bad:
        raise BuildError("the site would load from the network: " + json.dumps(bad))


def build(notebooks_dir: Path, out: Path, node_modules: Path, data_dir: Path, jobs: int) -> dict:
    paths = sorted(notebooks_dir.glob("*.ipynb"))
    if not paths:
        raise BuildError(f"no notebooks in {notebooks_dir}")
    check_notebooks(paths)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="mechlib-site-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        facts = stage(src, paths, data_dir, jobs)
        widgets_left = any("widgets" in nbformat.read(nb, as_version=4).metadata
                           for nb in src.glob("*.ipynb"))
        copy_assets(node_modules, src / "_static", widgets_left)
        staged_at = time.perf_counter()
        build_dir = Path(tmp) / "html"
        proc = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", str(jobs),
                               str(src), str(build_dir)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildError("sphinx-build failed:\n" + (proc.stderr or proc.stdout)[-4000:])
        for name in (".buildinfo", ".doctrees", "_sources"):
            p = build_dir / name
            shutil.rmtree(p) if p.is_dir() else p.unlink(missing_ok=True)
        check_offline(build_dir)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(build_dir, out)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    return {"explorers": facts, "bytes": size, "frames_s": round(staged_at - start, 1),
            "total_s": round(time.perf_counter() - start, 1), "warnings": proc.stderr.count("WARNING")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=REPO / "notebooks")
    parser.add_argument("--out", type=Path, default=REPO / "site")
    parser.add_argument("--node-modules", type=Path, default=REPO / "node_modules")
    parser.add_argument("--data", type=Path, default=REPO / "data")
    parser.add_argument("--jobs", type=int, default=2, help="processes for frames and Sphinx")
    args = parser.parse_args(argv)
    try:
        facts = build(args.notebooks, args.out, args.node_modules, args.data, args.jobs)
    except BuildError as err:
        print(f"make html: {err}", file=sys.stderr)
        return 1
    (args.out / "build-facts.json").write_text(json.dumps(facts, indent=1), encoding="utf-8")
    print(f"wrote {args.out}/ ({facts['bytes'] / 1e6:.1f} MB) in {facts['total_s']} s "
          f"(frames {facts['frames_s']} s); open {args.out / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
