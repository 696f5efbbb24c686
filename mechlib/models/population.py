"""Virtual patients: a seeded population sampled from cited variability, and its percentile bands.

Each patient gets a clearance, a volume and a body weight drawn from the log-normal
distributions in ``data/population.yaml`` (how each is fitted to a reported mean and range is
stated by :func:`describe_distribution`: a modelling assumption, labelled as one). The
concentration of every patient is computed at once (numpy, closed form):

- lamotrigine: one compartment, first-order absorption (the same Bateman model as
  :mod:`mechlib.models.pk`), doses by superposition carried from dose to dose, so memory grows
  with patients x time points, never with the number of doses. A clearance that changes at a
  dose (the contraceptive pill's pill-free week) is exact at daily resolution.
- ketamine: the two-compartment teaching disposition of :mod:`mechlib.models.pk` with each
  patient's clearance and volumes (IV infusion, or first-order intranasal / oral absorption).

Examples
--------
>>> from mechlib.models import pk
>>> pop = lamotrigine_population(pk.regular_schedule(200, 24, 28), n=200, seed=1)
>>> pop.conc_mg_per_L.shape
(200, 673)
>>> round(float(pop.percentiles()[50][-1]), 1)
2.8
>>> pop2 = lamotrigine_population(pk.regular_schedule(200, 24, 28), n=200, seed=1)
>>> bool((pop.conc_mg_per_L == pop2.conc_mg_per_L).all())  # seeded: reproducible
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mechlib.models import bands, checks, dosing
from mechlib.models.patients import (
    Patients,
    _pop,
    comedication_labels,
    describe_distribution,
    lognormal,
    sample_patients,
)

__all__ = ["PERCENTILES", "Patients", "PopulationProfile", "comedication_labels",
           "describe_distribution", "ketamine_population", "lamotrigine_population", "lognormal",
           "sample_patients", "shares", "time_to_90_h"]

#: The percentile bands every population shows.
PERCENTILES = bands.PERCENTILES
_ROUTES = ("intranasal", "iv", "oral")


def _value(drug: str, name: str) -> float:
    """A drug parameter from drugs.yaml (one place to change if its name changes)."""
    return checks.drug_value(drug, name)


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class PopulationProfile:
    """Every patient's curve (rows) on one time grid, and the per-patient and population numbers.

    ``band`` is the concentration band (mg/L) the shares refer to; ``measure`` names what
    places a patient inside, below or above it ('trough' or 'cmax').
    """

    t_h: np.ndarray
    conc_mg_per_L: np.ndarray
    patients: Patients
    band: tuple[float, float]
    measure: str
    last_interval_start_h: float
    note: str = ""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def cmax(self) -> np.ndarray:
        return self.conc_mg_per_L.max(axis=1)

    @property
    def trough(self) -> np.ndarray:
        """Lowest level in the last dosing interval (from the last dose to the end)."""
        sel = self.t_h >= self.last_interval_start_h
        return self.conc_mg_per_L[:, sel].min(axis=1)

    @property
    def time_to_90_h(self) -> np.ndarray:
        return time_to_90_h(self.patients)

    @property
    def fraction_in_band(self) -> np.ndarray:
        """Each patient's share of the time points inside ``band`` (ends included)."""
        lo, hi = self.band
        c = self.conc_mg_per_L
        # those at or below the top less those below the bottom: two counts, a third of the
        # time of combining two boolean arrays, and the same integers
        def count(mask: np.ndarray) -> np.ndarray:
            return mask.view(np.int8).sum(axis=1, dtype=np.int64)
        return (count(c <= hi) - count(c < lo)) / c.shape[1]

    def percentiles(self) -> dict[int, np.ndarray]:
        """{5, 25, 50, 75, 95}: each a curve over ``t_h`` (mg/L) to draw, as ``np.percentile``
        gives it for the curves rounded to float32 (7 significant digits).

        Computed once per population (see :func:`mechlib.models.bands.percentiles`) and kept.
        """
        if "pct" not in self._cache:
            self._cache["pct"] = bands.percentiles(self.conc_mg_per_L, PERCENTILES)
        return self._cache["pct"]

    def shares(self) -> dict[str, float]:
        """Fractions of patients whose ``measure`` lies below, inside and above ``band``."""
        return shares(self.trough if self.measure == "trough" else self.cmax, self.band)

    def summary(self) -> dict:
        """The population in numbers (medians and 5th-95th percentiles), JSON-ready."""
        def q(x: np.ndarray, digits: int = 3) -> dict:
            p5, p50, p95 = np.percentile(x, (5, 50, 95))
            return {"median": round(float(p50), digits), "p5": round(float(p5), digits),
                    "p95": round(float(p95), digits)}

        repeated = self.measure == "trough"  # trough and steady state mean nothing for one dose
        return {"drug": self.patients.drug, "comedication": self.patients.comedication,
                "n": self.patients.n, "seed": self.patients.seed,
                "band_mg_per_L": list(self.band), "classified_by": self.measure,
                "shares": {k: round(v, 4) for k, v in self.shares().items()},
                "half_life_h": q(self.patients.half_life_h, 2),
                "cmax_mg_per_L": q(self.cmax, 4),
                "trough_mg_per_L": q(self.trough, 4) if repeated else None,
                "time_to_90_h": q(self.time_to_90_h, 1) if repeated else None,
                "fraction_of_time_in_band": q(self.fraction_in_band), "note": self.note}

    def table(self) -> list[dict]:
        """One row per patient (for a CSV a class can analyse); single doses have no trough."""
        p, repeated = self.patients, self.measure == "trough"
        cols = zip(p.weight_kg, p.clearance_L_per_h, p.volume_L, p.half_life_h, self.cmax,
                   self.trough, self.time_to_90_h, self.fraction_in_band, strict=True)
        rows = []
        for i, (w, cl, v, h, cm, tr, t9, fb) in enumerate(cols):
            row = {"patient": i + 1, "weight_kg": round(float(w), 1),
                   "clearance_L_per_h": round(float(cl), 4), "volume_L": round(float(v), 2),
                   "half_life_h": round(float(h), 2), "cmax_mg_per_L": round(float(cm), 5)}
            if repeated:
                row.update(trough_mg_per_L=round(float(tr), 5), time_to_90_h=round(float(t9), 1))
            rows.append({**row, "fraction_of_time_in_band": round(float(fb), 4)})
        return rows


