"""The drawn geometry of every view, read from ``python -m mechlib diagram VIEW --geometry``."""

from __future__ import annotations

import json
import math

import pytest

from mechlib import graph
from mechlib.cli import main
from mechlib.mechanism import checks, layout

VIEWS = graph.view_names()
MAX_CROSSINGS = {"combined": 8}


@pytest.fixture(scope="module", params=VIEWS)
def geo(request):
    return layout.geometry(request.param)


def test_cli_prints_every_node_box_and_every_edge_path(capsys):
    assert main(["diagram", "combined", "--geometry"]) == 0
    out = json.loads(capsys.readouterr().out)
    g = graph.view("combined")
    assert set(out["nodes"]) == set(g)
    assert len(out["edges"]) == g.number_of_edges()
    for e in out["edges"]:
        assert len(e["path"]) >= 2 and all(len(p) == 2 for p in e["path"])
    for n in out["nodes"].values():
        x0, y0, x1, y1 = n["box"]
        assert 0 <= x0 < x1 <= out["width"] and 0 <= y0 < y1 <= out["height"]
    assert out["crossings"] == checks.crossings(out)


def test_no_edge_passes_through_a_node_other_than_its_ends(geo):
    assert checks.edges_through_nodes(geo) == []


def test_no_two_end_glyphs_overlap(geo):
    assert checks.overlapping_glyphs(geo) == []


def test_every_t_bar_lies_outside_its_target(geo):
    bars = [e for e in geo["edges"] if e["kind"] == "inhibits"]
    assert all(len(e["bars"]) == 1 for e in bars)
    assert checks.bars_inside_targets(geo) == []


def test_every_edge_ends_at_its_target(geo):
    for e in geo["edges"]:
        x0, y0, x1, y1 = geo["nodes"][e["target"]]["box"]
        ends = [p for shape in e["heads"] + e["bars"] for p in shape] or [e["path"][-1]]
        near = min(max(x0 - x, 0, x - x1) + max(y0 - y, 0, y - y1) for x, y in ends)
        assert near < 20, f"{e['source']}->{e['target']} ends {near:.0f} px from its target"


def test_the_question_mark_of_an_unknown_edge_sits_by_its_end(geo):
    """The "?" is read with its edge's target: just behind the end glyph, not half-way along."""
    for e in (e for e in geo["edges"] if e["kind"] == "unknown"):
        tip = e["path"][-1]
        assert math.dist(e["question_mark"], tip) <= layout.QUESTION_GAP + 1, e["source"]
        x0, y0, x1, y1 = geo["nodes"][e["target"]]["box"]
        qx, qy = e["question_mark"]
        assert not (x0 - 9 < qx < x1 + 9 and y0 - 9 < qy < y1 + 9), "the ? covers its target"


def test_crossings_stay_few(geo):
    assert checks.crossings(geo) <= MAX_CROSSINGS.get(geo["view"], 3)


def test_the_checks_catch_a_crossing_and_an_edge_through_a_node():
    bad = {"nodes": {"a": {"box": [0, 0, 10, 10]}, "b": {"box": [40, 40, 50, 50]},
                     "c": {"box": [20, 20, 30, 30]}},
           "edges": [{"source": "a", "target": "b", "kind": "inhibits", "path": [[5, 5], [45, 45]],
                      "heads": [], "bars": [[[40, 45], [50, 45]]]},
                     {"source": "b", "target": "a", "kind": "stimulates",
                      "path": [[45, 5], [5, 45]], "heads": [], "bars": []}]}
    assert checks.crossings(bad) == 1
    assert checks.edges_through_nodes(bad) == ["a->b through c", "b->a through c"]
    assert checks.bars_inside_targets(bad) == ["a->b"]


def test_a_drug_toggle_never_lays_out_again(monkeypatch):
    from mechlib import draw

    draw.diagram("combined")
    calls = []
    monkeypatch.setattr(layout, "_compute", lambda g: calls.append(g))
    for drugs in ([], ["ketamine"], ["lamotrigine", "ketamine"]):
        for hyp in (True, False):
            draw.diagram("combined", drugs=drugs, include_hypotheses=hyp, highlight="bdnf")
    assert calls == []
