"""The offline site's library parts and build checks, without a browser (mechlib.site, build_site)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat
import pytest

from mechlib import data, explorers
from mechlib.explorers import Choice, Explorer, Frame, MultiToggle, Slider, Toggle
from mechlib.site import explorer_page, frames, pages, quizzes

REPO = Path(__file__).resolve().parents[1]


def load_build_site():
    spec = importlib.util.spec_from_file_location("mechlib_build_site", REPO / "scripts" / "build_site.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = load_build_site()


# --------------------------------------------------------------------------- frames


@pytest.mark.parametrize("name", sorted(explorers.REGISTRY))
def test_grid_covers_every_discrete_value_and_slider_defaults(name: str) -> None:
    ex = explorers.get(name)
    plan = frames.grid(ex)
    assert plan.size() <= frames.MAX_FRAMES
    for c, values in zip(ex.controls, plan.values, strict=True):
        assert c.check(c.default) in values, f"{name}.{c.name}: default not among the stops"
        if c.name in plan.frozen:
            assert values == (c.check(c.default),)
        elif isinstance(c, Slider):
            assert len(values) in frames.SLIDER_STOPS
            assert values[0] == c.min and c.max - c.step < values[-1] <= c.max
            assert all(c.check(v) == v for v in values)
        else:
            assert set(values) == set(frames.control_values(c, 5))


def test_grid_freezes_the_last_slider_first_then_keeps_most_frames() -> None:
    render = lambda **kw: Frame(None, str(kw), "-")  # noqa: E731
    sliders = tuple(Slider(f"s{i}", f"S{i}", 0.0, 1.0, 0.1, 0.5, "u") for i in range(4))
    many = Explorer("many", "Many", (Choice("c", "C", (("a", 1), ("b", 2)), 1), *sliders), render)
    plan = frames.grid(many, max_frames=250)
    assert plan.frozen == ("s3",) and plan.size() == 2 * 5 ** 3
    big = Explorer("big", "Big", (Choice("v", "V", tuple((str(i), i) for i in range(5)), 0),
                                  MultiToggle("d", "D", (("x", "x"), ("y", "y")), ("x",)),
                                  Toggle("t", "T", False),
                                  Choice("n", "N", tuple((str(i), i) for i in range(29)), 0)), render)
    plan = frames.grid(big, max_frames=250)
    assert plan.frozen == ("v",) and plan.size() == 4 * 2 * 29


def test_slider_stops_are_on_the_step_and_include_the_default() -> None:
    s = Slider("days", "Days", 7, 84, 7, 56, "days", integer=True)
    stops = frames.slider_stops(s, 7)
    assert 56 in stops and all(isinstance(v, int) and v % 7 == 0 for v in stops)
    assert len(stops) == 7


def test_identical_pictures_are_stored_once() -> None:
    ex = explorers.get("ketamine_pk")
    rendered = frames.render_explorer(ex, processes=1, max_frames=20)
    assert len(rendered.figures) < len(rendered.frames)
    assert all(f["figure"] in rendered.figures for f in rendered.frames.values())
    assert all(name.endswith(".png") and body[:4] == b"\x89PNG" for name, body in rendered.figures.items())


def test_svg_figures_are_kept_as_svg() -> None:
    name, body = frames.figure_file('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>')
    assert name.endswith(".svg") and body.startswith(b"<svg")


def test_explorer_html_labels_every_control_and_marks_frozen_ones() -> None:
    rendered = frames.render_explorer(explorers.get("ketamine_pk"), processes=1, max_frames=20)
    page = explorer_page.explorer_html(rendered, "_static/frames/ketamine_pk.js")
    for i, c in enumerate(rendered.grid.explorer.controls):
        if isinstance(c, MultiToggle):
            continue
        assert f'for="explorer-ketamine_pk-c{i}"' in page, f"{c.name} has no label"
    for c in rendered.grid.explorer.controls:
        if isinstance(c, Slider):
            assert f"({c.unit})</label>" in page
    assert rendered.grid.frozen
    assert page.count(" disabled") >= len(rendered.grid.frozen)
    assert "live notebook" in page
    assert 'alt="' in page and 'alt=""' not in page


def test_toggle_and_choice_values_are_shown_by_label() -> None:
    assert explorer_page.value_text(Toggle("t", "T", True), False) == "off"
    assert explorer_page.value_text(Choice("c", "C", (("Oral", "oral"),), "oral"), "oral") == "Oral"


# --------------------------------------------------------------------------- quizzes and pages


@pytest.mark.parametrize("q", data.load().quizzes, ids=lambda q: q.id)
def test_every_quiz_form_has_labelled_inputs_and_its_data(q) -> None:
    form = quizzes.form_html(q.id)
    kind = {"multiple_choice": "radio", "multiple_select": "checkbox", "numeric": "number"}[q.type]
    assert form.count(f'type="{kind}"') == (len(q.options) if q.options else 1)
    assert form.count("<label for=") == (len(q.options) if q.options else 1)
    assert "mechlib-quiz-data" in form and 'role="status"' in form
    visible = form.split('<script type="application/json"')[0]
    assert q.explanation not in visible, "the explanation must not show before Check"


def test_bibliography_has_every_reference_anchor() -> None:
    ds = data.load()
    md = pages.bibliography_md(ds)
    for key in ds.references:
        assert f'<a id="ref-{key}"></a>' in md


def test_glossary_page_from_a_fixture(tmp_path: Path) -> None:
    (tmp_path / "glossary.yaml").write_text(
        "glossary:\n"
        "  - term: Use-dependent block\n"
        "    definition: A block that grows with how often the channel opens.\n"
        "    reference: kuo1998\n"
        "    first_lesson: 02_lamotrigine\n"
        "  - term: NMDA receptor\n"
        "    definition: A glutamate receptor that also needs depolarisation.\n"
        "    first_lesson: 01_neurons_and_synapses\n", encoding="utf-8")
    (tmp_path / "glossary.yaml").write_text((tmp_path / "glossary.yaml").read_text().replace(
        "glossary:", "terms:"), encoding="utf-8")
    entries = pages.load_glossary(tmp_path)
    md = pages.glossary_md(entries, data.load())
    assert md.index("NMDA receptor") < md.index("Use-dependent block")  # alphabetical
    assert '<a id="term-use-dependent-block"></a>' in md
    assert 'href="bibliography.html#ref-kuo1998"' in md
    assert 'href="02_lamotrigine.html#term-use-dependent-block"' in md
    (tmp_path / "glossary.yaml").write_text("glossary:\n  - term: X\n", encoding="utf-8")
    with pytest.raises(ValueError, match="entry 1 needs a term and a definition"):
        pages.load_glossary(tmp_path)


def test_first_use_of_a_term_is_linked_once_outside_code_links_and_headings() -> None:
    cells = ["## Glutamate\nSee `glutamate` and [glutamate](#ref-x).", "```\nglutamate\n```",
             "Glutamate is released. Glutamate binds.", "Later, glutamate again."]
    out = pages.link_first_uses(cells, [("glutamate", "glutamate")])
    assert out[0] == cells[0] and out[1] == cells[1] and out[3] == cells[3]
    assert out[2] == '<a href="glossary.html#term-glutamate">Glutamate</a> is released. Glutamate binds.'
    assert pages.link_first_uses(out, [("glutamate", "glutamate")]) == out  # already linked
    mine = ["The [glutamate](#term-glutamate) surge.", "Glutamate again."]
    assert pages.link_first_uses(mine, [("glutamate", "glutamate")]) == mine  # the lesson links it


def test_the_glossary_page_has_every_term_of_the_data() -> None:
    ds = data.load()
    md = pages.glossary_md(pages.glossary_entries(ds, REPO / "data"), ds)
    for t in getattr(ds, "glossary", ()):
        assert f'<a id="term-{t.id}"></a>' in md


def test_no_glossary_file_gives_an_empty_page(tmp_path: Path) -> None:
    assert pages.load_glossary(tmp_path) == []
    assert "No glossary entries yet" in pages.glossary_md([], data.load())


def test_answer_key_lists_every_question() -> None:
    md = pages.answer_key_md(data.load())
    assert md.count("- Answer: ") == len(data.load().quizzes)


# --------------------------------------------------------------------------- failing loudly


def _saved_lesson(path: Path, widget_state: bool, outputs: bool) -> Path:
    """A small lesson as `make notebooks` saves it: a widget view, and its state if asked."""
    nb = nbformat.v4.new_notebook()
    view = {"model_id": "m1", "version_major": 2, "version_minor": 0}
    cell = nbformat.v4.new_code_cell('widgets.show("mg_block")', execution_count=1 if outputs else None)
    if outputs:
        cell.outputs = [nbformat.v4.new_output(
            "display_data", data={build_site.WIDGET_VIEW: view, "text/plain": "VBox()"})]
    nb.cells = [nbformat.v4.new_markdown_cell("# A lesson"), cell]
    if widget_state:
        nb.metadata["widgets"] = {build_site.WIDGET_STATE: {"state": {"m1": {}}, "version_major": 2,
                                                            "version_minor": 0}}
    nbformat.write(nb, path)
    return path


def _copy_lesson(tmp: Path, strip_state: bool, strip_outputs: bool) -> Path:
    folder = tmp / "notebooks"
    folder.mkdir()
    _saved_lesson(folder / "00_start_here.ipynb", widget_state=not strip_state, outputs=not strip_outputs)
    _saved_lesson(folder / "01_neurons_and_synapses.ipynb", widget_state=True, outputs=True)
    return folder


@pytest.mark.parametrize("strip", ["widget state", "outputs"])
def test_build_fails_naming_the_notebook_and_the_fix(strip: str, tmp_path: Path, capsys) -> None:
    folder = _copy_lesson(tmp_path, strip_state=True, strip_outputs=strip == "outputs")
    out = tmp_path / "site"
    code = build_site.main(["--notebooks", str(folder), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "00_start_here.ipynb" in err and "01_neurons" not in err
    assert "make notebooks" in err
    assert ("widget state" if strip == "widget state" else "without saved outputs") in err
    assert "Traceback" not in err
    assert not out.exists(), "nothing half-written"


def test_a_saved_lesson_passes_the_check(tmp_path: Path) -> None:
    nb = nbformat.read(_saved_lesson(tmp_path / "x.ipynb", True, True), as_version=4)
    assert build_site.notebook_problems(nb) == []


def test_committed_lessons_pass_the_check() -> None:
    """The committed lessons are executed with their widget state (`make notebooks`)."""
    for p in sorted((REPO / "notebooks").glob("*.ipynb")):
        assert not build_site.notebook_problems(nbformat.read(p, as_version=4)), p.name


def test_remote_references_are_found() -> None:
    assert build_site.remote_references('<script src="https://x.org/a.js"></script>')
    assert build_site.remote_references('<link rel="stylesheet" href="//fonts.x.com/c.css">')
    assert build_site.remote_references("@import url(https://fonts.x.com/c.css);", css=True)
    assert not build_site.remote_references('<a href="https://doi.org/10.1/x">doi</a>')