def shares(x: np.ndarray, band: tuple[float, float]) -> dict[str, float]:
    """Fractions of the values ``x`` (one per patient) below, inside and above ``band``.

    Examples
    --------
    >>> shares(np.array([1.0, 3.0, 3.0, 9.0]), (2.0, 5.0))
    {'below': 0.25, 'inside': 0.5, 'above': 0.25}
    """
    lo, hi = band
    below, above = float((x < lo).mean()), float((x > hi).mean())
    return {"below": below, "inside": 1.0 - below - above, "above": above}


def time_to_90_h(patients: Patients) -> np.ndarray:
    """Each patient's time to 90 % of steady state under regular dosing: ln 10 / k, that is
    3.3 half-lives."""
    return math.log(10) / math.log(2) * patients.half_life_h


NOTE = ("Virtual patients of a teaching model: the spread comes from cited ranges fitted as "
        "log-normal distributions (a modelling assumption). Not dosing advice.")


# --------------------------------------------------------------------------- lamotrigine


def _clearance_folds(times: np.ndarray, comed: str) -> np.ndarray:
    """Multiplier on each patient's clearance for each dosing interval (the pill's cycle).

    She is taken to have been on the pill long before the first dose (fully induced at day 0,
    the start of a pack). In the pill-free week the induction decays towards none, and it
    returns when the next pack starts, each with the half-time in the data.
    """
    c = _pop().comedications[comed]
    if not c.cycle:
        return np.ones(len(times))
    par = _pop().param
    fold = par(c.clearance_fold).value
    on, off = par("contraceptive_active_days").value, par("contraceptive_free_days").value
    rate = math.log(2) / par("contraceptive_switch_half_time").value  # 1/day
    out = np.empty(len(times))
    level, last = 1.0, 0.0  # induction level 0..1 (1 = fully induced)
    for i, t in enumerate(times / 24):
        phase_on = (t % (on + off)) < on
        dt = t - last
        level = 1 - (1 - level) * math.exp(-rate * dt) if phase_on else level * math.exp(-rate * dt)
        out[i], last = 1 + (fold - 1) * level, t
    return out / fold  # relative to the induced clearance the patients were sampled with


