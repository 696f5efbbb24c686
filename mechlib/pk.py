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
from dataclasses import dataclass, field

import numpy as np

from mechlib import data

DRUGS = ("ketamine", "lamotrigine")
COMEDICATIONS = ("inducer", "valproate")
KETAMINE_ROUTES = ("intranasal", "iv", "oral")
IV_MODELS = ("one_compartment", "two_compartment")
BAND_UNITS = {"mg/L": 1.0, "ng/mL": 1e-3}
TEACHING_NOTE = "Teaching model for an average adult: not dosing advice."

Schedule = Sequence[tuple[float, float]]


# --------------------------------------------------------------------------- input checks


def _allowed(what: str, value: object, allowed: Sequence[str]) -> ValueError:
    return ValueError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")


def _positive(name: str, value: float, upper: float | None = None) -> float:
    """``value`` as a float, or ValueError naming ``name`` and the allowed range."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    limit = f"a finite number > 0{f' and <= {upper:g}' if upper else ''}"
    if not math.isfinite(v) or v <= 0 or (upper is not None and v > upper):
        raise ValueError(f"{name} must be {limit}; got {value!r}")
    return v


def _weight(weight_kg: float) -> float:
    try:
        w = float(weight_kg)
    except (TypeError, ValueError):
        w = math.nan
    if not 1 <= w <= 300:
        raise ValueError(f"weight_kg must be between 1 and 300 kg; got {weight_kg!r}")
    return w


def _time_grid(t_h: Sequence[float] | np.ndarray) -> np.ndarray:
    t = np.asarray(t_h, dtype=float)
    if t.ndim != 1 or t.size < 2:
        raise ValueError("t_h must be a 1-D sequence of at least 2 times in hours")
    if not np.all(np.isfinite(t)) or not np.all(np.diff(t) > 0):
        raise ValueError("t_h must be finite and strictly increasing (hours)")
    return t


def _schedule(schedule: Schedule) -> tuple[np.ndarray, np.ndarray]:
    rows = list(schedule)
    if not rows:
        raise ValueError("schedule is empty; allowed: one or more (time_h, dose_mg) pairs")
    times, doses = [], []
    for i, row in enumerate(rows):
        try:
            t, d = row
        except (TypeError, ValueError):
            raise ValueError(f"schedule[{i}] must be a (time_h, dose_mg) pair; got {row!r}") from None
        t = float(t)
        if not math.isfinite(t):
            raise ValueError(f"schedule[{i}] time_h must be a finite number of hours; got {t!r}")
        times.append(t)
        doses.append(_positive(f"schedule[{i}] dose_mg", d))
    order = np.argsort(times, kind="stable")
    return np.asarray(times)[order], np.asarray(doses)[order]


def _drug(name: str) -> str:
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in DRUGS:
        raise _allowed("drug", name, DRUGS)
    return key


def _param(drug: str, name: str) -> float:
    return data.load().drug(drug).param(name).value


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

    def infusion(self, dt: np.ndarray, duration_h: float) -> np.ndarray:
        """mg/L per mg infused evenly over ``duration_h``, ``dt`` hours after the start."""
        d = np.maximum(dt, 0)
        on = np.minimum(d, duration_h)
        out = np.zeros_like(d)
        for a, lam in zip(self.a, self.lam, strict=True):
            out += a / lam * (1 - np.exp(-lam * on)) * np.exp(-lam * (d - on))
        return out / duration_h


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
        return _param("lamotrigine", "half_life")
    if key == "valproate":
        return _param("lamotrigine", "half_life_with_valproate")
    if key == "inducer":
        return _param("lamotrigine", "half_life_with_inducers")
    raise _allowed("comedication", comedication, ("none", *COMEDICATIONS))


def _ketamine_disposition(model: str, weight_kg: float) -> _Disposition:
    """Ketamine, per-70-kg values scaled linearly with weight (a teaching simplification)."""
    scale = weight_kg / data.load().physiology_param("body_weight").value
    cl = _param("ketamine", "clearance_meta") * scale
    vss = _param("ketamine", "volume_of_distribution_meta") * scale
    if model == "one_compartment":
        return _one_compartment(vss, cl)
    if model == "two_compartment":
        v1 = _param("ketamine", "central_volume_2cmt") * scale
        q = _param("ketamine", "intercompartmental_clearance_2cmt") * scale
        return _two_compartment(v1, vss - v1, cl, q)
    raise _allowed("model", model, IV_MODELS)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class Profile:
    """A concentration-time curve and its summary metrics.

    Attributes
    ----------
    t_h, conc_mg_per_L : ndarray
        Time (hours) and plasma concentration (mg/L, equal to µg/mL).
    drug : str
    half_life_h : float
        The elimination (terminal) half-life the model used.
    molecular_weight : float
        g/mol, from the data, for :attr:`conc_uM`.
    doses : tuple of (time_h, dose_mg)
        What was given (IV infusions: the start time).
    css_avg : float or None
        Average steady-state concentration (mg/L) for a regular schedule, else None.
    note : str
        What kind of model this is; show it with the curve.
    """

    t_h: np.ndarray
    conc_mg_per_L: np.ndarray
    drug: str
    half_life_h: float
    molecular_weight: float
    doses: tuple[tuple[float, float], ...]
    css_avg: float | None = None
    note: str = TEACHING_NOTE
    route: str = "oral"
    _extra: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def conc_ng_per_mL(self) -> np.ndarray:
        """Concentration in ng/mL."""
        return self.conc_mg_per_L * 1000.0

    @property
    def conc_uM(self) -> np.ndarray:
        """Concentration in µmol/L, via the molecular weight in the data."""
        return self.conc_mg_per_L * 1000.0 / self.molecular_weight

    @property
    def cmax(self) -> float:
        """Highest concentration on the grid, mg/L."""
        return float(self.conc_mg_per_L.max())

    @property
    def tmax_h(self) -> float:
        """Time of the highest concentration, hours."""
        return float(self.t_h[int(np.argmax(self.conc_mg_per_L))])

    @property
    def trough(self) -> float | None:
        """Lowest concentration (mg/L) in the last dosing interval; None for a single dose."""
        if len(self.doses) < 2:
            return None
        last, prev = self.doses[-1][0], self.doses[-2][0]
        window = (self.t_h >= last) & (self.t_h <= last + (last - prev))
        return float(self.conc_mg_per_L[window].min()) if window.any() else None

    def auc(self, t0_h: float | None = None, t1_h: float | None = None) -> float:
        """Area under the curve between ``t0_h`` and ``t1_h`` (default: the whole grid), mg·h/L.

        Examples
        --------
        >>> p = oral_profile([(0, 100)], t_h=np.linspace(0, 24, 1441))
        >>> round(p.auc(0, 24), 1)
        22.0
        """
        t0 = self.t_h[0] if t0_h is None else t0_h
        t1 = self.t_h[-1] if t1_h is None else t1_h
        if not (math.isfinite(t0) and math.isfinite(t1) and t0 < t1):
            raise ValueError(f"auc needs finite t0_h < t1_h; got {t0_h!r}, {t1_h!r}")
        inside = (self.t_h > t0) & (self.t_h < t1)
        t = np.concatenate(([t0], self.t_h[inside], [t1]))
        c = np.interp(t, self.t_h, self.conc_mg_per_L)
        return float(np.trapezoid(c, t))

    def time_to_fraction_of_steady_state(self, fraction: float = 0.9) -> float:
        """Hours of regular dosing until the level reaches ``fraction`` of steady state.

        For first-order elimination this is ln(1 / (1 - fraction)) / k: about 3.3 half-lives
        for 90 %.

        Examples
        --------
        >>> p = oral_profile([(0, 100)])
        >>> round(p.time_to_fraction_of_steady_state(0.9) / 24, 1)
        3.5
        """
        if not 0 < fraction < 1:
            raise ValueError(f"fraction must be between 0 and 1 (exclusive); got {fraction!r}")
        return math.log(1 / (1 - fraction)) * self.half_life_h / math.log(2)

    def time_in_band(self, lo: float, hi: float, unit: str = "mg/L") -> float:
        """Hours the concentration spends within [lo, hi] (``unit`` 'mg/L' or 'ng/mL').

        Examples
        --------
        >>> k = ketamine_profile("iv", mg_per_kg=0.5, infusion_min=40)
        >>> round(k.time_in_band(100, 250, unit="ng/mL"), 2)
        0.75
        """
        if unit not in BAND_UNITS:
            raise _allowed("unit", unit, tuple(BAND_UNITS))
        lo_v, hi_v = _nonneg("lo", lo), _nonneg("hi", hi)
        if lo_v > hi_v:
            raise ValueError(f"lo must be <= hi; got lo={lo!r}, hi={hi!r}")
        c = self.conc_mg_per_L / BAND_UNITS[unit]
        mid = (c[:-1] + c[1:]) / 2
        return float(np.diff(self.t_h)[(mid >= lo_v) & (mid <= hi_v)].sum())

    def summary(self) -> dict:
        """The headline numbers, rounded for display; concentrations in mg/L.

        Examples
        --------
        >>> oral_profile(regular_schedule(200, 24, 28)).summary()["css_avg"]
        3.8865
        """
        def r(x: float | None) -> float | None:
            return None if x is None else round(x, 4)

        return {
            "drug": self.drug, "route": self.route, "unit": "mg/L",
            "cmax": r(self.cmax), "tmax_h": round(self.tmax_h, 3), "trough": r(self.trough),
            "css_avg": r(self.css_avg), "half_life_h": round(self.half_life_h, 2),
            **self._extra,
        }


def _nonneg(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return v


# --------------------------------------------------------------------------- schedules


def regular_schedule(dose_mg: float, every_h: float, days: float) -> list[tuple[float, float]]:
    """The same dose every ``every_h`` hours for ``days`` days, first dose at time 0.

    Parameters
    ----------
    dose_mg : float
        Each dose, mg (> 0).
    every_h : float
        Dosing interval, hours (> 0, at most 168).
    days : float
        How long, in days (> 0, at most 365).

    Returns
    -------
    list of (time_h, dose_mg)

    Raises
    ------
    ValueError
        A dose, interval or duration outside its allowed range.

    Examples
    --------
    >>> regular_schedule(100, every_h=12, days=1)
    [(0.0, 100.0), (12.0, 100.0)]
    """
    dose = _positive("dose_mg", dose_mg)
    tau = _positive("every_h", every_h, upper=168)
    n = math.ceil(_positive("days", days, upper=365) * 24 / tau - 1e-9)
    return [(i * tau, dose) for i in range(n)]


def titration_schedule(kind: str = "standard", days: int = 42) -> list[tuple[float, float]]:
    """A lamotrigine titration schedule from the data, one entry per dose (first dose at 0 h).

    Parameters
    ----------
    kind : {'standard', 'valproate', 'inducer'}
        No interacting drugs, with valproate, or with an enzyme inducer (label schedules).
    days : int
        How many days to lay out (1 to 364).

    Returns
    -------
    list of (time_h, dose_mg)

    Raises
    ------
    ValueError
        Unknown ``kind`` (the message lists the allowed ones) or ``days`` out of range.

    Examples
    --------
    >>> titration_schedule("valproate", days=4)
    [(0.0, 25.0), (48.0, 25.0)]
    >>> titration_schedule("standard", days=35)[-1]
    (816.0, 100.0)
    """
    key = kind.strip().lower() if isinstance(kind, str) else kind
    titrations = data.load().drug("lamotrigine").titration
    if key not in titrations:
        raise _allowed("titration kind", kind, sorted(titrations))
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or not 1 <= days <= 364:
        raise ValueError(f"days must be a whole number from 1 to 364; got {days!r}")
    out = []
    for step in titrations[key].steps:
        first = (step.from_week - 1) * 7
        for day in range(first, min(step.to_week * 7, days), step.every_days):
            out.append((day * 24.0, float(step.dose_mg)))
    return out


def _regular_interval(times: np.ndarray, doses: np.ndarray) -> float | None:
    if len(times) < 2 or not np.allclose(doses, doses[0]):
        return None
    gaps = np.diff(times)
    return float(gaps[0]) if np.allclose(gaps, gaps[0]) and gaps[0] > 0 else None


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
    times, doses = _schedule(schedule)
    t = _default_grid(times, 24.0, 1 / 6) if t_h is None else _time_grid(t_h)
    tau = _regular_interval(times, doses)
    css = None if tau is None else float(model.f * doses[-1] / (model.disp.clearance_L_per_h * tau))
    return Profile(t, model.conc(times, doses, t), model.drug, model.half_life_h,
                   _param(model.drug, "molecular_weight"),
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
        key, w = _drug(drug), _weight(weight_kg)
        if key == "lamotrigine":
            half_life = _lamotrigine_half_life(comedication)
            volume = _param(key, "volume_of_distribution") * w
            return cls(key, _param(key, "oral_bioavailability"),
                       _param(key, "absorption_rate_constant"),
                       _one_compartment(volume, math.log(2) / half_life * volume), half_life)
        if comedication is not None:
            raise ValueError("comedication applies to lamotrigine only; allowed for ketamine: None")
        disp = _ketamine_disposition("one_compartment", w)
        return cls(key, _param(key, "oral_bioavailability"),
                   _param(key, "oral_absorption_rate_constant"), disp, disp.terminal_half_life_h)

    def conc(self, times: np.ndarray, doses: np.ndarray, t: np.ndarray) -> np.ndarray:
        """mg/L at times ``t`` for doses ``doses`` (mg) given at ``times`` (h): superposition."""
        return self.disp.first_order(t[:, None] - times[None, :], self.ka) @ (self.f * doses)


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
    dose = _positive("mg_per_kg", mg_per_kg, upper=10) * _weight(weight_kg)
    duration_h = _positive("infusion_min", infusion_min, upper=1440) / 60
    if model not in IV_MODELS:
        raise _allowed("model", model, IV_MODELS)
    disp = _ketamine_disposition(model, float(weight_kg))
    t = np.linspace(0, 8, 481) if t_h is None else _time_grid(t_h)
    conc = dose * disp.infusion(t, duration_h)
    return Profile(t, conc, "ketamine", disp.terminal_half_life_h,
                   _param("ketamine", "molecular_weight"), ((0.0, dose),), route="iv",
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
        raise _allowed("route", route, KETAMINE_ROUTES)
    w = _weight(weight_kg)
    if (mg_per_kg is None) == (dose_mg is None):
        raise ValueError("give exactly one of mg_per_kg or dose_mg (each a finite number > 0)")
    if route == "iv":
        per_kg = mg_per_kg if mg_per_kg is not None else _positive("dose_mg", dose_mg, 1000) / w
        return iv_infusion_profile(per_kg, infusion_min, w, model, t_h)
    dose = (_positive("mg_per_kg", mg_per_kg, upper=10) * w if mg_per_kg is not None
            else _positive("dose_mg", dose_mg, upper=1000))
    if model not in IV_MODELS:
        raise _allowed("model", model, IV_MODELS)
    f = _param("ketamine", f"{route}_bioavailability")
    ka = _param("ketamine", f"{route}_absorption_rate_constant")
    disp = _ketamine_disposition(model, w)
    t = np.linspace(0, 8, 481) if t_h is None else _time_grid(t_h)
    conc = f * dose * disp.first_order(t, ka)
    return Profile(t, conc, "ketamine", disp.terminal_half_life_h,
                   _param("ketamine", "molecular_weight"), ((0.0, dose),), route=route,
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
    times, doses = _schedule(schedule)
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
        moved = times[dose_index] + _positive("delay_h", delay_h, upper=168)
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
