"""mechlib.quiz and data/quizzes.yaml: every question marks right, wrong and blank answers correctly,
shows no answer before it is checked, and its numbers and sources match the rest of data/."""

from __future__ import annotations

import html
import math
import re

import ipywidgets as w
import pytest

from mechlib import data, quiz

DS = data.load()
QUESTIONS = list(DS.quizzes)
CHOICE = [q for q in QUESTIONS if q.type != "numeric"]
NUMERIC = [q for q in QUESTIONS if q.type == "numeric"]


def ids(qs):
    return [q.id for q in qs]


def right_response(q: data.Quiz):
    """The correct response, derived from the data (never hard-coded)."""
    return list(q.answer) if q.type == "multiple_select" else q.answer


def wrong_responses(q: data.Quiz) -> list:
    """Responses that must be marked wrong, derived from the data."""
    if q.type == "numeric":
        tol = q.tolerance or 0.0
        return [q.answer + 2 * tol + 1, q.answer - 2 * tol - 1]
    option_ids = [o.id for o in q.options]
    if q.type == "multiple_choice":
        return [o for o in option_ids if o != q.answer]
    answer = list(q.answer)
    wrong_opts = [o for o in option_ids if o not in answer]
    out = [answer + [o] for o in wrong_opts] + [[o] for o in wrong_opts]
    if len(answer) > 1:
        out.append(answer[:-1])  # one right option missed
    return out


def citations(q: data.Quiz) -> list[str]:
    return [DS.reference(k).citation for k in q.references]


def secrets(q: data.Quiz) -> list[str]:
    """Text that would give the answer away before the student has answered."""
    out = [q.explanation] + [o.feedback for o in q.options if o.feedback]
    return out


# --------------------------------------------------------------------------- the data


def test_every_lesson_has_enough_questions():
    lessons = [les.id for les in DS.lessons]
    for lesson_id in lessons:
        n = len(quiz.questions(lesson_id))
        assert n >= (2 if lesson_id == "00_start_here" else 4), (lesson_id, n)


def test_question_types_are_mixed():
    assert {q.type for q in QUESTIONS} == {"multiple_choice", "multiple_select", "numeric"}
    assert len(NUMERIC) >= 5


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_every_question_cites_existing_references_and_explains(q):
    assert q.references and set(q.references) <= set(DS.references)
    assert len(q.explanation) > 40
    assert q.lesson in {les.id for les in DS.lessons}


def _param(drug: str, name: str) -> float:
    return DS.drug(drug).param(name).value


def _mg_unblocked(v_mv: float) -> float:
    k = DS.physiology_param("mg_block_k").value
    slope = DS.physiology_param("mg_block_slope").value
    mg = DS.physiology_param("extracellular_mg").value
    return 1 / (1 + mg / k * math.exp(-slope * v_mv))


def _study_n(key: str) -> float:
    return next(s.n for s in DS.studies if s.key == key)


#: How each numeric answer follows from drugs.yaml / studies.yaml. A new numeric question needs a line.
DERIVED = {
    "neuro_mg_block_rest": lambda: _mg_unblocked(-70.0),
    "lam_rash_onset": lambda: _param("lamotrigine", "rash_onset_weeks_high"),
    "ket_oral_bioavailability": lambda: 100 * _param("ketamine", "oral_bioavailability"),
    "ant_glutamate_ed50": lambda: _param("lamotrigine", "glutamate_release_ed50"),
    "hum_anand_n": lambda: _study_n("anand2000"),
    "cli_fraction_after_24h": lambda: 0.5 ** (24 / _param("lamotrigine", "half_life")),
    "cli_delay_4h": lambda: 100 * (1 - 0.5 ** (4 / _param("lamotrigine", "half_life"))),
    "cli_five_half_lives": lambda: 5 * _param("lamotrigine", "half_life"),
}


def test_every_numeric_answer_is_derived_from_the_data():
    assert set(DERIVED) == set(ids(NUMERIC)), "add a derivation for each numeric question"
    for q in NUMERIC:
        expected = DERIVED[q.id]()
        assert abs(q.answer - expected) <= max(q.tolerance / 2, 1e-9), (q.id, q.answer, expected)


