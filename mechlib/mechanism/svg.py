"""A laid-out mechanism diagram as SVG: real text, a tooltip on every node and edge, themed.

The drawing is built from the cached :mod:`~mechlib.mechanism.layout` only; a drug toggle, a
hypothesis switch or a highlight changes classes and tooltips, never a position. Colours come from
JupyterLab's CSS variables with light fallbacks, so the same SVG follows the light or dark theme
inline and reads on its own when exported. Glyphs carry the meaning (arrowhead, T-bar, diamond,
dashed line for a hypothesis, a symbol before each label for its state); colour repeats it.

Examples
--------
>>> text, alone, key = render("nmda_receptor", {}, ())
>>> text.startswith("<svg") and "<title" in text and "NMDA receptor" in text
True
"""

from __future__ import annotations

from html import escape

from mechlib import data, style
from mechlib.mechanism import graph
from mechlib.mechanism.layout import FONT_SIZE, LINE_H, Box, layout

OI = style.OKABE_ITO
EDGE_COLOURS = {"stimulates": OI["blue"], "inhibits": OI["vermillion"],
                "necessary": OI["bluish_green"], "unknown": None}
EDGE_NAMES = {"stimulates": "stimulates", "inhibits": "inhibits", "necessary": "is necessary for",
              "unknown": "unknown effect (?)"}
KIND_NAMES = {"drug": "drug", "target": "target (channel, receptor)",
              "messenger": "messenger", "process": "process", "outcome": "outcome"}
#: Node states: (fill, symbol, legend text). Fills are light Okabe-Ito tints under dark text.
STATES = {
    "on": ("#F5CF80", "●", "● drug on"),
    "increase": ("#8EC1DE", "↑", "↑ goes up"),
    "decrease": ("#EEB48A", "↓", "↓ goes down"),
    "opposing": ("#E5BCD3", "↕", "↕ opposing paths"),
    "undetermined": ("#F7F1A0", "?", "? direction unknown"),
    "none": (None, "", "not reached"),
}
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "var(--jp-ui-font-color0, #1A1A1A)"
PAPER = "var(--jp-layout-color0, #FFFFFF)"
CSS = f"""
.mechlib-diagram {{ font-family: {FONT}; }}
.mechlib-diagram .paper {{ fill: {PAPER}; }}
.mechlib-diagram .ink {{ fill: {INK}; }}
.mechlib-diagram .cluster rect {{ fill: var(--jp-layout-color2, #EEEEEE);
  stroke: var(--jp-border-color1, #8A8A8A); stroke-width: 1; }}
.mechlib-diagram .cluster text {{ fill: var(--jp-ui-font-color1, #333333); font-weight: bold; }}
.mechlib-diagram .node .shape {{ fill: {PAPER}; stroke: {INK}; stroke-width: 1.4; }}
.mechlib-diagram .node text {{ fill: {INK}; }}
.mechlib-diagram .node.marked .shape {{ stroke-width: 4.5; }}
.mechlib-diagram .edge .line {{ fill: none; stroke-width: 2; }}
.mechlib-diagram .edge.hypothesis .line {{ stroke-dasharray: 7 4; }}
.mechlib-diagram .edge.on-path .line {{ stroke-width: 4.5; }}
.mechlib-diagram .edge.hidden {{ display: none; }}
.mechlib-diagram .edge .bar {{ stroke-width: 3; stroke-linecap: butt; }}
.mechlib-diagram .edge .head {{ stroke-width: 1.6; stroke-linejoin: miter; }}
.mechlib-diagram .q {{ fill: {PAPER}; stroke: {INK}; stroke-width: 1.2; }}
.mechlib-diagram a:focus .line, .mechlib-diagram a:hover .line {{ stroke-width: 4.5; }}
""" + "".join(
    f".mechlib-diagram .edge.{k} .line, .mechlib-diagram .edge.{k} .bar {{ stroke: {c or INK}; }}\n"
    f".mechlib-diagram .edge.{k} .head {{ stroke: {c or INK}; fill: {c or INK}; }}\n"
    for k, c in EDGE_COLOURS.items()) + "".join(
    f".mechlib-diagram .node.s-{s} .shape {{ fill: {f}; }}\n"
    f".mechlib-diagram .node.s-{s} text {{ fill: #1A1A1A; }}\n"
    for s, (f, _, _) in STATES.items() if f) + f".mechlib-diagram .edge .head.open {{ fill: {PAPER}; }}\n"
