"""Virtual-patient explorers for lessons 02, 03 and 07: percentile bands, a few patients, shares.

Each shows 1,000 seeded virtual patients (:mod:`mechlib.models.population`): the 5th-95th and
25th-75th percentile bands, the median, five individual patients, and the share of patients
below, inside and above the band. The readout states every number and how each distribution
was derived (a modelling assumption). Render functions are pure and registered on import.
"""

from __future__ import annotations

import functools
from typing import Any

from mechlib import style
from mechlib.explorers.base import (
    Choice,
    Explorer,
    Frame,
    Slider,
    band,
    citation,
    kept,
    param,
    register,
    show_line,
)

N_PATIENTS = 1000
SEED = 2026
_SHOWN = 5  # individual patients drawn


def _band_figure(figsize: tuple[float, float], drug: str, low: str, high: str, scale: float,
                 band_text: str, xlabel: str, ylabel: str) -> tuple[Any, Any]:
    """A band chart without data: the fixed hatched ``drug`` band (its data limits x ``scale``),
    the 5-95 % and 25-75 % bands, the median and five patients; see :func:`_bands`."""
    from mechlib.models import checks

    fig, ax = style.axes(figsize)
    fig.subplots_adjust(**style.MARGINS)  # final from the start: the bands are drawn to pixels
    lo, hi = (checks.drug_value(drug, name) * scale for name in (low, high))
    band(ax, lo, hi, band_text.format(lo=lo, hi=hi))
    outer = ax.fill_between([0], [0], [0], facecolor=style.OKABE_ITO["sky_blue"], alpha=0.35,
                            hatch=".", edgecolor=style.BLUE, lw=0)
    inner = ax.fill_between([0], [0], [0], facecolor=style.BLUE, alpha=0.35, hatch="\\\\",
                            edgecolor=style.BLUE, lw=0)
    median = ax.plot([], [], color=style.BLUE, lw=2.4, ls="-")[0]
    shown = tuple(ax.plot([], [], color=style.INK, lw=0.8, ls=":")[0] for _ in range(_SHOWN))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, (ax, (outer, inner, median, shown))


def _fill(band: Any, x: Any, low: Any, high: Any) -> None:
    """Fill ``band`` (a kept ``fill_between``) between ``low`` and ``high`` over ``x``, each edge
    simplified as matplotlib simplifies a drawn line (within 1/9 px; set the limits first).

    matplotlib simplifies lines but never filled paths: a band over 1,345 hourly points is
    2,690 vertices, most of a population chart's SVG, and the page parses and paints every one.
    """
    import numpy as np
    from matplotlib.path import Path

    to_px = band.axes.transData
    edges = []
    for y in (high, low):
        path = Path(to_px.transform(np.column_stack([x, y])))
        path.should_simplify = True
        clean = path.cleaned(simplify=True)
        edges.append(clean.vertices[clean.codes != Path.STOP])
    outline = to_px.inverted().transform(np.concatenate([edges[0], edges[1][::-1]]))
    band.set_verts([outline])


def _bands(artists: Any, x: Any, pop: Any, scale: float, label: str | None) -> None:
    """5-95 % and 25-75 % bands (two hatches), the median (solid) and five patients (thin),
    their legend entries led by ``label`` (None: the title says what they show); the axes'
    limits must be set first (see :func:`_fill`)."""
    outer, inner, median, shown = artists
    pct = pop.percentiles()
    lead = "" if label is None else f"{label}: "
    _fill(outer, x, pct[5] * scale, pct[95] * scale)
    outer.set_label(f"{lead}5th-95th percentile")
    _fill(inner, x, pct[25] * scale, pct[75] * scale)
    inner.set_label(f"{lead}25th-75th percentile")
    show_line(median, x, pct[50] * scale, f"{lead}median")
    show_line(shown[0], x, pop.conc_mg_per_L[0] * scale, "five individual patients (dotted)")
    for i, line in enumerate(shown[1:], 1):  # drawn, left out of the legend
        line.set_data(x, pop.conc_mg_per_L[i] * scale)


