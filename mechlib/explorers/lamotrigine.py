"""Lesson 02's explorers: use-dependent sodium-channel block, and lamotrigine levels with
co-medication.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib import style
from mechlib.explorers.base import (
    Choice,
    Explorer,
    Frame,
    Slider,
    band,
    choice_label,
    citation,
    kept,
    mark,
    param,
    register,
    show_line,
)

# --- lesson 02: use-dependent sodium-channel block ---

#: What a readout adds after a value that was not read in its source.
_CONFIDENCE_NOTE = {
    "assumption": " - an assumption, not read in the label.",
    "secondary": " - a label value not confirmed in a stored copy of the label.",
}


def lamotrigine_free_uM(total_mg_per_L: float) -> float:
    """Unbound lamotrigine in µM for a total plasma level in mg/L (protein binding and MW from data).

    free µM = total mg/L x (1 - protein binding) x 1000 / MW. A first approximation to the
    concentration near the channel.

    Examples
    --------
    >>> round(lamotrigine_free_uM(2.5), 1), round(lamotrigine_free_uM(15.0), 1)
    (4.4, 26.4)
    """
    bound = param("lamotrigine", "protein_binding").value
    mw = param("lamotrigine", "molecular_weight").in_unit("g/mol")
    return total_mg_per_L * (1 - bound) * 1000.0 / mw


def _range_text(p) -> str:
    """'range 11.6-61.6 h; ' from a parameter's optional range (empty when it has none)."""
    rng = p.range_in_unit("h")
    return "" if rng is None else f"range {rng[0]:g}-{rng[1]:g} h; "


def _half_life_line(used_h: float, hl, com) -> str:
    """The readout's half-life line: the parameter used, or how a co-medication's concentration
    change was turned into a half-life (a modelling assumption, said so)."""
    change = com.pk_parameters.get("concentration_change") if com else None
    if change:
        p = param("lamotrigine", change)
        return (f"Half-life used: {used_h:g} h: {hl.in_unit('h'):g} h x (1 {p.value:+.0%}), the "
                f"label's concentration change with this co-medication ({citation(p.reference)}) "
                "read as a change of clearance - a modelling assumption.")
    return (f"Half-life used: {used_h:g} h ({_range_text(hl)}{citation(hl.reference)})"
            + _CONFIDENCE_NOTE.get(hl.confidence, "."))


def _lamotrigine_range() -> tuple[float, float]:
    """Lamotrigine's plasma reference range in mg/L."""
    return (param("lamotrigine", "reference_range_low").in_unit("mg/L"),
            param("lamotrigine", "reference_range_high").in_unit("mg/L"))


def _default_free_uM() -> float:
    lo, hi = _lamotrigine_range()
    return round(lamotrigine_free_uM((lo + hi) / 2) * 2) / 2  # nearest 0.5 µM


def _sodium_block_note() -> str:
    lo, hi = _lamotrigine_range()
    kd_i = param("lamotrigine", "nav_kd_inactivated").in_unit("uM")
    kd_r = param("lamotrigine", "nav_kd_resting").in_unit("uM")
    unbound = 1 - param("lamotrigine", "protein_binding").value
    mw = param("lamotrigine", "molecular_weight").in_unit("g/mol")
    return (f"Teaching model with assumed affinities (data confidence: assumption): inactivated "
            f"channels bind lamotrigine {kd_r / kd_i:g} times more tightly than resting ones (the "
            f"direction is from Kuo 1998; the numbers are orders of magnitude). Default "
            f"concentration: the middle of the plasma reference range ({(lo + hi) / 2:g} mg/L, "
            f"Patsalos 2008) x unbound fraction {unbound:.2f} / MW {mw:g} g/mol = "
            f"{lamotrigine_free_uM((lo + hi) / 2):.1f} µM free, rounded to "
            f"{_default_free_uM():g} µM.")


def _sodium_block_figure():
    """The sodium-block plot without data: three curves and the chosen point."""
    fig, ax = style.axes()
    curves = tuple(ax.plot([], [], color=colour, lw=lw, ls=ls)[0] for colour, lw, ls in
                   ((style.BLUE, 2.2, "-"), (style.VERMILLION, 1.6, "--"),
                    (style.BLUISH_GREEN, 1.6, ":")))
    ax.set_xlim(0, 100)
    ax.set_xlabel("Firing rate (action potentials per second, Hz)")
    ax.set_ylabel("Fraction of Na+ channels blocked")
    return fig, (ax, curves, mark(ax, 0, 0, ""))


