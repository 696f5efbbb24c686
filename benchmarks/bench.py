"""Speed of the suite, as medians and ratios: ``make bench`` (or ``python benchmarks/bench.py``).

Each case is a function returning rows ``(name, median_ms, baseline_ms | None, budget)``.
``--quick`` runs every case once with no budget verdicts, so a test can keep this script from
rotting. Results also go to ``benchmarks/results.json`` (not committed) for comparing runs.

The budget lives in ``docs/performance.md``; this script measures, it does not assert.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, "float | None", str]
CASES: list[Callable[[int], list[Row]]] = []


def case(func: Callable[[int], list[Row]]) -> Callable[[int], list[Row]]:
    """Register a benchmark case (a function of the repetition count)."""
    CASES.append(func)
    return func


def median_ms(func: Callable[[], object], repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``func()`` in milliseconds over ``repeat`` runs after ``warmup``."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


# --------------------------------------------------------------------------- cases


@case
def data_load(repeat: int) -> list[Row]:
    from mechlib import data

    def cold() -> None:
        data._load_cached.cache_clear()
        data.load()

    return [("load data/ (cold, no cache)", median_ms(cold, repeat), None, "< 100 ms")]


@case
def pk_lamotrigine_28_days(repeat: int) -> list[Row]:
    """One 28-day daily lamotrigine curve at 10-minute resolution; the bare baseline is one
    numpy exp over the same (times x doses) grid, the least any superposition must do."""
    import numpy as np

    from mechlib import pk

    schedule = pk.regular_schedule(200, every_h=24, days=28)
    t_h = np.arange(0, 28 * 24 + 1e-9, 1 / 6)
    dt = t_h[:, None] - np.array([t for t, _ in schedule])[None, :]
    return [("pk: lamotrigine 28 days daily, 10-min grid",
             median_ms(lambda: pk.oral_profile(schedule, t_h=t_h), repeat),
             median_ms(lambda: np.exp(-0.03 * np.maximum(dt, 0)), repeat), "< 10 ms")]


# --------------------------------------------------------------------------- report


def run(quick: bool = False) -> list[dict]:
    repeat = 1 if quick else 15
    results = []
    for c in CASES:
        for name, med, base, budget in c(repeat):
            results.append({
                "case": name, "median_ms": round(med, 2),
                "baseline_ms": None if base is None else round(base, 2),
                "ratio": None if not base else round(med / base, 2),
                "budget": budget,
            })
    return results


def print_table(results: list[dict]) -> None:
    header = f"{'case':58} {'median ms':>10} {'bare ms':>9} {'ratio':>6}  budget"
    print(header)
    print("-" * len(header))
    for r in results:
        base = "" if r["baseline_ms"] is None else f"{r['baseline_ms']:.1f}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.2f}"
        print(f"{r['case']:58} {r['median_ms']:>10.1f} {base:>9} {ratio:>6}  {r['budget']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, for the smoke test")
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results.json"))
    args = parser.parse_args(argv)
    results = run(quick=args.quick)
    print_table(results)
    Path(args.out).write_text(json.dumps({"quick": args.quick, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
