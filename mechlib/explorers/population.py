"""Virtual-patient explorers for lessons 02 and 03: percentile bands, a few patients, shares.

Each shows 1,000 seeded virtual patients (:mod:`mechlib.models.population`): the 5th-95th and
25th-75th percentile bands, the median, five individual patients, and the share of patients
below, inside and above the band. The readout states every number and how each distribution
was derived (a modelling assumption). Render functions are pure and registered on import; the
band helpers here serve lesson 07's :mod:`mechlib.explorers.held_population` too.
"""

from __future__ import annotations

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
from mechlib.explorers.ketamine import unused_dose

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


def fill_band(band: Any, x: Any, low: Any, high: Any) -> None:
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


def _bands(artists: Any, x: Any, pct: dict, shown: Any, scale: float) -> None:
    """5-95 % and 25-75 % bands of ``pct`` (two hatches), the median (solid) and the curves
    ``shown`` (five patients, thin); the legend names only what they are (what the population
    is, dose or co-medication, goes in the title, so the legend stays put and is replayed); the
    axes' limits must be set first (see :func:`fill_band`)."""
    outer, inner, median, lines = artists
    fill_band(outer, x, pct[5] * scale, pct[95] * scale)
    outer.set_label("5th-95th percentile")
    fill_band(inner, x, pct[25] * scale, pct[75] * scale)
    inner.set_label("25th-75th percentile")
    show_line(median, x, pct[50] * scale, "median")
    show_line(lines[0], x, shown[0] * scale, "five individual patients (dotted)")
    for line, y in zip(lines[1:], shown[1:_SHOWN], strict=True):  # drawn, not in the legend
        line.set_data(x, y * scale)


def _share_line(s: dict[str, float], what: str, band_text: str) -> str:
    """The shares (``pop.shares()``) below, inside and above ``band_text``, as a sentence."""
    return (f"Patients by {what}: {s['below'] * 100:.0f} % below, {s['inside'] * 100:.0f} % "
            f"inside, {s['above'] * 100:.0f} % above {band_text}.")


def spread(x: Any, digits: int = 2, scale: float = 1.0) -> str:
    """The median and 5th-95th percentiles of ``x`` (times ``scale``), as a readout states them.

    >>> spread([1.0, 2.0, 3.0], 1)
    'median 2.0 (5th-95th percentile 1.1-2.9)'
    """
    import numpy as np

    p5, p50, p95 = np.percentile(np.asarray(x) * scale, (5, 50, 95))
    return f"median {p50:.{digits}f} (5th-95th percentile {p5:.{digits}f}-{p95:.{digits}f})"


# --- lesson 02: lamotrigine across a population, with co-medication ---


def _comedications() -> tuple[tuple[str, str], ...]:
    from mechlib.models import population

    return population.comedication_labels()


_MAX_DAYS = 84  # the "days shown" slider's top: the course computed once per setting
_SCHEDULES = (("Label titration (standard; with valproate its own)", "titration"),
              ("Fixed 200 mg/day from day 1 (comparison only)", "fixed"))


def _lamotrigine_population_figure() -> tuple[Any, Any]:
    """The lamotrigine band chart without data, over the reference range."""
    return _band_figure((8.0, 4.0), "lamotrigine", "reference_range_low", "reference_range_high",
                        1.0, "reference range {lo:g}-{hi:g} mg/L (hatched grey)",
                        "Time since the first dose (days)", "Plasma lamotrigine (mg/L)")


def _lamotrigine_schedule(key: str, schedule: str, days: int) -> list[tuple[float, float]]:
    from mechlib.models import pk

    return (pk.titration_schedule(key, days) if schedule == "titration"
            else pk.regular_schedule(200, 24, days))


def _lamotrigine_course(comedication: str, schedule: str) -> Any:
    """The lesson's population on its longest course (kept with the data, see
    :func:`mechlib.models.courses.lamotrigine_course`): "days shown" reads a window of it."""
    from mechlib.models import courses

    return courses.lamotrigine_course(
        _lamotrigine_schedule(_titration_key(comedication), schedule, _MAX_DAYS), n=N_PATIENTS,
        seed=SEED, comedication=comedication)


def _titration_key(comedication: str) -> str:
    return comedication if comedication in ("valproate", "inducer") else "standard"


def warm_lamotrigine_population() -> None:
    """Compute every co-medication's and schedule's course before the first change (about
    0.3 s once), so no change of a control waits for the model; see :func:`_lamotrigine_course`.
    """
    for comedication in (c for _, c in _comedications()):
        for _, schedule in _SCHEDULES:
            _lamotrigine_course(comedication, schedule)


