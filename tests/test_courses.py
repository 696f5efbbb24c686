"""Populations computed once: a course kept by day (its windows give the model's own numbers for
those days) and a unit dose of ketamine (any dose is a scaling of it), each kept per state of
data/, so lessons 02's and 03's explorers never wait for the model."""

import shutil

import numpy as np
import pytest

from mechlib import data, explorers, widgets
from mechlib.models import courses, pk, population

COMEDICATIONS = [c for _, c in population.comedication_labels()]


def _schedule(kind, comedication, days):
    if kind == "fixed":
        return pk.regular_schedule(200, 24, days)
    key = comedication if comedication in ("valproate", "inducer") else "standard"
    return pk.titration_schedule(key, days)


@pytest.mark.parametrize("kind", ["titration", "fixed"])
@pytest.mark.parametrize("comedication", COMEDICATIONS)
def test_a_window_gives_the_numbers_of_the_model_run_for_those_days(comedication, kind):
    course = courses.lamotrigine_course(_schedule(kind, comedication, 84), n=300, seed=11,
                                        comedication=comedication)
    for days in (28, 49, 84):
        sched = _schedule(kind, comedication, days)
        direct = population.lamotrigine_population(sched, n=300, seed=11,
                                                   comedication=comedication)
        last = round(sched[-1][0] / 24)
        w = course.first_days(last + 1, last)
        assert np.array_equal(w.t_h, direct.t_h)
        # the last hour is a dose time of the longer course: evaluated from its side, it can
        # differ in the tenth digit (the pill's changing clearance); every other value is equal
        for q, curve in direct.percentiles().items():
            assert np.allclose(w.percentiles()[q], curve, rtol=1e-9, atol=0), q
        assert np.allclose(w.shown, direct.conc_mg_per_L[:courses.SHOWN], rtol=1e-9, atol=0)
        for name in ("cmax", "trough", "fraction_in_band", "time_to_90_h"):
            assert np.allclose(getattr(w, name), getattr(direct, name), rtol=1e-9, atol=0), name
        assert w.shares() == direct.shares()


def test_a_course_is_computed_once_per_state_of_the_data(tmp_path, monkeypatch):
    sched = pk.regular_schedule(200, 24, 42)
    first = courses.lamotrigine_course(sched, n=200, seed=3, comedication="valproate")
    assert courses.lamotrigine_course(sched, n=200, seed=3, comedication="valproate") is first
    assert courses.lamotrigine_course(sched, n=200, seed=4, comedication="valproate") is not first
    for f in data.default_data_dir().glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "population.yaml").read_text()
    (tmp_path / "population.yaml").write_text(text.replace(
        "valproate_clearance_fold: {value: 0.48", "valproate_clearance_fold: {value: 0.24"))
    monkeypatch.setenv("MECHLIB_DATA_DIR", str(tmp_path))
    edited = courses.lamotrigine_course(sched, n=200, seed=3, comedication="valproate")
    half = first.day_max[:, -1] / edited.day_max[:, -1]
    assert edited is not first and np.allclose(np.median(half), 0.5, atol=0.05)


def test_a_course_and_its_windows_are_read_only():
    course = courses.lamotrigine_course(pk.regular_schedule(200, 24, 30), n=50, seed=1)
    w = course.first_days(30, 29)
    for arr in (course.day_max, course.in_band, course.patients.clearance_L_per_h, w.t_h,
                w.shown, w.percentiles()[50]):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0


def test_bad_input_is_one_clear_error():
    with pytest.raises(ValueError, match="whole days"):
        courses.lamotrigine_course(pk.regular_schedule(100, 12, 30), n=50, seed=1)
    with pytest.raises(ValueError, match="whole days"):  # a ketamine profile: classified by Cmax
        courses.Course.from_profile(population.ketamine_population("iv", n=20, seed=1))
    course = courses.lamotrigine_course(pk.regular_schedule(200, 24, 30), n=50, seed=1)
    for days, last, match in ((0, 0, "days must be"), (31, 29, "from 1 to 30"),
                              (30, 30, "last_dose_day must be"), (2.5, 1, "whole number")):
        with pytest.raises(ValueError, match=match):
            course.first_days(days, last)


