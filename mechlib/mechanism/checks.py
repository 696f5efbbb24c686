"""Checks on a diagram's drawn geometry: crossings, edges through nodes, overlapping glyphs.

They read the plain data of :func:`mechlib.mechanism.layout.geometry`, so tests, ``make bench``
and an instructor's own tools judge exactly what is drawn.

Examples
--------
>>> geo = {"nodes": {"a": {"box": [0, 0, 10, 10]}, "b": {"box": [0, 40, 10, 50]},
...                  "c": {"box": [0, 20, 10, 30]}},
...        "edges": [{"source": "a", "target": "b", "kind": "stimulates",
...                   "path": [[5, 10], [5, 40]], "heads": [], "bars": []}]}
>>> edges_through_nodes(geo)
['a->b through c']
>>> crossings(geo)
0
"""

from __future__ import annotations

import itertools

import numpy as np


def _segments(path):
    return list(zip(path, path[1:], strict=False))


def _cross(p, q, r, s) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    d1, d2 = orient(r, s, p), orient(r, s, q)
    d3, d4 = orient(p, q, r), orient(p, q, s)
    return (d1 > 0) != (d2 > 0) and (d3 > 0) != (d4 > 0) and d1 * d2 < 0 and d3 * d4 < 0


def _seg_hits_box(p, q, box, inset=1.0, steps=8):
    x0, y0, x1, y1 = box
    for i in range(steps + 1):
        t = i / steps
        x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
        if x0 + inset < x < x1 - inset and y0 + inset < y < y1 - inset:
            return True
    return False


def _dense(path, steps: int = 8) -> np.ndarray:
    p = np.asarray(path, dtype=float)
    t = np.linspace(0, 1, steps, endpoint=False)[None, :, None]
    pts = (p[:-1, None, :] * (1 - t) + p[1:, None, :] * t).reshape(-1, 2)
    return np.vstack([pts, p[-1:]])


def edges_through_nodes(geo, inset: float = 1.0) -> list[str]:
    """'u->v through w' for every edge whose drawn path enters a node box other than its ends."""
    names = list(geo["nodes"])
    boxes = np.array([geo["nodes"][n]["box"] for n in names], dtype=float) + [inset, inset,
                                                                              -inset, -inset]
    bad = []
    for e in geo["edges"]:
        pts = _dense(e["path"])
        x, y = pts[:, 0:1], pts[:, 1:2]
        inside = ((x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1]) & (y < boxes[:, 3]))
        for i in np.flatnonzero(inside.any(axis=0)):
            if names[i] not in (e["source"], e["target"]):
                bad.append(f"{e['source']}->{e['target']} through {names[i]}")
    return bad


def crossings(geo) -> int:
    """How many times two edges' drawn paths cross (touching at a shared end does not count)."""
    segs = []
    for e in geo["edges"]:
        p = np.asarray(e["path"], dtype=float)
        segs.append((p[:-1], p[1:], p.min(axis=0), p.max(axis=0)))
    n = 0
    for (a0, a1, alo, ahi), (b0, b1, blo, bhi) in itertools.combinations(segs, 2):
        if (alo > bhi).any() or (blo > ahi).any():
            continue
        n += int(_crossing_matrix(a0, a1, b0, b1).sum())
    return n


def _crossing_matrix(a0, a1, b0, b1):
    def orient(p, q, r):  # p, q: (n, 1, 2) or (1, m, 2); r likewise
        return (q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - \
            (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0])
    p, q = a0[:, None, :], a1[:, None, :]
    r, s = b0[None, :, :], b1[None, :, :]
    return ((orient(r, s, p) * orient(r, s, q) < 0) & (orient(p, q, r) * orient(p, q, s) < 0))


def glyph_boxes(geo):
    """The bounding box of every arrowhead, diamond and bar, with the edge it ends."""
    out = []
    for e in geo["edges"]:
        for shape in [*e["heads"], *e["bars"]]:
            xs, ys = [p[0] for p in shape], [p[1] for p in shape]
            out.append((f"{e['source']}->{e['target']} ({e['kind']})",
                        (min(xs), min(ys), max(xs), max(ys))))
    return out


def overlapping_glyphs(geo) -> list[tuple[str, str]]:
    """Pairs of end glyphs of different edges whose boxes overlap."""
    found = []
    for (a, ba), (b, bb) in itertools.combinations(glyph_boxes(geo), 2):
        if a != b and ba[0] < bb[2] and bb[0] < ba[2] and ba[1] < bb[3] and bb[1] < ba[3]:
            found.append((a, b))
    return found


def bars_inside_targets(geo) -> list[str]:
    """Edges whose T-bar touches or enters its target's box."""
    bad = []
    for e in geo["edges"]:
        if e["kind"] != "inhibits":
            continue
        x0, y0, x1, y1 = geo["nodes"][e["target"]]["box"]
        for p, q in e["bars"]:
            if _seg_hits_box(p, q, (x0, y0, x1, y1), inset=-0.5, steps=20):
                bad.append(f"{e['source']}->{e['target']}")
    return bad
