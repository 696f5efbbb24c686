"""The layer rule: data ← mechanism ← models, teaching ← explorers ← widgets ← site ← cli.

Each package of mechlib imports only from the layers below it (``docs/contributing.md``, "Where
things live"). A lower layer that imports a higher one makes the data flow run backwards, so this
test reads every module's imports (top level and inside functions) and names each that breaks
the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "mechlib"

#: Layer of each top-level part of mechlib; a module may import its own layer or a lower one.
#: ``models`` and ``teaching`` are siblings at the same height and may not import each other.
LAYERS = {
    "style": 0, "plotsvg": 0, "data": 0, "files": 0,
    "mechanism": 1,
    "models": 2, "teaching": 2,
    "explorers": 3,
    "widgets": 4,
    "site": 5,
    "cli": 6, "__main__": 6,
}
SIBLINGS = {("models", "teaching"), ("teaching", "models")}


def _part(module: str) -> str | None:
    """``mechlib.models.pk`` -> ``models``; a lesson's short name (``mechlib.pk``) is resolved first."""
    from mechlib import MODULES

    parts = MODULES.get(module.removeprefix("mechlib."), module).split(".")
    return parts[1] if parts[0] == "mechlib" and len(parts) > 1 else None


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every mechlib module that ``path`` imports, with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("mechlib")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mechlib"):
            if node.module == "mechlib":  # from mechlib import data, style
                found += [(node.lineno, f"mechlib.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def violations(root: Path = ROOT) -> list[str]:
    """Each import in ``root`` that points up a layer (or across the models/teaching siblings)."""
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts == ("__init__.py",):
            continue  # the package's lazy index of short names may name every layer
        me = rel.parts[0].removesuffix(".py")
        for line, target in _imports(path):
            other = _part(target)
            if other is None or other not in LAYERS:
                continue
            if LAYERS[other] > LAYERS[me] or (me, other) in SIBLINGS:
                out.append(f"mechlib/{rel}:{line}: {me} (layer {LAYERS[me]}) imports {target} "
                           f"({other}, layer {LAYERS[other]})")
    return out


def test_every_package_has_a_layer():
    parts = {p.name.removesuffix(".py") for p in ROOT.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py" and p.stem != "__init__")}
    assert parts == set(LAYERS)


def test_no_lower_layer_imports_a_higher_one():
    assert violations() == []


def test_the_rule_catches_an_upward_import(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "loader.py").write_text("def f():\n    from mechlib.explorers import get\n")
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pk.py").write_text("from mechlib import quiz, teaching\n")
    found = violations(tmp_path)
    assert found == [
        "mechlib/data/loader.py:2: data (layer 0) imports mechlib.explorers (explorers, layer 3)",
        "mechlib/models/pk.py:1: models (layer 2) imports mechlib.quiz (teaching, layer 2)",
        "mechlib/models/pk.py:1: models (layer 2) imports mechlib.teaching (teaching, layer 2)",
    ]


@pytest.mark.parametrize("short, module", [("draw", "mechlib.mechanism.draw"), ("pk", "mechlib.models.pk"),
                                           ("quiz", "mechlib.teaching.quiz")])
def test_lessons_short_names_reach_the_layered_modules(short, module):
    import mechlib

    assert getattr(mechlib, short).__name__ == module
