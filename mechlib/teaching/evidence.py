"""The studies of lamotrigine with ketamine, and which hypothesis each one bears on.

Everything here is derived from ``data/studies.yaml`` (via :func:`mechlib.data.load`); no study is
named in this code. Add a study to the file and the table, the map, the counts and the summaries
follow.

- :func:`studies` and :func:`select` give the study records, filtered by population, design and
  hypothesis.
- :func:`table`, :func:`table_markdown` and :func:`table_text` give the studies table.
- :func:`evidence_map` draws the evidence map (matplotlib), :func:`evidence_svg` the same map as
  inline SVG with cited tooltips (lessons and the explorer); :func:`describe_map` is the same map
  as a nested list for screen readers.
- :func:`summary` says in plain words what the studies on one hypothesis add up to.

How strong a kind of evidence is (:func:`evidence_rank`, strongest first):

1. randomised study in patients
2. controlled study in patients (controls, but randomisation not reported)
3. open-label study in patients
4. retrospective study in patients
5. the same order of designs in healthy volunteers
6. the same order of designs in animals
7. a study in mixed populations
8. a review, whatever population it covers: it brings no new data and summarises studies that may
   already be on the map, so counting it as its own evidence would count those studies twice.

The population comes first because the question is what happens in patients: an effect seen in
healthy volunteers or animals does not establish an effect in patients, however good the design.

Examples
--------
>>> all(s.population == "patients" for s in select(population="patients"))
True
>>> print(summary("synergy").splitlines()[0])  # doctest: +ELLIPSIS
Synergy: ...
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Iterable

from mechlib.data import Dataset, Study
from mechlib.teaching.evidence_map import describe_map, evidence_map, hypothesis_ids, populations
from mechlib.teaching.evidence_svg import evidence_svg
from mechlib.teaching.studies import (
    DIRECTION_STYLE,
    POPULATION_LABELS,
    citation,
    dataset,
    direction_text,
    evidence_kind,
    evidence_rank,
    n_long,
    n_short,
    select,
    studies,
)

__all__ = [
    "DIRECTION_STYLE",
    "POPULATION_LABELS",
    "describe_map",
    "evidence_kind",
    "evidence_map",
    "evidence_svg",
    "evidence_rank",
    "select",
    "studies",
    "summary",
    "table",
    "table_markdown",
    "table_text",
]

_VERB = {  # direction -> (singular, plural) phrase
    "supports": ("supports it", "support it"),
    "against": ("goes against it", "go against it"),
    "mixed": ("is mixed", "are mixed"),
    "neutral": ("is neutral", "are neutral"),
}
_CAVEATS = (  # (population or design, sentence a summary adds when such studies are present)
    ("healthy-volunteers", "Findings in healthy volunteers do not establish an effect in patients."),
    ("animal", "Animal findings show what can happen in a model, not what happens in people."),
    ("review", "A review summarises other studies, some of them on this map, "
               "so it is not independent evidence."),
)


# --------------------------------------------------------------------------- the table


def table(studies: Iterable[Study], data: Dataset | None = None) -> list[dict[str, str]]:
    """The studies table: one dict per study, ready for ``pandas.DataFrame`` or display.

    Parameters
    ----------
    studies : iterable of Study
        E.g. from :func:`select`.
    data : Dataset, optional
        For citations and hypothesis titles; default: the shipped data.

    Returns
    -------
    list of dict
        Keys ``Study``, ``Design``, ``Population``, ``N``, ``Regimen``, ``Main findings``, then one
        key per hypothesis title whose value is the glyph, direction and note ("—" if the study
        does not bear on it).

    Examples
    --------
    >>> rows = table(select(hypothesis="synergy"))
    >>> sorted(rows[0])[:4]
    ['Antagonism', 'Design', 'Fewer side effects', 'Main findings']
    >>> all(r["Synergy"] != "—" for r in rows)
    True
    """
    ds = dataset(data)
    rows = []
    for s in studies:
        row = {
            "Study": citation(s, ds),
            "Design": s.design_detail or s.design,
            "Population": POPULATION_LABELS.get(s.population, s.population),
            "N": n_long(s),
            "Regimen": s.regimen,
            "Main findings": "; ".join(f"{o.measure}: {o.finding}" for o in s.outcomes),
        }
        bearings = {b.hypothesis: b for b in s.bears_on}
        for h in ds.hypotheses.values():
            b = bearings.get(h.id)
            if b is None:
                row[h.title] = "—"
            else:
                row[h.title] = direction_text(b.direction) + (f" ({b.note})" if b.note else "")
        rows.append(row)
    return rows


def table_markdown(studies: Iterable[Study], data: Dataset | None = None) -> str:
    """The studies table as Markdown, e.g. for ``IPython.display.Markdown``.

    Parameters
    ----------
    studies : iterable of Study
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    str
        A header row, a separator row and one row per study (``|`` in the text is escaped).

    Examples
    --------
    >>> md = table_markdown(select(population="patients"))
    >>> md.splitlines()[0].startswith("| Study | Design | Population | N |")
    True
    >>> len(md.splitlines()) == 2 + len(select(population="patients"))
    True
    """
    rows = table(studies, data)
    ds = dataset(data)
    header = ["Study", "Design", "Population", "N", "Regimen", "Main findings",
              *(h.title for h in ds.hypotheses.values())]

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(r[k]) for k in header) + " |" for r in rows]
    return "\n".join(lines)


def table_text(studies: Iterable[Study], data: Dataset | None = None, width: int = 88) -> str:
    """The studies table as plain text, one block per study (for a terminal or a screen reader).

    Parameters
    ----------
    studies : iterable of Study
    data : Dataset, optional
        Default: the shipped data.
    width : int, default 88
        Wrap lines at this many characters.

    Returns
    -------
    str

    Examples
    --------
    >>> text = table_text(select(design="review"))
    >>> "Regimen:" in text and "Main findings:" in text
    True
    """
    blocks = []
    for r in table(studies, data):
        lines = [f"{r['Study']}: {r['Population']}, N {r['N']}"]
        for key, value in r.items():
            if key in ("Study", "Population", "N"):
                continue
            lines += textwrap.wrap(f"{key}: {value}", width, initial_indent="  ",
                                   subsequent_indent="    ")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


# --------------------------------------------------------------------------- the summary


def _count_phrase(counts: Counter) -> str:
    parts = [f"{counts[d]} {_VERB[d][0] if counts[d] == 1 else _VERB[d][1]}" for d in DIRECTION_STYLE]
    if counts["neutral"]:
        parts[-1] += " (looked, found no effect)"
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def patients_compared(patients: list[Study], ds: Dataset) -> str:
    """How many patients the studies compared, added up only when every N counts a whole sample.

    An N that counts part of a comparison (its ``n_unit`` says which part, e.g. only the patients
    on lamotrigine) is listed with its unit instead of being summed with the others.

    Examples
    --------
    >>> from mechlib import data
    >>> ds = data.load()
    >>> mathew = next(s for s in ds.studies if s.key == "mathew2010")
    >>> patients_compared([mathew], ds)
    'Mathew 2010: N 26 patients randomised to lamotrigine or placebo (about 13 per arm)'
    """
    if all(s.n is not None and not s.n_unit for s in patients):
        return f"{sum(s.n for s in patients)} patients in all"
    return "; ".join(f"{citation(s, ds)}: " + (f"N {s.n} {s.n_unit or 'patients'}" if s.n is not None
                                                else "N not in the data") for s in patients)


def summary(hypothesis: str, data: Dataset | None = None) -> str:
    """What the studies on one hypothesis add up to, in plain words.

    Gives how many studies bear on the hypothesis and in which direction, the same by population,
    the strongest and the weakest kind of evidence among them (ranking: see
    :func:`evidence_rank`), and what the kinds of evidence present cannot show.

    Parameters
    ----------
    hypothesis : str
        A hypothesis id (or title) from ``data/studies.yaml``.
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    str
        A few lines of plain text.

    Raises
    ------
    ValueError
        An unknown hypothesis; the message lists the allowed ones.

    Examples
    --------
    >>> n = len(select(hypothesis="antagonism"))
    >>> f"{n} studies bear on this hypothesis" in summary("antagonism")
    True
    >>> summary("telepathy")
    Traceback (most recent call last):
    ...
    ValueError: unknown hypothesis 'telepathy'; allowed: synergy, antagonism, side_effect_attenuation
    """
    ds = dataset(data)
    if not isinstance(hypothesis, str):
        raise ValueError(f"summary takes one hypothesis as a string, not {hypothesis!r}; "
                         f"allowed: {', '.join(ds.hypotheses)}")
    (h,) = hypothesis_ids(hypothesis, ds)
    hyp = ds.hypotheses[h]
    found = [(s, b.direction) for s in ds.studies for b in s.bears_on if b.hypothesis == h]
    lines = [f"{hyp.title}: {hyp.statement}"]
    if not found:
        lines.append("No study in data/ bears on this hypothesis yet.")
        return "\n".join(lines)

    n = len(found)
    lines.append(f"{n} stud{'y' if n == 1 else 'ies'} bear{'s' if n == 1 else ''} on this hypothesis: "
                 f"{_count_phrase(Counter(d for _, d in found))}.")
    by_pop = []
    for p in populations(ds):
        here = Counter(d for s, d in found if s.population == p)
        if here:
            detail = ", ".join(f"{here[d]} {d}" for d in DIRECTION_STYLE if here[d])
            by_pop.append(f"{POPULATION_LABELS.get(p, p).lower()} {sum(here.values())} ({detail})")
    lines.append("By population: " + "; ".join(by_pop) + ".")

    def listing(rank: tuple[int, int, int]) -> str:
        return ", ".join(f"{citation(s, ds)} ({d}, {n_short(s)})"
                         for s, d in found if evidence_rank(s) == rank)

    best = min(evidence_rank(s) for s, _ in found)
    worst = max(evidence_rank(s) for s, _ in found)
    kind = {evidence_rank(s): evidence_kind(s) for s, _ in found}
    if best == worst:
        lines.append(f"All of it is of one kind: {kind[best]}: {listing(best)}.")
    else:
        lines.append(f"Strongest kind of evidence here: {kind[best]}: {listing(best)}.")
        lines.append(f"Weakest kind: {kind[worst]}: {listing(worst)}.")
    patients = {s.key: s for s, _ in found if s.population == "patients"}
    if patients:
        lines.append(f"Evidence in patients: {len(patients)} stud{'y' if len(patients) == 1 else 'ies'}, "
                     f"{patients_compared(list(patients.values()), ds)}.")
    else:
        lines.append("No study in patients bears on this hypothesis, so nothing here shows an "
                     "effect in patients.")
    caveats = [text for what, text in _CAVEATS
               if any(what in (s.population, s.design) for s, _ in found)]
    if caveats:
        lines.append(" ".join(caveats))
    return "\n".join(lines)
