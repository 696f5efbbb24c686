"""mechlib.draw: every view renders as SVG with real text, glyphs carry meaning, tooltips cite."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from mechlib import data, draw, graph, reasoning
from mechlib.mechanism import layout

VIEWS = graph.view_names()
NS = {"s": "http://www.w3.org/2000/svg"}


def drugs_of(view: str) -> list[str]:
    return [n for n, k in graph.view(view).nodes(data="kind") if k == "drug"]


def parse(d: draw.Diagram) -> ET.Element:
    return ET.fromstring(d.svg)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter("{http://www.w3.org/2000/svg}g")
            if cls in g.get("class", "").split() and g.get("id")]


def text_of(el: ET.Element) -> str:
    return " ".join(t.strip() for t in el.itertext() if t.strip())


def label_text(node: ET.Element) -> str:
    return " ".join(t.text for t in node.iter("{http://www.w3.org/2000/svg}tspan"))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("with_drugs", [False, True])
@pytest.mark.parametrize("hyp", [True, False])
def test_every_view_is_valid_svg_with_every_label_as_text_and_no_overlapping_nodes(view, with_drugs, hyp):
    root = parse(draw.diagram(view, drugs=drugs_of(view) if with_drugs else (), include_hypotheses=hyp))
    g = graph.view(view)
    nodes = groups(root, "node")
    assert {n.get("id") for n in nodes} == {f"n-{n}" for n in g}
    for el in nodes:
        assert label_text(el).endswith(" ".join(layout.wrap(g.nodes[el.get("id")[2:]]["label"])))
    lay = layout.layout(view)
    for a, b in itertools.combinations(lay.nodes.values(), 2):
        ba, bb = a.box, b.box
        assert not (ba.x0 < bb.x1 and bb.x0 < ba.x1 and ba.y0 < bb.y1 and bb.y0 < ba.y1)
    for ng in lay.nodes.values():  # every label line fits its box
        assert max(layout.text_width("↕ " + s) for s in ng.lines) < ng.box.x1 - ng.box.x0


@pytest.mark.parametrize("view", VIEWS)
def test_each_edge_kind_has_its_own_glyph(view):
    g = graph.view(view)
    root = parse(draw.diagram(view))
    for el in groups(root, "edge"):
        kind = next(k for k in graph.SIGNS if k in el.get("class").split())
        heads = el.findall("s:polygon", NS)
        bars = el.findall("s:line", NS)
        corners = [len(h.get("points").split()) for h in heads]
        expect = {"stimulates": ([3], 0), "necessary": ([3], 1), "inhibits": ([], 1),
                  "unknown": ([4], 0)}[kind]
        assert (corners, len(bars)) == expect, el.get("id")
        filled = [("open" not in h.get("class")) for h in heads]
        assert filled == ([True] if kind == "stimulates" else [False] * len(heads))
        if kind == "unknown":
            assert "?" in text_of(el)
    hyp = [el for el in groups(root, "edge") if "hypothesis" in el.get("class").split()]
    assert len(hyp) == sum(1 for *_, s in g.edges(data="status") if s == "hypothesis")
    assert "stroke-dasharray" in draw.diagram(view).svg


def test_shipped_views_use_every_edge_kind_somewhere():
    used = {k for v in VIEWS for *_, k in graph.view(v).edges(keys=True)}
    assert used == set(graph.SIGNS)


@pytest.mark.parametrize("view", VIEWS)
def test_legend_lists_every_glyph_and_state_used(view):
    g = graph.view(view)
    drugs = drugs_of(view)
    root = parse(draw.diagram(view, drugs=drugs, highlight=next(iter(g))))
    legend = next(el for el in root.iter("{http://www.w3.org/2000/svg}g")
                  if el.get("class") == "legend")
    labels = {t.text for t in legend.iter("{http://www.w3.org/2000/svg}text")}
    expected = {draw.KIND_NAMES[k] for _, k in g.nodes(data="kind")}
    expected |= {draw.EDGE_NAMES[k] for *_, k in g.edges(keys=True)}
    if any(st == "hypothesis" for *_, st in g.edges(data="status")):
        expected.add("hypothesis (dashed)")
    states = {e.verdict for e in reasoning.effects(drugs, view).values()} | {"on"}
    expected |= {draw.STATES[s][2] for s in states}
    expected.add("highlighted")
    assert labels == expected


def test_established_only_hides_hypothesis_edges_and_their_legend_entry():
    d = draw.diagram("ketamine_cascade", include_hypotheses=False)
    root = parse(d)
    hyp = [el for el in groups(root, "edge") if "hypothesis" in el.get("class").split()]
    assert hyp and all("hidden" in el.get("class").split() for el in hyp)
    assert "hypothesis (dashed)" not in d.svg


def test_verdicts_show_by_fill_and_by_symbol():
    root = parse(draw.diagram("combined", drugs=["lamotrigine", "ketamine"]))
    by_id = {el.get("id")[2:]: el for el in groups(root, "node")}
    assert label_text(by_id["glutamate_release"]).startswith("↓ Glutamate")
    assert label_text(by_id["ketamine"]).startswith("● Ketamine")
    assert label_text(by_id["glutamate_surge"]).startswith("↕ Glutamate surge")
    assert "s-decrease" in by_id["glutamate_release"].get("class")
    assert "s-increase" in by_id["hydroxynorketamine"].get("class")
    fills = dict(re.findall(r"\.node\.(s-\w+) \.shape \{ fill: (#\w+)", draw.svg("combined", "ketamine")))
    assert fills["s-decrease"] != fills["s-increase"]  # down and up differ in fill too
    plain = parse(draw.diagram("combined"))
    assert all(label_text(el)[:1] not in "↑↓↕●" for el in groups(plain, "node"))


def test_positions_are_stable_across_drugs_and_hypothesis_toggle():
    def shapes(d):
        return {el.get("id"): ET.tostring(el[1]) for el in groups(parse(d), "node")}

    assert shapes(draw.diagram("combined")) == shapes(
        draw.diagram("combined", drugs=["ketamine"], include_hypotheses=False))


def test_highlight_thickens_the_node_outline_and_its_paths():
    root = parse(draw.diagram("combined", drugs=["ketamine"], highlight="dissociation"))
    marked = [el.get("id") for el in groups(root, "node") if "marked" in el.get("class")]
    assert marked == ["n-dissociation"]
    thick = {el.get("id") for el in groups(root, "edge") if "on-path" in el.get("class")}
    assert "e-open_channel_block-dissociation-stimulates" in thick


@pytest.mark.parametrize("view", VIEWS)
def test_every_node_and_edge_has_a_tooltip_with_state_and_citations(view):
    g = graph.view(view)
    ds = data.load()
    root = parse(draw.diagram(view, drugs=drugs_of(view)))
    for el in groups(root, "node"):
        tip = el.find("s:title", NS).text
        assert tip.startswith(g.nodes[el.get("id")[2:]]["label"]) and "State: " in tip
    links = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    for (u, v, k, d), el in zip(g.edges(keys=True, data=True), groups(root, "edge"), strict=True):
        assert el.get("id") == f"e-{u}-{v}-{k}"
        tip = el.find("s:title", NS).text
        assert f"Status: {d['status']}" in tip
        for key in d["references"]:
            ref = ds.reference(key)
            assert ref.citation in tip
        for ev in d["evidence"]:
            assert f"({ev.type})" in tip
    assert any(h.startswith("https://doi.org/") for h in links)


def test_svg_follows_the_theme_with_readable_fallbacks():
    text = draw.svg("combined")
    assert "var(--jp-layout-color0, #FFFFFF)" in text and "var(--jp-ui-font-color0, #1A1A1A)" in text


@pytest.mark.parametrize("view", VIEWS)
def test_describe_mentions_every_node_and_edge(view):
    g = graph.view(view)
    text = draw.describe(view, drugs=drugs_of(view))
    for n, label in g.nodes(data="label"):
        assert label in text, n
    for *_, mech in g.edges(data="mechanism"):
        assert mech in text
    assert "- Verdicts with" in text
    assert draw.describe(view).count("- Verdicts") == 0


def test_describe_established_only_leaves_out_hypothesis_edges():
    text = draw.describe("combined", include_hypotheses=False)
    assert "hypothesis;" not in text and "(established;" in text


def test_alt_text_is_one_short_paragraph():
    text = draw.alt_text("combined", drugs=["lamotrigine", "ketamine"])
    assert "\n" not in text and "opposing" in text and len(text) < 1500


@pytest.mark.parametrize("call, message", [
    (lambda: draw.diagram("brain"), r"unknown view 'brain'; allowed: sodium_channel"),
    (lambda: draw.diagram("sodium_channel", drugs=["ketamine"]),
     r"drug 'ketamine' is not in view 'sodium_channel'; allowed: lamotrigine"),
    (lambda: draw.diagram("combined", highlight="liver"), r"unknown node 'liver'.*allowed:"),
    (lambda: draw.describe("combined", drugs=["aspirin"]), r"allowed: lamotrigine, ketamine"),
])
def test_bad_input_names_what_is_allowed(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_png_and_pdf_exports_paint_the_same_layout_with_its_legend():
    from mechlib.mechanism import paint

    d = draw.diagram("combined", drugs=["lamotrigine", "ketamine"], highlight="bdnf")
    texts = {t.get_text() for t in paint.figure(d).axes[0].texts}
    lay = layout.layout("combined")
    assert {"\n".join(("↕ " + ng.lines[0],) + ng.lines[1:]) for n, ng in lay.nodes.items()
            if d.states[n] == "opposing"} <= texts
    assert {"stimulates", "inhibits", "hypothesis (dashed)", "highlighted", "↓ goes down"} <= texts
