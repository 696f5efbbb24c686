"""The glossary from ``data/glossary.yaml``: all of it in lesson 00, and in every other lesson the
terms that lesson introduces, each with the anchor ``term-<id>``.

A lesson links a term's first use to the anchor in its own glossary section,
``[inactivated](#term-inactivation)``: JupyterLab follows a ``#fragment`` within a notebook but not
into another one, so each lesson carries the entries it links. ``term-<id>`` is also the id
Sphinx gives a glossary term, so the offline site's glossary page keeps the same anchors.
``python -m mechlib check-data`` checks the links (:func:`mechlib.data.rules.check_notebooks`).

Examples
--------
>>> text = glossary().data
>>> '<a id="term-half-life"></a>**half-life**' in text
True
>>> link("half-life")
'#term-half-life'
>>> glossary("07_clinical_practice_and_safety").data.splitlines()[0]
'## Terms in this lesson'
"""

from __future__ import annotations

from IPython.display import Markdown

from mechlib import data
from mechlib.data import Term
from mechlib.data.rules import GLOSSARY_LESSON, glossary_target


def _dataset() -> data.Dataset:
    return data.load()


def term(term_id: str) -> Term:
    """The glossary entry ``term_id``.

    Raises
    ------
    ValueError
        If there is no such term; the message lists the allowed ids.

    Examples
    --------
    >>> term("synergy").reference
    'tallarida2006'
    >>> term("synergism")
    Traceback (most recent call last):
    ...
    ValueError: unknown glossary term 'synergism'; allowed: ...
    """
    return data.find(_dataset().glossary, term_id, "glossary term")


def link(term_id: str) -> str:
    """The link target of a term, as a lesson's Markdown writes it: ``#term-<id>``.

    Examples
    --------
    >>> link("trough")
    '#term-trough'
    """
    return glossary_target(term(term_id).id)


def glossary(lesson_id: str | None = None) -> Markdown:
    """A glossary section: every term (lesson 00), or the terms one lesson introduces.

    Parameters
    ----------
    lesson_id : str, optional
        A lesson id: list only the terms whose ``first_lesson`` it is. Default: every term.

    Returns
    -------
    IPython.display.Markdown
        A heading, then one paragraph per term, alphabetically: anchor, the term in bold, the
        definition, where it is first used and its source.

    Raises
    ------
    ValueError
        If the lesson is unknown, or introduces no term.

    Examples
    --------
    >>> glossary().data.splitlines()[0]
    '## Glossary'
    >>> glossary("00_start_here")
    Traceback (most recent call last):
    ...
    ValueError: lesson '00_start_here' introduces no glossary term; allowed: ...
    """
    ds = _dataset()
    titles = {les.id: les for les in ds.lessons}
    if lesson_id is not None and lesson_id not in titles:
        raise ValueError(f"unknown lesson {lesson_id!r}; allowed: {', '.join(titles)}")
    terms = [t for t in ds.glossary if lesson_id in (None, t.first_lesson)]
    if not terms:
        having = sorted({t.first_lesson for t in ds.glossary})
        raise ValueError(f"lesson {lesson_id!r} introduces no glossary term; allowed: {', '.join(having)}")
    if lesson_id is None:
        lines = ["## Glossary", "", "Each term links here from the lesson that first uses it (that lesson "
                 "lists its own terms too). Definitions are short; the lesson and the source say more.", ""]
    else:
        lines = ["## Terms in this lesson", "", "The words this lesson introduces, linked from their "
                 f"first use. All terms: [lesson 00]({GLOSSARY_LESSON}.ipynb#Glossary).", ""]
    for t in sorted(terms, key=lambda x: x.term.lower()):
        les = titles[t.first_lesson]
        where = ("" if lesson_id is not None else
                 f"First used in [lesson {les.id[:2]}]({les.id}.ipynb); ")
        cite = ds.reference(t.reference).citation
        source = f"{where}source: {cite}." if where else f"Source: {cite}."
        lines += [f'<a id="term-{t.id}"></a>**{t.term}**: {t.definition} *{source}*', ""]
    return Markdown("\n".join(lines).rstrip() + "\n")
