"""The result of a PK model: a concentration-time profile and the numbers read off it.

Examples
--------
>>> from mechlib.models.pk import oral_profile
>>> p = oral_profile([(0, 100)])
>>> p.drug, p.route
('lamotrigine', 'oral')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mechlib.models import checks

BAND_UNITS = {"mg/L": 1.0, "ng/mL": 1e-3}
TEACHING_NOTE = "Teaching model for an average adult: not dosing advice."



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
        >>> from mechlib.models.pk import ketamine_profile, oral_profile, regular_schedule
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
        >>> from mechlib.models.pk import ketamine_profile, oral_profile, regular_schedule
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
        >>> from mechlib.models.pk import ketamine_profile, oral_profile, regular_schedule
        >>> k = ketamine_profile("iv", mg_per_kg=0.5, infusion_min=40)
        >>> round(k.time_in_band(100, 250, unit="ng/mL"), 2)
        0.75
        """
        if unit not in BAND_UNITS:
            raise checks.unknown("unit", unit, tuple(BAND_UNITS))
        lo_v, hi_v = checks.nonneg("lo", lo), checks.nonneg("hi", hi)
        if lo_v > hi_v:
            raise ValueError(f"lo must be <= hi; got lo={lo!r}, hi={hi!r}")
        c = self.conc_mg_per_L / BAND_UNITS[unit]
        mid = (c[:-1] + c[1:]) / 2
        return float(np.diff(self.t_h)[(mid >= lo_v) & (mid <= hi_v)].sum())

    def summary(self) -> dict:
        """The headline numbers, rounded for display; concentrations in mg/L.

        Examples
        --------
        >>> from mechlib.models.pk import ketamine_profile, oral_profile, regular_schedule
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


