"""Pharmacodynamic models for the lessons: binding, Mg²⁺ block, use-dependent Na⁺ block and an
illustrative glutamate-surge model (numpy, vectorised where a curve is drawn).

Constants come from ``data/drugs.yaml`` (``physiology`` and the drug parameters) with their
references. Several models are teaching simplifications; each says so in its docstring and
carries a ``note`` to show beside its output.

Examples
--------
>>> round(float(mg_block_fraction_open(-80)), 3), round(float(mg_block_fraction_open(0)), 2)
(0.024, 0.78)
>>> round(float(ketamine_nmda_occupancy(0.78)), 2)
0.61
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from mechlib.models import checks

KETAMINE_FORMS = ("esketamine", "racemic")

NMDA_NOTE = (
    "Teaching simplification: Mg2+ block uses the Jahr & Stevens (1990) equation; ketamine's "
    "open-channel block is taken as equilibrium binding with the Ki from [3H]MK-801 assays, "
    "independent of voltage and of Mg2+, and multiplied with the Mg2+ block. Real ketamine block "
    "is use- and voltage-dependent (trapping) and brain free concentrations differ from plasma."
)
SODIUM_NOTE = (
    "Teaching model, not a fit to recordings: channels cycle resting -> open -> inactivated -> "
    "resting once per action potential; lamotrigine binds the inactivated state more tightly "
    "(Kuo 1998) and the drug sees the time-averaged state mix (modulated-receptor idea, Hille "
    "1977). Affinities and dwell times are order-of-magnitude assumptions from the data."
)
SURGE_NOTE = (
    "Illustrative model, not a validated prediction: ketamine's interneuron disinhibition raises "
    "the glutamate surge, lamotrigine's release inhibition lowers it, and the plasticity signal "
    "is an assumed inverted U of the surge. No study has measured this curve; in patients "
    "lamotrigine pretreatment 'did not enhance' ketamine's antidepressant effect and no blunting "
    "was reported (Mathew 2010, about 13 per arm: too few to rule out a moderate effect)."
)


# --------------------------------------------------------------------------- binding


def occupancy(conc_uM: ArrayLike, ki_uM: float) -> np.ndarray:
    """Fraction of receptors bound at equilibrium: C / (C + Ki).

    Parameters
    ----------
    conc_uM : array_like
        Free drug concentration, µM (>= 0).
    ki_uM : float
        Dissociation (inhibition) constant, µM (> 0).

    Returns
    -------
    ndarray
        Fraction bound, 0 to 1.

    Raises
    ------
    ValueError
        A negative or non-finite concentration, or ``ki_uM`` not > 0.

    Examples
    --------
    >>> float(occupancy(0.3, 0.3))
    0.5
    """
    c, ki = checks.array("conc_uM", conc_uM), checks.positive("ki_uM", ki_uM)
    return c / (c + ki)


def hill(conc: ArrayLike, ec50: float, emax: float = 1.0, n: float = 1.0) -> np.ndarray:
    """Hill / Emax model: Emax · Cⁿ / (EC50ⁿ + Cⁿ).

    Parameters
    ----------
    conc : array_like
        Concentration (>= 0), in the same unit as ``ec50``.
    ec50 : float
        Concentration giving half the maximum effect (> 0).
    emax : float
        Maximum effect (> 0).
    n : float
        Hill coefficient (> 0); 1 gives the hyperbolic Emax curve.

    Returns
    -------
    ndarray

    Raises
    ------
    ValueError
        Negative or non-finite concentration, or a parameter not > 0.

    Examples
    --------
    >>> [round(float(e), 2) for e in hill([0, 21, 210], ec50=21)]
    [0.0, 0.5, 0.91]
    """
    c = checks.array("conc", conc)
    ec, em, h = checks.positive("ec50", ec50), checks.positive("emax", emax), checks.positive("n", n)
    return em * c**h / (ec**h + c**h)


def ketamine_nmda_occupancy(conc_uM: ArrayLike, form: str = "racemic") -> np.ndarray:
    """NMDA-receptor occupancy by ketamine with the Ki values of Ebert 1997.

    Racemic ketamine is treated as a 50:50 mix of (S)- and (R)-ketamine competing for one site:
    occupancy = (C_S/Ki_S + C_R/Ki_R) / (1 + C_S/Ki_S + C_R/Ki_R). Esketamine is (S) alone.
    A teaching simplification: plasma concentration stands in for free brain concentration and
    Mg²⁺ and channel gating are ignored (see :data:`NMDA_NOTE`).

    Parameters
    ----------
    conc_uM : array_like
        Total ketamine concentration, µM (>= 0).
    form : {'racemic', 'esketamine'}

    Returns
    -------
    ndarray
        Fraction of sites occupied.

    Raises
    ------
    ValueError
        Unknown form, or a negative or non-finite concentration.

    Examples
    --------
    >>> round(float(ketamine_nmda_occupancy(0.78, form="esketamine")), 2)
    0.72
    """
    c = checks.array("conc_uM", conc_uM)
    ki_s = checks.drug_value("ketamine", "ki_s_ketamine")
    if form == "esketamine":
        return occupancy(c, ki_s)
    if form != "racemic":
        raise ValueError(f"unknown form {form!r}; allowed: {', '.join(KETAMINE_FORMS)}")
    x = c / 2 / ki_s + c / 2 / checks.drug_value("ketamine", "ki_r_ketamine")
    return x / (1 + x)


# --------------------------------------------------------------------------- NMDA receptor


def mg_block_fraction_open(voltage_mV: ArrayLike, mg_mM: float | None = None) -> np.ndarray:
    """Fraction of NMDA-receptor conductance not blocked by Mg²⁺ (Jahr & Stevens 1990).

    g(V) = 1 / (1 + [Mg²⁺]/K · exp(−s·V)), with K, s and the default [Mg²⁺]o from the data.

    Parameters
    ----------
    voltage_mV : array_like
        Membrane potential, mV (finite).
    mg_mM : float, optional
        Extracellular Mg²⁺, mM (>= 0); default the physiological value in the data.

    Returns
    -------
    ndarray
        0 (fully blocked) to 1 (unblocked).

    Raises
    ------
    ValueError
        Non-finite voltage, or a negative or non-finite Mg²⁺ concentration.

    Examples
    --------
    >>> [round(float(g), 2) for g in mg_block_fraction_open([-80, -40, 0, 40])]
    [0.02, 0.23, 0.78, 0.98]
    >>> float(mg_block_fraction_open(-80, mg_mM=0))
    1.0
    """
    v = checks.array("voltage_mV", voltage_mV, allow_negative=True)
    phys = checks.physiology_value  # internal units: concentrations in uM, slope in 1/mV
    mg = phys("extracellular_mg") / 1000 if mg_mM is None else float(checks.array("mg_mM", mg_mM))
    return 1.0 / (1.0 + mg / (phys("mg_block_k") / 1000) * np.exp(-phys("mg_block_slope") * v))


def nmda_conductance_with_ketamine(voltage_mV: ArrayLike, ketamine_uM: float,
                                   mg_mM: float | None = None,
                                   form: str = "racemic") -> np.ndarray:
    """Relative NMDA conductance with Mg²⁺ block and ketamine's open-channel block together.

    g = g_Mg(V) · (1 − ketamine occupancy). A teaching simplification: the two blocks are taken
    as independent and ketamine's own voltage- and use-dependence is ignored (see
    :data:`NMDA_NOTE`). The point it shows: at rest Mg²⁺ already blocks most channels; ketamine
    removes conductance that depolarisation would otherwise unblock.

    Parameters
    ----------
    voltage_mV : array_like
        Membrane potential, mV.
    ketamine_uM : float
        Ketamine concentration, µM (>= 0).
    mg_mM : float, optional
        Extracellular Mg²⁺, mM; default from the data.
    form : {'racemic', 'esketamine'}

    Returns
    -------
    ndarray
        Conductance relative to an unblocked channel, 0 to 1.

    Raises
    ------
    ValueError
        As for :func:`mg_block_fraction_open` and :func:`ketamine_nmda_occupancy`.

    Examples
    --------
    >>> round(float(nmda_conductance_with_ketamine(0, 0.78)), 2)
    0.3
    """
    unblocked = 1.0 - ketamine_nmda_occupancy(ketamine_uM, form)
    return mg_block_fraction_open(voltage_mV, mg_mM) * unblocked


# --------------------------------------------------------------------------- sodium channel


@dataclass(frozen=True)
class SodiumBlock:
    """Result of :func:`sodium_block`: fraction blocked, the state mix and the model note."""

    fraction_blocked: np.ndarray
    fraction_inactivated: np.ndarray
    apparent_kd_uM: np.ndarray
    note: str = SODIUM_NOTE


def sodium_block(firing_hz: ArrayLike, lamotrigine_uM: ArrayLike) -> SodiumBlock:
    """Use-dependent sodium-channel block by lamotrigine (a teaching state model).

    Each action potential takes channels resting → open → inactivated; they recover to rest.
    With firing rate f, open dwell τ_O and inactivated dwell τ_I per spike, the time-averaged
    state fractions are 1 : f·τ_O : f·τ_I (normalised). Lamotrigine binds the inactivated state
    with Kd_I and resting/open channels with the much weaker Kd_R (Kuo 1998: the inactivated
    state binds far more tightly). The drug sees the average: 1/Kd_app = Σ pₛ/Kdₛ, and the
    fraction blocked is C / (C + Kd_app). Faster firing → more inactivated time → more block.

    This is a teaching model, not a fit to recordings; its constants are order-of-magnitude
    assumptions in the data (see :data:`SODIUM_NOTE`, attached as ``note``).

    Parameters
    ----------
    firing_hz : array_like
        Firing rate, action potentials per second (0 to 500).
    lamotrigine_uM : array_like
        Free lamotrigine near the channel, µM (>= 0). From plasma, multiply by the unbound
        fraction (1 − protein_binding in the data) as a first approximation.

    Returns
    -------
    SodiumBlock
        ``fraction_blocked``, ``fraction_inactivated`` and ``apparent_kd_uM`` (broadcast over
        the inputs) and ``note``.

    Raises
    ------
    ValueError
        A firing rate outside 0-500 Hz, or a negative or non-finite concentration.

    Examples
    --------
    >>> b = sodium_block([1, 50], 7.0)
    >>> [round(float(x), 2) for x in b.fraction_blocked]
    [0.01, 0.19]
    >>> b.note.startswith("Teaching model")
    True
    """
    f = checks.array("firing_hz", firing_hz)
    if np.any(f > 500):
        raise ValueError(f"firing_hz must be between 0 and 500 Hz; got {firing_hz!r}")
    c = checks.array("lamotrigine_uM", lamotrigine_uM)
    tau_o = checks.physiology_value("nav_open_dwell_per_spike") * 3600  # internal h -> s
    tau_i = checks.physiology_value("nav_inactivated_dwell_per_spike") * 3600
    kd_i = checks.drug_value("lamotrigine", "nav_kd_inactivated")
    kd_r = checks.drug_value("lamotrigine", "nav_kd_resting")
    total = 1 + f * tau_o + f * tau_i
    p_inact = f * tau_i / total
    kd_app = 1 / ((1 - p_inact) / kd_r + p_inact / kd_i)
    return SodiumBlock(c / (c + kd_app), p_inact, kd_app)


# --------------------------------------------------------------------------- glutamate surge


@dataclass(frozen=True)
class SurgeResult:
    """Result of :func:`glutamate_surge_model` (surges as multiples of baseline release)."""

    surge: float
    plasticity: float
    surge_ketamine_alone: float
    plasticity_ketamine_alone: float
    net_effect_of_lamotrigine: str
    note: str = SURGE_NOTE


def glutamate_surge_model(ketamine_strength: float, lamotrigine_strength: float, *,
                          disinhibition_gain: float | None = None,
                          max_release_inhibition: float | None = None,
                          optimum_surge: float | None = None,
                          width: float | None = None) -> SurgeResult:
    """An illustrative glutamate-surge model of combining ketamine and lamotrigine.

    surge = (1 + gain · ketamine_strength) · (1 − max_inhibition · lamotrigine_strength), as a
    multiple of baseline release. The downstream plasticity signal (a stand-in for AMPA → BDNF
    → mTORC1 signalling) is an assumed inverted U: exp(−ln(surge/optimum)² / (2·width²)).
    Below the optimum lamotrigine's trimming of the surge blunts the signal; above it, the
    trimming brings the surge back toward the optimum and the signal rises. Which one happens
    depends on the parameters, which is the lesson: the sign is not settled by mechanism alone.

    Illustrative, not a validated prediction (see :data:`SURGE_NOTE`, attached as ``note``).
    Parameters default to the assumptions in the data.

    Parameters
    ----------
    ketamine_strength : float
        0 to 1: the fraction of interneuron NMDA receptors blocked (e.g. an occupancy).
    lamotrigine_strength : float
        0 to 1: how much of lamotrigine's release inhibition is engaged (e.g. a block fraction).
    disinhibition_gain, max_release_inhibition, optimum_surge, width : float, optional
        Override the data assumptions (gain, optimum, width > 0; inhibition 0 to 1).

    Returns
    -------
    SurgeResult
        ``net_effect_of_lamotrigine`` is 'enhancement', 'blunting' or 'none' (a change in the
        plasticity signal smaller than 0.01).

    Raises
    ------
    ValueError
        A strength outside 0-1 or a parameter outside its range.

    Examples
    --------
    >>> glutamate_surge_model(0.5, 0.5).net_effect_of_lamotrigine
    'blunting'
    >>> r = glutamate_surge_model(1.0, 0.5)
    >>> r.net_effect_of_lamotrigine, round(r.surge, 2), round(r.surge_ketamine_alone, 2)
    ('enhancement', 2.25, 3.0)
    """
    k = checks.unit_interval("ketamine_strength", ketamine_strength)
    lam = checks.unit_interval("lamotrigine_strength", lamotrigine_strength)
    gain = checks.positive("disinhibition_gain", disinhibition_gain if disinhibition_gain is not None
                     else checks.physiology_value("surge_disinhibition_gain"))
    inhib = checks.unit_interval("max_release_inhibition", max_release_inhibition
                           if max_release_inhibition is not None
                           else checks.physiology_value("surge_max_release_inhibition"))
    opt = checks.positive("optimum_surge", optimum_surge if optimum_surge is not None
                    else checks.physiology_value("plasticity_optimum_surge"))
    w = checks.positive("width", width if width is not None else checks.physiology_value("plasticity_width"))

    def plasticity(surge: float) -> float:
        if surge <= 0:
            return 0.0
        return math.exp(-math.log(surge / opt) ** 2 / (2 * w * w))

    alone = 1 + gain * k
    both = alone * (1 - inhib * lam)
    p_alone, p_both = plasticity(alone), plasticity(both)
    delta = p_both - p_alone
    verdict = "none" if abs(delta) < 0.01 else ("enhancement" if delta > 0 else "blunting")
    return SurgeResult(both, p_both, alone, p_alone, verdict)