def test_mg_block_depolarised_option_matches_the_equation():
    q = quiz.question("neuro_mg_block_depolarised")
    text = next(o.text for o in q.options if o.id == q.answer)
    assert f"about {round(100 * _mg_unblocked(-70.0))} %" in text
    assert f"about {round(100 * _mg_unblocked(-20.0), -1):.0f} %" in text


def test_numbers_quoted_in_choice_questions_match_the_data():
    quoted = {
        "lam_valproate": [_param("lamotrigine", "half_life"),
                          _param("lamotrigine", "half_life_with_valproate")],
        "lam_mechanism": [_param("lamotrigine", "glutamate_release_ed50"),
                          _param("lamotrigine", "nmda_current_ic50_above")],
        "ket_peak_band": [_param("ketamine", p) for p in (
            "depression_peak_concentration", "dissociation_band_low", "dissociation_band_high",
            "anaesthesia_band_low", "anaesthesia_band_high")],
        "ket_affinity": [_param("ketamine", "ki_s_ketamine"), _param("ketamine", "ki_r_ketamine")],
        "ket_suicidal_ideation": [_param("ketamine", "suicidal_ideation_meta_n")],
        "hum_mathew": [_study_n("mathew2010"), 100 * _param("ketamine", "responders_24h")],
        "cli_supervision": [_param("ketamine", "esketamine_monitoring"),
                            _param("ketamine", "iv_sbp_rise_peak"), _param("ketamine", "iv_bp_peak_time")],
    }
    for qid, numbers in quoted.items():
        q = quiz.question(qid)
        text = " ".join([q.prompt, q.explanation] + [o.text for o in q.options] +
                        [o.feedback or "" for o in q.options])
        for x in numbers:
            assert re.search(rf"(?<![\d.]){re.escape(f'{x:g}')}(?![\d])", text), (qid, x)
    lo = _param("ketamine", "dissociation_band_low")
    hi = _param("ketamine", "dissociation_band_high")
    assert lo <= _param("ketamine", "depression_peak_concentration") <= hi


def test_established_only_question_matches_the_graph():
    status = {(e.source, e.target): e for e in DS.edges}
    assert status[("lamotrigine", "proinflammatory_cytokines")].status == "hypothesis"
    surge = status[("pyramidal_firing", "glutamate_surge")]
    assert surge.status == "established" and "moghaddam1997" in surge.references
    assert any(ev.type == "animal" for ev in surge.evidence)


#: The "claims to avoid" (facts.md) taught as wrong options with feedback: (question, words of the option).
CLAIMS_TO_AVOID = [
    ("syn_reus_findings", "behavioural synergy"),        # 1 synergy with fewer cytokines, less damage
    ("hum_mathew", "reduced dissociation"),               # 2 dissociation in patients
    ("syn_wilkowska", "blunts"),                          # 3 lamotrigine blunts ketamine
    ("lam_mechanism", "blocks nmda receptors"),           # 4 lamotrigine blocks NMDA receptors
    ("cli_hold_evidence", "clears lamotrigine"),          # 5 holding the dose clears lamotrigine
    ("ket_approval", "iv racemic ketamine is fda-approved"),  # 6 IV ketamine approved
    ("ket_affinity", "exactly 0.5 um"),                   # 7 one fixed Ki
    ("lam_rash_rate", "about 10 %"),                      # 7 one fixed rash rate (and a wrong one)
    ("ket_dissociation_required", "without dissociation"),  # 8 dissociation required
]


@pytest.mark.parametrize("qid,words", CLAIMS_TO_AVOID)
def test_claims_to_avoid_are_taught_as_wrong_options(qid, words):
    q = quiz.question(qid)
    answer = set(q.answer) if q.type == "multiple_select" else {q.answer}
    hits = [o for o in q.options if words in o.text.lower()]
    assert hits, f"{qid}: no option says {words!r}"
    for o in hits:
        assert o.id not in answer and o.feedback
        assert check_feedback_mentions(qid, o.id, o.feedback)


