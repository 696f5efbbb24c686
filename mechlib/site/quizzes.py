"""Self-checks as plain HTML forms for the offline site, marked in the browser.

Each question becomes a ``<form class="mechlib-quiz">`` with real form controls (radio buttons,
checkboxes or a number field, each with its label), a Check button and a live feedback area. The
form carries the question's entry from ``data/quizzes.yaml`` as JSON, with its citations already
resolved, and ``mechlib-site.js`` marks the answer with the same rules and the same words as
:func:`mechlib.quiz.check` (a browser test compares the two).

Examples
--------
>>> p = payload("lam_rash_onset")
>>> p["type"], p["unit"]
('numeric', 'weeks')
>>> p["sources"].startswith("Sources: ")
True
>>> '<input type="number"' in form_html("lam_rash_onset")
True
"""

from __future__ import annotations

import html
import json
from typing import Any

from mechlib.teaching import quiz


def payload(question_id: str) -> dict[str, Any]:
    """What the browser needs to mark ``question_id`` (raises ``ValueError`` if unknown)."""
    q = quiz.question(question_id)
    return {
        "id": q.id,
        "type": q.type,
        "unit": q.unit,
        "options": [{"id": o.id, "text": o.text, "feedback": o.feedback} for o in q.options],
        "answer": q.answer,
        "tolerance": q.tolerance,
        "explanation": q.explanation,
        "sources": quiz.sources(q.references),
        "blank": quiz.blank_feedback(q).message,
    }


def _json_script(data: Any, cls: str) -> str:
    """A non-executed JSON block (``</`` escaped so the text cannot close the script)."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return f'<script type="application/json" class="{cls}">{text}</script>'


def form_html(question_id: str) -> str:
    """The question as an accessible HTML form (no answer in the visible text)."""
    q = quiz.question(question_id)
    qid = html.escape(f"quiz-{q.id}")
    e = html.escape
    out = [f'<form class="mechlib-quiz" data-quiz="{e(q.id)}" id="{qid}" novalidate>',
           f'<fieldset><legend><span class="mechlib-quiz-tag">Self-check</span> '
           f"{e(q.prompt)} <i>({e(quiz.TYPE_NAMES[q.type])})</i></legend>"]
    if q.type == "numeric":
        out.append(f'<div class="mechlib-quiz-number"><label for="{qid}-n">Answer '
                   f'({e(str(q.unit))}):</label> <input type="number" step="any" id="{qid}-n" '
                   f'name="{qid}" inputmode="decimal"></div>')
    else:
        kind = "radio" if q.type == "multiple_choice" else "checkbox"
        for o in q.options:
            oid = f"{qid}-{e(o.id)}"
            out.append(f'<div class="mechlib-quiz-option"><input type="{kind}" id="{oid}" '
                       f'name="{qid}" value="{e(o.id)}"> <label for="{oid}">{e(o.text)}</label>'
                       "</div>")
    out.append("</fieldset>")
    out.append('<button type="submit" class="mechlib-check">Check</button>')
    out.append('<div class="mechlib-feedback" role="status" aria-live="polite"></div>')
    out.append(_json_script(payload(q.id), "mechlib-quiz-data"))
    out.append("</form>")
    return "\n".join(out)


def lesson_forms_html(lesson_id: str) -> str:
    """Every self-check of one lesson, one form after the other."""
    qs = quiz.questions(lesson_id)
    if not qs:
        raise ValueError(f"lesson {lesson_id!r} has no questions in quizzes.yaml")
    return '<div class="mechlib-quiz-lesson">' + "\n".join(form_html(q.id) for q in qs) + "</div>"
