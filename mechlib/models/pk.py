"""Closed-form pharmacokinetic models for the lessons (numpy, vectorised over time).

Every parameter comes from ``data/drugs.yaml`` with its reference. The models are teaching
models for an average adult, not dosing tools.

Which model a drug gets, with which parameters, is data: its ``pk_model`` in drugs.yaml
(:data:`mechlib.data.PK_MODELS`), and its ``comedications`` swap parameters. Every value comes
in the internal units of :mod:`mechlib.data.units` (h, L/kg, L/h/kg, mg/L).

- Lamotrigine: one compartment with first-order absorption (the Bateman function), any dose
  schedule by superposition (a recursion over doses: cost grows as doses + time points);
  co-medication changes the half-life as the label says.
- Ketamine: zero-order IV infusion with wash-out, intranasal and oral doses with first-order
  absorption and the route's bioavailability. Disposition is either one compartment (the Kamp
  2020 meta-analysis volume and clearance) or a two-compartment teaching model (same clearance
  and total volume, a smaller central volume; see ``central_volume_2cmt`` in the data).

Concentrations are in mg/L (equal to µg/mL); ``Profile.conc_ng_per_mL`` and
``Profile.conc_uM`` convert, the latter with the molecular weight in the data.

Examples
--------
>>> p = oral_profile(regular_schedule(200, every_h=24, days=28))
>>> round(p.css_avg, 1), p.half_life_h
(3.9, 25.4)
>>> k = ketamine_profile("iv", mg_per_kg=0.5, infusion_min=40)
>>> round(k.cmax * 1000), round(k.tmax_h * 60)
(183, 40)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mechlib import data
from mechlib.models import checks, dosing
from mechlib.models.disposition import Disposition, one_compartment, two_compartment
from mechlib.models.dosing import Schedule, regular_schedule, titration_schedule
from mechlib.models.profile import BAND_UNITS, TEACHING_NOTE, Profile

__all__ = [
    "BAND_UNITS", "IV_MODELS", "TEACHING_NOTE", "concentration_change", "drugs", "iv_models",
    "routes",
    "HeldDoseComparison", "Profile", "Schedule", "held_dose_comparison", "iv_infusion_profile",
    "ketamine_profile", "oral_profile", "regular_schedule", "titration_schedule",
]

IV_MODELS = ("one_compartment", "two_compartment")


def drugs() -> tuple[str, ...]:
    """The drugs in the data that declare a PK model (``pk_model`` other than none).

    Examples
    --------
    >>> drugs()
    ('ketamine', 'lamotrigine')
    """
    return tuple(sorted(d.id for d in data.load().drugs.values() if d.pk_model != "none"))


def _model_needs(model: str) -> str:
    return f"{model} (needs parameters: {', '.join(data.PK_MODELS[model])})"


def _drug(name: str) -> data.Drug:
    """The drug record, if it has a PK model; else a ValueError naming the models and parameters."""
    ds = data.load()
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in ds.drugs:
        raise checks.unknown("drug", name, drugs())
    d = ds.drugs[key]
    if d.pk_model == "none":
        models = "; ".join(_model_needs(m) for m in data.PK_MODELS if m != "none")
        raise ValueError(f"drug {d.id!r} has no PK model (pk_model: none in drugs.yaml); "
                         f"allowed: {models}")
    return d


def routes(drug: str) -> tuple[str, ...]:
    """The routes ``drug`` can be given by: 'oral' for an oral model; 'iv' for an IV model, plus
    each route with ``<route>_bioavailability`` and ``<route>_absorption_rate_constant``.

    Examples
    --------
    >>> routes("ketamine"), routes("lamotrigine")
    (('intranasal', 'iv', 'oral'), ('oral',))
    """
    d = _drug(drug)
    if d.pk_model.startswith("oral"):
        return ("oral",)
    extra = {n.removesuffix("_bioavailability") for n in d.parameters if n.endswith("_bioavailability")}
    extra = {r for r in extra if f"{r}_absorption_rate_constant" in d.parameters}
    return tuple(sorted({"iv", *extra}))


def iv_models(drug: str) -> tuple[str, ...]:
    """The IV dispositions ``drug``'s data support ('one_compartment', 'two_compartment')."""
    return IV_MODELS if _drug(drug).pk_model == "iv_two_compartment" else ("one_compartment",)


