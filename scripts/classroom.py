"""Load-test a class on one machine: a real JupyterHub on 127.0.0.1 and N simulated learners.

``make classroom N=30`` runs this. The learners log in over a window (default 2 minutes), each
pulls the lessons with nbgitpuller from a bare clone of this repository, opens a lesson, runs every
cell through the proxy's websocket, and then all move an explorer control at the same moment
("everyone move the slider now"). The run then stops every process it started and checks that
none is left. It reports spawn, cell and explorer-update times, errors and retries, peak memory
and CPU seconds per learner (server and kernel apart), as a JSON file and a Markdown table.

Only loopback addresses are used. Every request has a timeout and the whole run a deadline.

Usage::

    python scripts/classroom.py --students 30 --window 120 --out benchmarks/classroom.json

Exit status: 0 when every learner finished and nothing was left running, 1 otherwise, 2 for a bad
argument.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classroom_hub import ROOT, Hub  # noqa: E402
from classroom_student import Student  # noqa: E402
from tornado import httpclient  # noqa: E402

MB = 2**20


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile ``q`` (0-100) of ``values``; None when there are none.

    >>> percentile([1, 2, 3, 4], 50), percentile([1, 2, 3, 4], 95), percentile([], 50)
    (2, 4, None)
    """
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def _summary(values: list[float]) -> dict[str, float | None]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 3)
    return {"n": len(values), "p50": r(percentile(values, 50)), "p95": r(percentile(values, 95)),
            "max": r(max(values) if values else None)}


def bare_clone(workdir: Path) -> Path:
    """A bare repository holding this checkout's HEAD as branch ``main`` (what nbgitpuller pulls)."""
    bare = workdir / "lessons.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(bare)], check=True)
    # CI and Binder-style checkouts are often shallow; a bare repository refuses them by default.
    subprocess.run(["git", "-C", str(bare), "config", "receive.shallowUpdate", "true"], check=True)
    subprocess.run(["git", "-C", str(ROOT), "push", "--quiet", str(bare), "HEAD:refs/heads/main"],
                   check=True)
    return bare


async def _learner(student: Student, start_after: float, ready: asyncio.Event,
                   done: list[int], total: int, burst: dict[str, float], updates: int) -> None:
    await asyncio.sleep(start_after)
    try:
        await student.login()
        await student.spawn()
        await student.pull()
        await student.run_cells(await student.open_lesson())
    except Exception as err:  # noqa: BLE001 - every failure is counted and reported
        student.result.errors.append(f"{type(err).__name__}: {err}")
    done.append(1)
    if len(done) == total:
        burst["at"] = time.monotonic() + 1.0
        ready.set()
    await ready.wait()
    if student.result.errors:
        return
    await asyncio.sleep(max(0.0, burst["at"] - time.monotonic()))
    try:
        for step in range(updates):
            await student.move_control(step)
    except Exception as err:  # noqa: BLE001
        student.result.errors.append(f"burst: {type(err).__name__}: {err}")


async def _classroom(hub_url: str, repo: str, args: argparse.Namespace) -> list[Student]:
    httpclient.AsyncHTTPClient.configure(None, max_clients=4 * args.students + 10)
    students = [Student(hub_url, f"learner{i:02d}", repo, args.lesson)
                for i in range(args.students)]
    ready, done, burst = asyncio.Event(), [], {}
    spacing = args.window / args.students
    tasks = [asyncio.create_task(_learner(s, i * spacing, ready, done, args.students, burst,
                                          args.updates)) for i, s in enumerate(students)]
    finished, pending = await asyncio.wait(tasks, timeout=args.deadline)
    for t in pending:
        t.cancel()
    for s in students:
        if not s.result.errors and len(s.result.updates_s) < args.updates:
            s.result.errors.append(f"unfinished at the {args.deadline:.0f} s deadline")
        await s.close()
    return students


