"""`make html`: the offline course site, opened from file:// in Debian's Chromium with no network.

The site is built once for this module (all site tests live here, so `pytest -n 2 --dist
loadfile` builds it once per run) with scripts/build_site.py, what `make html` runs. Every
request that is not a local file is aborted and recorded. The tests check that no page tries the
network or logs an error, that self-checks mark answers in the page with the words of
mechlib.quiz.check, that every explorer moves to the frame its controls name (the readout and
figure that mechlib.explorers renders for those values), that axe-core finds no serious or
critical problem in light or dark mode, and that search finds the lessons.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mechlib import data, explorers, quiz
from mechlib.explorers import Choice, MultiToggle, Slider, Toggle
from mechlib.site import explorer_page, frames

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
NODE_MODULES = REPO / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"
BUDGET_MB = 60
LESSONS = [les.id for les in data.load().lessons if (NOTEBOOKS / f"{les.id}.ipynb").is_file()]
OTHER_PAGES = ["index", "glossary", "bibliography", "search", "instructor/index", "instructor/guide",
               "instructor/deploy", "instructor/answer-key"]
PAGES = LESSONS + OTHER_PAGES

pytestmark = pytest.mark.browser


def _load_build_site():
    spec = importlib.util.spec_from_file_location("mechlib_build_site", REPO / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = _load_build_site()


def ensure_node_modules() -> None:
    """Install the pinned npm packages once, as `make html` does (needs the npm registry once)."""
    stamp = NODE_MODULES / ".package-lock.json"
    lock = REPO / "package-lock.json"
    installed = AXE.is_file() and all((NODE_MODULES / pkg / "package.json").is_file()
                                      for pkg, _, _ in build_site.ASSETS)
    if installed and stamp.is_file() and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        msg = "the site tests need npm once to fetch their pinned JavaScript (apt-get install npm)"
        if IN_CI:
            pytest.fail(f"CI=true and {msg}", pytrace=False)
        pytest.skip(msg)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL, timeout=600)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site `make html` builds from the committed lessons (built once for the module).

    For a quicker local loop, MECHLIB_TEST_SITE=<folder> reuses a site built by `make html`
    (never in CI: there the site is always built from the commit under test).
    """
    reuse = os.environ.get("MECHLIB_TEST_SITE")
    if reuse and not IN_CI:
        return Path(reuse)
    ensure_node_modules()
    out = tmp_path_factory.mktemp("site") / "site"
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "build_site.py"), "--out", str(out)],
                          cwd=REPO, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def open_offline(page, url: str) -> dict[str, list[str]]:
    """Open ``url`` with every non-file request aborted; collect requests, errors, failed files."""
    seen = {"remote": [], "errors": [], "failed": []}

    def route(r):
        if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
            r.continue_()
        else:
            seen["remote"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(f"uncaught: {e}"))
    page.on("requestfailed", lambda req: req.url.startswith("file:")
            and seen["failed"].append(f"{req.url} ({req.failure})"))
    page.goto(url, wait_until="load")
    return seen


def page_url(site: Path, name: str, query: str = "") -> str:
    return (site / f"{name}.html").as_uri() + query


# --------------------------------------------------------------------------- every page


def test_site_size_and_pages(site: Path) -> None:
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    assert size < BUDGET_MB * 1e6, f"site is {size / 1e6:.1f} MB, over the {BUDGET_MB} MB budget"
    for name in PAGES:
        assert (site / f"{name}.html").is_file(), f"missing page {name}.html"


@pytest.mark.parametrize("name", PAGES)
def test_page_offline_no_requests_no_errors(web_page, ui, site: Path, name: str) -> None:
    seen = open_offline(web_page, page_url(site, name))
    broken = ui.wait_images_loaded(web_page, "body")
    assert not seen["remote"], f"{name}: tried the network: {seen['remote']}"
    assert not seen["errors"], f"{name}: console errors: {seen['errors']}"
    assert not seen["failed"], f"{name}: local files failed: {seen['failed']}"
    assert not broken, f"{name}: images that did not load: {broken}"