def _value(d: data.Drug, role: str, comedication: str | None = None) -> float:
    return d.pk_param(role, comedication).internal


def concentration_change(drug: str, comedication: str | None) -> float:
    """The relative change of steady-state concentration a co-medication brings (0 if none).

    The oral model reads it as a change of clearance, with the volume unchanged, so the
    half-life is multiplied by 1 + change (a modelling assumption; the parameter cites the
    measured change).

    Examples
    --------
    >>> concentration_change("lamotrigine", "oestrogen_contraceptive")
    -0.5
    >>> concentration_change("lamotrigine", None)
    0.0
    """
    d = _drug(drug)
    com = d.comedication(comedication)
    name = (com.pk_parameters.get("concentration_change") if com else None) \
        or d.pk_parameters.get("concentration_change")
    return d.param(name).internal if name else 0.0


def _iv_disposition(d: data.Drug, model: str, weight_kg: float) -> Disposition:
    """Per-kg volumes and clearances scaled linearly with weight (a teaching simplification)."""
    if model not in iv_models(d.id):
        raise checks.unknown("model", model, iv_models(d.id))
    cl = _value(d, "clearance") * weight_kg
    vss = _value(d, "volume_of_distribution") * weight_kg
    if model == "one_compartment":
        return one_compartment(vss, cl)
    v1 = _value(d, "central_volume") * weight_kg
    q = _value(d, "intercompartmental_clearance") * weight_kg
    return two_compartment(v1, vss - v1, cl, q)


# --------------------------------------------------------------------------- result

# --------------------------------------------------------------------------- profiles


def _default_grid(times: np.ndarray, tail_h: float, step_h: float) -> np.ndarray:
    end = times[-1] + tail_h
    return np.linspace(times[0], end, int(round((end - times[0]) / step_h)) + 1)


def oral_profile(schedule: Schedule, drug: str = "lamotrigine",
                 t_h: Sequence[float] | np.ndarray | None = None,
                 comedication: str | None = None, weight_kg: float = 70.0) -> Profile:
    """Plasma concentration for oral doses, by superposition of Bateman curves.

    One compartment, first-order absorption and elimination. Lamotrigine uses the label's
    bioavailability, Vd/F per kg and half-life (changed by ``comedication``); ketamine uses
    its oral bioavailability and the one-compartment meta-analysis disposition.

    Parameters
    ----------
    schedule : sequence of (time_h, dose_mg)
        Doses, any order; see :func:`regular_schedule` and :func:`titration_schedule`.
    drug : str
        Any drug whose ``pk_model`` in the data is oral_one_compartment, or an IV model with
        oral_bioavailability and oral_absorption_rate_constant (ketamine).
    t_h : array_like, optional
        Strictly increasing times (hours). Default: from the first dose to one day after the
        last, every 10 minutes.
    comedication : str, optional
        One of the drug's ``comedications`` in the data (lamotrigine: 'valproate' lengthens
        the half-life, 'inducer' shortens it); each swaps PK parameters as the data say.
    weight_kg : float
        1 to 300 kg; scales the volume (and, for ketamine, the clearance).

    Returns
    -------
    Profile

    Raises
    ------
    ValueError
        Empty schedule, a dose that is not a finite number > 0, unknown drug or
        co-medication, weight outside 1-300 kg, or a time grid that is not increasing.

    Examples
    --------
    >>> p = oral_profile([(0, 100)], t_h=[0, 2.5, 24])
    >>> [round(float(c), 2) for c in p.conc_mg_per_L]
    [0.0, 1.18, 0.67]
    >>> round(oral_profile([(0, 100)], comedication="valproate").half_life_h, 1)
    70.3
    """
    model = _OralModel.for_drug(drug, comedication, weight_kg)
    times, doses = dosing.as_arrays(schedule)
    t = _default_grid(times, 24.0, 1 / 6) if t_h is None else dosing.time_grid(t_h)
    tau = dosing.regular_interval(times, doses)
    css = None if tau is None else float(model.f * doses[-1] / (model.disp.clearance_L_per_h * tau))
    return Profile(t, model.conc(times, doses, t), model.drug, model.half_life_h,
                   _mw(data.load().drug(model.drug)),
                   tuple(zip(times.tolist(), doses.tolist(), strict=True)), css, route="oral")


