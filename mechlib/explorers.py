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
            raise ValueError(f"{self.name} must be a number from {_fmt(self.min)} to "
                             f"{_fmt(self.max)} {self.unit}; got {value!r}")
        if not self.min <= value <= self.max:
            raise ValueError(f"{self.name} = {_fmt(value)} is outside the allowed range "
                             f"{_fmt(self.min)} to {_fmt(self.max)} {self.unit}")
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


def _fmt(x: float) -> str:
    return f"{x:g}"


# --------------------------------------------------------------------------- frames


@dataclass(frozen=True)
class Frame:
    """What an explorer shows for one set of control values.

    ``readout`` repeats every number or verdict the figure shows, as text (for screen readers
    and for nbval); ``description`` says what the figure shows, for its alt text.
    """

    figure: Figure | None
    readout: str
    description: str

    def png(self, dpi: int = 100) -> bytes:
        """The figure as PNG bytes (empty when there is no figure)."""
        if self.figure is None:
            return b""
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=dpi, facecolor="white")
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
    _by_name: dict = field(default_factory=dict, repr=False, compare=False)

    def control(self, name: str) -> Control:
        for c in self.controls:
            if c.name == name:
                return c
        raise ValueError(f"{self.name} has no control {name!r}; allowed: "
                         f"{', '.join(c.name for c in self.controls)}")

    def defaults(self) -> dict[str, Any]:
        return {c.name: c.default for c in self.controls}

    def render_values(self, **values: Any) -> Frame:
        """Check ``values`` (missing ones take their defaults) and render a frame.

        Raises ``ValueError`` naming the control and its allowed values when one is out of range.
        """
        unknown = set(values) - {c.name for c in self.controls}
        if unknown:
            raise ValueError(f"{self.name} has no control {sorted(unknown)[0]!r}; allowed: "
                             f"{', '.join(c.name for c in self.controls)}")
        checked = {c.name: c.check(values.get(c.name, c.default)) for c in self.controls}
        return self.render(**checked)

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
        _close(frame.figure)
    return frame.readout


def _close(fig: Figure) -> None:
    """Release a figure made with the object API (it holds no pyplot state)."""
    fig.clear()


# --------------------------------------------------------------------------- the explorers
# One section per lesson: pure render functions, each registered with an Explorer. Imports of
# the models are local to each function, so importing this module stays cheap.

_BOTH_DRUGS = ("lamotrigine", "ketamine")


def _param(drug: str, name: str):
    """The parameter ``name`` of ``drug`` in the data (value, range, reference)."""
    from mechlib import data

    return data.load().drug(drug).param(name)


def _physiology(name: str):
    """The physiological parameter ``name`` in the data."""
    from mechlib import data

    return data.load().physiology_param(name)


def _citation(key: str) -> str:
    """The short citation of reference ``key``."""
    from mechlib import data

    return data.load().reference(key).citation


def _node_label(node: str) -> str:
    """The label of diagram node ``node``."""
    from mechlib import data

    return data.load().node(node).label


def _label(options: tuple[tuple[str, Any], ...], value: Any) -> str:
    """The label a :class:`Choice` shows for ``value``."""
    return next(label for label, v in options if v == value)


def _n_hypothesis_edges(g: Any) -> int:
    """How many edges of diagram ``g`` are hypotheses."""
    return sum(1 for *_, s in g.edges(data="status") if s == "hypothesis")


def _n_paths(effect: Any) -> str:
    """'1 path' or 'n paths': how many paths carry ``effect``."""
    n = len(effect.paths)
    return f"{n} path{'s' if n != 1 else ''}"


def _path_lines(effect: Any) -> list[str]:
    """One numbered line per path sentence (citations are inside the sentence)."""
    if not effect.paths:
        return ["  (no path reaches this node)"]
    return [f"  {i}. {p.sentence}" for i, p in enumerate(effect.paths, 1)]


def _verdict_lines(view: str, drugs: tuple[str, ...], node: str,
                   include_hypotheses: bool) -> list[str]:
    """Each drug's verdict on ``node`` with its paths; with two drugs, their interaction first."""
    from mechlib import reasoning

    if len(drugs) == 1:
        e = reasoning.effect(drugs[0], node, view=view, include_hypotheses=include_hypotheses)
        return [f"{drugs[0].capitalize()} on {e.label}: {e.verdict} ({_n_paths(e)})",
                *_path_lines(e), "Note: " + reasoning.NOTE]
    inter = reasoning.interaction(drugs[0], drugs[1], node, view=view,
                                  include_hypotheses=include_hypotheses)
    label = inter.effects[drugs[0]].label
    meeting = [label if n == node else _node_label(n) for n in inter.meeting]
    lines = [f"Interaction verdict on {label}: {inter.verdict}",
             "Paths meet at: " + (", ".join(meeting) or "only the node itself")]
    for d in drugs:
        e = inter.effects[d]
        lines.append(f"{d.capitalize()} alone on {e.label}: {e.verdict} ({_n_paths(e)})")
        lines += _path_lines(e)
    return lines + ["Note: " + inter.note]


def _band(ax: Any, lo: float, hi: float, label: str, facecolor: str = "#E6E6E6",
          edgecolor: str = "#7A7A7A", hatch: str = "//") -> None:
    """A hatched horizontal band from ``lo`` to ``hi`` (a reference range)."""
    ax.axhspan(lo, hi, facecolor=facecolor, edgecolor=edgecolor, hatch=hatch, lw=0.8, label=label)


def _mark(ax: Any, x: float, y: float, label: str, marker: str = "o") -> None:
    """One ink marker at (``x``, ``y``): the point the controls chose."""
    ax.plot([x], [y], marker=marker, ms=9, color=style.INK, ls="none", label=label)


# --- lesson 01: the three base diagrams ---

_BASE_VIEWS = (("Sodium channel (lamotrigine's target)", "sodium_channel"),
               ("Glutamate synapse", "glutamate_synapse"),
               ("NMDA receptor (ketamine's target)", "nmda_receptor"))
_EDGE_VERBS = {"stimulates": "stimulates", "inhibits": "inhibits", "necessary": "is necessary for",
               "unknown": "has an unknown effect on"}


