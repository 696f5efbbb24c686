"""The files for the virtual patients, the interaction lab and the exercises.

``population.yaml`` (distributions and co-medications), ``interaction.yaml`` (dose-effect curves)
and ``exercises.yaml`` (what students complete, with answers and common mistakes): their JSON
Schemas (:data:`SCHEMAS`, merged into :data:`mechlib.data.schema.SCHEMAS` by the loader), their
read-only records, and the rules that span files (:data:`CHECKS`). All three files are optional.

Examples
--------
>>> from mechlib import data
>>> ds = data.load()
>>> d = ds.population.distributions["lamotrigine_clearance"]
>>> d.from_parameter, d.range_percentiles, d.unit
('clearance_multiple_dose', (5, 95), 'mL/min/kg')
>>> ds.exercise("held_dose_fraction").lesson
'07_clinical_practice_and_safety'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mechlib.data import units
from mechlib.data.records import DataProblem, Parameter, _unknown
from mechlib.data.schema import CONFIDENCES, PARAMETER

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_TEXT = {"type": "string", "minLength": 1}
_LESSON = {"type": "string", "pattern": "^[0-9]{2}_[a-z0-9_]+$"}
_PAIR = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
_PARAMS = {"type": "object", "propertyNames": _ID, "additionalProperties": PARAMETER}

POPULATION = {
    "type": "object",
    "required": ["distributions", "comedications"],
    "additionalProperties": False,
    "properties": {
        "distributions": {"type": "object", "propertyNames": _ID, "additionalProperties": {
            "type": "object",
            "required": ["drug", "quantity", "shape", "unit", "confidence"],
            "additionalProperties": False,
            "properties": {
                "drug": _ID, "quantity": _TEXT, "shape": {"enum": ["lognormal"]},
                "mean": {"type": "number", "exclusiveMinimum": 0}, "from_parameter": _ID,
                "range": _PAIR, "range_percentiles": _PAIR,
                "cv": {"type": "number", "exclusiveMinimum": 0, "maximum": 3},
                "unit": _TEXT, "reference": _ID, "spread_reference": _ID,
                "confidence": {"enum": list(CONFIDENCES)}, "note": _TEXT,
            },
        }},
        "comedications": {"type": "object", "propertyNames": _ID, "additionalProperties": {
            "type": "object",
            "required": ["label", "clearance"],
            "additionalProperties": False,
            "properties": {"label": _TEXT, "clearance": _ID, "clearance_fold": _ID,
                           "cycle": {"type": "boolean"}},
        }},
        "parameters": _PARAMS,
    },
}

_CURVE = {
    "type": "object",
    "required": ["drug", "effect", "dose_unit", "emax", "ed50", "hill"],
    "additionalProperties": False,
    "properties": {"drug": _ID, "effect": _TEXT, "dose_unit": _TEXT, "emax": PARAMETER,
                   "ed50": PARAMETER, "hill": PARAMETER},
}

INTERACTION = {
    "type": "object",
    "required": ["curves", "design", "additivity_margin"],
    "additionalProperties": False,
    "properties": {
        "curves": {"type": "object", "propertyNames": _ID, "additionalProperties": _CURVE},
        "design": {
            "type": "object",
            "required": ["reference", "dose_a", "dose_b", "curve_a", "curve_b"],
            "additionalProperties": False,
            "properties": {"reference": _ID, "dose_a": PARAMETER, "dose_b": PARAMETER,
                           "curve_a": _ID, "curve_b": _ID},
        },
        "additivity_margin": PARAMETER,
    },
}

_MISTAKE = {
    "type": "object",
    "required": ["value", "feedback"],
    "additionalProperties": False,
    "properties": {"value": {"type": "number"}, "feedback": _TEXT},
}

EXERCISES = {
    "type": "object",
    "required": ["exercises"],
    "additionalProperties": False,
    "properties": {"exercises": {"type": "array", "items": {
        "type": "object",
        "required": ["id", "lesson", "title", "prompt", "inputs", "answer", "unit", "tolerance",
                     "hint", "solution", "references"],
        "additionalProperties": False,
        "properties": {
            "id": _ID, "lesson": _LESSON, "title": _TEXT, "prompt": _TEXT,
            "inputs": {"type": "object",
                       "propertyNames": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                       "additionalProperties": {"type": "number"}},
            "answer": {"type": "number"}, "unit": _TEXT,
            "tolerance": {"type": "number", "exclusiveMinimum": 0, "maximum": 0.5},
            "mistakes": {"type": "array", "items": _MISTAKE},
            "hint": _TEXT, "solution": _TEXT,
            "references": {"type": "array", "items": _ID, "minItems": 1},
            "points": {"type": "integer", "minimum": 1, "maximum": 10},
        },
    }}},
}

SCHEMAS = {"population.yaml": POPULATION, "interaction.yaml": INTERACTION,
           "exercises.yaml": EXERCISES}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Distribution:
    """How one patient quantity is spread, as the data state it (see ``population.yaml``)."""

    id: str
    drug: str
    quantity: str
    shape: str
    unit: str
    confidence: str
    mean: float | None = None
    from_parameter: str | None = None
    range: tuple[float, float] | None = None
    range_percentiles: tuple[float, float] | None = None
    cv: float | None = None
    reference: str | None = None
    spread_reference: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Comedication:
    id: str
    label: str
    clearance: str
    clearance_fold: str | None = None
    cycle: bool = False


@dataclass(frozen=True)
class Population:
    distributions: Mapping[str, Distribution] = field(default_factory=dict)
    comedications: Mapping[str, Comedication] = field(default_factory=dict)
    parameters: Mapping[str, Parameter] = field(default_factory=dict)

    def param(self, name: str) -> Parameter:
        if name not in self.parameters:
            raise _unknown("population parameter", name, self.parameters)
        return self.parameters[name]


@dataclass(frozen=True)
class DoseEffectCurve:
    id: str
    drug: str
    effect: str
    dose_unit: str
    emax: Parameter
    ed50: Parameter
    hill: Parameter


@dataclass(frozen=True)
class Interaction:
    curves: Mapping[str, DoseEffectCurve] = field(default_factory=dict)
    design: Mapping[str, Any] = field(default_factory=dict)
    additivity_margin: Parameter | None = None


@dataclass(frozen=True)
class Mistake:
    value: float
    feedback: str


@dataclass(frozen=True)
class Exercise:
    id: str
    lesson: str
    title: str
    prompt: str
    inputs: Mapping[str, float]
    answer: float
    unit: str
    tolerance: float
    hint: str
    solution: str
    references: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    points: int = 1  # marks in a graded nbgrader assignment (mechlib.teaching.assignments)


def build(docs: Mapping[str, Any], problems: list[DataProblem]) -> dict[str, Any]:
    """The keyword arguments of :class:`~mechlib.data.records.Dataset` these files fill."""
    pop = docs.get("population.yaml") or {}
    dists = {k: Distribution(id=k, **{**v, **{f: tuple(v[f]) for f in ("range", "range_percentiles")
                                             if f in v}})
             for k, v in pop.get("distributions", {}).items()}
    comeds = {k: Comedication(id=k, **v) for k, v in pop.get("comedications", {}).items()}
    params = {k: units.parameter(k, v, "population.yaml", f"parameters.{k}", problems)
              for k, v in pop.get("parameters", {}).items()}
    inter = docs.get("interaction.yaml") or {}
    curves = {k: DoseEffectCurve(k, v["drug"], v["effect"], v["dose_unit"],
                                 *(units.parameter(f"{k}.{f}", v[f], "interaction.yaml",
                                                   f"curves.{k}.{f}", problems)
                                   for f in ("emax", "ed50", "hill")))
              for k, v in inter.get("curves", {}).items()}
    design = {k: (units.parameter(k, v, "interaction.yaml", f"design.{k}", problems)
                  if isinstance(v, dict) else v)
              for k, v in inter.get("design", {}).items()}
    margin = inter.get("additivity_margin")
    exercises = tuple(
        Exercise(**{**e, "inputs": MappingProxyType(dict(e["inputs"])),
                    "references": tuple(e["references"]),
                    "mistakes": tuple(Mistake(**m) for m in e.get("mistakes", []))})
        for e in (docs.get("exercises.yaml") or {}).get("exercises", []))
    return {
        "population": Population(MappingProxyType(dists), MappingProxyType(comeds),
                                 MappingProxyType(params)),
        "interaction": Interaction(MappingProxyType(curves), MappingProxyType(design),
                                   units.parameter("additivity_margin", margin, "interaction.yaml",
                                                   "additivity_margin", problems)
                                   if margin else None),
        "exercises": exercises,
    }


# --------------------------------------------------------------------------- cross-file rules


def _check_population(ds: Any, out: list[DataProblem]) -> None:
    from mechlib.data.rules import _check_parameter, _cites

    f, pop, refs = "population.yaml", ds.population, ds.references
    for k, d in pop.distributions.items():
        entry = f"distributions.{k}"
        keys = [r for r in (d.reference, d.spread_reference) if r]
        _cites(out, f, entry, keys, refs)
        if d.confidence != "assumption" and not d.reference:
            out.append(DataProblem(f, entry, "needs a reference unless its confidence is "
                                   "'assumption'"))
        if d.drug != "none" and d.drug not in ds.drugs:
            out.append(DataProblem(f, entry, f"drug {d.drug!r} is not in drugs.yaml; allowed: "
                                   f"{', '.join(sorted(ds.drugs))}, none"))
            continue
        if (d.mean is None) == (d.from_parameter is None):
            out.append(DataProblem(f, entry, "give exactly one of mean or from_parameter"))
        elif d.from_parameter and d.from_parameter not in ds.drugs[d.drug].parameters:
            out.append(DataProblem(f, entry, f"from_parameter {d.from_parameter!r} is not a "
                                   f"parameter of {d.drug} in drugs.yaml"))
            continue
        rng = d.range
        if rng is None and d.from_parameter:
            rng = ds.drugs[d.drug].parameters[d.from_parameter].range
        if (rng is None) == (d.cv is None):
            out.append(DataProblem(f, entry, "give exactly one spread: a range (here or on the "
                                   "parameter) with range_percentiles, or a cv"))
        if rng is not None:
            mean = d.mean if d.mean is not None else ds.drugs[d.drug].parameters[d.from_parameter].value
            pct = d.range_percentiles
            if pct is None or not 0 < pct[0] < pct[1] < 100:
                out.append(DataProblem(f, entry, "range_percentiles must be two percentiles "
                                       "0 < low < high < 100"))
            if not 0 < rng[0] < mean < rng[1]:
                out.append(DataProblem(f, entry, f"range {list(rng)} must be > 0 and hold the "
                                       f"mean {mean:g}"))
    for k, c in pop.comedications.items():
        entry = f"comedications.{k}"
        if c.clearance not in pop.distributions:
            out.append(DataProblem(f, entry, f"clearance {c.clearance!r} is not a distribution; "
                                   f"allowed: {', '.join(sorted(pop.distributions))}"))
        if c.clearance_fold and c.clearance_fold not in pop.parameters:
            out.append(DataProblem(f, entry, f"clearance_fold {c.clearance_fold!r} is not in "
                                   "parameters"))
        if c.cycle and not c.clearance_fold:
            out.append(DataProblem(f, entry, "a cycle needs a clearance_fold to switch"))
    for k, p in pop.parameters.items():
        _check_parameter(f, f"parameters.{k}", p, refs, out)


def _check_interaction(ds: Any, out: list[DataProblem]) -> None:
    from mechlib.data.rules import _check_parameter, _cites

    f, inter, refs = "interaction.yaml", ds.interaction, ds.references
    for k, c in inter.curves.items():
        if c.drug not in ds.drugs:
            out.append(DataProblem(f, f"curves.{k}", f"drug {c.drug!r} is not in drugs.yaml"))
        for p in (c.emax, c.ed50, c.hill):
            _check_parameter(f, f"curves.{p.name}", p, refs, out)
    for k, v in inter.design.items():
        if isinstance(v, Parameter):
            _check_parameter(f, f"design.{k}", v, refs, out)
        elif k == "reference":
            _cites(out, f, "design", [v], refs)
        elif v not in inter.curves:
            out.append(DataProblem(f, f"design.{k}", f"curve {v!r} is not in curves"))
    if inter.additivity_margin is not None:
        _check_parameter(f, "additivity_margin", inter.additivity_margin, refs, out)


def _check_exercises(ds: Any, out: list[DataProblem]) -> None:
    from mechlib.data.rules import _cites, _in_lessons, _unique

    f = "exercises.yaml"
    _unique(out, f, [e.id for e in ds.exercises], "exercise id")
    lesson_ids = {les.id for les in ds.lessons}
    for e in ds.exercises:
        entry = f"exercise {e.id}"
        _in_lessons(out, f, entry, e.lesson, lesson_ids)
        _cites(out, f, entry, e.references, ds.references)
        if not math.isfinite(e.answer):
            out.append(DataProblem(f, entry, "answer must be a finite number"))
        for m in e.mistakes:
            if abs(m.value - e.answer) <= e.tolerance * max(abs(e.answer), 1e-12):
                out.append(DataProblem(f, entry, f"mistake value {m.value:g} is within the "
                                       "tolerance of the answer; a checker could not tell them apart"))


CHECKS = (_check_population, _check_interaction, _check_exercises)