TITLE_H, LEGEND_ITEM_W, LEGEND_ROW_H = 34.0, 270.0, 30.0


def _f(x: float) -> str:
    return f"{x:.1f}"


def corner_radius(kind: str, b: Box) -> float | None:
    """The rounding of a node drawn as a rounded box (process, messenger), else None."""
    h = b.y1 - b.y0
    return {"process": h / 5, "messenger": h / 2}.get(kind)


def outline(kind: str, b: Box) -> list[tuple[float, float]]:
    """The corner points of a node drawn as a polygon (drug, target, outcome)."""
    x0, y0, x1, y1, h = b.x0, b.y0, b.x1, b.y1, b.y1 - b.y0
    c = h / 4
    return {
        "drug": [(x0, y0), (x1, y0), (x1 - c, y0 + h / 2), (x1, y1), (x0, y1), (x0 + c, y0 + h / 2)],
        "outcome": [(x0 + c, y0), (x1 - c, y0), (x1, y0 + h / 2), (x1 - c, y1), (x0 + c, y1),
                    (x0, y0 + h / 2)],
    }.get(kind, [(x0, y0), (x1, y0), (x1, y1), (x0, y1)])


def shape(kind: str, b: Box) -> str:
    """The SVG element of a node's outline (SBGN-like: one shape per node kind)."""
    r = corner_radius(kind, b)
    if r is not None:
        return (f'<rect class="shape" x="{_f(b.x0)}" y="{_f(b.y0)}" width="{_f(b.x1 - b.x0)}" '
                f'height="{_f(b.y1 - b.y0)}" rx="{_f(r)}"/>')
    return f'<polygon class="shape" points="{_points(outline(kind, b))}"/>'


def _points(pts) -> str:
    return " ".join(f"{_f(x)},{_f(y)}" for x, y in pts)


def _link(ref) -> str | None:
    if ref.doi:
        return f"https://doi.org/{ref.doi}"
    if ref.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    return ref.url


def edge_tooltip(g, u: str, v: str, d: dict) -> str:
    """An edge's tooltip: what it says, its status, its evidence types and full citations."""
    ds = data.load()
    lines = [f"{g.nodes[u]['label']} {d['mechanism']} ({EDGE_NAMES[d['kind']]} "
             f"{g.nodes[v]['label']})",
             f"Status: {d['status']}" + (" (a hypothesis, drawn dashed)" if d["status"] ==
                                         "hypothesis" else ""),
             "Evidence:"]
    for ev in d["evidence"]:
        ref = ds.reference(ev.reference)
        where = f"doi:{ref.doi}" if ref.doi else f"PMID {ref.pmid}" if ref.pmid else ref.label or ""
        note = f": {ev.note}" if ev.note else ""
        lines.append(f"- {ref.citation} ({ev.type}){note}. {where}".rstrip())
    return "\n".join(lines)


