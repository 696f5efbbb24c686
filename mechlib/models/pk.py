"""Closed-form pharmacokinetic models for the lessons (numpy, vectorised over time).

Every parameter comes from ``data/drugs.yaml`` with its reference. The models are teaching
models for an average adult, not dosing tools.

- Lamotrigine: one compartment with first-order absorption (the Bateman function), any dose
  schedule by superposition; co-medication changes the half-life as the label says.
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

from mechlib.models import checks, dosing
from mechlib.models.dosing import Schedule, regular_schedule, titration_schedule
from mechlib.models.profile import BAND_UNITS, TEACHING_NOTE, Profile

__all__ = [
    "BAND_UNITS", "COMEDICATIONS", "DRUGS", "IV_MODELS", "KETAMINE_ROUTES", "TEACHING_NOTE",
    "HeldDoseComparison", "Profile", "Schedule", "held_dose_comparison", "iv_infusion_profile",
    "ketamine_profile", "oral_profile", "regular_schedule", "titration_schedule",
]

DRUGS = ("ketamine", "lamotrigine")
COMEDICATIONS = ("inducer", "valproate")
KETAMINE_ROUTES = ("intranasal", "iv", "oral")
IV_MODELS = ("one_compartment", "two_compartment")


def _drug(name: str) -> str:
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in DRUGS:
        raise checks.unknown("drug", name, DRUGS)
    return key


# --------------------------------------------------------------------------- disposition


@dataclass(frozen=True)
class _Disposition:
    """Unit-dose central concentration as a sum of exponentials: sum(a_i * exp(-lam_i * t)).

    ``a`` is in 1/L (concentration in mg/L per mg given), ``lam`` in 1/h.
    """

    a: np.ndarray
    lam: np.ndarray
    clearance_L_per_h: float

    @property
    def terminal_half_life_h(self) -> float:
        return math.log(2) / float(self.lam.min())

    def first_order(self, dt: np.ndarray, ka: float) -> np.ndarray:
        """mg/L per absorbed mg, ``dt`` hours after an oral dose (Bateman, by exponentials)."""
        d = np.maximum(dt, 0)
        out = np.zeros_like(d)
        for a, lam in zip(self.a, self.lam, strict=True):
            if abs(ka - lam) < 1e-9 * ka:
                out += a * ka * d * np.exp(-ka * d)
            else:
                out += a * ka / (ka - lam) * (np.exp(-lam * d) - np.exp(-ka * d))
        return out

    def oral_doses(self, times: np.ndarray, doses: np.ndarray, t: np.ndarray,
                   ka: float) -> np.ndarray:
        """mg/L at ``t`` for absorbed ``doses`` (mg) at sorted ``times`` (h), first-order absorption.

        Superposition without a (times x doses) matrix: each exponential's sum over past doses
        is carried from dose to dose by a recursion (:func:`_decayed_sums`), so memory and time
        grow as doses + time points, not doses x time points.
        """
        out = np.zeros_like(t)
        s_ka = None
        for a, lam in zip(self.a, self.lam, strict=True):
            if abs(ka - lam) < 1e-9 * ka:
                out += a * ka * _decayed_sums(times, doses, t, ka, lagged=True)
                continue
            if s_ka is None:
                s_ka = _decayed_sums(times, doses, t, ka)
            out += a * ka / (ka - lam) * (_decayed_sums(times, doses, t, lam) - s_ka)
        return out

    def infusion(self, dt: np.ndarray, duration_h: float) -> np.ndarray:
        """mg/L per mg infused evenly over ``duration_h``, ``dt`` hours after the start."""
        d = np.maximum(dt, 0)
        on = np.minimum(d, duration_h)
        out = np.zeros_like(d)
        for a, lam in zip(self.a, self.lam, strict=True):
            out += a / lam * (1 - np.exp(-lam * on)) * np.exp(-lam * (d - on))
        return out / duration_h


def _decayed_sums(times: np.ndarray, doses: np.ndarray, t: np.ndarray, rate: float,
                  lagged: bool = False) -> np.ndarray:
    """sum over doses j with times[j] <= t of doses[j] * exp(-rate * (t - times[j])), at each t;
    with ``lagged``, each term also times (t - times[j]). ``times`` sorted.

    Examples
    --------
    >>> _decayed_sums(np.array([0.0, 1.0]), np.array([1.0, 1.0]), np.array([0.5, 2.0]), 0.0)
    array([1., 2.])
    """
    n = len(times)
    acc, lag = np.empty(n), np.empty(n)
    decay = np.exp(-rate * np.diff(times, prepend=times[0])).tolist()
    gaps = np.diff(times, prepend=times[0]).tolist()
    a = b = 0.0
    for j, (d, e, g) in enumerate(zip(doses.tolist(), decay, gaps, strict=True)):
        b = (b + a * g) * e   # the lagged sum, carried to this dose (the new dose adds 0)
        a = a * e + d
        acc[j], lag[j] = a, b
    idx = np.searchsorted(times, t, side="right") - 1
    out = np.zeros_like(t, dtype=float)
    m = idx >= 0
    k, dt = idx[m], t[m] - times[idx[m]]
    fall = np.exp(-rate * dt)
    out[m] = (lag[k] + acc[k] * dt) * fall if lagged else acc[k] * fall
    return out


def _one_compartment(volume_L: float, clearance_L_per_h: float) -> _Disposition:
    return _Disposition(np.array([1 / volume_L]), np.array([clearance_L_per_h / volume_L]),
                        clearance_L_per_h)


def _two_compartment(v1: float, v2: float, cl: float, q: float) -> _Disposition:
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s, p = k10 + k12 + k21, k10 * k21
    root = math.sqrt(s * s - 4 * p)
    alpha, beta = (s + root) / 2, (s - root) / 2
    a = np.array([(alpha - k21) / (v1 * (alpha - beta)), (k21 - beta) / (v1 * (alpha - beta))])
    return _Disposition(a, np.array([alpha, beta]), cl)


def _lamotrigine_half_life(comedication: str | None) -> float:
    key = comedication.strip().lower() if isinstance(comedication, str) else comedication
    if key in (None, "none"):
        return checks.drug_value("lamotrigine", "half_life")
    if key == "valproate":
        return checks.drug_value("lamotrigine", "half_life_with_valproate")
    if key == "inducer":
        return checks.drug_value("lamotrigine", "half_life_with_inducers")
    raise checks.unknown("comedication", comedication, ("none", *COMEDICATIONS))


def _ketamine_disposition(model: str, weight_kg: float) -> _Disposition:
    """Ketamine, per-kg values (the data give them per 70 kg) scaled linearly with weight (a
    teaching simplification)."""
    scale = weight_kg
    cl = checks.drug_value("ketamine", "clearance_meta") * scale
    vss = checks.drug_value("ketamine", "volume_of_distribution_meta") * scale
    if model == "one_compartment":
        return _one_compartment(vss, cl)
    if model == "two_compartment":
        v1 = checks.drug_value("ketamine", "central_volume_2cmt") * scale
        q = checks.drug_value("ketamine", "intercompartmental_clearance_2cmt") * scale
        return _two_compartment(v1, vss - v1, cl, q)
    raise checks.unknown("model", model, IV_MODELS)


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
    drug : {'lamotrigine', 'ketamine'}
    t_h : array_like, optional
        Strictly increasing times (hours). Default: from the first dose to one day after the
        last, every 10 minutes.
    comedication : {None, 'valproate', 'inducer'}
        Lamotrigine only: valproate lengthens the half-life, enzyme inducers shorten it.
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
                   checks.drug_value(model.drug, "molecular_weight"),
                   tuple(zip(times.tolist(), doses.tolist(), strict=True)), css, route="oral")


@dataclass(frozen=True)
class _OralModel:
    drug: str
    f: float
    ka: float
    disp: _Disposition
    half_life_h: float

    @classmethod
    def for_drug(cls, drug: str, comedication: str | None, weight_kg: float) -> _OralModel:
        key, w = _drug(drug), dosing.weight(weight_kg)
        if key == "lamotrigine":
            half_life = _lamotrigine_half_life(comedication)
            volume = checks.drug_value(key, "volume_of_distribution") * w
            return cls(key, checks.drug_value(key, "oral_bioavailability"),
                       checks.drug_value(key, "absorption_rate_constant"),
                       _one_compartment(volume, math.log(2) / half_life * volume), half_life)
        if comedication is not None:
            raise ValueError("comedication applies to lamotrigine only; allowed for ketamine: None")
        disp = _ketamine_disposition("one_compartment", w)
        return cls(key, checks.drug_value(key, "oral_bioavailability"),
                   checks.drug_value(key, "oral_absorption_rate_constant"), disp, disp.terminal_half_life_h)

    def conc(self, times: np.ndarray, doses: np.ndarray, t: np.ndarray) -> np.ndarray:
        """mg/L at times ``t`` for doses ``doses`` (mg) given at ``times`` (h): superposition."""
        return self.disp.oral_doses(times, self.f * doses, t, self.ka)


def iv_infusion_profile(mg_per_kg: float = 0.5, infusion_min: float = 40.0,
                        weight_kg: float = 70.0, model: str = "two_compartment",
                        t_h: Sequence[float] | np.ndarray | None = None) -> Profile:
    """Racemic ketamine given as a constant-rate IV infusion, then its wash-out.

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
    dose = checks.positive("mg_per_kg", mg_per_kg, upper=10) * dosing.weight(weight_kg)
    duration_h = checks.positive("infusion_min", infusion_min, upper=1440) / 60
    if model not in IV_MODELS:
        raise checks.unknown("model", model, IV_MODELS)
    disp = _ketamine_disposition(model, float(weight_kg))
    t = np.linspace(0, 8, 481) if t_h is None else dosing.time_grid(t_h)
    conc = dose * disp.infusion(t, duration_h)
    return Profile(t, conc, "ketamine", disp.terminal_half_life_h,
                   checks.drug_value("ketamine", "molecular_weight"), ((0.0, dose),), route="iv",
                   _extra={"model": model, "infusion_min": float(infusion_min),
                           "cmax_ng_per_mL": round(float(conc.max()) * 1000, 1)})


