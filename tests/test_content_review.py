"""Rules from the content review (issue 14) that the data must keep.

Each test fails if a reviewed correction is undone: a figure quoted without its population, an
"accurate" verdict on a claim whose step is a hypothesis in the graph, an assumption that cites a
paper not containing it, a research use listed as an indication.
"""

from __future__ import annotations

import math

import pytest

from mechlib import data, evidence, trial_power

DS = data.load()
KET = DS.drug("ketamine")
LAM = DS.drug("lamotrigine")
CLAIMS = {c.id: c for c in DS.claims}


def _texts():
    """Every piece of prose in the data a learner reads, with where it came from."""
    for c in DS.claims:
        yield f"claim {c.id}", c.evidence
    for q in DS.quizzes:
        parts = [q.prompt, q.explanation] + [o.text + " " + (o.feedback or "") for o in q.options]
        yield f"question {q.id}", " ".join(parts)
    for d in DS.drugs.values():
        for s in d.indications + d.adverse_effects:
            yield f"{d.name} statement", s.text


# ------------------------------------------------------------------ esketamine adverse-event rates

ASPIRE = ("dissociation_rate_esketamine", "dissociation_rate_placebo",
          "bp_increase_rate_esketamine", "bp_increase_rate_placebo")


@pytest.mark.parametrize("name", ASPIRE)
def test_aspire_rates_cite_canuso_and_name_their_population(name):
    p = KET.param(name)
    assert p.reference == "canuso2021", "these figures are Canuso 2021's, not the label's"
    assert "population" in p.note and "suicidal ideation" in p.note


@pytest.mark.parametrize("name", [n for n in KET.parameters if n.startswith("label_")])
def test_label_rates_name_their_population(name):
    p = KET.param(name)
    assert p.reference == "spravato_label"
    assert "population" in (p.note or ""), f"{name} must say whose rate it is"


def test_a_third_is_never_said_and_aspire_figures_travel_with_their_population():
    share = f"{100 * KET.param('dissociation_rate_esketamine').value:.1f} %"
    for where, text in _texts():
        assert "about a third" not in text.lower(), where
        if share in text:
            assert "suicidal ideation" in text, f"{where} quotes {share} without its population"


def test_no_text_keeps_the_old_three_to_seven_mmhg():
    mean = KET.param("iv_sbp_rise_peak")
    assert mean.reference == "riva_posse2018" and mean.value < 4
    for where, text in _texts():
        assert "3-7 mmHg" not in text, where


def test_the_label_blood_pressure_tail_is_by_age():
    young, old = KET.param("label_sbp_rise_40_under_65"), KET.param("label_sbp_rise_40_65_and_over")
    assert young.value < old.value
    assert "40 mmHg" in CLAIMS["ket_side_effects"].evidence
    assert f"{100 * old.value:.0f} %" in CLAIMS["cli_supervision"].evidence


# ------------------------------------------------------------------ indications

def test_ketamine_indications_are_approvals_not_research_uses():
    texts = [s.text for s in KET.indications]
    refs = {s.reference for s in KET.indications}
    assert "wilkinson2018" not in refs, "a meta-analysis of IV ketamine is research, not an indication"
    suicidal = [t for t in texts if "suicidal ideation" in t]
    assert suicidal and all("2020" in t and "not been demonstrated" in t for t in suicidal)


def test_esketamine_safety_is_in_the_data():
    warnings = " ".join(s.text for s in KET.adverse_effects)
    for words in ("boxed warning", "respiratory depression", "abuse and misuse", "Schedule III",
                  "aneurysmal vascular disease", "arteriovenous malformation",
                  "intracerebral haemorrhage", "until the next day"):
        assert words in warnings, words


def test_lamotrigine_other_warnings_are_in_the_data():
    warnings = " ".join(s.text for s in LAM.adverse_effects).lower()
    for words in ("hemophagocytic lymphohistiocytosis", "Suicidal behaviour", "Aseptic meningitis",
                  "blood dyscrasias", "Withdrawal seizures"):
        assert words.lower() in warnings, words


