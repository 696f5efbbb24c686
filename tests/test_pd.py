"""mechlib.pd: binding, Mg2+ block, use-dependent Na+ block, the illustrative surge model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechlib import data, pd

DS = data.load()


def phys(name: str) -> float:
    return DS.physiology_param(name).value


def test_occupancy_and_hill_analytic_points():
    ki = DS.drug("ketamine").param("ki_s_ketamine").value
    assert float(pd.occupancy(ki, ki)) == 0.5
    assert float(pd.occupancy(9 * ki, ki)) == pytest.approx(0.9)
    ec50 = DS.drug("lamotrigine").param("glutamate_release_ed50").value
    assert float(pd.hill(ec50, ec50, emax=2)) == pytest.approx(1.0)
    assert float(pd.hill(3 * ec50, ec50, n=2)) == pytest.approx(0.9)
    np.testing.assert_allclose(pd.hill([0, 1e9], 1.0), [0, 1], atol=1e-8)


def test_racemic_occupancy_is_a_competing_50_50_mix():
    c = 0.78
    ks = DS.drug("ketamine").param("ki_s_ketamine").value
    kr = DS.drug("ketamine").param("ki_r_ketamine").value
    x = c / 2 / ks + c / 2 / kr
    assert float(pd.ketamine_nmda_occupancy(c)) == pytest.approx(x / (1 + x))
    # esketamine (all S, the higher-affinity enantiomer) occupies more at the same total
    assert pd.ketamine_nmda_occupancy(c, "esketamine") > pd.ketamine_nmda_occupancy(c)


def test_mg_block_nearly_complete_at_minus_80_and_relieved_near_0():
    g = pd.mg_block_fraction_open([-80, 0])
    expected = 1 / (1 + phys("extracellular_mg") / phys("mg_block_k")
                    * np.exp(-phys("mg_block_slope") * np.array([-80, 0])))
    np.testing.assert_allclose(g, expected)
    assert g[0] < 0.05  # > 95 % of the conductance blocked at -80 mV
    assert g[1] > 0.75  # most of the block relieved at 0 mV
    assert np.all(np.diff(pd.mg_block_fraction_open(np.linspace(-100, 40, 50))) > 0)
    assert float(pd.mg_block_fraction_open(-80, mg_mM=0)) == 1.0


def test_ketamine_block_adds_to_mg_block():
    v = np.linspace(-100, 40, 15)
    without = pd.nmda_conductance_with_ketamine(v, 0.0)
    np.testing.assert_allclose(without, pd.mg_block_fraction_open(v))
    with_k = pd.nmda_conductance_with_ketamine(v, 0.78)
    np.testing.assert_allclose(with_k / without, 1 - pd.ketamine_nmda_occupancy(0.78))
    assert "Teaching simplification" in pd.NMDA_NOTE


def test_sodium_block_is_use_dependent_and_labelled():
    rates = np.array([0.0, 1, 10, 50, 200])
    b = pd.sodium_block(rates, 10.0)
    assert np.all(np.diff(b.fraction_blocked) > 0)  # faster firing, more block
    kd_r = DS.drug("lamotrigine").param("nav_kd_resting").value
    kd_i = DS.drug("lamotrigine").param("nav_kd_inactivated").value
    assert float(b.apparent_kd_uM[0]) == pytest.approx(kd_r)  # silent: resting affinity only
    assert kd_i < float(b.apparent_kd_uM[-1]) < kd_r
    assert np.all(np.diff(pd.sodium_block(50, [1, 10, 100]).fraction_blocked) > 0)
    assert "Teaching model" in b.note


def test_surge_model_shows_both_enhancement_and_blunting():
    blunt = pd.glutamate_surge_model(0.5, 1.0)
    enhance = pd.glutamate_surge_model(1.0, 0.5)
    assert blunt.net_effect_of_lamotrigine == "blunting"
    assert blunt.plasticity < blunt.plasticity_ketamine_alone
    assert enhance.net_effect_of_lamotrigine == "enhancement"
    assert enhance.plasticity > enhance.plasticity_ketamine_alone
    assert pd.glutamate_surge_model(1.0, 0.0).net_effect_of_lamotrigine == "none"
    # lamotrigine always lowers the surge itself; only the downstream sign depends on parameters
    assert enhance.surge < enhance.surge_ketamine_alone
    gain = phys("surge_disinhibition_gain")
    assert enhance.surge_ketamine_alone == pytest.approx(1 + gain)
    assert "not a validated prediction" in enhance.note
    # a higher optimum turns the same doses into blunting
    assert pd.glutamate_surge_model(1.0, 0.5, optimum_surge=3.0).net_effect_of_lamotrigine \
        == "blunting"


@pytest.mark.parametrize("call, words", [
    (lambda: pd.occupancy(-1, 0.3), ["conc_uM", ">= 0"]),
    (lambda: pd.occupancy(math.nan, 0.3), ["conc_uM", "finite"]),
    (lambda: pd.occupancy(1, 0), ["ki_uM", "> 0"]),
    (lambda: pd.hill(1, -1), ["ec50", "> 0"]),
    (lambda: pd.hill(1, 1, n=0), ["n", "> 0"]),
    (lambda: pd.ketamine_nmda_occupancy(1, "arketamine"), ["form", "esketamine, racemic"]),
    (lambda: pd.mg_block_fraction_open(math.inf), ["voltage_mV", "finite"]),
    (lambda: pd.mg_block_fraction_open(0, mg_mM=-1), ["mg_mM", ">= 0"]),
    (lambda: pd.sodium_block(-1, 10), ["firing_hz", ">= 0"]),
    (lambda: pd.sodium_block(1000, 10), ["firing_hz", "0 and 500"]),
    (lambda: pd.sodium_block(10, -3), ["lamotrigine_uM", ">= 0"]),
    (lambda: pd.glutamate_surge_model(1.5, 0), ["ketamine_strength", "0 and 1"]),
    (lambda: pd.glutamate_surge_model(0.5, -0.1), ["lamotrigine_strength", "0 and 1"]),
    (lambda: pd.glutamate_surge_model(0.5, 0.5, width=0), ["width", "> 0"]),
])
def test_bad_input_names_argument_and_allowed_range(call, words):
    with pytest.raises(ValueError) as info:
        call()
    for w in words:
        assert w in str(info.value)