def render_sodium_block(firing_hz: float, lamotrigine_uM: float, figure=None) -> Frame:
    """Fraction of sodium channels blocked against firing rate (teaching state model).

    Examples
    --------
    >>> f = render_sodium_block(50.0, 15.5)
    >>> f.readout.splitlines()[0]
    'At 50 Hz with 15.5 µM free lamotrigine: 0.34 of sodium channels blocked (teaching model).'
    >>> f.figure.clear()  # release the figure
    """
    import numpy as np

    from mechlib.models import pd

    lo, hi = _lamotrigine_range()
    c_lo, c_hi = lamotrigine_free_uM(lo), lamotrigine_free_uM(hi)
    f = np.linspace(1, 100, 199)
    here = pd.sodium_block(firing_hz, lamotrigine_uM)
    slow = float(pd.sodium_block(1.0, lamotrigine_uM).fraction_blocked)
    b = float(here.fraction_blocked)
    fig, (ax, (mine, top, bottom), point) = kept(figure, _sodium_block_figure)
    show_line(mine, f, pd.sodium_block(f, lamotrigine_uM).fraction_blocked,
              f"{lamotrigine_uM:.1f} µM (your choice)")
    show_line(top, f, pd.sodium_block(f, c_hi).fraction_blocked,
              f"{c_hi:.1f} µM (free, top of reference range)")
    show_line(bottom, f, pd.sodium_block(f, c_lo).fraction_blocked,
              f"{c_lo:.1f} µM (free, bottom of reference range)")
    show_line(point, [firing_hz], [b], f"{firing_hz:.0f} Hz: {b:.2f} blocked")
    ax.set_ylim(0, style.nice_top(max(0.2, 1.15 * float(
        pd.sodium_block(100.0, max(lamotrigine_uM, c_hi)).fraction_blocked))))
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
        f"{1 - param('lamotrigine', 'protein_binding').value:.2f} / MW "
        f"{param('lamotrigine', 'molecular_weight').in_unit('g/mol'):g} g/mol.",
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
    redraws=True,
    question="Why does the same concentration block a fast-firing neuron more than a slow one?",
    note=_sodium_block_note(),
))


# --- lesson 02: lamotrigine levels with co-medication ---

def _comedication_choices() -> tuple[tuple[str, str], ...]:
    """'No interacting drug', then each of lamotrigine's co-medications in drugs.yaml."""
    from mechlib import data

    comeds = data.load().drug("lamotrigine").comedications.values()
    return (("No interacting drug", "none"), *((c.label, c.id) for c in comeds))


_SCHEDULES = (("Label titration for this co-medication", "titration"),
              ("Fixed 200 mg/day from day 1 (comparison only)", "fixed"))


def _lamotrigine_pk_figure():
    """The level plot without data: the reference band, the comparison curve and the level."""
    lo, hi = _lamotrigine_range()
    fig, ax = style.axes()
    band(ax, lo, hi, f"reference range {lo:g}-{hi:g} mg/L")
    ref_line = ax.plot([], [], color=style.BLUISH_GREEN, lw=1.6, ls="--")[0]
    line = ax.plot([], [], color=style.BLUE, lw=2.0, ls="-")[0]
    ax.set_xlabel("Time since the first dose (days)")
    ax.set_ylabel("Plasma lamotrigine (mg/L)")
    return fig, (ax, ref_line, line)


def render_lamotrigine_pk(comedication: str, schedule: str, days: int, figure=None) -> Frame:
    """Lamotrigine plasma level over ``days`` days for a titration or a fixed dose.

    Examples
    --------
    >>> f = render_lamotrigine_pk("none", "titration", 56)
    >>> f.readout.splitlines()[0]
    'Half-life used: 25.4 h (range 11.6-61.6 h; Lamictal label 2021).'
    >>> f.figure.clear()  # release the figure
    """
    import numpy as np

    from mechlib import data
    from mechlib.models import pk

    drug = data.load().drug("lamotrigine")
    com = drug.comedication(comedication)
    key = (com.titration if com else None) or "standard"
    comed = None if com is None else com.id
    sched = (pk.titration_schedule(key, days) if schedule == "titration"
             else pk.regular_schedule(200, 24, days))
    t = np.arange(0, days * 24 + 0.5, 1.0)
    prof = pk.oral_profile(sched, t_h=t, comedication=comed)
    lo, hi = _lamotrigine_range()
    last_dose = sched[-1][1]
    css = pk.oral_profile(pk.regular_schedule(last_dose, 24, 2), comedication=comed).css_avg
    t90 = prof.time_to_fraction_of_steady_state(0.9) / 24
    in_range_d = prof.time_in_band(lo, hi) / 24
    hl = drug.pk_param("half_life", comed)
    taken_with = choice_label(_comedication_choices(), comedication)
    fig, (ax, ref_line, line) = kept(figure, _lamotrigine_pk_figure)
    ref = None
    if comed is not None:
        ref_sched = (pk.titration_schedule("standard", days) if schedule == "titration"
                     else sched)
        ref = pk.oral_profile(ref_sched, t_h=t)
    if ref is None:
        show_line(ref_line, [], [])
    else:
        show_line(ref_line, t / 24, ref.conc_mg_per_L, "no interacting drug, for comparison")
    show_line(line, t / 24, prof.conc_mg_per_L, f"{taken_with} (t½ {prof.half_life_h:g} h)")
    ax.set_xlim(0, days)
    ax.set_ylim(0, style.nice_top(max(hi * 1.1, prof.cmax * 1.1)))
    sname = "label titration" if schedule == "titration" else "fixed 200 mg/day"
    style.finish(fig, ax, f"Lamotrigine, {sname}: teaching model", "upper left")
    trough = prof.trough
    lines = [_half_life_line(prof.half_life_h, hl, com),
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
        Choice("comedication", "Taken with", _comedication_choices(), "none"),
        Choice("schedule", "Schedule", _SCHEDULES, "titration"),
        Slider("days", "Days shown", 7, 84, 7, 56, "days", integer=True),
    ),
    render=render_lamotrigine_pk,
    redraws=True,
    question="How does valproate change the half-life, and what does that do to the level?",
    note="Teaching model for an average 70 kg adult (one compartment, label parameters; the "
         "inducer half-life and the steps after week 4 are assumptions in the data). It shows "
         "what the model does, not how to dose anyone.",
))