def _drugs_in_view(view: str) -> tuple[str, ...]:
    from mechlib import graph

    return tuple(n for n, k in graph.view(view).nodes(data="kind") if k == "drug")


def render_base_diagram(view: str, show_drugs: bool) -> Frame:
    """One of the three base diagrams, optionally with the drugs in it switched on.

    Examples
    --------
    >>> f = render_base_diagram("nmda_receptor", False)
    >>> f.readout.splitlines()[0]
    'The NMDA receptor: 8 nodes, 8 edges (0 hypothesis edges).'
    >>> _close(f.figure)
    """
    from mechlib import draw, graph, reasoning

    g = graph.view(view)
    drugs = _drugs_in_view(view) if show_drugs else ()
    fig = draw.diagram(view, drugs=drugs)
    lines = [f"{g.graph['title']}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
             f"({_n_hypothesis_edges(g)} hypothesis edges).", "Links (source, effect, target):"]
    for u, v, d in g.edges(data=True):
        lines.append(f"- {g.nodes[u]['label']} {_EDGE_VERBS[d['kind']]} {g.nodes[v]['label']} "
                     f"({d['mechanism']}).")
    if drugs:
        lines.append(f"With {' + '.join(drugs)} switched on, each node's verdict:")
        for e in reasoning.effects(drugs, g).values():
            lines.append(f"- {e.label}: {e.verdict}")
    else:
        lines.append("No drug switched on: the diagram shows the links only.")
    return Frame(fig, "\n".join(lines), draw.describe(view, drugs=drugs))


register(Explorer(
    name="base_diagram",
    title="The three base diagrams",
    controls=(
        Choice("view", "Diagram", _BASE_VIEWS, "sodium_channel"),
        Toggle("show_drugs", "Switch on the drugs in this diagram", False),
    ),
    render=render_base_diagram,
    question="Follow the arrows: what has to happen before glutamate is released?",
    note="Arrowhead = stimulates, T-bar = inhibits, bar + open arrowhead = is necessary for. "
         "The readout lists every link in words.",
))


# --- lesson 01: the Mg2+ block of the NMDA receptor ---


def render_mg_block(voltage_mV: float, mg_mM: float) -> Frame:
    """Fraction of NMDA-receptor conductance not blocked by Mg2+, against membrane voltage.

    Examples
    --------
    >>> f = render_mg_block(-70.0, 1.0)
    >>> f.readout.splitlines()[0]
    'At -70 mV with 1.0 mM Mg2+: 0.04 of the NMDA conductance is unblocked (4 %).'
    >>> _close(f.figure)
    """
    import numpy as np

    from mechlib import pd

    mg_phys = _physiology("extracellular_mg").value
    k_mM, slope = _physiology("mg_block_k").value, _physiology("mg_block_slope").value
    v = np.linspace(-100, 40, 281)
    here = float(pd.mg_block_fraction_open(voltage_mV, mg_mM))
    fig, ax = style.axes()
    ax.plot(v, pd.mg_block_fraction_open(v, mg_mM), color=style.BLUE, lw=2.2, ls="-",
            label=f"[Mg2+] = {mg_mM:.1f} mM (your choice)")
    if abs(mg_mM - mg_phys) > 1e-9:
        ax.plot(v, pd.mg_block_fraction_open(v, mg_phys), color=style.VERMILLION, lw=1.6,
                ls="--", label=f"[Mg2+] = {mg_phys:.1f} mM (physiological)")
    if mg_mM > 0:
        ax.plot(v, pd.mg_block_fraction_open(v, 0.0), color=style.BLUISH_GREEN, lw=1.6, ls=":",
                label="no Mg2+ (no block)")
    _mark(ax, voltage_mV, here, f"{voltage_mV:.0f} mV: {here:.2f} unblocked")
    ax.set_xlim(-100, 40)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("Membrane voltage (mV)")
    ax.set_ylabel("Fraction unblocked (0-1)")
    style.finish(fig, ax, "NMDA receptor: Mg2+ block against voltage", "upper left")
    lines = [f"At {voltage_mV:.0f} mV with {mg_mM:.1f} mM Mg2+: {here:.2f} of the NMDA "
             f"conductance is unblocked ({100 * here:.0f} %)."]
    if mg_mM > 0:
        v_half = math.log(mg_mM / k_mM) / slope
        lines.append(f"Half the channels are unblocked at {v_half:.0f} mV with this Mg2+ level.")
        at_phys = float(pd.mg_block_fraction_open(voltage_mV, mg_phys))
        lines.append(f"At the physiological {mg_phys:.1f} mM: {at_phys:.2f} unblocked at "
                     f"{voltage_mV:.0f} mV.")
    else:
        lines.append("With no Mg2+ there is no block at any voltage (fraction unblocked 1.00).")
    lines.append(f"Equation: g(V) = 1 / (1 + [Mg2+]/{k_mM:g} mM x exp(-{slope:g}/mV x V)) "
                 f"({_citation('jahr1990')}).")
    desc = (f"Line graph of the fraction of NMDA-receptor conductance not blocked by Mg2+ "
            f"(0 to 1) against membrane voltage (-100 to +40 mV) at {mg_mM:.1f} mM Mg2+. The "
            f"curve rises from near 0 at negative voltages towards 1 at positive voltages; a "
            f"marker shows {here:.2f} at {voltage_mV:.0f} mV.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="mg_block",
    title="Mg2+ block of the NMDA receptor",
    controls=(
        Slider("voltage_mV", "Membrane voltage", -100.0, 40.0, 1.0,
               _physiology("resting_potential").value, "mV"),
        Slider("mg_mM", "Extracellular Mg2+", 0.0, 2.0, 0.1,
               _physiology("extracellular_mg").value, "mM"),
    ),
    render=render_mg_block,
    question="How far must the membrane depolarise before half the NMDA channels conduct?",
    note="Jahr & Stevens (1990) equation with constants as widely used (secondary source); "
         "the default voltage is a typical resting potential (an assumption).",
))


# --- lesson 02: use-dependent sodium-channel block ---


