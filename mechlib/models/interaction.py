"""Drug combinations in numbers: Emax/Hill curves, the Loewe isobole, the interaction index, Bliss.

Synergy is defined against an additive expectation (Tallarida 2006). Two standard ones:

- **Loewe additivity** (the isobole): doses a of A and b of B are additive for effect E when
  a / A_E + b / B_E = 1, where A_E and B_E are the doses of each drug alone that give E. For an
  observed combination effect, the *interaction index* a / A_E + b / B_E is < 1 for synergy,
  1 for additivity and > 1 for antagonism.
- **Bliss independence** (Bliss 1939): the drugs act independently, so the expected fraction
  of the maximal effect is Ea + Eb - Ea x Eb.

The two disagree when a drug's Hill slope is not 1: a drug combined with itself is Loewe
additive by definition, yet Bliss calls it synergistic (slope > 1) or antagonistic (slope < 1).

Examples
--------
>>> a = Curve("A", emax=1.0, ed50=10.0, hill=1.0)
>>> b = Curve("B", emax=1.0, ed50=20.0, hill=1.0)
>>> round(interaction_index(a, b, 5.0, 10.0, effect=0.5), 3)
1.0
>>> verdict(0.6), verdict(1.0), verdict(1.5)
('synergy', 'additivity', 'antagonism')
>>> round(bliss_expected(a, b, 10.0, 20.0), 2)
0.75
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Curve", "bliss_expected", "curve", "dose_for_effect", "interaction_index",
           "isobole", "loewe_expected", "verdict"]


@dataclass(frozen=True)
class Curve:
    """E(d) = emax d^hill / (ed50^hill + d^hill); effect as a fraction of the largest possible."""

    name: str
    emax: float
    ed50: float
    hill: float

    def __post_init__(self) -> None:
        for what, v in (("emax", self.emax), ("ed50", self.ed50), ("hill", self.hill)):
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{what} must be a finite number > 0; got {v!r}")
        if self.emax > 1:
            raise ValueError(f"emax is a fraction of the largest effect: 0 to 1; got {self.emax!r}")

    def effect(self, dose):
        """Effect (0..emax) at ``dose`` (a number or an array, >= 0)."""
        d = np.asarray(dose, dtype=float)
        if np.any(d < 0) or not np.all(np.isfinite(d)):
            raise ValueError("doses must be finite numbers >= 0")
        out = self.emax * d ** self.hill / (self.ed50 ** self.hill + d ** self.hill)
        return float(out) if out.ndim == 0 else out


def curve(curve_id: str) -> Curve:
    """The dose-effect curve ``curve_id`` of ``data/interaction.yaml``.

    Examples
    --------
    >>> curve("ketamine_fst").ed50
    10.0
    """
    from mechlib import data

    curves = data.load().interaction.curves
    if curve_id not in curves:
        raise ValueError(f"unknown curve {curve_id!r}; allowed: {', '.join(sorted(curves))}")
    c = curves[curve_id]
    return Curve(c.drug, c.emax.value, c.ed50.value, c.hill.value)


def dose_for_effect(c: Curve, effect: float) -> float:
    """Dose of ``c`` alone that gives ``effect``; ``inf`` if the drug alone never reaches it.

    Examples
    --------
    >>> dose_for_effect(Curve("A", 1.0, 10.0, 1.0), 0.5)
    10.0
    """
    if not 0 < effect < 1:
        raise ValueError(f"effect must be a fraction between 0 and 1 (exclusive); got {effect!r}")
    if effect >= c.emax:
        return math.inf
    return c.ed50 * (effect / (c.emax - effect)) ** (1 / c.hill)


def interaction_index(a: Curve, b: Curve, dose_a: float, dose_b: float, effect: float) -> float:
    """Loewe interaction index a / A_E + b / B_E for a combination that gave ``effect``.

    < 1: synergy (less of both was needed than additivity predicts); 1: additive; > 1: antagonism.
    """
    for what, v in (("dose_a", dose_a), ("dose_b", dose_b)):
        if not (isinstance(v, (int, float)) and math.isfinite(v) and v >= 0):
            raise ValueError(f"{what} must be a finite number >= 0; got {v!r}")
    return dose_a / dose_for_effect(a, effect) + dose_b / dose_for_effect(b, effect)


def isobole(a: Curve, b: Curve, effect: float, points: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """The line of additive dose pairs for ``effect``: b = B_E (1 - a / A_E), a from 0 to A_E."""
    ae, be = dose_for_effect(a, effect), dose_for_effect(b, effect)
    if math.isinf(ae) or math.isinf(be):
        raise ValueError(f"effect {effect:g} is beyond the largest effect of one drug alone; "
                         "the isobole needs both drugs to reach it")
    x = np.linspace(0, ae, points)
    return x, be * (1 - x / ae)


def loewe_expected(a: Curve, b: Curve, dose_a: float, dose_b: float) -> float:
    """The effect Loewe additivity predicts for the pair: the E with index exactly 1 (bisection)."""
    if dose_a == 0 and dose_b == 0:
        return 0.0
    lo, hi = 1e-12, min(max(a.emax, b.emax), 1.0) - 1e-12
    for _ in range(80):
        mid = (lo + hi) / 2
        if interaction_index(a, b, dose_a, dose_b, mid) > 1:
            lo = mid  # the pair is more than enough for mid: the expected effect is higher
        else:
            hi = mid
    return (lo + hi) / 2


def bliss_expected(a: Curve, b: Curve, dose_a: float, dose_b: float) -> float:
    """Bliss independence: Ea + Eb - Ea x Eb (fractions of the largest effect)."""
    ea, eb = a.effect(dose_a), b.effect(dose_b)
    return ea + eb - ea * eb


def verdict(index: float, margin: float = 0.1) -> str:
    """'synergy' (index < 1 - margin), 'antagonism' (> 1 + margin), else 'additivity'.

    The margin is a teaching choice: a study decides with the index's confidence interval.
    """
    if not math.isfinite(index) or index < 0:
        raise ValueError(f"an interaction index is a finite number >= 0; got {index!r}")
    if index < 1 - margin:
        return "synergy"
    if index > 1 + margin:
        return "antagonism"
    return "additivity"
