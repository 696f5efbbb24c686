"""A third drug added in a copy of ``data/`` only (tests/fixtures/memantine) works everywhere:
check-data, diagram, explain, pk, every explorer sweep, and (marked ``fixture_notebooks``) a
fresh run of every lesson notebook pointed at the fixture with ``MECHLIB_DATA_DIR``.

Nothing here names the fixture drug in library code: it all comes from the data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from mechlib import data
from mechlib.cli import main

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_drug import build  # noqa: E402  (tests/ is not a package)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fixture_dir(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fixture") / "data")


def test_check_data_accepts_the_third_drug(fixture_dir, capsys):
    assert main(["check-data", "--data-dir", str(fixture_dir)]) == 0
    assert "3 drugs" in capsys.readouterr().out
    p = data.load(fixture_dir).drug("memantine").param("half_life")
    assert (p.value, p.unit, p.internal, p.internal_unit) == (4200, "min", 70.0, "h")


def test_pk_uses_the_declared_model_and_the_converted_half_life(fixture_dir, capsys):
    argv = ["--data-dir", str(fixture_dir), "pk", "memantine", "--dose-mg", "10",
            "--every-h", "12", "--days", "56", "--json"]
    assert main(argv) == 0
    s = json.loads(capsys.readouterr().out)["summary"]
    assert s["half_life_h"] == 70.0
    # one compartment at steady state: F * dose / (CL * tau), CL = ln2 / t_half * V
    import math

    cl = math.log(2) / 70.0 * 10.0 * 70
    assert s["css_avg"] == pytest.approx(1.0 * 10 / (cl * 12), rel=1e-3)


def test_pk_on_a_drug_without_a_model_names_the_models_and_parameters(tmp_path, capsys):
    import yaml

    folder = build(tmp_path / "data")
    doc = yaml.safe_load((folder / "drugs.yaml").read_text(encoding="utf-8"))
    doc["drugs"]["memantine"]["pk_model"] = "none"
    (folder / "drugs.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    assert main(["--data-dir", str(folder), "pk", "memantine", "--dose-mg", "10"]) == 2
    err = capsys.readouterr().err
    assert "no PK model" in err and "oral_one_compartment (needs parameters: bioavailability" in err


def test_diagram_and_explain_with_three_drugs(fixture_dir, tmp_path, capsys):
    out = tmp_path / "c.svg"
    argv = ["--data-dir", str(fixture_dir), "diagram", "combined", "--drug", "memantine",
            "--drug", "ketamine", "--drug", "lamotrigine", "--out", str(out)]
    assert main(argv) == 0 and out.stat().st_size > 1000
    assert main(["--data-dir", str(fixture_dir), "diagram", "nmda_receptor", "--drug",
                 "memantine", "--describe"]) == 0
    assert "Memantine" in capsys.readouterr().out
    assert main(["--data-dir", str(fixture_dir), "explain", "--drug", "memantine", "--drug",
                 "ketamine", "--node", "nmda_receptor"]) == 0
    text = capsys.readouterr().out
    assert "memantine and ketamine on NMDA receptor: concordant" in text
    assert "memantine on NMDA receptor: decrease" in text
    assert main(["--data-dir", str(fixture_dir), "explain", "--drug", "memantine", "--drug",
                 "ketamine", "--drug", "lamotrigine", "--node", "glutamate_surge", "--json"]) == 0
    pairs = json.loads(capsys.readouterr().out)["interactions"]
    assert sorted(sorted(p["drugs"]) for p in pairs) == [["ketamine", "lamotrigine"],
                                                        ["ketamine", "memantine"],
                                                        ["lamotrigine", "memantine"]]
    assert all(p["verdict"] for p in pairs)


_SWEEP = """
import json, re
from mechlib import explorers
done, drugs = 0, None
for name in sorted(explorers.REGISTRY):
    ex = explorers.get(name)
    for values in ex.sweep():
        frame = ex.render_values(**values)
        assert frame.readout.strip() and frame.description.strip(), (name, values)
        assert not re.search(r"\\bnan\\b|\\binf\\b", frame.readout, re.I), (name, values)
        if frame.figure is not None:
            explorers.close_figure(frame.figure)
        done += 1
    for c in ex.controls:
        if name == "mechanism_explorer" and c.name == "drugs":
            drugs = [v for _, v in c.options]
three = explorers.get("mechanism_explorer").render_values()
print(json.dumps({"frames": done, "drugs": drugs, "readout": three.readout}))
"""


def test_every_explorer_sweeps_with_the_third_drug(fixture_dir):
    env = {**os.environ, "MECHLIB_DATA_DIR": str(fixture_dir), "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, "-c", _SWEEP], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["drugs"] == ["lamotrigine", "ketamine", "memantine"]  # the toggles come from data
    assert out["frames"] > 50
    # the verdict for three drugs: every pair, then each drug alone
    readout = out["readout"]
    assert "Lamotrigine with Ketamine" in readout and "Ketamine with Memantine" in readout
    assert "Memantine alone on" in readout


@pytest.mark.fixture_notebooks
def test_every_notebook_runs_on_the_fixture_data(fixture_dir, monkeypatch):
    """A fresh run of every lesson, two at a time, with the kernel reading the fixture data.

    No output comparison: the outputs of a three-drug data set differ from the saved ones.
    """
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("MECHLIB_DATA_DIR", str(fixture_dir))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

    def execute(path: Path) -> str:
        nb = nbformat.read(path, as_version=4)
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        return path.name

    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(execute, paths))
    assert done == [p.name for p in paths] and len(done) >= 9
