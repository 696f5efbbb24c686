"""Mechanism diagrams with fixed glyphs, palette and legend, plus a text description of each.

Glyphs follow SBGN Activity Flow, so the meaning never rests on colour alone:

- edges: arrowhead = stimulates, T-bar = inhibits, bar + open arrowhead = necessary (SBGN's
  "necessary stimulation"), open diamond with a "?" = unknown; a dashed line is a hypothesis;
- nodes: concave-sided box = drug, square box = target, ellipse = messenger, rounded box =
  process, hexagon = outcome (SBGN's "phenotype");
- with drugs switched on, each node's fill shows its verdict and its text repeats it with a symbol
  (↑ up, ↓ down, ↕ opposing, ? unknown).

Colours are Okabe-Ito (readable with colour-vision deficiency and in greyscale) and only repeat
what the glyphs say. The layout puts each compartment in its own band (a column), causes above
effects, with the drugs on top above their first target. It is computed once per view, so positions
stay put across redraws and when hypotheses are hidden.
Figures use matplotlib's object API (no pyplot state), so they work headless and in notebooks.

Examples
--------
>>> fig = diagram("nmda_receptor", drugs=["ketamine"])
>>> fig.get_size_inches().round(1).tolist()
[7.6, 6.0]
>>> print(describe("nmda_receptor").splitlines()[0])
## The NMDA receptor
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PatchCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerBase
from matplotlib.patches import PathPatch, Rectangle

from mechlib import style
from mechlib.mechanism import graph, layout, reasoning
from mechlib.mechanism.layout import BANDS

OKABE_ITO = style.OKABE_ITO
EDGE_COLOURS = {"stimulates": OKABE_ITO["blue"], "inhibits": OKABE_ITO["vermillion"],
                "necessary": OKABE_ITO["bluish_green"], "unknown": OKABE_ITO["black"]}
EDGE_NAMES = {"stimulates": "stimulates", "inhibits": "inhibits", "necessary": "is necessary for",
              "unknown": "unknown effect (?)"}
KIND_NAMES = {"drug": "drug", "target": "target (channel, receptor)",
              "messenger": "messenger", "process": "process", "outcome": "outcome"}
#: Node states when drugs are on: (fill, symbol, legend text). Fills are light Okabe-Ito tints.
STATES = {
    "on": ("#F5CF80", "●", "● drug on"),
    "increase": ("#8EC1DE", "↑", "↑ goes up"),
    "decrease": ("#EEB48A", "↓", "↓ goes down"),
    "opposing": ("#E5BCD3", "↕", "↕ opposing paths"),
    "undetermined": ("#F7F1A0", "?", "? direction unknown"),
    "none": ("#FFFFFF", "", "not reached"),
}
FORMATS = ("pdf", "png", "svg")
FONT_SIZE = style.FONT_SIZE
TEXT = style.INK
# --------------------------------------------------------------------------- legend


@dataclass(frozen=True)
class _Key:
    """A legend entry: what it shows ("node", "edge", "hypothesis", "state", "highlight")."""

    what: str
    value: str = ""


class _KeyHandler(HandlerBase):
    def create_artists(self, legend, key, x0, y0, width, height, fontsize, trans):
        y = y0 + height / 2
        if key.what in ("edge", "hypothesis"):
            kind = key.value or "stimulates"
            colour = EDGE_COLOURS[kind] if key.what == "edge" else TEXT
            tip = np.array([x0 + width, y])
            heads, bars = layout.head(kind, tip, np.array([1.0, 0.0]), size=fontsize * 0.055 * 72)
            line = LineCollection([[(x0, y), tuple(tip)], *bars], colors=colour, linewidths=1.8,
                                  linestyles="--" if key.what == "hypothesis" else "-",
                                  transform=trans)
            fill = colour if kind == "stimulates" else "white"
            polys = PolyCollection(heads, facecolors=fill, edgecolors=colour, linewidths=1.5,
                                   transform=trans)
            return [line, polys]
        kind = key.value if key.what == "node" else "process"
        fill = STATES[key.value][0] if key.what == "state" else "white"
        shape = layout.shape(kind, x0 + width / 2, y, width * 0.8, height * 1.2)
        lw = 3.5 if key.what == "highlight" else 1.2
        return [PathPatch(shape, facecolor=fill, edgecolor=TEXT, linewidth=lw, transform=trans)]


# --------------------------------------------------------------------------- public API


def _drugs_in(name: str, drugs: Sequence[str] | str) -> tuple[str, ...]:
    if isinstance(drugs, str):
        drugs = [drugs]
    if not drugs:
        return ()
    return reasoning._drug_ids(graph.view(name), drugs)


def _highlight(g, highlight: str | Iterable[str] | None) -> tuple[str, ...]:
    if highlight is None:
        return ()
    nodes = (highlight,) if isinstance(highlight, str) else tuple(highlight)
    for n in nodes:
        reasoning._check_node(g, n)
    return nodes


def diagram(view: str, drugs: Sequence[str] | str = (), include_hypotheses: bool = True,
            highlight: str | Iterable[str] | None = None, ax: Axes | None = None) -> Figure:
    """Draw one view, optionally with drugs switched on and their verdicts shown on every node.

    Parameters
    ----------
    view : str
        One of :func:`mechlib.graph.view_names`.
    drugs : str or sequence of str, optional
        Drugs to switch on (must be in the view). Each node then shows its verdict by fill and by
        a symbol in its text.
    include_hypotheses : bool, default True
        False hides hypothesis edges and reasons on established edges only; nodes keep their places.
    highlight : str or iterable of str, optional
        Nodes to outline thickly; with drugs on, the paths from the drugs to them are drawn thicker.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (its figure is returned). By default a new, correctly sized figure
        with an Agg canvas is made, with no pyplot state involved.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        An unknown view, a drug not in the view or an unknown node to highlight; the message lists
        the allowed values.

    Examples
    --------
    >>> fig = diagram("combined", drugs=["lamotrigine", "ketamine"], highlight="antidepressant_effect")
    >>> [t.get_text() for t in fig.axes[0].texts if "Glutamate" in t.get_text()]
    ['↓ Glutamate\\nrelease', '↕ Glutamate surge']
    >>> diagram("brain")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'brain'; allowed: sodium_channel, glutamate_synapse, nmda_receptor, \
