"""The study records of ``data/studies.yaml``: filters, and how each study is described.

Examples
--------
>>> all(s.population == "patients" for s in select(population="patients"))
True
>>> evidence_kind(select(population="animal")[0])
'controlled study in animals'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mechlib import style
from mechlib.data import Dataset, Study, load, schema

#: Direction of a finding -> (glyph, matplotlib marker, Okabe-Ito colour). The glyph carries the
#: meaning; the colour only repeats it.
DIRECTION_STYLE: dict[str, tuple[str, str, str]] = {
    "supports": ("▲", "^", style.BLUE),
    "against": ("▼", "v", style.VERMILLION),
    "mixed": ("◆", "D", style.REDDISH_PURPLE),
    "neutral": ("○", "o", style.BLACK),  # drawn hollow
}

#: Population id -> label, in the order of the map's rows (top to bottom).
POPULATION_LABELS: dict[str, str] = {
    "animal": "Animal",
    "healthy-volunteers": "Healthy volunteers",
    "patients": "Patients",
    "mixed": "Reviews / mixed",
}

POPULATION_RANK = {"patients": 0, "healthy-volunteers": 1, "animal": 2, "mixed": 3}
DESIGN_RANK = {"randomised": 0, "controlled": 1, "open-label": 2, "retrospective": 3, "review": 4}
POPULATION_WORDS = {
    "patients": "patients", "healthy-volunteers": "healthy volunteers", "animal": "animals",
    "mixed": "mixed populations",
}
DEFAULT_UNIT = {"patients": "patients", "healthy-volunteers": "healthy volunteers",
                 "animal": "animals", "mixed": ""}
TEXT = style.INK
MUTED = "#595959"
GRID = "#c8c8c8"


# --------------------------------------------------------------------------- records and filters


def dataset(data: Dataset | None) -> Dataset:
    return load() if data is None else data


def studies(data: Dataset | None = None) -> list[Study]:
    """All studies, in the order of ``data/studies.yaml``.

    Parameters
    ----------
    data : Dataset, optional
        The data to use; default :func:`mechlib.data.load` (the shipped ``data/``).

    Returns
    -------
    list of Study

    Examples
    --------
    >>> from mechlib import data
    >>> len(studies()) == len(data.load().studies)
    True
    """
    return list(dataset(data).studies)


def as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def check_names(what: str, values: list[str], allowed: Sequence[str], aliases: dict[str, str]) -> set[str]:
    """Map each value (or its alias) to an allowed id; ``ValueError`` lists the allowed values."""
    out = set()
    for v in values:
        key = aliases.get(str(v).strip().lower(), v)
        if key not in allowed:
            raise ValueError(f"unknown {what} {v!r}; allowed: {', '.join(allowed)}")
        out.add(key)
    return out


def aliases(ids: Iterable[str], labels: dict[str, str] | None = None) -> dict[str, str]:
    """Lower-case forms, spaces or hyphens or underscores, and labels, each pointing to the id."""
    out: dict[str, str] = {}
    for i in ids:
        for form in (i, i.replace("-", " "), i.replace("_", " "), i.replace("-", "_"),
                     i.replace("_", "-")):
            out[form.lower()] = i
        if labels and i in labels:
            out[labels[i].lower()] = i
    return out


def select(population: str | Iterable[str] | None = None,
           design: str | Iterable[str] | None = None,
           hypothesis: str | Iterable[str] | None = None,
           data: Dataset | None = None) -> list[Study]:
    """The studies that match every given filter.

    Each filter takes one value or a list; a study matches a list if it matches any value in it
    (an empty list matches nothing). ``None`` does not filter. Values are case-insensitive, and
    spaces may stand for hyphens or underscores (``"healthy volunteers"``); a hypothesis may also
    be given by its title.

    Parameters
    ----------
    population : str or list of str, optional
        Any of ``mechlib.schema.POPULATIONS``: animal, healthy-volunteers, patients, mixed.
    design : str or list of str, optional
        Any of ``mechlib.schema.DESIGNS``: randomised, controlled (randomisation not reported),
        open-label, retrospective, review.
    hypothesis : str or list of str, optional
        A hypothesis id from ``data/studies.yaml``; keeps the studies that bear on it.
    data : Dataset, optional
        Default: the shipped data.

    Returns
    -------
    list of Study
        In the order of ``data/studies.yaml``.

    Raises
    ------
    ValueError
        A value is not allowed; the message lists the allowed values.

    Examples
    --------
    >>> found = select(population="healthy volunteers", design=["randomised", "open-label"])
    >>> {(s.population, s.design) for s in found} <= {("healthy-volunteers", "randomised"),
    ...                                              ("healthy-volunteers", "open-label")}
    True
    >>> select(population="rats")
    Traceback (most recent call last):
    ...
    ValueError: unknown population 'rats'; allowed: animal, healthy-volunteers, patients, mixed
    """
    ds = dataset(data)
    pops = as_list(population)
    designs = as_list(design)
    hyps = as_list(hypothesis)
    if pops is not None:
        pops = check_names("population", pops, schema.POPULATIONS, aliases(schema.POPULATIONS))
    if designs is not None:
        designs = check_names("design", designs, schema.DESIGNS, aliases(schema.DESIGNS))
    if hyps is not None:
        titles = {h.id: h.title for h in ds.hypotheses.values()}
        hyps = check_names("hypothesis", hyps, tuple(ds.hypotheses), aliases(ds.hypotheses, titles))
    return [
        s for s in ds.studies
        if (pops is None or s.population in pops)
        and (designs is None or s.design in designs)
        and (hyps is None or any(b.hypothesis in hyps for b in s.bears_on))
    ]


# --------------------------------------------------------------------------- describing a study


def evidence_rank(study: Study) -> tuple[int, int, int]:
    """How strong a study's kind of evidence is; smaller is stronger (see the module docstring).

    Parameters
    ----------
    study : Study

    Returns
    -------
    tuple of int
        (review or not, population rank, design rank): sort by it, strongest first.

    Examples
    --------
    >>> ranked = sorted(studies(), key=evidence_rank)
    >>> ranked[0].population, ranked[-1].design
    ('patients', 'review')
    """
    is_review = study.design == "review"
    return (int(is_review), POPULATION_RANK.get(study.population, len(POPULATION_RANK)),
            DESIGN_RANK.get(study.design, len(DESIGN_RANK)))


def evidence_kind(study: Study) -> str:
    """The kind of evidence in words, e.g. ``'randomised study in patients'`` or ``'review'``.

    Parameters
    ----------
    study : Study

    Returns
    -------
    str

    Examples
    --------
    >>> sorted({evidence_kind(s) for s in select(population="patients", design="randomised")})
    ['randomised study in patients']
    """
    if study.design == "review":
        return "review"
    return f"{study.design} study in {POPULATION_WORDS.get(study.population, study.population)}"


def citation(study: Study, ds: Dataset) -> str:
    ref = ds.references.get(study.reference)
    return ref.citation if ref is not None else study.key


def n_short(study: Study) -> str:
    """``'N 16'``, ``'N n/a'``, or for a review ``'N 17 studies'`` (its N counts studies)."""
    if study.n is None:
        return "N n/a"
    if study.design == "review":
        return f"N {study.n} {study.n_unit or 'studies'}"
    return f"N {study.n}"


def n_long(study: Study) -> str:
    if study.n is None:
        return "n/a"
    unit = study.n_unit or DEFAULT_UNIT.get(study.population, "")
    return f"{study.n} {unit}".strip()


def direction_text(direction: str) -> str:
    glyph = DIRECTION_STYLE.get(direction, ("?",))[0]
    return f"{glyph} {direction}"