# ------------------------------------------------------------------ verdicts against the graph

#: Claims about one mechanistic step, with the edge of the graph that draws that step.
CLAIM_EDGES = {
    "ket_synaptogenesis": ("synaptogenesis", "antidepressant_effect"),
    "ket_nmda_glutamate": ("interneuron_nmda_receptor", "gaba_interneuron"),  # issue 13
    "syn_cytokines": ("lamotrigine", "proinflammatory_cytokines"),
}


@pytest.mark.parametrize("claim_id", CLAIM_EDGES)
def test_no_claim_is_accurate_when_its_step_is_a_hypothesis(claim_id):
    source, target = CLAIM_EDGES[claim_id]
    edges = [e for e in DS.edges if (e.source, e.target) == (source, target)]
    assert edges, f"no edge {source} -> {target}"
    if any(e.status == "hypothesis" for e in edges):
        assert CLAIMS[claim_id].verdict != "accurate", claim_id


def test_combination_only_cytokine_edges_say_so():
    for drug in ("lamotrigine", "ketamine"):
        edge = next(e for e in DS.edges if (e.source, e.target) == (drug, "proinflammatory_cytokines"))
        assert "combination only" in edge.mechanism
        assert any("reus2017" == ev.reference and ev.note and "combination" in ev.note
                   for ev in edge.evidence)


def test_homayoun_is_cited_as_mk801_not_ketamine():
    edge = next(e for e in DS.edges
                if (e.source, e.target) == ("interneuron_nmda_receptor", "gaba_interneuron"))
    assert any(ev.reference == "homayoun2007" and "MK-801" in (ev.note or "") for ev in edge.evidence)
    assert "MK-801" in CLAIMS["ket_nmda_glutamate"].evidence


# ------------------------------------------------------------------ assumptions

def _all_parameters():
    for d in DS.drugs.values():
        for name, p in d.parameters.items():
            yield f"{d.name}.{name}", p
    yield from ((f"physiology.{n}", p) for n, p in DS.physiology.items())


@pytest.mark.parametrize("where,p", list(_all_parameters()), ids=lambda x: x if isinstance(x, str) else "")
def test_an_assumption_cites_no_paper_that_lacks_it(where, p):
    if p.confidence != "assumption":
        assert p.reference != "teaching_assumption", f"{where} is not an assumption"
        return
    assert p.reference == "teaching_assumption" or p.reference in (p.note or ""), (
        f"{where}: an assumption cites teaching_assumption, or says in its note what it takes "
        f"from {p.reference}")


def test_inducer_half_life_is_the_labels_row_not_an_assumption():
    p = LAM.param("half_life_with_inducers")
    assert p.confidence != "assumption" and p.range[0] < p.value < p.range[1]


def test_bipolar_titration_is_label_values():
    for t in LAM.titration.values():
        assert "Bipolar I" in t.description
        assert all(s.confidence != "assumption" for s in t.steps)


# ------------------------------------------------------------------ studies

def test_brody_2003_counts_as_animal_evidence_on_side_effects():
    s = next(s for s in DS.studies if s.key == "brody2003")
    assert s.population == "animal"
    assert any(b.hypothesis == "side_effect_attenuation" for b in s.bears_on)


def test_a_bold_only_study_does_not_bear_on_side_effects():
    deakin = next(s for s in DS.studies if s.key == "deakin2008")
    assert {b.hypothesis for b in deakin.bears_on} == {"antagonism"}


def test_sub_effective_doses_together_are_not_scored_as_synergy():
    mice = next(s for s in DS.studies if s.key == "lamotrigine_fst_mice2016")
    assert all(b.direction != "supports" for b in mice.bears_on if b.hypothesis == "synergy")


def test_animal_designs_do_not_claim_reported_randomisation():
    for s in DS.studies:
        if s.population == "animal":
            assert s.design == "controlled", s.key
            assert "randomisation not reported" in (s.design_detail or ""), s.key
            assert evidence.evidence_kind(s) == "controlled study in animals"


