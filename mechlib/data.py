"""Load and validate everything in ``data/`` into typed, read-only records.

One call, :func:`load`, reads every file, checks its shape (JSON Schema, see
:mod:`mechlib.schema`) and then the rules that span files (unknown ids, dangling references,
impossible values). Every problem is reported at once, each naming the file, the entry and what
is allowed. Results are cached until a file changes.

Examples
--------
>>> data = load()
>>> data.drug("lamotrigine").param("half_life").value
25.4
>>> data.reference("kuo1998").citation
'Kuo 1998'
>>> data.drug("aspirin")
Traceback (most recent call last):
...
ValueError: unknown drug 'aspirin'; allowed: ketamine, lamotrigine
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from mechlib import schema

REQUIRED_FILES = ("references.yaml", "drugs.yaml", "mechanisms.yaml", "studies.yaml")
OPTIONAL_FILES = ("quizzes.yaml", "lessons.yaml", "claims.yaml")

#: Node ids that lessons, tests and later modules rely on.
REQUIRED_NODES = (
    "lamotrigine", "ketamine", "nav_channel", "glutamate_release", "nmda_receptor",
    "gaba_interneuron", "glutamate_surge", "ampa_receptor", "bdnf", "mtorc1", "synaptogenesis",
    "antidepressant_effect", "dissociation", "seizure_activity", "proinflammatory_cytokines",
    "oxidative_stress",
)

#: Units whose values may be zero or negative; every other parameter must be positive.
SIGNED_UNITS = ("mV", "relative change")


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class DataProblem:
    """One problem found in a data file: where it is and what is wrong."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


class DataError(ValueError):
    """The data files are invalid. ``problems`` lists every problem found.

    Examples
    --------
    >>> err = DataError([DataProblem("drugs.yaml", "lamotrigine.half_life", "must be > 0")])
    >>> print(err)
    1 problem in data/:
      - drugs.yaml: lamotrigine.half_life: must be > 0
    """

    def __init__(self, problems: Iterable[DataProblem]):
        self.problems = tuple(problems)
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in data/:"]
        lines += [f"  - {p}" for p in self.problems]
        super().__init__("\n".join(lines))


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Reference:
    """A citable source. At least one of ``doi``, ``pmid`` or ``label`` is set."""

    key: str
    authors: str
    year: int
    title: str
    source: str
    doi: str | None = None
    pmid: str | None = None
    label: str | None = None
    url: str | None = None
    cite_as: str | None = None
    verified: bool = False
    note: str | None = None

    @property
    def citation(self) -> str:
        """Short in-text citation: ``'Kuo 1998'``, ``'Zanos & Gould 2018'`` for two authors, the
        journal when the authors are unknown; ``cite_as`` overrides it (labels, textbooks)."""
        if self.cite_as:
            return f"{self.cite_as} {self.year}"
        if self.authors.startswith("["):
            return f"{' '.join(self.source.split()[:2])} {self.year}"
        names = [a.strip().split(" ")[0] for a in self.authors.split(",") if a.strip()]
        if len(names) == 2 and "et al" not in self.authors:
            return f"{names[0]} & {names[1]} {self.year}"
        return f"{names[0]} {self.year}"

    @property
    def identifier(self) -> str:
        """``'doi:…'``, ``'PMID …'`` or the label citation, in that order of preference."""
        if self.doi:
            return f"doi:{self.doi}"
        if self.pmid:
            return f"PMID {self.pmid}"
        return str(self.label)

    def full(self) -> str:
        """One-line full reference, e.g. for a lesson's reference list."""
        return f"{self.authors} ({self.year}). {self.title}. {self.source}. {self.identifier}"


@dataclass(frozen=True)
class Parameter:
    """A number with its unit, source and confidence (verified, secondary or assumption)."""

    name: str
    value: float
    unit: str
    reference: str
    confidence: str
    range: tuple[float, float] | None = None
    note: str | None = None

    @property
    def is_assumption(self) -> bool:
        """True when the value is a modelling assumption that lessons must label as one."""
        return self.confidence == "assumption"


