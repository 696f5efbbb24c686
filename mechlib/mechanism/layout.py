"""Where each node and edge of a mechanism diagram goes, computed by Graphviz ``dot``.

Compartments are clusters, drugs sit in their own cluster on top, and ``dot`` routes every edge as
a spline around the nodes. The result is read back into plain geometry in figure coordinates
(CSS pixels, origin top left, y down): a box per node and per compartment, and per edge the drawn
path as points plus its end glyph (arrowhead, T-bar, diamond). The layout is computed once per view
and data state and cached with the data, so a drug toggle, a hypothesis switch or a highlight only
restyles it: hidden hypothesis edges keep every node in place.

Examples
--------
>>> lay = layout("nmda_receptor")
>>> lay is layout("nmda_receptor")  # cached
True
>>> sorted(lay.clusters)[0]
'cleft'
>>> box = lay.nodes["ketamine"].box
>>> box.x0 < box.x1 and box.y0 < box.y1
True
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import random
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import networkx as nx

from mechlib import data
from mechlib.mechanism import graph

#: The compartments, each drawn as a cluster with this title.
COMPARTMENTS = {
    "systemic": "Whole body",
    "presynaptic": "Presynaptic neuron",
    "cleft": "Synaptic cleft",
    "postsynaptic": "Postsynaptic neuron",
    "interneuron": "GABA interneuron",
}
FONT_SIZE = 16  # node labels, CSS px
LINE_H = FONT_SIZE * 1.2
PAD_X, PAD_Y = 10.0, 5.0
MARGIN = 12.0  # around the drawing
HEAD_L, HEAD_W, BAR_W, BAR_GAP = 12.0, 5.5, 8.0, 4.0
_PT = 72.0  # Graphviz inches -> points (1 pt drawn as 1 CSS px)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box: left, top, right, bottom (y down)."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def contains(self, x: float, y: float, inset: float = 0.0) -> bool:
        return self.x0 + inset < x < self.x1 - inset and self.y0 + inset < y < self.y1 - inset

    def to_list(self) -> list[float]:
        return [round(v, 2) for v in (self.x0, self.y0, self.x1, self.y1)]


@dataclass(frozen=True)
class NodeGeom:
    box: Box
    lines: tuple[str, ...]  # the label, wrapped


@dataclass(frozen=True)
class EdgeGeom:
    """One edge: the drawn line (points, source end first) and its end glyph.

    ``heads`` are closed polygons (arrowhead, diamond), ``bars`` two-point segments (T-bar, the
    bar of "necessary"); ``middle`` is where the "?" of an unknown edge goes: on the line, just
    behind its end glyph (half-way on a short edge), so it reads with the edge and its target
    and never floats half-way along a long edge.
    """

    points: tuple[tuple[float, float], ...]
    heads: tuple[tuple[tuple[float, float], ...], ...]
    bars: tuple[tuple[tuple[float, float], ...], ...]
    middle: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    nodes: dict  # id -> NodeGeom
    clusters: dict  # compartment -> Box
    edges: dict  # (u, v, kind) -> EdgeGeom


def wrap(label: str, width: int = 22) -> tuple[str, ...]:
    """The label in one line, or two balanced lines when longer than ``width`` characters
    (words are never broken; more lines only if two would still be too long).

    >>> wrap("Voltage-gated Na⁺ channel")
    ('Voltage-gated', 'Na⁺ channel')
    >>> wrap("Ketamine")
    ('Ketamine',)
    """
    if len(label) <= width:
        return (label,)
    words = label.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    if splits:
        best = min(splits, key=lambda ab: max(len(ab[0]), len(ab[1])))
        if max(map(len, best)) <= width:
            return best
    return tuple(textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False))


@lru_cache(maxsize=4096)
def text_width(text: str, size: float = FONT_SIZE) -> float:
    """Width in px of ``text`` in DejaVu Sans (the font the SVG asks for first) at ``size`` px."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    font = FT2Font(font_manager.findfont("DejaVu Sans"))
    font.set_size(size, 72)
    font.set_text(text)
    return font.get_width_height()[0] / 64.0


