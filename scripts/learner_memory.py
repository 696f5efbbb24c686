"""What a learner's kernel holds after a lesson: memory, heavy modules, open figures, caches.

Runs each lesson in a fresh kernel (nbclient, this venv's python3 kernel), then asks the kernel
about itself. Used to decide what to cut (issue 17) and to report before/after in
docs/performance.md. The single-user server's share is measured by ``scripts/classroom.py``.

Usage::

    python scripts/learner_memory.py 03_ketamine 08_mechanism_explorer [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent

#: Runs in the kernel after the lesson; prints one JSON line.
PROBE = r'''
import json as _json, sys as _sys, gc as _gc, functools as _ft
def _mb(kind):
    for line in open("/proc/self/status"):
        if line.startswith(kind):
            return int(line.split()[1]) / 1024
def _pss():
    try:
        for line in open("/proc/self/smaps_rollup"):
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
_heavy = ["numpy", "matplotlib", "matplotlib.pyplot", "networkx", "jsonschema", "pygraphviz",
          "PIL", "scipy", "pandas", "pint", "ipywidgets", "yaml", "arrow", "lark",
          "rfc3987_syntax", "isoduration"]
_figs = None
if "matplotlib.pyplot" in _sys.modules:
    _figs = len(_sys.modules["matplotlib.pyplot"].get_fignums())
_caches = {}
for _name, _mod in list(_sys.modules.items()):
    if _name.startswith("mechlib") and _mod is not None:
        for _attr, _obj in list(vars(_mod).items()):
            _info = getattr(_obj, "cache_info", None)
            if callable(_info):
                _ci = _info()
                _caches[f"{_name}.{_attr}"] = [_ci.currsize, _ci.maxsize]
print(_json.dumps({"rss_mb": round(_mb("VmRSS:"), 1), "peak_rss_mb": round(_mb("VmHWM:"), 1),
                   "pss_mb": _pss() and round(_pss(), 1),
                   "modules": len(_sys.modules),
                   "heavy_loaded": [m for m in _heavy if m in _sys.modules],
                   "open_pyplot_figures": _figs, "mechlib_caches": _caches,
                   "gc_objects": len(_gc.get_objects())}))
'''


def measure(lesson: str) -> dict:
    """Run ``notebooks/<lesson>.ipynb`` in a fresh kernel; return the kernel's answers to PROBE."""
    path = ROOT / "notebooks" / f"{lesson}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    out = nb.cells[-1].outputs
    text = "".join(o.get("text", "") for o in out if o.get("output_type") == "stream")
    return {"lesson": lesson, **json.loads(text.strip().splitlines()[-1])}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("lessons", nargs="+", help="lesson ids, e.g. 03_ketamine")
    p.add_argument("--json", type=Path, help="also write the results here")
    args = p.parse_args(argv)
    for lesson in args.lessons:
        if not (ROOT / "notebooks" / f"{lesson}.ipynb").exists():
            p.error(f"no lesson {lesson!r} in notebooks/")
    results = [measure(lesson) for lesson in args.lessons]
    for r in results:
        print(f"{r['lesson']}: RSS {r['rss_mb']} MB (peak {r['peak_rss_mb']}), PSS {r['pss_mb']} MB,"
              f" {r['modules']} modules, open pyplot figures {r['open_pyplot_figures']}")
        print(f"  heavy modules: {', '.join(r['heavy_loaded'])}")
        print(f"  mechlib caches (size, max): {r['mechlib_caches']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