@dataclass(frozen=True)
class Statement:
    """A sentence of fact with its reference key (indications, adverse effects)."""

    text: str
    reference: str


@dataclass(frozen=True)
class TitrationStep:
    from_week: int
    to_week: int
    dose_mg: float
    every_days: int
    reference: str
    confidence: str


@dataclass(frozen=True)
class Titration:
    name: str
    description: str
    steps: tuple[TitrationStep, ...]


def _unknown(what: str, name: object, allowed: Iterable[str]) -> ValueError:
    return ValueError(f"unknown {what} {name!r}; allowed: {', '.join(sorted(allowed))}")


@dataclass(frozen=True)
class Drug:
    id: str
    name: str
    drug_class: str
    summary: str
    indications: tuple[Statement, ...]
    adverse_effects: tuple[Statement, ...]
    parameters: Mapping[str, Parameter]
    titration: Mapping[str, Titration]

    def param(self, name: str) -> Parameter:
        """The parameter called ``name``; ``ValueError`` lists the allowed names."""
        try:
            return self.parameters[name]
        except KeyError:
            raise _unknown(f"{self.id} parameter", name, self.parameters) from None


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    compartment: str
    views: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class Evidence:
    reference: str
    type: str
    note: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    kind: str
    mechanism: str
    status: str
    evidence: tuple[Evidence, ...]

    @property
    def sign(self) -> int:
        """+1 (stimulates, necessary), -1 (inhibits) or 0 (unknown)."""
        return {"stimulates": 1, "necessary": 1, "inhibits": -1, "unknown": 0}[self.kind]

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(e.reference for e in self.evidence)


@dataclass(frozen=True)
class Outcome:
    measure: str
    finding: str
    direction: str


@dataclass(frozen=True)
class Bearing:
    hypothesis: str
    direction: str
    note: str | None = None


@dataclass(frozen=True)
class Study:
    key: str
    reference: str
    design: str
    population: str
    n: int | None
    regimen: str
    outcomes: tuple[Outcome, ...]
    bears_on: tuple[Bearing, ...]
    design_detail: str | None = None
    n_unit: str | None = None


@dataclass(frozen=True)
class Hypothesis:
    id: str
    title: str
    statement: str


@dataclass(frozen=True)
class QuizOption:
    id: str
    text: str
    feedback: str | None = None


@dataclass(frozen=True)
class Quiz:
    id: str
    lesson: str
    type: str
    prompt: str
    answer: Any
    explanation: str
    references: tuple[str, ...]
    options: tuple[QuizOption, ...] = ()
    tolerance: float | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Prerequisite:
    """A row of a lesson's prerequisites table: concept, importance (necessary, helpful), notes."""

    concept: str
    importance: str
    notes: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    requires: tuple[str, ...]
    prerequisites: tuple[Prerequisite, ...] = ()


