"""Typed, read-only records of ``data/``: references, drugs, the mechanism graph, studies,
quizzes, lessons, claims, prompts and the glossary, and the errors that name a data problem.

Examples
--------
>>> from mechlib.data import load
>>> load().drug("lamotrigine").param("half_life").unit
'h'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class DataProblem:
    """One problem found in a data file: where it is and what is wrong.

    Each part is cut to :data:`MAX_PART` characters, so a hostile file cannot make a message
    that fills the screen.
    """

    file: str
    entry: str
    message: str

    def __post_init__(self) -> None:
        for name in ("file", "entry", "message"):
            text = " ".join(str(getattr(self, name)).split())
            if len(text) > MAX_PART:
                text = text[:MAX_PART - 1] + "…"
            object.__setattr__(self, name, text)

    def __str__(self) -> str:
        return f"{self.file}: {self.entry}: {self.message}"


#: The longest file, entry or message text of a :class:`DataProblem`, in characters.
MAX_PART = 240


class DataError(ValueError):
    """The data files are invalid. ``problems`` lists every problem found.

    Examples
    --------
    >>> err = DataError([DataProblem("drugs.yaml", "lamotrigine.half_life", "must be > 0")])
    >>> print(err)
    1 problem in data/:
      - drugs.yaml: lamotrigine.half_life: must be > 0
    >>> print(DataError(err.problems, folder="/srv/course/data").args[0].splitlines()[0])
    1 problem in /srv/course/data:
    """

    def __init__(self, problems: Iterable[DataProblem], folder: str = "data/"):
        self.problems = tuple(problems)
        self.folder = folder
        n = len(self.problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in {folder}:"]
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
    kind: str = ""
    internal: float = float("nan")
    internal_unit: str = ""

    def in_unit(self, unit: str) -> float:
        """The value in ``unit`` (e.g. a concentration band in ng/mL for a label), whatever unit
        the data file used. Uses the factor table built at load time, not pint, so it is cheap.

        Examples
        --------
        >>> from mechlib.data import load
        >>> load().drug("ketamine").param("dissociation_band_low").in_unit("ng/mL")
        100.0
        """
        from mechlib.data.units import factor

        return self.internal * factor(self.internal_unit, unit) if self.internal_unit else self.internal

    def range_in_unit(self, unit: str) -> tuple[float, float] | None:
        """``range`` converted to ``unit``, or None when the data give no range (it is optional).

        Examples
        --------
        >>> from mechlib.data import load
        >>> load().drug("lamotrigine").param("half_life").range_in_unit("h")
        (11.6, 61.6)
        """
        if self.range is None:
            return None
        from mechlib.data.units import factor

        f = factor(self.unit, unit) if self.internal_unit else 1.0
        return (self.range[0] * f, self.range[1] * f) if f != 1.0 else self.range

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


def find(items: Iterable[Any], ident: str, what: str) -> Any:
    """The record of ``items`` whose ``id`` is ``ident``; ``ValueError`` lists the allowed ids.

    Examples
    --------
    >>> from mechlib.data import load
    >>> find(load().lessons, "03_ketamine", "lesson").title
    'Ketamine'
    >>> find(load().lessons, "99", "lesson")
    Traceback (most recent call last):
    ...
    ValueError: unknown lesson '99'; allowed: 00_start_here, ...
    """
    items = tuple(items)
    for x in items:
        if x.id == ident:
            return x
    raise _unknown(what, ident, (x.id for x in items))


@dataclass(frozen=True)
class Comedication:
    """A co-medication that changes a drug's PK: which PK roles take which other parameter
    (each parameter carries its own reference), and the titration schedule the label gives."""

    id: str
    label: str
    pk_parameters: Mapping[str, str]
    titration: str | None = None


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
    pk_model: str = "none"
    pk_parameters: Mapping[str, str] = field(default_factory=dict)
    comedications: Mapping[str, Comedication] = field(default_factory=dict)

    def param(self, name: str) -> Parameter:
        """The parameter called ``name``; ``ValueError`` lists the allowed names."""
        try:
            return self.parameters[name]
        except KeyError:
            raise _unknown(f"{self.id} parameter", name, self.parameters) from None

    def comedication(self, name: str | None) -> Comedication | None:
        """The co-medication ``name`` (None or 'none': no co-medication); ``ValueError`` lists
        the allowed names."""
        key = name.strip().lower() if isinstance(name, str) else name
        if key in (None, "none"):
            return None
        if key not in self.comedications:
            raise ValueError(f"unknown comedication {name!r} for {self.id}; allowed: "
                             f"{', '.join(('none', *self.comedications))}")
        return self.comedications[key]

    def pk_param(self, role: str, comedication: str | None = None) -> Parameter:
        """The parameter that plays PK ``role`` (e.g. 'half_life'), given ``comedication``.

        Examples
        --------
        >>> from mechlib.data import load
        >>> load().drug("lamotrigine").pk_param("half_life", "valproate").value
        70.3
        """
        com = self.comedication(comedication)
        name = (com.pk_parameters.get(role) if com else None) or self.pk_parameters.get(role, role)
        return self.param(name)


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    compartment: str
    views: tuple[str, ...]
    description: str
    #: The drug without which this node does not exist (e.g. ketamine's open-channel block).
    requires: str | None = None
    #: For a drug: the nodes its own clinical use treats, as (node, use, reference key).
    clinical_uses: tuple[tuple[str, str, str], ...] = ()


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
    points: int = 1


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
class Prompt:
    """A "Think about it" prompt, its model answer and the common wrong answers (prompts.yaml)."""

    id: str
    lesson: str
    prompt: str
    answer: str
    references: tuple[str, ...]
    mistakes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Term:
    """A glossary entry (glossary.yaml); its anchor in the lessons is ``term-<id>``."""

    id: str
    term: str
    definition: str
    reference: str
    first_lesson: str


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
    prompts: tuple[Prompt, ...] = ()
    glossary: tuple[Term, ...] = ()
    population: Any = None  # mechlib.data.labs.Population (population.yaml)
    interaction: Any = None  # mechlib.data.labs.Interaction (interaction.yaml)
    exercises: tuple = ()  # mechlib.data.labs.Exercise (exercises.yaml)
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

    def exercise(self, exercise_id: str):
        """The exercise ``exercise_id`` (exercises.yaml); ``ValueError`` lists the allowed ids."""
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise _unknown("exercise", exercise_id, [e.id for e in self.exercises])

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
        for p in self.prompts:
            keys |= set(p.references)
        keys |= {t.reference for t in self.glossary}
        if self.population is not None:
            keys |= {r for d in self.population.distributions.values()
                     for r in (d.reference, d.spread_reference) if r}
            keys |= {p.reference for p in self.population.parameters.values()}
        if self.interaction is not None:
            keys |= {p.reference for c in self.interaction.curves.values()
                     for p in (c.emax, c.ed50, c.hill)}
            keys |= {v.reference for v in self.interaction.design.values() if hasattr(v, "reference")}
        for e in self.exercises:
            keys |= set(e.references)
        return keys

    def summary(self) -> str:
        """One line of counts, as printed by ``python -m mechlib check-data``."""
        return (
            f"data OK: {len(self.drugs)} drugs, {len(self.nodes)} nodes, {len(self.edges)} edges, "
            f"{len(self.references)} references, {len(self.studies)} studies, "
            f"{len(self.quizzes)} quiz questions"
        )