def check_feedback_mentions(qid: str, option_id: str, text: str) -> bool:
    return text in quiz.check(qid, option_id if quiz.question(qid).type == "multiple_choice"
                              else [option_id]).message


ADVICE = [r"\byou should\b", r"\bwe recommend\b", r"\byour (dose|doctor|medication|medicine)\b",
          r"\bask your\b", r"\btake (it|your|the tablet)\b"]


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_no_question_reads_as_advice(q):
    text = " ".join([q.prompt, q.explanation] + [o.text + " " + (o.feedback or "") for o in q.options])
    for pattern in ADVICE:
        assert not re.search(pattern, text, re.IGNORECASE), (q.id, pattern)


# --------------------------------------------------------------------------- check()


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_right_answer_is_marked_right_with_explanation_and_sources(q):
    fb = quiz.check(q.id, right_response(q))
    assert fb.correct is True
    assert q.explanation in fb.message
    assert all(c in fb.message for c in citations(q))
    assert fb.references == q.references
    if q.type == "numeric":
        assert q.unit in fb.message


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_wrong_answers_are_marked_wrong_with_why(q):
    for response in wrong_responses(q):
        fb = quiz.check(q.id, response)
        assert fb.correct is False, response
        assert q.explanation in fb.message and all(c in fb.message for c in citations(q))
        if q.type == "numeric":
            assert q.unit in fb.message
        else:
            chosen = [response] if isinstance(response, str) else response
            answer = set(q.answer) if q.type == "multiple_select" else {q.answer}
            for o in q.options:
                if o.feedback and (o.id in chosen) != (o.id in answer):
                    assert o.feedback in fb.message, (response, o.id)


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_blank_answer_reveals_nothing(q):
    blanks = [None, "", "   "] + ([[], ()] if q.type == "multiple_select" else [])
    for blank in blanks:
        fb = quiz.check(q.id, blank)
        assert fb.correct is None and fb.references == ()
        assert "No answer yet" in fb.message
        for secret in secrets(q):
            assert secret not in fb.message
        if q.type == "numeric":
            assert f"{q.answer:g}" not in fb.message and q.unit in fb.message
        else:
            assert not any(o.text in fb.message for o in q.options)


@pytest.mark.parametrize("q", NUMERIC, ids=ids(NUMERIC))
def test_numeric_tolerance_edges(q):
    tol = q.tolerance
    step = max(tol * 0.01, 1e-6)
    for inside in (q.answer - tol, q.answer + tol, q.answer):
        assert quiz.check(q.id, inside).correct is True, inside
    for outside in (q.answer - tol - step, q.answer + tol + step):
        assert quiz.check(q.id, outside).correct is False, outside
    assert quiz.check(q.id, str(q.answer)).correct is True
    assert quiz.check(q.id, f" {q.answer:g} ".replace(".", ",")).correct is True


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, "abc", "nan", True, [1.0], {"x": 1}])
def test_numeric_rejects_non_numbers_clearly(bad):
    q = NUMERIC[0]
    fb = quiz.check(q.id, bad)
    assert fb.correct is None
    assert "not a number" in fb.message and q.unit in fb.message
    assert q.explanation not in fb.message


def test_bad_question_id_lists_allowed_ids():
    with pytest.raises(ValueError, match="unknown question 'nope'; allowed: .*lam_mechanism"):
        quiz.check("nope", "a")
    with pytest.raises(ValueError, match="allowed: .*start_what_suite_is"):
        quiz.show("nope")
    with pytest.raises(ValueError, match="unknown question"):
        quiz.as_text("nope")


def test_bad_lesson_id_lists_allowed_lessons():
    with pytest.raises(ValueError, match="unknown lesson '99_x'; allowed: 00_start_here"):
        quiz.questions("99_x")


@pytest.mark.parametrize("q", CHOICE, ids=ids(CHOICE))
def test_unknown_option_is_a_value_error(q):
    with pytest.raises(ValueError, match=f"'zz' is not an option of question '{q.id}'; allowed: "):
        quiz.check(q.id, "zz" if q.type == "multiple_choice" else ["zz"])


