"""Every lesson in a real JupyterLab: Run All Cells, then look at the page the way a student would.

For each notebook in notebooks/ (new lessons are picked up automatically): no traceback or error on
the page, every widget rendered, every image loaded. For the notebooks named in
``EXPECTED_EXPLORERS`` the named kind of explorer must be there and must respond: moving a control
changes both the readout text and the figure; answering a quiz and pressing Check shows feedback.
"""

from __future__ import annotations

import re
import urllib.parse
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
LESSONS = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))

# What the lessons must offer, in one place; adjust as the lessons settle.
# (notebook stem, kind). Kinds:
#   "quiz"  -> at least one `.mechlib-quiz`; the first is answered and Check must show
#              `.mechlib-feedback` text.
#   others  -> ("diagram", "pk", "model", "evidence": what the explorer shows, for the reader)
#              at least one `.mechlib-explorer`; and EVERY explorer in that notebook must have a
#              control that changes both its `.mechlib-readout` text and its `.mechlib-figure` image.
# A pair is checked when its notebook exists; a notebook not listed still gets the run-all checks.
EXPECTED_EXPLORERS: list[tuple[str, str]] = [
    ("00_start_here", "model"),  # Mg2+ block, the "try a slider" demo
    ("01_neurons_and_synapses", "diagram"),  # base diagrams; Mg2+ block
    ("02_lamotrigine", "pk"),  # Na+ block; titration and co-medication PK
    ("03_ketamine", "pk"),  # disinhibition cascade; route/dose PK
    ("04_synergy_hypothesis", "diagram"),  # reasoning with hypotheses on/off
    ("05_antagonism_hypothesis", "model"),  # glutamate-surge combination model
    ("06_human_evidence", "evidence"),  # studies table / evidence map
    ("07_clinical_practice_and_safety", "pk"),  # held/delayed-dose PK
    ("08_mechanism_explorer", "diagram"),  # the full explorer (also served by Voila)
    ("00_start_here", "quiz"),
    ("01_neurons_and_synapses", "quiz"),
    ("02_lamotrigine", "quiz"),
    ("03_ketamine", "quiz"),
    ("04_synergy_hypothesis", "quiz"),
    ("05_antagonism_hypothesis", "quiz"),
    ("06_human_evidence", "quiz"),
    ("07_clinical_practice_and_safety", "quiz"),
    ("08_mechanism_explorer", "quiz"),
]

ERROR_IN_STDERR = re.compile(r"Traceback|\b\w*(Error|Exception)\b")
WIDGET_FAILURES = ("Loading widget...", "Error displaying widget", "Error rendering widget")


def code_cells_to_run(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip())


def open_and_run_all(page: Page, server, name: str) -> None:
    """Open a notebook in Lab, wait for its kernel, Run All Cells, wait until every cell has run.

    A cell that raises stops Run All, so an error output also ends the wait (and fails the checks).
    """
    page.goto(server.page_url(f"lab/tree/{urllib.parse.quote(name)}?reset"))
    status = page.locator("#jp-main-statusbar")
    expect(status).to_contain_text(re.compile(r"ipykernel\) \| Idle"), timeout=120_000)
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible()
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    expected = code_cells_to_run(server.root / name)
    page.wait_for_function(
        """n => {
            const ps = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt')]
                .map(e => e.textContent);
            const failed = document.querySelector(
                '.jp-Notebook .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
            const ran = ps.filter(t => /\\[\\d+\\]/.test(t)).length;
            return !ps.some(t => t.includes('*')) && (ran >= n || failed !== null);
        }""",
        arg=expected,
        timeout=240_000,
        polling=500,
    )
    expect(status).to_contain_text(re.compile(r"ipykernel\) \| Idle"))


def assert_page_clean(page: Page, name: str, ui) -> None:
    """No error output, every widget rendered, every image loaded."""
    outputs = page.locator(".jp-Notebook .jp-OutputArea-output")
    stderr = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    errors = [t[:600] for t in stderr.all_inner_texts() if ERROR_IN_STDERR.search(t)]
    assert not errors, f"{name}: error output after Run All:\n" + "\n---\n".join(errors)
    tracebacks = [t[:600] for t in outputs.all_inner_texts() if "Traceback (most recent call last)" in t]
    assert not tracebacks, f"{name}: traceback in the outputs:\n" + "\n---\n".join(tracebacks)
    for text in WIDGET_FAILURES:
        expect(page.locator(".jp-Notebook").get_by_text(text), f"{name}: {text!r} left").to_have_count(0)
    broken = ui.wait_images_loaded(page, ".jp-Notebook .jp-OutputArea-output")
    assert not broken, f"{name}: images that did not load: {broken}"


@pytest.mark.parametrize("name", LESSONS)
def test_lesson_runs_clean_in_lab(lab_page: Page, lab_server, ui, name: str) -> None:
    page = lab_page
    open_and_run_all(page, lab_server, name)
    assert_page_clean(page, name, ui)

    stem = Path(name).stem
    kinds = {kind for nb, kind in EXPECTED_EXPLORERS if nb == stem}
    if kinds - {"quiz"}:
        explorers = page.locator(".jp-Notebook .mechlib-explorer")
        expect(explorers.first, f"{name}: expected a {sorted(kinds - {'quiz'})} explorer").to_be_attached()
        for i in range(explorers.count()):
            explorer = explorers.nth(i)
            explorer.scroll_into_view_if_needed()
            label = f"{name} explorer #{i + 1}"
            print(f"{label}: {ui.exercise_explorer(page, explorer, label)}")
    if "quiz" in kinds:
        quiz = page.locator(".jp-Notebook .mechlib-quiz").first
        expect(quiz, f"{name}: expected a self-check quiz (.mechlib-quiz)").to_be_attached()
        quiz.scroll_into_view_if_needed()
        print(f"{name} quiz feedback: {ui.answer_quiz(page, quiz, f'{name} quiz')[:80]!r}")
    assert_page_clean(page, name, ui)  # the interactions raised nothing either


def test_harness_drives_a_contract_explorer(lab_page: Page, lab_server, ui) -> None:
    """The checks above work on an explorer and a quiz built to the lesson writers' contract.

    This keeps the harness honest while lessons are still being written: it fails if JupyterLab,
    the widget manager or these helpers stop working, independent of any lesson.
    """
    name = "zz_harness_check.ipynb"
    ui.write_contract_notebook(lab_server.root / name)
    page = lab_page
    open_and_run_all(page, lab_server, name)
    assert_page_clean(page, name, ui)
    explorer = page.locator(".jp-Notebook .mechlib-explorer").first
    ui.exercise_explorer(page, explorer, "contract explorer", only="slider")
    ui.exercise_explorer(page, explorer, "contract explorer", only="toggle-buttons")
    assert ui.answer_quiz(page, page.locator(".jp-Notebook .mechlib-quiz").first, "contract quiz")
    assert_page_clean(page, name, ui)
