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
    if t.ndim != 1 or t.size < 2:
        raise ValueError("t_h must be a 1-D sequence of at least 2 times in hours")
    if not np.all(np.isfinite(t)) or not np.all(np.diff(t) > 0):
        raise ValueError("t_h must be finite and strictly increasing (hours)")
    return t


def as_arrays(schedule: Schedule) -> tuple[np.ndarray, np.ndarray]:
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
        doses.append(checks.positive(f"schedule[{i}] dose_mg", d))
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
    dose = checks.positive("dose_mg", dose_mg)
    tau = checks.positive("every_h", every_h, upper=168)
    n = math.ceil(checks.positive("days", days, upper=365) * 24 / tau - 1e-9)
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


