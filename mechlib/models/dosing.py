"""Dose schedules: regular dosing, the label's titration schedules, and their checks.

A schedule is a list of ``(time_h, dose_mg)`` pairs.

Examples
--------
>>> regular_schedule(100, every_h=12, days=1)
[(0.0, 100.0), (12.0, 100.0)]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mechlib import data
from mechlib.models import checks

Schedule = Sequence[tuple[float, float]]

#: Honest limits of the models (also in ``python -m mechlib pk --help``): with them a profile
#: costs time and memory in proportion to doses + time points, a year of hourly dosing included.
MIN_EVERY_H, MAX_EVERY_H = 0.5, 168.0
MAX_DAYS = 365.0
MAX_DOSES = 20_000
MAX_TIME_POINTS = 1_000_000
#: The largest single dose, mg: far above any real one, it keeps 1e308 out of the sums.
MAX_DOSE_MG = 100_000.0


def weight(weight_kg: float) -> float:
    try:
        w = float(weight_kg)
    except (TypeError, ValueError):
        w = math.nan
    if not 1 <= w <= 300:
        raise ValueError(f"weight_kg must be between 1 and 300 kg; got {weight_kg!r}")
    return w


def time_grid(t_h: Sequence[float] | np.ndarray) -> np.ndarray:
    t = np.asarray(t_h, dtype=float)
    if t.ndim != 1 or not 2 <= t.size <= MAX_TIME_POINTS:
        raise ValueError(f"t_h must be a 1-D sequence of 2 to {MAX_TIME_POINTS} times in hours")
    if not np.all(np.isfinite(t)) or not np.all(np.diff(t) > 0):
        raise ValueError("t_h must be finite and strictly increasing (hours)")
    return t


def as_arrays(schedule: Schedule) -> tuple[np.ndarray, np.ndarray]:
    rows = list(schedule)
    if not rows:
        raise ValueError("schedule is empty; allowed: one or more (time_h, dose_mg) pairs")
    if len(rows) > MAX_DOSES:
        raise ValueError(f"schedule has {len(rows)} doses; allowed: 1 to {MAX_DOSES} "
                         "(time_h, dose_mg) pairs")
    times, doses = [], []
    for i, row in enumerate(rows):
        try:
            t, d = row
        except (TypeError, ValueError):
            raise ValueError(f"schedule[{i}] must be a (time_h, dose_mg) pair; got {row!r}") from None
        try:
            t = float(t)
        except (TypeError, ValueError):
            t = math.nan
        if not math.isfinite(t):
            raise ValueError(f"schedule[{i}] time_h must be a finite number of hours; got {t!r}")
        times.append(t)
        doses.append(checks.positive(f"schedule[{i}] dose_mg", d, upper=MAX_DOSE_MG))
    order = np.argsort(times, kind="stable")
    return np.asarray(times)[order], np.asarray(doses)[order]



# --------------------------------------------------------------------------- schedules


def regular_schedule(dose_mg: float, every_h: float, days: float) -> list[tuple[float, float]]:
    """The same dose every ``every_h`` hours for ``days`` days, first dose at time 0.

    Parameters
    ----------
    dose_mg : float
        Each dose, mg (> 0).
    every_h : float
        Dosing interval, hours (0.5 to 168).
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
    dose = checks.positive("dose_mg", dose_mg, upper=MAX_DOSE_MG)
    tau = checks.positive("every_h", every_h, upper=MAX_EVERY_H)
    if tau < MIN_EVERY_H:
        raise ValueError(f"every_h must be from {MIN_EVERY_H:g} to {MAX_EVERY_H:g} hours; "
                         f"got {every_h!r}")
    n = math.ceil(checks.positive("days", days, upper=MAX_DAYS) * 24 / tau - 1e-9)
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
        raise checks.unknown("titration kind", kind, sorted(titrations))
    if isinstance(days, bool) or not isinstance(days, (int, np.integer)) or not 1 <= days <= 364:
        raise ValueError(f"days must be a whole number from 1 to 364; got {days!r}")
    out = []
    for step in titrations[key].steps:
        first = (step.from_week - 1) * 7
        for day in range(first, min(step.to_week * 7, days), step.every_days):
            out.append((day * 24.0, float(step.dose_mg)))
    return out


def regular_interval(times: np.ndarray, doses: np.ndarray) -> float | None:
    if len(times) < 2 or not np.allclose(doses, doses[0]):
        return None
    gaps = np.diff(times)
    return float(gaps[0]) if np.allclose(gaps, gaps[0]) and gaps[0] > 0 else None


