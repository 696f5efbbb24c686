"""Build the third-drug fixture: a fresh copy of ``data/`` plus ``tests/fixtures/memantine/``.

Usage: ``python tests/fixture_drug.py DEST`` writes the merged data folder to ``DEST``
(see docs/instructor-guide.md, "Adding a drug").

Examples
--------
>>> import tempfile, pathlib
>>> from mechlib import data
>>> with tempfile.TemporaryDirectory() as tmp:
...     sorted(data.load(build(pathlib.Path(tmp) / "data")).drugs)
['ketamine', 'lamotrigine', 'memantine']
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
ADDITIONS = Path(__file__).resolve().parent / "fixtures" / "memantine"


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:  # the loader refuses aliases
        return True


def _merge(base: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict):
            base.setdefault(key, {}).update(value)
        elif isinstance(value, list):
            base.setdefault(key, []).extend(value)


def build(dest: Path) -> Path:
    """Copy ``data/`` to ``dest`` (replaced if it exists) and merge the additions into it."""
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(ROOT / "data", dest)
    for extra in sorted(ADDITIONS.glob("*.yaml")):
        target = dest / extra.name
        doc = yaml.safe_load(target.read_text(encoding="utf-8"))
        _merge(doc, yaml.safe_load(extra.read_text(encoding="utf-8")))
        target.write_text(yaml.dump(doc, Dumper=_NoAliases, sort_keys=False, allow_unicode=True,
                                    width=110), encoding="utf-8")
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/fixture_drug.py DEST")
    print(f"wrote {build(Path(sys.argv[1]))}")
