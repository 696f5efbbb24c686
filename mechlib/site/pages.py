"""The offline site's generated pages, as MyST Markdown: bibliography, glossary, answer key.

Each page is written from ``data/`` at build time, so it can never drift from what the lessons
cite. Every reference gets the anchor ``ref-<key>`` and every glossary term ``term-<id>``: the
anchors the lessons' own reference lists and term lists use.

Examples
--------
>>> from mechlib import data
>>> md = bibliography_md(data.load())
>>> '<a id="ref-kuo1998"></a>' in md
True
>>> glossary_md([{"term": "NMDA receptor", "definition": "A glutamate receptor.",
...               "reference": "kuo1998", "first_lesson": "01_neurons_and_synapses"}],
...             data.load()).count('id="term-nmda-receptor"')
1
>>> slug("Mg2+ block")
'mg2-block'
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from mechlib import data

GLOSSARY_FILE = "glossary.yaml"


def slug(term: str) -> str:
    """A term as an anchor: lower case, runs of other characters as one hyphen."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def full_reference(ref: data.Reference) -> str:
    """One reference in full (authors, year, title, source, DOI/PMID links or label)."""
    from mechlib.teaching import lesson

    return lesson.full_reference(ref)


def bibliography_md(ds: data.Dataset) -> str:
    """Every reference in ``references.yaml``, sorted by citation, each with its ``ref-`` anchor."""
    refs = sorted(ds.references.values(), key=lambda r: (r.citation.lower(), r.key))
    lines = ["# Bibliography", "",
             "Every source the lessons, the data and the self-checks cite, generated from "
             "`data/references.yaml`. Each lesson's own reference list links here.", ""]
    for r in refs:
        lines.append(f'- <a id="ref-{r.key}"></a>**{r.citation}**. {full_reference(r)}')
    return "\n".join(lines) + "\n"


def _field(entry: Any, name: str, default: Any = None) -> Any:
    return entry.get(name, default) if isinstance(entry, dict) else getattr(entry, name, default)


def term_id(entry: Any) -> str:
    """The anchor id of a glossary entry: its ``id``, else its term as a slug."""
    return _field(entry, "id") or slug(_field(entry, "term"))


def glossary_entries(ds: data.Dataset, data_dir: Path) -> list[Any]:
    """The glossary: the validated records (``ds.glossary``), else :func:`load_glossary`."""
    return list(getattr(ds, "glossary", None) or ()) or load_glossary(data_dir)


def load_glossary(data_dir: Path) -> list[dict[str, Any]]:
    """The entries of ``data/glossary.yaml`` read directly (empty if there is no file).

    A list under ``terms:`` (or ``glossary:``); ``ValueError`` names an entry that lacks a term
    or a definition.
    """
    path = Path(data_dir) / GLOSSARY_FILE
    if not path.is_file():
        return []
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if isinstance(doc, dict):
        doc = doc.get("terms", doc.get("glossary", []))
    for i, entry in enumerate(doc):
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("definition"):
            raise ValueError(f"{path}: entry {i + 1} needs a term and a definition")
    return list(doc)


def first_lesson(entry: Any) -> str | None:
    """The lesson where ``entry``'s term is first used (``first_lesson``)."""
    return _field(entry, "first_lesson") or _field(entry, "lesson")


def _references(entry: Any) -> list[str]:
    refs = _field(entry, "references", _field(entry, "reference")) or []
    return [refs] if isinstance(refs, str) else list(refs)


