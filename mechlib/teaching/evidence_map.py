"""The evidence map: every study as a glyph in a grid of population (rows) by hypothesis
(columns), with its text description for screen readers.

Examples
--------
>>> print(describe_map("synergy").splitlines()[0])  # doctest: +ELLIPSIS
Evidence map...
"""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from mechlib import style
from mechlib.data import Dataset, Study, schema
from mechlib.teaching.studies import (
    DIRECTION_STYLE,
    GRID,
    MUTED,
    POPULATION_LABELS,
    TEXT,
    aliases,
    as_list,
    check_names,
    citation,
    dataset,
    direction_text,
    n_short,
)

# --------------------------------------------------------------------------- the evidence map


def hypothesis_ids(hypothesis: str | Iterable[str] | None, ds: Dataset) -> list[str]:
    if hypothesis is None:
        return list(ds.hypotheses)
    titles = {h.id: h.title for h in ds.hypotheses.values()}
    chosen = check_names("hypothesis", as_list(hypothesis) or [], tuple(ds.hypotheses),
                    aliases(ds.hypotheses, titles))
    return [h for h in ds.hypotheses if h in chosen]


def populations(ds: Dataset) -> list[str]:
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
    >>> len(markers) == sum(len(s.bears_on) for s in dataset(None).studies)
    True
    """
    ds = dataset(data)
    hyps = hypothesis_ids(hypothesis, ds)
    pops = populations(ds)
    cells = _cells(ds, hyps)
    slots = {p: max([1] + [len(cells.get((p, h), [])) for h in hyps]) for p in pops}
    total = sum(slots.values())

    if ax is None:
        fig = style.figure((max(10.0, 2.6 + 4.2 * len(hyps)), 2.6 + 0.78 * total), layout="constrained")
        ax = fig.add_subplot()
        fig.suptitle("Evidence map: studies of lamotrigine with ketamine", fontsize=15, color=TEXT)
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
                        fontsize=11, style="italic", color=MUTED)
            for i, (s, direction) in enumerate(entries):
                y = top + i + 0.5
                _, marker, colour = DIRECTION_STYLE[direction]
                face = "white" if direction == "neutral" else colour
                ax.plot([c + 0.08], [y], linestyle="none", marker=marker,
                        markersize=_marker_size(s) * _SHAPE_SCALE[marker], markerfacecolor=face,
                        markeredgecolor=TEXT,
                        markeredgewidth=1.2, gid=f"marker:{s.key}:{h}", clip_on=False)
                label = f"{citation(s, ds)}  ·  {n_short(s)}\n" \
                        f"{direction_text(direction)}"
                ax.annotate(label, xy=(c + 0.08, y), xytext=(24, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=11.5, color=TEXT, linespacing=1.3,
                            gid=f"label:{s.key}:{h}", annotation_clip=False)
        top += slots[p]
        if top < total:
            ax.axhline(top, color=GRID, linewidth=1)
    for c in range(1, len(hyps)):
        ax.axvline(c, color=GRID, linewidth=1)

    ax.xaxis.tick_top()
    ax.xaxis.set_label_position("top")
    ax.set_xticks([c + 0.5 for c in range(len(hyps))],
                  [ds.hypotheses[h].title for h in hyps], fontsize=13, fontweight="bold", color=TEXT)
    ax.set_yticks(row_centres, [POPULATION_LABELS.get(p, p) for p in pops], fontsize=12, color=TEXT)
    ax.tick_params(length=0, pad=8)
    ax.set_xlabel("Hypothesis the study bears on", fontsize=12, color=TEXT, labelpad=10)
    ax.set_ylabel("Population studied", fontsize=12, color=TEXT, labelpad=10)
    for spine in ax.spines.values():
        spine.set_color(TEXT)

    directions = [
        Line2D([], [], linestyle="none", marker=m, markersize=12 * _SHAPE_SCALE[m],
               markerfacecolor="white" if d == "neutral" else col, markeredgecolor=TEXT,
               label=direction_text(d))
        for d, (_, m, col) in DIRECTION_STYLE.items()
    ]
    sizes = [Line2D([], [], linestyle="none", marker="o", markersize=_size_for_n(n),
                    markerfacecolor="#bbbbbb", markeredgecolor=TEXT, label=f"N {n}")
             for n in _LEGEND_N]
    sizes.append(Line2D([], [], linestyle="none", marker="o", markersize=_size_for_n(None),
                        markerfacecolor="#bbbbbb", markeredgecolor=TEXT, label="N n/a, or review"))
    # two rows (directions above, sizes below); matplotlib fills legend columns first
    handles = [h for pair in zip(directions, sizes, strict=True) for h in pair]
    legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.03),
                       ncol=len(directions), fontsize=11, frameon=False, labelcolor=TEXT,
                       title="Glyph = direction of the finding (colour repeats it); "
                             "marker area = sample size N",
                       title_fontsize=11, borderaxespad=0.2, handlelength=2.6, handleheight=2.6,
                       handletextpad=0.5, columnspacing=1.6)
    legend.get_title().set_color(TEXT)
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
    ds = dataset(data)
    hyps = hypothesis_ids(hypothesis, ds)
    cells = _cells(ds, hyps)
    n_studies = len({s.key for entries in cells.values() for s, _ in entries})
    n_findings = sum(len(v) for v in cells.values())
    glyphs = ", ".join(direction_text(d) for d in DIRECTION_STYLE)
    lines = [f"Evidence map: {n_studies} studies with {n_findings} findings on {len(hyps)} "
             f"hypothes{'is' if len(hyps) == 1 else 'es'}, by population. Glyphs: {glyphs}."]
    for h in hyps:
        hyp = ds.hypotheses[h]
        count = sum(len(cells.get((p, h), [])) for p in populations(ds))
        lines.append(f"- **{hyp.title}** ({hyp.statement}): {count} stud{'y' if count == 1 else 'ies'}")
        for p in populations(ds):
            entries = cells.get((p, h), [])
            lines.append(f"  - {POPULATION_LABELS.get(p, p)}: "
                         f"{len(entries) or 'no'} stud{'y' if len(entries) == 1 else 'ies'}")
            for s, direction in entries:
                lines.append(f"    - {citation(s, ds)}: {direction_text(direction)}, "
                             f"{n_short(s)}, {s.design}")
    return "\n".join(lines)


