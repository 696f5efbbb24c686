"""The parts every lesson shares, rendered from ``data/``: header, claims box, references, figures.

A lesson notebook calls these and holds no logic of its own (DESIGN.md, "Lessons"):
:func:`header` (title, safety note, time, objectives, prerequisites), :func:`claims` (what the
article says and what the evidence shows), :func:`figure` (a figure with alt text and a text
description), :func:`what_next`, :func:`references` and :func:`cite`. :func:`learning_path`
draws the lesson graph for the start page. :func:`prompt` shows a "Think about it" prompt with
its model answer in a disclosure (:mod:`mechlib.teaching.prompts`), and :func:`glossary` renders
the glossary in lesson 00 (:mod:`mechlib.teaching.glossary`).

Examples
--------
>>> cite("kuo1998")
'(Kuo 1998)'
>>> "| Concept | Importance | Notes |" in header("02_lamotrigine").data
True
"""

from __future__ import annotations

from collections.abc import Iterable

from IPython.display import Markdown

from mechlib import SAFETY_NOTE, data
from mechlib.data.rules import GLOSSARY_LESSON
from mechlib.teaching.figures import FigureView, figure
from mechlib.teaching.glossary import glossary
from mechlib.teaching.path import describe_learning_path, learning_path
from mechlib.teaching.prompts import answer, prompt

__all__ = [
    "VERDICTS", "FigureView", "answer", "cite", "claims", "describe_learning_path", "figure",
    "glossary", "header", "learning_path", "lesson_references", "prompt", "references", "what_next",
]

#: How each verdict in ``claims.yaml`` is shown, with what it means.
VERDICTS = {
    "accurate": "the evidence bears it out",
    "simplified": "true in outline, but leaves out something that matters",
    "overstated": "says more than the evidence shows",
    "incorrect": "the evidence says otherwise",
}


def _dataset() -> data.Dataset:
    return data.load()


def _lesson(lesson_id: str) -> data.Lesson:
    return data.find(_dataset().lessons, lesson_id, "lesson")


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _link(les: data.Lesson) -> str:
    return f"[{les.title}]({les.id}.ipynb)"


# --------------------------------------------------------------------------- citations


def cite(*keys: str) -> str:
    """A short in-text citation for one or more reference keys.

    Parameters
    ----------
    *keys : str
        Keys in ``data/references.yaml``.

    Returns
    -------
    str
        E.g. ``'(Kuo 1998)'`` or ``'(Kuo 1998; Leach 1986)'``.

    Raises
    ------
    ValueError
        If no key is given or a key is unknown (the message lists the allowed keys).

    Examples
    --------
    >>> cite("kuo1998", "leach1986")
    '(Kuo 1998; Leach 1986)'
    >>> cite("nobody2099")
    Traceback (most recent call last):
    ...
    ValueError: unknown reference 'nobody2099'; allowed: ...
    """
    if not keys:
        raise ValueError("cite() needs at least one reference key")
    ds = _dataset()
    return "(" + "; ".join(ds.reference(k).citation for k in keys) + ")"


def full_reference(ref: data.Reference) -> str:
    """One reference in full, as Markdown, with its DOI or PMID linked (the reference lists use it).

    Examples
    --------
    >>> full_reference(data.load().reference("kuo1998")).startswith("Kuo")
    True
    """
    title = ref.title.rstrip()
    title += "" if title.endswith((".", "?", "!")) else "."
    links = []
    if ref.doi:
        links.append(f"[doi:{ref.doi}](https://doi.org/{ref.doi})")
    if ref.pmid:
        links.append(f"[PMID {ref.pmid}](https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/)")
    if not links and ref.label:
        links.append(ref.label)
    return f"{ref.authors} ({ref.year}). {title} *{ref.source}*. " + " · ".join(links)


def lesson_references(lesson_id: str) -> list[str]:
    """The reference keys a lesson's claims, self-checks and prompts cite, in order of first use.

    A lesson's glossary section adds the sources of its terms (lesson 00: of every term).

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        If the lesson is unknown.

    Examples
    --------
    >>> "kuo1998" in lesson_references("02_lamotrigine")
    True
    """
    _lesson(lesson_id)
    ds = _dataset()
    keys: list[str] = []
    for item in [c for c in ds.claims if c.lesson == lesson_id] + \
            [q for q in ds.quizzes if q.lesson == lesson_id] + \
            [p for p in ds.prompts if p.lesson == lesson_id]:
        keys += [k for k in item.references if k not in keys]
    terms = [t for t in ds.glossary if lesson_id in (GLOSSARY_LESSON, t.first_lesson)]
    keys += [k for k in dict.fromkeys(t.reference for t in terms) if k not in keys]
    return keys


