"""Lesson 03's explorers: ketamine by route and dose, and its disinhibition cascade.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib import style
from mechlib.explorers.base import (
    Choice,
    Explorer,
    Frame,
    MultiToggle,
    Slider,
    Toggle,
    band,
    citation,
    kept,
    mark,
    n_hypothesis_edges,
    n_paths,
    param,
    physiology,
    register,
    show_line,
)

# --- lesson 03: ketamine by route and dose ---

_ROUTES = (("IV infusion over 40 min (racemic)", "iv"),
           ("Nasal spray (esketamine)", "intranasal"), ("Oral", "oral"))


def _ketamine_pk_figure():
    """The ketamine plot without data: the dissociation and anaesthesia bands (fixed by the
    data), the curve and its peak."""
    d_lo = param("ketamine", "dissociation_band_low").in_unit("ng/mL")
    d_hi = param("ketamine", "dissociation_band_high").in_unit("ng/mL")
    a_lo = param("ketamine", "anaesthesia_band_low").in_unit("ng/mL")
    a_hi = param("ketamine", "anaesthesia_band_high").in_unit("ng/mL")
    fig, ax = style.axes()
    band(ax, d_lo, d_hi, f"dissociation band {d_lo:g}-{d_hi:g} ng/mL")
    band(ax, a_lo, a_hi, f"anaesthesia band {a_lo:g}-{a_hi:g} ng/mL",
         facecolor="#F3E3D3", edgecolor="#9A6A3A", hatch="..")
    anaesthesia = ax.patches[-1]  # shown only when the plot reaches it
    curve = ax.plot([], [], color=style.BLUE, lw=2.2, ls="-")[0]
    peak = mark(ax, 0, 0, "", marker="v")
    ax.set_xlim(0, 8)
    ax.set_xlabel("Time after the start of the dose (h)")
    ax.set_ylabel("Plasma ketamine (ng/mL)")
    return fig, (ax, anaesthesia, curve, peak)


def render_ketamine_pk(route: str, iv_mg_per_kg: float, dose_mg: float,
                       weight_kg: float, figure=None) -> Frame:
    """Plasma ketamine (ng/mL) after one dose by ``route``, against the dissociation band.

    Examples
    --------
    >>> f = render_ketamine_pk("iv", 0.5, 56.0, 70.0)
    >>> f.readout.splitlines()[1]
    'Peak (Cmax): 183 ng/mL (0.77 µM) at 40 min after the start.'
    >>> f.figure.clear()  # release the figure
    """
    import numpy as np

    from mechlib.models import pk

    d_lo = param("ketamine", "dissociation_band_low").in_unit("ng/mL")
    d_hi = param("ketamine", "dissociation_band_high").in_unit("ng/mL")
    a_lo = param("ketamine", "anaesthesia_band_low").in_unit("ng/mL")
    a_hi = param("ketamine", "anaesthesia_band_high").in_unit("ng/mL")
    minutes = param("ketamine", "depression_infusion_duration").in_unit("min")
    t = np.linspace(0, 8, 961)
    if route == "iv":
        prof = pk.ketamine_profile("iv", mg_per_kg=iv_mg_per_kg, infusion_min=minutes,
                                   weight_kg=weight_kg, t_h=t)
        f_used, total = 1.0, iv_mg_per_kg * weight_kg
        dose_text = (f"{iv_mg_per_kg:.2f} mg/kg x {weight_kg:.0f} kg = {total:.0f} mg IV over "
                     f"{minutes:.0f} min")
    else:
        prof = pk.ketamine_profile(route, dose_mg=dose_mg, weight_kg=weight_kg, t_h=t)
        f_used = param("ketamine", f"{route}_bioavailability").value
        dose_text = f"{dose_mg:.0f} mg {'nasal spray' if route == 'intranasal' else 'by mouth'}"
    cmax, tmax_min = prof.cmax * 1000, prof.tmax_h * 60
    in_band = prof.time_in_band(d_lo, d_hi, unit="ng/mL") * 60
    above = prof.time_in_band(d_hi, 1e9, unit="ng/mL") * 60
    top = max(300.0, cmax * 1.15)
    fig, (ax, anaesthesia, curve, peak) = kept(figure, _ketamine_pk_figure)
    shows_anaesthesia = top >= a_lo
    if shows_anaesthesia:
        top = max(top, a_hi * 1.05)
    anaesthesia.set_visible(shows_anaesthesia)
    anaesthesia.set_label(f"anaesthesia band {a_lo:g}-{a_hi:g} ng/mL" if shows_anaesthesia
                          else "_hidden")  # hidden: out of the legend, as show_line does
    show_line(curve, t, prof.conc_ng_per_mL, dose_text)
    show_line(peak, [prof.tmax_h], [cmax], f"peak {cmax:.0f} ng/mL at {tmax_min:.0f} min")
    ax.set_ylim(0, style.nice_top(top))
    style.finish(fig, ax, "Ketamine by route: teaching model", "upper right")
    mw = param("ketamine", "molecular_weight").in_unit("g/mol")
    observed = param("ketamine", "depression_peak_concentration").in_unit("ng/mL")
    lines = [
        f"Dose: {dose_text}; bioavailability used {f_used:.2f}"
        + (" (IV: all of it reaches the blood)." if route == "iv" else
           f" ({citation('zanos2018pr')})."),
        f"Peak (Cmax): {cmax:.0f} ng/mL ({cmax / mw:.2f} µM) at {tmax_min:.0f} min after the "
        f"start.",
        f"Time inside the dissociation band {d_lo:g}-{d_hi:g} ng/mL: {in_band:.0f} min; above it: "
        f"{above:.0f} min.",
        f"Anaesthesia band {a_lo:g}-{a_hi:g} ng/mL: "
        + ("reached." if cmax >= a_lo else "not reached" + (
            " (above this plot)." if top < a_lo else ".")),
        f"Terminal half-life of the model: {prof.half_life_h:.1f} h. For comparison, the observed "
        f"peak after 0.5 mg/kg over 40 min is about {observed:g} ng/mL "
        f"({citation('zanos2018pr')}).",
        "Two-compartment teaching model (central volume and intercompartmental clearance are "
        "calibrated assumptions); not dosing advice.",
    ]
    desc = (f"Line graph of plasma ketamine (ng/mL) over 8 hours after {dose_text}, with the "
            f"dissociation band {d_lo:g}-{d_hi:g} ng/mL as a hatched band. The curve peaks at "
            f"{cmax:.0f} ng/mL after {tmax_min:.0f} min and falls over the next hours.")
    return Frame(fig, "\n".join(lines), desc)



def unused_dose(route: str, **_: object) -> dict[str, str]:
    """The dose control a ketamine route does not use, and why (it is disabled).

    >>> unused_dose("iv")
    {'dose_mg': 'the IV route uses the mg/kg dose'}
    """
    if route == "iv":
        return {"dose_mg": "the IV route uses the mg/kg dose"}
    return {"iv_mg_per_kg": "only the IV route uses the mg/kg dose"}

register(Explorer(
    name="ketamine_pk",
    title="Ketamine by route and dose",
    controls=(
        Choice("route", "Route", _ROUTES, "iv"),
        Slider("iv_mg_per_kg", "IV dose (IV route only)", 0.1, 2.0, 0.05,
               param("ketamine", "depression_dose").in_unit("mg/kg"), "mg/kg"),
        Slider("dose_mg", "Nasal or oral dose (those routes only)", 14.0, 200.0, 14.0,
               param("ketamine", "esketamine_dose_low").in_unit("mg"), "mg"),
        Slider("weight_kg", "Body weight", 40.0, 120.0, 1.0, physiology("body_weight").in_unit("kg"),
               "kg"),
    ),
    render=render_ketamine_pk,
    redraws=True,
    inactive=unused_dose,
    question="Which route and dose keep the level inside the dissociation band, and for how long?",
    note="Two-compartment teaching model: clearance and total volume from the Kamp 2020 "
         "meta-analysis; the central volume and intercompartmental clearance are calibrated "
         "assumptions (see data/drugs.yaml). Esketamine uses the racemic disposition. "
         "Not dosing advice.",
))


# --- lesson 03: ketamine's disinhibition cascade ---

_CASCADE_KEY_NODES = ("interneuron_nmda_receptor", "gaba_interneuron", "pyramidal_firing",
                      "glutamate_surge", "ampa_receptor", "bdnf", "mtorc1",
                      "synaptogenesis", "antidepressant_effect")


def render_ketamine_cascade(include_hypotheses: bool, drugs: tuple[str, ...]) -> Frame:
    """The disinhibition cascade, with hypothesis edges on or off and ketamine on or off.

    Examples
    --------
    >>> f = render_ketamine_cascade(True, ("ketamine",))
    >>> "Glutamate surge: increase" in f.readout
    True
    """
    from mechlib.mechanism import draw, graph, reasoning

    g = graph.view("ketamine_cascade", include_hypotheses)
    fig = draw.diagram("ketamine_cascade", drugs=drugs, include_hypotheses=include_hypotheses)
    shown = "all edges" if include_hypotheses else "established edges only"
    lines = [f"{g.graph['title']}: {g.number_of_edges()} edges shown ({shown}; "
             f"{n_hypothesis_edges(g)} of them hypotheses)."]
    if drugs:
        fx = reasoning.effects(drugs, g)
        lines.append(f"Verdicts with {' + '.join(drugs)} switched on:")
        for n in _CASCADE_KEY_NODES:
            lines.append(f"- {fx[n].label}: {fx[n].verdict} ({n_paths(fx[n])})")
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