def lamotrigine_population(schedule: dosing.Schedule, *, n: int = 1000, seed: int = 0,
                           comedication: str = "none",
                           t_h: Sequence[float] | np.ndarray | None = None) -> PopulationProfile:
    """Lamotrigine in ``n`` virtual patients on one dose schedule.

    Parameters
    ----------
    schedule : sequence of (time_h, dose_mg)
        As for :func:`mechlib.models.pk.oral_profile`.
    n, seed, comedication
        As for :func:`sample_patients`.
    t_h : array_like, optional
        Default: hourly from the first dose to 24 h after the last (the lessons' resolution).

    Returns
    -------
    PopulationProfile
        Shares by the trough in the last dosing interval against the plasma reference range.

    Raises
    ------
    ValueError
        Any error of :func:`sample_patients` or of the schedule or time grid.

    Examples
    --------
    >>> from mechlib.models import pk
    >>> pop = lamotrigine_population(pk.regular_schedule(200, 24, 28), n=500, seed=0,
    ...                              comedication="valproate")
    >>> pop.summary()["shares"]["above"] > 0
    True
    """
    times, doses = dosing.as_arrays(schedule)
    t = (np.arange(times[0], times[-1] + 24 + 1e-9, 1.0) if t_h is None
         else dosing.time_grid(t_h))
    pts = sample_patients("lamotrigine", n, seed, comedication)
    conc = _oral_superposition(times, doses * _value("lamotrigine", "oral_bioavailability"), t,
                               _value("lamotrigine", "absorption_rate_constant"),
                               pts.clearance_L_per_h / pts.volume_L,
                               _clearance_folds(times, pts.comedication), pts.volume_L)
    band = (_value("lamotrigine", "reference_range_low"),
            _value("lamotrigine", "reference_range_high"))
    return PopulationProfile(t, conc, pts, band, "trough", float(times[-1]), NOTE)


#: Time points per block in the population arithmetic (1 MB of float64 for 1,000 patients).
_BLOCK = 128


def _oral_superposition(times: np.ndarray, doses: np.ndarray, t: np.ndarray, ka: float,
                        k0: np.ndarray, fold: np.ndarray, volume: np.ndarray) -> np.ndarray:
    """mg/L for every patient: gut and body amounts carried from dose to dose, then evaluated.

    Patient i eliminates at ``k0[i] * fold[j]`` (1/h) in dosing interval j. Exponentials are
    computed once per distinct exponent (k0 x fold x time since the dose) and then gathered,
    which keeps 1,000 patients x 28 days fast.
    """
    n, d = len(k0), len(times)
    # Column-major (one dose, or one exponent, per contiguous column): gathering whole columns
    # by time point is then a block copy, about 7x faster than picking one value per row.
    k = np.asfortranarray(k0[:, None] * fold[None, :])
    gut, body = np.zeros((n, d), order="F"), np.zeros((n, d), order="F")
    g, b = np.zeros(n), np.zeros(n)
    for j in range(d):
        if j:
            g, b = _advance(g, b, times[j] - times[j - 1], ka, k[:, j - 1])
        g = g + doses[j]
        gut[:, j], body[:, j] = g, b
    idx = np.searchsorted(times, t, side="right") - 1
    before = idx < 0
    idx = np.maximum(idx, 0)
    dt = t - times[idx]
    ea = np.exp(-ka * dt)  # the same for every patient
    scaled, inverse = np.unique(np.round(fold[idx] * dt, 9), return_inverse=True)
    table = np.exp(np.asfortranarray(-k0[:, None] * scaled[None, :]))
    lift = gut * (ka / (ka - k))
    conc = np.empty((n, len(t)), order="F")
    # 128 time points at a time: each block's temporaries (1 MB for 1,000 patients) stay in the
    # processor's cache through the five steps, half the time of whole-array passes; the same
    # arithmetic element by element, so the same result to the bit.
    for start in range(0, len(t), _BLOCK):
        cols = slice(start, start + _BLOCK)
        ek = table[:, inverse[cols]]  # new arrays (fancy indexing): worked on in place
        c = body[:, idx[cols]]
        c *= ek
        ek -= ea[cols]
        up = lift[:, idx[cols]]
        up *= ek
        c += up
        c /= volume[:, None]
        conc[:, cols] = c
    conc[:, before] = 0.0
    return conc



def _advance(gut, body, dt, ka: float, k):
    """Exact one-compartment step with first-order absorption over ``dt`` hours."""
    ea, ek = np.exp(-ka * dt), np.exp(-k * dt)
    return gut * ea, body * ek + gut * ka / (ka - k) * (ek - ea)


# --------------------------------------------------------------------------- ketamine