def test_patient_counts_add_only_whole_samples():
    text = evidence.summary("antagonism")
    mathew, joseph = (next(s for s in DS.studies if s.key == k) for k in ("mathew2010", "joseph2023"))
    assert f"{mathew.n + joseph.n} patients in all" not in text
    assert f"N {joseph.n} {joseph.n_unit}" in text


# ------------------------------------------------------------------ a small trial's power

def test_mathew_arms_detect_only_large_effects():
    mathew = next(s for s in DS.studies if s.key == "mathew2010")
    per_arm = mathew.n / 2
    d = trial_power.detectable_effect_size(per_arm)
    assert 1.0 < d < 1.2, d
    lo, hi = trial_power.effect_size_interval(0.0, per_arm, per_arm)
    assert lo < -0.5 and hi > 0.5, "a null result at this size leaves moderate effects open"
    assert trial_power.power_for_effect(0.5, per_arm) < 0.3


def test_power_is_alpha_over_two_at_zero_effect_and_rises_with_n():
    assert math.isclose(trial_power.power_for_effect(0.0, 50), 0.025, abs_tol=1e-9)
    assert trial_power.power_for_effect(0.5, 100) > trial_power.power_for_effect(0.5, 20)


@pytest.mark.parametrize("bad", [dict(n_per_arm=1), dict(n_per_arm=10, alpha=0),
                                 dict(n_per_arm=10, power=1.5)])
def test_power_rejects_bad_input_with_a_message(bad):
    with pytest.raises(ValueError, match="must be"):
        trial_power.detectable_effect_size(**bad)


# ------------------------------------------------------------------ the review's new self-checks

NEW_QUESTIONS = ["ket_occupancy_ki", "neuro_potency_efficacy", "lam_contraceptives", "lam_mood_pole",
                 "lam_steady_state", "lam_accumulation", "lam_interaction_pd", "ket_esketamine_2020",
                 "ket_esketamine_safety", "ket_rates_population", "ket_norketamine_route", "syn_isobole",
                 "ant_release_not_only_sodium", "hum_brody_animal", "hum_small_trial_power",
                 "cli_withdrawal_hold"]


@pytest.mark.parametrize("qid", NEW_QUESTIONS)
def test_new_question_cannot_be_passed_by_position_or_length(qid):
    q = next(q for q in DS.quizzes if q.id == qid)
    answers = set(q.answer) if isinstance(q.answer, tuple) else {q.answer}
    assert q.options[0].id not in answers, f"{qid}: the right option is listed first"
    longest = max(q.options, key=lambda o: len(o.text))
    assert longest.id not in answers, f"{qid}: the right option is the longest"


def test_new_questions_quote_the_data():
    def quoted(qid):
        q = next(q for q in DS.quizzes if q.id == qid)
        return " ".join([q.prompt, q.explanation] + [o.text + " " + (o.feedback or "") for o in q.options])

    peak_uM = KET.param("depression_peak_concentration").value / KET.param("molecular_weight").value
    ki = KET.param("ki_s_ketamine").value
    assert f"{peak_uM:.2f} uM" in quoted("ket_occupancy_ki")
    assert f"About {100 * peak_uM / (peak_uM + ki):.0f} %" in quoted("ket_occupancy_ki")
    t_half = LAM.param("half_life").value
    assert f"{t_half:g} h" in quoted("lam_accumulation")
    assert f"{1 / (1 - 0.5 ** (24 / t_half)):.1f}" in quoted("lam_accumulation")
    assert f"{100 * (1 - 0.5 ** 5):.0f} %" in quoted("lam_steady_state")
    share = f"{100 * KET.param('dissociation_rate_esketamine').value:.1f} %"
    assert share in quoted("ket_rates_population")
    mathew = next(s for s in DS.studies if s.key == "mathew2010")
    d = trial_power.detectable_effect_size(mathew.n / 2)
    assert f"about {d:.1f}" in quoted("hum_small_trial_power")
    lo, hi = trial_power.effect_size_interval(0.0, mathew.n / 2, mathew.n / 2)
    assert f"{lo:.2f} to +{hi:.2f}" in quoted("hum_small_trial_power")
