"""The isobologram and Bliss models: exactly additive, synergistic and antagonistic cases."""

import math

import numpy as np
import pytest

from mechlib.models import interaction as ix

A = ix.Curve("A", 1.0, 10.0, 1.0)
B = ix.Curve("B", 1.0, 20.0, 1.0)


def test_points_on_the_isobole_are_exactly_additive():
    x, y = ix.isobole(A, B, 0.5)
    for a, b in zip(x[1:-1], y[1:-1], strict=True):
        assert math.isclose(ix.interaction_index(A, B, a, b, 0.5), 1.0)
        assert ix.verdict(ix.interaction_index(A, B, a, b, 0.5)) == "additivity"
    # for curves with equal slopes and emax, Loewe's expected effect of an isobole point is E
    assert math.isclose(ix.loewe_expected(A, B, 5.0, 10.0), 0.5, rel_tol=1e-6)


def test_synergy_and_antagonism():
    # half of each ED50 together gave 0.8: far more than the additive 0.5 -> synergy
    i_syn = ix.interaction_index(A, B, 5.0, 10.0, effect=0.8)
    assert i_syn < 1 and ix.verdict(i_syn) == "synergy"
    # the same doses gave only 0.2 -> antagonism
    i_ant = ix.interaction_index(A, B, 5.0, 10.0, effect=0.2)
    assert i_ant > 1 and ix.verdict(i_ant) == "antagonism"


def test_sham_combination_loewe_additive_bliss_not():
    steep = ix.Curve("S", 1.0, 10.0, 2.0)
    # a drug with itself: Loewe additive by definition
    e = ix.loewe_expected(steep, steep, 5.0, 5.0)
    assert math.isclose(e, steep.effect(10.0), rel_tol=1e-6)
    # Bliss expects less than the drug actually gives, so the sham looks synergistic to Bliss
    assert ix.bliss_expected(steep, steep, 5.0, 5.0) < steep.effect(10.0)
    shallow = ix.Curve("H", 1.0, 10.0, 0.5)
    assert ix.bliss_expected(shallow, shallow, 5.0, 5.0) > shallow.effect(10.0)


def test_bliss_formula_and_the_data_curves():
    assert math.isclose(ix.bliss_expected(A, B, 10.0, 20.0), 0.75)
    k = ix.curve("ketamine_fst")
    assert k.ed50 > 0 and 0 < k.effect(5.0) < 0.5


@pytest.mark.parametrize("call", [
    lambda: ix.Curve("X", 1.0, -1.0, 1.0), lambda: ix.Curve("X", 2.0, 1.0, 1.0),
    lambda: ix.dose_for_effect(A, 1.2), lambda: ix.interaction_index(A, B, -1, 1, 0.5),
    lambda: ix.verdict(float("nan")), lambda: ix.curve("aspirin"), lambda: A.effect(np.array([-1.0])),
])
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()


def test_effect_beyond_one_drugs_emax():
    partial = ix.Curve("P", 0.4, 10.0, 1.0)
    assert math.isinf(ix.dose_for_effect(partial, 0.5))
    assert math.isclose(ix.interaction_index(A, partial, 10.0, 100.0, 0.5), 1.0)
    with pytest.raises(ValueError, match="beyond the largest effect"):
        ix.isobole(A, partial, 0.5)