ketamine_cascade, combined
    """
    g = graph.view(view, include_hypotheses)
    ids = _drugs_in(view, drugs)
    marked = _highlight(g, highlight)
    lay = layout.layout(view)
    (x0, x1), (y0, y1) = lay.xlim, lay.ylim
    if ax is None:
        ncols = max(1, int((x1 - x0) // 2.7))
        legend_h = 0.15 + 0.25 * -(-_legend_size(g, ids, marked) // ncols)  # a row is ~0.245 in
        w, h = x1 - x0, y1 - y0 + 0.5 + legend_h
        fig = style.figure((w, h))
        ax = fig.add_axes((0, legend_h / h, 1, (y1 - y0) / h))
    else:
        fig, ncols = ax.figure, 3
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()

    for i, (band, b0, b1) in enumerate(lay.bands):
        ax.add_patch(Rectangle((b0, y0), b1 - b0, y1 - y0, facecolor="#EFEFEF" if i % 2 else
                               "#FFFFFF", edgecolor="#BBBBBB", linewidth=0.8, zorder=0))
        ax.text((b0 + b1) / 2, y1 - 0.08, BANDS[band], fontsize=FONT_SIZE - 1, color=TEXT,
                fontweight="bold", va="top", ha="center", linespacing=1.1)

    fx = reasoning.effects(ids, g) if ids else {}
    on_path = {(s.source, s.target, s.kind) for n in marked if n in fx
               for p in fx[n].paths for s in p.edges}
    edges = list(g.edges(keys=True, data="status"))
    for dashed in (False, True):
        sel = [(u, v, k) for u, v, k, st in edges if (st == "hypothesis") == dashed]
        if sel:
            ax.add_collection(LineCollection(
                [lay.edges[e].line for e in sel], colors=[EDGE_COLOURS[e[2]] for e in sel],
                linewidths=[3.6 if e in on_path else 1.8 for e in sel],
                linestyles=(0, (4, 2.5)) if dashed else "solid", zorder=1,
                gid="edges-hypothesis" if dashed else "edges-established"))
    geoms = [(k, lay.edges[(u, v, k)]) for u, v, k, _ in edges]
    polys = [(p, k) for k, ge in geoms for p in ge.heads]
    if polys:
        ax.add_collection(PolyCollection(
            [p for p, _ in polys], edgecolors=[EDGE_COLOURS[k] for _, k in polys],
            facecolors=[EDGE_COLOURS[k] if k == "stimulates" else "white" for _, k in polys],
            linewidths=1.5, zorder=2, gid="edge-heads"))
    bars = [(b, k) for k, ge in geoms for b in ge.bars]
    if bars:
        ax.add_collection(LineCollection([b for b, _ in bars], linewidths=2.6, zorder=2,
                                         colors=[EDGE_COLOURS[k] for _, k in bars],
                                         gid="edge-bars"))
    for k, ge in geoms:
        if k == "unknown":
            ax.text(*ge.middle, "?", fontsize=FONT_SIZE + 2, fontweight="bold", color=TEXT,
                    ha="center", va="center", zorder=3,
                    bbox={"boxstyle": "circle,pad=0.15", "facecolor": "white", "edgecolor": TEXT,
                          "linewidth": 1.0})

    states = {n: "on" if n in ids else fx[n].verdict if ids else "none" for n in g}
    nodes = list(g)
    ax.add_collection(PatchCollection(
        [PathPatch(lay.shapes[n]) for n in nodes], zorder=4, edgecolors=TEXT,
        facecolors=[STATES[states[n]][0] for n in nodes],
        linewidths=[3.5 if n in marked else 1.3 for n in nodes], gid="nodes"))
    for n in nodes:
        cue = STATES[states[n]][1]
        ax.text(*lay.pos[n], f"{cue} {lay.text[n]}" if cue else lay.text[n], fontsize=FONT_SIZE,
                color=TEXT, ha="center", va="center", linespacing=1.15, zorder=5)

    title = g.graph["title"] + ("" if include_hypotheses else " (established edges only)")
    if ids:
        title += ": " + " + ".join(g.nodes[d]["label"] for d in ids) + " switched on"
    ax.set_title(textwrap.fill(title, int((x1 - x0) * 6)), fontsize=FONT_SIZE + 3, color=TEXT,
                 loc="left", pad=6, x=0.1 / (x1 - x0))
    keys = _legend_keys(g, ids, marked, states)
    ax.legend([k for k, _ in keys], [t for _, t in keys], handler_map={_Key: _KeyHandler()},
              loc="upper left", bbox_to_anchor=(0, 0), ncols=ncols, fontsize=FONT_SIZE - 1,
              frameon=False, handlelength=3.2, handleheight=1.5, labelcolor=TEXT,
              borderaxespad=0.2, columnspacing=1.2)
    return fig


def _legend_keys(g, ids, marked, states) -> list[tuple[_Key, str]]:
    kinds = {k for _, k in g.nodes(data="kind")}
    keys = [(_Key("node", k), t) for k, t in KIND_NAMES.items() if k in kinds]
    edge_kinds = {k for *_, k in g.edges(keys=True)}
    keys += [(_Key("edge", k), t) for k, t in EDGE_NAMES.items() if k in edge_kinds]
    if any(s == "hypothesis" for *_, s in g.edges(data="status")):
        keys.append((_Key("hypothesis"), "hypothesis (dashed)"))
    if ids:
        used = set(states.values())
        keys += [(_Key("state", s), t) for s, (_, _, t) in STATES.items() if s in used]
    if marked:
        keys.append((_Key("highlight"), "highlighted"))
    return keys


def _legend_size(g, ids, marked) -> int:
    states = dict.fromkeys(STATES) if ids else {}
    return len(_legend_keys(g, ids, marked, {s: s for s in states}))


def save(fig: Figure, path: str | os.PathLike) -> FilePath:
    """Write ``fig`` to ``path`` (SVG, PNG or PDF by extension), all or nothing.

    The figure goes to a temporary file in the same folder first and is renamed into place, so an
    error never leaves a partial file.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or os.PathLike
        Ends in ``.svg``, ``.png`` or ``.pdf``; its folder must exist.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ValueError
        An unsupported extension (the message lists the allowed ones) or a missing folder.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save(diagram("sodium_channel"), pathlib.Path(tmp) / "na.svg").stat().st_size > 1000
    True
    >>> save(diagram("sodium_channel"), "na.jpg")
    Traceback (most recent call last):
    ...
    ValueError: unsupported file type '.jpg' for 'na.jpg'; allowed: .pdf, .png, .svg
    """
    path = FilePath(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS:
        raise ValueError(f"unsupported file type {path.suffix!r} for {str(path)!r}; "
                         f"allowed: {', '.join('.' + f for f in FORMATS)}")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} does not exist; create it first")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=f".{ext}", dir=folder)
    except OSError as err:
        raise OSError(err.errno, err.strerror, str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            fig.savefig(f, format=ext, facecolor="white")
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a new file follows the umask
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return path


def _umask() -> int:
    """The process umask (read by setting and restoring it: there is no getter)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def describe(view: str, drugs: Sequence[str] | str = (), include_hypotheses: bool = True) -> str:
    """The diagram as a nested Markdown list a screen reader can follow.

    Nodes by compartment, then every edge as a sentence with its citations, then (with drugs on)
    the verdict for every node and the paths behind it.

    Parameters
    ----------
    view, drugs, include_hypotheses
        As in :func:`diagram`.

    Returns
    -------
    str
        Markdown text.

    Raises
    ------
    ValueError
        An unknown view or a drug not in the view; the message lists the allowed values.

    Examples
    --------
    >>> text = describe("sodium_channel", drugs=["lamotrigine"])
    >>> print(text.splitlines()[5])
      - Presynaptic neuron
    >>> "- Glutamate release: goes down (1 path)" in text
    True
    """
    g = graph.view(view, include_hypotheses)
    ids = _drugs_in(view, drugs)
    cites = g.graph["citations"]
    lines = [f"## {g.graph['title']}", "", g.graph["description"], "", "- Nodes by compartment"]
    for band, name in BANDS.items():
        members = [n for n, c in g.nodes(data="compartment") if c == band]
        if members:
            lines.append(f"  - {name.replace(chr(10), ' ')}")
            lines += [f"    - {g.nodes[n]['label']} ({g.nodes[n]['kind']}): "
                      f"{g.nodes[n]['description']}" for n in members]
    lines.append("- Edges" + ("" if include_hypotheses else " (established only)"))
    for u, v, d in g.edges(data=True):
        refs = "; ".join(cites[k] for k in d["references"])
        lines.append(f"  - {g.nodes[u]['label']} {d['mechanism']}: {d['kind']} "
                     f"{reasoning._in_sentence(g.nodes[v]['label'])} ({d['status']}; {refs}).")
    if ids:
        words = {s: t.lstrip("●↑↓↕? ") for s, (_, _, t) in STATES.items()}
        lines.append(f"- Verdicts with {' + '.join(ids)} switched on")
        for e in reasoning.effects(ids, g).values():
            k = len(e.paths)
            lines.append(f"  - {e.label}: {words[e.verdict]} ({k} path{'s' if k != 1 else ''})")
            lines += [f"    - {p.sentence}" for p in e.paths]
    return "\n".join(lines)


