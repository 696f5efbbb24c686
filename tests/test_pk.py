"""mechlib.pk against analytic results and published values; expected numbers come from data/."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from mechlib import data, pk

LTG = data.load().drug("lamotrigine")
KET = data.load().drug("ketamine")


def ltg(name: str) -> float:
    return LTG.param(name).value


def ket(name: str) -> float:
    return KET.param(name).value


def daily(dose_mg: float = 200, days: int = 28, **kw) -> pk.Profile:
    return pk.oral_profile(pk.regular_schedule(dose_mg, 24, days), **kw)


# --------------------------------------------------------------------------- analytic


def test_superposition_matches_analytic_steady_state():
    """After ~10 half-lives, superposed Bateman curves equal the closed-form steady state."""
    tau, dose, w = 24.0, 200.0, 70.0
    p = pk.oral_profile(pk.regular_schedule(dose, tau, 30), t_h=np.linspace(29 * 24, 30 * 24, 145))
    f, ka = ltg("oral_bioavailability"), ltg("absorption_rate_constant")
    v = ltg("volume_of_distribution") * w
    k = math.log(2) / ltg("half_life")
    s = p.t_h - 29 * 24
    css = f * dose * ka / (v * (ka - k)) * (np.exp(-k * s) / (1 - np.exp(-k * tau))
                                            - np.exp(-ka * s) / (1 - np.exp(-ka * tau)))
    # 30 doses leave exp(-k * 30 * tau) ~ 0.0003 of accumulation still to come
    np.testing.assert_allclose(p.conc_mg_per_L, css, rtol=2e-3)
    # and the average over the interval is F * dose / (CL * tau)
    assert p.auc(29 * 24, 30 * 24) / tau == pytest.approx(p.css_avg, rel=2e-3)


def test_auc_is_proportional_to_dose():
    t = np.linspace(0, 20 * 24, 20 * 24 * 6 + 1)
    a100 = pk.oral_profile([(0, 100)], t_h=t).auc()
    a300 = pk.oral_profile([(0, 300)], t_h=t).auc()
    assert a300 / a100 == pytest.approx(3.0, rel=1e-9)
    # and the total AUC is F * dose / CL (tail after 20 days < 0.001 %)
    cl = math.log(2) / ltg("half_life") * ltg("volume_of_distribution") * 70
    assert a100 == pytest.approx(ltg("oral_bioavailability") * 100 / cl, rel=1e-3)


def test_terminal_slope_recovers_half_life():
    p = pk.oral_profile([(0, 100)], t_h=np.linspace(0, 240, 2401))
    late = p.t_h >= 48
    slope = np.polyfit(p.t_h[late], np.log(p.conc_mg_per_L[late]), 1)[0]
    assert math.log(2) / -slope == pytest.approx(ltg("half_life"), rel=1e-3)


def test_about_half_remains_after_24_h():
    """facts.md: with t1/2 ~ 25 h, ~52 % of the concentration remains 24 h later."""
    t_end = 27 * 24 + 6  # 6 h after the last dose: absorption is essentially over
    p = daily(days=28, t_h=np.array([t_end, t_end + 24.0]))
    c0, c1 = p.conc_mg_per_L  # no dose in between would be wrong: schedule ends at day 27
    assert c1 / c0 == pytest.approx(0.5 ** (24 / ltg("half_life")), rel=0.01)
    assert 0.5 < c1 / c0 < 0.55


def test_time_to_90_percent_of_steady_state():
    p = daily()
    t90 = p.time_to_fraction_of_steady_state(0.9)
    assert t90 == pytest.approx(ltg("half_life") * math.log2(10))
    # the curve itself agrees: trough-to-trough accumulation reaches 90 % by then
    grid = np.arange(28) * 24.0 + 23.99  # just before each next dose
    troughs = daily(t_h=grid).conc_mg_per_L
    first_90 = grid[np.argmax(troughs >= 0.9 * troughs[-1])]
    assert abs(first_90 - t90) < 24


# --------------------------------------------------------------------------- published values


def test_200_mg_daily_is_inside_the_reference_range():
    p = daily(200)
    assert ltg("reference_range_low") <= p.css_avg <= ltg("reference_range_high")
    assert ltg("reference_range_low") <= p.trough <= p.cmax <= ltg("reference_range_high")


def test_single_dose_tmax_inside_label_range():
    lo, hi = LTG.param("tmax").range
    assert lo <= pk.oral_profile([(0, 100)]).tmax_h <= hi


def test_valproate_half_life_and_roughly_double_concentrations():
    """Label: valproate raises lamotrigine concentrations 'slightly more than 2-fold'.

    The model changes only the half-life (25.4 -> 70.3 h) with Vd/F fixed, so the ratio is
    70.3 / 25.4 = 2.77. We accept 2.0 to 3.0: at least the label's fold, and below 3-fold.
    """
    usual, vpa = daily(), daily(comedication="valproate")
    assert vpa.half_life_h == pytest.approx(70, abs=1)
    assert vpa.half_life_h == ltg("half_life_with_valproate")
    ratio = vpa.css_avg / usual.css_avg
    assert ltg("valproate_concentration_fold") <= ratio <= 3.0
    assert ratio == pytest.approx(ltg("half_life_with_valproate") / ltg("half_life"))


def test_inducer_lowers_concentrations_about_40_percent():
    """Label: inducers lower concentrations ~40 %; the model (t1/2 14 h) gives -45 %."""
    change = daily(comedication="inducer").css_avg / daily().css_avg - 1
    assert change == pytest.approx(ltg("inducer_concentration_change"), abs=0.1)


def test_ketamine_two_compartment_peaks_near_published_185():
    """0.5 mg/kg over 40 min peaks near ~185 ng/mL (Zanos 2018, Table 1).

    Tolerance +/-10 % (166-204 ng/mL): the observed value is a mean across people whose peaks
    vary far more than that. Honest caveat: the two-compartment central volume and
    intercompartmental clearance are assumptions calibrated to this peak (see data notes),
    so this test guards the implementation and the data, it is not an independent validation.
    """
    p = pk.ketamine_profile("iv", mg_per_kg=ket("depression_dose"),
                            infusion_min=ket("depression_infusion_duration"))
    peak = ket("depression_peak_concentration")
    assert p.cmax * 1000 == pytest.approx(peak, rel=0.10)
    assert p.tmax_h == pytest.approx(ket("depression_infusion_duration") / 60, abs=1 / 60)
    assert float(p.conc_uM.max()) == pytest.approx(0.78, abs=0.08)  # facts.md: ~0.78 uM
    lo, hi = KET.param("half_life").range
    assert lo <= p.half_life_h <= hi


def test_ketamine_one_compartment_underestimates_the_peak():
    """facts.md: one compartment with the meta-analysis values peaks near 125 ng/mL."""
    p = pk.iv_infusion_profile(0.5, 40, model="one_compartment")
    assert p.cmax * 1000 == pytest.approx(125, rel=0.03)
    assert p.half_life_h == pytest.approx(
        math.log(2) * ket("volume_of_distribution_meta") / ket("clearance_meta"))


def test_ketamine_iv_mass_balance_and_washout():
    p = pk.iv_infusion_profile(0.5, 40, t_h=np.linspace(0, 48, 48 * 60 + 1))
    dose = 0.5 * 70
    assert p.auc() == pytest.approx(dose / ket("clearance_meta"), rel=2e-3)
    assert p.conc_ng_per_mL[-1] < 1  # washed out after two days
    assert p.conc_mg_per_L[0] == 0


def test_ketamine_routes_use_their_bioavailability():
    t = np.linspace(0, 48, 48 * 60 + 1)
    iv = pk.ketamine_profile("iv", dose_mg=56, t_h=t).auc()
    nasal = pk.ketamine_profile("intranasal", dose_mg=56, t_h=t)
    oral = pk.ketamine_profile("oral", dose_mg=56, t_h=t).auc()
    assert nasal.auc() / iv == pytest.approx(ket("intranasal_bioavailability"), rel=5e-3)
    assert oral / iv == pytest.approx(ket("oral_bioavailability"), rel=5e-3)
    assert 20 / 60 <= nasal.tmax_h <= 40 / 60  # the absorption rate's stated intent


def test_held_dose_lowers_level_only_modestly():
    """Holding one morning dose does not clear lamotrigine (facts.md, derived)."""
    sched = pk.regular_schedule(200, 24, 14)
    c = pk.held_dose_comparison(sched, -1, at_h=13 * 24 + 3)
    usual_trough = c.usual.trough
    assert c.changed_at < c.usual_at
    assert c.changed_at > 0.85 * usual_trough
    # delayed by 6 h: at +3 h nothing has been taken yet, the same as holding it
    d = pk.held_dose_comparison(sched, -1, at_h=13 * 24 + 3, delay_h=6)
    assert d.changed_at == pytest.approx(c.changed_at)
    assert len(d.changed.doses) == len(sched)
    # at +12 h the delayed dose is in: above the held level
    later = dict(at_h=13 * 24 + 12)
    held, delayed = (pk.held_dose_comparison(sched, -1, **later),
                     pk.held_dose_comparison(sched, -1, delay_h=6, **later))
    assert delayed.changed_at > held.changed_at


def test_summary_metrics():
    p = daily()
    s = p.summary()
    assert {"cmax", "tmax_h", "trough", "css_avg", "half_life_h"} <= set(s)
    assert s["half_life_h"] == ltg("half_life")
    k = pk.ketamine_profile("iv", mg_per_kg=0.5)
    assert k.trough is None and k.css_avg is None
    band = k.time_in_band(ket("dissociation_band_low"), ket("dissociation_band_high"), "ng/mL")
    assert 0.3 < band < 1.5
    assert k.time_in_band(0, 1e9, "ng/mL") == pytest.approx(k.t_h[-1] - k.t_h[0])


def test_titration_schedules_follow_the_data():
    std = pk.titration_schedule("standard", 42)
    assert [d for _, d in std[:14]] == [25.0] * 14 and std[14] == (14 * 24.0, 50.0)
    assert std[-1] == (41 * 24.0, 200.0)
    vpa = pk.titration_schedule("valproate", 14)
    assert [t / 24 for t, _ in vpa] == [0, 2, 4, 6, 8, 10, 12]
    assert pk.titration_schedule("inducer", 7)[0] == (0.0, 50.0)
    p = pk.oral_profile(std, comedication=None)
    assert p.css_avg is None and p.trough is not None


def test_benchmark_budget_28_days_at_10_min():
    schedule = pk.regular_schedule(200, 24, 28)
    t = np.arange(0, 28 * 24 + 1e-9, 1 / 6)
    pk.oral_profile(schedule, t_h=t)
    runs = []
    for _ in range(5):
        t0 = time.perf_counter()
        pk.oral_profile(schedule, t_h=t)
        runs.append(time.perf_counter() - t0)
    assert min(runs) < 0.010


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, words", [
    (lambda: pk.regular_schedule(-5, 24, 28), ["dose_mg", "> 0"]),
    (lambda: pk.regular_schedule(math.nan, 24, 28), ["dose_mg", "finite"]),
    (lambda: pk.regular_schedule(math.inf, 24, 28), ["dose_mg", "finite"]),
    (lambda: pk.regular_schedule(100, 0, 28), ["every_h", "> 0"]),
    (lambda: pk.regular_schedule(100, -12, 28), ["every_h", "> 0"]),
    (lambda: pk.regular_schedule(100, 24, 0), ["days", "> 0"]),
    (lambda: pk.oral_profile([]), ["schedule", "empty"]),
    (lambda: pk.oral_profile([(0, -1)]), ["dose_mg", "> 0"]),
    (lambda: pk.oral_profile([(0, math.nan)]), ["dose_mg", "finite"]),
    (lambda: pk.oral_profile([(0, 100)], drug="aspirin"), ["drug", "ketamine, lamotrigine"]),
    (lambda: pk.oral_profile([(0, 100)], comedication="grapefruit"),
     ["comedication", "inducer", "valproate"]),
    (lambda: pk.oral_profile([(0, 100)], weight_kg=0.5), ["weight_kg", "1 and 300"]),
    (lambda: pk.oral_profile([(0, 100)], weight_kg=301), ["weight_kg", "1 and 300"]),
    (lambda: pk.oral_profile([(0, 100)], weight_kg=math.nan), ["weight_kg", "1 and 300"]),
    (lambda: pk.oral_profile([(0, 100)], t_h=[0, 2, 1]), ["t_h", "increasing"]),
    (lambda: pk.oral_profile([(0, 100)], t_h=[0, 0]), ["t_h", "increasing"]),
    (lambda: pk.ketamine_profile("rectal", dose_mg=10), ["route", "intranasal, iv, oral"]),
    (lambda: pk.ketamine_profile("iv"), ["mg_per_kg", "dose_mg"]),
    (lambda: pk.ketamine_profile("iv", mg_per_kg=-0.5), ["mg_per_kg", "> 0"]),
    (lambda: pk.ketamine_profile("oral", dose_mg=math.nan), ["dose_mg", "finite"]),
    (lambda: pk.iv_infusion_profile(0.5, 0), ["infusion_min", "> 0"]),
    (lambda: pk.iv_infusion_profile(0.5, 40, weight_kg=0), ["weight_kg", "1 and 300"]),
    (lambda: pk.iv_infusion_profile(0.5, 40, model="three"), ["model", "two_compartment"]),
    (lambda: pk.titration_schedule("fast"), ["titration kind", "standard"]),
    (lambda: pk.titration_schedule("standard", 0), ["days", "1 to 364"]),
    (lambda: pk.held_dose_comparison([(0, 100)], 3, at_h=5), ["dose_index", "-1 to 0"]),
    (lambda: pk.held_dose_comparison([(0, 100)], 0, at_h=5, delay_h=0), ["delay_h", "> 0"]),
    (lambda: daily().time_in_band(5, 1), ["lo", "hi"]),
    (lambda: daily().auc(10, 5), ["t0_h", "t1_h"]),
])
def test_bad_input_names_argument_and_allowed_range(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for w in words:
        assert w in str(info.value)
