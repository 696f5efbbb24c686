"""Lesson 07's virtual-patient explorer: a held or delayed morning dose across the population.

1,000 seeded virtual patients (as in :mod:`mechlib.explorers.population`) on eight weeks of the
standard titration, the usual schedule against the changed one around the usual dose time, with
the ketamine infusion's time marked. Render functions are pure and registered on import.
"""

from __future__ import annotations

import functools
from typing import Any

from mechlib import style
from mechlib.explorers.base import Explorer, Frame, band, kept, register, show_line
from mechlib.explorers.clinical import HELD_DOSE_CONTROLS, unused_delay
from mechlib.explorers.population import N_PATIENTS, SEED, fill_band, spread

_HELD_DAYS = 56
_HELD_BEFORE_H, _HELD_AFTER_H, _HELD_STEP_H = 72.0, 24.0, 0.5  # shown around the usual dose time


# The usual schedule's population is the same for every setting, and the changed one depends
# only on the schedule (not on the infusion time): each is kept. One entry is a
# PopulationProfile of 1,000 patients x 193 half-hours, about 1.6 MB (concentrations 1.5 MB,
# patients and percentiles a few tens of kB); 4 entries (the usual schedule and the last three
# changed ones) are at most about 6.5 MB per process. Their arrays are made read-only. The key
# holds the data in use (``data_state``: its dataset's id, cached by the loader until a file
# changes), so an edited data folder is never answered from an old population.
@functools.lru_cache(maxsize=4)
def _held_population(data_state: int, schedule: tuple[tuple[float, float], ...], start_h: float,
                     stop_h: float, step_h: float) -> Any:
    """The lesson's population on ``schedule``, every ``step_h`` from ``start_h`` to ``stop_h``."""
    import numpy as np

    from mechlib.models import population

    t = np.arange(start_h, stop_h + 1e-9, step_h)
    pop = population.lamotrigine_population(list(schedule), n=N_PATIENTS, seed=SEED, t_h=t)
    p = pop.patients
    for arr in (pop.t_h, pop.conc_mg_per_L, p.weight_kg, p.clearance_L_per_h, p.volume_L,
                *pop.percentiles().values()):  # the percentiles are computed here, once
        arr.flags.writeable = False
    return pop


def _held_dose_population_figure() -> tuple[Any, Any]:
    """The held-dose chart without data: two 5-95 % bands, two medians, three patients and the
    infusion line, over the reference range, from 72 h before to 24 h after the usual dose."""
    from matplotlib.colors import to_rgba

    from mechlib.models import checks

    fig = style.figure((9.0, 5.2))
    ax = fig.subplots()
    lo, hi = (checks.drug_value("lamotrigine", n) for n in ("reference_range_low",
                                                              "reference_range_high"))
    band(ax, lo, hi, f"reference range {lo:g}-{hi:g} mg/L (hatched grey)")
    # Only the fills are see-through: the dots and stripes stay opaque, so the two bands differ
    # by pattern as well as by colour (with ``alpha=`` the patterns faded with the fill).
    usual_band = ax.fill_between([0], [0], [0], facecolor=to_rgba(style.OKABE_ITO["sky_blue"], 0.3),
                                 hatch=".", edgecolor=style.BLUE, lw=0,
                                 label="usual: 5th-95th percentile (dotted fill)")
    changed_band = ax.fill_between([0], [0], [0], facecolor=to_rgba(style.OKABE_ITO["orange"], 0.3),
                                   hatch="\\\\", edgecolor=style.VERMILLION, lw=0)  # not the range's //
    usual_median = ax.plot([], [], color=style.BLUE, lw=2.2, ls="-")[0]
    changed_median = ax.plot([], [], color=style.VERMILLION, lw=2.2, ls="--")[0]
    shown = tuple(ax.plot([], [], color=style.INK, lw=0.8, ls=":")[0] for _ in range(3))
    infusion = ax.axvline(0, color=style.INK, ls="-.", lw=1.4)
    ax.set_xlim(-_HELD_BEFORE_H, _HELD_AFTER_H)
    ax.set_xlabel("Time from the usual dose time on the infusion day (h)")
    ax.set_ylabel("Plasma lamotrigine (mg/L)")
    style.style_axes(ax)
    fig.subplots_adjust(left=0.08, right=0.98, bottom=0.29, top=0.92)  # the legend goes below
    return fig, (ax, usual_band, changed_band, usual_median, changed_median, shown, infusion)


