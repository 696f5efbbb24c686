"""Every lesson follows the skeleton, is committed executed, and cites only known references.

nbval (run by ``make test``) re-executes the notebooks and compares their text outputs; these
tests check what nbval cannot: the lesson's structure and its rules.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from mechlib import data

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSON_IDS = [les.id for les in data.load().lessons]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
IGNORE = re.compile(r"^\s*#\s*NBVAL_IGNORE_OUTPUT", re.M)
CITE = re.compile(r"\(#ref-([a-z0-9_]+)\)")

#: Phrases each part of the lesson skeleton (DESIGN.md) must show, in rendered text.
SKELETON = {
    "learning objectives": r"learning objectives",
    "time to complete": r"time to (complete|learn)",
    "prerequisites": r"prerequisites",
    "safety note": r"not medical advice",
    "think about it": r"think about it",
    "article vs evidence": r"what the article says",
    "summary": r"^#+\s*summary",
    "what's next": r"what.s next",
    "references": r"^#+\s*references",
}


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def rendered_text(nb: nbformat.NotebookNode) -> str:
    """Markdown sources plus the text and markdown outputs of code cells, as a reader sees them."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            for mime in ("text/markdown", "text/html", "text/plain"):
                if mime in out.get("data", {}):
                    parts.append(out["data"][mime])
    return "\n".join(parts)


def test_every_lesson_in_the_plan_has_a_notebook():
    assert [p.stem for p in NOTEBOOKS] == LESSON_IDS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_executed_in_order_without_errors(path):
    nb = load(path)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts and None not in counts, "run `make notebooks`"
    assert counts == sorted(counts) and counts[0] == 1, "restart and run all"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", cell.source[:80]
            if out.get("name") == "stderr":
                assert "Traceback" not in out["text"] and "Warning" not in out["text"], out["text"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_only_widget_cells_ignore_their_output(path):
    for cell in load(path).cells:
        if cell.cell_type != "code" or not IGNORE.search(cell.source):
            continue
        shows_widget = any(WIDGET_MIME in out.get("data", {}) for out in cell.outputs)
        assert shows_widget, f"NBVAL_IGNORE_OUTPUT on a cell that displays no widget:\n{cell.source}"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "00_start_here"],
                         ids=lambda p: p.stem)
def test_lesson_follows_the_skeleton(path):
    text = rendered_text(load(path))
    missing = [part for part, rx in SKELETON.items() if not re.search(rx, text, re.I | re.M)]
    assert not missing, f"{path.name} lacks: {', '.join(missing)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_lesson_states_it_is_not_medical_advice(path):
    assert "not medical advice" in rendered_text(load(path)).lower()


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem != "00_start_here"],
                         ids=lambda p: p.stem)
def test_lesson_has_at_least_four_self_checks(path):
    nb = load(path)
    sources = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    shown = set(re.findall(r"quiz\.show\(\s*[\"']([a-z0-9_]+)[\"']", sources))
    if re.search(r"quiz\.show_lesson\(", sources):
        from mechlib import quiz

        shown |= {q.id for q in quiz.questions(path.stem)}
    assert len(shown) >= 4, f"{path.name} shows {len(shown)} self-check questions"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_citation_resolves_and_is_listed(path):
    nb = load(path)
    refs = data.load().references
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    cited = set(CITE.findall(markdown))
    unknown = cited - set(refs)
    assert not unknown, f"{path.name} cites unknown reference keys: {sorted(unknown)}"
    listed = set(re.findall(r'id="ref-([a-z0-9_]+)"', rendered_text(nb)))
    assert cited <= listed, f"{path.name}: cited but not in its reference list: {sorted(cited - listed)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_one_h1_per_lesson_from_its_header(path):
    nb = load(path)
    h1 = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
          if re.match(r"^# ", line)]
    headers = [c for c in nb.cells if c.cell_type == "code" and "lesson.header(" in c.source]
    assert not h1 and len(headers) == 1, f"{path.name}: H1s in Markdown {h1}; the header gives the one H1"
    first_code = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    assert nb.cells[first_code] is headers[0] and first_code == 0, "the title comes first"


def test_readouts_are_short_tables_not_printed_walls():
    printed = [p.stem for p in NOTEBOOKS
               if re.search(r"print\((explorers\.readout|frame\.readout)", p.read_text(encoding="utf-8"))]
    assert not printed, f"print a readout as explorers.table(...) or explorers.compare(...): {printed}"
    # At most one table per explorer in the whole course: a number nbval checks, not a wall.
    call = re.compile(r'explorers\.(?:table|compare)\(\s*\\?"(\w+)')
    tabled = [m for p in NOTEBOOKS for m in call.findall(p.read_text(encoding="utf-8"))]
    assert tabled, "no readout table at all: nbval would check no explorer's numbers"
    assert len(tabled) == len(set(tabled)), f"an explorer tabled twice: {sorted(tabled)}"
