"""Speed of the suite, as medians and ratios: ``make bench`` (or ``python benchmarks/bench.py``).

Each case is a function returning rows ``(name, median_ms, baseline_ms | None, budget)``.
``--quick`` runs every case once with no budget verdicts, so a test can keep this script from
rotting. Results also go to ``benchmarks/results.json`` (not committed) for comparing runs.

The budget lives in ``docs/performance.md``; this script measures, it does not assert.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, "float | None", str]
CASES: list[Callable[[int], list[Row]]] = []
#: The third-party modules mechlib.draw and the modules it uses import (see their import lines).
DRAW_DEPENDENCIES = ("matplotlib.figure, matplotlib.backends.backend_agg, networkx, numpy, yaml")


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
        data.loader._load_cached.cache_clear()
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


@case
def population_lamotrigine_28_days(repeat: int) -> list[Row]:
    """1,000 virtual patients x 28 days of daily lamotrigine (issue 15): sampling, every curve
    and the five percentile bands, at the lessons' hourly resolution and at 10 minutes. The
    baseline is one numpy exp over the same patients x time points, the least any closed form
    must do."""
    import numpy as np

    from mechlib import pk
    from mechlib.models import population

    schedule = pk.regular_schedule(200, every_h=24, days=28)
    rows = []
    for label, step in (("hourly", 1.0), ("10-min", 1 / 6)):
        t_h = np.arange(0, 29 * 24 + 1e-9, step)
        k = np.linspace(0.01, 0.1, 1000)[:, None]

        def run(t_h=t_h) -> None:
            population.lamotrigine_population(schedule, n=1000, seed=0, t_h=t_h).percentiles()

        budget = "< 100 ms" if step == 1.0 else "(for comparison)"
        bare = median_ms(lambda k=k, t_h=t_h: np.exp(-k * t_h), repeat)
        rows.append((f"population: 1,000 x 28 d lamotrigine + bands, {label}",
                     median_ms(run, repeat), bare, budget))
    return rows


@case
def explorer_warm_up(repeat: int) -> list[Row]:
    """What an explorer computes ahead when its widget is shown (``Explorer.warm``: lesson 02's
    ten 84-day courses of 1,000 patients), from a cold data/ load; the baseline is the cold load
    alone. Its changes then read these (the callback rows below)."""
    from mechlib import data, explorers

    def cold_load() -> None:
        data.loader._load_cached.cache_clear()
        data.load()

    rows = []
    for name, ex in sorted(explorers.REGISTRY.items()):
        if ex.warm is not None:
            def warm(ex=ex) -> None:
                cold_load()
                with data.held():
                    ex.warm()

            rows.append((f"explorer {name}: warm-up when shown, incl. a cold data load",
                         median_ms(warm, max(1, repeat // 4)), median_ms(cold_load, repeat),
                         "< 1000 ms (once per widget)"))
    return rows


@case
def units_at_load_not_in_callbacks(repeat: int) -> list[Row]:
    """What pint costs: building the registry and converting every parameter happen once, at
    load; a label's unit conversion in a callback is a cached factor (no pint), beside a plain
    attribute read."""
    from mechlib import data
    from mechlib.data import units

    ds = data.load()
    params = [p for d in ds.drugs.values() for p in d.parameters.values()]
    params += list(ds.physiology.values())

    def convert_all() -> None:
        units.registry.cache_clear()
        units._parse.cache_clear()
        units.factor.cache_clear()
        for p in params:
            units.convert(p.name, p.value, p.unit)

    band = ds.drug("ketamine").param("dissociation_band_low")
    band.in_unit("ng/mL")
    return [
        (f"units: pint registry + convert all {len(params)} parameters (once per load)",
         median_ms(convert_all, repeat), None, "< 100 ms"),
        ("units: Parameter.in_unit in a callback vs plain attribute (x1000)",
         median_ms(lambda: [band.in_unit("ng/mL") for _ in range(1000)], repeat),
         median_ms(lambda: [band.value for _ in range(1000)], repeat), "< 1 ms"),
    ]


_PK_YEAR = """
import resource, sys, time
from mechlib.models import pk
pk.oral_profile(pk.regular_schedule(200, 24, 2))  # data loaded, imports done
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
p = pk.oral_profile(pk.regular_schedule(200, every_h=1, days=365))
ms = (time.perf_counter() - t0) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(ms, peak / 1024, (peak - base) / 1024, len(p.t_h))
"""


@case
def pk_lamotrigine_year_hourly(repeat: int) -> list[Row]:
    """A year of hourly lamotrigine doses (8760 doses, 52 699 time points) in a fresh process:
    wall time of the model and the process's peak resident memory (RSS)."""
    runs = []
    for _ in range(max(1, min(repeat, 3))):
        out = subprocess.run([sys.executable, "-c", _PK_YEAR], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout.split()
        runs.append([float(x) for x in out])
    ms = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    grew = max(r[2] for r in runs)
    return [(f"pk: lamotrigine every 1 h for 365 days (peak RSS {peak:.0f} MB, +{grew:.0f} MB "
             "for the model)", ms, None, "< 1000 ms, < 200 MB")]


@case
def import_time(repeat: int) -> list[Row]:
    """``import mechlib`` against ``import matplotlib, networkx``, each in a fresh interpreter
    (nothing cached). mechlib imports its submodules lazily, so the second row shows what a
    lesson really pays once it draws: ``mechlib.draw`` (which loads graph, reasoning, data and
    style) against the third-party modules it imports, i.e. what any drawing code would load."""

    def fresh(code: str) -> float:
        runs = []
        for _ in range(max(3, repeat // 3)):
            out = subprocess.run([sys.executable, "-c", f"import time; t=time.perf_counter(); {code}; "
                                  "print((time.perf_counter()-t)*1000)"],
                                 capture_output=True, text=True, check=True, cwd=ROOT)
            runs.append(float(out.stdout.strip()))
        return statistics.median(runs)

    return [("import mechlib vs import matplotlib, networkx", fresh("import mechlib"),
             fresh("import matplotlib, networkx"), "ratio <= 1.2"),
            ("import mechlib.draw vs its third-party imports", fresh("from mechlib import draw"),
             fresh(f"import {DRAW_DEPENDENCIES}"), "ratio <= 1.2")]


@case
def reasoning_query(repeat: int) -> list[Row]:
    from mechlib import reasoning

    def query() -> None:
        reasoning.interaction("ketamine", "lamotrigine", "antidepressant_effect")

    return [("reasoning: interaction on antidepressant_effect (combined)",
             median_ms(query, repeat), None, "< 100 ms")]


@case
def diagram_geometry(repeat: int) -> list[Row]:
    """Edge crossings of each view as drawn (a count, not a time: shown in the median column),
    and the one-off Graphviz layout of each view (data cached, layout cache cleared)."""
    from mechlib import data, graph
    from mechlib.mechanism import checks, layout

    rows = []
    for view in graph.view_names():
        crossings = checks.crossings(layout.geometry(view))
        limit = 8 if view == "combined" else 3
        rows.append((f"diagram {view}: edge crossings (count)", float(crossings), None,
                     f"<= {limit} crossings"))

    def cold() -> None:
        ds = data.load()
        for key in [k for k in ds._index if k[0] == "layout"]:
            del ds._index[key]
        layout.layout("combined")

    rows.append(("diagram combined: Graphviz layout, once per data state",
                 median_ms(cold, max(1, repeat // 5)), None, "< 2000 ms, cached after"))
    return rows


@case
def diagram_restyle(repeat: int) -> list[Row]:
    """A drug toggle on ``combined``: reasoning + SVG restyle of the cached layout (no layout, no
    matplotlib), beside building the same number of SVG elements as plain strings."""
    from mechlib import draw

    d = draw.diagram("combined", drugs=["lamotrigine", "ketamine"])

    def bare() -> None:
        "".join(f'<g id="{i}"><path d="M0,0 L1,1"/></g>' for i in range(d.svg.count("<g ")))

    return [("diagram: combined, both drugs, restyle to SVG",
             median_ms(lambda: draw.diagram("combined", drugs=["lamotrigine", "ketamine"]), repeat),
             median_ms(bare, repeat), "< 50 ms")]


@case
def explorer_callbacks(repeat: int) -> list[Row]:
    """Each explorer's live-widget callback beside matplotlib's own encoding of the same figure.

    A plot explorer's callback is what the widget does on a change: draw the new values into the
    kept figure (``redraws``) and encode it as SVG (:func:`mechlib.plotsvg.plot_svg`); it
    alternates between two settings so nothing is answered from before. The bare row encodes
    the same, already drawn figure with matplotlib's SVG backend and pays for none of mechlib's
    work (data, models, artists' new data, legend). A diagram's callback is its restyle to SVG.
    """
    from mechlib import explorers
    from mechlib.plotsvg import plot_svg

    rows = []
    for name, ex in sorted(explorers.REGISTRY.items()):
        final = ex.render_values()
        if final.svg or final.figure is None:
            def restyle(ex=ex) -> None:
                ex.render_values()

            kind = "SVG diagram" if final.svg else "text only"
            rows.append((f"explorer {name} ({kind})", median_ms(restyle, repeat), None,
                         "< 50 ms" if final.svg else "< 100 ms"))
            continue
        settings = [ex.defaults(), next(v for v in ex.sweep() if v != ex.defaults())]
        kept = {"figure": final.figure, "i": 0}

        def callback(ex=ex, settings=settings, kept=kept) -> None:
            kept["i"] ^= 1
            frame = ex.render_values(figure=kept["figure"], **settings[kept["i"]])
            kept["figure"] = frame.figure
            plot_svg(frame.figure)

        def bare(kept=kept) -> None:
            with matplotlib.rc_context({"svg.fonttype": "none"}):
                kept["figure"].savefig(io.StringIO(), format="svg", facecolor="white")

        rows.append((f"explorer {name}: callback (redraw + SVG) vs matplotlib's SVG",
                     median_ms(callback, repeat), median_ms(bare, repeat),
                     "< 50 ms (the kernel share of 80)"))
    return rows


@case
def browser_latency(repeat: int) -> list[Row]:
    """Click-to-paint in Chromium for every explorer (Voila on 127.0.0.1, 10 changes each), and
    the number of requests that left the machine. The budget is judged where learners are: each
    explorer in its lesson's page. All fifteen on one page, heavier than any lesson, is reported
    beside it. Skipped in quick mode (it starts servers)."""
    if repeat == 1:
        return []
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import browser_latency
    from browser_latency import DIAGRAM_EXPLORERS

    rows = []
    remote: set = set()
    for where, out in (("lesson page", browser_latency.measure_lessons()),
                       ("all on one page", browser_latency.measure())):
        for name, (med, n) in out["latency_ms"].items():
            budget = "<= 50 ms" if name in DIAGRAM_EXPLORERS else "<= 80 ms"
            if med is not None:
                page = out.get("page", {}).get(name)
                rows.append((f"browser, {where}: {name}{f' ({page})' if page else ''} "
                             f"click-to-paint ({n} changes)", med, None,
                             budget if where == "lesson page" else "(heavier page; reported)"))
        remote |= set(out["remote_requests"])
    rows.append(("browser: requests off the machine (count)", float(len(remote)), None, "0"))
    return rows


def _notebooks(quick: bool) -> list[Path]:
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return paths[:1] if quick else paths


@case
def notebook_execution(repeat: int) -> list[Row]:
    """Each lesson run top to bottom in a fresh kernel (as ``make notebooks`` does)."""
    import nbformat
    from nbclient import NotebookClient

    quick = repeat == 1
    rows, total = [], 0.0
    for path in _notebooks(quick):
        def execute(path=path) -> None:
            nb = nbformat.read(path, as_version=4)
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()

        med = median_ms(execute, 1 if quick else 3, warmup=0)
        total += med
        rows.append((f"notebook {path.stem}", med, None, "< 15000 ms"))
    rows.append(("notebooks, all together" + (" (quick: first only)" if quick else ""), total, None,
                 "< 60000 ms"))
    return rows


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
