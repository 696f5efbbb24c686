"""Lesson 01's explorers: the three base diagrams and the Mg²⁺ block of the NMDA receptor.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

import math

from mechlib import style
from mechlib.explorers.base import (
    Choice,
    Explorer,
    Frame,
    Slider,
    Toggle,
    citation,
    kept,
    mark,
    n_hypothesis_edges,
    physiology,
    register,
    show_line,
)

# --- lesson 01: the three base diagrams ---

_BASE_VIEWS = (("Sodium channel (lamotrigine's target)", "sodium_channel"),
               ("Glutamate synapse", "glutamate_synapse"),
               ("NMDA receptor (ketamine's target)", "nmda_receptor"))
_EDGE_VERBS = {"stimulates": "stimulates", "inhibits": "inhibits", "necessary": "is necessary for",
               "unknown": "has an unknown effect on"}


def _drugs_in_view(view: str) -> tuple[str, ...]:
    from mechlib.mechanism import graph

    return tuple(n for n, k in graph.view(view).nodes(data="kind") if k == "drug")


def render_base_diagram(view: str, show_drugs: bool) -> Frame:
    """One of the three base diagrams, optionally with the drugs in it switched on.

    Examples
    --------
    >>> f = render_base_diagram("nmda_receptor", False)
    >>> f.readout.splitlines()[0]
    'The NMDA receptor: 8 nodes, 8 edges (0 hypothesis edges).'
    """
    from mechlib.mechanism import draw, graph, reasoning

    g = graph.view(view)
    drugs = _drugs_in_view(view) if show_drugs else ()
    fig = draw.diagram(view, drugs=drugs)
    lines = [f"{g.graph['title']}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges "
             f"({n_hypothesis_edges(g)} hypothesis edges).", "Links (source, effect, target):"]
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


def _mg_block_figure():
    """The Mg2+-block plot without data: the chosen, physiological and no-Mg2+ curves and the
    chosen point."""
    fig, ax = style.axes()
    curves = tuple(ax.plot([], [], color=colour, lw=lw, ls=ls)[0] for colour, lw, ls in
                   ((style.BLUE, 2.2, "-"), (style.VERMILLION, 1.6, "--"),
                    (style.BLUISH_GREEN, 1.6, ":")))
    ax.set_xlim(-100, 40)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel("Membrane voltage (mV)")
    ax.set_ylabel("Fraction unblocked (0-1)")
    return fig, (ax, curves, mark(ax, 0, 0, ""))


def render_mg_block(voltage_mV: float, mg_mM: float, figure=None) -> Frame:
    """Fraction of NMDA-receptor conductance not blocked by Mg2+, against membrane voltage.

    Examples
    --------
    >>> f = render_mg_block(-70.0, 1.0)
    >>> f.readout.splitlines()[0]
    'At -70 mV with 1.0 mM Mg2+: 0.04 of the NMDA conductance is unblocked (4 %).'
    >>> f.figure.clear()  # release the figure
    """
    import numpy as np

    from mechlib.models import pd

    mg_phys = physiology("extracellular_mg").in_unit("mM")
    k_mM, slope = physiology("mg_block_k").in_unit("mM"), physiology("mg_block_slope").in_unit("1/mV")
    v = np.linspace(-100, 40, 281)
    here = float(pd.mg_block_fraction_open(voltage_mV, mg_mM))
    fig, (ax, (mine, phys, free), point) = kept(figure, _mg_block_figure)
    show_line(mine, v, pd.mg_block_fraction_open(v, mg_mM),
              f"[Mg2+] = {mg_mM:.1f} mM (your choice)")
    show_line(phys, v, pd.mg_block_fraction_open(v, mg_phys),
              f"[Mg2+] = {mg_phys:.1f} mM (physiological)" if abs(mg_mM - mg_phys) > 1e-9
              else None)
    show_line(free, v, pd.mg_block_fraction_open(v, 0.0),
              "no Mg2+ (no block)" if mg_mM > 0 else None)
    show_line(point, [voltage_mV], [here], f"{voltage_mV:.0f} mV: {here:.2f} unblocked")
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
                 f"({citation('jahr1990')}).")
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
               physiology("resting_potential").in_unit("mV"), "mV"),
        Slider("mg_mM", "Extracellular Mg2+", 0.0, 2.0, 0.1,
               physiology("extracellular_mg").in_unit("mM"), "mM"),
    ),
    render=render_mg_block,
    redraws=True,
    question="How far must the membrane depolarise before half the NMDA channels conduct?",
    note="Jahr & Stevens (1990) equation with constants as widely used (secondary source); "
         "the default voltage is a typical resting potential (an assumption).",
))
