"""Execute lesson notebooks top to bottom in a fresh kernel and save them with their outputs.

Used by ``make notebooks``. Each notebook runs with ``notebooks/`` as its working folder, as a
student's would. A notebook that raises stops the run with its name and the error; it is not
saved, so a half-executed notebook never replaces a good one.

Usage: python scripts/run_notebooks.py notebooks/*.ipynb
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def run(path: Path, timeout: int = 300) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    tmp = path.with_suffix(".ipynb.tmp")
    nbformat.write(nb, tmp)
    tmp.replace(path)
    return seconds


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    for name in argv:
        path = Path(name)
        try:
            seconds = run(path)
        except CellExecutionError as err:
            print(f"{path}: a cell failed; notebook not saved.\n{err}", file=sys.stderr)
            return 1
        print(f"{path}: executed in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
