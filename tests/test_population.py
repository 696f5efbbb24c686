"""Virtual patients: published anchors, reproducibility, the data behind them, and bad input."""

import math

import numpy as np
import pytest

from mechlib import data
from mechlib.models import bands, pk
from mechlib.models import population as pop

SCHED = pk.regular_schedule(200, 24, 28)


def _last_day_mean(p):
    return np.median(p.conc_mg_per_L[:, p.t_h >= p.t_h[-1] - 24].mean(axis=1))


def test_median_half_life_and_range_match_the_label():
    hl = data.load().drug("lamotrigine").param("half_life")  # 25.4 h (11.6-61.6)
    p = pop.sample_patients("lamotrigine", n=5000, seed=0)
    q5, q50, q95 = np.percentile(p.half_life_h, (5, 50, 95))
    assert hl.range[0] <= q50 <= hl.value  # a log-normal's median lies below its mean
    assert abs(np.mean(p.half_life_h) - hl.value) / hl.value < 0.15
    assert 0.8 * hl.range[0] < q5 < hl.range[0] * 1.2 and 0.8 * hl.range[1] < q95 < 1.2 * hl.range[1]


def test_valproate_roughly_doubles_and_the_pill_roughly_halves_the_median():
    base = _last_day_mean(pop.lamotrigine_population(SCHED, n=1000, seed=2))
    vpa = _last_day_mean(pop.lamotrigine_population(pk.regular_schedule(200, 24, 42), n=1000,
                                                     seed=2, comedication="valproate"))
    base42 = _last_day_mean(pop.lamotrigine_population(pk.regular_schedule(200, 24, 42), n=1000,
                                                        seed=2))
    assert 1.7 < vpa / base42 < 2.6
    # day 14-20 of the pack (pill taken): about half; by the end of the pill-free week: higher
    pill = pop.lamotrigine_population(SCHED, n=1000, seed=2, comedication="contraceptive")
    none = pop.lamotrigine_population(SCHED, n=1000, seed=2)
    on = (pill.t_h >= 19 * 24) & (pill.t_h < 20 * 24)
    ratio = np.median(pill.conc_mg_per_L[:, on].mean(1)) / np.median(none.conc_mg_per_L[:, on].mean(1))
    assert 0.4 < ratio < 0.6
    assert _last_day_mean(pill) > 1.4 * np.median(pill.conc_mg_per_L[:, on].mean(1))
    assert base > 0


def test_inducer_lowers_the_median_by_about_40_percent():
    a = _last_day_mean(pop.lamotrigine_population(SCHED, n=1000, seed=4))
    b = _last_day_mean(pop.lamotrigine_population(SCHED, n=1000, seed=4, comedication="inducer"))
    assert 0.5 < b / a < 0.7


def test_ketamine_median_cmax_near_the_published_peak():
    observed = data.load().drug("ketamine").param("depression_peak_concentration").value  # ng/mL
    p = pop.ketamine_population("iv", mg_per_kg=0.5, infusion_min=40, n=2000, seed=0)
    assert abs(np.median(p.cmax) * 1000 - observed) / observed < 0.15
    assert 35 / 60 <= p.t_h[np.argmax(np.median(p.conc_mg_per_L, 0))] <= 45 / 60


def test_population_median_patient_matches_the_single_patient_model():
    p = pop.lamotrigine_population(SCHED, n=2000, seed=5)
    one = pk.oral_profile(SCHED, t_h=p.t_h)
    # the average-patient model uses the mean half-life; the population median sits near it
    assert abs(_last_day_mean(p) - one.conc_mg_per_L[-24:].mean()) / one.conc_mg_per_L[-24:].mean() < 0.25


def test_seeded_runs_are_reproducible_and_seeds_differ():
    a = pop.lamotrigine_population(SCHED, n=50, seed=7)
    b = pop.lamotrigine_population(SCHED, n=50, seed=7)
    c = pop.lamotrigine_population(SCHED, n=50, seed=8)
    assert np.array_equal(a.conc_mg_per_L, b.conc_mg_per_L)
    assert not np.array_equal(a.conc_mg_per_L, c.conc_mg_per_L)
    assert a.summary() == b.summary()


def test_outputs_per_patient_and_population():
    p = pop.lamotrigine_population(SCHED, n=300, seed=1)
    s = p.shares()
    assert math.isclose(sum(s.values()), 1.0)
    pct = p.percentiles()
    assert (pct[5] <= pct[25]).all() and (pct[25] <= pct[50]).all() and (pct[75] <= pct[95]).all()
    assert np.all((p.fraction_in_band >= 0) & (p.fraction_in_band <= 1))
    assert np.allclose(p.time_to_90_h, p.patients.half_life_h * math.log2(10))
    assert (p.trough <= p.cmax).all()
    rows = p.table()
    assert len(rows) == 300 and set(rows[0]) >= {"cmax_mg_per_L", "trough_mg_per_L", "half_life_h"}


def test_superposition_matches_pk_for_one_patient():
    p = pop.lamotrigine_population(SCHED, n=3, seed=0)
    k = p.patients.clearance_L_per_h / p.patients.volume_L
    # a patient with the pk model's half-life and volume reproduces pk.oral_profile
    t = p.t_h
    f, ka = 0.98, 1.5
    cl = math.log(2) / 25.4 * 77.0
    conc = pop._oral_superposition(np.array([s[0] for s in SCHED]), np.array([s[1] for s in SCHED]) * f,
                                   t, ka, np.array([cl / 77.0]), np.ones(len(SCHED)), np.array([77.0]))
    ref = pk.oral_profile(SCHED, t_h=t).conc_mg_per_L
    assert np.allclose(conc[0], ref, rtol=1e-9, atol=1e-12)
    assert k.shape == (3,)


