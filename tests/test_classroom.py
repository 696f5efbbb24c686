"""The classroom load test at N=3: a real JupyterHub on 127.0.0.1, three learners, a clean teardown.

No timing is asserted (the figures of the full N=30 run are in docs/performance.md); the test
asserts that every learner logged in, spawned, pulled the lessons with nbgitpuller, ran every cell
of the lesson, moved the explorer in the burst, and that no process of the run is left.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSON = "08_mechanism_explorer"
STUDENTS, UPDATES = 3, 2


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom") / "classroom.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "classroom.py"), "--students", str(STUDENTS),
         "--window", "3", "--updates", str(UPDATES), "--lesson", LESSON, "--deadline", "500",
         "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert out.exists(), proc.stderr[-3000:]
    return proc.returncode, json.loads(out.read_text()), proc.stdout


def test_zero_errors(report):
    code, r, _ = report
    assert r["errors"] == []
    assert code == 0


def test_every_learner_did_everything(report):
    _, r, table = report
    nb = nbformat.read(ROOT / "notebooks" / f"{LESSON}.ipynb", as_version=4)
    code_cells = sum(c.cell_type == "code" for c in nb.cells)
    for step in ("login_s", "spawn_s", "pull_s"):
        assert r[step]["n"] == STUDENTS, step
    assert r["cell_s"]["n"] == STUDENTS * code_cells
    assert r["update_s"]["n"] == STUDENTS * UPDATES
    memory = r["per_learner"]["peak_rss_mb"]
    assert memory["server"]["mean"] > 0 and memory["kernel"]["mean"] > 0
    assert r["per_learner"]["cpu_s"]["kernel"]["mean"] > 0
    assert "| explorer update p50 / p95 (burst) |" in table


def test_clean_teardown(report):
    _, r, _ = report
    assert r["leftover_processes"] == []
    left = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("CLASSROOM_RUN") == r["run_id"]:
                left.append(p.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    assert left == []
