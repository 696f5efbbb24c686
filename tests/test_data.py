"""The data spine: the shipped data validate, and every broken case names its file and entry."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from mechlib import data
from mechlib.cli import build_parser, main

SHIPPED = data.default_data_dir()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ to break."""
    dst = tmp_path / "data"
    shutil.copytree(SHIPPED, dst)
    return dst


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def problems_of(data_dir: Path) -> list[data.DataProblem]:
    with pytest.raises(data.DataError) as info:
        data.load(data_dir)
    return list(info.value.problems)


def assert_problem(data_dir: Path, file: str, entry: str, *words: str) -> None:
    """Loading fails with a problem in ``file`` whose entry contains ``entry`` and message all words."""
    found = problems_of(data_dir)
    for p in found:
        if p.file == file and entry in p.entry and all(w in p.message for w in words):
            return
    pytest.fail(f"no problem for {file} / {entry} with {words}; got:\n" + "\n".join(map(str, found)))


# --------------------------------------------------------------------------- shipped data


def test_shipped_data_validate():
    ds = data.load()
    assert set(ds.drugs) == {"lamotrigine", "ketamine"}
    assert set(data.REQUIRED_NODES) <= set(ds.nodes)
    assert len(ds.edges) > 30 and len(ds.studies) >= 7


def test_every_cited_reference_exists_and_is_identifiable():
    ds = data.load()
    cited = ds.cited_keys()
    assert cited, "the data cite nothing"
    assert cited <= set(ds.references)
    for ref in ds.references.values():
        assert ref.doi or ref.pmid or ref.label, ref.key


def test_every_drug_parameter_has_unit_reference_and_confidence():
    ds = data.load()
    params = [p for d in ds.drugs.values() for p in d.parameters.values()]
    params += list(ds.physiology.values())
    assert len(params) > 50
    for p in params:
        assert p.unit.strip(), p.name
        assert p.reference in ds.references, p.name
        assert p.confidence in ("verified", "secondary", "assumption"), p.name


def test_load_is_cached_and_reloads_when_a_file_changes(data_copy: Path):
    first = data.load(data_copy)
    assert data.load(data_copy) is first
    edit(data_copy / "drugs.yaml", "name: Lamotrigine", "name: Lamotrigine (edited)")
    assert data.load(data_copy).drug("lamotrigine").name == "Lamotrigine (edited)"


def test_held_checks_the_files_once_and_sees_a_change_at_the_next_block(data_copy: Path,
                                                                        monkeypatch):
    """One render sees one state of data/: inside ``held()`` the files are checked once per
    folder, however often ``load`` is called; an edit meanwhile shows at the next block."""
    from mechlib.data import loader

    checks = []
    real = loader._signature
    monkeypatch.setattr(loader, "_signature", lambda path: checks.append(path) or real(path))
    with data.held():
        first = data.load(data_copy)
        edit(data_copy / "drugs.yaml", "name: Lamotrigine", "name: Lamotrigine (edited)")
        with data.held():  # nested: the same state
            assert data.load(data_copy) is first
        assert [data.load(data_copy) for _ in range(20)] == [first] * 20
        data.load()  # another folder is checked on its own
    assert len(checks) == 2
    assert data.load(data_copy).drug("lamotrigine").name == "Lamotrigine (edited)"
    assert len(checks) == 3  # outside a block every call checks


def test_lookups_name_what_is_allowed():
    ds = data.load()
    with pytest.raises(ValueError, match="unknown drug 'aspirin'; allowed: ketamine, lamotrigine"):
        ds.drug("aspirin")
    with pytest.raises(ValueError, match="allowed: .*half_life"):
        ds.drug("lamotrigine").param("halflife")
    with pytest.raises(ValueError, match="unknown reference"):
        ds.reference("nobody2099")
    assert ds.drug(" Ketamine ").id == "ketamine"


# --------------------------------------------------------------------------- broken data


