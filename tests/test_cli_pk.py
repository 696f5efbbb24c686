"""``python -m mechlib pk``: JSON and text output, and exit 2 with nothing written on bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mechlib import data
from mechlib.cli import main

LTG = data.load().drug("lamotrigine")
KET = data.load().drug("ketamine")


def run_json(capsys, *argv: str) -> dict:
    assert main(["pk", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_lamotrigine_json(capsys):
    out = run_json(capsys, "lamotrigine", "--dose-mg", "200", "--every-h", "24", "--days", "28")
    assert len(out["t_h"]) == len(out["conc_mg_per_L"]) > 28 * 24 * 6
    s = out["summary"]
    assert {"cmax", "tmax_h", "trough", "css_avg", "half_life_h"} <= set(s)
    assert s["half_life_h"] == LTG.param("half_life").value
    low, high = (LTG.param(n).value for n in ("reference_range_low", "reference_range_high"))
    assert low <= s["css_avg"] <= high
    assert "not dosing advice" in out["note"]


def test_lamotrigine_valproate_json(capsys):
    base = run_json(capsys, "lamotrigine", "--dose-mg", "200")
    vpa = run_json(capsys, "lamotrigine", "--dose-mg", "200", "--comedication", "valproate")
    assert vpa["summary"]["half_life_h"] == LTG.param("half_life_with_valproate").value
    assert vpa["summary"]["css_avg"] > 2 * base["summary"]["css_avg"]


def test_ketamine_json(capsys):
    out = run_json(capsys, "ketamine", "--route", "iv", "--mg-per-kg", "0.5",
                   "--infusion-min", "40", "--weight-kg", "70")
    assert len(out["conc_ng_per_mL"]) == len(out["conc_mg_per_L"]) == len(out["t_h"])
    peak = KET.param("depression_peak_concentration").value
    assert max(out["conc_ng_per_mL"]) == pytest.approx(peak, rel=0.10)
    assert out["summary"]["css_avg"] is None
    assert out["summary"]["tmax_h"] == pytest.approx(40 / 60, abs=0.02)


def test_ketamine_intranasal_text(capsys):
    assert main(["pk", "ketamine", "--route", "intranasal", "--dose-mg", "56"]) == 0
    out = capsys.readouterr().out
    assert "ng/mL" in out and "intranasal" in out and "not dosing advice" in out


def test_lamotrigine_text(capsys):
    assert main(["pk", "lamotrigine", "--dose-mg", "200", "--every-h", "24", "--days", "28"]) == 0
    out = capsys.readouterr().out
    assert "mg/L" in out and "steady-state average" in out and "Teaching model" in out


@pytest.mark.parametrize("argv, words", [
    (["lamotrigine", "--dose-mg", "-5"], ["dose_mg", "> 0"]),
    (["lamotrigine", "--dose-mg", "nan"], ["dose_mg", "finite"]),
    (["lamotrigine", "--dose-mg", "100", "--every-h", "0"], ["every_h", "> 0"]),
    (["lamotrigine"], ["--dose-mg"]),
    (["lamotrigine", "--dose-mg", "100", "--comedication", "grapefruit"],
     ["comedication", "valproate"]),
    (["lamotrigine", "--dose-mg", "100", "--weight-kg", "400"], ["weight_kg", "1 and 300"]),
    (["aspirin", "--dose-mg", "100"], ["drug", "ketamine, lamotrigine"]),
    (["ketamine", "--route", "rectal", "--dose-mg", "10"], ["route", "intranasal, iv, oral"]),
    (["ketamine", "--mg-per-kg", "0.5", "--comedication", "valproate"], ["comedication"]),
    (["ketamine", "--mg-per-kg", "0.5", "--weight-kg", "0"], ["weight_kg", "1 and 300"]),
])
def test_bad_input_exits_2_and_writes_nothing(capsys, argv, words):
    assert main(["pk", *argv, "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    for w in words:
        assert w in captured.err


def test_module_entry_point_exits_2():
    proc = subprocess.run([sys.executable, "-m", "mechlib", "pk", "lamotrigine", "--dose-mg",
                           "-1"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "dose_mg" in proc.stderr
