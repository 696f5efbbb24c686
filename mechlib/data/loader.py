"""Read ``data/*.yaml`` safely, check each file's shape, build the records, cache them.

Examples
--------
>>> from mechlib.data import loader
>>> loader.load().nodes["nav_channel"].kind
'target'
"""

from __future__ import annotations

import contextlib
import contextvars
import math
import os
import sys
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from mechlib.data import labs, rules, schema, units
from mechlib.data.records import (
    Bearing,
    Claim,
    Comedication,
    DataError,
    DataProblem,
    Dataset,
    Drug,
    Edge,
    Evidence,
    Hypothesis,
    Lesson,
    Node,
    Outcome,
    Prerequisite,
    Prompt,
    Quiz,
    QuizOption,
    Reference,
    Statement,
    Study,
    Term,
    Titration,
    TitrationStep,
)

schema.SCHEMAS.update(labs.SCHEMAS)  # the virtual-patient, interaction and exercise files

REQUIRED_FILES = ("references.yaml", "drugs.yaml", "mechanisms.yaml", "studies.yaml")
OPTIONAL_FILES = ("quizzes.yaml", "lessons.yaml", "claims.yaml", "prompts.yaml", "glossary.yaml",
                  "population.yaml", "interaction.yaml", "exercises.yaml")


# --------------------------------------------------------------------------- reading


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe loader that rejects duplicate keys (PyYAML silently keeps the last one).

    It builds on libyaml's C parser where PyYAML has it (ten times faster than the pure-Python
    one: the shipped data load in about 25 ms instead of 140 ms) and falls back to the pure-Python
    ``SafeLoader`` otherwise; both construct only plain data.
    """


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None,
                f"duplicate key {key!r} (first on line {seen[key] + 1}); each key may appear once",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def default_data_dir() -> Path:
    """Where ``data/`` is: ``$MECHLIB_DATA_DIR``, else beside the package, else above the cwd.

    Examples
    --------
    >>> (default_data_dir() / "drugs.yaml").exists()
    True
    """
    env = os.environ.get("MECHLIB_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    candidates = [Path(__file__).resolve().parents[2] / "data"]
    cwd = Path.cwd().resolve()
    candidates += [p / "data" for p in (cwd, *cwd.parents)]
    for c in candidates:
        if (c / "drugs.yaml").is_file():
            return c
    raise FileNotFoundError(
        "cannot find the data/ folder (looked beside mechlib and above the current folder); "
        "set MECHLIB_DATA_DIR to the folder that holds drugs.yaml"
    )


#: The largest data file accepted, in bytes (the biggest shipped file is about 55 kB).
MAX_FILE_BYTES = 2_000_000


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


#: The deepest nesting of lists and mappings accepted (the shipped files need 6).
MAX_DEPTH = 40


def _refuse_aliases(text: str) -> tuple[str, str] | None:
    """The first YAML alias or anchor, or nesting deeper than :data:`MAX_DEPTH`, as
    ``('line N', what is wrong)``, or None. Aliases are refused, so an alias bomb (a few kB
    that expand to gigabytes) fails at once instead of filling the memory."""
    depth = 0
    for event in yaml.parse(text, Loader=_UniqueKeyLoader):
        where = f"line {event.start_mark.line + 1}"
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return where, ("uses a YAML anchor or alias (& or *); allowed: plain values "
                           "written out in full")
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return where, f"is nested more than {MAX_DEPTH} levels deep; allowed: {MAX_DEPTH}"
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def _read_yaml(path: Path, problems: list[DataProblem]) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(DataProblem(path.name, "(file)", f"is {size} bytes; allowed: at most "
                                        f"{MAX_FILE_BYTES} bytes per data file"))
            return None
        raw = path.read_bytes()
    except OSError as exc:
        problems.append(DataProblem(path.name, "(file)", f"cannot be read: {exc.strerror}"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(DataProblem(
            path.name, f"line {_line_of(raw, exc.start)}",
            f"byte 0x{raw[exc.start]:02x} is not UTF-8 text; allowed: a file saved as UTF-8"))
        return None
    try:
        refused = _refuse_aliases(text)
        if refused:
            problems.append(DataProblem(path.name, *refused))
            return None
        doc = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(DataProblem(path.name, where, f"not valid YAML: {what}"))
        return None
    if doc is None:
        problems.append(DataProblem(path.name, "(file)", "is empty; see the comment at the top "
                                    "of the shipped file for its fields"))
        return None
    _check_finite(path.name, doc, doc, [], problems)
    return doc


def _check_finite(name: str, doc: Any, node: Any, at: list, problems: list[DataProblem]) -> None:
    """Report every NaN or infinity anywhere in ``doc`` (JSON Schema's ``minimum`` lets NaN by)."""
    if isinstance(node, float) and not math.isfinite(node):
        problems.append(DataProblem(name, _entry_name(doc, at),
                                    f"{node} is not allowed; allowed: a finite number"))
    elif isinstance(node, dict):
        for k, v in node.items():
            _check_finite(name, doc, v, [*at, k], problems)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _check_finite(name, doc, v, [*at, i], problems)


def _entry_name(doc: Any, path: Iterable[Any]) -> str:
    """Name a JSON-Schema error location the way an instructor reads it: ``nodes[3] (nav)``."""
    parts: list[str] = []
    cur = doc
    for p in path:
        if isinstance(p, int):
            label = f"[{p}]"
            try:
                cur = cur[p]
                ident = cur.get("id") or cur.get("key") if isinstance(cur, dict) else None
                if ident is None and isinstance(cur, dict) and "source" in cur:
                    ident = f"{cur.get('source')} -> {cur.get('target')}"
                if ident:
                    label += f" ({str(ident)[:40]})"
            except (IndexError, KeyError, TypeError):
                pass
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(p))
            cur = cur.get(p) if isinstance(cur, dict) else None
    return "".join(parts) or "(top level)"