def test_duplicate_yaml_key_is_rejected(data_copy: Path):
    edit(data_copy / "references.yaml", "  kuo1998:\n", "  kuo1998:\n    year: 1999\n")
    assert_problem(data_copy, "references.yaml", "line", "duplicate key 'year'")


def test_edge_to_missing_node(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "target: nav_channel\n", "target: nav_chanel\n")
    assert_problem(data_copy, "mechanisms.yaml", "use_dependent_block -> nav_chanel",
                   "'nav_chanel' does not exist")


def test_evidence_citing_missing_reference(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "{reference: homayoun2007, type: animal}",
         "{reference: homayoun2077, type: animal}")
    assert_problem(data_copy, "mechanisms.yaml", "gaba_interneuron -> pyramidal_firing",
                   "'homayoun2077'", "not in references.yaml")


def test_reference_without_doi_pmid_or_label(data_copy: Path):
    edit(data_copy / "references.yaml", "    doi: 10.1085/jgp.69.4.497\n", "")
    assert_problem(data_copy, "references.yaml", "hille1977", "no doi, pmid or label")


def test_parameter_without_unit(data_copy: Path):
    edit(data_copy / "drugs.yaml", "protein_binding: {value: 0.55, unit: fraction, ",
         "protein_binding: {value: 0.55, ")
    assert_problem(data_copy, "drugs.yaml", "lamotrigine.parameters.protein_binding", "'unit'")


def test_parameter_without_reference(data_copy: Path):
    edit(data_copy / "drugs.yaml",
         "protein_binding: {value: 0.55, unit: fraction, reference: lamictal_label, ",
         "protein_binding: {value: 0.55, unit: fraction, ")
    assert_problem(data_copy, "drugs.yaml", "lamotrigine.parameters.protein_binding", "'reference'")


def test_parameter_citing_missing_reference(data_copy: Path):
    edit(data_copy / "drugs.yaml", "ki_r_ketamine: {value: 1.4, unit: uM, reference: ebert1997",
         "ki_r_ketamine: {value: 1.4, unit: uM, reference: ebert1979")
    assert_problem(data_copy, "drugs.yaml", "ketamine.parameters.ki_r_ketamine", "'ebert1979'")


def test_negative_half_life(data_copy: Path):
    edit(data_copy / "drugs.yaml", "half_life_with_valproate: {value: 70.3,",
         "half_life_with_valproate: {value: -70.3,")
    assert_problem(data_copy, "drugs.yaml", "lamotrigine.parameters.half_life_with_valproate",
                   "impossible", "> 0")


def test_fraction_above_one(data_copy: Path):
    edit(data_copy / "drugs.yaml", "oral_bioavailability: {value: 0.98,",
         "oral_bioavailability: {value: 98,")
    assert_problem(data_copy, "drugs.yaml", "lamotrigine.parameters.oral_bioavailability",
                   "fraction above 1", "0 to 1")


def test_value_outside_its_own_range(data_copy: Path):
    edit(data_copy / "drugs.yaml", "tmax: {value: 2.5,", "tmax: {value: 9.5,")
    assert_problem(data_copy, "drugs.yaml", "lamotrigine.parameters.tmax", "outside its own range")


def test_duplicate_node_id(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "  - {id: aspartate_release,", "  - {id: glutamate_release,")
    assert_problem(data_copy, "mechanisms.yaml", "node glutamate_release", "duplicate node id")


def test_missing_required_node(data_copy: Path):
    text = (data_copy / "mechanisms.yaml").read_text()
    text = re.sub(r"  - \{id: bdnf,.*?\n.*?\n", "", text, count=1)
    text = re.sub(r"  - source: (ampa_receptor|bdnf|eef2_kinase)\n    target: (bdnf|mtorc1)\n"
                  r"(    .*\n|      .*\n)+", "", text)
    (data_copy / "mechanisms.yaml").write_text(text)
    assert_problem(data_copy, "mechanisms.yaml", "node bdnf", "is missing")