@dataclass(frozen=True)
class Claim:
    """A claim of the source article, what the evidence shows about it, and the sources."""

    id: str
    lesson: str
    article: str
    verdict: str
    evidence: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    """Everything in ``data/``, validated. Get one with :func:`load`."""

    data_dir: Path
    references: Mapping[str, Reference]
    drugs: Mapping[str, Drug]
    physiology: Mapping[str, Parameter]
    views: Mapping[str, Mapping[str, str]]
    nodes: Mapping[str, Node]
    edges: tuple[Edge, ...]
    hypotheses: Mapping[str, Hypothesis]
    studies: tuple[Study, ...]
    quizzes: tuple[Quiz, ...] = ()
    lessons: tuple[Lesson, ...] = ()
    claims: tuple[Claim, ...] = ()
    _index: dict = field(default_factory=dict, repr=False, compare=False)

    def drug(self, name: str) -> Drug:
        """The drug called ``name`` (case-insensitive); ``ValueError`` lists the allowed names."""
        key = name.strip().lower() if isinstance(name, str) else name
        if key not in self.drugs:
            raise _unknown("drug", name, self.drugs)
        return self.drugs[key]

    def reference(self, key: str) -> Reference:
        """The reference ``key``; ``ValueError`` lists the allowed keys."""
        if key not in self.references:
            raise _unknown("reference", key, self.references)
        return self.references[key]

    def node(self, node_id: str) -> Node:
        if node_id not in self.nodes:
            raise _unknown("node", node_id, self.nodes)
        return self.nodes[node_id]

    def physiology_param(self, name: str) -> Parameter:
        if name not in self.physiology:
            raise _unknown("physiology parameter", name, self.physiology)
        return self.physiology[name]

    def cited_keys(self) -> set[str]:
        """Every reference key cited anywhere in the data."""
        keys: set[str] = set()
        for d in self.drugs.values():
            keys |= {p.reference for p in d.parameters.values()}
            keys |= {s.reference for s in d.indications + d.adverse_effects}
            for t in d.titration.values():
                keys |= {s.reference for s in t.steps}
        keys |= {p.reference for p in self.physiology.values()}
        for e in self.edges:
            keys |= set(e.references)
        keys |= {s.reference for s in self.studies}
        for q in self.quizzes:
            keys |= set(q.references)
        for c in self.claims:
            keys |= set(c.references)
        return keys

    def summary(self) -> str:
        """One line of counts, as printed by ``python -m mechlib check-data``."""
        return (
            f"data OK: {len(self.drugs)} drugs, {len(self.nodes)} nodes, {len(self.edges)} edges, "
            f"{len(self.references)} references, {len(self.studies)} studies, "
            f"{len(self.quizzes)} quiz questions"
        )


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
    candidates = [Path(__file__).resolve().parent.parent / "data"]
    cwd = Path.cwd().resolve()
    candidates += [p / "data" for p in (cwd, *cwd.parents)]
    for c in candidates:
        if (c / "drugs.yaml").is_file():
            return c
    raise FileNotFoundError(
        "cannot find the data/ folder (looked beside mechlib and above the current folder); "
        "set MECHLIB_DATA_DIR to the folder that holds drugs.yaml"
    )


def _read_yaml(path: Path, problems: list[DataProblem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(DataProblem(path.name, "(file)", f"cannot be read: {exc.strerror}"))
        return None
    try:
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
    return doc


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
                    label += f" ({ident})"
            except (IndexError, KeyError, TypeError):
                pass
            parts.append(label)
        else:
            parts.append(("." if parts else "") + str(p))
            cur = cur.get(p) if isinstance(cur, dict) else None
    return "".join(parts) or "(top level)"


def _check_shape(name: str, doc: Any, problems: list[DataProblem]) -> bool:
    import jsonschema  # imported here: only loading needs it, and it costs import time

    validator = jsonschema.Draft202012Validator(schema.SCHEMAS[name])
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))
    for err in errors:
        entry = _entry_name(doc, err.absolute_path)
        msg = err.message
        if err.validator == "enum":
            msg = f"{err.instance!r} is not allowed; allowed: {', '.join(map(str, err.validator_value))}"
        elif err.validator == "additionalProperties":
            allowed = ", ".join(sorted(err.schema.get("properties", {})))
            msg = f"{msg}; allowed fields: {allowed}"
        elif err.validator == "pattern":
            msg = f"{err.instance!r} does not have the allowed form ({err.validator_value})"
        problems.append(DataProblem(name, entry, msg))
    return not errors


# --------------------------------------------------------------------------- building


def _parameter(name: str, raw: dict) -> Parameter:
    rng = tuple(raw["range"]) if "range" in raw else None
    return Parameter(name, float(raw["value"]), raw["unit"], raw["reference"], raw["confidence"],
                     rng, raw.get("note"))


def _build(data_dir: Path, docs: dict[str, Any]) -> Dataset:
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
                {k: _parameter(k, v) for k, v in d["parameters"].items()}),
            titration=MappingProxyType(titration),
        )
    physiology = {k: _parameter(k, v) for k, v in docs["drugs.yaml"].get("physiology", {}).items()}
    mech = docs["mechanisms.yaml"]
    nodes = {n["id"]: Node(**{**n, "views": tuple(n["views"])}) for n in mech["nodes"]}
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
    return Dataset(
        data_dir=data_dir, references=MappingProxyType(refs), drugs=MappingProxyType(drugs),
        physiology=MappingProxyType(physiology), views=MappingProxyType(mech["views"]),
        nodes=MappingProxyType(nodes), edges=edges, hypotheses=MappingProxyType(hypotheses),
        studies=studies, quizzes=quizzes, lessons=lessons, claims=claims,
    )