def lamotrigine_free_uM(total_mg_per_L: float) -> float:
    """Unbound lamotrigine in µM for a total plasma level in mg/L (protein binding and MW from data).

    free µM = total mg/L x (1 - protein binding) x 1000 / MW. A first approximation to the
    concentration near the channel.

    Examples
    --------
    >>> round(lamotrigine_free_uM(2.5), 1), round(lamotrigine_free_uM(15.0), 1)
    (4.4, 26.4)
    """
    bound = _param("lamotrigine", "protein_binding").value
    mw = _param("lamotrigine", "molecular_weight").value
    return total_mg_per_L * (1 - bound) * 1000.0 / mw


def _lamotrigine_range() -> tuple[float, float]:
    """Lamotrigine's plasma reference range in mg/L."""
    return (_param("lamotrigine", "reference_range_low").value,
            _param("lamotrigine", "reference_range_high").value)


def _default_free_uM() -> float:
    lo, hi = _lamotrigine_range()
    return round(lamotrigine_free_uM((lo + hi) / 2) * 2) / 2  # nearest 0.5 µM


def _sodium_block_note() -> str:
    lo, hi = _lamotrigine_range()
    kd_i = _param("lamotrigine", "nav_kd_inactivated").value
    kd_r = _param("lamotrigine", "nav_kd_resting").value
    unbound = 1 - _param("lamotrigine", "protein_binding").value
    mw = _param("lamotrigine", "molecular_weight").value
    return (f"Teaching model with assumed affinities (data confidence: assumption): inactivated "
            f"channels bind lamotrigine {kd_r / kd_i:g} times more tightly than resting ones (the "
            f"direction is from Kuo 1998; the numbers are orders of magnitude). Default "
            f"concentration: the middle of the plasma reference range ({(lo + hi) / 2:g} mg/L, "
            f"Patsalos 2008) x unbound fraction {unbound:.2f} / MW {mw:g} g/mol = "
            f"{lamotrigine_free_uM((lo + hi) / 2):.1f} µM free, rounded to "
            f"{_default_free_uM():g} µM.")


def render_sodium_block(firing_hz: float, lamotrigine_uM: float) -> Frame:
    """Fraction of sodium channels blocked against firing rate (teaching state model).

    Examples
    --------
    >>> f = render_sodium_block(50.0, 15.5)
    >>> f.readout.splitlines()[0]
    'At 50 Hz with 15.5 µM free lamotrigine: 0.34 of sodium channels blocked (teaching model).'
    >>> _close(f.figure)
    """
    import numpy as np

    from mechlib import pd

    lo, hi = _lamotrigine_range()
    c_lo, c_hi = lamotrigine_free_uM(lo), lamotrigine_free_uM(hi)
    f = np.linspace(1, 100, 199)
    here = pd.sodium_block(firing_hz, lamotrigine_uM)
    slow = float(pd.sodium_block(1.0, lamotrigine_uM).fraction_blocked)
    b = float(here.fraction_blocked)
    fig, ax = style.axes()
    ax.plot(f, pd.sodium_block(f, lamotrigine_uM).fraction_blocked, color=style.BLUE,
            lw=2.2, ls="-", label=f"{lamotrigine_uM:.1f} µM (your choice)")
    ax.plot(f, pd.sodium_block(f, c_hi).fraction_blocked, color=style.VERMILLION, lw=1.6,
            ls="--", label=f"{c_hi:.1f} µM (free, top of reference range)")
    ax.plot(f, pd.sodium_block(f, c_lo).fraction_blocked, color=style.BLUISH_GREEN, lw=1.6,
            ls=":", label=f"{c_lo:.1f} µM (free, bottom of reference range)")
    _mark(ax, firing_hz, b, f"{firing_hz:.0f} Hz: {b:.2f} blocked")
    ax.set_xlim(0, 100)
    ax.set_ylim(0, max(0.2, 1.15 * float(pd.sodium_block(100.0, max(lamotrigine_uM, c_hi))
                                         .fraction_blocked)))
    ax.set_xlabel("Firing rate (action potentials per second, Hz)")
    ax.set_ylabel("Fraction of Na+ channels blocked")
    style.finish(fig, ax, "Use-dependent Na+ channel block by lamotrigine (teaching model)",
                 "upper left")
    b_lo = float(pd.sodium_block(firing_hz, c_lo).fraction_blocked)
    b_hi = float(pd.sodium_block(firing_hz, c_hi).fraction_blocked)
    ratio = f"{b / slow:.1f} times the block at 1 Hz" if slow > 0 else "no block at any rate"
    lines = [
        f"At {firing_hz:.0f} Hz with {lamotrigine_uM:.1f} µM free lamotrigine: {b:.2f} of "
        f"sodium channels blocked (teaching model).",
        f"At 1 Hz with the same concentration: {slow:.2f} blocked; so {ratio}.",
        f"Time spent inactivated at {firing_hz:.0f} Hz: {float(here.fraction_inactivated):.2f}; "
        f"apparent Kd {float(here.apparent_kd_uM):.0f} µM.",
        f"Reference-range curves at {firing_hz:.0f} Hz: {c_lo:.1f} µM -> {b_lo:.2f} blocked; "
        f"{c_hi:.1f} µM -> {b_hi:.2f} blocked.",
        f"Free concentrations = total {lo:g}-{hi:g} mg/L x unbound fraction "
        f"{1 - _param('lamotrigine', 'protein_binding').value:.2f} / MW "
        f"{_param('lamotrigine', 'molecular_weight').value:g} g/mol.",
    ]
    desc = (f"Line graph of the fraction of sodium channels blocked (y) against firing rate from "
            f"1 to 100 Hz (x) for {lamotrigine_uM:.1f} µM lamotrigine and for the free "
            f"concentrations at the bottom ({c_lo:.1f} µM) and top ({c_hi:.1f} µM) of the "
            f"reference range. Every curve rises with firing rate; a marker shows {b:.2f} "
            f"blocked at {firing_hz:.0f} Hz.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="sodium_block",
    title="Use-dependent sodium-channel block",
    controls=(
        Slider("firing_hz", "Firing rate", 1.0, 100.0, 1.0, 10.0, "Hz"),
        Slider("lamotrigine_uM", "Free lamotrigine", 0.0, 60.0, 0.5, _default_free_uM(), "µM"),
    ),
    render=render_sodium_block,
    question="Why does the same concentration block a fast-firing neuron more than a slow one?",
    note=_sodium_block_note(),
))