def layout(name: str) -> Layout:
    """The cached layout of view ``name`` (all edges, hypotheses included).

    Raises
    ------
    ValueError
        An unknown view; the message lists the allowed views.
    """
    g = graph.view(name)  # raises for an unknown view
    ds = data.load()
    key = ("layout", name)
    if key not in ds._index:  # Dataset._index: per-dataset cache, renewed when data changes
        ds._index[key] = _compute(g)
    return ds._index[key]


#: Graphviz settings tried for each view; the drawing with the fewest faults is kept.
VARIANTS = (
    {"nodesep": "0.15", "ranksep": "0.32"},
    {"nodesep": "0.22", "ranksep": "0.32"},
)


def _compute(g) -> Layout:
    from mechlib.mechanism import checks

    best, best_score = None, None
    for settings, seed in itertools.product(VARIANTS, range(ORDERS)):
        lay = _dot(_reordered(g, seed), settings)
        geo = _as_data(lay)
        score = (100 * len(checks.edges_through_nodes(geo)) + 20 * len(checks.overlapping_glyphs(geo))
                 + 20 * len(checks.bars_inside_targets(geo)) + checks.crossings(geo))
        if best_score is None or score < best_score:
            best, best_score = lay, score
        if score == 0:
            break
    return best


ORDERS = 6


def _reordered(g, seed: int):
    """``g`` with its nodes and edges in a fixed pseudo-random order (seed 0: the data's order).

    ``dot`` starts its crossing minimisation from the input order, so a few orders are tried."""
    if seed == 0:
        return g
    rnd = random.Random(seed)
    nodes, edges = list(g.nodes(data=True)), list(g.edges(keys=True, data=True))
    rnd.shuffle(nodes)
    rnd.shuffle(edges)
    out = nx.MultiDiGraph()
    out.add_nodes_from(nodes)
    out.add_edges_from(edges)
    return out


def _dot(g, settings: dict) -> Layout:
    import pygraphviz

    a = pygraphviz.AGraph(directed=True, strict=False)
    a.graph_attr.update(rankdir="TB", splines="spline", newrank="true", pad="0", **settings)
    a.node_attr.update(shape="box", fixedsize="true", label="", margin="0")
    a.edge_attr.update(arrowhead="none", arrowtail="none")
    lines = {n: wrap(g.nodes[n]["label"]) for n in g}
    for n in g:
        h = len(lines[n]) * LINE_H + 2 * PAD_Y
        w = max(text_width("↕ " + s) for s in lines[n]) + 2 * PAD_X
        w += h / 2 if g.nodes[n]["kind"] in ("drug", "outcome") else 0  # notched or pointed ends
        a.add_node(n, width=f"{w / _PT:.4f}", height=f"{h / _PT:.4f}")
    for comp in COMPARTMENTS:
        members = [n for n, d in g.nodes(data=True)
                   if d["compartment"] == comp and d["kind"] != "drug"]
        if members and comp not in FREE:
            a.add_subgraph(members, name=f"cluster_{comp}", label=COMPARTMENTS[comp],
                           fontsize=str(FONT_SIZE), fontname="DejaVu Sans", margin="10")
    drugs = [n for n, k in g.nodes(data="kind") if k == "drug"]
    if drugs:
        a.add_subgraph(drugs, name="drugs", rank="min")
    outcomes = [n for n, k in g.nodes(data="kind") if k == "outcome"]
    if outcomes and OUTCOMES_LAST:
        a.add_subgraph(outcomes, name="outcomes", rank="max")
    for u, v, k in g.edges(keys=True):
        a.add_edge(u, v, key=k)
    with _quiet_stderr():
        a.layout(prog="dot")
    bb = [float(x) for x in a.graph_attr["bb"].split(",")]
    top = bb[3] + MARGIN

    def pt(x: float, y: float) -> tuple[float, float]:
        return (x - bb[0] + MARGIN, top - y)

    nodes = {}
    for n in g:
        node = a.get_node(n)
        x, y = (float(v) for v in node.attr["pos"].split(","))
        w, h = float(node.attr["width"]) * _PT, float(node.attr["height"]) * _PT
        cx, cy = pt(x, y)
        nodes[n] = NodeGeom(Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2), lines[n])
    clusters = {}
    for sub in a.subgraphs():
        if sub.name.startswith("cluster_"):
            x0, y0, x1, y1 = (float(v) for v in sub.graph_attr["bb"].split(","))
            (left, t), (r, b) = pt(x0, y1), pt(x1, y0)
            clusters[sub.name[len("cluster_"):]] = Box(left, t, r, b)
    raw = {}
    for u, v, k in g.edges(keys=True):
        ctrl = [pt(*map(float, p.split(","))) for p in a.get_edge(u, v, k).attr["pos"].split()
                if not p.startswith(("e,", "s,"))]
        raw[(u, v, k)] = _sample(ctrl)
    raw = _spread_ends(raw, nodes)
    edges = {e: _edge(pts, e[2], nodes[e[1]].box) for e, pts in raw.items()}
    width = bb[2] - bb[0] + 2 * MARGIN
    return Layout(width, bb[3] - bb[1] + 2 * MARGIN, nodes, clusters, edges)