def _share_line(s: dict[str, float], what: str, band_text: str) -> str:
    """The shares (``pop.shares()``) below, inside and above ``band_text``, as a sentence."""
    return (f"Patients by {what}: {s['below'] * 100:.0f} % below, {s['inside'] * 100:.0f} % "
            f"inside, {s['above'] * 100:.0f} % above {band_text}.")


def _q(x: Any, digits: int = 2, scale: float = 1.0) -> str:
    import numpy as np

    p5, p50, p95 = np.percentile(np.asarray(x) * scale, (5, 50, 95))
    return f"median {p50:.{digits}f} (5th-95th percentile {p5:.{digits}f}-{p95:.{digits}f})"


# --- lesson 02: lamotrigine across a population, with co-medication ---


def _comedications() -> tuple[tuple[str, str], ...]:
    from mechlib.models import population

    return population.comedication_labels()


_SCHEDULES = (("Label titration (standard; with valproate its own)", "titration"),
              ("Fixed 200 mg/day from day 1 (comparison only)", "fixed"))


def _lamotrigine_population_figure() -> tuple[Any, Any]:
    """The lamotrigine band chart without data, over the reference range."""
    return _band_figure((8.0, 4.0), "lamotrigine", "reference_range_low", "reference_range_high",
                        1.0, "reference range {lo:g}-{hi:g} mg/L (hatched grey)",
                        "Time since the first dose (days)", "Plasma lamotrigine (mg/L)")


def render_lamotrigine_population(comedication: str, schedule: str, days: int,
                                  figure=None) -> Frame:
    """1,000 virtual patients on lamotrigine: percentile bands against the reference range.

    Examples
    --------
    >>> f = render_lamotrigine_population("none", "titration", 56)
    >>> f.readout.splitlines()[0]  # doctest: +ELLIPSIS
    '1000 virtual patients (seed 2026), standard titration, no interacting drug; 56 days...'
    >>> f.figure.clear()
    """
    from mechlib import data
    from mechlib.models import pk, population

    key = "valproate" if comedication == "valproate" else (
        "inducer" if comedication == "inducer" else "standard")
    sched = (pk.titration_schedule(key, days) if schedule == "titration"
             else pk.regular_schedule(200, 24, days))
    pop = population.lamotrigine_population(sched, n=N_PATIENTS, seed=SEED,
                                            comedication=comedication)
    lo, hi = pop.band
    label = data.load().population.comedications[comedication].label
    sname = f"{key} titration" if schedule == "titration" else "fixed 200 mg/day"
    fig, (ax, bands) = kept(figure, _lamotrigine_population_figure)
    x = pop.t_h / 24
    ax.set_xlim(0, x[-1])
    ax.set_ylim(0, style.nice_top(max(hi * 1.1, float(pop.percentiles()[95].max()) * 1.1)))
    _bands(bands, x, pop, 1.0, label)
    style.finish(fig, ax, f"Lamotrigine in {N_PATIENTS} virtual patients: {sname}",
                 "upper left")
    s = pop.shares()
    lines = [
        f"{N_PATIENTS} virtual patients (seed {SEED}), {sname}, {label.lower()}; {days} days, "
        f"last dose {sched[-1][1]:g} mg.",
        f"Half-life: {_q(pop.patients.half_life_h, 1)} h; 90 % of steady state after "
        f"{_q(pop.time_to_90_h / 24, 1)} days.",
        f"Highest level (Cmax): {_q(pop.cmax)} mg/L; trough in the last dosing interval: "
        f"{_q(pop.trough)} mg/L.",
        _share_line(s, "trough in the last dosing interval", f"the reference range {lo:g}-"
                  f"{hi:g} mg/L"),
        f"Fraction of the {days} days inside the range: {_q(pop.fraction_in_band * 100, 0)} %.",
        "How the patients were drawn: " + population.describe_distribution(
            "lamotrigine_clearance"),
        population.describe_distribution("lamotrigine_volume"),
        population.describe_distribution("body_weight"),
        _comedication_note(comedication),
        "A teaching model of variability, not dosing advice.",
    ]
    desc = (f"Band chart of plasma lamotrigine (mg/L) over {days} days in {N_PATIENTS} virtual "
            f"patients ({label.lower()}, {sname}): a light dotted band for the 5th-95th "
            f"percentiles, a darker hatched band for the 25th-75th, a solid median line and five "
            f"dotted individual patients, over the hatched grey reference range {lo:g}-{hi:g} "
            f"mg/L. By their last trough {s['inside'] * 100:.0f} % of patients sit inside the "
            f"range, {s['below'] * 100:.0f} % below and {s['above'] * 100:.0f} % above.")
    return Frame(fig, "\n".join(lines), desc)