# --- lesson 02: lamotrigine levels with co-medication ---

_COMEDICATIONS = (("No interacting drug", "none"), ("Valproate", "valproate"),
                  ("Enzyme inducer (e.g. carbamazepine)", "inducer"))
_SCHEDULES = (("Label titration for this co-medication", "titration"),
              ("Fixed 200 mg/day from day 1 (comparison only)", "fixed"))
_HALF_LIVES = {"none": "half_life", "valproate": "half_life_with_valproate",
               "inducer": "half_life_with_inducers"}


def render_lamotrigine_pk(comedication: str, schedule: str, days: int) -> Frame:
    """Lamotrigine plasma level over ``days`` days for a titration or a fixed dose.

    Examples
    --------
    >>> f = render_lamotrigine_pk("none", "titration", 56)
    >>> f.readout.splitlines()[0]
    'Half-life used: 25.4 h (range 11.6-61.6 h; Lamictal label 2021).'
    >>> _close(f.figure)
    """
    import numpy as np

    from mechlib import pk

    key = "standard" if comedication == "none" else comedication
    comed = None if comedication == "none" else comedication
    sched = (pk.titration_schedule(key, days) if schedule == "titration"
             else pk.regular_schedule(200, 24, days))
    t = np.arange(0, days * 24 + 0.5, 1.0)
    prof = pk.oral_profile(sched, t_h=t, comedication=comed)
    lo, hi = _lamotrigine_range()
    last_dose = sched[-1][1]
    css = pk.oral_profile(pk.regular_schedule(last_dose, 24, 2), comedication=comed).css_avg
    t90 = prof.time_to_fraction_of_steady_state(0.9) / 24
    in_range_d = prof.time_in_band(lo, hi) / 24
    hl = _param("lamotrigine", _HALF_LIVES[comedication])
    taken_with = _label(_COMEDICATIONS, comedication)
    fig, ax = style.axes()
    _band(ax, lo, hi, f"reference range {lo:g}-{hi:g} mg/L")
    if comed is not None:
        ref_sched = (pk.titration_schedule("standard", days) if schedule == "titration"
                     else sched)
        ref = pk.oral_profile(ref_sched, t_h=t)
        ax.plot(t / 24, ref.conc_mg_per_L, color=style.BLUISH_GREEN, lw=1.6, ls="--",
                label="no interacting drug, for comparison")
    ax.plot(t / 24, prof.conc_mg_per_L, color=style.BLUE, lw=2.0, ls="-",
            label=f"{taken_with} (t½ {prof.half_life_h:g} h)")
    ax.set_xlim(0, days)
    ax.set_ylim(0, max(hi * 1.1, prof.cmax * 1.1))
    ax.set_xlabel("Time since the first dose (days)")
    ax.set_ylabel("Plasma lamotrigine (mg/L)")
    sname = "label titration" if schedule == "titration" else "fixed 200 mg/day"
    style.finish(fig, ax, f"Lamotrigine, {sname}: teaching model", "upper left")
    trough = prof.trough
    lines = [
        f"Half-life used: {prof.half_life_h:g} h (range {hl.range[0]:g}-{hl.range[1]:g} h; "
        f"{_citation(hl.reference)})" + (" - an assumption, not read in the label."
                                         if hl.is_assumption else "."),
        f"Schedule: {sname}; {len(sched)} doses over {days} days; last dose {last_dose:g} mg.",
        f"Highest level (Cmax) over {days} days: {prof.cmax:.2f} mg/L.",
        "Trough in the last dosing interval: "
        + (f"{trough:.2f} mg/L." if trough is not None else "not defined (one dose)."),
        f"Average steady-state level the last dose ({last_dose:g} mg/day) would reach: "
        f"{css:.2f} mg/L; 90 % of steady state takes {t90:.1f} days at this half-life.",
        f"Time inside the reference range {lo:g}-{hi:g} mg/L: {in_range_d:.1f} of {days} days.",
        "What the model shows, for an average adult: not dosing advice.",
    ]
    desc = (f"Line graph of plasma lamotrigine (mg/L) over {days} days for the {sname} with "
            f"{taken_with.lower()}, with the reference range {lo:g}-{hi:g} mg/L as a "
            f"hatched band. The level peaks at {prof.cmax:.2f} mg/L and spends "
            f"{in_range_d:.1f} days in the band.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="lamotrigine_pk",
    title="Lamotrigine levels with co-medication",
    controls=(
        Choice("comedication", "Taken with", _COMEDICATIONS, "none"),
        Choice("schedule", "Schedule", _SCHEDULES, "titration"),
        Slider("days", "Days shown", 7, 84, 7, 56, "days", integer=True),
    ),
    render=render_lamotrigine_pk,
    question="How does valproate change the half-life, and what does that do to the level?",
    note="Teaching model for an average 70 kg adult (one compartment, label parameters; the "
         "inducer half-life and the steps after week 4 are assumptions in the data). It shows "
         "what the model does, not how to dose anyone.",
))


# --- lesson 03: ketamine by route and dose ---

_ROUTES = (("IV infusion over 40 min (racemic)", "iv"),
           ("Nasal spray (esketamine)", "intranasal"), ("Oral", "oral"))


