""""Think about it" prompts from ``data/prompts.yaml``: the prompt, with its model answer hidden.

A lesson shows a prompt with :func:`prompt`; the model answer sits in a ``<details>``
disclosure that the learner opens after trying. Plain-text views (and nbval) see the prompt only.
:func:`answer_key` writes the instructor's key: every answer with its common mistakes.

Examples
--------
>>> view = prompt("lam_valproate_curve")
>>> view.text.startswith("Think about it. With valproate")
True
>>> "<details" in view._repr_html_() and "70.3 h" in view._repr_html_()
True
>>> "70.3 h" in repr(view)
False
"""

from __future__ import annotations

import html
import re
from typing import Any

import mistune

from mechlib import data
from mechlib.data import Prompt

#: Markdown to HTML; raw HTML in the data is escaped, not passed through.
_MARKDOWN = mistune.create_markdown(escape=True)

#: The summary line of the disclosure.
SUMMARY = "Model answer (try it yourself first)"


def _dataset() -> data.Dataset:
    return data.load()


def markdown_html(text: str) -> str:
    """Render the Markdown of a prompt, answer or definition as HTML (raw HTML escaped).

    Examples
    --------
    >>> markdown_html("*more* [Kuo 1998](#ref-kuo1998) <b>")
    '<p><em>more</em> <a href="#ref-kuo1998">Kuo 1998</a> &lt;b&gt;</p>\\n'
    """
    return _MARKDOWN(text)


def get(prompt_id: str) -> Prompt:
    """The prompt ``prompt_id`` from ``data/prompts.yaml``.

    Raises
    ------
    ValueError
        If there is no such prompt; the message lists the allowed ids.

    Examples
    --------
    >>> get("cli_week_gap").lesson
    '07_clinical_practice_and_safety'
    >>> get("nope")
    Traceback (most recent call last):
    ...
    ValueError: unknown prompt 'nope'; allowed: ...
    """
    return data.find(_dataset().prompts, prompt_id, "prompt")


class PromptView:
    """A prompt with its model answer in a disclosure; the text fallback shows the prompt only.

    Attributes
    ----------
    prompt : mechlib.data.Prompt
    text : str
        The plain-text rendering (prompt and where to find the answer, not the answer).
    """

    def __init__(self, record: Prompt, sources: str):
        self.prompt = record
        self.sources = sources
        self.text = (f"Think about it. {record.prompt}\n(Model answer: open the disclosure under "
                     f"the prompt, or run mechlib.lesson.answer(\"{record.id}\").)")

    def _repr_html_(self) -> str:
        p = self.prompt
        question = markdown_html(f"**Think about it.** {p.prompt}")
        answer = markdown_html(p.answer)
        return (f'<div class="mechlib-prompt" id="prompt-{html.escape(p.id)}">{question}'
                f'<details class="mechlib-answer"><summary>{SUMMARY}</summary>{answer}'
                f"<p><small>{html.escape(self.sources)}</small></p></details></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": self.text}

    def __repr__(self) -> str:
        return self.text


def _sources(p: Prompt) -> str:
    ds = _dataset()
    return "Sources: " + "; ".join(ds.reference(k).citation for k in p.references) + "."


def prompt(prompt_id: str) -> PromptView:
    """Show a "Think about it" prompt with its model answer hidden in a disclosure.

    Parameters
    ----------
    prompt_id : str
        An id from ``data/prompts.yaml``.

    Returns
    -------
    PromptView
        HTML: the prompt, then ``<details>`` with the model answer and its sources. Plain text:
        the prompt only.

    Raises
    ------
    ValueError
        If the prompt is unknown.

    Examples
    --------
    >>> print(prompt("neuro_open_channel_rest").text)  # doctest: +ELLIPSIS
    Think about it. At rest almost every NMDA channel is plugged. ...
    (Model answer: open the disclosure under the prompt, or run mechlib.lesson.answer(...).)
    """
    p = get(prompt_id)
    return PromptView(p, _sources(p))


def answer(prompt_id: str) -> str:
    """The model answer of a prompt as plain text, with its sources.

    Examples
    --------
    >>> answer("cli_week_gap").startswith("After a week the level has fallen far")
    True
    """
    p = get(prompt_id)
    return f"{p.answer}\n{_sources(p)}"


def answer_key(lesson_id: str | None = None) -> str:
    """The instructor's answer key as Markdown: each prompt, its model answer, common mistakes.

    Parameters
    ----------
    lesson_id : str, optional
        One lesson only; default every lesson, in the order of ``data/lessons.yaml``.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If the lesson is unknown.

    Examples
    --------
    >>> key = answer_key("00_start_here")
    >>> key.splitlines()[0]
    '### Lesson 00 · Start here'
    >>> "*Common wrong answers:*" in key
    True
    """
    ds = _dataset()

    def plain(text: str) -> str:  # a lesson's in-page links ([ED50](#term-ed50)) mean nothing here
        return re.sub(r"\[([^\]]+)\]\(#[^)]*\)", r"\1", text)

    lessons = [les for les in ds.lessons if lesson_id in (None, les.id)]
    if lesson_id is not None and not lessons:
        raise ValueError(f"unknown lesson {lesson_id!r}; allowed: {', '.join(les.id for les in ds.lessons)}")
    out: list[str] = []
    for les in lessons:
        items = [p for p in ds.prompts if p.lesson == les.id]
        if not items:
            continue
        out += [f"### Lesson {les.id[:2]} · {les.title}", ""]
        for p in items:
            out += [f"**Prompt `{p.id}`.** {plain(p.prompt)}", "",
                    f"*Model answer.* {plain(p.answer)} {_sources(p)}", ""]
            if p.mistakes:
                out += ["*Common wrong answers:*", ""] + [f"- {plain(m)}" for m in p.mistakes] + [""]
    return "\n".join(out).rstrip() + "\n"
