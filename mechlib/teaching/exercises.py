"""Exercises students complete in the lessons, and the checker that gives specific feedback.

Each exercise lives in ``data/exercises.yaml``: a prompt, named inputs, the answer with its unit
and tolerance, common mistakes with the feedback each deserves, a hint and a worked solution.
A lesson cell leaves a blank (``answer = ...``); :func:`check` says "not answered yet" for a
blank instead of failing, so the committed notebooks run clean with the blanks in place.

Examples
--------
>>> check("held_dose_fraction", ...)
held_dose_fraction: not answered yet. Replace ... with your answer (fraction), then run the cell again.
>>> check("held_dose_fraction", 0.5 ** (24 / 25.4))
held_dose_fraction: correct. 0.519 (fraction) matches 0.5195 within 2 %.
>>> check("held_dose_fraction", lambda hours, half_life_h: 0.5 ** (hours / 32.8)).status
'mistake'
>>> check("held_dose_fraction", "half")  # doctest: +ELLIPSIS
held_dose_fraction: that is not a number: got 'half' (str). ...
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Feedback", "Text", "check", "exercise_ids", "hint", "show", "solution"]


@dataclass(frozen=True)
class Feedback:
    """What :func:`check` says: ``status`` is blank, correct, mistake, wrong or invalid."""

    exercise: str
    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __repr__(self) -> str:
        return f"{self.exercise}: {self.message}"

    __str__ = __repr__


@dataclass(frozen=True)
class Text:
    """A block of text that displays as itself in a notebook (a prompt, hint or solution)."""

    text: str

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def _exercise(exercise_id: str):
    from mechlib import data

    return data.load().exercise(exercise_id)


def exercise_ids(lesson: str | None = None) -> list[str]:
    """Ids of every exercise, or of one lesson's.

    Examples
    --------
    >>> exercise_ids("02_lamotrigine")
    ['lamotrigine_free_um', 'accumulation_ratio']
    """
    from mechlib import data

    return [e.id for e in data.load().exercises if lesson is None or e.lesson == lesson]


def show(exercise_id: str) -> Text:
    """The exercise's title, prompt and inputs (what a lesson prints above the blank).

    Examples
    --------
    >>> print(show("held_dose_fraction"))  # doctest: +ELLIPSIS
    Exercise: What is left 24 hours after a held dose?
    ...
    """
    e = _exercise(exercise_id)
    inputs = ", ".join(f"{k} = {v:g}" for k, v in e.inputs.items())
    return Text(f"Exercise: {e.title}\n{e.prompt}\nInputs: {inputs}\nAnswer unit: {e.unit}. "
                f"Check with exercises.check({e.id!r}, answer); stuck? exercises.hint({e.id!r}).")


def hint(exercise_id: str) -> Text:
    """The hint (kept out of the lesson until a student asks)."""
    return Text("Hint: " + _exercise(exercise_id).hint)


def solution(exercise_id: str) -> Text:
    """The worked solution (ask for the hint first)."""
    e = _exercise(exercise_id)
    return Text(f"Worked solution: {e.solution}\nAnswer: {e.answer:.4g} {e.unit}.")


def _close(value: float, target: float, tol: float) -> bool:
    return abs(value - target) <= tol * max(abs(target), 1e-300)


def check(exercise_id: str, value_or_function: Any) -> Feedback:
    """Compare a student's answer with the exercise's, and say specifically what went wrong.

    Parameters
    ----------
    exercise_id : str
        An id in ``data/exercises.yaml`` (see :func:`exercise_ids`).
    value_or_function : number or callable
        The answer, or a function called with the exercise's inputs as keyword arguments.
        ``...`` (the blank in the lesson) or ``None`` means not answered yet.

    Returns
    -------
    Feedback
        Never raises for a bad answer: a nonsense answer gets feedback, not a traceback.

    Raises
    ------
    ValueError
        Only for an unknown ``exercise_id`` (the message lists the allowed ids).

    Examples
    --------
    >>> check("accumulation_ratio", 2.51)  # doctest: +ELLIPSIS
    accumulation_ratio: not quite. You used the single-dose half-life (32.8 h). ...
    """
    e = _exercise(exercise_id)
    v = value_or_function
    if v is ... or v is None:
        return Feedback(e.id, "blank", f"not answered yet. Replace ... with your answer ({e.unit}), "
                        "then run the cell again.")
    if callable(v):
        try:
            v = v(**dict(e.inputs))
        except Exception as exc:  # noqa: BLE001 - a student's function may fail in any way
            names = ", ".join(e.inputs)
            return Feedback(e.id, "invalid", f"your function raised {type(exc).__name__}: {exc}. "
                            f"It is called with the keyword arguments {names}.")
    if hasattr(v, "item") and getattr(v, "size", 2) == 1:
        v = v.item()  # a numpy scalar or one-element array
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return Feedback(e.id, "invalid", f"that is not a number: got {v!r} ({type(v).__name__}). "
                        f"Give one number in {e.unit}.")
    v = float(v)
    if not math.isfinite(v):
        return Feedback(e.id, "invalid", f"{v} is not a finite number; give one number in {e.unit}.")
    if _close(v, e.answer, e.tolerance):
        return Feedback(e.id, "correct", f"correct. {v:.3g} ({e.unit}) matches {e.answer:.4g} "
                        f"within {e.tolerance * 100:g} %.")
    for m in e.mistakes:
        if _close(v, m.value, e.tolerance):
            return Feedback(e.id, "mistake", f"not quite. {m.feedback}")
    generic = _generic_slip(v, e)
    if generic:
        return Feedback(e.id, "mistake", f"not quite. {generic}")
    return Feedback(e.id, "wrong", f"not yet: {v:.4g} is not within {e.tolerance * 100:g} % of "
                    f"the answer. Try exercises.hint({e.id!r}).")


def _generic_slip(v: float, e: Any) -> str:
    """A percentage for a fraction, a factor of 1000 (a unit), or a flipped sign."""
    if e.unit == "fraction" and _close(v, e.answer * 100, e.tolerance):
        return "That looks like a percentage; give a fraction between 0 and 1."
    for factor in (1000.0, 0.001):
        if _close(v, e.answer * factor, e.tolerance):
            return f"Off by a factor of {factor:g}: check the unit (the answer is in {e.unit})."
    if _close(v, -e.answer, e.tolerance):
        return "Right size, wrong sign."
    return ""