def _comedication_note(comedication: str) -> str:
    from mechlib import data

    pop = data.load().population
    c = pop.comedications[comedication]
    if not c.clearance_fold:
        return "No co-medication: clearance as sampled."
    p = pop.param(c.clearance_fold)
    text = (f"{c.label}: clearance x {p.value:g} ({citation(p.reference)}; {p.note}).")
    if c.cycle:
        h = pop.param("contraceptive_switch_half_time")
        text += (f" In each pill-free week the induction fades with a half-time of {h.value:g} "
                 f"days and returns when the next pack starts (an assumption; "
                 f"{citation(h.reference)} found most of the change within a week).")
    return text


register(Explorer(
    name="lamotrigine_population",
    title="Lamotrigine in 1,000 virtual patients, with co-medication",
    controls=(
        Choice("comedication", "Taken with", _comedications(), "none"),
        Choice("schedule", "Schedule", _SCHEDULES, "titration"),
        Slider("days", "Days shown", 28, 84, 7, 56, "days", integer=True),
    ),
    render=render_lamotrigine_population,
    redraws=True,
    question="How many patients on the same schedule end up below the reference range, and "
             "what does the contraceptive pill's pill-free week do?",
    note="Virtual patients sampled from the label's ranges (fitted as log-normal distributions: "
         "a modelling assumption, stated in the readout). Not dosing advice.",
))


# --- lesson 03: ketamine across a population, by route ---

_ROUTES = (("IV infusion over 40 min (racemic)", "iv"),
           ("Nasal spray (esketamine)", "intranasal"), ("Oral", "oral"))


def _ketamine_population_figure() -> tuple[Any, Any]:
    """The ketamine band chart without data, over the dissociation band (ng/mL), 0-8 h."""
    fig, (ax, bands) = _band_figure(
        (8.0, 4.0), "ketamine", "dissociation_band_low", "dissociation_band_high", 1000.0,
        "dissociation band {lo:g}-{hi:g} ng/mL (hatched grey)",
        "Time after the start of the dose (h)", "Plasma ketamine (ng/mL)")
    ax.set_xlim(0, 8)
    return fig, (ax, bands)


