"""mechlib.reasoning on small hand-made graphs and on the shipped data."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from mechlib import data, graph, reasoning


def make(*edges: tuple, drugs=("d",)) -> nx.MultiDiGraph:
    """A graph from (source, target, kind[, status]) tuples; ``drugs`` get kind='drug'."""
    g = nx.MultiDiGraph(name="test")
    for u, v, kind, *status in edges:
        g.add_edge(u, v, key=kind, kind=kind, status=status[0] if status else "established",
                   references=(f"ref_{u}_{v}",), mechanism=f"acts on {v}")
    for d in drugs:
        g.nodes[d]["kind"] = "drug"
    return g


def test_chain_multiplies_signs():
    g = make(("d", "a", "stimulates"), ("a", "b", "inhibits"), ("b", "c", "inhibits"))
    fx = reasoning.effects("d", g)
    assert [fx[n].verdict for n in "abc"] == ["increase", "decrease", "increase"]
    path = fx["c"].paths[0]
    assert path.nodes == ("d", "a", "b", "c") and path.signs == (1, -1, -1) and path.sign == 1
    assert path.references == ("ref_d_a", "ref_a_b", "ref_b_c")
    assert path.sentence.endswith("so d raises c.")


def test_diamond_with_opposing_paths_reports_both():
    g = make(("d", "a", "stimulates"), ("d", "b", "inhibits"), ("a", "x", "stimulates"),
             ("b", "x", "stimulates"))
    e = reasoning.effects("d", g)["x"]
    assert e.verdict == "opposing"
    assert sorted(p.sign for p in e.paths) == [-1, 1]


def test_cycle_is_walked_once_and_terminates():
    g = make(("d", "a", "stimulates"), ("a", "b", "stimulates"), ("b", "a", "inhibits"),
             ("b", "c", "stimulates"))
    fx = reasoning.effects("d", g)
    assert fx["a"].verdict == "increase" and len(fx["a"].paths) == 1  # feedback not re-entered
    assert fx["c"].verdict == "increase"
    assert all(len(set(p.nodes)) == len(p.nodes) for e in fx.values() for p in e.paths)


def test_unknown_edge_makes_undetermined_but_known_paths_still_decide():
    g = make(("d", "a", "unknown"), ("a", "x", "stimulates"), ("d", "y", "unknown"),
             ("d", "b", "inhibits"), ("b", "y", "stimulates"))
    fx = reasoning.effects("d", g)
    assert fx["x"].verdict == "undetermined" and fx["x"].paths[0].sign == 0
    assert fx["y"].verdict == "decrease"
    assert [p.sign for p in fx["y"].paths] == [0, -1]  # the unknown path is still listed


def test_necessary_edge_carries_a_positive_sign_and_its_kind():
    g = make(("d", "a", "inhibits"), ("a", "x", "necessary"))
    e = reasoning.effects("d", g)["x"]
    assert e.verdict == "decrease"
    assert e.paths[0].edges[-1].kind == "necessary"
    assert "is needed for x" in e.paths[0].sentence


def test_unreached_node_is_none_and_max_length_bounds_paths():
    g = make(("d", "a", "stimulates"), ("a", "b", "stimulates"), ("c", "b", "stimulates"))
    assert reasoning.effects("d", g)["c"].verdict == "none"
    assert reasoning.effects("d", g, max_length=1)["b"].verdict == "none"


def test_hypothesis_edges_can_be_switched_off():
    g = make(("d", "a", "stimulates", "hypothesis"), ("d", "b", "stimulates"))
    assert reasoning.effects("d", g)["a"].verdict == "increase"
    assert reasoning.effects("d", g, include_hypotheses=False)["a"].verdict == "none"


def test_interaction_verdicts_on_a_small_graph():
    g = make(("d", "x", "stimulates"), ("e", "m", "inhibits"), ("m", "x", "stimulates"),
             ("e", "y", "stimulates"), ("d", "z", "stimulates"), ("e", "z", "stimulates"),
             drugs=("d", "e"))
    assert reasoning.interaction("d", "e", "x", g).verdict == "opposing"
    assert reasoning.interaction("d", "e", "z", g).verdict == "concordant"
    assert reasoning.interaction("d", "e", "y", g).verdict == "independent"
    assert reasoning.interaction("d", "e", "m", g).verdict == "independent"


# --------------------------------------------------------------------------- shipped data


def test_shipped_single_drug_verdicts():
    assert reasoning.effect("lamotrigine", "glutamate_release").verdict == "decrease"
    fx = reasoning.effects(["ketamine"])
    assert fx["glutamate_surge"].verdict == "increase"
    assert fx["dissociation"].verdict == "increase"


def test_shipped_interaction_on_antidepressant_effect_is_opposing_or_contested():
    keys = set(data.load().references)
    i = reasoning.interaction("ketamine", "lamotrigine", "antidepressant_effect")
    assert i.verdict in ("opposing", "contested")
    assert set(i.effects) == {"ketamine", "lamotrigine"}
    for drug, e in i.effects.items():
        assert e.paths and all(p.nodes[0] == drug for p in e.paths)
        for p in e.paths:
            assert p.references and set(p.references) <= keys
            for key in p.references:
                assert data.load().reference(key).citation in p.sentence
    assert "glutamate_surge" in i.meeting and "antidepressant_effect" not in i.meeting
    assert "synergy" in i.note
    json.dumps(i.to_dict())  # serialisable


def test_dropping_hypotheses_changes_verdicts():
    assert reasoning.effect("lamotrigine", "antidepressant_effect").verdict == "opposing"
    assert reasoning.effect("lamotrigine", "antidepressant_effect",
                            include_hypotheses=False).verdict == "none"
    i = reasoning.interaction("ketamine", "lamotrigine", "dissociation", include_hypotheses=False)
    assert i.verdict == "independent"


def test_path_json_has_the_documented_fields():
    d = reasoning.effect("lamotrigine", "glutamate_release").to_dict()
    assert d["verdict"] == "decrease"
    assert set(d["paths"][0]) >= {"nodes", "signs", "references", "sentence"}


@pytest.mark.parametrize("call, message", [
    (lambda: reasoning.effects("aspirin"), r"drug 'aspirin' .*allowed: lamotrigine, ketamine"),
    (lambda: reasoning.effects("lamotrigine", view="nmda_receptor"),
     r"not in view 'nmda_receptor'; allowed: ketamine"),
    (lambda: reasoning.effect("ketamine", "liver"), r"unknown node 'liver'.*allowed: .*bdnf"),
    (lambda: reasoning.effects("ketamine", view="brain"), r"unknown view 'brain'; allowed:"),
    (lambda: reasoning.interaction("ketamine", "ketamine", "bdnf"), r"two different drugs"),
    (lambda: reasoning.effects("ketamine", max_length=0), r"max_length must be at least 1"),
])
def test_bad_input_names_what_is_allowed(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# --- semantics of issue 13 ---------------------------------------------------------------------


def test_lamotrigine_raises_the_inactivated_state_it_stabilises():
    e = reasoning.effect("lamotrigine", "nav_inactivated_state", view="sodium_channel")
    assert e.verdict == "increase"
    assert all(p.sentence.endswith("so lamotrigine raises inactivated Na⁺ channels.") for p in e.paths)


def test_the_disinhibition_path_runs_through_the_interneuron_nmda_receptor():
    g = graph.view("ketamine_cascade")
    assert g.nodes["interneuron_nmda_receptor"]["compartment"] == "interneuron"
    assert "nmda_receptor" not in g  # the postsynaptic population is not the cascade's
    e = reasoning.effect("ketamine", "gaba_interneuron", view="ketamine_cascade")
    assert e.verdict == "decrease"
    assert all("interneuron_nmda_receptor" in p.nodes for p in e.paths)


def test_a_node_that_needs_an_absent_drug_is_not_reached():
    e = reasoning.effect("lamotrigine", "open_channel_block", view="glutamate_synapse")
    assert e.verdict == "none" and e.paths == ()
    assert reasoning.effect("ketamine", "open_channel_block", view="glutamate_synapse").verdict == "increase"
    both = reasoning.effects(["lamotrigine", "ketamine"], "glutamate_synapse")
    assert both["open_channel_block"].verdict != "none"


def test_every_sentence_first_says_whether_it_rests_on_a_hypothesis():
    for drug in ("lamotrigine", "ketamine"):
        for e in reasoning.effects(drug, "combined").values():
            for p in e.paths:
                hyp = any(s.status == "hypothesis" for s in p.edges)
                assert p.sentence.startswith("If the hypothes" if hyp else "On established edges alone, ")
    surge = reasoning.effect("lamotrigine", "glutamate_surge")
    assert surge.paths[0].sentence.startswith("If the hypothesis glutamate release → glutamate surge holds, ")


def test_a_drug_on_what_its_own_use_treats_says_what_the_model_cannot_say():
    e = reasoning.effect("lamotrigine", "antidepressant_effect")
    assert "bipolar I disorder" in e.caveat and "Lamictal label" in e.caveat
    assert "not whether the drug helps" in e.describe()
    assert reasoning.effect("lamotrigine", "dissociation").caveat == ""
    assert reasoning.effects(["lamotrigine", "ketamine"])["antidepressant_effect"].caveat == ""


def test_every_verdict_word_has_its_meaning():
    assert set(reasoning.MEANINGS) >= set(reasoning.VERDICTS) | set(reasoning.INTERACTIONS) - {"opposing"}
    i = reasoning.interaction("ketamine", "lamotrigine", "dissociation")
    assert "opposing (one drug raises it and the other lowers it)" in i.describe()