def render_ketamine_pk(route: str, iv_mg_per_kg: float, dose_mg: float,
                       weight_kg: float) -> Frame:
    """Plasma ketamine (ng/mL) after one dose by ``route``, against the dissociation band.

    Examples
    --------
    >>> f = render_ketamine_pk("iv", 0.5, 56.0, 70.0)
    >>> f.readout.splitlines()[1]
    'Peak (Cmax): 183 ng/mL (0.77 µM) at 40 min after the start.'
    >>> _close(f.figure)
    """
    import numpy as np

    from mechlib import pk

    d_lo = _param("ketamine", "dissociation_band_low").value
    d_hi = _param("ketamine", "dissociation_band_high").value
    a_lo = _param("ketamine", "anaesthesia_band_low").value
    a_hi = _param("ketamine", "anaesthesia_band_high").value
    minutes = _param("ketamine", "depression_infusion_duration").value
    t = np.linspace(0, 8, 961)
    if route == "iv":
        prof = pk.ketamine_profile("iv", mg_per_kg=iv_mg_per_kg, infusion_min=minutes,
                                   weight_kg=weight_kg, t_h=t)
        f_used, total = 1.0, iv_mg_per_kg * weight_kg
        dose_text = (f"{iv_mg_per_kg:.2f} mg/kg x {weight_kg:.0f} kg = {total:.0f} mg IV over "
                     f"{minutes:.0f} min")
    else:
        prof = pk.ketamine_profile(route, dose_mg=dose_mg, weight_kg=weight_kg, t_h=t)
        f_used = _param("ketamine", f"{route}_bioavailability").value
        dose_text = f"{dose_mg:.0f} mg {'nasal spray' if route == 'intranasal' else 'by mouth'}"
    cmax, tmax_min = prof.cmax * 1000, prof.tmax_h * 60
    in_band = prof.time_in_band(d_lo, d_hi, unit="ng/mL") * 60
    above = prof.time_in_band(d_hi, 1e9, unit="ng/mL") * 60
    top = max(300.0, cmax * 1.15)
    fig, ax = style.axes()
    _band(ax, d_lo, d_hi, f"dissociation band {d_lo:g}-{d_hi:g} ng/mL")
    if top >= a_lo:
        top = max(top, a_hi * 1.05)
        _band(ax, a_lo, a_hi, f"anaesthesia band {a_lo:g}-{a_hi:g} ng/mL",
              facecolor="#F3E3D3", edgecolor="#9A6A3A", hatch="..")
    ax.plot(t, prof.conc_ng_per_mL, color=style.BLUE, lw=2.2, ls="-", label=dose_text)
    _mark(ax, prof.tmax_h, cmax, f"peak {cmax:.0f} ng/mL at {tmax_min:.0f} min", marker="v")
    ax.set_xlim(0, 8)
    ax.set_ylim(0, top)
    ax.set_xlabel("Time after the start of the dose (h)")
    ax.set_ylabel("Plasma ketamine (ng/mL)")
    style.finish(fig, ax, "Ketamine by route: teaching model", "upper right")
    mw = _param("ketamine", "molecular_weight").value
    observed = _param("ketamine", "depression_peak_concentration").value
    lines = [
        f"Dose: {dose_text}; bioavailability used {f_used:.2f}"
        + (" (IV: all of it reaches the blood)." if route == "iv" else
           f" ({_citation('zanos2018pr')})."),
        f"Peak (Cmax): {cmax:.0f} ng/mL ({cmax / mw:.2f} µM) at {tmax_min:.0f} min after the "
        f"start.",
        f"Time inside the dissociation band {d_lo:g}-{d_hi:g} ng/mL: {in_band:.0f} min; above it: "
        f"{above:.0f} min.",
        f"Anaesthesia band {a_lo:g}-{a_hi:g} ng/mL: "
        + ("reached." if cmax >= a_lo else "not reached" + (
            " (above this plot)." if top < a_lo else ".")),
        f"Terminal half-life of the model: {prof.half_life_h:.1f} h. For comparison, the observed "
        f"peak after 0.5 mg/kg over 40 min is about {observed:g} ng/mL "
        f"({_citation('zanos2018pr')}).",
        "Two-compartment teaching model (central volume and intercompartmental clearance are "
        "calibrated assumptions); not dosing advice.",
    ]
    desc = (f"Line graph of plasma ketamine (ng/mL) over 8 hours after {dose_text}, with the "
            f"dissociation band {d_lo:g}-{d_hi:g} ng/mL as a hatched band. The curve peaks at "
            f"{cmax:.0f} ng/mL after {tmax_min:.0f} min and falls over the next hours.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="ketamine_pk",
    title="Ketamine by route and dose",
    controls=(
        Choice("route", "Route", _ROUTES, "iv"),
        Slider("iv_mg_per_kg", "IV dose (IV route only)", 0.1, 2.0, 0.05,
               _param("ketamine", "depression_dose").value, "mg/kg"),
        Slider("dose_mg", "Nasal or oral dose (those routes only)", 14.0, 200.0, 14.0,
               _param("ketamine", "esketamine_dose_low").value, "mg"),
        Slider("weight_kg", "Body weight", 40.0, 120.0, 1.0, _physiology("body_weight").value,
               "kg"),
    ),
    render=render_ketamine_pk,
    question="Which route and dose keep the level inside the dissociation band, and for how long?",
    note="Two-compartment teaching model: clearance and total volume from the Kamp 2020 "
         "meta-analysis; the central volume and intercompartmental clearance are calibrated "
         "assumptions (see data/drugs.yaml). Esketamine uses the racemic disposition. "
         "Not dosing advice.",
))


# --- lesson 03: ketamine's disinhibition cascade ---

_CASCADE_KEY_NODES = ("nmda_receptor", "gaba_interneuron", "pyramidal_firing",
                      "glutamate_surge", "ampa_receptor", "bdnf", "mtorc1",
                      "synaptogenesis", "antidepressant_effect")


def render_ketamine_cascade(include_hypotheses: bool, drugs: tuple[str, ...]) -> Frame:
    """The disinhibition cascade, with hypothesis edges on or off and ketamine on or off.

    Examples
    --------
    >>> f = render_ketamine_cascade(True, ("ketamine",))
    >>> "Glutamate surge: increase" in f.readout
    True
    >>> _close(f.figure)
    """
    from mechlib import draw, graph, reasoning

    g = graph.view("ketamine_cascade", include_hypotheses)
    fig = draw.diagram("ketamine_cascade", drugs=drugs, include_hypotheses=include_hypotheses)
    shown = "all edges" if include_hypotheses else "established edges only"
    lines = [f"{g.graph['title']}: {g.number_of_edges()} edges shown ({shown}; "
             f"{_n_hypothesis_edges(g)} of them hypotheses)."]
    if drugs:
        fx = reasoning.effects(drugs, g)
        lines.append(f"Verdicts with {' + '.join(drugs)} switched on:")
        for n in _CASCADE_KEY_NODES:
            lines.append(f"- {fx[n].label}: {fx[n].verdict} ({_n_paths(fx[n])})")
        lines.append(reasoning.NOTE)
    else:
        lines.append("No drug switched on: switch ketamine on to see what it does to each node.")
    return Frame(fig, "\n".join(lines),
                 draw.describe("ketamine_cascade", drugs=drugs,
                               include_hypotheses=include_hypotheses))


