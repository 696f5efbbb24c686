"""nbgrader assignments from the self-checks: the exporter, its CLI errors, and a real round trip.

The round trip runs nbgrader 0.9 (requirements-grading.txt) on a fake class of three: one perfect
student, one with two mistakes, one who hands in the blank notebook. It goes through the whole
loop of docs/instructor-guide.md: generate, release, fetch, submit, collect, autograde, feedback,
export, and checks the scores, the feedback text (mechlib's own, with sources) and the CSV.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from mechlib import data, exercises, quiz
from mechlib.cli import main
from mechlib.teaching import assignments

LESSON = "01_neurons_and_synapses"
QUESTIONS = [q for q in data.load().quizzes if q.lesson == LESSON]
EXERCISES = [e for e in data.load().exercises if e.lesson == LESSON]
TOTAL = sum(q.points for q in QUESTIONS) + sum(e.points for e in EXERCISES)
BIN = Path(sys.executable).parent


def test_points_come_from_the_data():
    nb = assignments.notebook(LESSON)
    tests = [c for c in nb.cells if c.metadata["nbgrader"]["grade"]]
    assert EXERCISES, "the round trip should include an exercise"
    assert [c.metadata["nbgrader"]["points"] for c in tests] == [
        *(q.points for q in QUESTIONS), *(e.points for e in EXERCISES)]
    assert f"{TOTAL} points" in nb.cells[0].source


def test_numeric_question_keeps_unit_and_tolerance():
    q = next(q for q in QUESTIONS if q.type == "numeric")
    nb = assignments.notebook(LESSON)
    cells = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells}
    assert q.unit in cells[f"{q.id}_question"]
    assert f"±{q.tolerance:g} {q.unit}" in cells[f"{q.id}_question"]
    assert f"a number in {q.unit}" in cells[f"{q.id}_answer"]
    assert f"answer_{q.id} = {float(q.answer)!r}" in cells[f"{q.id}_answer"]
    test = cells[f"{q.id}_test"]
    hidden = test.split("### BEGIN HIDDEN TESTS", 1)[1]
    assert f'quiz.check("{q.id}"' in hidden and "### END HIDDEN TESTS" in hidden


def test_points_are_validated(tmp_path):
    shutil.copytree(Path(data.__file__).resolve().parents[2] / "data", tmp_path / "data")
    path = tmp_path / "data" / "quizzes.yaml"
    path.write_text(path.read_text().replace("points: 2", "points: 0", 1))
    with pytest.raises(data.DataError, match="quizzes.yaml"):
        data.load(tmp_path / "data")


@pytest.mark.parametrize("argv, code, words", [
    (["99_nothing"], 2, "unknown lesson '99_nothing'; allowed: 00_start_here"),
    ([LESSON, LESSON], 2, "given twice"),
])
def test_bad_lesson_exits_2_and_writes_nothing(tmp_path, capsys, argv, code, words):
    out = tmp_path / "course" / "source" / "w1"
    assert main(["export-nbgrader", *argv, "--out", str(out)]) == code
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "course").exists()


def test_existing_assignment_is_not_overwritten(tmp_path, capsys):
    out = tmp_path / "w1"
    out.mkdir()
    (out / "mine.ipynb").write_text("{}")
    assert main(["export-nbgrader", LESSON, "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["mine.ipynb"]


def test_unwritable_out_exits_3_and_leaves_nothing(tmp_path, capsys):
    blocker = tmp_path / "afile"
    blocker.write_text("")
    assert main(["export-nbgrader", LESSON, "--out", str(blocker / "w1")]) == 3
    assert "is a file, not a folder" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # root ignores the mode bits: use a read-only file system
            locked = Path("/proc/mechlib-test")
        assert main(["export-nbgrader", LESSON, "--out", str(locked / "w1")]) == 3
        assert "cannot write to" in capsys.readouterr().err
    finally:
        (tmp_path / "locked").chmod(0o700)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "locked"]
    assert not any((tmp_path / "locked").iterdir())


# ------------------------------------------------------------------ the round trip


def _answers(kind: str) -> dict[str, object]:
    """What each fake student answers: perfect, two mistakes, or nothing (blank)."""
    out: dict[str, object] = {}
    wrong = {next(q.id for q in QUESTIONS if q.type == "numeric"),
             next(q.id for q in QUESTIONS if q.type == "multiple_choice")}
    for q in QUESTIONS:
        if kind == "blank":
            continue
        if q.type == "numeric":  # inside the tolerance, not the exact value
            right = float(q.answer) + float(q.tolerance or 0) / 2
            out[q.id] = float(q.answer) + 10 * float(q.tolerance or 0) + 1 if (
                kind == "mistakes" and q.id in wrong) else right
        elif q.type == "multiple_choice" and kind == "mistakes" and q.id in wrong:
            out[q.id] = next(o.id for o in q.options if o.id != q.answer)
        else:
            out[q.id] = list(q.answer) if q.type == "multiple_select" else q.answer
    for e in EXERCISES:  # right, within the relative tolerance
        if kind != "blank":
            out[e.id] = float(e.answer) * (1 + e.tolerance / 2)
    return out


def _fill(path: Path, answers: dict[str, object]) -> None:
    nb = nbformat.read(path, as_version=4)
    released = "\n".join(c.source for c in nb.cells)
    for secret in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "_feedback ="):
        assert secret not in released  # the students' copy shows neither answers nor tests
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        qid = grade_id.removesuffix("_answer").removeprefix("exercise_")
        if qid in answers and cell.metadata["nbgrader"]["solution"]:
            stub = "# YOUR CODE HERE\nraise NotImplementedError()"
            assert stub in cell.source
            cell.source = cell.source.replace(stub, f"answer_{qid} = {answers[qid]!r}")
    nbformat.write(nb, path)


def _nbgrader(cwd: Path, *args: str, user: str | None = None) -> None:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run([str(BIN / "nbgrader"), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    # nbgrader's own errors ("[AutogradeApp | ERROR] ..."); a kernel's shutdown race can log an
    # unrelated "ERROR:tornado.general" line from ipykernel, which says nothing about grading.
    assert not re.search(r"\| ERROR\]", proc.stderr), proc.stderr[-2000:]


def _text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    course, exchange = root / "course", root / "exchange"
    exchange.mkdir()
    assert main(["export-nbgrader", LESSON, "--out", str(course / "source" / "week1")]) == 0
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        "c.CourseDirectory.course_id = 'mechlib-test'\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "from mechlib.teaching import assignments\n"
        "assignments.configure_feedback(c)\n")
    _nbgrader(course, "generate_assignment", "week1")
    _nbgrader(course, "release_assignment", "week1")
    ex = f"--Exchange.root={exchange}"
    for student in ("perfect", "mistakes", "blank"):
        home = root / student
        home.mkdir()
        _nbgrader(home, "fetch_assignment", "week1", "--course=mechlib-test", ex)
        _fill(home / "week1" / f"{LESSON}.ipynb", _answers(student))
        _nbgrader(home, "submit", "week1", "--course=mechlib-test", f"--student={student}", ex)
    _nbgrader(course, "collect", "week1")
    _nbgrader(course, "autograde", "week1", "--create")
    _nbgrader(course, "generate_feedback", "week1")
    _nbgrader(course, "export", "--to=grades.csv")
    with open(course / "grades.csv", newline="") as f:
        grades = {row["student_id"]: row for row in csv.DictReader(f)}
    feedback = {s: (course / "feedback" / s / "week1" / f"{LESSON}.html").read_text()
                for s in grades}
    return grades, feedback


def test_scores_in_the_exported_csv(graded):
    grades, _ = graded
    assert set(grades) == {"perfect", "mistakes", "blank"}
    answers = _answers("mistakes")
    wrong = [q for q in QUESTIONS if not quiz.check(q.id, answers[q.id]).correct]
    assert all(exercises.check(e.id, answers[e.id]).correct for e in EXERCISES)
    assert len(wrong) == 2
    expected = {"perfect": TOTAL, "mistakes": TOTAL - sum(q.points for q in wrong), "blank": 0}
    for student, score in expected.items():
        assert float(grades[student]["score"]) == score, student
        assert float(grades[student]["max_score"]) == TOTAL
        assert grades[student]["assignment"] == "week1"


def test_feedback_is_mechlibs_explanation_with_sources(graded):
    _, feedback = graded
    for student in ("perfect", "mistakes"):
        text = _text(feedback[student])
        for qid, answer in _answers(student).items():
            if qid in {e.id for e in EXERCISES}:
                message = exercises.check(qid, answer).message
                assert "Worked solution: " + " ".join(str(exercises.solution(qid)).split()) in text
            else:
                message = quiz.check(qid, answer).message
                assert "Sources:" in message
            assert " ".join(message.split()) in text, (student, qid)
    assert "Not quite: you entered" in _text(feedback["mistakes"])
    assert _text(feedback["blank"]).count("No answer yet") == len(QUESTIONS)
    assert _text(feedback["blank"]).count("not answered yet") == len(EXERCISES)


def test_feedback_loads_nothing_from_the_network(graded):
    _, feedback = graded
    for page in feedback.values():
        assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']?(https?:)?//", page)
        assert "mathjax" not in page.replace("Loading mathjax macro", "").replace(
            "MathJax left out", "").lower()