def render(view: str, states: dict, on_path: set | frozenset | tuple, *,
           include_hypotheses: bool = True, marked: tuple = (), title: str = "",
           describe: str = "", verdict_text: dict | None = None) -> tuple[str, str, str]:
    """The SVG of ``view`` with each node in its state (``states``: node -> state key).

    ``on_path`` holds edges (u, v, kind) drawn thicker; ``marked`` nodes get a thick outline;
    ``verdict_text`` (node -> text) goes into each node's tooltip.

    Returns
    -------
    tuple of str
        The whole figure (title, diagram, legend), the diagram alone and the legend alone (one
        column), the last two for the presenter screen.
    """
    g = graph.view(view)
    lay = layout(view)
    used_states = {states.get(n, "none") for n in g} if states else set()
    legend = _legend(g, used_states if states else set(), bool(marked), include_hypotheses)
    cols = max(1, int(lay.width // LEGEND_ITEM_W))
    rows = -(-len(legend) // cols)
    body = _body(g, lay, states, on_path, include_hypotheses, marked, verdict_text)
    w, h = lay.width, TITLE_H + lay.height + rows * LEGEND_ROW_H + 10
    whole = [_open(w, h, view, title, describe),
             f'<text class="ink" x="12" y="24" font-size="{FONT_SIZE + 3}" font-weight="bold">'
             f"{escape(title)}</text>",
             f'<g transform="translate(0,{_f(TITLE_H)})">', *body, "</g>",
             _legend_svg(legend, TITLE_H + lay.height + 6, cols), "</svg>"]
    alone = [_open(lay.width, lay.height, view, title, describe), *body, "</svg>"]
    key_h = len(legend) * LEGEND_ROW_H + 6
    key = [_open(LEGEND_ITEM_W + 12, key_h, view + "-key", "Legend", "What each shape, line "
                 "and fill means."), _legend_svg(legend, 4, 1), "</svg>"]
    return "\n".join(whole), "\n".join(alone), "\n".join(key)


def _open(w: float, h: float, view: str, title: str, describe: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="mechlib-diagram" '
            f'viewBox="0 0 {_f(w)} {_f(h)}" width="{_f(w)}" height="{_f(h)}" role="group" '
            f'aria-labelledby="dt-{view} dd-{view}" font-size="{FONT_SIZE}" data-view="{view}">'
            f'<title id="dt-{view}">{escape(title)}</title>'
            f'<desc id="dd-{view}">{escape(describe)}</desc>'
            f"<style>{CSS}</style>"
            f'<rect class="paper" x="0" y="0" width="{_f(w)}" height="{_f(h)}"/>')


def _body(g, lay, states, on_path, include_hypotheses, marked, verdict_text) -> list[str]:
    from mechlib.mechanism.layout import COMPARTMENTS

    out = []
    for comp, b in lay.clusters.items():
        out.append(f'<g class="cluster" id="c-{comp}"><rect x="{_f(b.x0)}" y="{_f(b.y0)}" '
                   f'width="{_f(b.x1 - b.x0)}" height="{_f(b.y1 - b.y0)}" rx="6"/>'
                   f'<text x="{_f(b.x0 + 8)}" y="{_f(b.y0 + FONT_SIZE + 2)}">'
                   f"{escape(COMPARTMENTS[comp])}</text></g>")
    ds = data.load()
    for u, v, k, d in g.edges(keys=True, data=True):
        geo = lay.edges[(u, v, k)]
        cls = ["edge", k, d["status"]]
        if d["status"] == "hypothesis" and not include_hypotheses:
            cls.append("hidden")
        if (u, v, k) in on_path:
            cls.append("on-path")
        href = _link(ds.reference(d["references"][0]))
        body = [f'<path class="line" d="M{" L".join(f"{_f(x)},{_f(y)}" for x, y in geo.points)}"/>']
        for poly in geo.heads:
            fill = "" if k == "stimulates" else " open"
            body.append(f'<polygon class="head{fill}" points="{_points(poly)}"/>')
        for (a, b) in geo.bars:
            body.append(f'<line class="bar" x1="{_f(a[0])}" y1="{_f(a[1])}" x2="{_f(b[0])}" '
                        f'y2="{_f(b[1])}"/>')
        if k == "unknown":
            mx, my = geo.middle
            body.append(f'<circle class="q" cx="{_f(mx)}" cy="{_f(my)}" r="9"/><text class="ink" '
                        f'x="{_f(mx)}" y="{_f(my + 5)}" text-anchor="middle" font-weight="bold">?'
                        f"</text>")
        tip = escape(edge_tooltip(g, u, v, d))
        group = (f'<g class="{" ".join(cls)}" id="e-{u}-{v}-{k}"><title>{tip}</title>'
                 + "".join(body) + "</g>")
        out.append(f'<a href="{escape(href)}" target="_blank">{group}</a>' if href else group)
    for n, nd in g.nodes(data=True):
        geo = lay.nodes[n]
        state = states.get(n, "none") if states else "plain"
        cls = ["node", nd["kind"], f"s-{state}"] + (["marked"] if n in marked else [])
        sym = STATES[state][1] if state in STATES else ""
        tip = [nd["label"], f"{KIND_NAMES[nd['kind']]}; {nd['description']}"]
        if states:
            tip.insert(1, "State: " + (verdict_text or {}).get(n, STATES[state][2].lstrip("●↑↓↕? ")))
        cx, cy = geo.box.centre
        y = cy - (len(geo.lines) - 1) * LINE_H / 2 + FONT_SIZE * 0.35
        spans = "".join(
            f'<tspan x="{_f(cx)}" y="{_f(y + i * LINE_H)}">'
            f"{escape((sym + ' ' if sym and i == 0 else '') + line)}</tspan>"
            for i, line in enumerate(geo.lines))
        out.append(f'<g class="{" ".join(cls)}" id="n-{n}"><title>{escape(chr(10).join(tip))}'
                   f"</title>{shape(nd['kind'], geo.box)}"
                   f'<text text-anchor="middle">{spans}</text></g>')
    return out


def _legend(g, states: set, marked: bool, include_hypotheses: bool) -> list[tuple[str, str, str]]:
    """(what, value, text) of every legend entry for what this drawing shows."""
    kinds = {k for _, k in g.nodes(data="kind")}
    keys = [("node", k, t) for k, t in KIND_NAMES.items() if k in kinds]
    shown = [(k, s) for *_, k, s in g.edges(keys=True, data="status")
             if include_hypotheses or s != "hypothesis"]
    keys += [("edge", k, t) for k, t in EDGE_NAMES.items() if k in {e for e, _ in shown}]
    if any(s == "hypothesis" for _, s in shown):
        keys.append(("hypothesis", "", "hypothesis (dashed)"))
    keys += [("state", s, t) for s, (_, _, t) in STATES.items() if s in states]
    if marked:
        keys.append(("highlight", "", "highlighted"))
    return keys


def _legend_svg(keys, top: float, cols: int) -> str:
    out = [f'<g class="legend" transform="translate(12,{_f(top)})">']
    for i, (what, value, text) in enumerate(keys):
        x, y = (i % cols) * LEGEND_ITEM_W, (i // cols) * LEGEND_ROW_H
        if what in ("edge", "hypothesis"):
            kind = value or "stimulates"
            cls = f"edge {kind}" + (" hypothesis" if what == "hypothesis" else "")
            from mechlib.mechanism.layout import _edge

            geo = _edge([(x, y + 10), (x + 48, y + 10)], kind, Box(x + 48, y, x + 60, y + 20))
            body = f'<path class="line" d="M{_f(x)},{_f(y + 10)} L{_f(geo.points[-1][0])},{_f(y + 10)}"/>'
            body += "".join(f'<polygon class="head{"" if kind == "stimulates" else " open"}" '
                            f'points="{_points(p)}"/>' for p in geo.heads)
            body += "".join(f'<line class="bar" x1="{_f(a[0])}" y1="{_f(a[1])}" x2="{_f(b[0])}" '
                            f'y2="{_f(b[1])}"/>' for a, b in geo.bars)
            out.append(f'<g class="{cls}">{body}</g>')
        else:
            kind = value if what == "node" else "process"
            state = value if what == "state" else "plain"
            cls = f"node {kind} s-{state}" + (" marked" if what == "highlight" else "")
            out.append(f'<g class="{cls}">{shape(kind, Box(x + 4, y, x + 56, y + 20))}</g>')
        out.append(f'<text class="ink" x="{_f(x + 68)}" y="{_f(y + 15)}" '
                   f'font-size="{FONT_SIZE - 2}">{escape(text)}</text>')
    out.append("</g>")
    return "".join(out)
