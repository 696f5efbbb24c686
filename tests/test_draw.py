"""mechlib.draw: every view renders cleanly, glyphs carry meaning, labels never overlap."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from mechlib import draw, graph, reasoning

VIEWS = graph.view_names()


def drugs_of(view: str) -> list[str]:
    return [n for n, k in graph.view(view).nodes(data="kind") if k == "drug"]


def collection(fig: Figure, gid: str):
    found = [c for c in fig.axes[0].collections if c.get_gid() == gid]
    return found[0] if found else None


def render(view: str, **kw) -> Figure:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = draw.diagram(view, **kw)
        fig.canvas.draw()
    return fig


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("with_drugs", [False, True])
@pytest.mark.parametrize("hyp", [True, False])
def test_every_view_renders_without_warnings_and_without_overlapping_labels(view, with_drugs, hyp):
    fig = render(view, drugs=drugs_of(view) if with_drugs else (), include_hypotheses=hyp)
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    hidden = set(ax.xaxis.findobj(Text)) | set(ax.yaxis.findobj(Text))  # the axis is off
    texts = [t for t in fig.findobj(Text) if t not in hidden and t.get_text().strip()]
    assert len(texts) > len(graph.view(view))
    assert min(t.get_fontsize() for t in texts) >= 10
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    fig_box = fig.bbox
    for text, box in boxes:
        assert fig_box.x0 - 1 <= box.x0 and box.x1 <= fig_box.x1 + 1, f"{text!r} is cut off"
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        assert not ba.overlaps(bb), f"labels overlap: {a!r} and {b!r}"


def glyph_counts(fig: Figure) -> dict[str, int]:
    heads, bars = collection(fig, "edge-heads"), collection(fig, "edge-bars")
    counts = dict.fromkeys(["filled triangle", "open triangle", "open diamond", "bar", "?"], 0)
    if heads is not None:
        faces = heads.get_facecolors()
        for path, face in zip(heads.get_paths(), faces if len(faces) > 1 else
                              [faces[0]] * len(heads.get_paths()), strict=True):
            corners = len(np.unique(path.vertices.round(6), axis=0))
            white = tuple(face[:3]) == (1.0, 1.0, 1.0)
            name = {3: "open triangle" if white else "filled triangle", 4: "open diamond"}[corners]
            counts[name] += 1
    counts["bar"] = 0 if bars is None else len(bars.get_paths())
    counts["?"] = sum(t.get_text() == "?" for t in fig.axes[0].texts)
    return counts


@pytest.mark.parametrize("view", VIEWS)
def test_each_edge_kind_has_its_own_glyph(view):
    g = graph.view(view)
    n = {k: sum(1 for *_, kk in g.edges(keys=True) if kk == k) for k in graph.SIGNS}
    counts = glyph_counts(render(view))
    assert counts["filled triangle"] == n["stimulates"]
    assert counts["open triangle"] == n["necessary"]
    assert counts["open diamond"] == counts["?"] == n["unknown"]
    assert counts["bar"] == n["inhibits"] + n["necessary"]
    dashed = collection(render(view), "edges-hypothesis")
    n_hyp = sum(1 for *_, s in g.edges(data="status") if s == "hypothesis")
    assert (0 if dashed is None else len(dashed.get_paths())) == n_hyp


def test_shipped_views_use_every_edge_kind_somewhere():
    used = {k for v in VIEWS for *_, k in graph.view(v).edges(keys=True)}
    assert used == set(graph.SIGNS)


@pytest.mark.parametrize("view", VIEWS)
def test_legend_lists_every_glyph_and_state_used(view):
    g = graph.view(view)
    drugs = drugs_of(view)
    fig = render(view, drugs=drugs, highlight=next(iter(g)))
    labels = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    expected = {draw.KIND_NAMES[k] for _, k in g.nodes(data="kind")}
    expected |= {draw.EDGE_NAMES[k] for *_, k in g.edges(keys=True)}
    if any(st == "hypothesis" for *_, st in g.edges(data="status")):
        expected.add("hypothesis (dashed)")
    states = {e.verdict for e in reasoning.effects(drugs, view).values()} | {"on"}
    expected |= {draw.STATES[s][2] for s in states}
    expected.add("highlighted")
    assert labels == expected


def test_established_only_legend_has_no_hypothesis_entry():
    fig = render("ketamine_cascade", include_hypotheses=False)
    labels = {t.get_text() for t in fig.axes[0].get_legend().get_texts()}
    assert "hypothesis (dashed)" not in labels


def test_verdicts_show_by_fill_and_by_symbol():
    fig = render("combined", drugs=["lamotrigine", "ketamine"])
    texts = {t.get_text().split("\n")[0] for t in fig.axes[0].texts}
    assert "↓ Glutamate" in texts and "● Ketamine" in texts and "↕ Glutamate surge" in texts
    nodes = list(graph.view("combined"))
    fills = collection(fig, "nodes").get_facecolors()
    i, j = nodes.index("glutamate_release"), nodes.index("hydroxynorketamine")
    assert not np.allclose(fills[i], fills[j])  # down and up differ in fill too
    plain = render("combined")
    assert all(t.get_text()[:1] not in "↑↓↕●" for t in plain.axes[0].texts)


def test_positions_are_stable_across_redraws_and_hypothesis_toggle():
    def positions(fig):
        texts = [t.get_text() for t in fig.axes[0].texts]
        plain = [s[2:] if s[:2] in ("↑ ", "↓ ", "↕ ", "● ", "? ") else s for s in texts]
        return {s: t.get_position() for s, t in zip(plain, fig.axes[0].texts, strict=True) if s != "?"}

    a = positions(render("combined"))
    b = positions(render("combined", drugs=["ketamine"], include_hypotheses=False))
    assert a == b


def test_highlight_thickens_the_node_outline_and_its_paths():
    nodes = list(graph.view("combined"))
    fig = render("combined", drugs=["ketamine"], highlight="dissociation")
    widths = collection(fig, "nodes").get_linewidths()
    assert widths[nodes.index("dissociation")] > widths[nodes.index("bdnf")]
    assert max(collection(fig, "edges-established").get_linewidths()) > 3


def test_draws_into_a_given_axes():
    fig = Figure(figsize=(12, 10))
    ax = fig.add_subplot()
    assert draw.diagram("nmda_receptor", drugs="ketamine", ax=ax) is fig
    assert ax.get_legend() is not None and len(ax.texts) >= len(graph.view("nmda_receptor"))


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