def _mw(d: data.Drug) -> float:
    p = d.parameters.get("molecular_weight")
    return p.internal if p is not None else math.nan


@dataclass(frozen=True)
class _OralModel:
    drug: str
    f: float
    ka: float
    disp: Disposition
    half_life_h: float

    @classmethod
    def for_drug(cls, drug: str, comedication: str | None, weight_kg: float) -> _OralModel:
        """The oral model of ``drug`` from its ``pk_model`` in the data (any drug that has one)."""
        d, w = _drug(drug), dosing.weight(weight_kg)
        if d.pk_model == "oral_one_compartment":
            half_life = _value(d, "half_life", comedication) * (1 + concentration_change(
                d.id, comedication))
            volume = _value(d, "volume_of_distribution", comedication) * w
            return cls(d.id, _value(d, "bioavailability", comedication),
                       _value(d, "absorption_rate_constant", comedication),
                       one_compartment(volume, math.log(2) / half_life * volume), half_life)
        if comedication not in (None, "none"):
            raise ValueError(f"comedication applies to drugs with an oral model; {d.id} has "
                             f"{d.pk_model}; allowed: None")
        if "oral" not in routes(d.id):
            raise checks.unknown(f"route for {d.id}", "oral", routes(d.id))
        disp = _iv_disposition(d, "one_compartment", w)
        return cls(d.id, d.param("oral_bioavailability").internal,
                   d.param("oral_absorption_rate_constant").internal, disp,
                   disp.terminal_half_life_h)

    def conc(self, times: np.ndarray, doses: np.ndarray, t: np.ndarray) -> np.ndarray:
        """mg/L at times ``t`` for doses ``doses`` (mg) given at ``times`` (h): superposition."""
        return self.disp.oral_doses(times, self.f * doses, t, self.ka)


def iv_infusion_profile(mg_per_kg: float = 0.5, infusion_min: float = 40.0,
                        weight_kg: float = 70.0, model: str = "two_compartment",
                        t_h: Sequence[float] | np.ndarray | None = None,
                        drug: str = "ketamine") -> Profile:
    """A constant-rate IV infusion (default: racemic ketamine), then its wash-out.

    Parameters
    ----------
    mg_per_kg : float
        Total dose per kg (> 0, at most 10). The depression research dose is 0.5 mg/kg.
    infusion_min : float
        Infusion duration in minutes (> 0, at most 1440); 40 in the research protocol.
    weight_kg : float
        1 to 300 kg. Volumes and clearance scale linearly with weight (a simplification).
    model : {'two_compartment', 'one_compartment'}
        'one_compartment' uses the Kamp 2020 meta-analysis volume (252 L/70 kg) and clearance
        and underestimates the early peak; 'two_compartment' keeps both and adds a smaller
        central volume (a calibrated teaching assumption, see the data note).
    t_h : array_like, optional
        Default: 0 to 8 h every minute.

    Returns
    -------
    Profile

    Raises
    ------
    ValueError
        A dose or duration outside its range, weight outside 1-300 kg, unknown model, or a
        time grid that is not increasing.

    Examples
    --------
    >>> two = iv_infusion_profile(0.5, 40)
    >>> one = iv_infusion_profile(0.5, 40, model="one_compartment")
    >>> round(two.cmax * 1000), round(one.cmax * 1000)
    (183, 125)
    """
    d = _drug(drug)
    if d.pk_model.startswith("oral"):
        raise checks.unknown(f"route for {d.id}", "iv", routes(d.id))
    dose = checks.positive("mg_per_kg", mg_per_kg, upper=10) * dosing.weight(weight_kg)
    duration_h = checks.positive("infusion_min", infusion_min, upper=1440) / 60
    disp = _iv_disposition(d, model, float(weight_kg))
    t = np.linspace(0, 8, 481) if t_h is None else dosing.time_grid(t_h)
    conc = dose * disp.infusion(t, duration_h)
    return Profile(t, conc, d.id, disp.terminal_half_life_h, _mw(d), ((0.0, dose),), route="iv",
                   _extra={"model": model, "infusion_min": float(infusion_min),
                           "cmax_ng_per_mL": round(float(conc.max()) * 1000, 1)})