def ketamine_population(route: str = "iv", *, mg_per_kg: float | None = None,
                        dose_mg: float | None = None, infusion_min: float = 40.0,
                        n: int = 1000, seed: int = 0,
                        t_h: Sequence[float] | np.ndarray | None = None) -> PopulationProfile:
    """One ketamine dose in ``n`` virtual patients (two-compartment teaching disposition).

    Each patient's clearance and total volume are sampled; the central volume and the
    intercompartmental clearance keep their teaching-model proportion to them. IV doses are per
    kg (``mg_per_kg``); intranasal and oral doses are in mg (``dose_mg``).

    Returns
    -------
    PopulationProfile
        Shares by Cmax against the dissociation band (converted to mg/L).

    Raises
    ------
    ValueError
        Unknown route, a missing or out-of-range dose, or a bad ``n`` or ``seed``.

    Examples
    --------
    >>> pop = ketamine_population("iv", mg_per_kg=0.5, n=1000, seed=0)
    >>> round(float(np.median(pop.cmax)) * 1000)  # ng/mL; observed ~185
    194
    """
    if route not in _ROUTES:
        raise checks.unknown("route", route, _ROUTES)
    pts = sample_patients("ketamine", n, seed)
    w = pts.weight_kg
    if route == "iv":
        dose = checks.positive("mg_per_kg", 0.5 if mg_per_kg is None else mg_per_kg, upper=10) * w
        dur = checks.positive("infusion_min", infusion_min, upper=1440) / 60
    else:
        if dose_mg is None:
            raise ValueError(f"the {route} route needs dose_mg (a finite number > 0, at most 1000)")
        dose = np.full(pts.n, checks.positive("dose_mg", dose_mg, upper=1000))
    t = np.linspace(0, 8, 481) if t_h is None else dosing.time_grid(t_h)
    ref_v = _value("ketamine", "volume_of_distribution_meta")
    ref_cl = _value("ketamine", "clearance_meta")
    v1 = _value("ketamine", "central_volume_2cmt") / ref_v * pts.volume_L
    q = _value("ketamine", "intercompartmental_clearance_2cmt") / ref_cl * pts.clearance_L_per_h
    a, lam = _two_compartment(v1, pts.volume_L - v1, pts.clearance_L_per_h, q)
    # One (patients x times) term per exponent, added: the arithmetic of broadcasting over a
    # third axis and summing it, step by step in place (no temporaries; the same result to the
    # bit), a block of time points at a time so that each block stays in the processor's cache.
    if route == "iv":
        on = np.minimum(t, dur)[None, :]
        after = t[None, :] - on
        gain = [a[:, j, None] / lam[:, j, None] for j in (0, 1)]
        scale = dose[:, None]

        def term(j: int, cols: slice) -> np.ndarray:  # a/lam (1 - e^(-lam on)) e^(-lam after)
            x = np.exp(-lam[:, j, None] * on[:, cols])
            np.subtract(1, x, out=x)
            x *= gain[j]
            x *= np.exp(-lam[:, j, None] * after[:, cols])
            return x
    else:
        ka = _value("ketamine", f"{route}_absorption_rate_constant")
        absorbed = np.exp(-ka * t)[None, :]
        gain = [a[:, j, None] * ka / (ka - lam[:, j, None]) for j in (0, 1)]
        scale = _value("ketamine", f"{route}_bioavailability") * dose[:, None]

        def term(j: int, cols: slice) -> np.ndarray:  # a ka/(ka - lam) (e^(-lam t) - e^(-ka t))
            x = np.exp(-lam[:, j, None] * t[None, cols])
            x -= absorbed[:, cols]
            x *= gain[j]
            return x
    conc = np.empty((pts.n, len(t)))
    for start in range(0, len(t), _BLOCK):
        cols = slice(start, start + _BLOCK)
        total = term(0, cols)
        total += term(1, cols)
        if route == "iv":
            total /= dur
        total *= scale
        conc[:, cols] = total
    band = (_value("ketamine", "dissociation_band_low"),  # internal unit: mg/L
            _value("ketamine", "dissociation_band_high"))
    return PopulationProfile(t, conc, pts, band, "cmax", 0.0, NOTE)


def _two_compartment(v1, v2, cl, q):
    """Per-patient unit-dose coefficients (1/L) and exponents (1/h), each (N, 2)."""
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s, p = k10 + k12 + k21, k10 * k21
    root = np.sqrt(s * s - 4 * p)
    alpha, beta = (s + root) / 2, (s - root) / 2
    a = np.stack([(alpha - k21) / (v1 * (alpha - beta)), (k21 - beta) / (v1 * (alpha - beta))], 1)
    return a, np.stack([alpha, beta], 1)
