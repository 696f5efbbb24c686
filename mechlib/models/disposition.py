"""Disposition models as sums of exponentials, and superposition of many oral doses in memory
that grows as doses + time points (a recursion over doses, no doses x times matrix).

Examples
--------
>>> d = one_compartment(volume_L=77.0, clearance_L_per_h=2.1)
>>> round(d.terminal_half_life_h, 1)
25.4
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Disposition:
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


def one_compartment(volume_L: float, clearance_L_per_h: float) -> Disposition:
    return Disposition(np.array([1 / volume_L]), np.array([clearance_L_per_h / volume_L]),
                        clearance_L_per_h)


def two_compartment(v1: float, v2: float, cl: float, q: float) -> Disposition:
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s, p = k10 + k12 + k21, k10 * k21
    root = math.sqrt(s * s - 4 * p)
    alpha, beta = (s + root) / 2, (s - root) / 2
    a = np.array([(alpha - k21) / (v1 * (alpha - beta)), (k21 - beta) / (v1 * (alpha - beta))])
    return Disposition(a, np.array([alpha, beta]), cl)