def render_ketamine_population(route: str, iv_mg_per_kg: float, dose_mg: float,
                               figure=None) -> Frame:
    """1,000 virtual patients after one ketamine dose, against the dissociation band.

    Examples
    --------
    >>> f = render_ketamine_population("iv", 0.5, 56.0)
    >>> f.readout.splitlines()[1]  # doctest: +ELLIPSIS
    'Peak (Cmax): median 200 (5th-95th percentile 120-344) ng/mL, at 40 min in every patient...'
    >>> f.figure.clear()
    """
    import numpy as np

    from mechlib.models import population

    minutes = param("ketamine", "depression_infusion_duration").value
    t = np.linspace(0, 8, 481)
    if route == "iv":
        pop = population.ketamine_population("iv", mg_per_kg=iv_mg_per_kg, infusion_min=minutes,
                                             n=N_PATIENTS, seed=SEED, t_h=t)
        dose_text = f"{iv_mg_per_kg:.2f} mg/kg IV over {minutes:.0f} min"
    else:
        pop = population.ketamine_population(route, dose_mg=dose_mg, n=N_PATIENTS, seed=SEED,
                                             t_h=t)
        dose_text = f"{dose_mg:.0f} mg {'nasal spray' if route == 'intranasal' else 'by mouth'}"
    lo, hi = (x * 1000 for x in pop.band)
    observed = param("ketamine", "depression_peak_concentration").value
    fig, (ax, bands) = kept(figure, _ketamine_population_figure)
    ax.set_ylim(0, style.nice_top(max(300.0, float(pop.percentiles()[95].max()) * 1150)))
    _bands(bands, t, pop, 1000.0, None)  # the dose is in the title: the legend stays put
    style.finish(fig, ax, f"Ketamine in {N_PATIENTS} virtual patients: {dose_text}",
                 "upper right")
    tmax = t[np.argmax(pop.conc_mg_per_L, axis=1)] * 60
    s = pop.shares()
    lines = [
        f"{N_PATIENTS} virtual patients (seed {SEED}): {dose_text}.",
        f"Peak (Cmax): {_q(pop.cmax, 0, 1000)} ng/mL, at "
        + (f"{tmax[0]:.0f} min in every patient" if np.ptp(tmax) < 1 else f"{_q(tmax, 0)} min")
        + ". The observed peak "
        f"after 0.5 mg/kg over 40 min is about {observed:g} ng/mL ({citation('zanos2018pr')}).",
        _share_line(s, "peak", f"the dissociation band {lo:g}-{hi:g} ng/mL"),
        f"Fraction of the 8 h inside the band: {_q(pop.fraction_in_band * 100, 0)} %.",
        "How the patients were drawn: " + population.describe_distribution("ketamine_clearance"),
        population.describe_distribution("ketamine_volume"),
        "Bioavailability and absorption are the same in every patient (no cited spread); the "
        "central volume keeps its teaching-model share of each patient's volume.",
        "A teaching model of variability, not dosing advice.",
    ]
    desc = (f"Band chart of plasma ketamine (ng/mL) over 8 hours after {dose_text} in "
            f"{N_PATIENTS} virtual patients: 5th-95th and 25th-75th percentile bands, a solid "
            f"median and five dotted patients over the hatched dissociation band {lo:g}-{hi:g} "
            f"ng/mL. {s['inside'] * 100:.0f} % of peaks fall inside the band, "
            f"{s['below'] * 100:.0f} % below and {s['above'] * 100:.0f} % above.")
    return Frame(fig, "\n".join(lines), desc)


register(Explorer(
    name="ketamine_population",
    title="Ketamine in 1,000 virtual patients, by route",
    controls=(
        Choice("route", "Route", _ROUTES, "iv"),
        Slider("iv_mg_per_kg", "IV dose (IV route only)", 0.1, 2.0, 0.05,
               param("ketamine", "depression_dose").value, "mg/kg"),
        Slider("dose_mg", "Nasal or oral dose (those routes only)", 14.0, 200.0, 14.0,
               param("ketamine", "esketamine_dose_low").value, "mg"),
    ),
    render=render_ketamine_population,
    redraws=True,
    question="With the research dose, how many patients peak above the dissociation band?",
    note="Clearance and volume vary as the readout states (a textbook spread applied to the "
         "meta-analysis means: a modelling assumption). Not dosing advice.",
))


# --- lesson 07: a held or delayed morning dose across the population ---

_HELD_DAYS = 56
_DOSE_CHANGES = (("hold (skip) the last dose", "hold"), ("delay the last dose", "delay"))
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
    _fill(usual_band, x, pu[5], pu[95])
    _fill(changed_band, x, pa[5], pa[95])
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
        f"Level at the infusion: usual {_q(u)} mg/L; changed {_q(c)} mg/L.",
        f"Change at the infusion: {_q(rel, 0)} %.",
        f"Patients inside the reference range at the infusion: usual {inside_u:.0f} %, changed "
        f"{inside_c:.0f} %.",
        f"Against each patient's usual trough (just before the usual dose time) the changed level "
        f"is {_q(of_trough * 100, 0)} %; the largest falls are in the patients with the "
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
    controls=(
        Choice("mode", "Change to the last dose", _DOSE_CHANGES, "hold"),
        Slider("delay_h", "Delay (if delayed)", 0.0, 12.0, 0.5, 4.0, "h"),
        Slider("infusion_after_dose_h", "Infusion after the usual dose time", 0.0, 12.0, 0.5,
               3.0, "h"),
    ),
    render=render_held_dose_population,
    redraws=True,
    question="Is there any patient in whom holding one dose clears lamotrigine?",
    note="Virtual patients of a teaching model; not advice.",
))