def _cites(out: list[DataProblem], file: str, entry: str, keys: Iterable[str], refs: Mapping,
           what: str = "reference") -> None:
    """Report each of ``keys`` that is not a reference key."""
    for key in keys:
        if key not in refs:
            out.append(DataProblem(file, entry, f"{what} {key!r} is not in references.yaml"))


def _unique(out: list[DataProblem], file: str, ids: Iterable[str], what: str) -> None:
    """Report each id that appears more than once (``what`` names it: 'node id', 'study key')."""
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            out.append(DataProblem(file, f"{what.split()[0]} {i}",
                                   f"duplicate {what}; {what.split()[-1]}s must be unique"))
        seen.add(i)


def _in_lessons(out: list[DataProblem], file: str, entry: str, lesson: str, lesson_ids: set) -> None:
    if lesson_ids and lesson not in lesson_ids:
        out.append(DataProblem(file, entry, f"lesson {lesson!r} is not in lessons.yaml; "
                               f"allowed: {', '.join(sorted(lesson_ids))}"))


def _check_parameter(file: str, entry: str, p: Parameter, refs: Mapping, out: list) -> None:
    _cites(out, file, entry, [p.reference], refs)
    if not math.isfinite(p.value):
        out.append(DataProblem(file, entry, f"value {p.value} must be a finite number"))
        return
    if p.unit not in SIGNED_UNITS and p.value <= 0:
        out.append(DataProblem(
            file, entry, f"value {p.value} {p.unit} is impossible; allowed: a number > 0 "
            f"(only units {', '.join(SIGNED_UNITS)} may be zero or negative)"))
    if p.unit == "fraction" and p.value > 1:
        out.append(DataProblem(file, entry, f"value {p.value} is a fraction above 1; allowed: 0 to 1"))
    if p.range is not None:
        lo, hi = p.range
        if not lo <= p.value <= hi:
            out.append(DataProblem(
                file, entry, f"value {p.value} lies outside its own range [{lo}, {hi}]; "
                "allowed: low <= value <= high"))


def _check_references(ds: Dataset, out: list[DataProblem]) -> None:
    for key, r in ds.references.items():
        if not (r.doi or r.pmid or r.label):
            out.append(DataProblem("references.yaml", key,
                                   "has no doi, pmid or label; at least one is required"))


def _check_drugs(ds: Dataset, out: list[DataProblem]) -> None:
    refs = ds.references
    for did, d in ds.drugs.items():
        for name, p in d.parameters.items():
            _check_parameter("drugs.yaml", f"{did}.parameters.{name}", p, refs, out)
        for i, s in enumerate(d.indications + d.adverse_effects):
            _cites(out, "drugs.yaml", f"{did} statement {i + 1}", [s.reference], refs)
        for tname, t in d.titration.items():
            for i, s in enumerate(t.steps):
                entry = f"{did}.titration.{tname}.steps[{i}]"
                _cites(out, "drugs.yaml", entry, [s.reference], refs)
                if s.to_week < s.from_week:
                    out.append(DataProblem("drugs.yaml", entry,
                                           f"to_week {s.to_week} is before from_week {s.from_week}"))
    for name, p in ds.physiology.items():
        _check_parameter("drugs.yaml", f"physiology.{name}", p, refs, out)