def test_distributions_say_how_they_were_derived():
    text = pop.describe_distribution("lamotrigine_clearance")
    assert "5th-95th percentiles" in text and "modelling assumption" in text
    mu, sigma = pop.lognormal("lamotrigine_clearance")
    assert math.isclose(math.exp(mu + sigma ** 2 / 2), 0.58)


@pytest.mark.parametrize("kwargs, match", [
    ({"n": 0}, "n must be"), ({"n": 2.5}, "n must be"), ({"seed": -1}, "seed must"),
    ({"comedication": "grapefruit"}, "unknown comedication"),
])
def test_bad_input_is_one_clear_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        pop.lamotrigine_population(SCHED, **kwargs)


def test_ketamine_bad_input():
    with pytest.raises(ValueError, match="unknown route"):
        pop.ketamine_population("rectal")
    with pytest.raises(ValueError, match="needs dose_mg"):
        pop.ketamine_population("intranasal")
    with pytest.raises(ValueError, match="lamotrigine only"):
        pop.sample_patients("ketamine", comedication="valproate")


def test_check_data_catches_a_broken_population_file(tmp_path):
    import shutil

    src = data.default_data_dir()
    for f in src.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "population.yaml").read_text().replace(
        "clearance_fold: inducer_clearance_fold", "clearance_fold: no_such_fold")
    (tmp_path / "population.yaml").write_text(text)
    problems = data.validate(tmp_path)
    assert any("no_such_fold" in str(p) for p in problems)


def test_ketamine_half_life_spread_matches_the_textbook():
    hl = data.load().drug("ketamine").param("half_life")  # 2.3 h, +/- 0.5 h (range 1.8-2.8)
    p = pop.sample_patients("ketamine", n=5000, seed=0)
    assert abs(np.mean(p.half_life_h) - hl.value) < 0.25
    assert hl.range[0] < np.median(p.half_life_h) < hl.range[1]
    assert 0.35 < np.std(p.half_life_h) < 0.7  # textbook SD 0.5 h


def test_third_trimester_pregnancy_lowers_the_median_by_about_half():
    a = _last_day_mean(pop.lamotrigine_population(SCHED, n=1000, seed=6))
    b = _last_day_mean(pop.lamotrigine_population(SCHED, n=1000, seed=6, comedication="pregnancy"))
    fold = data.load().population.param("pregnancy_third_trimester_clearance_fold").value
    assert fold == pytest.approx(1 + data.load().drug("lamotrigine").param(
        "pregnancy_clearance_increase_peak").value)
    assert 0.8 / fold < b / a < 1.2 / fold


def test_population_assumptions_cite_no_paper_that_lacks_them():
    ds = data.load()
    params = list(ds.population.parameters.values()) + [ds.interaction.additivity_margin]
    params += [p for c in ds.interaction.curves.values() for p in (c.emax, c.ed50, c.hill)]
    for p in params:
        if p.confidence == "assumption":
            assert p.reference == "teaching_assumption" or p.reference in (p.note or ""), p.name
        else:
            assert p.reference != "teaching_assumption", p.name


def test_the_lamotrigine_clearance_is_the_drug_parameter():
    d = data.load().population.distributions["lamotrigine_clearance"]
    p = data.load().drug("lamotrigine").param(d.from_parameter)
    mu, sigma = pop.lognormal("lamotrigine_clearance")
    assert math.isclose(math.exp(mu + sigma ** 2 / 2), p.value) and p.range == (0.24, 1.15)


def test_percentiles_equal_numpys_exactly():
    """One float32 sort and numpy's own interpolation: np.percentile's numbers for the float32
    curves, bit for bit, and within float32 rounding (1e-7) of the float64 ones."""
    rng = np.random.default_rng(11)
    arrays = [rng.lognormal(size=(n, 37)) for n in (1, 2, 3, 20, 999, 1000)]
    arrays.append(np.round(rng.normal(size=(50, 9)), 1))  # ties
    lesson = pop.lamotrigine_population(pk.titration_schedule("standard", 56), n=1000, seed=2026)
    ketamine = pop.ketamine_population("iv", mg_per_kg=0.5, n=1000, seed=2026)
    arrays += [lesson.conc_mg_per_L, ketamine.conc_mg_per_L]
    for x in arrays:
        want = np.percentile(x.astype(np.float32).astype(float), pop.PERCENTILES, axis=0)
        exact = np.percentile(x, pop.PERCENTILES, axis=0)
        got = pop.PopulationProfile(np.arange(x.shape[1]), x, lesson.patients, (0, 1), "cmax",
                                    0.0).percentiles()
        assert list(got) == list(pop.PERCENTILES)
        for row, q in zip(want, pop.PERCENTILES, strict=True):
            assert np.array_equal(got[q], row), (x.shape, q)
        for row, q in zip(exact, pop.PERCENTILES, strict=True):
            assert np.allclose(got[q], row, rtol=1e-7, atol=0), (x.shape, q)
    with_nan = arrays[3].copy()
    with_nan[4, 2] = np.nan
    got = bands.percentiles(with_nan, pop.PERCENTILES)
    want = np.percentile(with_nan.astype(np.float32).astype(float), pop.PERCENTILES, axis=0)
    assert all(np.array_equal(got[q], w, equal_nan=True) for q, w in zip(pop.PERCENTILES, want, strict=True))