OUTCOMES_LAST = False
FREE = ()
@contextlib.contextmanager
def _quiet_stderr():
    """Silence C-level stderr while Graphviz runs: the wheel's bundled fontconfig warns once about
    a newer system font configuration it cannot parse ("unknown element reset-dirs"), harmlessly,
    and a notebook would show that as an error-looking output."""
    fd = 2  # what C code writes to (in a kernel, a pipe the front end shows)
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            try:
                yield
            finally:
                os.dup2(saved, fd)
    finally:
        os.close(saved)


#: How far behind an unknown edge's end glyph its "?" sits (px, centre of a 9 px circle).
QUESTION_GAP = 22.0
_TAIL = 28.0  # px of each edge's end redrawn to meet its target square on


def _spread_ends(raw: dict, nodes: dict) -> dict:
    """Each edge ends square on the side of its target it reaches, edges sharing a side spread
    along it, so end glyphs never overlap and always point into their target."""
    sides: dict = {}
    for e, pts in raw.items():
        b, (x, y) = nodes[e[1]].box, pts[-1]
        dist = {"top": abs(y - b.y0), "bottom": abs(y - b.y1), "left": abs(x - b.x0),
                "right": abs(x - b.x1)}
        side = min(dist, key=dist.get)
        back = _cut(pts, _TAIL)[0][-1]
        along = back[0] if side in ("top", "bottom") else back[1]
        sides.setdefault((e[1], side), []).append((along, e))
    out = dict(raw)
    for (n, side), group in sides.items():
        b = nodes[n].box
        lo, hi = (b.x0, b.x1) if side in ("top", "bottom") else (b.y0, b.y1)
        lo, hi = lo + 10, hi - 10
        group.sort(key=lambda t: t[0])
        k = len(group)
        span = min(hi - lo, (k - 1) * 26.0)
        mean = sum(a for a, _ in group) / k
        first = min(max(mean - span / 2, lo), hi - span)
        for i, (_, e) in enumerate(group):
            c = first + (span * i / (k - 1) if k > 1 else 0.0)
            tip, normal = {"top": ((c, b.y0), (0, -1)), "bottom": ((c, b.y1), (0, 1)),
                           "left": ((b.x0, c), (-1, 0)), "right": ((b.x1, c), (1, 0))}[side]
            body = _cut(raw[e], _TAIL)[0]
            p0 = body[-1]
            ctrl = (tip[0] + normal[0] * _TAIL * 0.6, tip[1] + normal[1] * _TAIL * 0.6)
            tail = [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * ctrl[0] + t * t * tip[0],
                     (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * ctrl[1] + t * t * tip[1])
                    for t in (i / 8 for i in range(1, 9))]
            out[e] = body + tail
    return out


def _sample(ctrl: list[tuple[float, float]], steps: int = 10) -> list[tuple[float, float]]:
    """Points along a piecewise cubic Bezier (Graphviz's 3n+1 control points)."""
    out = [ctrl[0]]
    for i in range(0, len(ctrl) - 3, 3):
        p0, p1, p2, p3 = ctrl[i:i + 4]
        for s in range(1, steps + 1):
            t = s / steps
            a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            out.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                        a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))
    return out