def test_lessons_in_order_with_previous_and_next(web_page, site: Path) -> None:
    for i, name in enumerate(LESSONS):
        open_offline(web_page, page_url(site, name))
        nxt = web_page.locator("a.right-next")
        prev = web_page.locator("a.left-prev")
        if i + 1 < len(LESSONS):
            assert nxt.get_attribute("href").startswith(f"{LESSONS[i + 1]}.html"), name
        if i > 0:
            assert prev.get_attribute("href").startswith(f"{LESSONS[i - 1]}.html"), name


def test_citation_and_term_links_resolve_bibliography_and_glossary_complete(site: Path) -> None:
    cited = 0
    for name in LESSONS:
        text = (site / f"{name}.html").read_text(encoding="utf-8")
        targets = set(re.findall(r'href="#((?:ref|term)-[\w-]+)"', text))
        ids = set(re.findall(r'id="((?:ref|term)-[\w-]+)"', text))
        assert targets <= ids, f"{name}: citation or term links with no target: {sorted(targets - ids)}"
        cited += len(targets)
    assert cited > 20, "the lessons' citation and term links did not survive the build"
    glossary = (site / "glossary.html").read_text(encoding="utf-8")
    for t in getattr(data.load(), "glossary", ()):
        assert f'id="term-{t.id}"' in glossary, f"glossary lacks {t.id}"
    bib = (site / "bibliography.html").read_text(encoding="utf-8")
    for key in data.load().references:
        assert f'id="ref-{key}"' in bib, f"bibliography lacks {key}"


def test_search_finds_the_lessons_offline(web_page, site: Path) -> None:
    from playwright.sync_api import expect

    seen = open_offline(web_page, page_url(site, "search", "?q=NMDA"))
    summary = web_page.locator("#search-results .search-summary, #search-results p").first
    expect(summary).to_contain_text("Search finished")
    found = {a.split(".html")[0] for a in web_page.locator("#search-results ul.search li a")
             .evaluate_all("els => els.map(e => e.getAttribute('href'))")}
    mentions = {n for n in LESSONS if "NMDA" in (site / f"{n}.html").read_text(encoding="utf-8")}
    assert {"01_neurons_and_synapses", "03_ketamine"} <= found, found
    assert found & set(LESSONS) <= mentions, "search returned a lesson that never says NMDA"
    assert not seen["remote"] and not seen["errors"], seen


