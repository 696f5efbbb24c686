"""The studies of lamotrigine with ketamine, and which hypothesis each one bears on.

Everything here is derived from ``data/studies.yaml`` (via :func:`mechlib.data.load`); no study is
named in this code. Add a study to the file and the table, the map, the counts and the summaries
follow.

- :func:`studies` and :func:`select` give the study records, filtered by population, design and
  hypothesis.
- :func:`table`, :func:`table_markdown` and :func:`table_text` give the studies table.
- :func:`evidence_map` draws the evidence map; :func:`describe_map` is the same map as a nested
  list for screen readers.
- :func:`summary` says in plain words what the studies on one hypothesis add up to.

How strong a kind of evidence is (:func:`evidence_rank`, strongest first):

1. randomised study in patients
2. open-label study in patients
3. retrospective study in patients
4. randomised, then open-label, then retrospective study in healthy volunteers
5. randomised, then open-label, then retrospective study in animals
6. a study in mixed populations
7. a review, whatever population it covers: it brings no new data and summarises studies that may
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
from collections.abc import Iterable, Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from mechlib import schema, style
from mechlib.data import Dataset, Study, load

__all__ = [
    "DIRECTION_STYLE",
    "POPULATION_LABELS",
    "describe_map",
    "evidence_kind",
    "evidence_map",
    "evidence_rank",
    "select",
    "studies",
    "summary",
    "table",
    "table_markdown",
    "table_text",
]

#: Direction of a finding -> (glyph, matplotlib marker, Okabe-Ito colour). The glyph carries the
#: meaning; the colour only repeats it.
DIRECTION_STYLE: dict[str, tuple[str, str, str]] = {
    "supports": ("▲", "^", style.BLUE),
    "against": ("▼", "v", style.VERMILLION),
    "mixed": ("◆", "D", style.REDDISH_PURPLE),
    "neutral": ("○", "o", style.BLACK),  # drawn hollow
}

#: Population id -> label, in the order of the map's rows (top to bottom).
POPULATION_LABELS: dict[str, str] = {
    "animal": "Animal",
    "healthy-volunteers": "Healthy volunteers",
    "patients": "Patients",
    "mixed": "Reviews / mixed",
}

_POPULATION_RANK = {"patients": 0, "healthy-volunteers": 1, "animal": 2, "mixed": 3}
_DESIGN_RANK = {"randomised": 0, "open-label": 1, "retrospective": 2, "review": 3}
_POPULATION_WORDS = {
    "patients": "patients", "healthy-volunteers": "healthy volunteers", "animal": "animals",
    "mixed": "mixed populations",
}
_DEFAULT_UNIT = {"patients": "patients", "healthy-volunteers": "healthy volunteers",
                 "animal": "animals", "mixed": ""}
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

_TEXT = style.INK
_MUTED = "#595959"
_GRID = "#c8c8c8"


# --------------------------------------------------------------------------- records and filters


def _dataset(data: Dataset | None) -> Dataset:
    return load() if data is None else data


def studies(data: Dataset | None = None) -> list[Study]:
    """All studies, in the order of ``data/studies.yaml``.

    Parameters
    ----------
    data : Dataset, optional
        The data to use; default :func:`mechlib.data.load` (the shipped ``data/``).

    Returns
    -------
    list of Study

    Examples
    --------
    >>> from mechlib import data
    >>> len(studies()) == len(data.load().studies)
    True
    """
    return list(_dataset(data).studies)


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def _check(what: str, values: list[str], allowed: Sequence[str], aliases: dict[str, str]) -> set[str]:
    """Map each value (or its alias) to an allowed id; ``ValueError`` lists the allowed values."""
    out = set()
    for v in values:
        key = aliases.get(str(v).strip().lower(), v)
        if key not in allowed:
            raise ValueError(f"unknown {what} {v!r}; allowed: {', '.join(allowed)}")
        out.add(key)
    return out


def _aliases(ids: Iterable[str], labels: dict[str, str] | None = None) -> dict[str, str]:
    """Lower-case forms, spaces or hyphens or underscores, and labels, each pointing to the id."""
    out: dict[str, str] = {}
    for i in ids:
        for form in (i, i.replace("-", " "), i.replace("_", " "), i.replace("-", "_"),
                     i.replace("_", "-")):
            out[form.lower()] = i
        if labels and i in labels:
            out[labels[i].lower()] = i
    return out


def select(population: str | Iterable[str] | None = None,
           design: str | Iterable[str] | None = None,
           hypothesis: str | Iterable[str] | None = None,
           data: Dataset | None = None) -> list[Study]:
    """The studies that match every given filter.

    Each filter takes one value or a list; a study matches a list if it matches any value in it
    (an empty list matches nothing). ``None`` does not filter. Values are case-insensitive, and
    spaces may stand for hyphens or underscores (``"healthy volunteers"``); a hypothesis may also
    be given by its title.

    Parameters
    ----------
    population : str or list of str, optional
        Any of ``mechlib.schema.POPULATIONS``: animal, healthy-volunteers, patients, mixed.
    design : str or list of str, optional
        Any of ``mechlib.schema.DESIGNS``: randomised, open-label, retrospective, review.
    hypothesis : str or list of str, optional
        A hypothesis id from ``data/studies.yaml``; keeps the studies that bear on it.
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    list of Study
        In the order of ``data/studies.yaml``.

    Raises
    ------
    ValueError
        A value is not allowed; the message lists the allowed values.

    Examples
    --------
    >>> found = select(population="healthy volunteers", design=["randomised", "open-label"])
    >>> {(s.population, s.design) for s in found} <= {("healthy-volunteers", "randomised"),
    ...                                              ("healthy-volunteers", "open-label")}
    True
    >>> select(population="rats")
    Traceback (most recent call last):
    ...
    ValueError: unknown population 'rats'; allowed: animal, healthy-volunteers, patients, mixed
    """
    ds = _dataset(data)
    pops = _as_list(population)
    designs = _as_list(design)
    hyps = _as_list(hypothesis)
    if pops is not None:
        pops = _check("population", pops, schema.POPULATIONS, _aliases(schema.POPULATIONS))
    if designs is not None:
        designs = _check("design", designs, schema.DESIGNS, _aliases(schema.DESIGNS))
    if hyps is not None:
        titles = {h.id: h.title for h in ds.hypotheses.values()}
        hyps = _check("hypothesis", hyps, tuple(ds.hypotheses), _aliases(ds.hypotheses, titles))
    return [
        s for s in ds.studies
        if (pops is None or s.population in pops)
        and (designs is None or s.design in designs)
        and (hyps is None or any(b.hypothesis in hyps for b in s.bears_on))
    ]


# --------------------------------------------------------------------------- describing a study


def evidence_rank(study: Study) -> tuple[int, int, int]:
    """How strong a study's kind of evidence is; smaller is stronger (see the module docstring).

    Parameters
    ----------
    study : Study

    Returns
    -------
    tuple of int
        (review or not, population rank, design rank): sort by it, strongest first.

    Examples
    --------
    >>> ranked = sorted(studies(), key=evidence_rank)
    >>> ranked[0].population, ranked[-1].design
    ('patients', 'review')
    """
    is_review = study.design == "review"
    return (int(is_review), _POPULATION_RANK.get(study.population, len(_POPULATION_RANK)),
            _DESIGN_RANK.get(study.design, len(_DESIGN_RANK)))


def evidence_kind(study: Study) -> str:
    """The kind of evidence in words, e.g. ``'randomised study in patients'`` or ``'review'``.

    Parameters
    ----------
    study : Study

    Returns
    -------
    str

    Examples
    --------
    >>> sorted({evidence_kind(s) for s in select(population="patients", design="randomised")})
    ['randomised study in patients']
    """
    if study.design == "review":
        return "review"
    return f"{study.design} study in {_POPULATION_WORDS.get(study.population, study.population)}"


def _citation(study: Study, ds: Dataset) -> str:
    ref = ds.references.get(study.reference)
    return ref.citation if ref is not None else study.key


def _n_short(study: Study) -> str:
    """``'N 16'``, ``'N n/a'``, or for a review ``'N 17 studies'`` (its N counts studies)."""
    if study.n is None:
        return "N n/a"
    if study.design == "review":
        return f"N {study.n} {study.n_unit or 'studies'}"
    return f"N {study.n}"


def _n_long(study: Study) -> str:
    if study.n is None:
        return "n/a"
    unit = study.n_unit or _DEFAULT_UNIT.get(study.population, "")
    return f"{study.n} {unit}".strip()


def _direction_text(direction: str) -> str:
    glyph = DIRECTION_STYLE.get(direction, ("?",))[0]
    return f"{glyph} {direction}"


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
    ds = _dataset(data)
    rows = []
    for s in studies:
        row = {
            "Study": _citation(s, ds),
            "Design": s.design_detail or s.design,
            "Population": POPULATION_LABELS.get(s.population, s.population),
            "N": _n_long(s),
            "Regimen": s.regimen,
            "Main findings": "; ".join(f"{o.measure}: {o.finding}" for o in s.outcomes),
        }
        bearings = {b.hypothesis: b for b in s.bears_on}
        for h in ds.hypotheses.values():
            b = bearings.get(h.id)
            if b is None:
                row[h.title] = "—"
            else:
                row[h.title] = _direction_text(b.direction) + (f" ({b.note})" if b.note else "")
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
    ds = _dataset(data)
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


# --------------------------------------------------------------------------- the evidence map


def _hypothesis_ids(hypothesis: str | Iterable[str] | None, ds: Dataset) -> list[str]:
    if hypothesis is None:
        return list(ds.hypotheses)
    titles = {h.id: h.title for h in ds.hypotheses.values()}
    chosen = _check("hypothesis", _as_list(hypothesis) or [], tuple(ds.hypotheses),
                    _aliases(ds.hypotheses, titles))
    return [h for h in ds.hypotheses if h in chosen]


def _populations(ds: Dataset) -> list[str]:
    extra = [p for p in schema.POPULATIONS if p not in POPULATION_LABELS]
    return list(POPULATION_LABELS) + extra


def _cells(ds: Dataset, hyps: list[str]) -> dict[tuple[str, str], list[tuple[Study, str]]]:
    """(population, hypothesis) -> [(study, direction), ...] in data order."""
    cells: dict[tuple[str, str], list[tuple[Study, str]]] = {}
    for s in ds.studies:
        for b in s.bears_on:
            if b.hypothesis in hyps:
                cells.setdefault((s.population, b.hypothesis), []).append((s, b.direction))
    return cells


#: Sizes shown in the legend, and a factor per marker shape so that equal N looks equally big.
_LEGEND_N = (10, 25, 50)
_SHAPE_SCALE = {"^": 1.1, "v": 1.1, "D": 0.8, "o": 1.0}


def _size_for_n(n: int | None) -> float:
    """Marker diameter in points: area proportional to N (capped); 9 pt when N is unknown."""
    if n is None:
        return 9.0
    return min(32.0, max(9.0, 4.0 * n ** 0.5))


def _marker_size(study: Study) -> float:
    """A study's marker diameter; a review's N counts studies, so it gets the unknown-N size."""
    return _size_for_n(None if study.design == "review" else study.n)


def evidence_map(hypothesis: str | Iterable[str] | None = None, data: Dataset | None = None,
                 ax: Axes | None = None) -> Figure:
    """Draw the evidence map: each study placed by population (rows) and hypothesis (columns).

    Each (study, hypothesis) pair is one marker with a label: the citation, the sample size
    ("N n/a" when unknown) and the direction in words. The marker's shape is the direction
    (▲ supports, ▼ against, ◆ mixed, ○ neutral); its colour (Okabe-Ito) only repeats it. Marker
    area grows with N; unknown N and reviews (whose N counts studies) get the smallest marker.
    Studies sharing a cell are stacked, so no labels overlap. Use :func:`describe_map` for the
    same content as text.

    Parameters
    ----------
    hypothesis : str or list of str, optional
        Draw only these hypotheses' columns; default all, in the order of ``data/studies.yaml``.
    data : Dataset, optional
        Default: the shipped data.
    ax : matplotlib.axes.Axes, optional
        Draw into these axes; default a new :class:`matplotlib.figure.Figure` sized to fit.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        An unknown hypothesis; the message lists the allowed ones.

    Examples
    --------
    >>> fig = evidence_map()
    >>> markers = [a for a in fig.axes[0].lines if str(a.get_gid()).startswith("marker:")]
    >>> len(markers) == sum(len(s.bears_on) for s in studies())
    True
    """
    ds = _dataset(data)
    hyps = _hypothesis_ids(hypothesis, ds)
    pops = _populations(ds)
    cells = _cells(ds, hyps)
    slots = {p: max([1] + [len(cells.get((p, h), [])) for h in hyps]) for p in pops}
    total = sum(slots.values())

    if ax is None:
        fig = style.figure((max(10.0, 2.6 + 4.2 * len(hyps)), 2.6 + 0.78 * total), layout="constrained")
        ax = fig.add_subplot()
        fig.suptitle("Evidence map: studies of lamotrigine with ketamine", fontsize=15, color=_TEXT)
    else:
        fig = ax.figure
    ax.set_facecolor("white")
    ax.set_xlim(0, len(hyps))
    ax.set_ylim(total, 0)

    top = 0
    row_centres = []
    for p in pops:
        row_centres.append(top + slots[p] / 2)
        for c, h in enumerate(hyps):
            entries = cells.get((p, h), [])
            if not entries:
                ax.text(c + 0.5, top + slots[p] / 2, "no study", ha="center", va="center",
                        fontsize=11, style="italic", color=_MUTED)
            for i, (s, direction) in enumerate(entries):
                y = top + i + 0.5
                _, marker, colour = DIRECTION_STYLE[direction]
                face = "white" if direction == "neutral" else colour
                ax.plot([c + 0.08], [y], linestyle="none", marker=marker,
                        markersize=_marker_size(s) * _SHAPE_SCALE[marker], markerfacecolor=face,
                        markeredgecolor=_TEXT,
                        markeredgewidth=1.2, gid=f"marker:{s.key}:{h}", clip_on=False)
                label = f"{_citation(s, ds)}  ·  {_n_short(s)}\n" \
                        f"{_direction_text(direction)}"
                ax.annotate(label, xy=(c + 0.08, y), xytext=(24, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=11.5, color=_TEXT, linespacing=1.3,
                            gid=f"label:{s.key}:{h}", annotation_clip=False)
        top += slots[p]
        if top < total:
            ax.axhline(top, color=_GRID, linewidth=1)
    for c in range(1, len(hyps)):
        ax.axvline(c, color=_GRID, linewidth=1)

    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks([c + 0.5 for c in range(len(hyps))],
                  [ds.hypotheses[h].title for h in hyps], fontsize=13, fontweight="bold", color=_TEXT)
    ax.set_yticks(row_centres, [POPULATION_LABELS.get(p, p) for p in pops], fontsize=12, color=_TEXT)
    ax.tick_params(length=0, pad=8)
    ax.set_xlabel("Hypothesis the study bears on", fontsize=12, color=_TEXT, labelpad=10)
    ax.set_ylabel("Population studied", fontsize=12, color=_TEXT, labelpad=10)
    for spine in ax.spines.values():
        spine.set_color(_TEXT)

    directions = [
        Line2D([], [], linestyle="none", marker=m, markersize=12 * _SHAPE_SCALE[m],
               markerfacecolor="white" if d == "neutral" else col, markeredgecolor=_TEXT,
               label=_direction_text(d))
        for d, (_, m, col) in DIRECTION_STYLE.items()
    ]
    sizes = [Line2D([], [], linestyle="none", marker="o", markersize=_size_for_n(n),
                    markerfacecolor="#bbbbbb", markeredgecolor=_TEXT, label=f"N {n}")
             for n in _LEGEND_N]
    sizes.append(Line2D([], [], linestyle="none", marker="o", markersize=_size_for_n(None),
                        markerfacecolor="#bbbbbb", markeredgecolor=_TEXT, label="N n/a, or review"))
    # two rows (directions above, sizes below); matplotlib fills legend columns first
    handles = [h for pair in zip(directions, sizes, strict=True) for h in pair]
    legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.03),
                       ncol=len(directions), fontsize=11, frameon=False, labelcolor=_TEXT,
                       title="Glyph = direction of the finding (colour repeats it); "
                             "marker area = sample size N",
                       title_fontsize=11, borderaxespad=0.2, handlelength=2.6, handleheight=2.6,
                       handletextpad=0.5, columnspacing=1.6)
    legend.get_title().set_color(_TEXT)
    return fig


def describe_map(hypothesis: str | Iterable[str] | None = None, data: Dataset | None = None) -> str:
    """The evidence map as a nested Markdown list, for screen readers and alt text.

    Parameters
    ----------
    hypothesis : str or list of str, optional
        Describe only these hypotheses; default all.
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    str
        One item per hypothesis, one sub-item per population, one sub-sub-item per study with
        its direction, N and design.

    Raises
    ------
    ValueError
        An unknown hypothesis; the message lists the allowed ones.

    Examples
    --------
    >>> text = describe_map("synergy")
    >>> text.splitlines()[1].startswith("- **Synergy**")
    True
    """
    ds = _dataset(data)
    hyps = _hypothesis_ids(hypothesis, ds)
    cells = _cells(ds, hyps)
    n_studies = len({s.key for entries in cells.values() for s, _ in entries})
    n_findings = sum(len(v) for v in cells.values())
    glyphs = ", ".join(_direction_text(d) for d in DIRECTION_STYLE)
    lines = [f"Evidence map: {n_studies} studies with {n_findings} findings on {len(hyps)} "
             f"hypothes{'is' if len(hyps) == 1 else 'es'}, by population. Glyphs: {glyphs}."]
    for h in hyps:
        hyp = ds.hypotheses[h]
        count = sum(len(cells.get((p, h), [])) for p in _populations(ds))
        lines.append(f"- **{hyp.title}** ({hyp.statement}): {count} stud{'y' if count == 1 else 'ies'}")
        for p in _populations(ds):
            entries = cells.get((p, h), [])
            lines.append(f"  - {POPULATION_LABELS.get(p, p)}: "
                         f"{len(entries) or 'no'} stud{'y' if len(entries) == 1 else 'ies'}")
            for s, direction in entries:
                lines.append(f"    - {_citation(s, ds)}: {_direction_text(direction)}, "
                             f"{_n_short(s)}, {s.design}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the summary


def _count_phrase(counts: Counter) -> str:
    parts = [f"{counts[d]} {_VERB[d][0] if counts[d] == 1 else _VERB[d][1]}" for d in DIRECTION_STYLE]
    if counts["neutral"]:
        parts[-1] += " (looked, found no effect)"
    return ", ".join(parts[:-1]) + " and " + parts[-1]


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
    ds = _dataset(data)
    if not isinstance(hypothesis, str):
        raise ValueError(f"summary takes one hypothesis as a string, not {hypothesis!r}; "
                         f"allowed: {', '.join(ds.hypotheses)}")
    (h,) = _hypothesis_ids(hypothesis, ds)
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
    for p in _populations(ds):
        here = Counter(d for s, d in found if s.population == p)
        if here:
            detail = ", ".join(f"{here[d]} {d}" for d in DIRECTION_STYLE if here[d])
            by_pop.append(f"{POPULATION_LABELS.get(p, p).lower()} {sum(here.values())} ({detail})")
    lines.append("By population: " + "; ".join(by_pop) + ".")

    def listing(rank: tuple[int, int, int]) -> str:
        return ", ".join(f"{_citation(s, ds)} ({d}, {_n_short(s)})"
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
        known = [s.n for s in patients.values() if s.n is not None]
        total = f"{sum(known)} patients in all" if len(known) == len(patients) else "N not always known"
        lines.append(f"Evidence in patients: {len(patients)} stud{'y' if len(patients) == 1 else 'ies'}, "
                     f"{total}.")
    else:
        lines.append("No study in patients bears on this hypothesis, so nothing here shows an "
                     "effect in patients.")
    caveats = [text for what, text in _CAVEATS
               if any(what in (s.population, s.design) for s, _ in found)]
    if caveats:
        lines.append(" ".join(caveats))
    return "\n".join(lines)