def _check_mechanisms(ds: Dataset, out: list[DataProblem]) -> None:
    _unique(out, "mechanisms.yaml", ds._index["node_ids"], "node id")
    for n in ds.nodes.values():
        for v in n.views:
            if v not in ds.views:
                out.append(DataProblem("mechanisms.yaml", f"node {n.id}",
                                       f"view {v!r} is not defined; allowed: {', '.join(ds.views)}"))
    for rid in REQUIRED_NODES:
        if rid not in ds.nodes:
            out.append(DataProblem("mechanisms.yaml", f"node {rid}",
                                   "is missing; lessons and checks rely on this node id"))
    pairs: set[tuple[str, str, str]] = set()
    for i, e in enumerate(ds.edges):
        entry = f"edges[{i}] ({e.source} -> {e.target})"
        for end in (e.source, e.target):
            if end not in ds.nodes:
                out.append(DataProblem("mechanisms.yaml", entry,
                                       f"node {end!r} does not exist; allowed: an id from nodes"))
        if e.source == e.target:
            out.append(DataProblem("mechanisms.yaml", entry, "an edge may not join a node to itself"))
        if (e.source, e.target, e.kind) in pairs:
            out.append(DataProblem("mechanisms.yaml", entry, "duplicate edge (same source, target, kind)"))
        pairs.add((e.source, e.target, e.kind))
        _cites(out, "mechanisms.yaml", entry, e.references, ds.references, what="evidence reference")


def _check_studies(ds: Dataset, out: list[DataProblem]) -> None:
    _unique(out, "studies.yaml", [s.key for s in ds.studies], "study key")
    for s in ds.studies:
        entry = f"study {s.key}"
        _cites(out, "studies.yaml", entry, [s.reference], ds.references)
        for b in s.bears_on:
            if b.hypothesis not in ds.hypotheses:
                out.append(DataProblem(
                    "studies.yaml", entry, f"hypothesis {b.hypothesis!r} is not defined; "
                    f"allowed: {', '.join(ds.hypotheses)}"))


def _check_quizzes(ds: Dataset, out: list[DataProblem]) -> None:
    _unique(out, "quizzes.yaml", [q.id for q in ds.quizzes], "question id")
    lesson_ids = {les.id for les in ds.lessons}
    for q in ds.quizzes:
        entry = f"question {q.id}"
        _cites(out, "quizzes.yaml", entry, q.references, ds.references)
        _in_lessons(out, "quizzes.yaml", entry, q.lesson, lesson_ids)
        problems = []
        if q.type == "numeric":
            if isinstance(q.answer, (str, tuple)):
                problems.append("a numeric question needs a number as answer")
            if q.tolerance is None or q.unit is None:
                problems.append("a numeric question needs both tolerance and unit")
        else:
            opts = {o.id for o in q.options}
            if len(opts) < 2:
                problems.append(f"a {q.type} question needs 2 or more options")
            if q.type == "multiple_choice" and not isinstance(q.answer, str):
                problems.append("a multiple_choice answer is one option id")
            if q.type == "multiple_select" and not isinstance(q.answer, tuple):
                problems.append("a multiple_select answer is a list of option ids")
            answers = q.answer if isinstance(q.answer, tuple) else (q.answer,)
            problems += [f"answer {a!r} is not an option; allowed: {', '.join(sorted(opts))}"
                         for a in answers if isinstance(a, str) and a not in opts]
        out += [DataProblem("quizzes.yaml", entry, msg) for msg in problems]


def _check_claims(ds: Dataset, out: list[DataProblem]) -> None:
    _unique(out, "claims.yaml", [c.id for c in ds.claims], "claim id")
    lesson_ids = {les.id for les in ds.lessons}
    for c in ds.claims:
        entry = f"claim {c.id}"
        _cites(out, "claims.yaml", entry, c.references, ds.references)
        _in_lessons(out, "claims.yaml", entry, c.lesson, lesson_ids)


#: The rules that span entries and files, one checker per data file.
_LINK_CHECKS = (_check_references, _check_drugs, _check_mechanisms, _check_studies,
                _check_quizzes, _check_claims)


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
    path = Path(data_dir).expanduser().resolve() if data_dir is not None else default_data_dir()
    if not path.is_dir():
        raise DataError([DataProblem(str(path), "(folder)", "is not a folder")])
    return _load_cached(path, _signature(path))


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
        raise DataError(problems)
    ds = _build(path, docs)
    ds._index["node_ids"] = [n["id"] for n in docs["mechanisms.yaml"]["nodes"]]
    link_problems: list[DataProblem] = []
    for check in _LINK_CHECKS:
        check(ds, link_problems)
    if link_problems:
        raise DataError(link_problems)
    return ds