def glossary_md(entries: list[Any], ds: data.Dataset) -> str:
    """The glossary page: each term (anchor ``term-<id>``, as in the lessons) with its definition,
    source and the lesson that introduces it."""
    titles = {les.id: les.title for les in ds.lessons}
    lines = ["# Glossary", "", "The terms the lessons use, generated from `data/glossary.yaml`. "
             "Each lesson links a term's first use to its entry in that lesson's own list of terms.", ""]
    if not entries:
        lines.append("*No glossary entries yet.*")
    for entry in sorted(entries, key=lambda e: _field(e, "term").lower()):
        lines += [f'<a id="term-{term_id(entry)}"></a>', "", f'**{_field(entry, "term")}**', ""]
        text = " ".join(str(_field(entry, "definition")).split())
        refs = [k for k in _references(entry) if k in ds.references]
        if refs:
            text += " (" + "; ".join(f'<a href="bibliography.html#ref-{k}">'
                                      f"{ds.references[k].citation}</a>" for k in refs) + ")"
        lines.append(f": {text}")
        lesson_id = first_lesson(entry)
        if lesson_id in titles:
            lines.append(f': First met in <a href="{lesson_id}.html#term-{term_id(entry)}">'
                         f"{titles[lesson_id]}</a>.")
        lines.append("")
    return "\n".join(lines) + "\n"


#: Spans of Markdown that must not get a glossary link: code, links, raw HTML tags, headings.
_PROTECTED = re.compile(r"```.*?```|`[^`]*`|\[[^\]]*\]\([^)]*\)|<a\b[^>]*>.*?</a>|<[^>]+>|^#[^\n]*$",
                        re.M | re.S)


def link_first_uses(sources: list[str], terms: list[tuple[str, str]]) -> list[str]:
    """Link the first use of each term in Markdown cells ``sources`` to the glossary page.

    A fallback for a lesson that does not link a term itself: a term already linked (to
    ``#term-<id>`` in the page, or to the glossary page) is left alone, and code, links, tags
    and headings are never touched. ``terms`` are (term, id) pairs. Returns the new sources.

    Examples
    --------
    >>> link_first_uses(["# NMDA receptor", "The NMDA receptor opens; the NMDA receptor closes."],
    ...                 [("NMDA receptor", "nmda-receptor")])[1]
    'The <a href="glossary.html#term-nmda-receptor">NMDA receptor</a> opens; the NMDA receptor closes.'
    """
    out = list(sources)
    for term, tid in terms:
        anchor = f"glossary.html#term-{tid}"
        if any(anchor in s or f"(#term-{tid})" in s or f'"#term-{tid}"' in s for s in out):
            continue
        pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.I)
        for i, text in enumerate(out):
            protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
            hit = next((m for m in pattern.finditer(text)
                        if not any(a <= m.start() < b for a, b in protected)), None)
            if hit:
                out[i] = (text[:hit.start()] + f'<a href="{anchor}">{hit.group(0)}</a>'
                          + text[hit.end():])
                break
    return out


def answer_key_md(ds: data.Dataset) -> str:
    """Every self-check with its answer and explanation, lesson by lesson (instructors only)."""
    from mechlib.teaching import quiz

    lines = ["# Answer key", "", "For instructors: every self-check with its answer (from "
             "`data/quizzes.yaml`), then every \"Think about it\" prompt with its model answer and "
             "common wrong answers (from `data/prompts.yaml`). Students see an answer only after "
             "they check their own, or open the disclosure.", ""]
    for les in ds.lessons:
        qs = [q for q in ds.quizzes if q.lesson == les.id]
        if not qs:
            continue
        lines += [f"## {les.title}", ""]
        for q in qs:
            if q.type == "numeric":
                tol = f" (accepted within {q.tolerance:g})" if q.tolerance else ""
                answer = f"{float(q.answer):g} {q.unit}{tol}"
            else:
                ids = [q.answer] if isinstance(q.answer, str) else list(q.answer)
                answer = "; ".join(f"({o.id}) {o.text}" for o in q.options if o.id in ids)
            lines += [f"**{q.prompt}** *({quiz.TYPE_NAMES[q.type]})*", "",
                      f"- Answer: {answer}", f"- Why: {q.explanation}",
                      f"- {quiz.sources(q.references)}", ""]
    if getattr(ds, "prompts", None):
        from mechlib.teaching import prompts

        lines += ["## Think about it: model answers", "", prompts.answer_key()]
    return "\n".join(lines) + "\n"
