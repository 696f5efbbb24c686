"""mechlib.lesson and data/claims.yaml: every part of the lesson skeleton is rendered from data/,
and the claims cover every point of the source article, with the corrections from facts.md."""

from __future__ import annotations

import base64
import shutil
import struct
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from mechlib import SAFETY_NOTE, data, lesson  # noqa: E402
from mechlib.teaching import figures as lesson_figures

DS = data.load()
LESSONS = list(DS.lessons)
LESSON_IDS = [les.id for les in LESSONS]
CLAIMS = list(DS.claims)


def norm(text: str) -> str:
    """Text as it appears inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


# --------------------------------------------------------------------------- header


@pytest.mark.parametrize("les", LESSONS, ids=LESSON_IDS)
def test_header_is_rendered_from_the_lesson_data(les):
    text = lesson.header(les.id).data
    assert text.startswith(f"# Lesson {les.id[:2]} · {les.title}\n")
    assert f"> ⚠️ **Not medical advice.** {SAFETY_NOTE}" in text
    assert f"**Time to complete:** about {les.minutes} minutes" in text
    for objective in les.objectives:
        assert f"- {objective}\n" in text + "\n"
    assert "| Concept | Importance | Notes |" in text
    assert les.prerequisites, f"{les.id} has no prerequisites in lessons.yaml"
    for p in les.prerequisites:
        assert f"| {norm(p.concept)} | {p.importance.capitalize()} | {norm(p.notes)} |" in text
    for r in les.requires:
        assert f"({r}.ipynb)" in text
    # the order of the skeleton
    order = [text.index(s) for s in ("# Lesson", "Not medical advice", "Time to complete",
                                     "## Learning objectives", "## Prerequisites")]
    assert order == sorted(order)


def test_unknown_lesson_lists_allowed_ids():
    for fn in (lesson.header, lesson.claims, lesson.what_next, lesson.lesson_references):
        with pytest.raises(ValueError, match="unknown lesson '99_x'; allowed: 00_start_here, "):
            fn("99_x")


# --------------------------------------------------------------------------- claims


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_claims_table_is_rendered_from_the_claims_data(lesson_id):
    text = lesson.claims(lesson_id).data
    rows = [c for c in CLAIMS if c.lesson == lesson_id]
    assert text.startswith("## What the article says, and what the evidence shows")
    table = [line for line in text.splitlines() if line.startswith("| ")]
    if not rows:
        assert not table and "examines no claim" in text
        assert all(c.lesson[:2] in text for c in CLAIMS)
        return
    assert table[0] == "| What the article says | What the evidence shows | Sources |"
    assert table[1] == "| --- | --- | --- |"
    assert len(table) == 2 + len(rows)
    for c, line in zip(rows, table[2:], strict=True):
        assert f"“{norm(c.article)}”" in line
        assert f"**{c.verdict.capitalize()}.** {norm(c.evidence)}" in line
        for k in c.references:
            assert DS.reference(k).citation in line.rsplit(" | ", 1)[-1]
    for verdict in {c.verdict for c in rows}:
        assert f"**{verdict}**: {lesson.VERDICTS[verdict]}" in text


def test_claims_cover_lessons_02_to_07_and_resolve():
    assert {c.lesson for c in CLAIMS} == {
        "02_lamotrigine", "03_ketamine", "04_synergy_hypothesis", "05_antagonism_hypothesis",
        "06_human_evidence", "07_clinical_practice_and_safety"}
    for c in CLAIMS:
        assert c.references and set(c.references) <= set(DS.references), c.id
        assert c.lesson in LESSON_IDS
        assert c.verdict in lesson.VERDICTS


#: One keyword list per paragraph of the source article (shared/reference/source-article.txt).
#: Every keyword must appear in the article text of some claim: the claims cover the whole article.
ARTICLE_PARAGRAPHS = {
    "introduction": ["mood stabilizer", "seizures", "anesthetic", "mental health"],
    "lamotrigine indications": ["anticonvulsant", "bipolar I", "maintenance", "Lennox-Gastaut"],
    "lamotrigine mechanism and side effects": [
        "stabilizes electrical activity", "voltage-gated sodium channels", "glutamate and aspartate",
        "dizziness", "drowsiness", "headache", "nausea", "skin rash", "Stevens-Johnson"],
    "ketamine uses": ["anesthetic", "approved for treatment-resistant depression",
                      "at least two different antidepressant", "suicidal ideation", "faster onset"],
    "ketamine mechanism, routes, side effects": [
        "NMDA", "increases glutamate", "synaptogenesis", "intravenous", "nasal spray", "oral",
        "blood pressure", "visual hallucinations", "dissociation"],
    "animal synergy": ["animal studies", "synergistic", "pro-inflammatory cytokines", "oxidative damage"],
    "human results": ["mixed results", "dissociative symptoms", "healthy individuals",
                      "significantly enhances", "single ketamine infusion", "theoretically diminish"],
    "clinical practice": ["not shown significant negative interactions", "holding the morning dose",
                          "continue lamotrigine", "specialized medical supervision"],
    "considerations for patients (consult, disclose)": [
        "consult a qualified healthcare professional", "starting, stopping, or combining",
        "over-the-counter", "supplements", "medical conditions"],
    "considerations for patients (self-medication, report)": [
        "Self-medication", "close medical supervision", "report any unusual side effects"],
}


@pytest.mark.parametrize("paragraph", list(ARTICLE_PARAGRAPHS))
def test_claims_cover_every_paragraph_of_the_article(paragraph):
    quoted = " ".join(c.article for c in CLAIMS).lower()
    missing = [k for k in ARTICLE_PARAGRAPHS[paragraph] if k.lower() not in quoted]
    assert not missing, f"{paragraph}: no claim quotes {missing}"


#: facts.md "claims to avoid", each shown as the article's simplification: (claim id, evidence words).
CORRECTIONS = [
    ("syn_cytokines", ["fluoxetine", "no behavioural synergy", "serum"]),      # 1
    ("hum_dissociation_healthy", ["healthy", "did not attenuate", "not supported"]),  # 2
    ("ant_theoretical", ["no study has shown", "not a blunted antidepressant effect"]),  # 3
    ("lam_release", ["does not block glutamate or NMDA receptors", "above 100 uM"]),  # 4
    ("cli_hold_morning_dose", ["52 %", "does not clear lamotrigine"]),            # 5
    ("ket_approved_trd", ["Only esketamine", "off-label"]),                       # 6
    ("ket_nmda_glutamate", ["depends on enantiomer and assay"]),                   # 7 (Ki)
    ("lam_sjs", ["ranges, not one fixed rate"]),                                   # 7 (rash rate)
    ("ket_side_effects", ["not been shown to be required"]),                       # 8
]


@pytest.mark.parametrize("claim_id,words", CORRECTIONS, ids=[c for c, _ in CORRECTIONS])
def test_claims_to_avoid_are_corrected(claim_id, words):
    claim = next(c for c in CLAIMS if c.id == claim_id)
    for word in words:
        assert word in claim.evidence, (claim_id, word)
    assert claim_id in {c.id for c in CLAIMS}
    assert f"**{claim.verdict.capitalize()}.** {norm(claim.evidence)}" in lesson.claims(claim.lesson).data


def test_held_dose_numbers_in_claims_follow_from_the_half_life():
    t_half = DS.drug("lamotrigine").param("half_life").value
    claim = next(c for c in CLAIMS if c.id == "cli_hold_morning_dose")
    assert f"{100 * 0.5 ** (24 / t_half):.0f} %" in claim.evidence
    assert f"only about {100 * (1 - 0.5 ** (4 / t_half)):.0f} %" in claim.evidence
    assert f"{t_half:g} h" in claim.evidence


def test_claims_read_as_evidence_not_advice():
    for c in CLAIMS:
        for phrase in ("you should", "we recommend", "your doctor", "your dose"):
            assert phrase not in c.evidence.lower(), (c.id, phrase)


# --------------------------------------------------------------------------- validation of the new data


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(data.default_data_dir(), dst)
    return dst


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(data.DataError) as info:
        data.load(data_dir)
    return [str(p) for p in info.value.problems]


def test_claim_with_unknown_reference_or_lesson_is_rejected(data_copy):
    _edit(data_copy / "claims.yaml", "references: [reus2017]\n", "references: [reus2071]\n")
    _edit(data_copy / "claims.yaml", "lesson: 06_human_evidence", "lesson: 06_human_evidense")
    found = _problems(data_copy)
    assert any(p.startswith("claims.yaml: claim syn_cytokines: reference 'reus2071'") for p in found)
    assert any(p.startswith("claims.yaml: claim hum_mixed: lesson '06_human_evidense'") and
               "allowed: 00_start_here" in p for p in found)


def test_duplicate_claim_id_and_bad_verdict_are_rejected(data_copy):
    _edit(data_copy / "claims.yaml", "- id: ket_routes", "- id: ket_anaesthetic")
    assert any("claim ket_anaesthetic: duplicate claim id" in p for p in _problems(data_copy))
    _edit(data_copy / "claims.yaml", "- id: ket_anaesthetic\n", "- id: ket_routes\n")
    _edit(data_copy / "claims.yaml", "verdict: overstated", "verdict: wrongish")
    assert any("claims.yaml" in p and "'wrongish' is not allowed; allowed: accurate" in p
               for p in _problems(data_copy))


def test_prerequisite_importance_is_validated(data_copy):
    _edit(data_copy / "lessons.yaml", "importance: necessary", "importance: vital")
    assert any(p.startswith("lessons.yaml: lessons[") and "'vital' is not allowed" in p
               for p in _problems(data_copy))


def test_claims_file_is_optional(data_copy):
    (data_copy / "claims.yaml").unlink()
    assert data.load(data_copy).claims == ()


# --------------------------------------------------------------------------- references and citations


def test_cite_uses_the_short_citations():
    assert lesson.cite("kuo1998") == f"({DS.reference('kuo1998').citation})"
    assert lesson.cite("anand2000", "mathew2010") == "(Anand 2000; Mathew 2010)"
    with pytest.raises(ValueError, match="unknown reference 'x1'; allowed: .*kuo1998"):
        lesson.cite("x1")
    with pytest.raises(ValueError, match="at least one"):
        lesson.cite()


@pytest.mark.parametrize("key", sorted(DS.references))
def test_every_reference_renders_in_full(key):
    ref = DS.reference(key)
    line = lesson.references([key]).data
    # The anchor lets lesson Markdown link a citation to its entry: [Kuo 1998](#ref-kuo1998).
    assert line.startswith(f'1. <a id="ref-{key}"></a>{ref.authors} ({ref.year}). {ref.title}')
    assert f"*{ref.source}*" in line
    if ref.doi:
        assert f"(https://doi.org/{ref.doi})" in line
    if ref.pmid:
        assert f"(https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/)" in line
    if not (ref.doi or ref.pmid):
        assert ref.label in line


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_references_list_everything_the_lesson_cites(lesson_id):
    cited = {k for c in CLAIMS if c.lesson == lesson_id for k in c.references}
    cited |= {k for q in DS.quizzes if q.lesson == lesson_id for k in q.references}
    cited |= {k for p in DS.prompts if p.lesson == lesson_id for k in p.references}
    # its glossary section: every term in lesson 00, else the terms it introduces
    cited |= {t.reference for t in DS.glossary if lesson_id in ("00_start_here", t.first_lesson)}
    keys = lesson.lesson_references(lesson_id)
    assert set(keys) == cited and len(keys) == len(set(keys))
    text = lesson.references(["kuo1998"], lesson=lesson_id).data
    lines = text.splitlines()
    assert lines[0].startswith('1. <a id="ref-kuo1998"></a>Kuo CC (1998)')
    assert len(lines) == len(set(["kuo1998"] + keys))
    assert [line.split(". ", 1)[0] for line in lines] == [str(i) for i in range(1, len(lines) + 1)]


def test_references_reject_unknown_and_empty():
    with pytest.raises(ValueError, match=r"unknown reference key\(s\) nope1, nope2; allowed: "):
        lesson.references(["kuo1998", "nope1", "nope2"])
    with pytest.raises(ValueError, match="no references"):
        lesson.references([])
    assert lesson.references(["kuo1998", "kuo1998"]).data.count("Kuo CC") == 1


# --------------------------------------------------------------------------- figures


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_figure_embeds_png_with_alt_and_details():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    description = "A rising line. It goes from <0, 0> to (1, 1) & stops.\nSecond line."
    view = lesson.figure(fig, description)
    assert not plt.fignum_exists(fig.number), "the figure must be closed"
    assert png_size(view.png) == (400, 300), "100 dpi, no tight bounding box"
    bundle = view._repr_mimebundle_()
    page = bundle["text/html"]
    assert f'src="data:image/png;base64,{base64.b64encode(view.png).decode()}"' in page
    assert 'alt="A rising line."' in page
    assert page.index("<img") < page.index("<details><summary>Text description</summary>")
    assert "It goes from &lt;0, 0&gt; to (1, 1) &amp; stops.<br />\nSecond line." in page
    assert bundle["text/plain"] == f"Figure: A rising line.\n\n{description}"


def test_long_description_is_collapsed_in_plain_text_and_kept_whole_in_the_disclosure():
    from mechlib import draw

    description = draw.describe("combined", drugs=["lamotrigine", "ketamine"])
    lines = description.strip().splitlines()
    assert len(lines) > lesson_figures.LONG_DESCRIPTION
    fig, _ = plt.subplots()
    view = lesson.figure(fig, description)
    plain = view._repr_mimebundle_()["text/plain"]
    assert plain.count("\n") < 12 and f"{len(lines) - lesson_figures.SHORT_DESCRIPTION} more lines" in plain
    page = view._repr_html_()
    assert f"<summary>Text description ({len(lines)} lines)</summary>" in page
    details = page.split("<details>", 1)[1]
    assert "<strong>Both drugs together</strong>" in details and "<h2" not in details
    assert details.count("<li>") >= 20  # the Markdown list is rendered
    short = lesson.figure(plt.subplots()[0], "One line.")
    assert short._repr_mimebundle_()["text/plain"] == "Figure: One line.\n\nOne line."


def test_figure_takes_an_explicit_alt_and_rejects_bad_input():
    fig, _ = plt.subplots()
    view = lesson.figure(fig, "Long description.", alt='Summary with "quotes"')
    assert 'alt="Summary with &quot;quotes&quot;"' in view._repr_html_()
    fig2, _ = plt.subplots()
    with pytest.raises(ValueError, match="text description"):
        lesson.figure(fig2, "  ")
    plt.close(fig2)
    with pytest.raises(ValueError, match="matplotlib Figure; got str"):
        lesson.figure("not a figure", "x")


# --------------------------------------------------------------------------- what next and the learning path


@pytest.mark.parametrize("les", LESSONS, ids=LESSON_IDS)
def test_what_next_links_the_lessons_that_require_this_one(les):
    text = lesson.what_next(les.id).data
    after = [x for x in LESSONS if les.id in x.requires]
    links = [line for line in text.splitlines() if line.startswith("- [")]
    assert links == [f"- [{x.title}]({x.id}.ipynb): {x.objectives[0]}" for x in after]
    if not after:
        assert f"[{LESSONS[0].title}]({LESSONS[0].id}.ipynb)" in text


def test_learning_path_draws_every_lesson_and_requirement():
    fig = lesson.learning_path()
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    for les in LESSONS:
        assert any(lab.startswith(les.id[:2] + "\n") for lab in labels), les.id
    arrows = [c for c in ax.get_children() if type(c).__name__ == "Annotation" and c.arrow_patch]
    assert len(arrows) == sum(len(les.requires) for les in LESSONS)
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)
    x_of = {}
    for les in LESSONS:
        text = next(t for t in ax.texts if t.get_text().startswith(les.id[:2] + "\n"))
        x_of[les.id] = text.get_position()[0]
    for les in LESSONS:
        for r in les.requires:
            assert x_of[r] < x_of[les.id], "drawn left to right"
    plt.close(fig)


def test_describe_learning_path_names_every_lesson_and_its_requirements():
    text = lesson.describe_learning_path()
    assert text.startswith(f"The learning path has {len(LESSONS)} lessons")
    for les in LESSONS:
        line = next(x for x in text.splitlines() if x.startswith(f"- {les.id[:2]} {les.title} "))
        assert f"({les.minutes} min)" in line
        for r in les.requires:
            title = next(x.title for x in LESSONS if x.id == r)
            assert f"{r[:2]} {title}" in line
