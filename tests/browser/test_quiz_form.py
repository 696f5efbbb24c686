"""The self-check widget as a learner sees it in JupyterLab, in the light and the dark theme.

A long option wraps beside its radio button or tick box (never under it); only the verdict line
is coloured, at WCAG AA contrast against the page behind it; the explanation keeps the page's own
text colour; old feedback clears when the answer changes; the answer type is said once; a
prompt's model answer stays closed until opened. Screenshots go to ``$MECHLIB_SCREENSHOTS`` when
that is set (for a person to look at), else to the test's temporary folder.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

CELLS = [
    'from mechlib import lesson, quiz\nquiz.show("start_what_suite_is")',
    'quiz.show("neuro_gaba_interneurons")',
    'lesson.prompt("lam_valproate_curve")',
]
THEMES = {"light": ("JupyterLab Light", "true"), "dark": ("JupyterLab Dark", "false")}


def _luminance(rgb: tuple[float, ...]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (x / 255 for x in rgb[:3])]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css))


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(_rgb(fg)), _luminance(_rgb(bg))), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: The first opaque background behind an element, as the browser computes it.
BACKGROUND_JS = """el => {
    for (let e = el; e; e = e.parentElement) {
        const c = getComputedStyle(e).backgroundColor;
        const a = c.match(/rgba\\(.*,\\s*([\\d.]+)\\)/);
        if (c !== 'transparent' && !(a && parseFloat(a[1]) === 0)) return c;
    }
    return 'rgb(255, 255, 255)';
}"""

#: For each option label: does its text start right of its control, and is the control beside
#: the first line (not above or below the text)?
WRAP_JS = """box => [...box.querySelectorAll('label')].filter(l => l.querySelector('input')).map(l => {
    const input = l.querySelector('input').getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(l);
    const rects = [...range.getClientRects()].filter(r => r.width > 2 && r.left >= input.right - 1);
    const lines = new Set(rects.map(r => Math.round(r.top))).size;
    return {lines, textLeft: Math.min(...rects.map(r => r.left)), inputRight: input.right,
            inputTop: input.top, firstLineTop: Math.min(...rects.map(r => r.top)),
            firstLineBottom: Math.min(...rects.map(r => r.bottom))};
})"""


def run_notebook(page: Page, server, name: str) -> None:
    page.goto(server.page_url(f"lab/tree/{name}?reset"))
    status = page.locator("#jp-main-statusbar")
    expect(status).to_contain_text(re.compile(r"ipykernel\) \| Idle"), timeout=120_000)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
    expect(page.locator(".mechlib-quiz")).to_have_count(2)
    expect(page.locator(".mechlib-prompt")).to_have_count(1)


def set_theme(page: Page, theme: str) -> None:
    label, light = THEMES[theme]
    if page.evaluate("() => document.body.dataset.jpThemeLight") == light:
        return
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Settings$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Theme$")).hover()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{label}$")).click()
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'")
    page.wait_for_timeout(500)  # the theme's style sheet applies


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MECHLIB_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("theme", list(THEMES))
def test_quiz_form_in_lab(lab_page: Page, lab_server, theme: str, shots: Path) -> None:
    page = lab_page
    page.set_viewport_size({"width": 760, "height": 1000})  # narrow: long options must wrap
    name = f"quiz_form_{theme}.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in CELLS]
    nbformat.write(nb, lab_server.root / name)
    run_notebook(page, lab_server, name)
    set_theme(page, theme)
    choose_one, tick_all = page.locator(".mechlib-quiz").nth(0), page.locator(".mechlib-quiz").nth(1)

    # long options wrap beside their control
    for box in (choose_one, tick_all):
        labels = box.evaluate(WRAP_JS)
        assert labels and any(lab["lines"] > 1 for lab in labels), "some option must wrap at this width"
        for lab in labels:
            assert lab["textLeft"] >= lab["inputRight"] - 1, lab
            assert lab["firstLineTop"] - 4 <= lab["inputTop"] <= lab["firstLineBottom"], lab

    # the answer type is said once
    assert tick_all.inner_text().lower().count("tick all that apply") == 1
    assert choose_one.inner_text().lower().count("choose one") == 1

    # a wrong answer: only the verdict line is coloured, at AA contrast
    choose_one.locator("input[type=radio]").nth(1).check()
    choose_one.get_by_role("button", name="Check").click()
    verdict = choose_one.locator(".mechlib-verdict")
    expect(verdict).to_be_visible()
    colour = verdict.evaluate("e => getComputedStyle(e).color")
    background = verdict.evaluate(BACKGROUND_JS)
    ratio = contrast(colour, background)
    assert ratio >= 4.5, (theme, colour, background, ratio)
    body_text = choose_one.locator(".mechlib-feedback-body > div").nth(1)
    inherited = choose_one.locator(".mechlib-feedback").evaluate("e => getComputedStyle(e).color")
    explanation = body_text.evaluate("e => getComputedStyle(e).color")
    assert explanation == inherited != colour, "the explanation keeps the theme's text colour"
    assert contrast(explanation, body_text.evaluate(BACKGROUND_JS)) >= 4.5
    choose_one.locator("input[type=radio]").nth(0).scroll_into_view_if_needed()
    tick_all.locator("input[type=checkbox]").nth(0).check()
    tick_all.get_by_role("button", name="Check").click()
    expect(tick_all.locator(".mechlib-verdict")).to_be_visible()
    prompt = page.locator(".mechlib-prompt")
    assert not prompt.locator("details").evaluate("d => d.open")
    page.screenshot(path=str(shots / f"quiz-{theme}.png"), full_page=True)

    # a new answer clears the old feedback
    choose_one.locator("input[type=radio]").nth(0).check()
    expect(choose_one.locator(".mechlib-feedback")).to_have_text("")
    prompt.locator("summary").click()
    expect(prompt.locator("details p").first).to_be_visible()
    page.screenshot(path=str(shots / f"quiz-{theme}-cleared-and-answer-open.png"), full_page=True)