def ketamine_profile(route: str = "iv", *, mg_per_kg: float | None = None,
                     dose_mg: float | None = None, infusion_min: float = 40.0,
                     weight_kg: float = 70.0, model: str = "two_compartment",
                     t_h: Sequence[float] | np.ndarray | None = None) -> Profile:
    """One ketamine dose by route: IV infusion, intranasal spray or oral.

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
    if route not in KETAMINE_ROUTES:
        raise checks.unknown("route", route, KETAMINE_ROUTES)
    w = dosing.weight(weight_kg)
    if (mg_per_kg is None) == (dose_mg is None):
        raise ValueError("give exactly one of mg_per_kg or dose_mg (each a finite number > 0)")
    if route == "iv":
        per_kg = mg_per_kg if mg_per_kg is not None else checks.positive("dose_mg", dose_mg, 1000) / w
        return iv_infusion_profile(per_kg, infusion_min, w, model, t_h)
    dose = (checks.positive("mg_per_kg", mg_per_kg, upper=10) * w if mg_per_kg is not None
            else checks.positive("dose_mg", dose_mg, upper=1000))
    if model not in IV_MODELS:
        raise checks.unknown("model", model, IV_MODELS)
    f = checks.drug_value("ketamine", f"{route}_bioavailability")
    ka = checks.drug_value("ketamine", f"{route}_absorption_rate_constant")
    disp = _ketamine_disposition(model, w)
    t = np.linspace(0, 8, 481) if t_h is None else dosing.time_grid(t_h)
    conc = f * dose * disp.first_order(t, ka)
    return Profile(t, conc, "ketamine", disp.terminal_half_life_h,
                   checks.drug_value("ketamine", "molecular_weight"), ((0.0, dose),), route=route,
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
