"""mechlib.evidence: filters, table, evidence map, its description and the summaries.

Every expectation is computed from the data, so the tests keep working when studies are added,
and the key test adds one to a copy of data/ and checks that everything follows.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import shutil
import warnings
from collections import Counter
from pathlib import Path

import pytest
import yaml
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from mechlib import data, evidence, schema

DS = data.load()


def citation(s: data.Study, ds: data.Dataset = DS) -> str:
    return ds.references[s.reference].citation


def bearings(ds: data.Dataset = DS, hyps=None) -> list[tuple[data.Study, data.Bearing]]:
    return [(s, b) for s in ds.studies for b in s.bears_on if hyps is None or b.hypothesis in hyps]


def markers(fig: Figure) -> list:
    return [a for a in fig.axes[0].lines if str(a.get_gid()).startswith("marker:")]


def labels(fig: Figure) -> list[Text]:
    return [t for t in fig.axes[0].texts if str(t.get_gid()).startswith("label:")]


# --------------------------------------------------------------------------- records and filters


def test_studies_default_and_given_dataset():
    assert evidence.studies() == list(DS.studies)
    fewer = dataclasses.replace(DS, studies=DS.studies[:2])
    assert evidence.studies(fewer) == list(DS.studies[:2])


@pytest.mark.parametrize("population", schema.POPULATIONS)
def test_select_by_population(population):
    assert evidence.select(population=population) == [s for s in DS.studies if s.population == population]


@pytest.mark.parametrize("design", schema.DESIGNS)
def test_select_by_design(design):
    assert evidence.select(design=design) == [s for s in DS.studies if s.design == design]


@pytest.mark.parametrize("hypothesis", list(DS.hypotheses))
def test_select_by_hypothesis(hypothesis):
    expected = [s for s in DS.studies if any(b.hypothesis == hypothesis for b in s.bears_on)]
    assert expected, "each shipped hypothesis has at least one study"
    assert evidence.select(hypothesis=hypothesis) == expected


def test_filters_are_not_vacuous():
    # the shipped data hold several populations and designs, so each filter really removes studies
    assert 0 < len(evidence.select(population="patients")) < len(DS.studies)
    assert 0 < len(evidence.select(design="randomised")) < len(DS.studies)


def test_select_combinations_and_lists():
    for pops, designs, hyp in itertools.product(
        [None, "patients", ["patients", "healthy-volunteers"]],
        [None, "randomised", ["randomised", "retrospective"]],
        [None, "synergy", ["antagonism", "side_effect_attenuation"]],
    ):
        p = None if pops is None else [pops] if isinstance(pops, str) else pops
        d = None if designs is None else [designs] if isinstance(designs, str) else designs
        h = None if hyp is None else [hyp] if isinstance(hyp, str) else hyp
        expected = [s for s in DS.studies
                    if (p is None or s.population in p) and (d is None or s.design in d)
                    and (h is None or any(b.hypothesis in h for b in s.bears_on))]
        assert evidence.select(population=pops, design=designs, hypothesis=hyp) == expected
    both = evidence.select(population="patients", design="randomised")
    assert both and len(both) < len(evidence.select(population="patients"))


def test_select_accepts_spelling_variants_and_titles():
    assert evidence.select(population="Healthy volunteers") == evidence.select(
        population="healthy-volunteers")
    assert evidence.select(design="open label") == evidence.select(design="open-label")
    for h in DS.hypotheses.values():
        assert evidence.select(hypothesis=h.title) == evidence.select(hypothesis=h.id)


def test_empty_list_selects_nothing():
    assert evidence.select(population=[]) == []


@pytest.mark.parametrize("axis, allowed", [
    ("population", schema.POPULATIONS),
    ("design", schema.DESIGNS),
    ("hypothesis", tuple(DS.hypotheses)),
])
def test_unknown_filter_value_names_allowed_values(axis, allowed):
    with pytest.raises(ValueError) as info:
        evidence.select(**{axis: [allowed[0], "nonsense"]})  # one good value, one bad
    msg = str(info.value)
    assert "nonsense" in msg and axis in msg
    for value in allowed:
        assert value in msg


def test_unknown_hypothesis_in_map_describe_and_summary():
    for func in (evidence.evidence_map, evidence.describe_map, evidence.summary):
        with pytest.raises(ValueError, match="allowed: .*synergy"):
            func("telepathy")


# --------------------------------------------------------------------------- ranking


def test_evidence_rank_follows_the_documented_order():
    base = DS.studies[0]
    order = [
        ("patients", "randomised"), ("patients", "open-label"), ("patients", "retrospective"),
        ("healthy-volunteers", "randomised"), ("healthy-volunteers", "retrospective"),
        ("animal", "randomised"), ("mixed", "randomised"), ("mixed", "review"),
    ]
    ranks = [evidence.evidence_rank(dataclasses.replace(base, population=p, design=d)) for p, d in order]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    # a review of patient studies still ranks below any primary study
    review = dataclasses.replace(base, population="patients", design="review")
    animal = dataclasses.replace(base, population="animal", design="retrospective")
    assert evidence.evidence_rank(review) > evidence.evidence_rank(animal)
    assert evidence.evidence_kind(review) == "review"


# --------------------------------------------------------------------------- table


def test_table_rows():
    rows = evidence.table(DS.studies)
    assert [r["Study"] for r in rows] == [citation(s) for s in DS.studies]
    for s, r in zip(DS.studies, rows, strict=True):
        assert r["Design"] in (s.design_detail, s.design)
        assert r["N"] == ("n/a" if s.n is None else r["N"]) and (s.n is None or str(s.n) in r["N"])
        assert r["Regimen"] == s.regimen
        for o in s.outcomes:
            assert o.finding in r["Main findings"]
        bears = {b.hypothesis: b for b in s.bears_on}
        for h in DS.hypotheses.values():
            if h.id in bears:
                assert bears[h.id].direction in r[h.title]
            else:
                assert r[h.title] == "—"


def test_table_markdown_and_text():
    chosen = evidence.select(population="patients")
    md = evidence.table_markdown(chosen).splitlines()
    assert len(md) == 2 + len(chosen)
    assert md[0].count("|") == md[2].count("|") - md[2].count("\\|")
    piped = [dataclasses.replace(chosen[0], regimen="A | B")]
    assert "A \\| B" in evidence.table_markdown(piped)
    text = evidence.table_text(chosen)
    for s in chosen:
        assert citation(s) in text


# --------------------------------------------------------------------------- the map


def draw(fig: Figure):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def test_map_has_one_marker_and_label_per_bearing():
    fig = evidence.evidence_map()
    expected = {f"{s.key}:{b.hypothesis}" for s, b in bearings()}
    assert len(markers(fig)) == len(bearings())
    assert {m.get_gid().removeprefix("marker:") for m in markers(fig)} == expected
    assert {t.get_gid().removeprefix("label:") for t in labels(fig)} == expected
    by_gid = {t.get_gid(): t.get_text() for t in labels(fig)}
    for s, b in bearings():
        text = by_gid[f"label:{s.key}:{b.hypothesis}"]
        assert citation(s) in text and b.direction in text
        assert ("N n/a" if s.n is None else f"N {s.n}") in text


def test_map_for_one_hypothesis():
    fig = evidence.evidence_map("antagonism")
    assert len(markers(fig)) == len(bearings(hyps={"antagonism"}))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == [DS.hypotheses["antagonism"].title]


def test_map_marker_glyph_size_and_legend():
    fig = evidence.evidence_map()
    ax = fig.axes[0]
    used = {b.direction for _, b in bearings()}
    legend = ax.get_legend()
    entries = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles, strict=True)}
    for d in used:
        glyph, marker, _ = evidence.DIRECTION_STYLE[d]
        entry = [h for text, h in entries.items() if d in text and glyph in text]
        assert entry, f"legend lacks {d}"
        assert entry[0].get_marker() == marker
    by_gid = {m.get_gid(): m for m in markers(fig)}
    for s, b in bearings():
        assert by_gid[f"marker:{s.key}:{b.hypothesis}"].get_marker() == \
            evidence.DIRECTION_STYLE[b.direction][1]
    # bigger N, bigger marker (same shape)
    sized = sorted({(s.n, by_gid[f"marker:{s.key}:{b.hypothesis}"].get_markersize())
                    for s, b in bearings() if s.n and s.design != "review"
                    and b.direction == "against"})
    assert [size for _, size in sized] == sorted(size for _, size in sized)


def test_map_labels_do_not_overlap_and_are_readable():
    fig = evidence.evidence_map()
    renderer = draw(fig)
    ax = fig.axes[0]
    texts = [t for t in ax.texts if t.get_text()]
    texts += [t for t in ax.get_xticklabels() + ax.get_yticklabels() if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        assert not ba.overlaps(bb), f"{a!r} overlaps {b!r}"
    # labels also stay clear of every marker but their own
    for t in labels(fig):
        box = t.get_window_extent(renderer)
        for m in markers(fig):
            if m.get_gid().removeprefix("marker:") != t.get_gid().removeprefix("label:"):
                x, y = ax.transData.transform((m.get_xdata()[0], m.get_ydata()[0]))
                assert not box.contains(x, y)
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    for t in fig.findobj(Text):
        if t.get_text() and t.get_visible():
            assert t.get_fontsize() >= 10, t.get_text()
    assert ax.get_xlabel() and ax.get_ylabel()


def test_map_renders_without_warnings_and_into_given_axes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = evidence.evidence_map()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        assert buf.getvalue().startswith(b"\x89PNG")
        own = Figure(figsize=(14, 8))
        ax = own.add_subplot()
        assert evidence.evidence_map(ax=ax) is own
        own.savefig(io.BytesIO(), format="png")
    assert len(markers(own)) == len(bearings())


# --------------------------------------------------------------------------- text


def test_describe_map_mentions_every_study_per_hypothesis():
    text = evidence.describe_map()
    for s, b in bearings():
        line = f"{citation(s)}: {evidence.DIRECTION_STYLE[b.direction][0]} {b.direction}"
        assert line in text
    for s in DS.studies:
        assert citation(s) in text
    study_lines = [ln for ln in text.splitlines() if ln.startswith("    - ")]
    assert len(study_lines) == len(bearings())
    for h in DS.hypotheses.values():
        assert f"- **{h.title}**" in text


@pytest.mark.parametrize("hypothesis", list(DS.hypotheses))
def test_summary_counts_match_the_data(hypothesis):
    found = [(s, b.direction) for s, b in bearings(hyps={hypothesis})]
    text = evidence.summary(hypothesis)
    counts = Counter(d for _, d in found)
    assert f"{len(found)} studies bear on this hypothesis" in text
    phrases = {"supports": ("supports it", "support it"), "against": ("goes against it", "go against it"),
               "mixed": ("is mixed", "are mixed"), "neutral": ("is neutral", "are neutral")}
    for d, (one, many) in phrases.items():
        assert f"{counts[d]} {one if counts[d] == 1 else many}" in text
    by_pop = Counter(s.population for s, _ in found)
    line = next(ln for ln in text.splitlines() if ln.startswith("By population:"))
    for p, n in by_pop.items():
        assert f"{evidence.POPULATION_LABELS[p].lower()} {n} (" in line
    best = min(found, key=lambda f: evidence.evidence_rank(f[0]))[0]
    worst = max(found, key=lambda f: evidence.evidence_rank(f[0]))[0]
    assert f"Strongest kind of evidence here: {evidence.evidence_kind(best)}: " in text
    assert citation(best) in text.split("Strongest kind")[1].splitlines()[0]
    assert f"Weakest kind: {evidence.evidence_kind(worst)}: " in text
    hv = any(s.population == "healthy-volunteers" for s, _ in found)
    assert ("do not establish an effect in patients" in text) == hv


# --------------------------------------------------------------------------- the key test


def add_study(data_dir: Path, study: dict, reference: dict) -> None:
    refs_path, studies_path = data_dir / "references.yaml", data_dir / "studies.yaml"
    refs = yaml.safe_load(refs_path.read_text(encoding="utf-8"))
    refs["references"][study["reference"]] = reference
    refs_path.write_text(yaml.safe_dump(refs, allow_unicode=True, sort_keys=False), encoding="utf-8")
    doc = yaml.safe_load(studies_path.read_text(encoding="utf-8"))
    doc["studies"].append(study)
    studies_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_adding_a_study_changes_map_counts_and_summary(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data.default_data_dir(), copy)
    add_study(copy, {
        "key": "newtrial2099", "reference": "newtrial2099", "design": "randomised",
        "population": "patients", "n": 240, "regimen": "Ketamine series with lamotrigine or placebo",
        "outcomes": [{"measure": "Antidepressant response", "finding": "blunted by lamotrigine",
                      "direction": "decrease"}],
        "bears_on": [{"hypothesis": "antagonism", "direction": "supports"}],
    }, {"authors": "Zedsmith A, et al.", "year": 2099, "title": "A made-up trial for a test",
        "source": "J Test", "label": "test fixture"})
    before, after = data.load(), data.load(copy)
    assert len(after.studies) == len(before.studies) + 1

    fig_before = evidence.evidence_map("antagonism", data=before)
    fig_after = evidence.evidence_map("antagonism", data=after)
    assert len(markers(fig_after)) == len(markers(fig_before)) + 1
    assert any("Zedsmith 2099" in t.get_text() and "N 240" in t.get_text() for t in labels(fig_after))
    assert len(markers(evidence.evidence_map(data=after))) == len(bearings(after))

    assert len(evidence.select(hypothesis="antagonism", data=after)) == \
        len(evidence.select(hypothesis="antagonism", data=before)) + 1
    assert len(evidence.select(population="patients", design="randomised", data=after)) == \
        len(evidence.select(population="patients", design="randomised", data=before)) + 1

    old, new = evidence.summary("antagonism", data=before), evidence.summary("antagonism", data=after)
    assert new != old
    n_old = len(bearings(before, {"antagonism"}))
    supports_old = sum(b.direction == "supports" for _, b in bearings(before, {"antagonism"}))
    assert f"{n_old + 1} studies bear on this hypothesis" in new
    assert f"{supports_old + 1} support" in new
    assert "Zedsmith 2099 (supports, N 240)" in new.split("Strongest kind")[1].splitlines()[0]
    assert "Zedsmith 2099" in evidence.describe_map("antagonism", data=after)
    assert "Zedsmith 2099" not in evidence.describe_map("antagonism", data=before)
    # the other hypotheses' summaries are untouched
    assert evidence.summary("synergy", data=after) == evidence.summary("synergy", data=before)


def test_evidence_map_svg_has_a_cited_tooltip_and_link_per_finding():
    import xml.etree.ElementTree as ET

    from mechlib.teaching.evidence_svg import evidence_svg

    m = evidence_svg()
    root = ET.fromstring(m.svg)
    ns = "{http://www.w3.org/2000/svg}"
    studies = [g for g in root.iter(f"{ns}g") if g.get("id", "").startswith("s-")]
    assert len(studies) == sum(len(s.bears_on) for s in DS.studies)
    by_key = {s.key: s for s in DS.studies}
    for g in studies:
        key = next(k for k in by_key if g.get("id").startswith(f"s-{k}-"))
        tip = g.find(f"{ns}title").text
        assert DS.references[by_key[key].reference].citation in tip and by_key[key].design in tip
        direction = g.get("class").split()[1]
        assert direction in {"supports", "against", "mixed", "neutral"}
    assert any(a.get("href", "").startswith("https://doi.org/") for a in root.iter(f"{ns}a"))
    assert "var(--jp-layout-color0, #FFFFFF)" in m.svg  # follows the theme
    assert evidence_svg() is m  # drawn once per filter
    assert m.matplotlib().axes  # the same map for PNG exports
