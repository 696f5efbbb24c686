"""``python -m mechlib population``: summary, JSON, CSV export, and exit 2 with nothing written."""

from __future__ import annotations

import csv
import json

import pytest

from mechlib import data
from mechlib.cli import main


def test_lamotrigine_json_and_reproducible(capsys):
    argv = ["population", "lamotrigine", "--dose-mg", "200", "--n", "300", "--seed", "3", "--json"]
    assert main(argv) == 0
    a = json.loads(capsys.readouterr().out)
    assert main(argv) == 0
    assert json.loads(capsys.readouterr().out) == a
    hl = data.load().drug("lamotrigine").param("half_life")
    assert hl.range[0] < a["half_life_h"]["median"] < hl.range[1]
    assert a["n"] == 300 and abs(sum(a["shares"].values()) - 1) < 1e-3
    assert "Not dosing advice" in a["note"]


def test_valproate_doubles_the_median_trough(capsys):
    def trough(*extra):
        assert main(["population", "lamotrigine", "--dose-mg", "100", "--days", "42", "--json",
                     *extra]) == 0
        return json.loads(capsys.readouterr().out)["trough_mg_per_L"]["median"]

    assert 1.7 < trough("--comedication", "valproate") / trough() < 2.8


def test_ketamine_text_and_csv(capsys, tmp_path):
    out = tmp_path / "class.csv"
    assert main(["population", "ketamine", "--mg-per-kg", "0.5", "--n", "50", "--csv", str(out)]) == 0
    text = capsys.readouterr().out
    assert "ng/mL" in text and "wrote 50 patients" in text
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 50 and "cmax_mg_per_L" in rows[0] and "trough_mg_per_L" not in rows[0]


@pytest.mark.parametrize("argv, words", [
    (["lamotrigine"], ["--dose-mg"]),
    (["lamotrigine", "--dose-mg", "-5"], ["dose_mg", "> 0"]),
    (["lamotrigine", "--dose-mg", "100", "--n", "0"], ["n must be", "1 to 10000"]),
    (["lamotrigine", "--dose-mg", "100", "--seed", "-1"], ["seed"]),
    (["lamotrigine", "--dose-mg", "100", "--comedication", "grapefruit"], ["comedication", "valproate"]),
    (["aspirin", "--dose-mg", "100"], ["drug", "ketamine, lamotrigine"]),
    (["ketamine", "--route", "rectal", "--dose-mg", "10"], ["route", "intranasal, iv, oral"]),
    (["ketamine", "--route", "intranasal"], ["needs dose_mg"]),
    (["ketamine", "--dose-mg", "30"], ["--mg-per-kg"]),
    (["ketamine", "--comedication", "valproate"], ["lamotrigine only"]),
    (["lamotrigine", "--dose-mg", "100", "--csv", "/no/such/folder/x.csv"], ["--csv"]),
])
def test_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, argv, words):
    assert main(["population", *argv, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: ") and captured.err.count("\n") == 1
    for w in words:
        assert w in captured.err, (w, captured.err)


def test_bad_input_leaves_no_csv(capsys, tmp_path):
    out = tmp_path / "x.csv"
    assert main(["population", "lamotrigine", "--dose-mg", "0", "--csv", str(out)]) == 2
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_the_csv_follows_the_umask_and_leaves_no_temporary_file(tmp_path):
    import os

    old = os.umask(0o027)
    try:
        out = tmp_path / "class.csv"
        assert main(["population", "lamotrigine", "--dose-mg", "100", "--n", "20", "--csv", str(out)]) == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["class.csv"]
