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
from mechlib.mechanism.layout import COMPARTMENTS, FONT_SIZE, LINE_H, Box, _edge, layout
from mechlib.mechanism.svg import (
    EDGE_COLOURS,
    LEGEND_ITEM_W,
    LEGEND_ROW_H,
    STATES,
    TITLE_H,
    _legend,
    corner_radius,
    outline,
)

INK = "#1A1A1A"
_PX = 1 / 96  # inches per CSS px


def figure(drawing):
    """A matplotlib figure (Agg canvas) of ``drawing`` (a :class:`mechlib.draw.Diagram`)."""
    g = graph.view(drawing.view)
    lay = layout(drawing.view)
    keys = _legend(g, set(drawing.states.values()) if drawing.states else set(),
                   bool(drawing.highlight), drawing.include_hypotheses)
    cols = max(1, int(lay.width // LEGEND_ITEM_W))
    w = lay.width
    h = lay.height + TITLE_H + -(-len(keys) // cols) * LEGEND_ROW_H + 10
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
        geo = lay.edges[(u, v, k)]
        wide = (u, v, k) in _on_path(drawing)
        _edge_glyphs(ax, geo, k, d["status"] == "hypothesis", TITLE_H, pt, wide)
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
        _node_shape(ax, kind, Box(b.x0, b.y0 + TITLE_H, b.x1, b.y1 + TITLE_H), fill, lw)
        cx, cy = b.centre
        lines = list(geo.lines)
        if sym:
            lines[0] = f"{sym} {lines[0]}"
        ax.text(cx, cy + TITLE_H, "\n".join(lines), ha="center", va="center", color=INK,
                fontsize=FONT_SIZE * pt, linespacing=LINE_H / FONT_SIZE, zorder=6)
    top = TITLE_H + lay.height + 6
    for i, (what, value, text) in enumerate(keys):
        x, y = 12 + (i % cols) * LEGEND_ITEM_W, top + (i // cols) * LEGEND_ROW_H
        if what in ("edge", "hypothesis"):
            kind = value or "stimulates"
            geo = _edge([(x, y + 10), (x + 48, y + 10)], kind, Box(x + 48, y, x + 60, y + 20))
            _edge_glyphs(ax, geo, kind, what == "hypothesis", 0, pt, False)
        else:
            kind = value if what == "node" else "process"
            fill = (STATES[value][0] or "white") if what == "state" else "white"
            _node_shape(ax, kind, Box(x + 4, y, x + 56, y + 20), fill,
                        (4.5 if what == "highlight" else 1.4) * pt)
        ax.text(x + 68, y + 15, text, fontsize=(FONT_SIZE - 2) * pt, color=INK, va="baseline")
    return fig


def _on_path(drawing) -> set:
    from mechlib.mechanism import reasoning

    if not drawing.drugs or not drawing.highlight:
        return set()
    fx = reasoning.effects(drawing.drugs, graph.view(drawing.view, drawing.include_hypotheses))
    return {(s.source, s.target, s.kind) for n in drawing.highlight if n in fx
            for p in fx[n].paths for s in p.edges}


def _edge_glyphs(ax, geo, kind: str, dashed: bool, dy: float, pt: float, wide: bool) -> None:
    colour = EDGE_COLOURS[kind] or INK
    xs, ys = zip(*geo.points, strict=True)
    ax.plot(xs, [y + dy for y in ys], color=colour, lw=(4.5 if wide else 2) * pt, zorder=2,
            ls=(0, (7 / 2, 4 / 2)) if dashed else "-")
    for poly in geo.heads:
        ax.add_patch(Polygon([(x, y + dy) for x, y in poly], closed=True, zorder=3,
                             facecolor=colour if kind == "stimulates" else "white",
                             edgecolor=colour, lw=1.6 * pt))
    for a, b in geo.bars:
        ax.plot([a[0], b[0]], [a[1] + dy, b[1] + dy], color=colour, lw=3 * pt, zorder=3,
                solid_capstyle="butt")


def _node_shape(ax, kind: str, b: Box, fill: str, lw: float) -> None:
    r = corner_radius(kind, b)
    if r is not None:
        ax.add_patch(FancyBboxPatch((b.x0, b.y0), b.x1 - b.x0, b.y1 - b.y0, zorder=5,
                                    boxstyle=f"round,pad=0,rounding_size={r:.1f}",
                                    facecolor=fill, edgecolor=INK, lw=lw))
    else:
        ax.add_patch(Polygon(outline(kind, b), closed=True, facecolor=fill, edgecolor=INK,
                             lw=lw, zorder=5))


def _title(g, drawing) -> str:
    title = g.graph["title"] + ("" if drawing.include_hypotheses else " (established edges only)")
    if drawing.drugs:
        title += ": " + " + ".join(g.nodes[d]["label"] for d in drawing.drugs) + " switched on"
    return title
