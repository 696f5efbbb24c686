"""nbgrader assignments from the lessons' self-checks (``data/quizzes.yaml``) and exercises.

:func:`notebook` turns one lesson's questions into an nbgrader *source* notebook: per question a
locked Markdown cell with the question, an answer cell (the solution is the answer in the data,
which nbgrader clears when it releases the assignment) and a locked test cell worth the question's
``points``, whose hidden test calls :func:`mechlib.quiz.check` - the same check as the lesson's
"Check" button. The test prints mechlib's feedback (explanation and sources), so the student's
feedback page explains every mark. Numeric questions keep their unit and tolerance. The lesson's
exercises (``data/exercises.yaml``) follow, marked by :func:`mechlib.exercises.check` in the same
way, with the worked solution and sources in the feedback.

:func:`write` writes a whole assignment folder, all or nothing. :func:`configure_feedback` points
nbgrader's feedback pages at a template without MathJax, so they open offline.

Examples
--------
>>> nb = notebook("00_start_here")
>>> [c.metadata["nbgrader"]["grade_id"] for c in nb.cells[1:4]]
['start_what_suite_is_question', 'start_what_suite_is_answer', 'start_what_suite_is_test']
>>> nb.cells[3].metadata["nbgrader"]["points"]
1
>>> "quiz.check(\\"start_what_suite_is\\"" in nb.cells[3].source
True
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mechlib import SAFETY_NOTE, data, files
from mechlib.data import Quiz

#: Where the feedback template lives (``mechlib_feedback``: nbgrader's, without MathJax).
TEMPLATES = Path(__file__).with_name("nbgrader_templates")

_KIND = {
    "multiple_choice": "choose one",
    "multiple_select": "tick all that apply",
    "numeric": "enter a number",
}


class OutputError(OSError):
    """The output folder cannot be written (the CLI exits with status 3)."""


def _meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
          points: int | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked,
                            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta, "mechlib": {"kind": "self-check"}}


def _points(q: Quiz) -> int:
    return q.points


def _variable(q: Quiz) -> str:
    return f"answer_{q.id}"


def _question_md(n: int, q: Quiz) -> str:
    pts = _points(q)
    lines = [f"### Question {n} ({pts} point{'s' if pts != 1 else ''})", "",
             f"{q.prompt} *({_KIND[q.type]})*", ""]
    if q.type == "numeric":
        tol = float(q.tolerance or 0.0)
        lines.append(f"Answer in **{q.unit}**." + (
            f" Answers within ±{tol:g} {q.unit} of the expected value are marked correct."
            if tol else " Only the exact value is marked correct."))
    else:
        lines += [f"- (`{o.id}`) {o.text}" for o in q.options]
    return "\n".join(lines)


def _answer_code(q: Quiz) -> str:
    var = _variable(q)
    if q.type == "multiple_choice":
        ids = ", ".join(f'"{o.id}"' for o in q.options)
        ask, blank, solution = f"one option id in quotes, one of {ids}", "None", json.dumps(q.answer)
    elif q.type == "multiple_select":
        ask = 'a list of the option ids that apply, for example ["a", "c"]'
        blank, solution = "[]", json.dumps(list(q.answer))
    else:
        ask = f"a number in {q.unit}"
        blank, solution = "None", repr(float(q.answer))
    return "\n".join([f"# Your answer: {ask}.", f"{var} = {blank}",
                      "### BEGIN SOLUTION", f"{var} = {solution}", "### END SOLUTION"])


def _test_code(q: Quiz) -> str:
    return "\n".join([
        f'# Marked by mechlib.quiz.check("{q.id}", ...), the lesson\'s own check; the feedback',
        "# gives its explanation and sources. (The test is hidden until grading.)",
        "### BEGIN HIDDEN TESTS",
        "from mechlib import quiz",
        f'_feedback = quiz.check("{q.id}", globals().get("{_variable(q)}"))',
        "print(_feedback.message)",
        'assert _feedback.correct, "not marked correct: see the feedback above"',
        "### END HIDDEN TESTS",
    ])


def _exercise_md(n: int, e: Any) -> str:
    inputs = ", ".join(f"`{k}` = {v:g}" for k, v in e.inputs.items())
    return "\n".join([
        f"### Exercise {n} ({e.points} point{'s' if e.points != 1 else ''}): {e.title}", "",
        e.prompt, "", f"Inputs: {inputs}.", "",
        f"Answer in **{e.unit}**: a number, or a function of the inputs. Answers within "
        f"{e.tolerance:.0%} of the expected value are marked correct."])


def _exercise_answer(e: Any) -> str:
    var = f"answer_{e.id}"
    return "\n".join([f"# Your answer: a number in {e.unit}, or a function of "
                      f"{', '.join(e.inputs)}.", f"{var} = ...",
                      "### BEGIN SOLUTION", f"{var} = {float(e.answer)!r}", "### END SOLUTION"])


def _exercise_test(e: Any) -> str:
    return "\n".join([
        f'# Marked by mechlib.exercises.check("{e.id}", ...), the lesson\'s own checker; the',
        "# feedback names the mistake, shows the worked solution and its sources. (Hidden until",
        "# grading.)",
        "### BEGIN HIDDEN TESTS",
        "from mechlib import data, exercises",
        f'_feedback = exercises.check("{e.id}", globals().get("answer_{e.id}"))',
        "print(_feedback.message)",
        f'print("Worked solution:", exercises.solution("{e.id}"))',
        f'print("Sources: " + "; ".join(data.load().reference(k).citation for k in '
        f'data.load().exercise("{e.id}").references) + ".")',
        'assert _feedback.correct, "not marked correct: see the feedback above"',
        "### END HIDDEN TESTS",
    ])


def _lesson(ds: data.Dataset, lesson_id: str) -> data.Lesson:
    for les in ds.lessons:
        if les.id == lesson_id:
            return les
    raise ValueError(f"unknown lesson {lesson_id!r}; allowed: "
                     f"{', '.join(les.id for les in ds.lessons)}")


def notebook(lesson_id: str) -> Any:
    """The nbgrader source notebook for one lesson's self-checks.

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml`` that has questions in ``data/quizzes.yaml``.

    Returns
    -------
    nbformat.NotebookNode
        A header cell, then three cells per question (question, answer, test).

    Raises
    ------
    ValueError
        If the lesson is unknown or has no questions (the message lists the allowed lessons).

    Examples
    --------
    >>> nb = notebook("01_neurons_and_synapses")
    >>> sum(c.metadata["nbgrader"].get("points", 0) for c in nb.cells) > 0
    True
    >>> notebook("99_nothing")
    Traceback (most recent call last):
    ...
    ValueError: unknown lesson '99_nothing'; allowed: 00_start_here, ...
    """
    import nbformat

    ds = data.load()
    les = _lesson(ds, lesson_id)
    qs = [q for q in ds.quizzes if q.lesson == lesson_id]
    exs = [e for e in ds.exercises if e.lesson == lesson_id]
    if not qs and not exs:
        with_questions = sorted({q.lesson for q in ds.quizzes} | {e.lesson for e in ds.exercises})
        raise ValueError(f"lesson {lesson_id!r} has no self-checks or exercises; lessons with "
                         f"them: {', '.join(with_questions)}")
    total = sum(_points(q) for q in qs) + sum(e.points for e in exs)
    v4 = nbformat.v4
    head = v4.new_markdown_cell(
        f"# Graded self-checks: {les.title}\n\n"
        f"Lesson `{les.id}`: {len(qs)} questions and {len(exs)} exercises, {total} points. "
        "Answer each in the "
        "code cell under it: replace the line `raise NotImplementedError()` with your answer. "
        "A hidden test marks each answer with the lesson's own check and explains the mark, "
        "with its sources, in your feedback.\n\n"
        f"*{SAFETY_NOTE}*", metadata=_meta(f"{lesson_id}_header", locked=True))
    cells = [head]
    for n, q in enumerate(qs, 1):
        cells += [
            v4.new_markdown_cell(_question_md(n, q), metadata=_meta(f"{q.id}_question",
                                                                    locked=True)),
            v4.new_code_cell(_answer_code(q), metadata=_meta(f"{q.id}_answer", solution=True)),
            v4.new_code_cell(_test_code(q), metadata=_meta(f"{q.id}_test", grade=True,
                                                           locked=True, points=_points(q))),
        ]
    for n, e in enumerate(exs, 1):
        cells += [
            v4.new_markdown_cell(_exercise_md(n, e), metadata=_meta(f"exercise_{e.id}_question",
                                                                    locked=True)),
            v4.new_code_cell(_exercise_answer(e), metadata=_meta(f"exercise_{e.id}_answer",
                                                                 solution=True)),
            v4.new_code_cell(_exercise_test(e), metadata=_meta(f"exercise_{e.id}_test", grade=True,
                                                               locked=True, points=e.points)),
        ]
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(nb)
    return nb


def write(lesson_ids: Sequence[str], out: str | os.PathLike[str]) -> list[Path]:
    """Write the source assignment for ``lesson_ids`` into the new folder ``out``.

    One notebook per lesson, ``<lesson id>.ipynb``. All or nothing: the notebooks are written
    into a temporary folder beside ``out``, which is then renamed to ``out``.

    Parameters
    ----------
    lesson_ids : sequence of str
        Lessons with self-checks, e.g. ``["02_lamotrigine", "03_ketamine"]``.
    out : path
        The assignment folder, usually ``<course>/source/<assignment>``; it must not exist yet
        (or be empty). Missing parent folders are created.

    Returns
    -------
    list of pathlib.Path
        The notebooks written.

    Raises
    ------
    ValueError
        For no lessons, a repeated or unknown lesson, one without questions, or an ``out`` that
        is a non-empty folder or a file.
    OutputError
        If ``out`` cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "source" / "week1"
    >>> [p.name for p in write(["00_start_here"], d)]
    ['00_start_here.ipynb']
    >>> write(["00_start_here"], d)
    Traceback (most recent call last):
    ...
    ValueError: ... already exists and is not empty; choose a new folder (nothing was written)
    """
    import nbformat

    if not lesson_ids:
        raise ValueError("give at least one lesson id")
    if len(set(lesson_ids)) != len(lesson_ids):
        raise ValueError(f"a lesson is given twice: {', '.join(lesson_ids)}")
    notebooks = {les: notebook(les) for les in lesson_ids}  # every ValueError before any write
    target = Path(out)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ValueError(f"{target} already exists and is not empty; choose a new folder "
                         "(nothing was written)")
    blocker = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise OutputError(f"cannot write to {target}: {blocker} is a file, not a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    except OSError as err:
        raise OutputError(f"cannot write to {target}: {err.strerror or err}; choose a folder "
                          "you can write to") from err
    try:
        for les, nb in notebooks.items():
            nbformat.write(nb, tmp / f"{les}.ipynb")
        tmp.chmod(0o777 & ~files.umask())  # mkdtemp makes 0700; a new folder follows the umask
        if target.exists():
            target.rmdir()
        tmp.rename(target)
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"cannot write to {target}: {err.strerror or err}; choose a folder "
                          "you can write to") from err
    return [target / f"{les}.ipynb" for les in lesson_ids]


def configure_feedback(c: Any) -> None:
    """Make nbgrader's feedback pages work offline: its template, without MathJax.

    nbgrader's feedback template loads MathJax from a CDN. The self-checks contain no TeX, so
    the ``mechlib_feedback`` template (nbgrader's, with an empty ``mathjax`` macro) drops it.
    Call this from the course's ``nbgrader_config.py``.

    Parameters
    ----------
    c : traitlets.config.Config
        The ``c`` of ``nbgrader_config.py``.

    Examples
    --------
    >>> from traitlets.config import Config
    >>> c = Config()
    >>> configure_feedback(c)
    >>> c.HTMLExporter.template_name
    'mechlib_feedback'
    """
    import nbgrader

    nbgrader_templates = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / \
        "templates"
    c.HTMLExporter.template_name = "mechlib_feedback"
    c.HTMLExporter.extra_template_basedirs = [str(nbgrader_templates), str(TEMPLATES)]
