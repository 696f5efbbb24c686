"""Populations computed once and read at every setting: a course kept day by day, a unit dose.

Lesson 02's "days shown" slider asks for the first 28 to 84 days of one dose schedule. The
first ``d`` days of a schedule whose doses fall on whole days are the first ``d`` days of the
longest one: the doses after day ``d`` change nothing before it. So the model runs once per
co-medication and schedule, for the longest course, and :class:`Course` keeps

- the percentile curves and the first few patients' curves, whole (what is drawn);
- per patient and per day, the highest and the lowest level and the count of hourly points
  inside the band: 2 MB for 1,000 patients over 84 days, against 16 MB for every curve.

From these a window's Cmax, trough and time in band are exact (a maximum, a minimum and whole
counts), the same numbers :class:`~mechlib.models.population.PopulationProfile` gives for that
window. :func:`lamotrigine_course` keeps each course with the data it was computed from.

Lesson 03's ketamine doses need no new model either: the teaching model is linear in the dose
(every term is multiplied by it), so :func:`ketamine_per_unit_dose` keeps one unit dose per
route and :func:`scaled` gives any dose's curves and percentile bands from it.

Examples
--------
>>> from mechlib.models import dosing
>>> course = lamotrigine_course(dosing.regular_schedule(200, 24, 42), n=200, seed=1)
>>> w = course.first_days(28, last_dose_day=27)
>>> float(w.t_h[-1]), w.percentiles()[50].shape
(672.0, (673,))
>>> from mechlib.models import population
>>> direct = population.lamotrigine_population(dosing.regular_schedule(200, 24, 28), n=200,
...                                            seed=1)
>>> bool(np.allclose(w.trough, direct.trough, rtol=1e-12, atol=0))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mechlib.models import dosing
from mechlib.models.patients import Patients
from mechlib.models.population import (
    PopulationProfile,
    ketamine_population,
    lamotrigine_population,
    shares,
    time_to_90_h,
)

#: Patients whose whole curves a course keeps (the band charts draw five).
SHOWN = 5


@dataclass(frozen=True)
class Window:
    """The first days of a :class:`Course`: what a band chart and its readout need.

    ``shown`` holds the first :data:`SHOWN` patients' curves; the per-patient arrays (``cmax``,
    ``trough``, ``fraction_in_band``) have one value per patient, as in a
    :class:`~mechlib.models.population.PopulationProfile` of these days.
    """

    t_h: np.ndarray
    shown: np.ndarray
    patients: Patients
    band: tuple[float, float]
    cmax: np.ndarray
    trough: np.ndarray
    fraction_in_band: np.ndarray
    _pct: dict

    def percentiles(self) -> dict[int, np.ndarray]:
        """{5, 25, 50, 75, 95}: each a curve over ``t_h`` (mg/L), as the whole course's."""
        return self._pct

    def shares(self) -> dict[str, float]:
        """Fractions of patients whose trough lies below, inside and above ``band``."""
        return shares(self.trough, self.band)

    @property
    def time_to_90_h(self) -> np.ndarray:
        return time_to_90_h(self.patients)


@dataclass(frozen=True)
class Course:
    """A population over whole days on an hourly grid (``t_h`` = 0, 1, ..., 24 x days), kept
    by day; see the module docstring. Make one with :meth:`from_profile`."""

    t_h: np.ndarray
    pct: dict
    shown: np.ndarray
    patients: Patients
    band: tuple[float, float]
    day_max: np.ndarray  # (patients, days): highest level over hours 24i..24(i+1), ends included
    day_min: np.ndarray  # (patients, days): lowest level over the same hours
    in_band: np.ndarray  # (patients, days + 1): points inside the band among hours 0..24i

    @property
    def days(self) -> int:
        return self.day_max.shape[1]

    @classmethod
    def from_profile(cls, pop: PopulationProfile) -> Course:
        """Keep ``pop`` (trough-classified, hourly from 0 over whole days) by day.

        Raises ``ValueError`` for any other time grid.
        """
        c, t = pop.conc_mg_per_L, pop.t_h
        days = (len(t) - 1) // 24
        if (pop.measure != "trough" or days < 1 or len(t) != 24 * days + 1
                or not np.array_equal(t, np.arange(len(t), dtype=float))):
            raise ValueError("a course needs a trough-classified population on an hourly grid "
                             "from 0 h over whole days")
        n = c.shape[0]
        hours = c[:, :24 * days].reshape(n, days, 24)
        day_ends = c[:, 24::24]  # hour 24(i+1), the end of day i
        lo, hi = pop.band
        inside = (c <= hi) & (c >= lo)
        per_day = inside[:, :24 * days].reshape(n, days, 24).sum(axis=2, dtype=np.int64)
        in_band = np.zeros((n, days + 1), dtype=np.int64)
        np.cumsum(per_day, axis=1, out=in_band[:, 1:])
        in_band += inside[:, ::24]
        course = cls(t.copy(), pop.percentiles(), c[:SHOWN].copy(), pop.patients, pop.band,
                     np.maximum(hours.max(axis=2), day_ends),
                     np.minimum(hours.min(axis=2), day_ends), in_band)
        p = pop.patients
        for arr in (course.t_h, course.shown, course.day_max, course.day_min, course.in_band,
                    p.weight_kg, p.clearance_L_per_h, p.volume_L, *course.pct.values()):
            arr.flags.writeable = False  # kept and shared by every window: read only
        return course

    def first_days(self, days: int, last_dose_day: int) -> Window:
        """The window from 0 h to hour 24 x ``days``, its trough taken from the last dose (at
        hour 24 x ``last_dose_day``) to the window's end.

        Raises ``ValueError`` unless 1 <= ``days`` <= the course's days and
        0 <= ``last_dose_day`` < ``days``.
        """
        if not (isinstance(days, (int, np.integer)) and 1 <= days <= self.days):
            raise ValueError(f"days must be a whole number from 1 to {self.days}; got {days!r}")
        if not (isinstance(last_dose_day, (int, np.integer)) and 0 <= last_dose_day < days):
            raise ValueError(f"last_dose_day must be a whole number from 0 to {days - 1}; "
                             f"got {last_dose_day!r}")
        end = 24 * days + 1
        return Window(self.t_h[:end], self.shown[:, :end], self.patients, self.band,
                      self.day_max[:, :days].max(axis=1),
                      self.day_min[:, last_dose_day:days].min(axis=1),
                      self.in_band[:, days] / end, {q: v[:end] for q, v in self.pct.items()})


