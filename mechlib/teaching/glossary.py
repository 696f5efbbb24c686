"""The glossary from ``data/glossary.yaml``, rendered in lesson 00 with one anchor per term.

Each term's anchor is ``term-<id>``, the id Sphinx gives a glossary term too, so a lesson's link
``[inactivated](00_start_here.ipynb#term-inactivation)`` works in JupyterLab and, rewritten to
the glossary page, in the offline site. ``python -m mechlib check-data`` checks the links
(:func:`mechlib.data.rules.check_notebooks`).

Examples
--------
>>> text = glossary().data
>>> '<a id="term-half-life"></a>**half-life**' in text
True
>>> link("half-life")
'00_start_here.ipynb#term-half-life'
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
    terms = _dataset().glossary
    for t in terms:
        if t.id == term_id:
            return t
    raise ValueError(f"unknown glossary term {term_id!r}; allowed: {', '.join(sorted(t.id for t in terms))}")


def link(term_id: str, from_lesson: str | None = None) -> str:
    """The link target of a term, as a lesson's Markdown writes it.

    Parameters
    ----------
    term_id : str
        An id from ``data/glossary.yaml``.
    from_lesson : str, optional
        The lesson the link is in; within lesson 00 the target is the bare anchor.

    Examples
    --------
    >>> link("trough", from_lesson="00_start_here")
    '#term-trough'
    """
    return glossary_target(term(term_id).id, from_lesson)


def glossary() -> Markdown:
    """The glossary section of lesson 00: every term, alphabetically, with its anchor and source.

    Returns
    -------
    IPython.display.Markdown
        ``## Glossary``, then one paragraph per term: anchor, the term in bold, the definition,
        the first lesson that uses it and the source (linked to the lesson's reference list when
        the lesson lists it).

    Examples
    --------
    >>> glossary().data.splitlines()[0]
    '## Glossary'
    """
    ds = _dataset()
    titles = {les.id: les for les in ds.lessons}
    lines = ["## Glossary", "",
             "Each term links here from the lesson that first uses it. Definitions are short; "
             "the lesson and the source say more.", ""]
    for t in sorted(ds.glossary, key=lambda x: x.term.lower()):
        les = titles[t.first_lesson]
        where = (f"[lesson {les.id[:2]}]({les.id}.ipynb)" if les.id != GLOSSARY_LESSON
                 else "this lesson")
        cite = ds.reference(t.reference).citation
        lines += [f'<a id="term-{t.id}"></a>**{t.term}**: {t.definition} '
                  f"*First used in {where}; source: {cite}.*", ""]
    return Markdown("\n".join(lines).rstrip() + "\n")
