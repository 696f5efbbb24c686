"""The "Think about it" prompts: every prompt in every lesson has a model answer in data/prompts.yaml,
hidden in a disclosure until the learner opens it, and the instructor guide carries the key."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from mechlib import data, lesson
from mechlib.cli import main
from mechlib.data import rules
from mechlib.teaching import prompts

DS = data.load()
PROMPTS = list(DS.prompts)
NOTEBOOKS = DS.data_dir.parent / "notebooks"
GUIDE = DS.data_dir.parent / "docs" / "instructor-guide.md"
CALL = re.compile(r"""lesson\.prompt\(\s*["']([^"']+)["']\s*\)""")


def cells(les_id: str) -> list[dict]:
    return json.loads((NOTEBOOKS / f"{les_id}.ipynb").read_text(encoding="utf-8"))["cells"]


def shown_prompts(les_id: str) -> list[str]:
    return [m for c in cells(les_id) if c["cell_type"] == "code"
            for m in CALL.findall("".join(c["source"]))]


@pytest.mark.parametrize("les", [les.id for les in DS.lessons])
def test_every_prompt_in_a_lesson_has_a_model_answer(les):
    for c in cells(les):
        if c["cell_type"] == "markdown":
            assert "Think about it" not in "".join(c["source"]), "a prompt written in Markdown has no answer"
    by_id = {p.id: p for p in PROMPTS}
    for pid in shown_prompts(les):
        assert pid in by_id, f"{les} shows prompt {pid!r}, which prompts.yaml lacks"
        p = by_id[pid]
        assert p.lesson == les and len(p.answer) > 80 and p.references and p.mistakes


def test_every_prompt_is_shown_once_in_its_lesson():
    shown = [(les.id, pid) for les in DS.lessons for pid in shown_prompts(les.id)]
    assert sorted(shown) == sorted((p.lesson, p.id) for p in PROMPTS)
    assert len(PROMPTS) >= 25


@pytest.mark.parametrize("p", PROMPTS, ids=[p.id for p in PROMPTS])
def test_the_answer_is_hidden_in_a_disclosure(p):
    view = lesson.prompt(p.id)
    page = view._repr_html_()
    head, details = page.split("<details", 1)
    assert "Think about it." in head and prompts.SUMMARY in details
    first_words = " ".join(p.answer.split()[:6])
    assert first_words not in head, "the answer must not show before the disclosure is opened"
    assert prompts.markdown_html(p.answer) in details
    for key in p.references:
        assert DS.reference(key).citation in details.replace("&amp;", "&")
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    assert " ".join(p.prompt.split()[:5]) in bundle["text/plain"]
    assert first_words not in bundle["text/plain"], "plain-text views show the prompt only"
    assert lesson.answer(p.id).startswith(p.answer)


def test_markdown_in_prompts_is_rendered_and_raw_html_escaped():
    page = lesson.prompt("exp_established_paths")._repr_html_()
    assert '<a href="#ref-wilkowska2022">Wilkowska 2022</a>' in page
    assert "<em>Established edges only</em>" in page
    assert prompts.markdown_html("<script>x</script>") == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n"


def test_unknown_prompt_lists_the_allowed_ids():
    with pytest.raises(ValueError, match="unknown prompt 'nope'; allowed: .*cli_week_gap"):
        lesson.prompt("nope")


# --------------------------------------------------------------------------- validation


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(DS.data_dir, tmp_path / "data")
    shutil.copytree(NOTEBOOKS, tmp_path / "notebooks")
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_prompt_with_unknown_reference_or_lesson_is_rejected(copy):
    _edit(copy / "data" / "prompts.yaml", "references: [lamictal_label]\n", "references: [lamictal_lable]\n")
    _edit(copy / "data" / "prompts.yaml", "lesson: 08_mechanism_explorer", "lesson: 08_explorer")
    with pytest.raises(data.DataError) as info:
        data.load(copy / "data")
    found = [str(p) for p in info.value.problems]
    assert any(p.startswith("prompts.yaml: prompt start_model_limits: reference 'lamictal_lable'")
               for p in found), found
    assert any(p.startswith("prompts.yaml: prompt exp_established_paths: lesson '08_explorer'")
               for p in found)


def test_prompt_without_an_answer_is_a_schema_error(copy):
    text = (copy / "data" / "prompts.yaml").read_text(encoding="utf-8")
    text = re.sub(r'(  - id: cli_week_gap\n(?:.*\n)*?)    answer: .*\n', r"\1", text, count=1)
    (copy / "data" / "prompts.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(data.DataError, match="prompts.yaml.*'answer' is a required property"):
        data.load(copy / "data")


def test_check_data_reports_a_prompt_missing_from_its_lesson_and_a_bare_prompt(copy, capsys):
    nb = copy / "notebooks" / "07_clinical_practice_and_safety.ipynb"
    _edit(nb, 'lesson.prompt(\\"cli_week_gap\\")', 'print(\\"**Think about it.** no answer\\")')
    book = json.loads(nb.read_text(encoding="utf-8"))
    book["cells"].append({"cell_type": "markdown", "id": "bare0001", "metadata": {},
                          "source": ["**Think about it.** A prompt with no model answer."]})
    book["cells"].append({"cell_type": "code", "id": "wrong001", "metadata": {}, "outputs": [],
                          "execution_count": None, "source": ['lesson.prompt("lam_valproate_curve")']})
    nb.write_text(json.dumps(book), encoding="utf-8")
    found = [str(p) for p in rules.check_notebooks(data.load(copy / "data"), copy / "notebooks")]
    assert any("prompts.yaml: prompt cli_week_gap: is not shown in 07_clinical" in p for p in found)
    assert any("07_clinical_practice_and_safety.ipynb" in p and
               "writes a Think-about-it prompt in Markdown" in p for p in found)
    assert any("shows prompt 'lam_valproate_curve' of lesson 02_lamotrigine" in p for p in found)
    assert main(["check-data", "--data-dir", str(copy / "data")]) == 1
    err = capsys.readouterr().err
    assert "prompt cli_week_gap: is not shown" in err and "Traceback" not in err


# --------------------------------------------------------------------------- the instructor guide


def test_instructor_guide_carries_the_answer_key_from_the_data():
    guide = GUIDE.read_text(encoding="utf-8")
    start = "<!-- answer key: generated by mechlib.teaching.prompts.answer_key -->"
    end = "<!-- end of answer key -->"
    assert start in guide and end in guide
    key = guide.split(start, 1)[1].split(end, 1)[0].strip()
    assert key == prompts.answer_key().strip(), "regenerate: python scripts/answer_key.py"
    for p in PROMPTS:
        assert p.answer in key and all(m in key for m in p.mistakes)
    assert "](#" not in key, "in-page links of the lessons do not work in the guide"
