"""The evidence map as inline SVG, drawn by the same rules as the mechanism diagrams: real text,
a tooltip on every study (citation, design, population, N, its findings, what it says about the
hypothesis) with a link to its DOI or PMID, JupyterLab theme colours with light fallbacks, the
glyph carrying the direction (▲ supports, ▼ against, ◆ mixed, ○ neutral) and colour only
repeating it. Drawn once per hypothesis filter and kept with the data.

Examples
--------
>>> m = evidence_svg()
>>> m.svg.startswith("<svg") and m.svg.count(' id="s-') == sum(
...     len(s.bears_on) for s in dataset(None).studies)
True
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from mechlib.data import Dataset
from mechlib.mechanism.svg import INK, PAPER
from mechlib.teaching.evidence_map import (
    _LEGEND_N,
    _cells,
    _marker_size,
    _size_for_n,
    evidence_map,
    hypothesis_ids,
    populations,
)
from mechlib.teaching.studies import (
    DIRECTION_STYLE,
    POPULATION_LABELS,
    citation,
    dataset,
    direction_text,
    n_short,
)

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
ROW_H, COL_W, LEFT, TOP, FS = 46.0, 330.0, 170.0, 78.0, 15
CSS = f"""
.mechlib-evidence {{ font-family: {FONT}; }}
.mechlib-evidence .paper {{ fill: {PAPER}; }}
.mechlib-evidence text {{ fill: {INK}; }}
.mechlib-evidence .muted {{ fill: var(--jp-ui-font-color2, #595959); font-style: italic; }}
.mechlib-evidence .grid {{ stroke: var(--jp-border-color1, #8A8A8A); stroke-width: 1; }}
.mechlib-evidence .study .mark {{ stroke: {INK}; stroke-width: 1.4; }}
.mechlib-evidence .study.neutral .mark {{ fill: {PAPER}; }}
.mechlib-evidence a:hover .mark, .mechlib-evidence a:focus .mark {{ stroke-width: 3; }}
""" + "".join(f".mechlib-evidence .study.{d} .mark {{ fill: {c}; }}\n"
              for d, (_, _, c) in DIRECTION_STYLE.items() if d != "neutral")


@dataclass(frozen=True)
class EvidenceMap:
    """The map's SVG text, and the matplotlib figure of the same map for PNG exports."""

    hypotheses: tuple[str, ...]
    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def matplotlib(self):
        """The same map drawn by matplotlib (for PNG and PDF)."""
        return evidence_map(list(self.hypotheses))


def _mark(direction: str, x: float, y: float, d: float) -> str:
    r = d / 2
    if direction == "supports":
        pts = [(x, y - r), (x + r, y + r * 0.8), (x - r, y + r * 0.8)]
    elif direction == "against":
        pts = [(x, y + r), (x + r, y - r * 0.8), (x - r, y - r * 0.8)]
    elif direction == "mixed":
        pts = [(x, y - r), (x + r, y), (x, y + r), (x - r, y)]
    else:
        return f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"/>'
    return f'<polygon class="mark" points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>'


def _tooltip(s, h, direction: str, ds: Dataset) -> str:
    ref = ds.references.get(s.reference)
    where = (f"doi:{ref.doi}" if ref and ref.doi else f"PMID {ref.pmid}" if ref and ref.pmid
             else (ref.label or "") if ref else "")
    lines = [f"{citation(s, ds)}: {s.design}, {POPULATION_LABELS.get(s.population, s.population)}, "
             f"{n_short(s)}", f"{ds.hypotheses[h].title}: {direction_text(direction)}"]
    lines += [f"- {o.measure}: {o.finding} ({o.direction})" for o in s.outcomes]
    return "\n".join(lines + ([where] if where else []))


def _href(s, ds: Dataset) -> str | None:
    ref = ds.references.get(s.reference)
    if ref is None:
        return None
    if ref.doi:
        return f"https://doi.org/{ref.doi}"
    if ref.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    return ref.url


def evidence_svg(hypothesis: str | Iterable[str] | None = None,
                 data: Dataset | None = None) -> EvidenceMap:
    """The evidence map (populations as rows, hypotheses as columns) as inline SVG.

    Parameters
    ----------
    hypothesis : str or list of str, optional
        Only these hypotheses' columns; default all.
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    EvidenceMap

    Raises
    ------
    ValueError
        An unknown hypothesis; the message lists the allowed ones.
    """
    ds = dataset(data)
    hyps = tuple(hypothesis_ids(hypothesis, ds))
    key = ("evidence_svg", hyps)
    if key not in ds._index:  # per-dataset cache, renewed when the data change
        ds._index[key] = EvidenceMap(hyps, _draw(ds, hyps))
    return ds._index[key]


def _draw(ds: Dataset, hyps: tuple[str, ...]) -> str:
    pops = populations(ds)
    cells = _cells(ds, list(hyps))
    slots = {p: max([1] + [len(cells.get((p, h), [])) for h in hyps]) for p in pops}
    w = LEFT + COL_W * len(hyps) + 12
    body_h = ROW_H * sum(slots.values())
    h = TOP + body_h + 92
    w = max(w, 12 + 4 * 170 + 4 * 110)
    title = "Evidence map: studies of lamotrigine with ketamine"
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="mechlib-evidence" viewBox="0 0 {w:.0f} '
           f'{h:.0f}" width="{w:.0f}" height="{h:.0f}" role="group" font-size="{FS}">'
           f"<title>{escape(title)}</title><style>{CSS}</style>"
           f'<rect class="paper" width="{w:.0f}" height="{h:.0f}"/>'
           f'<text x="12" y="26" font-size="{FS + 3}" font-weight="bold">{escape(title)}</text>',
           f'<text x="12" y="{TOP - 14:.0f}" font-weight="bold">Population studied</text>']
    for c, hid in enumerate(hyps):
        x = LEFT + c * COL_W
        out.append(f'<text x="{x + 8:.0f}" y="{TOP - 14:.0f}" font-weight="bold">'
                   f"{escape(ds.hypotheses[hid].title)}</text>")
        out.append(f'<line class="grid" x1="{x:.0f}" y1="{TOP - 34:.0f}" x2="{x:.0f}" '
                   f'y2="{TOP + body_h:.0f}"/>')
    y0 = TOP
    for p in pops:
        out.append(f'<line class="grid" x1="0" y1="{y0:.0f}" x2="{w:.0f}" y2="{y0:.0f}"/>')
        out.append(f'<text x="12" y="{y0 + ROW_H / 2 + 5:.0f}">'
                   f"{escape(POPULATION_LABELS.get(p, p))}</text>")
        for c, hid in enumerate(hyps):
            x = LEFT + c * COL_W
            entries = cells.get((p, hid), [])
            if not entries:
                out.append(f'<text class="muted" x="{x + COL_W / 2:.0f}" '
                           f'y="{y0 + ROW_H / 2 + 5:.0f}" text-anchor="middle">no study</text>')
            for i, (s, direction) in enumerate(entries):
                cy = y0 + (i + 0.5) * ROW_H
                mark = _mark(direction, x + 22, cy, _marker_size(s) * 1.1)
                label = (f'<text x="{x + 46:.0f}" y="{cy - 4:.0f}">{escape(citation(s, ds))} · '
                         f'{escape(n_short(s))}</text><text x="{x + 46:.0f}" y="{cy + 14:.0f}" '
                         f'font-size="{FS - 2}">{escape(direction_text(direction))}</text>')
                g = (f'<g class="study {direction}" id="s-{s.key}-{hid}"><title>'
                     f"{escape(_tooltip(s, hid, direction, ds))}</title>{mark}{label}</g>")
                href = _href(s, ds)
                out.append(f'<a href="{escape(href)}" target="_blank">{g}</a>' if href else g)
        y0 += ROW_H * slots[p]
    out.append(f'<line class="grid" x1="0" y1="{y0:.0f}" x2="{w:.0f}" y2="{y0:.0f}"/>')
    ly = y0 + 30
    out.append(f'<text x="12" y="{ly:.0f}" font-size="{FS - 1}">Glyph = direction of the finding '
               f"(colour repeats it); marker area = sample size N. Hover a study for its "
               f"findings.</text>")
    for i, d in enumerate(DIRECTION_STYLE):
        x = 12 + i * 170
        out.append(f'<g class="study {d}">{_mark(d, x + 10, ly + 32, 16)}</g>'
                   f'<text x="{x + 26}" y="{ly + 37:.0f}">{escape(direction_text(d))}</text>')
    for i, n in enumerate((*_LEGEND_N, None)):
        x = 12 + 4 * 170 + i * 110
        d = _size_for_n(n) * 1.1
        out.append(f'<g class="study neutral">{_mark("neutral", x + 16, ly + 32, d)}</g>'
                   f'<text x="{x + 36}" y="{ly + 37:.0f}">{"N " + str(n) if n else "N n/a"}</text>')
    out.append("</svg>")
    return "".join(out)
