"""Every exercise: the right answer, each common mistake, the blank, and nonsense input."""

import math
import shutil

import numpy as np
import pytest

from mechlib import data, exercises

ALL = data.load().exercises
IDS = [e.id for e in ALL]
LESSONS = [f"0{i}" for i in range(1, 8)]


def test_every_lesson_01_to_07_has_an_exercise():
    have = {e.lesson[:2] for e in ALL}
    assert set(LESSONS) <= have, sorted(set(LESSONS) - have)


@pytest.mark.parametrize("ex", ALL, ids=IDS)
def test_right_answer_and_a_function_giving_it(ex):
    assert exercises.check(ex.id, ex.answer).correct
    assert exercises.check(ex.id, np.float64(ex.answer)).correct
    # a function that returns the answer is called with the inputs
    fb = exercises.check(ex.id, lambda **kw: ex.answer if set(kw) == set(ex.inputs) else -1)
    assert fb.correct, fb


@pytest.mark.parametrize("ex", ALL, ids=IDS)
def test_each_common_mistake_gets_its_own_feedback(ex):
    assert ex.mistakes, f"{ex.id} lists no common mistakes"
    for m in ex.mistakes:
        fb = exercises.check(ex.id, m.value)
        assert fb.status == "mistake" and m.feedback in fb.message, (m, fb)


@pytest.mark.parametrize("ex", ALL, ids=IDS)
@pytest.mark.parametrize("nonsense", ["abc", [1, 2], float("nan"), math.inf, True, {"a": 1}, 3j])
def test_nonsense_is_feedback_not_a_traceback(ex, nonsense):
    fb = exercises.check(ex.id, nonsense)
    assert fb.status == "invalid" and fb.message


@pytest.mark.parametrize("ex", ALL, ids=IDS)
def test_blank_says_not_answered_yet(ex):
    for blank in (..., None):
        fb = exercises.check(ex.id, blank)
        assert fb.status == "blank" and "not answered yet" in repr(fb)


def test_a_function_that_fails_is_reported():
    fb = exercises.check("held_dose_fraction", lambda hours: hours)  # missing half_life_h
    assert fb.status == "invalid" and "TypeError" in fb.message and "half_life_h" in fb.message


def test_generic_unit_and_percentage_slips():
    assert "percentage" in exercises.check("held_dose_fraction", 51.95).message
    assert "factor of 1000" in exercises.check("lamotrigine_free_um", 8786).message
    assert exercises.check("held_dose_fraction", 0.9).status == "wrong"


def test_hint_and_solution_come_from_the_data():
    e = data.load().exercise("accumulation_ratio")
    assert e.hint in str(exercises.hint(e.id))
    assert e.solution in str(exercises.solution(e.id))
    assert e.prompt.split()[0] in str(exercises.show(e.id))


def test_worked_solutions_compute_the_stored_answers():
    from mechlib import trial_power

    computed = {
        "mg_block_fraction": 1 / (1 + 1 / 3.57 * math.exp(0.062 * 70)),
        "lamotrigine_free_um": 5 * 0.45 * 1000 / 256.09,
        "accumulation_ratio": 1 / (1 - 0.5 ** (24 / 25.4)),
        "nmda_occupancy": (185 / 237.7) / (185 / 237.7 + 0.3),
        "isobole_additive_dose": 20 * (1 - 4 / 10),
        "bliss_expected_effect": 0.3 + 0.4 - 0.3 * 0.4,
        "power_13_per_arm": trial_power.power_for_effect(0.8, 13),
        "held_dose_fraction": 0.5 ** (24 / 25.4),
    }
    for ex in ALL:
        assert exercises.check(ex.id, computed[ex.id]).correct, ex.id


def test_unknown_exercise_lists_the_ids():
    with pytest.raises(ValueError, match="unknown exercise 'nope'; allowed: .*held_dose_fraction"):
        exercises.check("nope", 1)


def test_check_data_rejects_a_mistake_equal_to_the_answer(tmp_path):
    for f in data.default_data_dir().glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    p = tmp_path / "exercises.yaml"
    p.write_text(p.read_text().replace("- value: 0.6022", "- value: 0.5195", 1))
    assert any("within the tolerance" in str(x) for x in data.validate(tmp_path))
    p.write_text(p.read_text().replace("lesson: 07_clinical_practice_and_safety", "lesson: 99_x"))
    assert any("99_x" in str(x) for x in data.validate(tmp_path))
