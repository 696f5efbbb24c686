"""The benchmark script runs (quick mode: one repetition, no budget verdicts), so it cannot rot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_quick_mode_prints_the_table_and_writes_json(tmp_path):
    out = tmp_path / "results.json"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick",
                          "--out", str(out)], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    results = json.loads(out.read_text())["results"]
    cases = [r["case"] for r in results]
    for expected in ("load data/", "import mechlib", "pk: lamotrigine", "reasoning:", "explorer ",
                     "notebook ", "notebooks, all together"):
        assert any(c.startswith(expected) for c in cases), (expected, cases)
    assert all(r["median_ms"] > 0 for r in results if "(count)" not in r["case"])
    crossings = [r for r in results if r["case"].endswith("edge crossings (count)")]
    assert len(crossings) == 5 and all(r["median_ms"] >= 0 for r in crossings)
    for r in results:
        assert r["case"] in run.stdout