def references(keys: Iterable[str] = (), lesson: str | None = None) -> Markdown:
    """A numbered Markdown list of full references (authors, year, title, source, DOI/PMID link).

    Parameters
    ----------
    keys : iterable of str, optional
        Keys in ``data/references.yaml``, listed in this order (duplicates dropped).
    lesson : str, optional
        A lesson id; adds every key its claims and self-checks cite (:func:`lesson_references`).

    Returns
    -------
    IPython.display.Markdown

    Raises
    ------
    ValueError
        If a key or the lesson is unknown, or there is nothing to list.

    Examples
    --------
    >>> print(references(["kuo1998"]).data)  # doctest: +NORMALIZE_WHITESPACE
    1. <a id="ref-kuo1998"></a>Kuo CC (1998). A common anticonvulsant binding site for phenytoin,
    carbamazepine, and
    lamotrigine in neuronal Na+ channels. *Mol Pharmacol 54(4):712-721*.
    [doi:10.1124/mol.54.4.712](https://doi.org/10.1124/mol.54.4.712) ·
    [PMID 9765515](https://pubmed.ncbi.nlm.nih.gov/9765515/)
    >>> references(["kuo1998", "nobody2099"])
    Traceback (most recent call last):
    ...
    ValueError: unknown reference key(s) nobody2099; allowed: ...
    """
    ds = _dataset()
    wanted = list(keys) if not isinstance(keys, str) else [keys]
    if lesson is not None:
        wanted += lesson_references(lesson)
    ordered = list(dict.fromkeys(wanted))
    unknown = [k for k in ordered if k not in ds.references]
    if unknown:
        raise ValueError(f"unknown reference key(s) {', '.join(map(str, unknown))}; "
                         f"allowed: {', '.join(sorted(ds.references))}")
    if not ordered:
        raise ValueError("no references to list: pass keys, a lesson id, or both")
    return Markdown("\n".join(f'{i}. <a id="ref-{k}"></a>{full_reference(ds.references[k])}'
                              for i, k in enumerate(ordered, 1)))


# --------------------------------------------------------------------------- lesson skeleton


def header(lesson_id: str) -> Markdown:
    """The top of a lesson: title, safety note, time, objectives and the prerequisites table.

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``.

    Returns
    -------
    IPython.display.Markdown

    Raises
    ------
    ValueError
        If the lesson is unknown.

    Examples
    --------
    >>> text = header("02_lamotrigine").data
    >>> text.splitlines()[0]
    '# Lesson 02 · Lamotrigine'
    >>> "**Time to complete:** about 55 minutes" in text
    True
    """
    les = _lesson(lesson_id)
    number = les.id.split("_", 1)[0]
    lines = [f"# Lesson {number} · {les.title}", "",
             f"> ⚠️ **Not medical advice.** {SAFETY_NOTE}", "",
             f"**Time to complete:** about {les.minutes} minutes", ""]
    if les.requires:
        by_id = {x.id: x for x in _dataset().lessons}
        lines += ["**Take first:** " + ", ".join(_link(by_id[r]) if r in by_id else r
                                                 for r in les.requires), ""]
    lines += ["## Learning objectives", "", "By the end of this lesson you can:", ""]
    lines += [f"- {o}" for o in les.objectives]
    lines += ["", "## Prerequisites", ""]
    if les.prerequisites:
        lines += ["| Concept | Importance | Notes |", "| --- | --- | --- |"]
        lines += [f"| {_cell(p.concept)} | {p.importance.capitalize()} | {_cell(p.notes)} |"
                  for p in les.prerequisites]
    else:
        lines.append("None.")
    return Markdown("\n".join(lines))


def claims(lesson_id: str) -> Markdown:
    """The box "what the article says / what the evidence shows" for one lesson, as a table.

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``.

    Returns
    -------
    IPython.display.Markdown
        A heading, a table (What the article says | What the evidence shows | Sources) with each
        claim's verdict in bold, and the meaning of the verdicts.

    Raises
    ------
    ValueError
        If the lesson is unknown.

    Examples
    --------
    >>> text = claims("05_antagonism_hypothesis").data
    >>> "| What the article says | What the evidence shows | Sources |" in text
    True
    >>> "**Accurate.**" in text and "Deakin 2008" in text
    True
    """
    _lesson(lesson_id)
    ds = _dataset()
    rows = [c for c in ds.claims if c.lesson == lesson_id]
    lines = ["## What the article says, and what the evidence shows", ""]
    if not rows:
        where = sorted({c.lesson[:2] for c in ds.claims})
        also = f"; lessons {', '.join(where[:-1])} and {where[-1]} do" if len(where) > 1 else ""
        lines.append(f"This lesson examines no claim of the article{also}.")
        return Markdown("\n".join(lines))
    lines += ["| What the article says | What the evidence shows | Sources |", "| --- | --- | --- |"]
    for c in rows:
        sources = "; ".join(ds.reference(k).citation for k in c.references)
        lines.append(f"| “{_cell(c.article)}” | **{c.verdict.capitalize()}.** {_cell(c.evidence)} "
                     f"| {_cell(sources)} |")
    used = [v for v in VERDICTS if any(c.verdict == v for c in rows)]
    lines += ["", "*Verdicts:* " + "; ".join(f"**{v}**: {VERDICTS[v]}" for v in used) + "."]
    return Markdown("\n".join(lines))


def what_next(lesson_id: str) -> Markdown:
    """Links to the lessons that build on this one (those whose ``requires`` names it).

    Parameters
    ----------
    lesson_id : str
        A lesson id from ``data/lessons.yaml``.

    Returns
    -------
    IPython.display.Markdown

    Raises
    ------
    ValueError
        If the lesson is unknown.

    Examples
    --------
    >>> print(what_next("01_neurons_and_synapses").data)  # doctest: +ELLIPSIS
    ## What's next
    <BLANKLINE>
    - [Lamotrigine](02_lamotrigine.ipynb): State lamotrigine's indications, ...
    - [Ketamine](03_ketamine.ipynb): Describe ketamine's uses: ...
    """
    _lesson(lesson_id)
    lessons = _dataset().lessons
    after = [les for les in lessons if lesson_id in les.requires]
    lines = ["## What's next", ""]
    if after:
        lines += [f"- {_link(les)}: {les.objectives[0]}" for les in after]
    else:
        lines.append(f"This lesson ends its path through the suite. {_link(lessons[0])} shows the "
                     "whole learning path, if you want to revisit a lesson.")
    return Markdown("\n".join(lines))