register(Explorer(
    name="ketamine_cascade",
    title="Ketamine's disinhibition cascade (a hypothesis)",
    controls=(
        Toggle("include_hypotheses", "Include hypothesis edges (dashed)", True),
        MultiToggle("drugs", "Drugs", (("ketamine", "ketamine"),), ("ketamine",)),
    ),
    render=render_ketamine_cascade,
    question="Which verdicts survive when you keep only the established edges?",
    note="Sign reasoning over the diagram: directions only, not sizes. The disinhibition cascade "
         "is one hypothesis among several (Zanos & Gould 2018).",
))


# --- lesson 04: reasoning with and without the hypothesis edges ---

_REASONING_NODES = (("Antidepressant effect", "antidepressant_effect"),
                    ("Glutamate surge", "glutamate_surge"), ("Dissociation", "dissociation"),
                    ("Pro-inflammatory cytokines", "proinflammatory_cytokines"))


def _render_hypothesis_reasoning(include_hypotheses: bool, node: str) -> Frame:
    from mechlib import draw

    fig = draw.diagram("combined", drugs=list(_BOTH_DRUGS), include_hypotheses=include_hypotheses,
                       highlight=node)
    edges = "hypothesis edges included" if include_hypotheses else "established edges only"
    lines = [f"Combined view, both drugs on, {edges}.",
             *_verdict_lines("combined", _BOTH_DRUGS, node, include_hypotheses)]
    description = (f"Diagram of the combined view with lamotrigine and ketamine switched on, "
                   f"{edges}; the node {node.replace('_', ' ')} is outlined and the paths to it "
                   f"drawn thicker. " + draw.alt_text("combined", list(_BOTH_DRUGS),
                                                     include_hypotheses))
    return Frame(fig, "\n".join(lines), description)


register(Explorer(
    name="hypothesis_reasoning",
    title="Reasoning with and without the hypothesis edges",
    controls=(
        Toggle("include_hypotheses", "Include hypothesis edges (dashed)", True),
        Choice("node", "Node", _REASONING_NODES, "antidepressant_effect"),
    ),
    render=_render_hypothesis_reasoning,
    question="Which verdicts change when the hypothesis edges are switched off?",
    note="Verdicts give directions only: sign reasoning cannot tell additive from synergistic.",
))


# --- lesson 05: the glutamate-surge model ---

_SURGE_CURVES = (("assumed curve (data)", "assumed"), ("peak at a lower surge", "lower"),
                 ("peak at a higher surge", "higher"))
_SURGE_FACTORS = {"assumed": 1.0, "lower": 0.75, "higher": 1.5}


def _render_surge_model(ketamine_strength: float, lamotrigine_strength: float,
                        curve: str) -> Frame:
    import numpy as np

    from mechlib import pd

    opt = _physiology("plasticity_optimum_surge").value * _SURGE_FACTORS[curve]
    width = _physiology("plasticity_width").value
    r = pd.glutamate_surge_model(ketamine_strength, lamotrigine_strength, optimum_surge=opt)
    ink, small = style.INK, style.FONT_SIZE - 1

    fig = style.figure((10, 4.2))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    surges = [r.surge_ketamine_alone, r.surge]
    bars = ax1.bar([0, 1], surges, color=[style.BLUE, style.VERMILLION], edgecolor=ink,
                   width=0.6)
    bars[1].set_hatch("//")
    ax1.axhline(1.0, color=ink, linestyle=":", linewidth=1.2)
    ax1.text(1.36, 1.0, "baseline", fontsize=small, color=ink, va="center", ha="left")
    for x, v in zip([0, 1], surges, strict=True):
        ax1.text(x, v + 0.05, f"{v:.2f}×", ha="center", va="bottom", fontsize=style.FONT_SIZE,
                 color=ink)
    ax1.set_xticks([0, 1], ["ketamine alone", "ketamine +\nlamotrigine"])
    ax1.set_ylim(0, 3.6)
    ax1.set_xlim(-0.5, 1.85)
    ax1.set_ylabel("glutamate surge (× baseline release,\nrelative model units)",
                   fontsize=style.FONT_SIZE)
    style.title(ax1, "Glutamate surge")

    s = np.geomspace(0.3, 4.0, 200)
    ax2.plot(s, np.exp(-np.log(s / opt) ** 2 / (2 * width ** 2)), color=ink, linewidth=1.8,
             label="assumed plasticity curve")
    ax2.plot([r.surge_ketamine_alone], [r.plasticity_ketamine_alone], "o", markersize=11,
             color=style.BLUE, markeredgecolor=ink, label="ketamine alone (circle)")
    ax2.plot([r.surge], [r.plasticity], "s", markersize=11, color=style.VERMILLION,
             markeredgecolor=ink, label="ketamine + lamotrigine (square)")
    ax2.annotate("", xy=(r.surge, r.plasticity),
                 xytext=(r.surge_ketamine_alone, r.plasticity_ketamine_alone),
                 arrowprops={"arrowstyle": "->", "color": ink, "linewidth": 1.2})
    ax2.set_xscale("log")
    ax2.set_xticks([0.5, 1, 2, 3, 4], ["0.5", "1", "2", "3", "4"])
    ax2.set_xticks([], minor=True)
    ax2.set_xlim(0.3, 4.0)
    ax2.set_ylim(0, 1.12)
    ax2.set_xlabel("glutamate surge (× baseline, log scale, model units)", fontsize=style.FONT_SIZE)
    ax2.set_ylabel("plasticity signal (relative, 0–1)", fontsize=style.FONT_SIZE)
    style.title(ax2, f"Lamotrigine's net effect in this model: {r.net_effect_of_lamotrigine}")
    ax2.legend(fontsize=small, loc="upper left", frameon=False)
    for ax in (ax1, ax2):
        style.style_axes(ax)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)

    readout = "\n".join([
        f"Ketamine strength {ketamine_strength:.2f}, lamotrigine strength "
        f"{lamotrigine_strength:.2f} (relative, model units); plasticity curve peaks at a surge "
        f"of {opt:.2f}× baseline (width {width:.2f} ln-units).",
        f"Surge, ketamine alone: {r.surge_ketamine_alone:.2f}× baseline; plasticity signal "
        f"{r.plasticity_ketamine_alone:.2f}.",
        f"Surge, ketamine + lamotrigine: {r.surge:.2f}× baseline; plasticity signal "
        f"{r.plasticity:.2f}.",
        f"Net effect of lamotrigine in this model: {r.net_effect_of_lamotrigine} "
        f"(change {r.plasticity - r.plasticity_ketamine_alone:+.2f}).",
        "The answer turns on the relative strengths and on the assumed curve: move the sliders "
        "and it can flip.",
        r.note,
    ])
    description = (
        f"Left: bar chart of the glutamate surge, {r.surge_ketamine_alone:.2f} times baseline "
        f"with ketamine alone (plain bar) and {r.surge:.2f} with lamotrigine added (hatched bar). "
        f"Right: an inverted-U plasticity curve against surge on a log axis, peaking at "
        f"{opt:.2f}; a circle marks ketamine alone ({r.plasticity_ketamine_alone:.2f}) and a "
        f"square the combination ({r.plasticity:.2f}): {r.net_effect_of_lamotrigine}.")
    return Frame(fig, readout, description)


