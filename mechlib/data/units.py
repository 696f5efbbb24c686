"""Units of the numbers in ``data/``: parsed with pint once, at load time, into plain floats.

Every parameter has a *kind* (a half-life is a ``time``, a volume of distribution a
``volume_per_mass``...). The kind says which units are allowed, which internal unit the models
receive and the physical range a value must lie in. A value in another compatible unit is
converted (``30 min`` for a half-life becomes 0.5 h); an incompatible unit is refused.

The kind comes from the parameter's ``kind:`` field if it has one, else from its name
(:data:`NAME_RULES`), else from the unit written. The internal unit system (:data:`KINDS`) is
what :attr:`~mechlib.data.records.Parameter.internal` holds and what the models use; screens
keep the unit the data file gives (``Parameter.value`` and ``Parameter.unit``).

pint is only used here, while loading: model code and slider callbacks get floats.

Examples
--------
>>> convert("half_life", 30, "min")
('time', 0.5, 'h')
>>> round(convert("clearance_meta", 79.0, "L/h/70kg")[1] * 70, 9)
79.0
>>> convert("half_life", 1.1, "L/kg")
Traceback (most recent call last):
...
mechlib.data.units.UnitProblem: unit 'L/kg' is not a time; allowed: h, min, d, week (any unit of a time)
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mechlib.data.records import Parameter


class UnitProblem(ValueError):
    """A value whose unit or size is not allowed for its kind (the message says what is)."""


@dataclass(frozen=True)
class Kind:
    """What a kind of quantity allows: its internal unit, example units, physical range."""

    name: str
    what: str
    internal: str
    examples: str
    low: float
    high: float
    low_open: bool = True
    words: tuple[str, ...] = ()

    def range_text(self) -> str:
        op = "<" if self.low_open else "<="
        return f"{self.low:g} {op} value <= {self.high:g} {self.internal}".rstrip()


#: The kinds, their internal unit (what the models receive) and their physical range.
KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("time", "a time", "h", "h, min, d, week", 0, 1e5),
    Kind("rate_constant", "a rate constant (1/time)", "1/h", "1/h, 1/min", 0, 1e4),
    Kind("volume_per_mass", "a volume per body mass", "L/kg", "L/kg, mL/kg, L/70kg", 0, 1e3),
    Kind("clearance_per_mass", "a clearance per body mass", "L/h/kg",
         "L/h/kg, mL/min/kg, L/h/70kg", 0, 1e2),
    Kind("mass_concentration", "a mass concentration", "mg/L", "mg/L, ng/mL, ug/mL", 0, 1e5),
    Kind("molar_concentration", "a molar concentration", "uM", "uM, nM, mM", 0, 1e6),
    Kind("dose", "a dose (mass)", "mg", "mg, g, ug", 0, 1e5),
    Kind("dose_per_mass", "a dose per body mass", "mg/kg", "mg/kg, ug/kg", 0, 1e3),
    Kind("body_mass", "a body mass", "kg", "kg", 1, 300, low_open=False),
    Kind("molar_mass", "a molar mass", "g/mol", "g/mol, kg/mol", 1, 1e6, low_open=False),
    Kind("potential", "a membrane potential", "mV", "mV, V", -200, 200, low_open=False),
    Kind("per_potential", "a voltage sensitivity (1/voltage)", "1/mV", "1/mV", 0, 10),
    Kind("pressure", "a blood-pressure change", "mmHg", "mmHg", 0, 300),
    Kind("fraction", "a fraction", "", "fraction", 0, 1, low_open=False, words=("fraction",)),
    Kind("fold", "a fold change", "", "fold", 0, 1e3, words=("fold",)),
    Kind("relative_change", "a relative change", "", "relative change", -1, 1e3,
         low_open=False, words=("relative change",)),
    Kind("count", "a count", "", "count, participants", 0, 1e9, low_open=False,
         words=("count", "participants")),
    Kind("log_fold", "a width in natural-log units", "", "ln-fold", 0, 100, words=("ln-fold",)),
    Kind("exponent", "a dimensionless slope or margin (a Hill coefficient)", "", "dimensionless",
         0, 100, words=("dimensionless",)),
    Kind("correlation", "a correlation coefficient", "", "correlation", -1, 1, low_open=False,
         words=("correlation",)),
)}

#: The kind a parameter name implies (first match wins); names that match none take the kind
#: of the unit written. A rule may allow several kinds: the unit chooses among them.
NAME_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"_change$|_increase_peak$", ("relative_change",)),
    (r"half_life|^tmax$|_duration$|_monitoring$|_time_|_dwell_|_weeks_", ("time",)),
    (r"rate_constant$", ("rate_constant",)),
    (r"volume", ("volume_per_mass",)),
    (r"clearance", ("clearance_per_mass",)),
    (r"bioavailability|protein_binding|recovery|_rate_|^responders|inhibition$", ("fraction",)),
    (r"molecular_weight", ("molar_mass",)),
    (r"^ki_|_ed50$|_ic50|^nav_kd_|_up_to$|^mg_block_k$|^extracellular_", ("molar_concentration",)),
    (r"^reference_range_|_band_|_concentration$|_linear_", ("mass_concentration",)),
    (r"dose", ("dose", "dose_per_mass")),
    (r"^body_weight$", ("body_mass",)),
    (r"_fold$|_gain$|_surge$", ("fold",)),
    (r"potential$", ("potential",)),
)

_UNITS_FILE = Path(__file__).with_name("units.txt")
_PER_BODY = re.compile(r"/\s*(\d+(?:\.\d+)?)\s*kg\b")


@lru_cache(maxsize=1)
def registry():
    """The pint registry of the units data files may use (a small one: fast to build)."""
    import pint  # imported here: only loading needs it

    return pint.UnitRegistry(str(_UNITS_FILE), cache_folder=None)


@lru_cache(maxsize=256)
def _parse(unit: str):
    """``unit`` as a pint quantity of size 1 (``L/70kg`` is ``L/(70 kg)``); None if unknown."""
    import pint

    text = _PER_BODY.sub(r"/(\1 kg)", unit.replace("µ", "u").replace("μ", "u"))
    try:
        q = registry().parse_expression(text)
    except (pint.errors.PintError, AttributeError, AssertionError, SyntaxError, TypeError,
            ValueError, TokenError):
        return None
    return q if isinstance(q, registry().Quantity) else None


try:  # the tokenizer's error class, raised by pint on unbalanced brackets
    from tokenize import TokenError
except ImportError:  # pragma: no cover
    TokenError = SyntaxError  # type: ignore[misc,assignment]


def _round(x: float) -> float:
    """``x`` to 15 significant digits: unit factors are exact, float noise is not."""
    return float(f"{x:.15g}")


def _allowed(kinds: tuple[str, ...]) -> str:
    return "; ".join(f"{KINDS[k].examples} (any unit of {KINDS[k].what})"
                     if not KINDS[k].words else ", ".join(KINDS[k].words) for k in kinds)


def candidate_kinds(name: str, declared: str | None = None) -> tuple[str, ...]:
    """The kinds parameter ``name`` may have: the declared one, a name rule's, or every kind.

    Examples
    --------
    >>> candidate_kinds("half_life_with_valproate")
    ('time',)
    >>> candidate_kinds("esketamine_dose_low")
    ('dose', 'dose_per_mass')
    """
    if declared:
        return (declared,)
    for pattern, kinds in NAME_RULES:
        if re.search(pattern, name):
            return kinds
    return tuple(KINDS)


def _factor(unit: str, kind: Kind) -> float | None:
    """How many internal units one ``unit`` is, or None if ``unit`` is not of this kind."""
    if kind.words:
        return 1.0 if unit in kind.words else None
    if unit in (w for k in KINDS.values() for w in k.words):
        return None
    q, target = _parse(unit), _parse(kind.internal)
    if q is None or q.dimensionality != target.dimensionality:
        return None
    return float(q.to(target.units).magnitude / target.magnitude)


def convert(name: str, value: float, unit: str, declared: str | None = None
            ) -> tuple[str, float, str]:
    """``value`` in ``unit`` as ``(kind, value in the internal unit, internal unit)``.

    Raises
    ------
    UnitProblem
        The unit is not allowed for the parameter's kind, or the value lies outside the kind's
        physical range (the message gives both).

    Examples
    --------
    >>> convert("dissociation_band_low", 100.0, "ng/mL")
    ('mass_concentration', 0.1, 'mg/L')
    >>> convert("oral_bioavailability", 1.2, "fraction")
    Traceback (most recent call last):
    ...
    mechlib.data.units.UnitProblem: value 1.2 fraction is a fraction above 1; allowed: 0 to 1
    """
    kinds = candidate_kinds(name, declared)
    for k in kinds:
        kind = KINDS[k]
        f = _factor(unit, kind)
        if f is None:
            continue
        internal = value if f == 1.0 else _round(value * f)
        lo_ok = internal > kind.low if kind.low_open else internal >= kind.low
        given, top = f"value {value:g} {unit}", f"{kind.high:g} {kind.internal}".rstrip()
        if not math.isfinite(internal):
            raise UnitProblem(f"{given} is not a finite number; allowed: {kind.range_text()}")
        if not lo_ok:
            op = ">" if kind.low_open else ">="
            raise UnitProblem(f"{given} is impossible for {kind.what}; allowed: a number "
                              f"{op} {kind.low:g} (up to {top})")
        if internal > kind.high:
            raise UnitProblem(f"{given} is {kind.what} above {top}; allowed: "
                              f"{kind.low:g} to {top}")
        return k, internal, kind.internal
    if len(kinds) == len(KINDS):
        raise UnitProblem(f"unit {unit!r} is not a known unit; allowed: a unit such as h, mg, "
                          "mg/L, uM, L/kg, 1/h, mV, or a word: fraction, fold, count")
    what = " or ".join(KINDS[k].what for k in kinds)
    raise UnitProblem(f"unit {unit!r} is not {what}; allowed: {_allowed(kinds)}")


@lru_cache(maxsize=256)
def factor(from_unit: str, to_unit: str) -> float:
    """How many ``to_unit`` one ``from_unit`` is (for labels: mg/L -> ng/mL is 1000).

    Cached: pint works out each pair once; later calls (a slider callback) are a dict look-up.

    Examples
    --------
    >>> factor("mg/L", "ng/mL")
    1000.0
    """
    a, b = _parse(from_unit), _parse(to_unit)
    if a is None or b is None or a.dimensionality != b.dimensionality:
        raise UnitProblem(f"cannot convert {from_unit!r} to {to_unit!r}")
    return _round(float(a.to(b.units).magnitude / b.magnitude))


def parameter(name: str, raw: dict, file: str, entry: str, problems: list) -> Parameter:
    """A :class:`~mechlib.data.records.Parameter` from its entry in ``file``, with its value also
    in the internal unit of its kind; a unit or value problem is added to ``problems``.

    Examples
    --------
    >>> p = parameter("half_life", {"value": 30, "unit": "min", "reference": "x",
    ...               "confidence": "assumption"}, "drugs.yaml", "demo", [])
    >>> p.internal, p.internal_unit
    (0.5, 'h')
    """
    from mechlib.data.records import DataProblem

    rng = tuple(float(x) for x in raw["range"]) if "range" in raw else None
    value = float(raw["value"])
    try:
        kind, internal, internal_unit = convert(name, value, raw["unit"], raw.get("kind"))
    except UnitProblem as exc:
        problems.append(DataProblem(file, entry, str(exc)))
        kind, internal, internal_unit = "", math.nan, ""
    return Parameter(name, value, raw["unit"], raw["reference"], raw["confidence"],
                     rng, raw.get("note"), kind, internal, internal_unit)
