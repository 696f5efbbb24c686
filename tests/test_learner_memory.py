"""What keeps a learner's kernel small (issue 17): lazy imports, no figure leaks, bounded caches.

The sizes themselves are measured by ``scripts/learner_memory.py`` and ``make classroom`` (see
docs/performance.md); these tests check the causes, so a change that brings a cost back fails.
"""

from __future__ import annotations

import json
import subprocess
import sys

from mechlib.data import schema

#: Run in a fresh interpreter: what lessons 03 and 08 call, then which heavy modules are loaded.
LESSON_CALLS = """
import json, sys
from mechlib import data, draw, explorers, lesson, quiz, widgets
data.load()
lesson.figure(draw.diagram("ketamine_cascade", drugs=["ketamine"]),
              draw.describe("ketamine_cascade", drugs=["ketamine"]))
lesson.figure(lesson.learning_path(), lesson.describe_learning_path())
for name in ("ketamine_pk", "mechanism_explorer"):
    widgets.show(name)
quiz.show_lesson("03_ketamine")
print(json.dumps(sorted(sys.modules)))
"""

NOT_NEEDED = ("matplotlib.pyplot", "rfc3987_syntax", "isoduration", "arrow", "lark", "webcolors",
              "uri_template", "fqdn", "jsonpointer", "rfc3339_validator", "rfc3986_validator")


def _keywords(node) -> set[str]:
    """Every schema keyword in ``node`` (the names under ``properties`` are fields, not keywords)."""
    if isinstance(node, dict):
        out = set(node)
        for key, value in node.items():
            values = value.values() if key == "properties" else [value]
            out |= {k for v in values for k in _keywords(v)}
        return out
    if isinstance(node, (list, tuple)):
        return {k for v in node for k in _keywords(v)}
    return set()


def test_lessons_load_no_module_they_do_not_need():
    proc = subprocess.run([sys.executable, "-c", LESSON_CALLS], capture_output=True, text=True,
                          timeout=300, check=True)
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert "jsonschema" in loaded  # the data are still validated
    assert sorted(loaded & set(NOT_NEEDED)) == []


def test_no_schema_uses_format():
    """The format checkers left out of jsonschema's import can never change a validation."""
    for name, sch in schema.SCHEMAS.items():
        assert "format" not in _keywords(sch), name


def test_caches_are_bounded():
    from mechlib.data import loader

    assert loader._load_cached.cache_info().maxsize is not None
