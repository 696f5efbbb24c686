"""Self-check questions from ``data/quizzes.yaml``: look-up, checking and plain text.

A question shows no answer until the student has answered. :func:`check` is a pure function, so
the widget's "Check" button and a test call the same code. :func:`as_text` renders a question
for static views (nbconvert, GitHub), and the widget views carry that text too. Options are
shown in an order shuffled per question (:func:`shown_options`, seeded from the question's id, so
every run and every notebook shows the same order) and numbered in that order; the position of
the right answer says nothing. The widgets
(:func:`show`, :func:`show_lesson`) live in :mod:`mechlib.teaching.quiz_view` and load ipywidgets
only when a lesson shows a question, so grading and the site builder never import it.

Examples
--------
>>> [q.id for q in questions("00_start_here")]
['start_what_suite_is', 'start_every_number']
>>> check("start_what_suite_is", "a").correct
True
>>> check("start_what_suite_is", None).correct is None
True
>>> [o.id for o in shown_options(question("lam_mechanism"))]
['c', 'a', 'b', 'd']
>>> check("lam_mechanism", 2).correct  # the option shown second is option a
True
>>> fb = check("lam_rash_onset", 8.3)
>>> fb.correct, "weeks" in fb.message
(True, True)
"""

from __future__ import annotations

import html
import math
import random
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mechlib import data
from mechlib.data import Quiz, QuizOption

