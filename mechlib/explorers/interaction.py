"""Lesson 04's interaction lab: dose-effect curves, the Loewe isobole, the interaction index, Bliss.

The student places a combination (a dose of each drug) and the effect that combination was
measured to give; the readout says what additivity predicts (Loewe and Bliss), the interaction
index and the verdict of each definition, and what the animal design the lesson discusses would
have had to measure. Every curve parameter is an assumption in ``data/interaction.yaml``.
"""

from __future__ import annotations

from mechlib import style
from mechlib.explorers.base import (
    Explorer,
    Frame,
    Slider,
    citation,
    kept,
    register,
    show_line,
)


def _lab():
    from mechlib import data
    from mechlib.models import interaction as ix

    inter = data.load().interaction
    d = inter.design
    return ix, inter, ix.curve(d["curve_a"]), ix.curve(d["curve_b"])


def _design_dose(which: str) -> float:
    return _lab()[1].design[which].value


def design_lines() -> list[str]:
    """What the one-dose-each animal design can and cannot show (the lesson's application)."""
    ix, inter, a, b = _lab()
    d = inter.design
    da, db = d["dose_a"].value, d["dose_b"].value
    e_add = ix.loewe_expected(a, b, da, db)
    return [
        f"The animal design ({citation(d['reference'])}): one dose of each, {a.name} "
        f"{da:g} {d['dose_a'].unit} and {b.name} {db:g} {d['dose_b'].unit}, alone and together.",
        f"With the assumed curves, additivity alone predicts {e_add:.2f} of the largest effect "
        f"for that pair, while each drug alone gives {a.effect(da):.2f} and {b.effect(db):.2f}: "
        "a combination that beats both single doses can still be merely additive.",
        "To show synergy the study would have had to measure: each drug's dose-effect curve "
        "alone (several doses, so that its ED50 is known with a confidence interval); the "
        "combination at several total doses in a fixed ratio; and then compare the "
        "combination's ED50 with the additive dose on the isobole (interaction index and its "
        f"confidence interval, {citation('tallarida2006')}). One dose of each cannot.",
    ]


def _isobologram_figure():
    """The two panels without data: curves alone, the isobole and its hatched side, the point."""
    fig = style.figure((10.0, 4.2))
    ax1, ax2 = fig.subplots(1, 2)
    alone_a = ax1.plot([], [], color=style.BLUE, lw=2.2, ls="-")[0]
    alone_b = ax1.plot([], [], color=style.VERMILLION, lw=2.2, ls="--")[0]
    measured = ax1.axhline(0, color=style.INK, ls=":", lw=1.2)
    ax1.set_ylim(0, 1)
    ax1.set_ylabel("Effect (fraction of the largest)")
    style.title(ax1, "Each drug alone (assumed curves)")
    isobole = ax2.plot([], [], color=style.INK, lw=2.0, ls="-")[0]
    below = ax2.fill_between([0, 1], 0, 0, facecolor="#E6E6E6", hatch="//", edgecolor="#7A7A7A",
                             lw=0)
    point = ax2.plot([], [], marker="D", ms=10, color=style.BLUISH_GREEN,
                     markeredgecolor=style.INK, ls="none")[0]
    style.title(ax2, "Isobologram")
    for ax in (ax1, ax2):
        style.style_axes(ax)
    fig.subplots_adjust(left=0.07, right=0.98, bottom=0.14, top=0.9, wspace=0.28)
    return fig, (ax1, ax2, alone_a, alone_b, measured, isobole, below, point)