def _per_learner(hub: Hub, users: list[str]) -> dict[str, object]:
    stats = hub.sampler.stats.values()
    mem: dict[str, list[float]] = {"server": [], "kernel": [], "total": []}
    pss: dict[str, list[float]] = {"server": [], "kernel": [], "total": []}
    cpu: dict[str, list[float]] = {"server": [], "kernel": [], "total": []}
    for user in users:
        mine = [s for s in stats if s.user == user]
        for role in ("server", "kernel"):
            ps = [s for s in mine if s.role == role]
            mem[role].append(sum(s.peak_rss for s in ps) / MB)
            pss[role].append(sum(s.peak_pss for s in ps) / MB)
            cpu[role].append(sum(s.cpu_s for s in ps))
        for d in (mem, pss, cpu):
            d["total"].append(d["server"][-1] + d["kernel"][-1])
    shared = [s for s in stats if s.role in ("hub", "proxy")]

    def mean(xs: list[float]) -> float:
        return round(sum(xs) / len(xs), 1) if xs else 0.0
    return {
        "peak_rss_mb": {k: {"mean": mean(v), "max": round(max(v, default=0), 1)}
                        for k, v in mem.items()},
        "peak_pss_mb": {k: {"mean": mean(v), "max": round(max(v, default=0), 1)}
                        for k, v in pss.items()},
        "cpu_s": {k: {"mean": mean(v), "max": round(max(v, default=0), 1)} for k, v in cpu.items()},
        "hub_and_proxy": {"peak_rss_mb": round(sum(s.peak_rss for s in shared) / MB, 1),
                          "cpu_s": round(sum(s.cpu_s for s in shared), 1)},
        "peak_total_rss_mb": round(hub.sampler.peak_total_rss / MB, 1),
        "peak_total_pss_mb": round(hub.sampler.peak_total_pss / MB, 1),
    }