#: Optional format checkers that ``import jsonschema`` loads when they are installed (Jupyter
#: installs them). The schemas use no ``format`` keyword, so they never matter here, and leaving
#: them out keeps about 17 MB and a second of start-up out of every learner's kernel.
_UNUSED_FORMAT_CHECKERS = ("fqdn", "idna", "isoduration", "jsonpointer", "rfc3339_validator",
                           "rfc3986_validator", "rfc3987", "rfc3987_syntax", "uri_template",
                           "webcolors")


def _short(value: Any) -> str:
    """``repr(value)`` if short, else its type and size: never a huge value in a message."""
    text = repr(value)
    if len(text) <= 60:
        return text
    size = f" of {len(value)} {'characters' if isinstance(value, str) else 'items'}" \
        if hasattr(value, "__len__") else ""
    return f"a {type(value).__name__}{size}"


def _jsonschema() -> Any:
    """``jsonschema``, imported without its optional format checkers if it is not loaded yet."""
    if "jsonschema" in sys.modules:
        return sys.modules["jsonschema"]
    blocked = [m for m in _UNUSED_FORMAT_CHECKERS if m not in sys.modules]
    sys.modules.update(dict.fromkeys(blocked))  # None: "import m" raises ImportError
    try:
        import jsonschema
    finally:
        for m in blocked:
            if sys.modules.get(m, 0) is None:
                del sys.modules[m]
    return jsonschema


def _check_shape(name: str, doc: Any, problems: list[DataProblem]) -> bool:
    jsonschema = _jsonschema()  # imported here: only loading needs it, and it costs import time
    validator = jsonschema.Draft202012Validator(schema.SCHEMAS[name])
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        entry = _entry_name(doc, err.absolute_path)
        msg, value = err.message, _short(err.instance)
        if err.validator == "enum":
            msg = f"{value} is not allowed; allowed: {', '.join(map(str, err.validator_value))}"
        elif err.validator == "additionalProperties":
            extra = sorted(set(err.instance) - set(err.schema.get("properties", {})), key=str)
            allowed = ", ".join(sorted(err.schema.get("properties", {})))
            msg = (f"field{'s' if len(extra) > 1 else ''} {', '.join(_short(e) for e in extra)} "
                   f"not allowed; allowed fields: {allowed}")
        elif err.validator == "pattern":
            msg = f"{value} does not have the allowed form ({err.validator_value})"
        elif err.validator == "type":
            msg = f"{value} is not of type {err.validator_value!r}"
        elif len(msg) > 160:
            msg = f"{value} fails the schema rule {err.validator!r} ({_short(err.validator_value)})"
        problems.append(DataProblem(name, entry, msg))
    return not errors