def test_the_lesson_explorer_waits_for_the_model_only_when_it_is_shown(monkeypatch):
    calls = []
    model = courses.lamotrigine_population
    monkeypatch.setattr(courses, "lamotrigine_population",
                        lambda *a, **k: (calls.append(k["comedication"]), model(*a, **k))[1])
    data.loader._load_cached.cache_clear()  # a fresh state of data/: no course kept yet
    ex = explorers.get("lamotrigine_population")
    box = widgets.show("lamotrigine_population")
    assert sorted(calls) == sorted(COMEDICATIONS * 2)  # every co-medication, both schedules
    calls.clear()
    controls = dict(zip((c.name for c in ex.controls), box.children[1:1 + len(ex.controls)],
                        strict=True))
    text = next(c for c in box.children if "mechlib-readout" in c._dom_classes)
    seen = set()
    for comedication in COMEDICATIONS:
        controls["comedication"].value = comedication
        for schedule in ("fixed", "titration"):
            controls["schedule"].value = schedule
            for days in (28, 84):
                controls["days"].value = days
                seen.add(text.value)
    assert not calls and len(seen) == len(COMEDICATIONS) * 2 * 2


@pytest.mark.parametrize(("route", "dose", "doses"), [("iv", "mg_per_kg", (0.1, 0.5, 2.0)),
                                                      ("intranasal", "dose_mg", (14.0, 84.0)),
                                                      ("oral", "dose_mg", (200.0,))])
def test_a_scaled_unit_dose_gives_the_numbers_of_the_model_run_at_that_dose(route, dose, doses):
    unit = courses.ketamine_per_unit_dose(route, n=400, seed=9)
    assert courses.ketamine_per_unit_dose(route, n=400, seed=9) is unit  # kept
    for d in doses:
        got = courses.scaled(unit, d)
        direct = population.ketamine_population(route, n=400, seed=9, **{dose: d})
        assert np.allclose(got.conc_mg_per_L, direct.conc_mg_per_L, rtol=1e-13, atol=0)
        for q, curve in direct.percentiles().items():  # float32 curves, as the bands are drawn
            assert np.allclose(got.percentiles()[q], curve, rtol=2e-7, atol=0), q
        assert np.allclose(got.cmax, direct.cmax, rtol=1e-13, atol=0)
        assert np.array_equal(got.fraction_in_band, direct.fraction_in_band)
        assert got.shares() == direct.shares()
    with pytest.raises(ValueError, match="read-only"):
        unit.conc_mg_per_L[0, 0] = 0
    for bad in (0, -1.0, float("inf"), float("nan"), "2"):
        with pytest.raises(ValueError, match="finite number > 0"):
            courses.scaled(unit, bad)


def test_the_ketamine_explorer_waits_for_the_model_only_when_it_is_shown(monkeypatch):
    calls = []
    model = courses.ketamine_population
    monkeypatch.setattr(courses, "ketamine_population",
                        lambda *a, **k: (calls.append(a[0]), model(*a, **k))[1])
    data.loader._load_cached.cache_clear()  # a fresh state of data/: no unit dose kept yet
    ex = explorers.get("ketamine_population")
    box = widgets.show("ketamine_population")
    assert sorted(calls) == ["intranasal", "iv", "oral"]
    calls.clear()
    controls = dict(zip((c.name for c in ex.controls), box.children[1:1 + len(ex.controls)],
                        strict=True))
    text = next(c for c in box.children if "mechlib-readout" in c._dom_classes)
    seen = set()
    for route in ("iv", "intranasal", "oral"):
        controls["route"].value = route
        name = "iv_mg_per_kg" if route == "iv" else "dose_mg"
        for value in ((0.3, 1.0) if route == "iv" else (28.0, 112.0)):
            controls[name].value = value
            seen.add(text.value)
    assert not calls and len(seen) == 6