def render_isobologram(ketamine_mg_per_kg: float, lamotrigine_mg_per_kg: float,
                       measured_effect: float, figure=None) -> Frame:
    """Dose-effect curves, the isobole through the measured effect, and both verdicts.

    Examples
    --------
    >>> f = render_isobologram(5.0, 5.0, 0.4)
    >>> f.readout.splitlines()[1]  # doctest: +ELLIPSIS
    'Loewe: interaction index 1.03 -> additivity ...'
    >>> f.figure.clear()
    """
    import math

    import numpy as np

    ix, inter, a, b = _lab()
    margin = inter.additivity_margin.value
    da, db, e = ketamine_mg_per_kg, lamotrigine_mg_per_kg, measured_effect
    index = ix.interaction_index(a, b, da, db, e)
    loewe_v = ix.verdict(index, margin)
    bliss = ix.bliss_expected(a, b, da, db)
    bliss_v = ix.verdict(bliss / e, margin)
    loewe_e = ix.loewe_expected(a, b, da, db) if da + db > 0 else 0.0
    unit = inter.design["dose_a"].unit

    fig, (ax1, ax2, alone_a, alone_b, measured, isobole, below, point) = kept(
        figure, _isobologram_figure)
    top = style.nice_top(max(3 * a.ed50, 3 * b.ed50, da * 1.2, db * 1.2))
    x = np.linspace(0, top, 300)
    show_line(alone_a, x, a.effect(x), f"{a.name} alone (solid)")
    show_line(alone_b, x, b.effect(x), f"{b.name} alone (dashed)")
    show_line(measured, [0, 1], [e, e], f"measured effect {e:.2f} (dotted)")
    ax1.set_xlim(0, top)
    ax1.set_xlabel(f"Dose of one drug alone ({unit})")
    style.legend(ax1, fontsize=style.FONT_SIZE - 2, loc="lower right", frameon=True, facecolor="white")
    ae, be = ix.dose_for_effect(a, e), ix.dose_for_effect(b, e)
    on_line = math.isfinite(ae) and math.isfinite(be)
    if on_line:
        ix_x, ix_y = ix.isobole(a, b, e)
        below.set_data(ix_x, 0, ix_y)
        xmax, ymax = style.nice_top(max(ae, da) * 1.15), style.nice_top(max(be, db) * 1.15)
    else:
        ix_x = ix_y = []  # no isobole: hidden
        xmax, ymax = style.nice_top(max(da, 1.0) * 1.5), style.nice_top(max(db, 1.0) * 1.5)
    show_line(isobole, ix_x, ix_y, f"Loewe additivity line for effect {e:.2f}" if on_line else None)
    below.set_visible(on_line)
    below.set_label("below the line: synergy (hatched)" if on_line else "_hidden")
    show_line(point, [da], [db], f"your combination: index {index:.2f} ({loewe_v})")
    ax2.set_xlim(0, xmax)
    ax2.set_ylim(0, ymax)
    ax2.set_xlabel(f"{a.name} dose in the combination ({unit})")
    ax2.set_ylabel(f"{b.name} dose in the combination ({unit})")
    style.legend(ax2, [h for h in (isobole, below, point) if h.get_visible()],
                 fontsize=style.FONT_SIZE - 2, loc="upper right", frameon=True, facecolor="white")

    dose_text = f"{a.name} {da:g} + {b.name} {db:g} {unit}"
    iso_text = (f"alone, {a.name} needs {ae:.1f} and {b.name} {be:.1f} {unit} for {e:.2f}"
                if math.isfinite(ae) and math.isfinite(be)
                else "one drug alone never reaches this effect, so only the other's dose counts")
    lines = [
        f"Your combination: {dose_text}, measured effect {e:.2f} of the largest.",
        f"Loewe: interaction index {index:.2f} -> {loewe_v} (index < {1 - margin:g} synergy, "
        f"> {1 + margin:g} antagonism; {iso_text}).",
        f"Loewe additivity predicts {loewe_e:.2f} for these doses."
        + (" With one dose at 0 this is not a combination: the index only compares the measured "
           "effect with the other drug's own curve." if min(da, db) == 0 else ""),
        f"Bliss independence predicts {bliss:.2f} ({a.effect(da):.2f} + {b.effect(db):.2f} - "
        f"product) -> {bliss_v}, judged by expected / measured = {bliss / e:.2f}.",
        ("The two definitions agree here." if loewe_v == bliss_v else
         f"The two definitions disagree here ({loewe_v} vs {bliss_v}): Bliss assumes the drugs act "
         "independently; Loewe treats one as a dilution of the other, so with Hill slopes other "
         "than 1 they give different expectations."),
        *design_lines(),
        "Curve parameters are assumptions (data/interaction.yaml), chosen for teaching; no study "
        "has measured these curves for this pair.",
    ]
    desc = (f"Two panels. Left: each drug's assumed dose-effect curve ({a.name} solid, {b.name} "
            f"dashed) with the measured effect {e:.2f} dotted. Right: an isobologram with the "
            f"Loewe additivity line for that effect and your combination ({dose_text}) as a "
            f"diamond; interaction index {index:.2f}, verdict {loewe_v}; Bliss verdict {bliss_v}.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="isobologram",
    title="Interaction lab: is this combination synergistic, additive or antagonistic?",
    controls=(
        Slider("ketamine_mg_per_kg", "Ketamine dose in the combination", 0.0, 30.0, 0.5,
               _design_dose("dose_a"), "mg/kg"),
        Slider("lamotrigine_mg_per_kg", "Lamotrigine dose in the combination", 0.0, 60.0, 0.5,
               _design_dose("dose_b"), "mg/kg"),
        Slider("measured_effect", "Effect the combination gave", 0.02, 0.98, 0.02, 0.4,
               "fraction of the largest effect"),
    ),
    render=render_isobologram,
    redraws=True,
    question="Place the combination and its measured effect: above, on or below the line?",
    note="Synergy is defined against an additive expectation (Loewe isobole, Tallarida 2006; "
         "Bliss independence, Bliss 1939). The curves are teaching assumptions.",
))