def alt_text(view: str, drugs: Sequence[str] | str = (), include_hypotheses: bool = True) -> str:
    """A one-paragraph summary of the diagram, short enough for an image's alt attribute.

    Parameters
    ----------
    view, drugs, include_hypotheses
        As in :func:`diagram`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        An unknown view or a drug not in the view.

    Examples
    --------
    >>> print(alt_text("sodium_channel", drugs="lamotrigine"))
    Diagram: Lamotrigine at the voltage-gated sodium channel. 9 nodes and 10 edges (0 hypothesis \
edges). With lamotrigine switched on: goes up: use-dependent Na⁺ block; goes down: inactivated Na⁺ \
channels, voltage-gated Na⁺ channel, repetitive firing, glutamate release, aspartate release, \
seizure activity; direction unknown: GABA release. The full description follows the figure.
    """
    g = graph.view(view, include_hypotheses)
    ids = _drugs_in(view, drugs)
    n_hyp = sum(1 for *_, s in g.edges(data="status") if s == "hypothesis")
    text = (f"Diagram: {g.graph['title']}. {g.number_of_nodes()} nodes and "
            f"{g.number_of_edges()} edges ({n_hyp} hypothesis edges).")
    if ids:
        fx = reasoning.effects(ids, g)
        groups = []
        for s in ("increase", "decrease", "opposing", "undetermined"):
            names = [reasoning._in_sentence(e.label) for e in fx.values() if e.verdict == s]
            if names:
                groups.append(f"{STATES[s][2][2:]}: {', '.join(names)}")
        text += f" With {' + '.join(ids)} switched on: {'; '.join(groups) or 'nothing reached'}."
    return text + " The full description follows the figure."
