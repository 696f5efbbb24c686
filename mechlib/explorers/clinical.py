"""Lesson 07's explorer: holding or delaying a lamotrigine dose before a ketamine session.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib import style
from mechlib.explorers.base import Choice, Explorer, Frame, Slider, kept, register, show_line

# --- lesson 07: holding or delaying a lamotrigine dose ---

_HELD_DOSE_DAYS = 56  # eight weeks of the standard titration: 200 mg/day from week 6 (data)
_DOSE_CHANGES = (("hold (skip) the last dose", "hold"), ("delay the last dose", "delay"))
#: The controls of both held-dose explorers (this one and the population's in lesson 07).
HELD_DOSE_CONTROLS = (
    Choice("mode", "Change to the last dose", _DOSE_CHANGES, "hold"),
    Slider("delay_h", "Delay (if delayed)", 0.0, 12.0, 0.5, 4.0, "h"),
    Slider("infusion_after_dose_h", "Infusion after the usual dose time", 0.0, 12.0, 0.5, 3.0,
           "h"),
)


def unused_delay(mode: str, **_: object) -> dict[str, str]:
    """The delay slider does nothing when the dose is held (it is disabled, with this reason).

    >>> unused_delay("hold")
    {'delay_h': 'the dose is held, not delayed'}
    """
    return {"delay_h": "the dose is held, not delayed"} if mode == "hold" else {}


def _held_dose_figure():
    """The held-dose plot without data: both schedules, the infusion line and its two levels."""
    import numpy as np

    ink = style.INK
    fig = style.figure((9.5, 4.4))
    ax = fig.subplots()
    usual = ax.plot([], [], color=style.BLUE, linewidth=2.2)[0]
    changed = ax.plot([], [], color=style.VERMILLION, linewidth=2.2, linestyle="--")[0]
    infusion = ax.axvline(0, color=ink, linestyle=":", linewidth=1.5)
    label = ax.text(0, 0, "infusion", fontsize=style.FONT_SIZE, color=ink, va="top")
    usual_at = ax.plot([], [], "o", color=style.BLUE, markeredgecolor=ink, markersize=9)[0]
    changed_at = ax.plot([], [], "s", color=style.VERMILLION, markeredgecolor=ink,
                         markersize=9)[0]
    ax.set_xticks(np.arange(-72, 25, 12))
    ax.set_xlabel("time from the usual dose time on the infusion day (h)", fontsize=style.FONT_SIZE)
    ax.set_ylabel("lamotrigine plasma concentration (mg/L)", fontsize=style.FONT_SIZE)
    style.style_axes(ax)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.9)
    return fig, (ax, usual, changed, infusion, label, usual_at, changed_at)


def _render_held_dose(mode: str, delay_h: float, infusion_after_dose_h: float,
                      figure=None) -> Frame:
    import numpy as np

    from mechlib.models import pk

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
    fig, (ax, usual_line, changed_line, infusion, label, usual_mark, changed_mark) = kept(
        figure, _held_dose_figure)
    x = usual.t_h - last_t
    show_line(usual_line, x, usual.conc_mg_per_L, "usual schedule (solid)")
    show_line(changed_line, x, changed.conc_mg_per_L, f"{what} (dashed)")
    infusion.set_xdata([infusion_after_dose_h, infusion_after_dose_h])
    ymax = style.nice_top(float(max(usual.conc_mg_per_L.max(), changed.conc_mg_per_L.max())) * 1.18)
    label.set_position((infusion_after_dose_h + 0.8, ymax * 0.97))
    usual_mark.set_data([infusion_after_dose_h], [usual_at])
    changed_mark.set_data([infusion_after_dose_h], [changed_at])
    ax.set_ylim(0, ymax)
    ax.set_xlim(x[0], x[-1])
    style.title(ax, f"Lamotrigine {last_dose:g} mg/day: usual vs changed schedule "
                    f"(t½ {half:.1f} h)")
    style.legend(ax, fontsize=style.FONT_SIZE - 1, loc="lower left", frameon=True, facecolor="white")

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
    controls=HELD_DOSE_CONTROLS,
    render=_render_held_dose,
    inactive=unused_delay,
    redraws=True,
    question="How much lower is the level at the infusion when the dose is held?",
    note="Pharmacokinetics of a teaching model, not dosing advice.",
))