def _cut(pts: list, length: float) -> tuple[list, tuple[float, float]]:
    """``pts`` shortened by ``length`` at the end, and the unit direction there."""
    left = length
    pts = list(pts)
    while len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[-2], pts[-1]
        seg = math.hypot(x1 - x0, y1 - y0)
        if seg > left or len(pts) == 2:
            f = max(seg - left, 0.0) / seg if seg else 0.0
            pts[-1] = (x0 + f * (x1 - x0), y0 + f * (y1 - y0))
            break
        left -= seg
        pts.pop()
    (x0, y0), (x1, y1) = pts[-2], pts[-1]
    d = math.hypot(x1 - x0, y1 - y0) or 1.0
    return pts, ((x1 - x0) / d, (y1 - y0) / d)


def _bar(at, d, half):
    return ((at[0] - d[1] * half, at[1] + d[0] * half), (at[0] + d[1] * half, at[1] - d[0] * half))


def _edge(pts: list, kind: str, target: Box) -> EdgeGeom:
    tip = pts[-1]
    _, d = _cut(pts, HEAD_L)
    heads, bars = (), ()
    if kind == "inhibits":
        gap = BAR_GAP
        while True:  # step back until the whole bar is clear of the target's box
            line, d = _cut(pts, gap)
            bar = _bar(line[-1], d, BAR_W)
            if not any(target.contains(x, y, -1.5) for x, y in bar) or gap > 40:
                break
            gap += 2.0
        bars = (bar,)
    elif kind == "unknown":
        line, d = _cut(pts, HEAD_L)
        n = (-d[1], d[0])
        mid = (tip[0] - d[0] * HEAD_L / 2, tip[1] - d[1] * HEAD_L / 2)
        heads = ((tip, (mid[0] + n[0] * HEAD_W, mid[1] + n[1] * HEAD_W), line[-1],
                  (mid[0] - n[0] * HEAD_W, mid[1] - n[1] * HEAD_W)),)
    else:
        line, d = _cut(pts, HEAD_L)
        base, n = line[-1], (-d[1], d[0])
        heads = ((tip, (base[0] + n[0] * HEAD_W, base[1] + n[1] * HEAD_W),
                  (base[0] - n[0] * HEAD_W, base[1] - n[1] * HEAD_W)),)
        if kind == "necessary":
            line, d2 = _cut(pts, HEAD_L + 5.0)
            bars = (_bar(line[-1], d2, BAR_W),)
            line = _cut(pts, HEAD_L)[0]
    length = sum(math.dist(a, b) for a, b in zip(pts, pts[1:], strict=False))
    mid = _cut(pts, min(HEAD_L + QUESTION_GAP, length / 2))[0][-1]
    return EdgeGeom(tuple(line), heads, bars, mid)


def geometry(name: str) -> dict:
    """The drawing of view ``name`` as plain data: every node's and compartment's box
    ``[left, top, right, bottom]`` and every edge's drawn path, in figure coordinates (px, y down).

    Examples
    --------
    >>> geo = geometry("sodium_channel")
    >>> sorted(geo)
    ['clusters', 'edges', 'height', 'nodes', 'units', 'view', 'width']
    >>> geo["edges"][0]["glyph"]
    'arrowhead'
    """
    return {"view": name, **_as_data(layout(name))}


def _as_data(lay: Layout) -> dict:
    glyph = {"stimulates": "arrowhead", "inhibits": "T-bar", "necessary": "bar+arrowhead",
             "unknown": "diamond"}
    return {
        "units": "px, origin top left, y down",
        "width": round(lay.width, 2), "height": round(lay.height, 2),
        "nodes": {n: {"box": ng.box.to_list(), "label": " ".join(ng.lines)}
                  for n, ng in lay.nodes.items()},
        "clusters": {c: b.to_list() for c, b in lay.clusters.items()},
        "edges": [{"source": u, "target": v, "kind": k, "glyph": glyph[k],
                   "path": [[round(x, 2), round(y, 2)] for x, y in e.points],
                   "heads": [[[round(x, 2), round(y, 2)] for x, y in h] for h in e.heads],
                   "bars": [[[round(x, 2), round(y, 2)] for x, y in b] for b in e.bars],
                   **({"question_mark": [round(e.middle[0], 2), round(e.middle[1], 2)]}
                      if k == "unknown" else {})}
                  for (u, v, k), e in lay.edges.items()],
    }