def lamotrigine_course(schedule: dosing.Schedule, *, n: int = 1000, seed: int = 0,
                       comedication: str = "none") -> Course:
    """:func:`~mechlib.models.population.lamotrigine_population` of ``schedule`` kept as a
    :class:`Course`, computed once per state of ``data/`` (kept with that state, see
    :func:`mechlib.data.load`).

    ``schedule`` must dose on whole days (times multiples of 24 h) and end with a dose on its
    last day, as the label's titrations and a once-daily schedule do.

    Raises ``ValueError`` as :func:`~mechlib.models.population.lamotrigine_population` does, or
    for a schedule whose course does not end on a whole day.
    """
    from mechlib import data

    times, _ = dosing.as_arrays(schedule)
    if not np.all(times % 24 == 0) or times[0] != 0:
        raise ValueError("a course's doses must fall on whole days (multiples of 24 h), from 0 h")
    key = ("lamotrigine_course", tuple(map(tuple, schedule)), n, seed, comedication)
    ds = data.load()
    if key not in ds._index:
        ds._index[key] = Course.from_profile(
            lamotrigine_population(schedule, n=n, seed=seed, comedication=comedication))
    return ds._index[key]


def ketamine_per_unit_dose(route: str, *, infusion_min: float = 40.0, n: int = 1000,
                           seed: int = 0, t_h: np.ndarray | None = None) -> PopulationProfile:
    """:func:`~mechlib.models.population.ketamine_population` of one unit dose (1 mg/kg IV, else
    1 mg), computed once per state of ``data/`` and kept with it (its arrays read only); see
    :func:`scaled`.

    Examples
    --------
    >>> from mechlib.models import population
    >>> unit = ketamine_per_unit_dose("intranasal", n=100, seed=2)
    >>> pop = scaled(unit, 56.0)
    >>> direct = population.ketamine_population("intranasal", dose_mg=56.0, n=100, seed=2)
    >>> bool(np.allclose(pop.conc_mg_per_L, direct.conc_mg_per_L, rtol=1e-12, atol=0))
    True
    """
    from mechlib import data

    t = np.linspace(0, 8, 481) if t_h is None else np.asarray(t_h, dtype=float)
    key = ("ketamine_per_unit_dose", route, float(infusion_min), n, seed, t.tobytes())
    ds = data.load()
    if key not in ds._index:
        dose = {"mg_per_kg": 1.0} if route == "iv" else {"dose_mg": 1.0}
        pop = ketamine_population(route, infusion_min=infusion_min, n=n, seed=seed, t_h=t,
                                  **dose)
        p = pop.patients
        for arr in (pop.t_h, pop.conc_mg_per_L, p.weight_kg, p.clearance_L_per_h, p.volume_L,
                    *pop.percentiles().values()):  # the percentiles are computed here, once
            arr.flags.writeable = False
        ds._index[key] = pop
    return ds._index[key]


def scaled(pop: PopulationProfile, factor: float) -> PopulationProfile:
    """``pop``'s patients on a dose ``factor`` times larger, in a model linear in the dose.

    The curves are ``pop``'s times ``factor`` (equal to a new run to the last digit or two), and
    every per-patient number (Cmax, time in band, shares) is computed from them as for any
    population. The percentile curves are ``pop``'s times ``factor``, without a new sort: a
    positive factor keeps every time point's order. They equal a new sort's to float32
    precision, the precision the bands are drawn at (see :mod:`mechlib.models.bands`).

    Raises ``ValueError`` unless ``factor`` is a finite number > 0.
    """
    if not (isinstance(factor, (int, float, np.floating)) and 0 < factor < float("inf")):
        raise ValueError(f"factor must be a finite number > 0; got {factor!r}")
    out = PopulationProfile(pop.t_h, pop.conc_mg_per_L * factor, pop.patients, pop.band,
                            pop.measure, pop.last_interval_start_h, pop.note)
    out._cache["pct"] = {q: v * factor for q, v in pop.percentiles().items()}
    return out
