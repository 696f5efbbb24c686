"""Where each node and edge of a mechanism diagram goes: compartment bands, rows by causal depth,
routed curves, arrowheads and T-bars. Computed once per view and cached with the data.

Examples
--------
>>> lay = layout("nmda_receptor")
>>> sorted(lay.bands)[0][0]
'cleft'
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.patches import BoxStyle
from matplotlib.path import Path
from matplotlib.textpath import TextToPath

from mechlib import data, style
from mechlib.mechanism import graph

#: The compartments, each drawn as a band (a column) with this title.
BANDS = {
    "presynaptic": "Presynaptic\nneuron",
    "cleft": "Synaptic\ncleft",
    "postsynaptic": "Postsynaptic\nneuron",
    "interneuron": "GABA\ninterneuron",
    "systemic": "Drugs and\nwhole body",
}
FONT_SIZE = style.FONT_SIZE
LINE_H = FONT_SIZE * 1.25 / 72  # inches per text line
_GAP_X, _GAP_Y, _HEADER, _PAD, _BAND_MIN = 0.3, 0.34, 0.6, 0.1, 1.5
_HEAD_L, _HEAD_W, _BAR_W = 0.14, 0.07, 0.1


# --------------------------------------------------------------------------- layout (cached)


@dataclass(frozen=True)
class EdgeGeom:
    line: np.ndarray  # (n, 2) polyline from source boundary to the tip
    heads: tuple[np.ndarray, ...]  # polygons
    bars: tuple[np.ndarray, ...]  # 2-point segments
    middle: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    pos: dict
    text: dict  # node -> wrapped label
    shapes: dict  # node -> Path (in inches)
    bands: tuple  # (compartment, y0, y1)
    edges: dict  # (u, v, kind) -> EdgeGeom
    xlim: tuple[float, float]
    ylim: tuple[float, float]


def shape(kind: str, x: float, y: float, w: float, h: float) -> Path:
    x0, y0, c = x - w / 2, y - h / 2, h / 4
    if kind == "process":
        return BoxStyle("Round", pad=0, rounding_size=h / 5)(x0, y0, w, h, 1.0)
    if kind == "messenger":
        return Path(Path.unit_circle().vertices * [w / 2 * 1.12, h / 2 * 1.2] + [x, y],
                    Path.unit_circle().codes)
    pts = {
        "drug": [(0, 0), (w, 0), (w - c, h / 2), (w, h), (0, h), (c, h / 2)],
        "outcome": [(c, 0), (w - c, 0), (w, h / 2), (w - c, h), (c, h), (0, h / 2)],
    }.get(kind, [(0, 0), (w, 0), (w, h), (0, h)])
    pts = [(x0 + a, y0 + b) for a, b in pts]
    return Path(pts + [pts[0]], closed=True)


def _depths(g) -> dict[str, int]:
    """Column of each node: longest path from the drugs, feedback edges ignored."""
    order = sorted(g, key=lambda n: (g.nodes[n]["kind"] != "drug", g.in_degree(n) > 0))
    state: dict[str, int] = {}
    dag: dict[str, list[str]] = {n: [] for n in g}

    def visit(n: str) -> None:
        state[n] = 1
        for v in g.successors(n):
            if state.get(v) != 1:  # an edge back into the current walk closes a loop: skip it
                dag[n].append(v)
                if v not in state:
                    visit(v)
        state[n] = 2

    for n in order:
        if n not in state:
            visit(n)
    depth = dict.fromkeys(g, 0)
    for _ in g:  # relax longest paths on the DAG (small graphs)
        for u, vs in dag.items():
            for v in vs:
                depth[v] = max(depth[v], depth[u] + 1)
    for n in g:  # pull sources that are not drugs next to their first target
        has_parent = any(n in vs for vs in dag.values())
        if not has_parent and g.nodes[n]["kind"] != "drug" and dag[n]:
            depth[n] = max(0, min(depth[v] for v in dag[n]) - 1)
    return depth


def _bezier(p0: np.ndarray, c: np.ndarray, p1: np.ndarray, t: np.ndarray) -> np.ndarray:
    t = t[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p1


def _route(p0, p1, offset: float, shapes: dict, u: str, v: str, area: tuple = (),
           taken: np.ndarray | None = None):
    """The Bezier curve's points between the two node outlines, or None if it hits another node,
    leaves ``area`` (x0, x1, y0, y1) or runs along an edge already routed (points ``taken``)."""
    chord = p1 - p0
    normal = np.array([-chord[1], chord[0]]) / np.linalg.norm(chord)
    ctrl = (p0 + p1) / 2 + 2 * offset * normal
    t = np.linspace(0, 1, 121)
    pts = _bezier(p0, ctrl, p1, t)
    outside = ~shapes[u].contains_points(pts) & ~shapes[v].contains_points(pts)
    idx = np.flatnonzero(outside)
    if len(idx) < 4:
        return None
    pts = pts[idx[0]: idx[-1] + 1]
    if area and not ((pts[:, 0] > area[0]) & (pts[:, 0] < area[1]) & (pts[:, 1] > area[2])
                     & (pts[:, 1] < area[3])).all():
        return None
    for n, shp in shapes.items():
        (a, b), (c, d) = shp.get_extents().get_points() + [[-0.08, -0.08], [0.08, 0.08]]
        if n not in (u, v) and np.any((pts[:, 0] > a) & (pts[:, 0] < c)
                                      & (pts[:, 1] > b) & (pts[:, 1] < d)):
            return None
    if taken is not None and len(taken):
        inner = pts[(np.hypot(*(pts - p0).T) > 0.7) & (np.hypot(*(pts - p1).T) > 0.7)]
        if len(inner):
            near = np.hypot(inner[:, None, 0] - taken[None, :, 0],
                            inner[:, None, 1] - taken[None, :, 1]).min(axis=1) < 0.12
            if near.mean() > 0.1:
                return None
    return pts


def head(kind: str, tip: np.ndarray, d: np.ndarray, size: float = 1.0):
    """Head polygons and bars of one edge glyph at ``tip``, pointing along unit vector ``d``."""
    n = np.array([-d[1], d[0]])
    L, W, B = _HEAD_L * size, _HEAD_W * size, _BAR_W * size
    if kind == "inhibits":
        return (), (np.array([tip + B * n, tip - B * n]),)
    if kind == "unknown":
        return (np.array([tip, tip - L / 2 * d + W * n, tip - L * d, tip - L / 2 * d - W * n]),), ()
    tri = np.array([tip, tip - L * d + W * n, tip - L * d - W * n])
    if kind == "necessary":
        base = tip - (L + 0.35 * L) * d
        return (tri,), (np.array([base + B * n, base - B * n]),)
    return (tri,), ()


def wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, 15, break_long_words=False, break_on_hyphens=False))


def layout(name: str) -> Layout:
    ds = data.load()
    key = ("draw.layout", name)
    if key not in ds._index:  # Dataset._index: per-dataset cache, renewed when data changes
        ds._index[key] = _compute_layout(graph.view(name))
    return ds._index[key]


def _place(g, cells: dict, width: dict, row_y: np.ndarray, depth: dict):
    """Positions of the nodes: cells side by side in their compartment column, then drugs."""
    pos, bands, left = {}, [], 0.0
    for band in BANDS:
        spans = [sum(width[n] + _GAP_X for n in ns) for (b, _), ns in cells.items() if b == band]
        if not spans:
            continue
        band_w = max(max(spans) + _GAP_X, _BAND_MIN)
        bands.append((band, left, left + band_w))
        for (b, r), ns in cells.items():
            if b == band:
                x = left + (band_w - sum(width[n] + _GAP_X for n in ns) + _GAP_X) / 2
                for n in ns:
                    pos[n] = (x + width[n] / 2, row_y[r])
                    x += width[n] + _GAP_X
        left += band_w
    for r in range(len(row_y)):  # drugs sit above their targets; then push apart any overlaps in the row
        for n in g:
            if depth[n] == r and n not in pos:
                xs = [pos[v][0] for v in g.successors(n) if v in pos] or [left / 2]
                pos[n] = (xs[0], row_y[r])  # above its first target in the data
        row = sorted((n for n in g if depth[n] == r), key=lambda n: pos[n][0])
        for a, b in zip(row, row[1:], strict=False):
            need = pos[a][0] + (width[a] + width[b]) / 2 + _GAP_X
            if pos[b][0] < need:
                pos[b] = (need, pos[b][1])
    return pos, bands, left


def _compute_layout(g) -> Layout:
    measure, prop = TextToPath(), FontProperties(size=FONT_SIZE)
    text = {n: wrap(g.nodes[n]["label"]) for n in g}
    depth = _depths(g)
    width, height = {}, {}
    for n in g:
        lines = text[n].split("\n")
        lines[0] = "↕ " + lines[0]  # room for the verdict symbol
        w = max(measure.get_text_width_height_descent(s, prop, ismath=False)[0] for s in lines)
        height[n] = len(lines) * LINE_H + 0.16
        width[n] = w / 72 + 2 * _PAD + (height[n] / 2 if g.nodes[n]["kind"] == "drug" else 0)
    rows = max(depth.values()) + 1
    row_h = [max([height[n] for n in g if depth[n] == r] or [0.3]) for r in range(rows)]
    row_y = -_HEADER - np.cumsum([0] + [h + _GAP_Y for h in row_h[:-1]]) - np.array(row_h) / 2
    cells: dict[tuple[str, int], list[str]] = {}
    for n in g:
        if g.nodes[n]["kind"] != "drug":
            cells.setdefault((g.nodes[n]["compartment"], depth[n]), []).append(n)
    pos: dict[str, tuple[float, float]] = {}
    for _ in range(2):  # second pass: order each cell by where its inputs are (fewer crossings)
        for ns in cells.values():
            ns.sort(key=lambda n: np.mean([pos[p][0] for p in g.predecessors(n) if p in pos]
                                          or [pos.get(n, (0.0,))[0]]))
        pos, bands, left = _place(g, cells, width, row_y, depth)
    right = max(left, max(pos[n][0] + width[n] / 2 for n in g) + _GAP_X / 2)
    shapes = {n: shape(g.nodes[n]["kind"], *pos[n], width[n], height[n]) for n in g}
    bottom = row_y[-1] - row_h[-1] / 2 - _GAP_Y
    area = (0.05, right - 0.05, bottom + 0.05, -_HEADER + 0.05)
    edges, taken = {}, np.zeros((0, 2))
    by_length = sorted(g.edges(keys=True), key=lambda e: np.hypot(*np.subtract(pos[e[0]], pos[e[1]])))
    for u, v, k in by_length:
        p0, p1 = np.array(pos[u]), np.array(pos[v])
        # Reciprocal edges bow apart: the curve's normal turns with its direction, so the same
        # positive offset puts u->v and v->u on opposite sides. Parallel edges fan out further.
        twin = g.has_edge(v, u) or g.number_of_edges(u, v) > 1
        base = 0.22 * (1 + sorted(g[u][v]).index(k)) if twin else 0.0
        pts = None
        for off in [base + s * m * 0.25 for m in range(12) for s in (1, -1)][1:]:
            pts = _route(p0, p1, off, shapes, u, v, area, taken)
            if pts is not None:
                break
        if pts is None:  # crossing other edges is better than crossing nodes
            pts = next((p for off in (base, -base + 0.25, base - 0.25) if
                        (p := _route(p0, p1, off, shapes, u, v, area)) is not None), None)
        if pts is None:  # no clear route: draw it straight rather than not at all
            pts = _route(p0, p1, base, {u: shapes[u], v: shapes[v]}, u, v)
        taken = np.vstack([taken, pts[::3]])
        d = pts[-1] - pts[-4]
        d /= np.linalg.norm(d)
        heads, bars = head(k, pts[-1], d)
        edges[(u, v, k)] = EdgeGeom(pts, heads, bars, tuple(pts[len(pts) // 2]))
    return Layout(pos, text, shapes, tuple(bands), edges, (0.0, right), (bottom, 0.0))


