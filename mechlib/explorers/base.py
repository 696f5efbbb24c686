"""The lessons' interactive explorers as pure functions: control values in, a frame out.

An explorer is an :class:`Explorer`: a few controls (each with its range, default and unit)
and a ``render`` function that turns their values into a :class:`Frame` (a figure, a text
readout of every number the figure shows, and a text description). Nothing here imports
ipywidgets: :mod:`mechlib.widgets` binds an explorer to controls on screen, and tests sweep
every control of every registered explorer to its minimum, maximum and default.

Examples
--------
>>> demo = Explorer(
...     name="demo", title="Doubling",
...     controls=(Slider("dose_mg", "Dose", 0.0, 10.0, 1.0, 2.0, "mg"),),
...     render=lambda dose_mg: Frame(None, f"Twice the dose: {2 * dose_mg:.0f} mg", "A number."),
... )
>>> demo.render_values(dose_mg=3).readout
'Twice the dose: 6 mg'
>>> demo.render_values(dose_mg=11)
Traceback (most recent call last):
...
ValueError: dose_mg = 11 is outside the allowed range 0 to 10 mg
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from matplotlib.figure import Figure

from mechlib import style

#: Every explorer the lessons use, by name (filled by :func:`register`).
REGISTRY: dict[str, Explorer] = {}


# --------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Slider:
    """A number between ``min`` and ``max`` in steps of ``step``, shown with its unit."""

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    unit: str
    integer: bool = False

    def extremes(self) -> tuple[Any, ...]:
        return (self.min, self.max, self.default)

    def check(self, value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ValueError(f"{self.name} must be a number from {fmt(self.min)} to "
                             f"{fmt(self.max)} {self.unit}; got {value!r}")
        if not self.min <= value <= self.max:
            raise ValueError(f"{self.name} = {fmt(value)} is outside the allowed range "
                             f"{fmt(self.min)} to {fmt(self.max)} {self.unit}")
        return int(value) if self.integer else float(value)


@dataclass(frozen=True)
class Choice:
    """One of a few named options; ``options`` is a tuple of (label, value) pairs."""

    name: str
    label: str
    options: tuple[tuple[str, Any], ...]
    default: Any

    def extremes(self) -> tuple[Any, ...]:
        return tuple(v for _, v in self.options)

    def check(self, value: Any) -> Any:
        allowed = [v for _, v in self.options]
        if value not in allowed:
            raise ValueError(f"{self.name} = {value!r} is not allowed; allowed: "
                             f"{', '.join(map(repr, allowed))}")
        return value


@dataclass(frozen=True)
class Toggle:
    """On or off (a checkbox or a toggle button)."""

    name: str
    label: str
    default: bool

    def extremes(self) -> tuple[Any, ...]:
        return (False, True)

    def check(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"{self.name} must be True or False; got {value!r}")
        return value


@dataclass(frozen=True)
class MultiToggle:
    """Any subset of ``options`` (e.g. which drugs are switched on); value is a tuple."""

    name: str
    label: str
    options: tuple[tuple[str, Any], ...]
    default: tuple[Any, ...]

    def extremes(self) -> tuple[Any, ...]:
        return ((), tuple(v for _, v in self.options), self.default)

    def check(self, value: Any) -> tuple[Any, ...]:
        allowed = [v for _, v in self.options]
        value = tuple(value)
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ValueError(f"{self.name}: {', '.join(map(repr, bad))} not allowed; allowed: "
                             f"{', '.join(map(repr, allowed))}")
        return tuple(v for v in allowed if v in value)  # canonical order


Control = Slider | Choice | Toggle | MultiToggle


def fmt(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True)
class Frame:
    """What an explorer shows for one set of control values.

    ``readout`` repeats every number or verdict the figure shows, as text (for screen readers
    and for nbval); ``description`` says what the figure shows, for its alt text.
    """

    figure: Figure | Any | None  # a matplotlib Figure (plots) or a mechlib.draw.Diagram (SVG)
    readout: str
    description: str

    @property
    def svg(self) -> str:
        """The figure's SVG text when it is a diagram, else an empty string."""
        return getattr(self.figure, "svg", "")

    def png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes (empty when there is no figure)."""
        if self.figure is None:
            return b""
        fig = self.figure
        if self.svg:  # a drawing that is SVG first: paint the same content with matplotlib
            fig = self.figure.matplotlib()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
        return buf.getvalue()


@dataclass(frozen=True)
class Explorer:
    """A named explorer: its controls and its pure ``render`` function."""

    name: str
    title: str
    controls: tuple[Control, ...]
    render: Callable[..., Frame]
    question: str = ""
    note: str = ""
    #: Control values -> {control name: why it does nothing now}; such controls are disabled.
    inactive: Callable[..., dict[str, str]] | None = None
    #: ``render`` also takes ``figure=``: a figure it drew before, which it draws the new frame
    #: into (the same artists with new data, see :func:`kept`) instead of building a new one.
    redraws: bool = False
    #: Computes ahead, once, what every setting's frame needs (a live widget calls it when it
    #: is shown), so a change of a control never waits for it; frames are the same without it.
    warm: Callable[[], None] | None = None
    _by_name: dict = field(default_factory=dict, repr=False, compare=False)

    def control(self, name: str) -> Control:
        for c in self.controls:
            if c.name == name:
                return c
        raise ValueError(f"{self.name} has no control {name!r}; allowed: "
                         f"{', '.join(c.name for c in self.controls)}")

    def dead_controls(self, **values: Any) -> dict[str, str]:
        """The controls that do nothing at ``values`` (missing ones at their defaults), each with
        the reason, so a front end can disable them and say why."""
        if self.inactive is None:
            return {}
        return self.inactive(**{**self.defaults(), **values})

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.controls}

    def render_values(self, *, figure: Figure | None = None, **values: Any) -> Frame:
        """Check ``values`` (missing ones take their defaults) and render a frame.

        ``figure``, a figure from an earlier frame of this explorer, is drawn into again when the
        explorer :attr:`redraws` (a live widget keeps one figure; that is most of a redraw's
        time saved); otherwise it is ignored and a new figure is made.

        Raises ``ValueError`` naming the control and its allowed values when one is out of range.
        """
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise ValueError(f"{self.name} has no control {sorted(unknown)[0]!r}; allowed: "
                             f"{', '.join(c.name for c in self.controls)}")
        from mechlib import data

        checked = {c.name: c.check(values.get(c.name, c.default)) for c in self.controls}
        with data.held():  # one state of data/ for the whole frame, checked once
            if figure is not None and self.redraws:
                frame = self.render(**checked, figure=figure)
            else:
                frame = self.render(**checked)
        if hasattr(frame.figure, "set_label") and not frame.figure.get_label():
            frame.figure.set_label(self.name)  # its SVG ids are its own (plotsvg.id_salt)
        return frame

    def sweep(self) -> Iterator[dict[str, Any]]:
        """Each control at each of its extremes (min, max, default), the others at defaults."""
        yield self.defaults()
        for c in self.controls:
            for v in c.extremes():
                yield {**self.defaults(), c.name: v}


def register(explorer: Explorer) -> Explorer:
    """Add ``explorer`` to :data:`REGISTRY` (names must be unique) and return it."""
    if explorer.name in REGISTRY:
        raise ValueError(f"an explorer called {explorer.name!r} is already registered")
    REGISTRY[explorer.name] = explorer
    return explorer


def get(name: str) -> Explorer:
    """The registered explorer ``name``; ``ValueError`` lists the allowed names."""
    if name not in REGISTRY:
        raise ValueError(f"unknown explorer {name!r}; allowed: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]


def readout(name: str, **values: Any) -> str:
    """The text readout of explorer ``name`` at ``values`` (defaults for the rest).

    Lessons print this under each explorer so that the numbers appear as checked text.
    """
    frame = get(name).render_values(**values)
    if frame.figure is not None:
        close_figure(frame.figure)
    return frame.readout


def table(name: str, **values: Any):
    """The readout of explorer ``name`` at ``values`` as a short table (text readout as fallback).

    A lesson shows this under an explorer only where a number must be checked by nbval: the
    table's ``text/plain`` is the readout text.

    Examples
    --------
    >>> from mechlib import explorers  # registers the lessons' explorers
    >>> t = explorers.table("mg_block", voltage_mV=-20.0)
    >>> t.text == explorers.readout("mg_block", voltage_mV=-20.0)
    True
    >>> t.title
    'Mg2+ block of the NMDA receptor: Membrane voltage -20 mV'
    """
    from mechlib.teaching.tables import readout_table

    explorer = get(name)
    title = explorer.title + (": " + settings_text(explorer, values) if values else ", starting values")
    return readout_table(readout(name, **values), title)


def settings_text(explorer: Explorer, values: dict[str, Any]) -> str:
    """Control values in words, as a caption: ``'Membrane voltage -20 mV'``.

    Examples
    --------
    >>> from mechlib import explorers  # registers the lessons' explorers
    >>> settings_text(explorers.get("mg_block"), {"voltage_mV": -20.0, "mg_mM": 0.0})
    'Membrane voltage -20 mV; Extracellular Mg2+ 0 mM'
    """
    parts = []
    for key, value in values.items():
        control = explorer.control(key)
        shown = dict((v, k) for k, v in getattr(control, "options", ())).get(value, value)
        if isinstance(shown, float):
            shown = f"{shown:g}"
        unit = getattr(control, "unit", "")
        parts.append(f"{control.label} {shown}" + (f" {unit}" if unit else ""))
    return "; ".join(parts)


def compare(name: str, settings: dict[str, dict[str, Any]]):
    """The readouts of explorer ``name`` at several settings, side by side in one table.

    Parameters
    ----------
    name : str
        An explorer name.
    settings : dict
        Column name to the control values of that column, e.g.
        ``{"Dose held": {"mode": "hold"}, "Dose delayed 4 h": {"mode": "delay", "delay_h": 4.0}}``.

    Examples
    --------
    >>> from mechlib import explorers  # registers the lessons' explorers
    >>> t = explorers.compare("mg_block", {"-70 mV": {}, "-20 mV": {"voltage_mV": -20.0}})
    >>> t.text.splitlines()[0]
    '-70 mV:'
    """
    from mechlib.teaching.tables import comparison_table

    return comparison_table({col: readout(name, **vals) for col, vals in settings.items()},
                            get(name).title)


def kept(figure: Figure | None, build: Callable[[], tuple[Figure, Any]]) -> tuple[Figure, Any]:
    """``(figure, artists)`` to draw a frame into: ``figure`` again if ``build`` made it, else new.

    ``build()`` makes a figure with every artist a frame can show (lines without data, axes
    labels, fixed limits) and returns it with those artists; the render function then sets
    every artist's data, text and visibility, on a new figure and on a kept one alike. Keeping
    the figure keeps its axes, ticks and measured texts: a redraw costs about half a new figure.
    A test draws each such explorer into a figure used for other values and compares the SVG
    with a fresh one, byte for byte.

    Examples
    --------
    >>> def build():
    ...     fig, ax = style.axes()
    ...     return fig, ax.plot([], [])[0]
    >>> fig, line = kept(None, build)
    >>> kept(fig, build) == (fig, line)
    True
    >>> kept(fig, lambda: build())[0] is fig  # drawn by another build: a new figure
    False
    """
    if figure is not None and getattr(figure, "mechlib_build", None) is build:
        return figure, figure.mechlib_artists
    figure, artists = build()
    figure.mechlib_build, figure.mechlib_artists = build, artists
    return figure, artists


def close_figure(fig: Figure | Any) -> None:
    """Release a figure made with the object API (it holds no pyplot state); a diagram holds
    nothing to release."""
    if isinstance(fig, Figure):
        fig.clear()


# --------------------------------------------------------------------------- shared by the explorers
# Small helpers the topic modules share. Imports of the data and the models are local to each
# function, so importing an explorer module stays cheap.

BOTH_DRUGS = ("lamotrigine", "ketamine")


def param(drug: str, name: str):
    """The parameter ``name`` of ``drug`` in the data (value, range, reference)."""
    from mechlib import data

    return data.load().drug(drug).param(name)


def physiology(name: str):
    """The physiological parameter ``name`` in the data."""
    from mechlib import data

    return data.load().physiology_param(name)


def citation(key: str) -> str:
    """The short citation of reference ``key``."""
    from mechlib import data

    return data.load().reference(key).citation


def node_label(node: str) -> str:
    """The label of diagram node ``node``."""
    from mechlib import data

    return data.load().node(node).label


def choice_label(options: tuple[tuple[str, Any], ...], value: Any) -> str:
    """The label a :class:`Choice` shows for ``value``."""
    return next(label for label, v in options if v == value)


def n_hypothesis_edges(g: Any) -> int:
    """How many edges of diagram ``g`` are hypotheses."""
    return sum(1 for *_, s in g.edges(data="status") if s == "hypothesis")


def n_paths(effect: Any) -> str:
    """'1 path' or 'n paths': how many paths carry ``effect``."""
    n = len(effect.paths)
    return f"{n} path{'s' if n != 1 else ''}"


def path_lines(effect: Any) -> list[str]:
    """One numbered line per path sentence (citations are inside the sentence)."""
    if not effect.paths:
        return ["  (no path reaches this node)"]
    return [f"  {i}. {p.sentence}" for i, p in enumerate(effect.paths, 1)]


def verdict_lines(view: str, drugs: tuple[str, ...], node: str,
                   include_hypotheses: bool) -> list[str]:
    """Each drug's verdict on ``node`` with its paths; with two or more drugs, the interaction
    of each pair first (one pair: the same wording as before there were three drugs)."""
    from mechlib.mechanism import reasoning

    if len(drugs) > 2:
        return _pairwise_verdict_lines(view, drugs, node, include_hypotheses)
    if len(drugs) == 1:
        e = reasoning.effect(drugs[0], node, view=view, include_hypotheses=include_hypotheses)
        return [f"{drugs[0].capitalize()} on {e.label}: {reasoning.explain(e.verdict)}; "
                f"{n_paths(e)}", *path_lines(e), *(["Note: " + e.caveat] if e.caveat else []),
                "Note: " + reasoning.NOTE]
    inter = reasoning.interaction(drugs[0], drugs[1], node, view=view,
                                  include_hypotheses=include_hypotheses)
    label = inter.effects[drugs[0]].label
    meeting = [label if n == node else node_label(n) for n in inter.meeting]
    lines = [f"Interaction verdict on {label}: {reasoning.explain(inter.verdict, True)}",
             "Paths meet at: " + (", ".join(meeting) or "only the node itself")]
    for d in drugs:
        e = inter.effects[d]
        lines.append(f"{d.capitalize()} alone on {e.label}: {reasoning.explain(e.verdict)}; "
                     f"{n_paths(e)}")
        lines += path_lines(e)
    return lines + ["Note: " + inter.note]


def _pairwise_verdict_lines(view: str, drugs: tuple[str, ...], node: str,
                            include_hypotheses: bool) -> list[str]:
    from itertools import combinations

    from mechlib.mechanism import reasoning

    lines, effects, note = [], {}, reasoning.NOTE
    for a, b in combinations(drugs, 2):
        inter = reasoning.interaction(a, b, node, view=view, include_hypotheses=include_hypotheses)
        label = inter.effects[a].label
        meeting = [label if n == node else node_label(n) for n in inter.meeting]
        lines += [f"Interaction verdict on {label}, {a.capitalize()} with {b.capitalize()}: "
                  f"{inter.verdict}",
                  "  Paths meet at: " + (", ".join(meeting) or "only the node itself")]
        effects.update(inter.effects)
        note = inter.note
    for d in drugs:
        e = effects[d]
        lines.append(f"{d.capitalize()} alone on {e.label}: {e.verdict} ({n_paths(e)})")
        lines += path_lines(e)
    return lines + ["Note: " + note]


def band(ax: Any, lo: float, hi: float, label: str, facecolor: str = "#E6E6E6",
          edgecolor: str = "#7A7A7A", hatch: str = "//") -> None:
    """A hatched horizontal band from ``lo`` to ``hi`` (a reference range)."""
    ax.axhspan(lo, hi, facecolor=facecolor, edgecolor=edgecolor, hatch=hatch, lw=0.8, label=label)


def mark(ax: Any, x: float, y: float, label: str, marker: str = "o") -> Any:
    """One ink marker at (``x``, ``y``): the point the controls chose (the line is returned)."""
    return ax.plot([x], [y], marker=marker, ms=9, color=style.INK, ls="none", label=label)[0]


def show_line(line: Any, x: Any, y: Any, label: str | None = None) -> None:
    """Give a kept line new data and legend label; with ``label=None`` (or no data) hide it and
    leave it out of the legend."""
    line.set_data(x, y)
    shown = label is not None
    line.set_visible(shown)
    line.set_label(label if shown else "_hidden")