def ketamine_profile(route: str = "iv", *, mg_per_kg: float | None = None,
                     dose_mg: float | None = None, infusion_min: float = 40.0,
                     weight_kg: float = 70.0, model: str = "two_compartment",
                     t_h: Sequence[float] | np.ndarray | None = None,
                     drug: str = "ketamine") -> Profile:
    """One dose of a drug with an IV model (default ketamine) by route: IV infusion, or a route
    with its own bioavailability and absorption rate in the data (ketamine: intranasal, oral).

    Give the dose either as ``mg_per_kg`` or as ``dose_mg`` (not both). Intranasal and oral
    doses are absorbed first-order with the route's bioavailability and absorption rate from
    the data, into the same disposition model as IV. Esketamine nasal spray is modelled with the
    racemic disposition (a simplification: (S)-ketamine is cleared somewhat faster).

    Parameters
    ----------
    route : {'iv', 'intranasal', 'oral'}
    mg_per_kg, dose_mg : float
        The dose (> 0); ``dose_mg`` at most 1000 mg.
    infusion_min : float
        IV only: infusion duration in minutes.
    weight_kg : float
        1 to 300 kg.
    model : {'two_compartment', 'one_compartment'}
    t_h : array_like, optional
        Default: 0 to 8 h every minute.

    Returns
    -------
    Profile

    Raises
    ------
    ValueError
        Unknown route or model, missing or doubled dose, or any value out of range.

    Examples
    --------
    >>> nasal = ketamine_profile("intranasal", dose_mg=56)
    >>> round(nasal.cmax * 1000), round(nasal.tmax_h * 60)
    (85, 25)
    >>> ketamine_profile("rectal", dose_mg=10)
    Traceback (most recent call last):
    ...
    ValueError: unknown route 'rectal'; allowed: intranasal, iv, oral
    """
    d = _drug(drug)
    if route not in routes(d.id) or d.pk_model.startswith("oral"):
        raise checks.unknown("route", route, routes(d.id))
    w = dosing.weight(weight_kg)
    if (mg_per_kg is None) == (dose_mg is None):
        raise ValueError("give exactly one of mg_per_kg or dose_mg (each a finite number > 0)")
    if route == "iv":
        per_kg = mg_per_kg if mg_per_kg is not None else checks.positive("dose_mg", dose_mg, 1000) / w
        return iv_infusion_profile(per_kg, infusion_min, w, model, t_h, drug=d.id)
    dose = (checks.positive("mg_per_kg", mg_per_kg, upper=10) * w if mg_per_kg is not None
            else checks.positive("dose_mg", dose_mg, upper=1000))
    f = d.param(f"{route}_bioavailability").internal
    ka = d.param(f"{route}_absorption_rate_constant").internal
    disp = _iv_disposition(d, model, w)
    t = np.linspace(0, 8, 481) if t_h is None else dosing.time_grid(t_h)
    conc = f * dose * disp.first_order(t, ka)
    return Profile(t, conc, d.id, disp.terminal_half_life_h, _mw(d), ((0.0, dose),), route=route,
                   _extra={"model": model, "cmax_ng_per_mL": round(float(conc.max()) * 1000, 1)})


