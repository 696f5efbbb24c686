"""Broken copies of ``data/``: each mutation is a plausible instructor's mistake or a hostile file.

Every case asserts that ``check-data`` exits 1 with a message naming the file and the entry,
with no traceback, and that :func:`mechlib.data.load` raises :class:`mechlib.data.DataError`.
Most run in-process (``mechlib.cli.main``); a few run ``python -m mechlib`` in a subprocess.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mechlib import data
from mechlib.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"


def replace(file: str, old: str, new: str, regex: bool = False) -> Callable[[Path], None]:
    """A mutation: replace the first ``old`` in ``file`` by ``new`` (``old`` must be there)."""
    def mutate(folder: Path) -> None:
        path = folder / file
        text = path.read_text(encoding="utf-8")
        if regex:
            changed = re.sub(old, new, text, count=1, flags=re.S)
            assert changed != text, f"pattern {old!r} not found in {file}"
        else:
            assert old in text, f"{old!r} not found in {file}"
            changed = text.replace(old, new, 1)
        path.write_text(changed, encoding="utf-8")
    return mutate


def append(file: str, text: str) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        with open(folder / file, "a", encoding="utf-8") as f:
            f.write(text)
    return mutate


def write_bytes(file: str, blob: bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        (folder / file).write_bytes(blob)
    return mutate


def insert_bytes(file: str, after: str, blob: bytes) -> Callable[[Path], None]:
    def mutate(folder: Path) -> None:
        raw = (folder / file).read_bytes()
        i = raw.index(after.encode()) + len(after)
        (folder / file).write_bytes(raw[:i] + blob + raw[i:])
    return mutate


LAM_HALF_LIFE = "half_life: {value: 25.4, unit: h,"
ALIAS_BOMB = ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
              "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
              "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
              "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
              "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\nreferences: *i\n")
NEW_DRUG_NODE = ("  - {id: riluzole, label: Riluzole, kind: drug, compartment: systemic, "
                 "views: [combined],\n     description: \"A drug node with no drugs.yaml entry.\"}\n")

#: (id, mutation, file named, entry named). Each id says what the instructor did.
MUTATIONS = [
    # units (pint): incompatible units refused, with the allowed ones
    ("half_life_in_L_per_kg", replace("drugs.yaml", LAM_HALF_LIFE, "half_life: {value: 25.4, unit: L/kg,"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    ("volume_in_L_not_L_per_kg", replace("drugs.yaml", "volume_of_distribution: {value: 1.1, unit: L/kg",
                                         "volume_of_distribution: {value: 77, unit: L"),
     "drugs.yaml", "lamotrigine.parameters.volume_of_distribution"),
    ("concentration_as_a_mass", replace("drugs.yaml", "reference_range_low: {value: 2.5, unit: mg/L",
                                        "reference_range_low: {value: 2.5, unit: mg"),
     "drugs.yaml", "lamotrigine.parameters.reference_range_low"),
    ("binding_constant_in_ng_per_mL", replace("drugs.yaml", "ki_s_ketamine: {value: 0.3, unit: uM",
                                              "ki_s_ketamine: {value: 71, unit: ng/mL"),
     "drugs.yaml", "ketamine.parameters.ki_s_ketamine"),
    ("rate_constant_as_a_time", replace("drugs.yaml", "absorption_rate_constant: {value: 1.5, unit: 1/h",
                                        "absorption_rate_constant: {value: 1.5, unit: h"),
     "drugs.yaml", "lamotrigine.parameters.absorption_rate_constant"),
    ("clearance_not_per_kg", replace("drugs.yaml", "clearance_meta: {value: 79.0, unit: L/h/70kg",
                                     "clearance_meta: {value: 79.0, unit: L/h"),
     "drugs.yaml", "ketamine.parameters.clearance_meta"),
    ("unit_misspelt", replace("drugs.yaml", "tmax: {value: 2.5, unit: h,", "tmax: {value: 2.5, unit: hrz,"),
     "drugs.yaml", "lamotrigine.parameters.tmax"),
    ("unknown_unit_on_free_parameter", replace("drugs.yaml", "iv_sbp_rise_peak: {value: 3.28, unit: mmHg",
                                               "iv_sbp_rise_peak: {value: 3.28, unit: furlongs"),
     "drugs.yaml", "ketamine.parameters.iv_sbp_rise_peak"),
    ("dose_per_kg_as_fraction", replace("drugs.yaml", "depression_dose: {value: 0.5, unit: mg/kg",
                                        "depression_dose: {value: 0.5, unit: fraction"),
     "drugs.yaml", "ketamine.parameters.depression_dose"),
    ("declared_kind_contradicts_unit", replace("drugs.yaml", LAM_HALF_LIFE,
                                               "half_life: {value: 25.4, unit: h, kind: fraction,"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    ("undeclared_kind", replace("drugs.yaml", LAM_HALF_LIFE, "half_life: {value: 25.4, unit: h, kind: duration,"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    # every value sane
    ("half_life_1e300", replace("drugs.yaml", LAM_HALF_LIFE, "half_life: {value: 1.0e+300, unit: h,"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    ("half_life_nan", replace("drugs.yaml", LAM_HALF_LIFE, "half_life: {value: .nan, unit: h,"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    ("clearance_inf", replace("drugs.yaml", "clearance_meta: {value: 79.0,", "clearance_meta: {value: .inf,"),
     "drugs.yaml", "ketamine.parameters.clearance_meta"),
    ("fraction_above_one", replace("drugs.yaml", "protein_binding: {value: 0.55,", "protein_binding: {value: 55,"),
     "drugs.yaml", "lamotrigine.parameters.protein_binding"),
    ("negative_concentration", replace("drugs.yaml", "dissociation_band_low: {value: 100.0,",
                                       "dissociation_band_low: {value: -100.0,"),
     "drugs.yaml", "ketamine.parameters.dissociation_band_low"),
    ("body_weight_700_kg", replace("drugs.yaml", "body_weight: {value: 70.0,", "body_weight: {value: 700.0,"),
     "drugs.yaml", "physiology.body_weight"),
    ("resting_potential_in_volts_as_mV", replace("drugs.yaml", "resting_potential: {value: -70.0,",
                                                 "resting_potential: {value: -70000.0,"),
     "drugs.yaml", "physiology.resting_potential"),
    ("range_low_above_value", replace("drugs.yaml", "tmax: {value: 2.5, unit: h, range: [1.4, 4.8]",
                                      "tmax: {value: 2.5, unit: h, range: [3.0, 4.8]"),
     "drugs.yaml", "lamotrigine.parameters.tmax"),
    ("range_high_below_value", replace("drugs.yaml", "range: [11.6, 61.6]", "range: [11.6, 16.6]"),
     "drugs.yaml", "lamotrigine.parameters.half_life"),
    ("range_with_nan", replace("drugs.yaml", "range: [11.6, 61.6]", "range: [.nan, 61.6]"),
     "drugs.yaml", "lamotrigine.parameters.half_life.range"),
    ("titration_dose_negative", replace("drugs.yaml", "{from_week: 1, to_week: 2, dose_mg: 25, every_days: 1",
                                        "{from_week: 1, to_week: 2, dose_mg: -25, every_days: 1"),
     "drugs.yaml", "lamotrigine.titration.standard.steps[0].dose_mg"),
    ("titration_dose_1e308", replace("drugs.yaml", "{from_week: 1, to_week: 2, dose_mg: 25, every_days: 1",
                                     "{from_week: 1, to_week: 2, dose_mg: 1e308, every_days: 1"),
     "drugs.yaml", "lamotrigine.titration.standard.steps[0].dose_mg"),
    ("quiz_tolerance_nan", replace("quizzes.yaml", "tolerance: 0.005", "tolerance: .nan"),
     "quizzes.yaml", "neuro_mg_block_rest"),
    ("quiz_tolerance_negative", replace("quizzes.yaml", "tolerance: 0.005", "tolerance: -0.005"),
     "quizzes.yaml", "neuro_mg_block_rest"),
    ("quiz_tolerance_zero_on_decimal", replace("quizzes.yaml", "tolerance: 0.005", "tolerance: 0"),
     "quizzes.yaml", "neuro_mg_block_rest"),
    ("quiz_answer_inf", replace("quizzes.yaml", "answer: 0.044", "answer: .inf"),
     "quizzes.yaml", "neuro_mg_block_rest"),
    ("lesson_minutes_zero", replace("lessons.yaml", "minutes: 10", "minutes: 0"),
     "lessons.yaml", "00_start_here"),
    ("study_n_huge", replace("studies.yaml", "    n: 16", "    n: 1000000000000"),
     "studies.yaml", "studies[0]"),
    ("reference_year_3000", replace("references.yaml", "    year: 2021\n", "    year: 3000\n"),
     "references.yaml", "lamictal_label"),
    # cross-file rules
    ("duplicate_lesson_id", replace("lessons.yaml", "  - id: 01_neurons_and_synapses", "  - id: 00_start_here"),
     "lessons.yaml", "lesson 00_start_here"),
    ("requires_unknown_lesson", replace("lessons.yaml", "requires: [00_start_here]", "requires: [00_start]"),
     "lessons.yaml", "lesson 01_neurons_and_synapses"),
    ("lesson_without_notebook", append("lessons.yaml", "  - id: 99_pharmacogenomics\n    title: \"Genes\"\n"
                                       "    minutes: 30\n    objectives: [\"x\"]\n    requires: []\n"),
     "lessons.yaml", "lesson 99_pharmacogenomics"),
    ("drug_node_without_entry", replace("mechanisms.yaml", "  - {id: ketamine, label: Ketamine,",
                                        NEW_DRUG_NODE + "  - {id: ketamine, label: Ketamine,"),
     "mechanisms.yaml", "node riluzole"),
    ("drug_entry_without_node", replace("drugs.yaml", "\n# Physiology constants",
                                        "\n  memantine:\n    name: Memantine\n    drug_class: NMDA antagonist\n"
                                        "    summary: An entry with no node.\n    parameters: {}\n"
                                        "\n# Physiology constants"),
     "drugs.yaml", "memantine"),
    ("multiple_choice_two_answers", replace("quizzes.yaml", "id: neuro_nav_states\n    lesson: 01_neurons_and_synapses\n"
                                            "    type: multiple_choice",
                                            "id: neuro_nav_states\n    lesson: 01_neurons_and_synapses\n"
                                            "    type: multiple_select"),
     "quizzes.yaml", "question neuro_nav_states"),
    ("multiple_select_answer_twice", replace("quizzes.yaml", "answer: [a, b, c]", "answer: [a, b, b]"),
     "quizzes.yaml", "question start_every_number"),
    ("multiple_select_all_correct", replace("quizzes.yaml", "answer: [a, b, c]", "answer: [a, b, c, d]"),
     "quizzes.yaml", "question start_every_number"),
    ("quiz_answer_not_an_option", replace("quizzes.yaml", "answer: [a, b, c]", "answer: [a, b, e]"),
     "quizzes.yaml", "question start_every_number"),
    ("printed_range_removed", replace("drugs.yaml", "range: [41.9, 113.5], ", ""),
     "drugs.yaml", "lamotrigine.parameters.half_life_with_valproate"),
    ("protein_binding_removed", replace("drugs.yaml", "protein_binding: {value: 0.55,", "protein_bound: {value: 0.55,"),
     "drugs.yaml", "lamotrigine.parameters.protein_binding"),
    ("pk_model_unknown", replace("drugs.yaml", "pk_model: oral_one_compartment", "pk_model: oral_two_compartment"),
     "drugs.yaml", "lamotrigine.pk_model"),
    ("pk_model_missing_parameter", replace("drugs.yaml", "pk_model: iv_two_compartment", "pk_model: oral_one_compartment"),
     "drugs.yaml", "ketamine.pk_parameters"),
    ("pk_parameter_points_nowhere", replace("drugs.yaml", "{bioavailability: oral_bioavailability}",
                                            "{bioavailability: oral_bioavailabilty}"),
     "drugs.yaml", "lamotrigine.pk_parameters.bioavailability"),
    ("comedication_swaps_wrong_kind", replace("drugs.yaml", "{half_life: half_life_with_valproate}",
                                              "{half_life: valproate_concentration_fold}"),
     "drugs.yaml", "lamotrigine.comedications.valproate.half_life"),
    ("comedication_titration_unknown", replace("drugs.yaml", "titration: valproate}", "titration: valproat}"),
     "drugs.yaml", "lamotrigine.comedications.valproate"),
    ("duplicate_yaml_key", replace("drugs.yaml", "      tmax: {value: 2.5,", "      half_life: {value: 2.5,"),
     "drugs.yaml", "line"),
    # hostile files
    ("yaml_alias_bomb", write_bytes("references.yaml", ALIAS_BOMB.encode()), "references.yaml", "line 1"),
    ("non_utf8_byte", insert_bytes("drugs.yaml", "name: Lamotrigine", b"\xff"), "drugs.yaml", "line "),
    ("file_too_large", append("claims.yaml", "# " + "x" * 2_100_000 + "\n"), "claims.yaml", "(file)"),
    ("python_object_tag", replace("drugs.yaml", "name: Lamotrigine", "name: !!python/object/apply:os.system [ls]"),
     "drugs.yaml", "line"),
    ("huge_value_of_wrong_type", replace("lessons.yaml", "minutes: 10", "minutes: \"" + "9" * 50_000 + "\""),
     "lessons.yaml", "lessons[0] (00_start_here).minutes"),
    ("nesting_bomb", write_bytes("studies.yaml", b"[" * 20000 + b"]" * 20000), "studies.yaml", "line 1"),
    ("top_level_is_a_list", write_bytes("studies.yaml", b"- just\n- a list\n"), "studies.yaml", "(top level)"),
    ("empty_file", write_bytes("mechanisms.yaml", b""), "mechanisms.yaml", "(file)"),
    ("tab_indentation", replace("references.yaml", "  lamictal_label:\n", "\tlamictal_label:\n"),
     "references.yaml", "line"),
]


@pytest.fixture
def broken(tmp_path: Path, request) -> tuple[Path, str, str]:
    _, mutate, file, entry = request.param
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    mutate(folder)
    return folder, file, entry


@pytest.mark.parametrize("broken", MUTATIONS, ids=[m[0] for m in MUTATIONS], indirect=True)
def test_check_data_refuses_the_mutation(broken, capsys):
    folder, file, entry = broken
    assert main(["check-data", "--data-dir", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.startswith(f"  - {file}: ")]
    assert any(entry in ln for ln in lines), f"no line names {file} and {entry!r}:\n{err}"
    assert f" in {folder.resolve()}:" in err, "the header does not name the folder checked"
    assert all(len(ln) <= 600 for ln in err.splitlines()), "a message line is too long"
    with pytest.raises(data.DataError):
        data.load(folder)


def test_there_are_at_least_40_distinct_mutations():
    ids = [m[0] for m in MUTATIONS]
    assert len(set(ids)) == len(ids) >= 40


@pytest.mark.parametrize("broken", [m for m in MUTATIONS if m[0] in (
    "yaml_alias_bomb", "non_utf8_byte", "half_life_nan", "volume_in_L_not_L_per_kg")],
    ids=lambda m: m[0], indirect=True)
def test_from_the_shell_exit_1_and_no_traceback(broken):
    folder, file, entry = broken
    run = subprocess.run([sys.executable, "-m", "mechlib", "check-data", "--data-dir", str(folder)],
                         capture_output=True, text=True, check=False, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    assert file in run.stderr and entry in run.stderr


@pytest.mark.parametrize("broken", [MUTATIONS[0]], ids=["half_life_in_L_per_kg"], indirect=True)
def test_other_commands_exit_1_on_invalid_data_in_one_line(broken, capsys):
    folder, _, _ = broken
    assert main(["--data-dir", str(folder), "pk", "lamotrigine", "--dose-mg", "100"]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "check-data" in err


# --------------------------------------------------------------------------- what is allowed


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def test_a_half_life_in_minutes_is_converted(tmp_path):
    folder = _copy(tmp_path)
    replace("drugs.yaml", "half_life: {value: 25.4, unit: h, range: [11.6, 61.6]",
            "half_life: {value: 1524, unit: min, range: [696, 3696]")(folder)
    p = data.load(folder).drug("lamotrigine").param("half_life")
    assert (p.value, p.unit) == (1524, "min")  # the screen keeps the file's unit
    assert p.internal == pytest.approx(25.4) and p.internal_unit == "h"  # the models get hours
    assert p.range_in_unit("h") == pytest.approx((11.6, 61.6))


def test_optional_fields_are_optional_for_the_consumers(tmp_path, monkeypatch):
    """A parameter's ``range`` is optional where no lesson prints it: the explorer that shows
    the half-life copes without one (the data rule asks for the ranges the notebooks print)."""
    folder = _copy(tmp_path)
    replace("drugs.yaml", "range: [11.6, 61.6], ", "")(folder)
    from mechlib.data import rules

    monkeypatch.setitem(rules.REQUIRED_RANGES, "lamotrigine", ())
    monkeypatch.setenv("MECHLIB_DATA_DIR", str(folder))
    from mechlib import explorers

    frame = explorers.get("lamotrigine_pk").render_values()
    assert "Half-life used: 25.4 h (Lamictal label" in frame.readout


def test_a_comedication_is_data_with_its_reference():
    """The oestrogen-containing contraceptive entry in drugs.yaml: no code names it, yet pk and
    the lamotrigine explorer use it, the steady state scaled by the cited concentration change."""
    from mechlib import explorers
    from mechlib.models import pk

    lam = data.load().drug("lamotrigine")
    com = lam.comedication("oestrogen_contraceptive")
    change = lam.param(com.pk_parameters["concentration_change"])
    assert change.reference in data.load().references
    sched = pk.regular_schedule(200, 24, 28)
    with_pill = pk.oral_profile(sched, comedication="oestrogen_contraceptive").css_avg
    assert with_pill == pytest.approx(pk.oral_profile(sched).css_avg * (1 + change.value))
    choices = [v for _, v in explorers.get("lamotrigine_pk").controls[0].options]
    assert choices == ["none", *lam.comedications]