# --------------------------------------------------------------------------- building


def _build(data_dir: Path, docs: dict[str, Any], problems: list[DataProblem]) -> Dataset:
    refs = {k: Reference(key=k, **v) for k, v in docs["references.yaml"]["references"].items()}
    drugs = {}
    for did, d in docs["drugs.yaml"]["drugs"].items():
        titration = {
            name: Titration(name, t["description"], tuple(TitrationStep(**s) for s in t["steps"]))
            for name, t in d.get("titration", {}).items()
        }
        drugs[did] = Drug(
            id=did, name=d["name"], drug_class=d["drug_class"], summary=d["summary"].strip(),
            indications=tuple(Statement(**s) for s in d.get("indications", [])),
            adverse_effects=tuple(Statement(**s) for s in d.get("adverse_effects", [])),
            parameters=MappingProxyType(
                {k: units.parameter(k, v, "drugs.yaml", f"{did}.parameters.{k}", problems)
                 for k, v in d["parameters"].items()}),
            titration=MappingProxyType(titration),
            pk_model=d.get("pk_model", "none"),
            pk_parameters=MappingProxyType(dict(d.get("pk_parameters", {}))),
            comedications=MappingProxyType({
                cid: Comedication(cid, c["label"], MappingProxyType(dict(c["pk_parameters"])),
                                  c.get("titration"))
                for cid, c in d.get("comedications", {}).items()}),
        )
    physiology = {k: units.parameter(k, v, "drugs.yaml", f"physiology.{k}", problems)
                  for k, v in docs["drugs.yaml"].get("physiology", {}).items()}
    mech = docs["mechanisms.yaml"]
    nodes = {n["id"]: Node(**{**n, "views": tuple(n["views"]),
                              "clinical_uses": tuple((u["node"], u["use"], u["reference"])
                                                     for u in n.get("clinical_uses", ()))})
             for n in mech["nodes"]}
    edges = tuple(
        Edge(**{**e, "evidence": tuple(Evidence(**ev) for ev in e["evidence"])})
        for e in mech["edges"]
    )
    st = docs["studies.yaml"]
    hypotheses = {k: Hypothesis(k, v["title"], v["statement"]) for k, v in st["hypotheses"].items()}
    studies = tuple(
        Study(**{**s, "outcomes": tuple(Outcome(**o) for o in s["outcomes"]),
                 "bears_on": tuple(Bearing(**b) for b in s["bears_on"])})
        for s in st["studies"]
    )
    quizzes = tuple(
        Quiz(**{**q, "references": tuple(q["references"]),
                "options": tuple(QuizOption(**o) for o in q.get("options", [])),
                "answer": tuple(q["answer"]) if isinstance(q["answer"], list) else q["answer"]})
        for q in (docs.get("quizzes.yaml") or {}).get("quizzes", [])
    )
    lessons = tuple(
        Lesson(**{**les, "objectives": tuple(les["objectives"]), "requires": tuple(les["requires"]),
                  "prerequisites": tuple(Prerequisite(**p) for p in les.get("prerequisites", []))})
        for les in (docs.get("lessons.yaml") or {}).get("lessons", [])
    )
    claims = tuple(
        Claim(**{**c, "references": tuple(c["references"])})
        for c in (docs.get("claims.yaml") or {}).get("claims", [])
    )
    prompts = tuple(
        Prompt(**{**p, "references": tuple(p["references"]), "mistakes": tuple(p.get("mistakes", []))})
        for p in (docs.get("prompts.yaml") or {}).get("prompts", [])
    )
    glossary = tuple(Term(**t) for t in (docs.get("glossary.yaml") or {}).get("terms", []))
    return Dataset(
        data_dir=data_dir, references=MappingProxyType(refs), drugs=MappingProxyType(drugs),
        physiology=MappingProxyType(physiology), views=MappingProxyType(mech["views"]),
        nodes=MappingProxyType(nodes), edges=edges, hypotheses=MappingProxyType(hypotheses),
        studies=studies, quizzes=quizzes, lessons=lessons, claims=claims, prompts=prompts,
        glossary=glossary, **labs.build(docs, problems),
    )