# --------------------------------------------------------------------------- held dose


@dataclass(frozen=True)
class HeldDoseComparison:
    """The usual schedule and the changed one, and both values at one moment (mg/L)."""

    usual: Profile
    changed: Profile
    at_h: float
    usual_at: float
    changed_at: float

    @property
    def relative_change(self) -> float:
        """(changed - usual) / usual at ``at_h``; e.g. -0.2 means 20 % lower."""
        return (self.changed_at - self.usual_at) / self.usual_at if self.usual_at else 0.0


def held_dose_comparison(schedule: Schedule, dose_index: int, *, at_h: float,
                         delay_h: float | None = None, drug: str = "lamotrigine",
                         comedication: str | None = None, weight_kg: float = 70.0,
                         t_h: Sequence[float] | np.ndarray | None = None) -> HeldDoseComparison:
    """What holding (or delaying) one dose does to the level, against the usual schedule.

    Parameters
    ----------
    schedule : sequence of (time_h, dose_mg)
    dose_index : int
        Which dose (position in time order; negative counts from the end).
    at_h : float
        The moment to compare, hours (e.g. when a ketamine infusion starts).
    delay_h : float, optional
        None holds the dose (skips it); a number > 0 gives it that many hours later.
    drug, comedication, weight_kg, t_h
        As for :func:`oral_profile`.

    Returns
    -------
    HeldDoseComparison

    Raises
    ------
    ValueError
        ``dose_index`` outside the schedule, a bad delay or moment, or any error of
        :func:`oral_profile`.

    Examples
    --------
    Daily 200 mg for two weeks; the last morning dose is held, the infusion is 3 h later:

    >>> sched = regular_schedule(200, 24, 14)
    >>> c = held_dose_comparison(sched, -1, at_h=13 * 24 + 3)
    >>> round(c.usual_at, 2), round(c.changed_at, 2), round(c.relative_change, 2)
    (4.94, 2.58, -0.48)

    Lower than the usual post-dose level, yet still about 90 % of the usual trough: holding one
    dose does not clear lamotrigine.
    """
    times, doses = dosing.as_arrays(schedule)
    n = len(times)
    if isinstance(dose_index, bool) or not isinstance(dose_index, (int, np.integer)) \
            or not -n <= dose_index < n:
        raise ValueError(f"dose_index must be a whole number from {-n} to {n - 1}; "
                         f"got {dose_index!r}")
    at = float(at_h)
    if not math.isfinite(at):
        raise ValueError(f"at_h must be a finite number of hours; got {at_h!r}")
    keep = np.arange(n) != (dose_index % n)
    new_times, new_doses = times[keep], doses[keep]
    if delay_h is not None:
        moved = times[dose_index] + checks.positive("delay_h", delay_h, upper=168)
        new_times, new_doses = np.append(new_times, moved), np.append(new_doses, doses[dose_index])
    usual = oral_profile(schedule, drug, t_h, comedication, weight_kg)
    model = _OralModel.for_drug(drug, comedication, weight_kg)
    at_grid = np.array([at])
    changed = Profile(usual.t_h, model.conc(new_times, new_doses, usual.t_h), usual.drug,
                      usual.half_life_h, usual.molecular_weight,
                      tuple(zip(new_times.tolist(), new_doses.tolist(), strict=True)), route="oral")
    return HeldDoseComparison(usual, changed, at,
                              float(model.conc(times, doses, at_grid)[0]),
                              float(model.conc(new_times, new_doses, at_grid)[0]))
