"""Mechanism diagrams: laid out by Graphviz, drawn as SVG with real text, cited tooltips and a
legend that never changes style, plus a text description of each.

Glyphs follow SBGN Activity Flow, so the meaning never rests on colour alone:

- edges: arrowhead = stimulates, T-bar = inhibits, bar + open arrowhead = necessary (SBGN's
  "necessary stimulation"), open diamond with a "?" = unknown; a dashed line is a hypothesis;
- nodes: concave-sided box = drug, square box = target, pill = messenger, rounded box =
  process, hexagon = outcome (SBGN's "phenotype");
- with drugs switched on, each node's fill shows its verdict and its text repeats it with a symbol
  (↑ up, ↓ down, ↕ opposing, ? unknown, ● drug on); a node no path reaches says "not reached".

The layout is computed once per view (:mod:`mechlib.mechanism.layout`) and cached; drugs,
hypotheses and highlights only restyle it. Slide exports (SVG, PNG, PDF) come from the same layout.

Examples
--------
>>> d = diagram("nmda_receptor", drugs=["ketamine"])
>>> "● Ketamine" in d.svg and d.svg.count("<title>") > 10
True
>>> print(describe("nmda_receptor").splitlines()[0])
## The NMDA receptor
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path as FilePath

from mechlib import files
from mechlib.mechanism import graph, layout, reasoning
from mechlib.mechanism import svg as _svg
from mechlib.mechanism.layout import COMPARTMENTS

STATES = _svg.STATES
EDGE_NAMES = _svg.EDGE_NAMES
KIND_NAMES = _svg.KIND_NAMES
FORMATS = ("pdf", "png", "svg")


@dataclass(frozen=True)
class Diagram:
    """One drawing of a view: its SVG text and what it shows. Displays itself as SVG."""

    view: str
    drugs: tuple[str, ...]
    include_hypotheses: bool
    highlight: tuple[str, ...]
    states: dict
    svg: str
    #: The diagram without title and legend, and the legend alone (for the presenter screen).
    body_svg: str = ""
    legend_svg: str = ""

    def _repr_svg_(self) -> str:
        return self.svg

    def matplotlib(self):
        """The same drawing painted by matplotlib (PNG and PDF slides)."""
        from mechlib.mechanism import paint

        return paint.figure(self)

    def geometry(self) -> dict:
        """Every node's box and every edge's drawn path (see :func:`mechlib.mechanism.layout.geometry`)."""
        return layout.geometry(self.view)


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
            highlight: str | Iterable[str] | None = None) -> Diagram:
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

    Returns
    -------
    Diagram
        Its ``svg`` attribute is the drawing; in a notebook it displays as inline SVG.

    Raises
    ------
    ValueError
        An unknown view, a drug not in the view or an unknown node to highlight; the message lists
        the allowed values.

    Examples
    --------
    >>> d = diagram("combined", drugs=["lamotrigine", "ketamine"], highlight="antidepressant_effect")
    >>> d.states["glutamate_release"], d.states["glutamate_surge"]
    ('decrease', 'opposing')
    >>> diagram("brain")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'brain'; allowed: sodium_channel, glutamate_synapse, nmda_receptor, \
ketamine_cascade, combined
    """
    g = graph.view(view, include_hypotheses)
    ids = _drugs_in(view, drugs)
    marked = _highlight(g, highlight)
    key = ("diagram", ids, bool(include_hypotheses), marked)
    cache = g.graph.setdefault("_drawings", {})  # the view is frozen and shared: keep drawings
    if key not in cache:
        cache[key] = _draw(view, g, ids, include_hypotheses, marked)
    return cache[key]


def _draw(view: str, g, ids: tuple[str, ...], include_hypotheses: bool,
          marked: tuple[str, ...]) -> Diagram:
    fx = reasoning.effects(ids, g) if ids else {}
    states = {n: "on" if n in ids else fx[n].verdict for n in g} if ids else {}
    on_path = {(s.source, s.target, s.kind) for n in marked if n in fx
               for p in fx[n].paths for s in p.edges}
    words = {s: t.lstrip("●↑↓↕? ") for s, (_, _, t) in STATES.items()}
    verdicts = {n: (f"{words[e.verdict]} ({len(e.paths)} path{'s' if len(e.paths) != 1 else ''}"
                    f" from {' + '.join(ids)})") for n, e in fx.items()}
    verdicts.update({d: "drug switched on" for d in ids})
    title = g.graph["title"] + ("" if include_hypotheses else " (established edges only)")
    if ids:
        title += ": " + " + ".join(g.nodes[d]["label"] for d in ids) + " switched on"
    text, body, key = _svg.render(view, states, on_path, include_hypotheses=include_hypotheses,
                       marked=marked, title=title,
                       describe=alt_text(view, ids, include_hypotheses),
                       verdict_text=verdicts)
    return Diagram(view, ids, include_hypotheses, marked, states, text, body, key)


def svg(view: str, drugs: Sequence[str] | str = (), include_hypotheses: bool = True,
        highlight: str | Iterable[str] | None = None) -> str:
    """The SVG text of :func:`diagram` (same arguments).

    >>> svg("sodium_channel").count(' id="n-')
    9
    """
    return diagram(view, drugs, include_hypotheses, highlight).svg


def save(drawing: Diagram, path: str | os.PathLike) -> FilePath:
    """Write ``drawing`` to ``path`` (SVG, PNG or PDF by extension), all or nothing.

    SVG keeps its text as text (with light-theme colours when read on its own); PNG and PDF are
    painted from the same layout with matplotlib. The file goes to a temporary name in the same
    folder first and is renamed into place, so an error never leaves a partial file.

    Parameters
    ----------
    drawing : Diagram
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
    ext = path.suffix.lower().lstrip(".")
    if ext not in FORMATS and not path.is_dir():
        raise ValueError(f"unsupported file type {path.suffix!r} for {str(path)!r}; "
                         f"allowed: {', '.join('.' + f for f in FORMATS)}")

    def write(f) -> None:
        if ext == "svg":
            f.write(('<?xml version="1.0" encoding="utf-8"?>\n' + drawing.svg).encode())
        else:
            from mechlib.mechanism import paint

            paint.figure(drawing).savefig(f, format=ext, facecolor="white")

    return files.write_atomic(path, write)


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
    for band, name in sorted(COMPARTMENTS.items(), key=lambda c: c[0] == "systemic"):
        members = [n for n, c in g.nodes(data="compartment") if c == band]
        if members:
            lines.append(f"  - {name}")
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
    Diagram: Lamotrigine at the voltage-gated sodium channel. 9 nodes and 11 edges (0 hypothesis \
edges). With lamotrigine switched on: goes up: use-dependent Na⁺ block, inactivated Na⁺ channels; \
goes down: voltage-gated Na⁺ channel, repetitive firing, glutamate release, aspartate release, \
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
