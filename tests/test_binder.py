"""Binder's view of the repository: requirements.txt alone must give a working lesson environment.

repo2docker (what Binder runs) installs ``requirements.txt`` from the repository root, including its
``-e .`` line, and nothing else. This test does the same in a fresh virtual environment and then
imports mechlib (all of its submodules) and every module that any notebook's code imports, plus the
Jupyter pieces Binder starts (JupyterLab, the kernel, ipywidgets, Voila). A lesson that imports a
package only the developer's .venv has fails here, not in front of a class.

It takes 30-60 s (pip's cache is reused) and runs in `make test`.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
# What Binder needs besides the lessons' own imports.
JUPYTER_MODULES = ["jupyterlab", "ipykernel", "ipywidgets", "jupyterlab_widgets", "voila"]


def notebook_imports(path: Path) -> set[str]:
    """Absolute module names imported by a notebook's code cells (IPython magics and shell lines skipped)."""
    names: set[str] = set()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError as err:
            raise AssertionError(f"{path.name}: a code cell is not valid Python: {err}") from err
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
    return names


def mechlib_submodules() -> set[str]:
    return {f"mechlib.{p.stem}" for p in (REPO / "mechlib").glob("*.py") if not p.stem.startswith("_")}


def test_notebook_imports_parsed() -> None:
    """The parser sees the imports (guards the Binder test against checking nothing)."""
    imports = set().union(*(notebook_imports(p) for p in (REPO / "notebooks").glob("*.ipynb")))
    assert any(name.split(".")[0] == "mechlib" for name in imports), imports


@pytest.mark.binder
def test_binder_requirements_alone_run_the_lessons(tmp_path: Path) -> None:
    env_dir = tmp_path / "binder-venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         "-r", "binder/requirements.txt"],
        cwd=REPO, capture_output=True, text=True, timeout=900,
    )
    assert install.returncode == 0, (
        "pip install -r binder/requirements.txt failed in a fresh venv (as on Binder):\n"
        + (install.stdout + install.stderr)[-4000:]
    )

    modules = {"mechlib"} | mechlib_submodules() | set(JUPYTER_MODULES)
    for nb in sorted((REPO / "notebooks").glob("*.ipynb")):
        modules |= notebook_imports(nb)
    probe = textwrap.dedent(
        """
        import importlib, json, sys, traceback
        failed = {}
        for name in sys.argv[1:]:
            try:
                importlib.import_module(name)
            except Exception:
                failed[name] = traceback.format_exc(limit=3)
        import mechlib
        print(json.dumps({"failed": failed, "mechlib": mechlib.__file__}))
        """
    )
    result = subprocess.run(
        [str(python), "-c", probe, *sorted(modules)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not report["failed"], "imports that fail in the Binder environment:\n" + "\n".join(
        f"--- {name}\n{tb}" for name, tb in report["failed"].items()
    )
    # `-e .` installs the repository's own mechlib, not some other copy.
    assert Path(report["mechlib"]).resolve().is_relative_to(REPO / "mechlib"), report["mechlib"]
    assert sys.version_info >= (3, 10)