def render_lamotrigine_population(comedication: str, schedule: str, days: int,
                                  figure=None) -> Frame:
    """1,000 virtual patients on lamotrigine: percentile bands against the reference range.

    The first ``days`` days of the lesson's longest course (:func:`_lamotrigine_course`): the
    same numbers as :func:`mechlib.models.population.lamotrigine_population` of ``days`` days.

    Examples
    --------
    >>> f = render_lamotrigine_population("none", "titration", 56)
    >>> f.readout.splitlines()[0]  # doctest: +ELLIPSIS
    '1000 virtual patients (seed 2026), standard titration, no interacting drug; 56 days...'
    >>> f.figure.clear()
    """
    from mechlib import data
    from mechlib.models import population

    key = _titration_key(comedication)
    sched = _lamotrigine_schedule(key, schedule, days)
    last_day = round(sched[-1][0] / 24)
    pop = _lamotrigine_course(comedication, schedule).first_days(last_day + 1, last_day)
    lo, hi = pop.band
    label = data.load().population.comedications[comedication].label
    sname = f"{key} titration" if schedule == "titration" else "fixed 200 mg/day"
    fig, (ax, bands) = kept(figure, _lamotrigine_population_figure)
    x = pop.t_h / 24
    ax.set_xlim(0, x[-1])
    ax.set_ylim(0, style.nice_top(max(hi * 1.1, float(pop.percentiles()[95].max()) * 1.1)))
    _bands(bands, x, pop.percentiles(), pop.shown, 1.0)
    style.finish(fig, ax, f"Lamotrigine in {N_PATIENTS} virtual patients, {sname}\n"
                 f"Taken with: {label}", "upper left")
    s = pop.shares()
    lines = [
        f"{N_PATIENTS} virtual patients (seed {SEED}), {sname}, {label.lower()}; {days} days, "
        f"last dose {sched[-1][1]:g} mg.",
        f"Half-life: {spread(pop.patients.half_life_h, 1)} h; 90 % of steady state after "
        f"{spread(pop.time_to_90_h / 24, 1)} days.",
        f"Highest level (Cmax): {spread(pop.cmax)} mg/L; trough in the last dosing interval: "
        f"{spread(pop.trough)} mg/L.",
        _share_line(s, "trough in the last dosing interval", f"the reference range {lo:g}-"
                  f"{hi:g} mg/L"),
        f"Fraction of the {days} days inside the range: {spread(pop.fraction_in_band * 100, 0)} %.",
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
        Slider("days", "Days shown", 28, _MAX_DAYS, 7, 56, "days", integer=True),
    ),
    render=render_lamotrigine_population,
    warm=warm_lamotrigine_population,
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


def warm_ketamine_population() -> None:
    """Compute each route's unit dose before the first change (see
    :func:`mechlib.models.courses.ketamine_per_unit_dose`), so no change waits for the model."""
    from mechlib.models import courses

    minutes = param("ketamine", "depression_infusion_duration").value
    for _, route in _ROUTES:
        courses.ketamine_per_unit_dose(route, infusion_min=minutes, n=N_PATIENTS, seed=SEED)


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

    from mechlib.models import courses, population

    minutes = param("ketamine", "depression_infusion_duration").value
    # one unit dose per route, kept; a dose scales it (the model is linear in the dose)
    unit = courses.ketamine_per_unit_dose(route, infusion_min=minutes, n=N_PATIENTS, seed=SEED)
    t = unit.t_h
    if route == "iv":
        pop = courses.scaled(unit, iv_mg_per_kg)
        dose_text = f"{iv_mg_per_kg:.2f} mg/kg IV over {minutes:.0f} min"
    else:
        pop = courses.scaled(unit, dose_mg)
        dose_text = f"{dose_mg:.0f} mg {'nasal spray' if route == 'intranasal' else 'by mouth'}"
    lo, hi = (x * 1000 for x in pop.band)
    observed = param("ketamine", "depression_peak_concentration").value
    fig, (ax, bands) = kept(figure, _ketamine_population_figure)
    ax.set_ylim(0, style.nice_top(max(300.0, float(pop.percentiles()[95].max()) * 1150)))
    _bands(bands, t, pop.percentiles(), pop.conc_mg_per_L, 1000.0)
    style.finish(fig, ax, f"Ketamine in {N_PATIENTS} virtual patients: {dose_text}",
                 "upper right")
    tmax = t[np.argmax(pop.conc_mg_per_L, axis=1)] * 60
    s = pop.shares()
    lines = [
        f"{N_PATIENTS} virtual patients (seed {SEED}): {dose_text}.",
        f"Peak (Cmax): {spread(pop.cmax, 0, 1000)} ng/mL, at "
        + (f"{tmax[0]:.0f} min in every patient" if np.ptp(tmax) < 1 else f"{spread(tmax, 0)} min")
        + ". The observed peak "
        f"after 0.5 mg/kg over 40 min is about {observed:g} ng/mL ({citation('zanos2018pr')}).",
        _share_line(s, "peak", f"the dissociation band {lo:g}-{hi:g} ng/mL"),
        f"Fraction of the 8 h inside the band: {spread(pop.fraction_in_band * 100, 0)} %.",
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
    warm=warm_ketamine_population,
    inactive=unused_dose,
    redraws=True,
    question="With the research dose, how many patients peak above the dissociation band?",
    note="Clearance and volume vary as the readout states (a textbook spread applied to the "
         "meta-analysis means: a modelling assumption). Not dosing advice.",
))