TYPE_NAMES = {
    "multiple_choice": "choose one",
    "multiple_select": "tick all that apply",
    "numeric": "enter a number",
}


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`.

    ``correct`` is True or False, or None when there was nothing to mark (no answer, or an entry
    that is not a number). ``message`` says why, and ``references`` lists the keys it cites.
    """

    correct: bool | None
    message: str
    references: tuple[str, ...] = ()

    def verdict(self) -> tuple[str, str]:
        """The message split into its verdict line (first sentence or clause) and the rest.

        Examples
        --------
        >>> Feedback(False, "Not quite. It is 0.5 mg/kg: see the label.").verdict()
        ('Not quite.', 'It is 0.5 mg/kg: see the label.')
        """
        m = re.match(r"^(.*?[.:])\s+(.*)$", self.message, re.DOTALL)
        return (m[1], m[2]) if m else (self.message, "")

    def html(self) -> str:
        """The feedback as HTML: a verdict line (glyph and words, in the verdict's colour), then
        the explanation in the page's own text colour.

        The colours come from the widget's style sheet (:data:`mechlib.style.VERDICT_COLOURS`,
        one pair per theme), through the classes ``mechlib-verdict-right`` / ``-wrong`` / ``-none``.

        Examples
        --------
        >>> Feedback(True, "Correct. Well done.").html()  # doctest: +NORMALIZE_WHITESPACE
        '<div class="mechlib-feedback-body"><div class="mechlib-verdict mechlib-verdict-right"
        role="status"><b>&#10004; Correct.</b></div><div>Well done.</div></div>'
        """
        glyph, kind = {True: ("&#10004;", "right"), False: ("&#10008;", "wrong"),
                       None: ("&#8505;", "none")}[self.correct]
        head, rest = self.verdict()
        body = f"<div>{html.escape(rest)}</div>" if rest else ""
        return (f'<div class="mechlib-feedback-body"><div class="mechlib-verdict mechlib-verdict-{kind}" '
                f'role="status"><b>{glyph} {html.escape(head)}</b></div>{body}</div>')


# --------------------------------------------------------------------------- look-ups


def _dataset() -> data.Dataset:
    return data.load()


def question(question_id: str) -> Quiz:
    """The question ``question_id``.

    Parameters
    ----------
    question_id : str
        An id from ``data/quizzes.yaml``.

    Returns
    -------
    mechlib.data.Quiz

    Raises
    ------
    ValueError
        If there is no such question; the message lists the allowed ids.

    Examples
    --------
    >>> question("lam_rash_onset").unit
    'weeks'
    >>> question("nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown question 'nope'; allowed: ...
    """
    return data.find(_dataset().quizzes, question_id, "question")


def questions(lesson_id: str) -> list[Quiz]:
    """The questions of one lesson, in the order of ``data/quizzes.yaml``.

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``, e.g. ``"02_lamotrigine"``.

    Returns
    -------
    list of mechlib.data.Quiz
        Empty if the lesson exists but has no questions.

    Raises
    ------
    ValueError
        If the lesson is unknown; the message lists the allowed lesson ids.

    Examples
    --------
    >>> len(questions("02_lamotrigine")) >= 4
    True
    >>> questions("99_nothing")
    Traceback (most recent call last):
    ...
    ValueError: unknown lesson '99_nothing'; allowed: 00_start_here, ...
    """
    ds = _dataset()
    known = {les.id for les in ds.lessons} | {q.lesson for q in ds.quizzes}
    if lesson_id not in known:
        raise ValueError(f"unknown lesson {lesson_id!r}; allowed: {', '.join(sorted(known))}")
    return [q for q in ds.quizzes if q.lesson == lesson_id]


# --------------------------------------------------------------------------- checking


def sources(keys: Iterable[str]) -> str:
    """The short citations of ``keys`` as the sentence feedback ends with.

    Examples
    --------
    >>> sources(["kuo1998"])
    'Sources: Kuo 1998.'
    """
    ds = _dataset()
    return "Sources: " + "; ".join(ds.reference(k).citation for k in keys) + "."


def _number(value: float) -> str:
    return f"{value:g}"


def shown_options(q: Quiz) -> tuple[QuizOption, ...]:
    """The options of a choice question in the order they are shown: shuffled, seeded by the id.

    The seed is the CRC-32 of the question id (stable across runs and machines, unlike Python's
    ``hash``), so a notebook shows the same order every time and nbval can compare it.

    Examples
    --------
    >>> [o.id for o in shown_options(question("lam_mechanism"))]
    ['c', 'a', 'b', 'd']
    """
    options = list(q.options)
    random.Random(zlib.crc32(q.id.encode("utf-8"))).shuffle(options)
    return tuple(options)


def _option_ids(q: Quiz, response: Any) -> tuple[str, ...]:
    """The option ids in ``response`` (ids, or numbers as shown); ``ValueError`` names a bad one."""
    items = (response,) if isinstance(response, (str, int)) else tuple(response)
    shown = [o.id for o in shown_options(q)]
    allowed = [o.id for o in q.options]
    ids = []
    for i in items:
        if isinstance(i, int) and not isinstance(i, bool):
            if not 1 <= i <= len(shown):
                raise ValueError(f"{i} is not an option number of question {q.id!r}; "
                                 f"allowed: 1 to {len(shown)}, as shown")
            ids.append(shown[i - 1])
        elif i in allowed:
            ids.append(i)
        else:
            raise ValueError(f"{i!r} is not an option of question {q.id!r}; allowed: {', '.join(allowed)}"
                             f" (or the numbers 1 to {len(shown)}, as shown)")
    return tuple(ids)


def _is_blank(response: Any) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, tuple, set, frozenset)):
        return len(response) == 0
    return False


def blank_feedback(q: Quiz) -> Feedback:
    """The feedback for an unanswered question: what to do, with no verdict.

    Examples
    --------
    >>> blank_feedback(question("lam_rash_onset")).correct is None
    True
    """
    ask = {
        "multiple_choice": "choose one option",
        "multiple_select": "tick every option that applies",
        "numeric": f"enter a number in {q.unit}",
    }[q.type]
    return Feedback(None, f"No answer yet: {ask}, then check it.")


def _check_numeric(q: Quiz, response: Any) -> Feedback:
    try:
        if isinstance(response, bool):
            raise TypeError
        value = float(response.strip().replace(",", ".") if isinstance(response, str) else response)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        return Feedback(None, f"{response!r} is not a number. Enter a number in {q.unit}.")
    answer, tol = float(q.answer), float(q.tolerance or 0.0)
    within = abs(value - answer) <= tol + 1e-9 * max(1.0, abs(answer))
    target = f"{_number(answer)} {q.unit}" + (f" (within {_number(tol)})" if tol else "")
    if within:
        msg = f"Correct: {_number(value)} {q.unit} is accepted; the answer is {target}. {q.explanation}"
    else:
        msg = f"Not quite: you entered {_number(value)} {q.unit}; the answer is {target}. {q.explanation}"
    return Feedback(within, f"{msg} {sources(q.references)}", q.references)


def _check_choice(q: Quiz, response: Any) -> Feedback:
    chosen = _option_ids(q, response)
    options = {o.id: o for o in q.options}
    if q.type == "multiple_choice":
        if len(chosen) != 1:
            raise ValueError(f"question {q.id!r} takes one option id; got {len(chosen)}")
        right = chosen[0] == q.answer
        picked = options[chosen[0]]
        best = options[str(q.answer)]
        if right:
            parts = ["Correct."]
        else:
            why = picked.feedback or "That is not the best answer."
            parts = [f"Not quite. {why}", f"The best answer: {best.text}."]
    else:
        answer = set(q.answer)
        right = set(chosen) == answer
        # Feedback for every option the student got wrong: ticked but not right, or right but missed.
        wrong = [o for o in q.options if (o.id in chosen) != (o.id in answer)]
        if right:
            parts = ["Correct: you ticked exactly the right options."]
        else:
            parts = ["Not quite."]
            for o in wrong:
                what = "You ticked" if o.id in chosen else "You missed"
                parts.append(f"{what} \u201c{o.text}\u201d" + (f": {o.feedback}" if o.feedback else "."))
            parts.append("The right options: " + "; ".join(o.text for o in q.options if o.id in answer)
                         + ".")
    parts += [q.explanation, sources(q.references)]
    return Feedback(right, " ".join(parts), q.references)


def check(question_id: str, response: Any) -> Feedback:
    """Mark a response and explain why it is right or wrong, with its sources.

    A pure function: it reads the question from the data and changes nothing.

    Parameters
    ----------
    question_id : str
        An id from ``data/quizzes.yaml``.
    response : str, int, sequence of those, number or None
        ``multiple_choice``: one option, by its id in ``quizzes.yaml`` or by the number it is
        shown with (1 = shown first). ``multiple_select``: the ticked options, the same way (any
        iterable; empty means blank). ``numeric``: a number or a string holding one. ``None`` or
        an empty string is blank.

    Returns
    -------
    Feedback
        ``correct`` is None for a blank response or one that is not a number (the message asks
        for an answer and reveals nothing), else True or False with the explanation and sources.

    Raises
    ------
    ValueError
        If the question is unknown, or a choice response names an option the question lacks.

    Examples
    --------
    >>> check("lam_mechanism", "b").correct
    False
    >>> print(check("lam_mechanism", "").message)
    No answer yet: choose one option, then check it.
    >>> check("neuro_nmda_requirements", ["a", "b", "c"]).correct
    True
    >>> check("cli_fraction_after_24h", "half").message
    "'half' is not a number. Enter a number in fraction, 0 to 1."
    >>> check("lam_mechanism", "z")
    Traceback (most recent call last):
    ...
    ValueError: 'z' is not an option of question 'lam_mechanism'; allowed: a, b, c, d (or the ...
    """
    q = question(question_id)
    if _is_blank(response):
        return blank_feedback(q)
    if q.type == "numeric":
        return _check_numeric(q, response)
    return _check_choice(q, response)


# --------------------------------------------------------------------------- static text


def as_text(question_id: str) -> str:
    """The question as Markdown (also readable as plain text), without its answer.

    Parameters
    ----------
    question_id : str
        An id from ``data/quizzes.yaml``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If the question is unknown.

    Examples
    --------
    >>> print(as_text("start_what_suite_is"))  # doctest: +ELLIPSIS
    **Self-check** (choose one): What does this suite give you?
    <BLANKLINE>
    1. Teaching: how lamotrigine and ketamine act, and how to weigh the evidence on combining them
    2. Advice on whether a particular person should combine the two medicines, and when to take each
    3. Dose recommendations for lamotrigine and ketamine, worked out from a person's weight and age
    <BLANKLINE>
    *Check your answer in the live notebook, or with* `mechlib.quiz.check("start_what_suite_is", n)` ...
    """
    q = question(question_id)
    lines = [f"**Self-check**{hint(q)}: {q.prompt}", ""]
    if q.type == "numeric":
        lines.append(f"Answer in {q.unit}.")
    else:
        lines += [f"{i}. {o.text}" for i, o in enumerate(shown_options(q), 1)]
    shown, how = {"multiple_choice": ("n", "n: the number of your option"),
                  "multiple_select": ("[n, ...]", "the numbers of the options you tick"),
                  "numeric": ("x", f"x: your number, in {q.unit}")}[q.type]
    lines += ["", f"*Check your answer in the live notebook, or with* "
                  f"`mechlib.quiz.check(\"{q.id}\", {shown})` *({how})*."]
    return "\n".join(lines)


def hint(q: Quiz) -> str:
    """What kind of answer the question takes, as `` (choose one)``; empty if the prompt says it.

    Examples
    --------
    >>> hint(question("lam_rash_risk"))  # its prompt ends "Tick all that apply."
    ''
    >>> hint(question("lam_mechanism"))
    ' (choose one)'
    """
    name = TYPE_NAMES[q.type]
    return "" if name.lower() in q.prompt.lower() else f" ({name})"


def as_html(question_id: str) -> str:
    """The question as HTML for static views: the prompt and the options as shown, no answer."""
    q = question(question_id)
    out = [f"<p><b>Self-check</b>{html.escape(hint(q))}: {html.escape(q.prompt)}</p>"]
    if q.type == "numeric":
        out.append(f"<p>Answer in {html.escape(str(q.unit))}.</p>")
    else:
        items = "".join(f"<li>{html.escape(o.text)}</li>" for o in shown_options(q))
        out.append(f"<ol>{items}</ol>")
    return "".join(out)


def __getattr__(name: str) -> Any:
    if name in ("QuizView", "show", "show_lesson"):
        from mechlib.teaching import quiz_view

        return getattr(quiz_view, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
