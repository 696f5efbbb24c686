"""mechlib.graph: views built from the data tags, cached, read-only, with evidence on every edge."""

from __future__ import annotations

import networkx as nx
import pytest

from mechlib import data, graph


def test_every_view_holds_exactly_the_tagged_nodes_and_the_edges_between_them():
    ds = data.load()
    assert graph.view_names() == tuple(ds.views)
    for name in graph.view_names():
        g = graph.view(name)
        assert set(g) == {n.id for n in ds.nodes.values() if name in n.views}
        expected = {(e.source, e.target, e.kind) for e in ds.edges
                    if e.source in g and e.target in g}
        assert set(g.edges(keys=True)) == expected


def test_edges_carry_sign_status_and_existing_reference_keys():
    ds = data.load()
    g = graph.view("combined")
    for *_, d in g.edges(data=True):
        assert d["sign"] == graph.SIGNS[d["kind"]]
        assert d["status"] in ("established", "hypothesis")
        assert d["references"] and set(d["references"]) <= set(ds.references)
        assert d["mechanism"]
    assert g.nodes["nmda_receptor"]["compartment"] == "postsynaptic"


def test_established_only_drops_hypothesis_edges_and_keeps_every_node():
    full, est = graph.view("combined"), graph.view("combined", include_hypotheses=False)
    assert set(full) == set(est)
    assert all(s == "established" for *_, s in est.edges(data="status"))
    dropped = set(full.edges(keys=True)) - set(est.edges(keys=True))
    assert dropped and all(full.edges[e]["status"] == "hypothesis" for e in dropped)


def test_views_are_cached_and_frozen():
    assert graph.view("nmda_receptor") is graph.view("nmda_receptor")
    with pytest.raises(nx.NetworkXError):
        graph.view("nmda_receptor").add_node("x")


def test_unknown_view_lists_the_allowed_views():
    with pytest.raises(ValueError, match="unknown view 'brain'; allowed: sodium_channel, .*combined"):
        graph.view("brain")
