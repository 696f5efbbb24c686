"""Lessons 04 and 05's explorers: reasoning with and without the hypothesis edges, and the
glutamate-surge model.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib import style
from mechlib.explorers.base import (
    BOTH_DRUGS,
    Choice,
    Explorer,
    Frame,
    Slider,
    Toggle,
    kept,
    physiology,
    register,
    show_line,
    verdict_lines,
)

# --- lesson 04: reasoning with and without the hypothesis edges ---

_REASONING_NODES = (("Antidepressant effect", "antidepressant_effect"),
                    ("Glutamate surge", "glutamate_surge"), ("Dissociation", "dissociation"),
                    ("Pro-inflammatory cytokines", "proinflammatory_cytokines"))


def _render_hypothesis_reasoning(include_hypotheses: bool, node: str) -> Frame:
    from mechlib.mechanism import draw

    fig = draw.diagram("combined", drugs=list(BOTH_DRUGS), include_hypotheses=include_hypotheses,
                       highlight=node)
    edges = "hypothesis edges included" if include_hypotheses else "established edges only"
    lines = [f"Combined view, both drugs on, {edges}.",
             *verdict_lines("combined", BOTH_DRUGS, node, include_hypotheses)]
    description = (f"Diagram of the combined view with lamotrigine and ketamine switched on, "
                   f"{edges}; the node {node.replace('_', ' ')} is outlined and the paths to it "
                   f"drawn thicker. " + draw.alt_text("combined", list(BOTH_DRUGS),
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


def _surge_figure():
    """The two panels without data: the surge bars and the plasticity curve with its points."""
    ink, small = style.INK, style.FONT_SIZE - 1
    fig = style.figure((10, 4.2))
    ax1, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.6]})
    bars = ax1.bar([0, 1], [0, 0], color=[style.BLUE, style.VERMILLION], edgecolor=ink,
                   width=0.6)
    bars[1].set_hatch("//")
    ax1.axhline(1.0, color=ink, linestyle=":", linewidth=1.2)
    ax1.text(1.36, 1.0, "baseline", fontsize=small, color=ink, va="center", ha="left")
    heights = [ax1.text(x, 0, "", ha="center", va="bottom", fontsize=style.FONT_SIZE, color=ink)
               for x in (0, 1)]
    ax1.set_xticks([0, 1], ["ketamine alone", "ketamine +\nlamotrigine"])
    ax1.set_ylim(0, 3.6)
    ax1.set_xlim(-0.5, 1.85)
    ax1.set_ylabel("glutamate surge (× baseline release,\nrelative model units)",
                   fontsize=style.FONT_SIZE)
    style.title(ax1, "Glutamate surge")
    curve = ax2.plot([], [], color=ink, linewidth=1.8)[0]
    alone = ax2.plot([], [], "o", markersize=11, color=style.BLUE, markeredgecolor=ink)[0]
    both = ax2.plot([], [], "s", markersize=11, color=style.VERMILLION, markeredgecolor=ink)[0]
    arrow = ax2.annotate("", xy=(1, 0), xytext=(1, 0),
                         arrowprops={"arrowstyle": "->", "color": ink, "linewidth": 1.2})
    ax2.set_xscale("log")
    ax2.set_xticks([0.5, 1, 2, 3, 4], ["0.5", "1", "2", "3", "4"])
    ax2.set_xticks([], minor=True)
    ax2.set_xlim(0.3, 4.0)
    ax2.set_ylim(0, 1.12)
    ax2.set_xlabel("glutamate surge (× baseline, log scale, model units)", fontsize=style.FONT_SIZE)
    ax2.set_ylabel("plasticity signal (relative, 0–1)", fontsize=style.FONT_SIZE)
    for ax in (ax1, ax2):
        style.style_axes(ax)
    fig.subplots_adjust(left=0.09, right=0.98, bottom=0.16, top=0.9, wspace=0.3)
    return fig, (ax1, ax2, bars, heights, curve, alone, both, arrow)


def _render_surge_model(ketamine_strength: float, lamotrigine_strength: float,
                        curve: str, figure=None) -> Frame:
    import numpy as np

    from mechlib.models import pd

    opt = physiology("plasticity_optimum_surge").value * _SURGE_FACTORS[curve]
    width = physiology("plasticity_width").value
    r = pd.glutamate_surge_model(ketamine_strength, lamotrigine_strength, optimum_surge=opt)

    fig, (ax1, ax2, bars, heights, curve, alone, both, arrow) = kept(figure, _surge_figure)
    surges = [r.surge_ketamine_alone, r.surge]
    for bar, height, v in zip(bars, heights, surges, strict=True):
        bar.set_height(v)
        height.set_y(v + 0.05)
        height.set_text(f"{v:.2f}×")
    s = np.geomspace(0.3, 4.0, 200)
    show_line(curve, s, np.exp(-np.log(s / opt) ** 2 / (2 * width ** 2)),
              "assumed plasticity curve")
    show_line(alone, [r.surge_ketamine_alone], [r.plasticity_ketamine_alone],
              "ketamine alone (circle)")
    show_line(both, [r.surge], [r.plasticity], "ketamine + lamotrigine (square)")
    arrow.xy = (r.surge, r.plasticity)
    arrow.set_position((r.surge_ketamine_alone, r.plasticity_ketamine_alone))
    style.title(ax2, f"Lamotrigine's net effect in this model: {r.net_effect_of_lamotrigine}")
    style.legend(ax2, fontsize=style.FONT_SIZE - 1, loc="upper left", frameon=False)

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
    redraws=True,
    question="Find settings where adding lamotrigine blunts the signal, and settings where it helps.",
    note="Illustrative model, not a validated prediction.",
))
