"""Command line: ``python -m mechlib COMMAND``. Run ``python -m mechlib --help`` for the list.

Each command is a small function; bad input exits with status 2 and a message that says what
was wrong and what is allowed, and writes nothing.

Examples
--------
>>> main(["check-data"])
data OK: ...
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _check_data(args: argparse.Namespace) -> int:
    from mechlib import data

    try:
        ds = data.load(args.data_dir)
    except data.DataError as err:
        print(err, file=sys.stderr)
        return 1
    print(ds.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command (used by :func:`main` and by tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m mechlib",
        description="Mechanism diagrams, reasoning and pharmacology models for the "
        "lamotrigine x ketamine lessons. Teaching material, not medical advice.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("check-data", help="validate every file in data/ and print a summary")
    p.add_argument("--data-dir", default=None, help="folder to check (default: the shipped data/)")
    p.set_defaults(func=_check_data)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (0 ok, 1 invalid data, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