register(Explorer(
    name="surge_model",
    title="Glutamate-surge model: does lamotrigine blunt or help ketamine?",
    controls=(
        Slider("ketamine_strength", "Ketamine strength", 0.0, 1.0, 0.05, 0.5,
               "relative (model units)"),
        Slider("lamotrigine_strength", "Lamotrigine strength", 0.0, 1.0, 0.05, 0.5,
               "relative (model units)"),
        Choice("curve", "Assumed plasticity curve", _SURGE_CURVES, "assumed"),
    ),
    render=_render_surge_model,
    question="Find settings where adding lamotrigine blunts the signal, and settings where it helps.",
    note="Illustrative model, not a validated prediction.",
))


# --- lesson 06: the human studies ---

_POPULATIONS = (("all populations", "all"), ("animal", "animal"),
                ("healthy volunteers", "healthy-volunteers"), ("patients", "patients"))
_HYPOTHESES = (("all hypotheses", "all"), ("synergy", "synergy"), ("antagonism", "antagonism"),
               ("fewer side effects", "side_effect_attenuation"))


def _render_studies(population: str, hypothesis: str) -> Frame:
    from mechlib import data, evidence

    ds = data.load()
    hyp = None if hypothesis == "all" else hypothesis
    pop = None if population == "all" else population
    fig = evidence.evidence_map(hypothesis=hyp)
    found = evidence.select(population=pop, hypothesis=hyp)
    lines = [f"Filter: {_label(_POPULATIONS, population)}; {_label(_HYPOTHESES, hypothesis)}. "
             f"{len(found)} stud{'y' if len(found) == 1 else 'ies'} match."]
    for row in evidence.table(found):
        lines.append(f"- {row['Study']} | {row['Design']} | {row['Population']} | N {row['N']}")
        lines.append(f"    finding: {row['Main findings']}")
        for h in ds.hypotheses.values():
            if (hyp is None or h.id == hyp) and row[h.title] != "—":
                lines.append(f"    {h.title}: {row[h.title]}")
    if not found:
        lines.append("No study in the data matches this filter.")
    lines.append("")
    if hyp is None:
        for h in ds.hypotheses:
            first, second = evidence.summary(h).splitlines()[:2]
            lines += [first, "  " + second]
    else:
        lines.append(evidence.summary(hyp))
    lines.append("The map shows every population; the filter applies to the list above.")
    return Frame(fig, "\n".join(lines), evidence.describe_map(hyp))


register(Explorer(
    name="studies",
    title="The studies of lamotrigine with ketamine",
    controls=(
        Choice("population", "Population", _POPULATIONS, "all"),
        Choice("hypothesis", "Hypothesis", _HYPOTHESES, "all"),
    ),
    render=_render_studies,
    question="Which hypothesis has evidence from patients, and what does it say?",
))


# --- lesson 07: holding or delaying a lamotrigine dose ---

_HELD_DOSE_DAYS = 56  # eight weeks of the standard titration: 200 mg/day from week 6 (data)
_DOSE_CHANGES = (("hold (skip) the last dose", "hold"), ("delay the last dose", "delay"))


