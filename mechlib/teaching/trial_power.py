"""Reading a small trial: what difference could it have detected?

Two-arm comparisons of a continuous outcome, with the effect as a standardised mean difference
(Cohen's d: the difference between the arms divided by their pooled standard deviation). The
formulas are the usual normal approximations, accurate enough to teach with and slightly
optimistic for very small arms (an exact t-based calculation gives a somewhat larger d).

The conventions ``alpha = 0.05`` (two-sided) and ``power = 0.8`` are choices, not facts: lessons
show them as such.

Examples
--------
>>> round(detectable_effect_size(13), 2)
1.1
>>> round(power_for_effect(0.5, 13), 2)
0.25
"""

from __future__ import annotations

import math
from statistics import NormalDist

__all__ = ["detectable_effect_size", "power_for_effect", "effect_size_interval"]

_Z = NormalDist()


def _n(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 2:
        raise ValueError(f"{name} must be a number of participants >= 2; got {value!r}")
    return v


def _prob(name: str, value: float) -> float:
    v = float(value)
    if not 0 < v < 1:
        raise ValueError(f"{name} must be between 0 and 1 (exclusive); got {value!r}")
    return v


def detectable_effect_size(n_per_arm: float, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest standardised difference (Cohen's d) a two-arm trial detects with ``power``.

    d = (z(1 - alpha/2) + z(power)) * sqrt(2 / n), with n participants in each arm.

    Parameters
    ----------
    n_per_arm : float
        Participants in each arm (>= 2).
    alpha : float
        Two-sided significance level, 0 to 1 (exclusive).
    power : float
        Chance of detecting a true effect of that size, 0 to 1 (exclusive).

    Returns
    -------
    float
        Cohen's d.

    Raises
    ------
    ValueError
        ``n_per_arm`` below 2, or ``alpha`` or ``power`` outside (0, 1).

    Examples
    --------
    >>> round(detectable_effect_size(64), 2)
    0.5
    >>> detectable_effect_size(1)
    Traceback (most recent call last):
    ...
    ValueError: n_per_arm must be a number of participants >= 2; got 1
    """
    n = _n("n_per_arm", n_per_arm)
    z = _Z.inv_cdf(1 - _prob("alpha", alpha) / 2) + _Z.inv_cdf(_prob("power", power))
    return z * math.sqrt(2 / n)


def power_for_effect(d: float, n_per_arm: float, alpha: float = 0.05) -> float:
    """Chance that a two-arm trial finds a true standardised difference ``d`` significant.

    Parameters
    ----------
    d : float
        True effect, Cohen's d (its sign does not matter).
    n_per_arm : float
        Participants in each arm (>= 2).
    alpha : float
        Two-sided significance level.

    Returns
    -------
    float
        Power, 0 to 1.

    Raises
    ------
    ValueError
        A non-finite ``d``, ``n_per_arm`` below 2 or ``alpha`` outside (0, 1).

    Examples
    --------
    >>> round(power_for_effect(0.0, 13), 3)
    0.025
    >>> round(power_for_effect(1.0, 64), 2)
    1.0
    """
    if not math.isfinite(float(d)):
        raise ValueError(f"d must be a finite number; got {d!r}")
    n = _n("n_per_arm", n_per_arm)
    z_crit = _Z.inv_cdf(1 - _prob("alpha", alpha) / 2)
    return _Z.cdf(abs(float(d)) * math.sqrt(n / 2) - z_crit)


def effect_size_interval(d: float, n1: float, n2: float, level: float = 0.95) -> tuple[float, float]:
    """Approximate confidence interval for an observed Cohen's d between two arms.

    Uses the large-sample standard error sqrt((n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2))).

    Parameters
    ----------
    d : float
        Observed standardised difference.
    n1, n2 : float
        Participants in each arm (>= 2).
    level : float
        Confidence level, 0 to 1 (exclusive).

    Returns
    -------
    (float, float)
        Lower and upper limits.

    Raises
    ------
    ValueError
        A non-finite ``d``, an arm below 2 or ``level`` outside (0, 1).

    Examples
    --------
    >>> lo, hi = effect_size_interval(0.0, 13, 13)
    >>> round(lo, 2), round(hi, 2)
    (-0.77, 0.77)
    """
    if not math.isfinite(float(d)):
        raise ValueError(f"d must be a finite number; got {d!r}")
    a, b = _n("n1", n1), _n("n2", n2)
    z = _Z.inv_cdf(1 - (1 - _prob("level", level)) / 2)
    se = math.sqrt((a + b) / (a * b) + float(d) ** 2 / (2 * (a + b)))
    return float(d) - z * se, float(d) + z * se
