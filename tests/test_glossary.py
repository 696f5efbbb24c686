"""The glossary in data/glossary.yaml: rendered in lesson 00 with a stable anchor per term, linked
from each term's first use, and checked by check-data (unknown terms, wrong targets, unlinked terms)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from mechlib import data, lesson
from mechlib.cli import main
from mechlib.data import rules
from mechlib.teaching import glossary

DS = data.load()
TERMS = list(DS.glossary)
NOTEBOOKS = DS.data_dir.parent / "notebooks"
LINK = re.compile(r"\]\([^)#\s]*#term-([a-z0-9-]+)\)")


def lesson_markdown(les_id: str) -> str:
    book = json.loads((NOTEBOOKS / f"{les_id}.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in book["cells"] if c["cell_type"] == "markdown")


def test_shipped_lessons_link_up():
    assert rules.check_notebooks(DS, NOTEBOOKS) == []
    assert len(TERMS) >= 25


@pytest.mark.parametrize("t", TERMS, ids=[t.id for t in TERMS])
def test_every_term_has_an_anchor_a_source_and_a_link_in_its_first_lesson(t):
    page = lesson.glossary().data
    assert f'<a id="term-{t.id}"></a>**{t.term}**: {t.definition}' in page
    assert DS.reference(t.reference).citation in page
    text = lesson_markdown(t.first_lesson) + "\n".join(
        p.prompt for p in DS.prompts if p.lesson == t.first_lesson)
    assert f"]({glossary.link(t.id)})" in text and glossary.link(t.id) == f"#term-{t.id}"
    section = lesson.glossary(t.first_lesson).data  # the anchor the link points to, in the same lesson
    assert f'<a id="term-{t.id}"></a>**{t.term}**: {t.definition}' in section
    earlier = [les.id for les in DS.lessons][: [les.id for les in DS.lessons].index(t.first_lesson)]
    for les in earlier:  # no lesson before the first one links it
        assert t.id not in LINK.findall(lesson_markdown(les)), (t.id, les)


def test_glossary_is_alphabetical_and_ids_are_sphinx_style_anchors():
    page = lesson.glossary().data
    shown = re.findall(r'<a id="term-([^"]+)"></a>\*\*(.+?)\*\*', page)
    assert [term.lower() for _, term in shown] == sorted(term.lower() for _, term in shown)
    for tid, _ in shown:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tid)
    for les in DS.lessons:
        book = json.loads((NOTEBOOKS / f"{les.id}.ipynb").read_text(encoding="utf-8"))
        calls = ["".join(c["source"]).strip() for c in book["cells"]
                 if c["cell_type"] == "code" and "lesson.glossary(" in "".join(c["source"])]
        if les.id == "00_start_here":
            assert calls == ["lesson.glossary()"], "lesson 00 renders the whole glossary"
        elif any(t.first_lesson == les.id for t in TERMS):
            assert calls == [f'lesson.glossary("{les.id}")'], les.id
        else:
            assert not calls, les.id


def test_every_link_in_every_lesson_names_a_term():
    ids = {t.id for t in TERMS}
    for les in DS.lessons:
        for tid in LINK.findall(lesson_markdown(les.id)):
            assert tid in ids, (les.id, tid)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(DS.data_dir, tmp_path / "data")
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_data_reports_a_broken_link_a_wrong_target_and_an_unlinked_term(copy, capsys):
    nb = copy / "notebooks" / "02_lamotrigine.ipynb"
    _edit(nb, "(#term-half-life)", "(#term-half-lives)")
    _edit(nb, "(#term-titration)", "(00_start_here.ipynb#term-titration)")
    _edit(nb, "(#term-glucuronidation)", "(#term-synergy)")  # a term of lesson 04
    found = [str(p) for p in rules.check_notebooks(data.load(copy / "data"), copy / "notebooks")]
    assert any(p.startswith("notebooks/02_lamotrigine.ipynb: cell ") and
               "links glossary term 'half-lives', which is not in glossary.yaml; allowed: " in p
               for p in found), found
    assert any("links term 'titration' as '00_start_here.ipynb#term-titration'; allowed: "
               "'#term-titration'" in p for p in found), found
    assert any("links term 'synergy', which this lesson's glossary section does not list "
               "(its first lesson is 04_synergy_hypothesis)" in p for p in found), found
    assert any(p.startswith("glossary.yaml: term half-life: is not linked in its first lesson "
                            "02_lamotrigine") for p in found), found
    assert main(["check-data", "--data-dir", str(copy / "data")]) == 1
    err = capsys.readouterr().err
    assert "'half-lives', which is not in glossary.yaml" in err and "Traceback" not in err
    nowhere = str(copy / "nowhere")
    assert main(["check-data", "--data-dir", str(copy / "data"), "--notebooks-dir", nowhere]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_check_data_reports_a_lesson_without_its_glossary_section(copy):
    nb = copy / "notebooks" / "07_clinical_practice_and_safety.ipynb"
    _edit(nb, 'lesson.glossary(\\"07_clinical_practice_and_safety\\")', 'lesson.glossary(\\"03_ketamine\\")')
    found = [str(p) for p in rules.check_notebooks(data.load(copy / "data"), copy / "notebooks")]
    assert any("07_clinical_practice_and_safety.ipynb: (cells): renders no glossary section for its terms"
               in p for p in found), found
    assert any("renders the glossary section of 03_ketamine" in p for p in found), found


def test_a_broken_notebook_is_reported_not_raised(copy, capsys):
    (copy / "notebooks" / "05_antagonism_hypothesis.ipynb").write_text("<<<<<<< HEAD\n{", encoding="utf-8")
    found = [str(p) for p in rules.check_notebooks(data.load(copy / "data"), copy / "notebooks")]
    assert any(p.startswith("notebooks/05_antagonism_hypothesis.ipynb: (file): is not a notebook (")
               for p in found)
    assert main(["check-data", "--data-dir", str(copy / "data")]) == 1
    assert "is not a notebook" in capsys.readouterr().err


def test_glossary_entries_are_validated(copy):
    _edit(copy / "data" / "glossary.yaml", "reference: tallarida2006", "reference: tallarida2060")
    _edit(copy / "data" / "glossary.yaml", "first_lesson: 07_clinical_practice_and_safety",
          "first_lesson: 07_clinical")
    _edit(copy / "data" / "glossary.yaml", "- id: ki\n", "- id: half-life\n")
    with pytest.raises(data.DataError) as info:
        data.load(copy / "data")
    found = [str(p) for p in info.value.problems]
    assert any(p.startswith("glossary.yaml: term synergy: reference 'tallarida2060'") for p in found)
    assert any(p.startswith("glossary.yaml: term trough: lesson '07_clinical'") for p in found)
    assert any("term half-life: duplicate term id" in p for p in found)
    _edit(copy / "data" / "glossary.yaml", "- id: half-life\n", "- id: Half Life\n")
    with pytest.raises(data.DataError, match="glossary.yaml"):
        data.load(copy / "data")


def test_unknown_term_lists_the_allowed_ids():
    with pytest.raises(ValueError, match="unknown glossary term 'x'; allowed: .*synergy"):
        glossary.term("x")