def test_node_in_undefined_view(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "views: [sodium_channel]", "views: [sodium_chanel]")
    assert_problem(data_copy, "mechanisms.yaml", "node nav_inactivated_state",
                   "'sodium_chanel' is not defined", "allowed: sodium_channel")


def test_edge_kind_not_allowed(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "    kind: stimulates\n    mechanism: \"binds the inactivated",
         "    kind: activates\n    mechanism: \"binds the inactivated")
    assert_problem(data_copy, "mechanisms.yaml", "edges[0] (lamotrigine -> use_dependent_block).kind",
                   "'activates' is not allowed", "stimulates, inhibits, unknown, necessary")


def test_duplicate_study_key(data_copy: Path):
    edit(data_copy / "studies.yaml", "  - key: joseph2023", "  - key: anand2000")
    assert_problem(data_copy, "studies.yaml", "study anand2000", "duplicate study key")


def test_study_bearing_on_unknown_hypothesis(data_copy: Path):
    edit(data_copy / "studies.yaml", "{hypothesis: antagonism, direction: against, note: \"no blunting seen",
         "{hypothesis: antagonisme, direction: against, note: \"no blunting seen")
    assert_problem(data_copy, "studies.yaml", "study joseph2023", "'antagonisme' is not defined",
                   "allowed: synergy")


def test_broken_yaml_syntax(data_copy: Path):
    edit(data_copy / "studies.yaml", "  - key: anand2000", "  - key: [anand2000")
    assert_problem(data_copy, "studies.yaml", "line", "not valid YAML")


def test_missing_and_empty_files(data_copy: Path):
    (data_copy / "studies.yaml").unlink()
    (data_copy / "references.yaml").write_text("")
    found = problems_of(data_copy)
    assert any(p.file == "studies.yaml" and "missing" in p.message for p in found)
    assert any(p.file == "references.yaml" and "empty" in p.message for p in found)


def test_quiz_answer_must_be_an_option(data_copy: Path):
    (data_copy / "quizzes.yaml").write_text(
        "quizzes:\n"
        "  - id: q_test\n    lesson: 02_lamotrigine\n    type: multiple_choice\n"
        "    prompt: Where does lamotrigine act?\n"
        "    options: [{id: a, text: Na channels}, {id: b, text: NMDA receptors}]\n"
        "    answer: c\n    explanation: Kuo 1998.\n    references: [kuo1998]\n")
    assert_problem(data_copy, "quizzes.yaml", "question q_test", "answer 'c' is not an option",
                   "allowed: a, b")


def test_every_problem_is_reported_at_once(data_copy: Path):
    edit(data_copy / "mechanisms.yaml", "target: nav_channel\n", "target: nav_chanel\n")
    edit(data_copy / "drugs.yaml", "half_life_with_valproate: {value: 70.3,",
         "half_life_with_valproate: {value: -70.3,")
    edit(data_copy / "studies.yaml", "  - key: joseph2023", "  - key: anand2000")
    files = {p.file for p in problems_of(data_copy)}
    assert files == {"mechanisms.yaml", "drugs.yaml", "studies.yaml"}


# --------------------------------------------------------------------------- command line


def test_check_data_passes_on_shipped_data(capsys):
    assert main(["check-data"]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(r"data OK: 2 drugs, \d+ nodes, \d+ edges, \d+ references, \d+ studies, "
                        r"\d+ quiz questions\n", out)


def test_check_data_fails_and_names_file_and_entry(data_copy: Path, capsys):
    edit(data_copy / "mechanisms.yaml", "target: nav_channel\n", "target: nav_chanel\n")
    assert main(["check-data", "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "mechanisms.yaml: edges[" in err and "nav_chanel" in err


def test_help_lists_every_command(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "check-data" in commands
    for name in commands:
        assert name in out


def test_short_citations_tell_every_reference_apart():
    refs = data.load().references.values()
    citations = [r.citation for r in refs]
    assert len(set(citations)) == len(citations), sorted(c for c in citations if citations.count(c) > 1)
    assert data.load().reference("zanos_gould2018").citation == "Zanos & Gould 2018"