def _render_held_dose(mode: str, delay_h: float, infusion_after_dose_h: float) -> Frame:
    import numpy as np

    from mechlib import pk

    sched = pk.titration_schedule("standard", days=_HELD_DOSE_DAYS)
    last_t, last_dose = sched[-1]
    at = last_t + infusion_after_dose_h
    t = np.arange(last_t - 72.0, last_t + 24.0 + 1e-9, 0.25)
    if mode == "delay" and delay_h == 0:
        usual = changed = pk.oral_profile(sched, t_h=t)
        usual_at = changed_at = float(np.interp(at, usual.t_h, usual.conc_mg_per_L))
        what = "delay of 0 h: the usual schedule"
    else:
        comp = pk.held_dose_comparison(sched, -1, at_h=at, delay_h=None if mode == "hold"
                                       else delay_h, t_h=t)
        usual, changed, usual_at, changed_at = comp.usual, comp.changed, comp.usual_at, comp.changed_at
        what = "last dose held" if mode == "hold" else f"last dose delayed by {delay_h:g} h"
    rel = (changed_at - usual_at) / usual_at if usual_at else 0.0
    trough = float(np.interp(last_t, usual.t_h, usual.conc_mg_per_L))
    half = usual.half_life_h
    left_24 = 0.5 ** (24.0 / half)
    ink = style.INK

    fig = style.figure((9.5, 4.4))
    ax = fig.subplots()
    x = usual.t_h - last_t
    ax.plot(x, usual.conc_mg_per_L, color=style.BLUE, linewidth=2.2, label="usual schedule (solid)")
    ax.plot(x, changed.conc_mg_per_L, color=style.VERMILLION, linewidth=2.2, linestyle="--",
            label=f"{what} (dashed)")
    ax.axvline(infusion_after_dose_h, color=ink, linestyle=":", linewidth=1.5)
    ymax = float(max(usual.conc_mg_per_L.max(), changed.conc_mg_per_L.max())) * 1.18
    ax.text(infusion_after_dose_h + 0.8, ymax * 0.97, "infusion", fontsize=style.FONT_SIZE,
            color=ink, va="top")
    ax.plot([infusion_after_dose_h], [usual_at], "o", color=style.BLUE, markeredgecolor=ink,
            markersize=9)
    ax.plot([infusion_after_dose_h], [changed_at], "s", color=style.VERMILLION,
            markeredgecolor=ink, markersize=9)
    ax.set_ylim(0, ymax)
    ax.set_xlim(x[0], x[-1])
    ax.set_xticks(np.arange(-72, 25, 12))
    ax.set_xlabel("time from the usual dose time on the infusion day (h)", fontsize=style.FONT_SIZE)
    ax.set_ylabel("lamotrigine plasma concentration (mg/L)", fontsize=style.FONT_SIZE)
    style.title(ax, f"Lamotrigine {last_dose:g} mg/day: usual vs changed schedule "
                    f"(t½ {half:.1f} h)")
    ax.legend(fontsize=style.FONT_SIZE - 1, loc="lower left", frameon=True, facecolor="white")
    style.style_axes(ax)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.9)

    readout = "\n".join([
        f"Schedule: standard titration, {last_dose:g} mg once a day in week {_HELD_DOSE_DAYS // 7}; "
        f"{what}; infusion {infusion_after_dose_h:g} h after the usual dose time.",
        f"Concentration at the infusion, usual schedule: {usual_at:.2f} mg/L.",
        f"Concentration at the infusion, changed schedule: {changed_at:.2f} mg/L.",
        f"Relative change: {rel * 100:+.0f} %.",
        f"Usual trough (just before the usual dose time): {trough:.2f} mg/L; the changed level "
        f"at the infusion is {changed_at / trough * 100:.0f} % of it.",
        f"Half-life used: {half:.1f} h, so about {left_24 * 100:.0f} % of the level remains 24 h "
        f"later: skipping or delaying one dose does not clear lamotrigine.",
        "This shows pharmacokinetics of a teaching model for an average adult, not advice: "
        "decisions about doses belong to the prescriber.",
    ])
    description = (
        f"Line chart of lamotrigine concentration (mg/L) over the last three days and the "
        f"infusion day. The usual schedule is a solid line, the changed one ({what}) dashed; a "
        f"dotted vertical line marks the infusion {infusion_after_dose_h:g} h after the usual "
        f"dose time, where the usual level is {usual_at:.2f} mg/L (circle) and the changed "
        f"level {changed_at:.2f} mg/L (square), a change of {rel * 100:+.0f} %.")
    return Frame(fig, readout, description)


register(Explorer(
    name="held_dose",
    title="Holding or delaying the morning lamotrigine dose: what happens to the level?",
    controls=(
        Choice("mode", "Change to the last dose", _DOSE_CHANGES, "hold"),
        Slider("delay_h", "Delay (if delayed)", 0.0, 12.0, 0.5, 4.0, "h"),
        Slider("infusion_after_dose_h", "Infusion after the usual dose time", 0.0, 12.0, 0.5,
               3.0, "h"),
    ),
    render=_render_held_dose,
    question="How much lower is the level at the infusion when the dose is held?",
    note="Pharmacokinetics of a teaching model, not dosing advice.",
))


# --- lesson 08: the mechanism explorer ---


def _view_choices() -> tuple[tuple[str, str], ...]:
    from mechlib import data

    return tuple((v["title"], k) for k, v in data.load().views.items())


def _node_choices() -> tuple[tuple[str, str], ...]:
    """Every node but the drugs: those of the combined view first, then the others, marked."""
    from mechlib import data

    nodes = [n for n in data.load().nodes.values() if n.kind != "drug"]
    return (tuple((n.label, n.id) for n in nodes if "combined" in n.views)
            + tuple((f"{n.label} (not in combined view)", n.id) for n in nodes
                    if "combined" not in n.views))


def _render_mechanism_explorer(view: str, drugs: tuple[str, ...], established_only: bool,
                               node: str) -> Frame:
    from mechlib import draw, graph

    include = not established_only
    g = graph.view(view, include)
    in_view = tuple(d for d in drugs if d in g)
    fig = draw.diagram(view, drugs=list(in_view), include_hypotheses=include,
                       highlight=node if node in g else None)
    lines = [f"View: {g.graph['title']}"
             + (" (established edges only)" if established_only else " (hypothesis edges included)"),
             "Drugs switched on: " + (", ".join(d.capitalize() for d in in_view) or "none")]
    lines += [f"{d.capitalize()} is not in this view, so it is not switched on."
              for d in drugs if d not in g]
    if node not in g:
        lines.append(f"The node '{_node_label(node)}' is not in this view: choose another node "
                     f"or view.")
    elif not in_view:
        lines.append(f"Selected node: {g.nodes[node]['label']}. Switch a drug on to see verdicts.")
    else:
        lines += _verdict_lines(view, in_view, node, include)
    return Frame(fig, "\n".join(lines), draw.alt_text(view, list(in_view), include))


register(Explorer(
    name="mechanism_explorer",
    title="Mechanism explorer: any view, any drugs, verdicts with cited paths",
    controls=(
        Choice("view", "View", _view_choices(), "combined"),
        MultiToggle("drugs", "Drugs", (("Lamotrigine", "lamotrigine"), ("Ketamine", "ketamine")),
                    _BOTH_DRUGS),
        Toggle("established_only", "Established edges only", False),
        Choice("node", "Node", _node_choices(), "antidepressant_effect"),
    ),
    render=_render_mechanism_explorer,
    question="Pick a node: which paths lead to it from each drug, and on what evidence?",
    note="Arrowheads stimulate, T-bars inhibit, dashed edges are hypotheses; verdicts are "
         "directions only (sign reasoning cannot tell additive from synergistic).",
))