# --------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_no_serious_or_critical_violations(chromium, site: Path, scheme: str) -> None:
    context = chromium.new_context(viewport={"width": 1300, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    problems = {}
    try:
        for name in PAGES:
            open_offline(page, page_url(site, name))
            assert page.evaluate("document.documentElement.dataset.theme") == scheme
            page.add_script_tag(path=str(AXE))
            result = page.evaluate("""async () => {
                const r = await axe.run(document, {runOnly: {type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
                return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => ({id: v.id, n: v.nodes.length,
                                first: v.nodes[0].target.join(' ') + ' ' + v.nodes[0].failureSummary}));
            }""")
            if result:
                problems[name] = result
    finally:
        context.close()
    assert not problems, json.dumps(problems, indent=1)[:4000]


# --------------------------------------------------------------------------- self-checks


def _one_of_each_type() -> list:
    picked = {}
    for q in data.load().quizzes:
        picked.setdefault(q.type, q)
    return list(picked.values())


def _right_and_wrong(q) -> tuple:
    if q.type == "numeric":
        return float(q.answer), float(q.answer) + 10 * (float(q.tolerance or 0) + 1)
    if q.type == "multiple_choice":
        return q.answer, next(o.id for o in q.options if o.id != q.answer)
    return tuple(q.answer), tuple(o.id for o in q.options if o.id not in q.answer)[:1]


def _answer(page, form, q, response) -> str:
    """Answer with the keyboard where a student would (Space on options, Enter on Check)."""
    from playwright.sync_api import expect

    if q.type == "numeric":
        form.locator("input[type=number]").fill(f"{response:g}")
    else:
        ids = [response] if isinstance(response, str) else list(response)
        for box in form.locator("input").all():
            want = box.get_attribute("value") in ids
            if box.is_checked() != want:
                box.focus()
                page.keyboard.press("Space")
    form.get_by_role("button", name="Check").focus()
    page.keyboard.press("Enter")
    feedback = form.locator(".mechlib-feedback")
    expect(feedback).not_to_be_empty()
    return feedback.inner_text().strip()


@pytest.mark.parametrize("q", _one_of_each_type(), ids=lambda q: q.type)
def test_quiz_marks_right_and_wrong_like_the_notebook(web_page, site: Path, q) -> None:
    open_offline(web_page, page_url(site, q.lesson))
    form = web_page.locator(f'form.mechlib-quiz[data-quiz="{q.id}"]')
    right, wrong = _right_and_wrong(q)
    for response, correct in ((wrong, False), (right, True)):
        shown = _answer(web_page, form, q, response)
        expected = quiz.check(q.id, response)
        assert expected.correct is correct
        assert shown.lstrip("\u2714\u2718\u2139 ") == expected.message
        assert ("mechlib-right" if correct else "mechlib-wrong") in form.locator(
            ".mechlib-feedback").get_attribute("class")
        for key in q.references:
            assert data.load().reference(key).citation in shown


def test_every_quiz_check_in_the_browser_equals_python(web_page, site: Path) -> None:
    """The page's marking function against mechlib.quiz.check, every question, several answers."""
    cases = []
    for q in data.load().quizzes:
        ids = [o.id for o in q.options]
        if q.type == "numeric":
            comma = f"{q.answer}".replace(".", ",")
            responses = [str(q.answer), str(float(q.answer) + 1000), "", "abc", comma]
        elif q.type == "multiple_choice":
            responses = [[i] for i in ids] + [None]
        else:
            responses = [ids, ids[:1], list(q.answer), []]
        for r in responses:
            py = r[0] if q.type == "multiple_choice" and r else r
            fb = quiz.check(q.id, py)
            cases.append({"id": q.id, "response": r, "message": fb.message, "correct": fb.correct})
    names = sorted({q.lesson for q in data.load().quizzes})
    checked = 0
    for name in names:
        open_offline(web_page, page_url(site, name))
        mine = [c for c in cases if c["id"] in {q.id for q in quiz.questions(name)}]
        got = web_page.evaluate("""cases => cases.map(c => {
            const form = document.querySelector(`form.mechlib-quiz[data-quiz="${c.id}"]`);
            const q = JSON.parse(form.querySelector('script.mechlib-quiz-data').textContent);
            return window.mechlibSite.check(q, c.response);
        })""", mine)
        for case, fb in zip(mine, got, strict=True):
            assert (fb["correct"], fb["message"]) == (case["correct"], case["message"]), case
            checked += 1
    assert checked == len(cases)


# --------------------------------------------------------------------------- explorers


def _shown_explorers() -> list[tuple[str, str]]:
    pairs = []
    for name in LESSONS:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                pairs += [(name, m) for m in build_site.EXPLORER_CALL.findall(cell.source)
                          if m not in {p[1] for p in pairs}]
    return pairs


def _values(ex, plan, idx) -> dict:
    return {c.name: plan.values[i][k] for i, (c, k) in enumerate(zip(ex.controls, idx, strict=True))}


def _a_control_that_changes_both(ex):
    """The first live control whose next value changes readout and figure (from the library)."""
    plan = frames.grid(ex)
    start = tuple(plan.values[i].index(c.check(c.default)) for i, c in enumerate(ex.controls))
    base = ex.render_values(**_values(ex, plan, start))
    base_fig = frames.figure_file(base.figure)
    for i, c in enumerate(ex.controls):
        if c.name in plan.frozen:
            continue
        for k in range(len(plan.values[i])):
            if k == start[i]:
                continue
            idx = start[:i] + (k,) + start[i + 1:]
            frame = ex.render_values(**_values(ex, plan, idx))
            fig = frames.figure_file(frame.figure)
            if frame.readout != base.readout and fig and fig[0] != (base_fig or ("",))[0]:
                return i, c, plan.values[i][k], frame, fig[0], start
    raise AssertionError(f"{ex.name}: no control changes both readout and figure")


def _set_control(page, section, i, c, value, start_index, plan) -> None:
    block = section.locator(f'.mechlib-control[data-index="{i}"]')
    if isinstance(c, Slider):
        target = plan.values[i].index(value)
        block.locator("input[type=range]").focus()
        key = "ArrowRight" if target > start_index else "ArrowLeft"
        for _ in range(abs(target - start_index)):
            page.keyboard.press(key)
    elif isinstance(c, Choice):
        block.locator("select").select_option(str(plan.values[i].index(value)))
    elif isinstance(c, Toggle):
        block.locator("input[type=checkbox]").click()
    elif isinstance(c, MultiToggle):
        for box in block.locator("input[type=checkbox]").all():
            want = json.loads(box.get_attribute("value")) in value
            if box.is_checked() != want:
                box.click()


@pytest.mark.parametrize("lesson,name", _shown_explorers(), ids=lambda v: v)
def test_explorer_moves_to_the_frame_of_its_controls(web_page, site: Path, lesson: str, name: str) -> None:
    from playwright.sync_api import expect

    ex = explorers.get(name)
    plan = frames.grid(ex)
    seen = open_offline(web_page, page_url(site, lesson))
    section = web_page.locator(f'section.mechlib-explorer[data-explorer="{name}"]')
    img, readout = section.locator("img.mechlib-figure"), section.locator(".mechlib-readout")
    start = ex.render_values(**{c.name: c.check(c.default) for c in ex.controls})
    assert readout.inner_text().strip() == start.readout.strip()
    # every slider shows its exact value and unit; frozen controls are disabled and say why
    for i, c in enumerate(ex.controls):
        block = section.locator(f'.mechlib-control[data-index="{i}"]')
        if isinstance(c, Slider):
            shown = f"{c.check(c.default):g} {c.unit}"
            expect(block.locator("output")).to_have_text(shown)
            assert block.locator("label").inner_text().endswith(f"({c.unit})")
        if c.name in plan.frozen:
            assert block.locator("input, select").first.is_disabled()
            expect(block).to_contain_text("live notebook")
    i, c, value, frame, fig_name, start_idx = _a_control_that_changes_both(ex)
    _set_control(web_page, section, i, c, value, start_idx[i], plan)
    expect(readout).to_have_text(frame.readout.strip())
    assert img.get_attribute("src").endswith(f"{name}/{fig_name}")
    # the new picture loads (waited for: a file:// image is decoded after the src changes)
    web_page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
    assert img.get_attribute("alt") == explorer_page.summary(frame.description)
    assert section.locator(".mechlib-description").text_content().strip() == frame.description.strip()
    if isinstance(c, Slider):
        expect(section.locator(f'.mechlib-control[data-index="{i}"] output')).to_have_text(
            f"{value:g} {c.unit}")
    assert not seen["errors"], seen["errors"]


def test_model_answers_open_with_the_keyboard(web_page, site: Path) -> None:
    """A "Think about it" model answer (and any other disclosure) opens from the keyboard."""
    from mechlib.teaching import prompts

    lesson = next((p.lesson for p in data.load().prompts), LESSONS[1])
    open_offline(web_page, page_url(site, lesson))
    answers = web_page.locator("details.mechlib-answer")
    details = answers.first if answers.count() else web_page.locator("details").first
    assert details.evaluate("d => !d.open")
    details.locator("summary").focus()
    web_page.keyboard.press("Enter")
    assert details.evaluate("d => d.open")
    if answers.count():
        shown = " ".join(details.inner_text().split())
        starts = [" ".join(prompts.answer(p.id).split()[:4]) for p in data.load().prompts
                  if p.lesson == lesson]
        assert any(s in shown for s in starts), shown[:200]
