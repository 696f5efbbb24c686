"""Virtual patients: distributions fitted to cited means and ranges, and seeded sampling.

Used by :mod:`mechlib.models.population`; see ``data/population.yaml`` for how each distribution
is derived (a modelling assumption, stated on screen by :func:`describe_distribution`).

Examples
--------
>>> p = sample_patients("lamotrigine", n=3, seed=0)
>>> p.n, p.comedication
(3, 'none')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from mechlib import data
from mechlib.models import checks

_MAX_PATIENTS = 10_000


def _pop():
    return data.load().population


# --------------------------------------------------------------------------- distributions


def lognormal(name: str) -> tuple[float, float]:
    """(mu, sigma) of the log-normal called ``name`` in ``population.yaml``.

    sigma = ln(high / low) / (z_high - z_low) when a range is given (the range treated as the
    stated percentile interval), else sqrt(ln(1 + cv^2)); mu = ln(mean) - sigma^2 / 2, so the
    distribution's mean is the reported mean.

    Examples
    --------
    >>> mu, sigma = lognormal("lamotrigine_clearance")
    >>> round(math.exp(mu), 3), round(sigma, 3)
    (0.518, 0.476)
    """
    pop = _pop()
    if name not in pop.distributions:
        raise checks.unknown("distribution", name, sorted(pop.distributions))
    d = pop.distributions[name]
    mean, rng = d.mean, d.range
    if d.from_parameter:
        p = data.load().drug(d.drug).param(d.from_parameter)
        mean, rng = p.value, rng or p.range
    if d.cv is not None:
        sigma = math.sqrt(math.log(1 + d.cv ** 2))
    else:
        z = NormalDist()
        lo_p, hi_p = d.range_percentiles
        sigma = math.log(rng[1] / rng[0]) / (z.inv_cdf(hi_p / 100) - z.inv_cdf(lo_p / 100))
    return math.log(mean) - sigma ** 2 / 2, sigma


def describe_distribution(name: str) -> str:
    """One sentence saying how distribution ``name`` was derived (shown on screen).

    Examples
    --------
    >>> print(describe_distribution("lamotrigine_clearance"))  # doctest: +ELLIPSIS
    apparent clearance CL/F, ...: log-normal with mean 0.58 mL/min/kg (Lamictal label 2021); \
spread from the reported range 0.24-1.15 mL/min/kg treated as the 5th-95th percentiles \
(a modelling assumption: a range is not a distribution), sigma = 0.476; median 0.518 mL/min/kg.
    """
    pop, ds = _pop(), data.load()
    d = pop.distributions[name]
    mu, sigma = lognormal(name)
    mean, rng = d.mean, d.range
    if d.from_parameter:
        p = ds.drug(d.drug).param(d.from_parameter)
        mean, rng = p.value, rng or p.range
    src = f" ({ds.reference(d.reference).citation})" if d.reference else " (an assumption)"
    if d.cv is not None:
        spread = (f"spread from a coefficient of variation of {d.cv:g}"
                  + (f" ({ds.reference(d.spread_reference).citation})" if d.spread_reference
                     else "") + " (a modelling assumption: a textbook SD applied to this mean)")
    else:
        lo_p, hi_p = d.range_percentiles
        spread = (f"spread from the reported range {rng[0]:g}-{rng[1]:g} {d.unit} treated as the "
                  f"{lo_p:g}th-{hi_p:g}th percentiles (a modelling assumption: a range is not a "
                  "distribution)")
    return (f"{d.quantity}: log-normal with mean {mean:g} {d.unit}{src}; {spread}, "
            f"sigma = {sigma:.3f}; median {math.exp(mu):.3g} {d.unit}.")


def comedication_labels() -> tuple[tuple[str, str], ...]:
    """(label, id) of every co-medication in ``population.yaml``, for a control."""
    return tuple((c.label, k) for k, c in _pop().comedications.items())


# --------------------------------------------------------------------------- patients


@dataclass(frozen=True)
class Patients:
    """N virtual patients: one row each (clearance L/h, volume L, weight kg)."""

    drug: str
    comedication: str
    seed: int
    weight_kg: np.ndarray
    clearance_L_per_h: np.ndarray
    volume_L: np.ndarray

    @property
    def n(self) -> int:
        return len(self.weight_kg)

    @property
    def half_life_h(self) -> np.ndarray:
        """Elimination half-life of each patient (one-compartment: ln 2 V / CL)."""
        return math.log(2) * self.volume_L / self.clearance_L_per_h


def _count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= _MAX_PATIENTS:
        raise ValueError(f"n must be a whole number of patients from 1 to {_MAX_PATIENTS}; "
                         f"got {n!r}")
    return int(n)


def _seed(seed: int) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number >= 0; got {seed!r}")
    return int(seed)


def sample_patients(drug: str = "lamotrigine", n: int = 1000, seed: int = 0,
                    comedication: str = "none") -> Patients:
    """Draw ``n`` patients (seeded numpy Generator: the same seed gives the same patients).

    Parameters
    ----------
    drug : {'lamotrigine', 'ketamine'}
    n : int
        1 to 10,000 patients.
    seed : int
        Any whole number >= 0.
    comedication : str
        Lamotrigine only: an id in ``population.yaml`` (none, valproate, inducer, contraceptive).
        For the contraceptive the clearance returned is the one with the pill taken.

    Returns
    -------
    Patients

    Raises
    ------
    ValueError
        Unknown drug or co-medication, or a bad ``n`` or ``seed``.

    Examples
    --------
    >>> p = sample_patients("lamotrigine", n=5, seed=3)
    >>> p.n, p.volume_L.shape
    (5, (5,))
    """
    n, seed = _count(n), _seed(seed)
    key = drug.strip().lower() if isinstance(drug, str) else drug
    if key not in ("ketamine", "lamotrigine"):
        raise checks.unknown("drug", drug, ("ketamine", "lamotrigine"))
    pop = _pop()
    if key == "ketamine" and comedication not in (None, "none"):
        raise ValueError("comedication applies to lamotrigine only; allowed for ketamine: none")
    comed = "none" if comedication is None else comedication
    if comed not in pop.comedications:
        raise checks.unknown("comedication", comedication, sorted(pop.comedications))
    rng = np.random.default_rng(seed)

    def draw(name: str) -> np.ndarray:
        return np.exp(rng.normal(*lognormal(name), size=n))

    weight = draw("body_weight")
    if key == "lamotrigine":
        c = pop.comedications[comed]
        per_kg = draw(c.clearance)  # mL/min/kg
        if c.clearance_fold:
            per_kg = per_kg * pop.param(c.clearance_fold).value
        cl = per_kg * weight * 60 / 1000  # L/h
        vol = draw("lamotrigine_volume") * weight
    else:
        # clearance and volume are correlated (bigger, better-perfused people have more of
        # both); the correlation is an assumption fitted to the textbook half-life spread
        ref_w = data.load().physiology_param("body_weight").value
        rho = pop.param("ketamine_clearance_volume_correlation").value
        (mu_c, s_c), (mu_v, s_v) = lognormal("ketamine_clearance"), lognormal("ketamine_volume")
        z1, z2 = rng.standard_normal(n), rng.standard_normal(n)
        cl = np.exp(mu_c + s_c * z1) * weight / ref_w
        vol = np.exp(mu_v + s_v * (rho * z1 + math.sqrt(1 - rho ** 2) * z2)) * weight / ref_w
    return Patients(key, comed, seed, weight, cl, vol)
