"""The documentation stays true: every `python -m mechlib ...` command it quotes runs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from mechlib.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMAND = re.compile(r"python -m mechlib ([^`#\n]+)")


def quoted_commands() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        for match in COMMAND.finditer(doc.read_text(encoding="utf-8")):
            args = match.group(1).strip()
            if "--help" not in args and not re.search(r"[A-Z]{3,}|\.\.\.", args):  # placeholders
                found.append((doc.name, args))
    return found


def test_the_docs_quote_commands():
    names = {doc for doc, _ in quoted_commands()}
    assert {"README.md", "instructor-guide.md"} <= names


@pytest.mark.parametrize(("doc", "args"), quoted_commands(), ids=lambda v: v if len(v) < 60 else v[:60])
def test_quoted_command_runs(doc, args, tmp_path, capsys):
    argv = shlex.split(args)
    if "--out" in argv:  # write into a temporary folder, not the reader's working folder
        i = argv.index("--out") + 1
        argv[i] = str(tmp_path / argv[i])
    assert main(argv) == 0, f"{doc}: `python -m mechlib {args}` failed: {capsys.readouterr().err}"
    if "--out" in argv:
        assert Path(argv[argv.index("--out") + 1]).stat().st_size > 0
    else:
        assert capsys.readouterr().out.strip()


def test_instructor_guide_lists_every_lesson_and_only_real_explorers():
    from mechlib import data, explorers

    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    for les in data.load().lessons:
        assert f"`{les.id}`" in guide, les.id
    table = guide.split("## The lessons", 1)[1].split("\n## ", 1)[0]
    demos = {name for row in table.splitlines() if row.startswith("| `")
             for name in re.findall(r"`([a-z_]+)`", row.rsplit("|", 2)[-2])}
    assert demos and demos <= set(explorers.REGISTRY), demos - set(explorers.REGISTRY)