def test_check_is_pure():
    q = QUESTIONS[0]
    assert quiz.check(q.id, right_response(q)) == quiz.check(q.id, right_response(q))
    assert quiz.question(q.id) == q


# --------------------------------------------------------------------------- static text


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_as_text_shows_the_question_but_no_answer(q):
    text = quiz.as_text(q.id)
    assert q.prompt in text
    for secret in secrets(q):
        assert secret not in text
    if q.type == "numeric":
        assert f"Answer in {q.unit}." in text
        if f"{q.answer:g}" not in q.prompt:
            assert f"{q.answer:g}" not in text
    else:
        option_lines = [line for line in text.splitlines() if line.startswith("- (")]
        assert option_lines == [f"- ({o.id}) {o.text}" for o in q.options]  # all alike, none marked


# --------------------------------------------------------------------------- widgets


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def visible_strings(widget) -> list[str]:
    out = []
    for wd in walk(widget):
        for attr in ("value", "description", "tooltip", "placeholder"):
            v = getattr(wd, attr, None)
            if isinstance(v, str):
                out.append(html.unescape(v))
        for opt in getattr(wd, "options", ()) or ():
            out.append(opt[0] if isinstance(opt, tuple) else str(opt))
    return out


def parts(view):
    nodes = list(walk(view.widget))
    button = next(n for n in nodes if isinstance(n, w.Button))
    feedback = next(n for n in nodes if "mechlib-feedback" in n._dom_classes)
    return nodes, button, feedback


def answer_widget(nodes, q, response):
    if q.type == "multiple_choice":
        next(n for n in nodes if isinstance(n, w.RadioButtons)).value = response
    elif q.type == "multiple_select":
        boxes = [n for n in nodes if isinstance(n, w.Checkbox)]
        for o, box in zip(q.options, boxes, strict=True):
            box.value = o.id in response
    else:
        next(n for n in nodes if isinstance(n, w.FloatText)).value = float(response)


@pytest.mark.parametrize("q", QUESTIONS, ids=ids(QUESTIONS))
def test_widget_reveals_nothing_until_checked_then_gives_feedback(q):
    view = quiz.show(q.id)
    nodes, button, feedback = parts(view)
    assert "mechlib-quiz" in view.widget._dom_classes
    assert feedback.value == ""
    shown = " ".join(visible_strings(view.widget))
    assert q.prompt in shown
    for secret in secrets(q):
        assert secret not in shown
    if q.type == "multiple_choice":
        assert next(n for n in nodes if isinstance(n, w.RadioButtons)).value is None
    elif q.type == "multiple_select":
        assert not any(n.value for n in nodes if isinstance(n, w.Checkbox))
    else:
        ft = next(n for n in nodes if isinstance(n, w.FloatText))
        assert q.unit in ft.description

    button.click()  # nothing chosen yet
    assert "No answer yet" in feedback.value and q.explanation[:30] not in feedback.value

    answer_widget(nodes, q, wrong_responses(q)[0])
    button.click()
    assert "Not quite" in feedback.value

    answer_widget(nodes, q, right_response(q))
    button.click()
    assert "Correct" in feedback.value


@pytest.mark.parametrize("q", QUESTIONS[:3] + NUMERIC[:1], ids=ids(QUESTIONS[:3] + NUMERIC[:1]))
def test_widget_display_carries_the_question_as_text(q):
    bundle = quiz.show(q.id)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == quiz.as_text(q.id) == bundle["text/markdown"]
    assert html.escape(q.prompt) in bundle["text/html"]
    for secret in secrets(q):
        for mime in ("text/plain", "text/markdown"):
            assert secret not in bundle[mime]


@pytest.mark.parametrize("lesson_id", sorted({q.lesson for q in QUESTIONS}))
def test_show_lesson_has_one_quiz_per_question(lesson_id):
    view = quiz.show_lesson(lesson_id)
    qs = quiz.questions(lesson_id)
    boxes = [n for n in walk(view.widget) if "mechlib-quiz" in getattr(n, "_dom_classes", ())]
    assert len(boxes) == len(qs)
    text = view._repr_mimebundle_()["text/plain"]
    assert all(q.prompt in text for q in qs)
