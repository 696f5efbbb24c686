"""``python -m mechlib diagram`` and ``explain``: files for slides, cited verdicts, exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from mechlib import data, reasoning
from mechlib.cli import main

ROOT = Path(__file__).resolve().parent.parent
MAGIC = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}


@pytest.mark.parametrize("ext", sorted(MAGIC))
def test_diagram_writes_each_format_and_nothing_else(tmp_path, capsys, ext):
    out = tmp_path / f"combined.{ext}"
    argv = ["diagram", "combined", "--drug", "lamotrigine", "--drug", "ketamine", "--out", str(out)]
    assert main(argv) == 0
    assert out.read_bytes().startswith(MAGIC[ext])
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind
    assert str(out) in capsys.readouterr().out


def test_diagram_describe_prints_markdown(capsys):
    assert main(["diagram", "nmda_receptor", "--drug", "ketamine", "--describe"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## The NMDA receptor") and "- Verdicts with ketamine" in out


def test_established_only_changes_the_description(capsys):
    main(["diagram", "combined", "--describe"])
    full = capsys.readouterr().out
    main(["diagram", "combined", "--describe", "--established-only"])
    established = capsys.readouterr().out
    assert "hypothesis;" in full and "hypothesis;" not in established


@pytest.mark.parametrize("argv, message", [
    (["diagram", "combined", "--out", "{tmp}/x.jpg"], "unsupported file type '.jpg'"
     " for '{tmp}/x.jpg'; allowed: .pdf, .png, .svg"),
    (["diagram", "brain", "--out", "{tmp}/x.png"], "unknown view 'brain'; allowed: sodium_channel, "
     "glutamate_synapse, nmda_receptor, ketamine_cascade, combined"),
    (["diagram", "sodium_channel", "--drug", "ketamine", "--out", "{tmp}/x.png"],
     "drug 'ketamine' is not in view 'sodium_channel'; allowed: lamotrigine"),
    (["diagram", "combined", "--out", "{tmp}/missing/x.png"], "does not exist"),
    (["explain", "--drug", "aspirin", "--node", "bdnf"], "allowed: lamotrigine, ketamine"),
    (["explain", "--drug", "ketamine", "--node", "liver"], "unknown node 'liver'"),
    (["explain", "--drug", "ketamine", "--drug", "lamotrigine", "--drug", "ketamine",
      "--node", "bdnf"], "--drug ketamine is given twice; give each drug once"),
])
def test_bad_input_exits_2_with_the_message_and_writes_nothing(tmp_path, capsys, argv, message):
    argv = [a.format(tmp=tmp_path) for a in argv]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message.format(tmp=tmp_path) in captured.err
    assert list(tmp_path.iterdir()) == []


def test_a_failing_write_leaves_no_partial_file(tmp_path, monkeypatch):
    def broken(self, f, **kw):
        f.write(b"partial")
        raise RuntimeError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        main(["diagram", "combined", "--out", str(tmp_path / "x.png")])
    assert list(tmp_path.iterdir()) == []


def test_argparse_errors_exit_2_from_the_shell(tmp_path):
    run = subprocess.run([sys.executable, "-m", "mechlib", "diagram", "combined"], cwd=tmp_path,
                         capture_output=True, text=True, env={"PYTHONPATH": str(ROOT)})
    assert run.returncode == 2 and "--out" in run.stderr and "--describe" in run.stderr
    run = subprocess.run([sys.executable, "-m", "mechlib", "diagram", "brain", "--out",
                          str(tmp_path / "x.svg")], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT)})
    assert run.returncode == 2 and "unknown view 'brain'" in run.stderr
    assert not (tmp_path / "x.svg").exists()


def test_explain_json_has_verdict_and_cited_paths(capsys):
    assert main(["explain", "--drug", "lamotrigine", "--node", "glutamate_release", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "decrease"
    keys = set(data.load().references)
    for p in out["paths"]:
        assert {"nodes", "signs", "references", "sentence"} <= set(p)
        assert set(p["references"]) <= keys and p["nodes"][0] == "lamotrigine"


def test_explain_two_drugs_adds_the_interaction(capsys):
    argv = ["explain", "--drug", "ketamine", "--drug", "lamotrigine", "--node",
            "antidepressant_effect", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    expected = reasoning.interaction("ketamine", "lamotrigine", "antidepressant_effect")
    assert out["interaction"]["verdict"] == expected.verdict
    assert out["interaction"]["meeting"] == list(expected.meeting)
    assert "synergy" in out["interaction"]["note"]
    assert main(argv + ["--established-only"]) == 0
    assert json.loads(capsys.readouterr().out)["interaction"]["verdict"] == "independent"


def test_explain_text_lists_the_paths(capsys):
    assert main(["explain", "--drug", "ketamine", "--node", "dissociation"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ketamine on Dissociation: increase (every path of known sign raises "
                          "it), 2 paths")
    assert "Bowdle 1998" in out
