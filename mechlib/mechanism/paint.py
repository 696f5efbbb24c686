"""PNG and PDF exports of a diagram, painted with matplotlib from the same cached layout as its SVG.

Examples
--------
>>> from mechlib.mechanism import draw
>>> fig = figure(draw.diagram("nmda_receptor", drugs="ketamine"))
>>> len(fig.axes[0].texts) > 10
True
"""

from __future__ import annotations

from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

from mechlib import style
from mechlib.mechanism import graph
from mechlib.mechanism.layout import COMPARTMENTS, FONT_SIZE, LINE_H, layout
from mechlib.mechanism.svg import EDGE_COLOURS, STATES, TITLE_H

INK = "#1A1A1A"
_PX = 1 / 96  # inches per CSS px


def figure(drawing):
    """A matplotlib figure (Agg canvas) of ``drawing`` (a :class:`mechlib.draw.Diagram`)."""
    g = graph.view(drawing.view)
    lay = layout(drawing.view)
    w, h = lay.width, lay.height + TITLE_H
    fig = style.figure((w * _PX, h * _PX), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    pt = 72 * _PX  # points per px
    ax.text(12, 24, _title(g, drawing), fontsize=(FONT_SIZE + 3) * pt, fontweight="bold",
            color=INK, va="baseline")
    for comp, b in lay.clusters.items():
        ax.add_patch(Rectangle((b.x0, b.y0 + TITLE_H), b.x1 - b.x0, b.y1 - b.y0, facecolor="#EEEEEE",
                               edgecolor="#8A8A8A", lw=0.8, zorder=0))
        ax.text(b.x0 + 8, b.y0 + TITLE_H + FONT_SIZE + 2, COMPARTMENTS[comp], fontsize=FONT_SIZE * pt,
                fontweight="bold", color="#333333", va="baseline", zorder=1)
    for u, v, k, d in g.edges(keys=True, data=True):
        if d["status"] == "hypothesis" and not drawing.include_hypotheses:
            continue
        geo, colour = lay.edges[(u, v, k)], EDGE_COLOURS[k] or INK
        xs, ys = zip(*geo.points, strict=True)
        ax.plot(xs, [y + TITLE_H for y in ys], color=colour, lw=2 * pt, zorder=2,
                ls=(0, (7 / 2, 4 / 2)) if d["status"] == "hypothesis" else "-")
        for poly in geo.heads:
            ax.add_patch(Polygon([(x, y + TITLE_H) for x, y in poly], closed=True, zorder=3,
                                 facecolor=colour if k == "stimulates" else "white",
                                 edgecolor=colour, lw=1.6 * pt))
        for a, b in geo.bars:
            ax.plot([a[0], b[0]], [a[1] + TITLE_H, b[1] + TITLE_H], color=colour, lw=3 * pt,
                    zorder=3, solid_capstyle="butt")
        if k == "unknown":
            ax.text(geo.middle[0], geo.middle[1] + TITLE_H, "?", ha="center", va="center",
                    fontsize=FONT_SIZE * pt, fontweight="bold", color=INK, zorder=4,
                    bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": INK})
    for n, kind in g.nodes(data="kind"):
        geo = lay.nodes[n]
        b = geo.box
        state = drawing.states.get(n, "none") if drawing.states else "none"
        fill, sym = STATES[state][0] or "white", STATES[state][1]
        lw = (4.5 if n in drawing.highlight else 1.4) * pt
        ax.add_patch(FancyBboxPatch((b.x0, b.y0 + TITLE_H), b.x1 - b.x0, b.y1 - b.y0,
                                    boxstyle="round,pad=0,rounding_size=8" if kind in
                                    ("process", "messenger") else "square,pad=0",
                                    facecolor=fill, edgecolor=INK, lw=lw, zorder=5))
        cx, cy = b.centre
        lines = list(geo.lines)
        if sym:
            lines[0] = f"{sym} {lines[0]}"
        ax.text(cx, cy + TITLE_H, "\n".join(lines), ha="center", va="center", color=INK,
                fontsize=FONT_SIZE * pt, linespacing=LINE_H / FONT_SIZE, zorder=6)
    return fig


def _title(g, drawing) -> str:
    title = g.graph["title"] + ("" if drawing.include_hypotheses else " (established edges only)")
    if drawing.drugs:
        title += ": " + " + ".join(g.nodes[d]["label"] for d in drawing.drugs) + " switched on"
    return title