def machine() -> dict[str, object]:
    """The machine the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
                 platform.processor())
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {"cpus": os.cpu_count(), "cpu_model": model, "memory_gib": round(mem / 2**30, 1),
            "python": platform.python_version(), "os": platform.platform(),
            "load_average_1min": round(os.getloadavg()[0], 2)}


def table(report: dict) -> str:
    """The report as a Markdown table (what docs/performance.md shows)."""
    r = report
    m = r["per_learner"]
    rows = [
        ("learners", r["students"]), ("login window", f"{r['window_s']:g} s"),
        ("errors", len(r["errors"])), ("HTTP 429 retries", r["retries"]),
        ("spawn p50 / p95", f"{r['spawn_s']['p50']} / {r['spawn_s']['p95']} s"),
        ("cell p50 / p95 / max", f"{r['cell_s']['p50']} / {r['cell_s']['p95']} / "
                                 f"{r['cell_s']['max']} s"),
        ("explorer update p50 / p95 (burst)", f"{r['update_s']['p50']} / {r['update_s']['p95']} s"),
        ("peak RSS per learner: server / kernel / both",
         f"{m['peak_rss_mb']['server']['mean']} / {m['peak_rss_mb']['kernel']['mean']} / "
         f"{m['peak_rss_mb']['total']['mean']} MB (max {m['peak_rss_mb']['total']['max']})"),
        ("peak PSS per learner: server / kernel / both",
         f"{m['peak_pss_mb']['server']['mean']} / {m['peak_pss_mb']['kernel']['mean']} / "
         f"{m['peak_pss_mb']['total']['mean']} MB"),
        ("CPU per learner: server / kernel / both",
         f"{m['cpu_s']['server']['mean']} / {m['cpu_s']['kernel']['mean']} / "
         f"{m['cpu_s']['total']['mean']} s"),
        ("hub + proxy", f"{m['hub_and_proxy']['peak_rss_mb']} MB, {m['hub_and_proxy']['cpu_s']} "
                        "CPU s"),
        ("peak memory, whole run (RSS / PSS)",
         f"{m['peak_total_rss_mb']} / {m['peak_total_pss_mb']} MB"),
        ("leftover processes", len(r["leftover_processes"])),
        ("run time", f"{r['duration_s']} s"),
        ("machine", f"{r['machine_at_start']['cpus']} cores, {r['machine_at_start']['memory_gib']} "
                    f"GiB; load average {r['machine_at_start']['load_average_1min']} before, "
                    f"{r['machine_at_end']['load_average_1min']} after"),
    ]
    return "\n".join(["| measure | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--students", type=int, default=30, help="simulated learners (1-200)")
    p.add_argument("--window", type=float, default=120.0, help="log-in window, s (default 120)")
    p.add_argument("--lesson", default="03_ketamine", help="lesson each learner runs")
    p.add_argument("--updates", type=int, default=3, help="explorer moves per learner in the burst")
    p.add_argument("--spawn-limit", type=int, default=10,
                   help="the hub's concurrent_spawn_limit (default 10, about 5 per core here; "
                   "JupyterHub's own default is 100)")
    p.add_argument("--deadline", type=float, default=1800.0, help="the whole run's limit, s")
    p.add_argument("--all-extensions", action="store_true",
                   help="keep every server extension on in learners' servers (to compare)")
    p.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    args = p.parse_args(argv)
    if not 1 <= args.students <= 200:
        p.error(f"--students must be 1 to 200; got {args.students}")
    if not (0 <= args.window <= 3600 and 1 <= args.updates <= 50 and args.spawn_limit >= 1
            and 10 <= args.deadline <= 7200):
        p.error("--window 0-3600 s, --updates 1-50, --spawn-limit >= 1, --deadline 10-7200 s")
    if not (ROOT / "notebooks" / f"{args.lesson}.ipynb").exists():
        p.error(f"no lesson {args.lesson!r} in notebooks/")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="classroom-"))
    start_machine = machine()  # the load average says how busy the machine already was
    t0 = time.monotonic()
    hub = Hub(workdir, args.spawn_limit, lean=not args.all_extensions)
    students: list[Student] = []
    errors: list[str] = []
    try:
        repo = bare_clone(workdir)
        hub.start()
        students = asyncio.run(_classroom(hub.url, str(repo), args))
        hub.sampler.sample()
    except Exception as err:  # noqa: BLE001 - reported, and teardown still runs
        errors.append(f"run: {type(err).__name__}: {err}")
    finally:
        left = hub.stop()
    results = [s.result for s in students]
    errors += [f"{r.user}: {e}" for r in results for e in r.errors]
    report = {
        "run_id": hub.run_id, "students": args.students, "window_s": args.window, "lesson": args.lesson,
        "updates_per_learner": args.updates, "spawn_limit": args.spawn_limit,
        "learner_extensions": "all" if args.all_extensions else "lean",
        "machine_at_start": start_machine, "machine_at_end": machine(),
        "login_s": _summary([r.login_s for r in results if r.login_s is not None]),
        "spawn_s": _summary([r.spawn_s for r in results if r.spawn_s is not None]),
        "pull_s": _summary([r.pull_s for r in results if r.pull_s is not None]),
        "cell_s": _summary([c for r in results for c in r.cells_s]),
        "update_s": _summary([u for r in results for u in r.updates_s]),
        "retries": sum(r.retries for r in results),
        "errors": errors,
        "per_learner": _per_learner(hub, [r.user for r in results]),
        "leftover_processes": left,
        "duration_s": round(time.monotonic() - t0, 1),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1) + "\n")
    print(table(report))
    for e in errors[:20]:
        print(f"error: {e}", file=sys.stderr)
    if not errors and not left:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"kept {workdir} (hub log: {hub.log})", file=sys.stderr)
    return 0 if not errors and not left else 1


if __name__ == "__main__":
    sys.exit(main())