def render_held_dose_population(mode: str, delay_h: float, infusion_after_dose_h: float,
                                figure=None) -> Frame:
    """The level at the infusion in 1,000 patients, usual schedule against a held/delayed dose.

    Examples
    --------
    >>> f = render_held_dose_population("hold", 4.0, 3.0)
    >>> f.readout.splitlines()[2]  # doctest: +ELLIPSIS
    'Change at the infusion: median -4... %...'
    >>> f.figure.clear()
    """
    import numpy as np

    from mechlib import data
    from mechlib.models import pk, population

    sched = pk.titration_schedule("standard", days=_HELD_DAYS)
    last_t, last_dose = sched[-1]
    at = last_t + infusion_after_dose_h
    changed = list(sched[:-1])
    what = "last dose held"
    if mode == "delay":
        changed.append((last_t + delay_h, last_dose))
        what = f"last dose delayed by {delay_h:g} h"
    grid = (last_t - _HELD_BEFORE_H, last_t + _HELD_AFTER_H, _HELD_STEP_H)
    state = id(data.load())
    usual = _held_population(state, tuple(sched), *grid)
    alt = _held_population(state, tuple(changed), *grid)
    t = usual.t_h
    i = int(np.argmin(abs(t - at)))
    u, c = usual.conc_mg_per_L[:, i], alt.conc_mg_per_L[:, i]
    rel = (c - u) / u * 100
    trough = usual.conc_mg_per_L[:, int(np.argmin(abs(t - last_t)))]
    of_trough = c / trough
    lo, hi = usual.band
    x = t - last_t
    fig, (ax, usual_band, changed_band, usual_median, changed_median, shown, infusion) = kept(
        figure, _held_dose_population_figure)
    pu, pa = usual.percentiles(), alt.percentiles()
    ax.set_ylim(0, style.nice_top(max(hi * 1.05, float(pu[95].max()) * 1.1)))
    fill_band(usual_band, x, pu[5], pu[95])
    fill_band(changed_band, x, pa[5], pa[95])
    changed_band.set_label(f"{what}: 5th-95th percentile (striped fill)")
    show_line(usual_median, x, pu[50], "usual: median (solid)")
    show_line(changed_median, x, pa[50], f"{what}: median (dashed)")
    show_line(shown[0], x, alt.conc_mg_per_L[0],
              "three individual patients, changed schedule (dotted)")
    for k, line in enumerate(shown[1:], 1):  # drawn, left out of the legend
        line.set_data(x, alt.conc_mg_per_L[k])
    infusion.set_xdata([infusion_after_dose_h, infusion_after_dose_h])
    infusion.set_label(f"infusion ({infusion_after_dose_h:g} h after the usual dose time)")
    style.title(ax, f"{N_PATIENTS} virtual patients on {last_dose:g} mg/day: usual vs {what}")
    style.legend(ax, fontsize=style.FONT_SIZE - 2, loc="upper center", bbox_to_anchor=(0.5, -0.14),
              ncols=2, frameon=False)  # below the axes: it covered the first two days
    inside_u = float(((u >= lo) & (u <= hi)).mean() * 100)
    inside_c = float(((c >= lo) & (c <= hi)).mean() * 100)
    lines = [
        f"{N_PATIENTS} virtual patients (seed {SEED}), standard titration, {last_dose:g} mg/day in "
        f"week {_HELD_DAYS // 7}; {what}; infusion {infusion_after_dose_h:g} h after the usual "
        "dose time.",
        f"Level at the infusion: usual {spread(u)} mg/L; changed {spread(c)} mg/L.",
        f"Change at the infusion: {spread(rel, 0)} %.",
        f"Patients inside the reference range at the infusion: usual {inside_u:.0f} %, changed "
        f"{inside_c:.0f} %.",
        f"Against each patient's usual trough (just before the usual dose time) the changed level "
        f"is {spread(of_trough * 100, 0)} %; the largest falls are in the patients with the "
        f"shortest half-lives. No virtual patient falls below {float(of_trough.min()) * 100:.0f} % "
        "of their usual trough: holding one dose does not clear lamotrigine.",
        "How the patients were drawn: " + population.describe_distribution("lamotrigine_clearance"),
        "A teaching model of variability, not advice: decisions about doses belong to the "
        "prescriber.",
    ]
    desc = (f"Band chart of plasma lamotrigine over the last three days and the infusion day in "
            f"{N_PATIENTS} virtual patients: the usual schedule (dotted blue band, solid median) "
            f"against {what} (striped orange band, dashed median), with a dash-dot line at the "
            f"infusion. At the infusion the median level changes by "
            f"{float(np.median(rel)):.0f} %.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="held_dose_population",
    title="Holding or delaying the morning dose, across 1,000 virtual patients",
    controls=HELD_DOSE_CONTROLS,
    render=render_held_dose_population,
    inactive=unused_delay,
    redraws=True,
    question="Is there any patient in whom holding one dose clears lamotrigine?",
    note="Virtual patients of a teaching model; not advice.",
))