def _signature(data_dir: Path) -> tuple:
    files = []
    for name in REQUIRED_FILES + OPTIONAL_FILES:
        p = data_dir / name
        try:
            st = p.stat()
            files.append((name, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            files.append((name, None, None))
    return tuple(files)


def validate(data_dir: str | Path | None = None) -> list[DataProblem]:
    """Check ``data_dir`` (default: the shipped data) and return every problem (empty if valid).

    Examples
    --------
    >>> validate()
    []
    """
    try:
        load(data_dir)
    except DataError as err:
        return list(err.problems)
    return []


def load(data_dir: str | Path | None = None) -> Dataset:
    """Read, validate and return all of ``data/`` (cached until a file changes).

    Parameters
    ----------
    data_dir : str or Path, optional
        The folder to read; default :func:`default_data_dir`.

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        A ``ValueError`` listing every problem, each with file, entry and what is allowed.

    Examples
    --------
    >>> ds = load()
    >>> ds.nodes["nav_channel"].kind
    'target'
    """
    kept = _HELD.get()
    if kept is not None and data_dir in kept:
        return kept[data_dir]
    path = Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir()
    if not path.is_dir():
        raise DataError([DataProblem(str(path), "(folder)", "is not a folder")])
    dataset = _load_cached(path, _signature(path))
    if kept is not None:
        kept[data_dir] = dataset
    return dataset


_HELD: contextvars.ContextVar[dict | None] = contextvars.ContextVar("mechlib_data_held",
                                                                     default=None)


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Within the block, :func:`load` reads the files' state once per folder and then returns
    that same :class:`Dataset`: one consistent state of ``data/`` for a whole render, with no
    file checks on each of the many calls a render makes (a file changed meanwhile is seen at
    the next block). Nested blocks share the outer one.

    Examples
    --------
    >>> with held():
    ...     load() is load()
    True
    """
    if _HELD.get() is not None:
        yield
        return
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


@lru_cache(maxsize=8)
def _load_cached(path: Path, signature: tuple) -> Dataset:
    problems: list[DataProblem] = []
    docs: dict[str, Any] = {}
    for name in REQUIRED_FILES + OPTIONAL_FILES:
        f = path / name
        if not f.exists():
            if name in REQUIRED_FILES:
                problems.append(DataProblem(name, "(file)", f"is missing from {path}"))
            continue
        doc = _read_yaml(f, problems)
        if doc is not None and _check_shape(name, doc, problems):
            docs[name] = doc
        elif doc is not None or name in REQUIRED_FILES:
            docs[name] = None
    if problems or any(docs.get(n) is None for n in REQUIRED_FILES):
        raise DataError(problems, _shown(path))
    link_problems: list[DataProblem] = []
    ds = _build(path, docs, link_problems)
    ds._index["node_ids"] = [n["id"] for n in docs["mechanisms.yaml"]["nodes"]]
    ds._index["lesson_ids"] = [les["id"] for les in (docs.get("lessons.yaml") or {}).get("lessons", [])]
    for check in rules.CHECKS:
        check(ds, link_problems)
    if link_problems:
        raise DataError(link_problems, _shown(path))
    return ds


def _shown(path: Path) -> str:
    """How an error names the data folder: ``data/`` for the suite's own, else its path."""
    own = Path(__file__).resolve().parents[2] / "data"
    return "data/" if path == own else str(path)
