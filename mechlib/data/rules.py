"""The rules that span entries and files: unknown ids, dangling references, impossible values.

Each checker takes a built :class:`~mechlib.data.records.Dataset` and appends
:class:`~mechlib.data.records.DataProblem` s; :data:`CHECKS` lists them, one per data file.

Examples
--------
>>> from mechlib.data import load, rules
>>> out = []
>>> for check in rules.CHECKS:
...     check(load(), out)
>>> out
[]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from mechlib.data.records import DataProblem, Dataset, Drug, Parameter
from mechlib.data.schema import PK_MODELS, PK_OPTIONAL_ROLES, PK_ROLE_KINDS

#: Node ids that lessons, tests and later modules rely on.
REQUIRED_NODES = (
    "lamotrigine", "ketamine", "nav_channel", "glutamate_release", "nmda_receptor",
    "interneuron_nmda_receptor",
    "gaba_interneuron", "glutamate_surge", "ampa_receptor", "bdnf", "mtorc1", "synaptogenesis",
    "antidepressant_effect", "dissociation", "seizure_activity", "proinflammatory_cytokines",
    "oxidative_stress",
)

#: Parameters the lessons and explorers of the two lesson drugs read; the schema cannot make
#: a named parameter required, so this rule does (with the name of what needs it).
REQUIRED_PARAMETERS = {
    "lamotrigine": ("molecular_weight", "protein_binding", "half_life", "reference_range_low",
                    "reference_range_high", "nav_kd_inactivated", "nav_kd_resting"),
    "ketamine": ("molecular_weight", "depression_dose", "depression_infusion_duration",
                 "depression_peak_concentration", "dissociation_band_low",
                 "dissociation_band_high", "anaesthesia_band_low", "anaesthesia_band_high",
                 "esketamine_dose_low", "ki_s_ketamine", "ki_r_ketamine"),
}
#: Parameters whose ``range`` the lessons print (a range is optional everywhere else).
REQUIRED_RANGES = {
    "lamotrigine": ("half_life", "half_life_with_valproate", "half_life_with_inducers", "tmax",
                    "clearance_multiple_dose", "oral_contraceptive_concentration_change"),
    "ketamine": ("half_life",),
}
REQUIRED_PHYSIOLOGY = ("body_weight", "extracellular_mg", "mg_block_k", "mg_block_slope",
                       "resting_potential", "nav_open_dwell_per_spike",
                       "nav_inactivated_dwell_per_spike", "surge_disinhibition_gain",
                       "surge_max_release_inhibition", "plasticity_optimum_surge",
                       "plasticity_width")


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
    """The reference exists and ``range`` holds the value (units and physical ranges are
    checked while loading, by :mod:`mechlib.data.units`)."""
    _cites(out, file, entry, [p.reference], refs)
    if p.range is not None:
        lo, hi = p.range
        if not lo <= p.value <= hi:
            out.append(DataProblem(
                file, entry, f"value {p.value:g} lies outside its own range [{lo:g}, {hi:g}]; "
                "allowed: low <= value <= high"))


def _check_pk(d: Drug, out: list[DataProblem]) -> None:
    """A declared PK model has every parameter it needs, each of the right kind."""
    roles = PK_MODELS[d.pk_model]
    optional = PK_OPTIONAL_ROLES.get(d.pk_model, ())
    for where, mapping in [(f"{d.id}.pk_parameters", d.pk_parameters)] + [
            (f"{d.id}.comedications.{cid}.pk_parameters", c.pk_parameters)
            for cid, c in d.comedications.items()]:
        for role in sorted(set(mapping) - set(roles) - set(optional)):
            out.append(DataProblem("drugs.yaml", f"{where}.{role}", f"is not used by pk_model "
                                   f"{d.pk_model}; allowed: {', '.join(roles + optional) or 'none'}"))
    variants = [(f"{d.id}.pk_parameters", None)]
    variants += [(f"{d.id}.comedications.{c}", c) for c in d.comedications]
    for entry, com in variants:
        for role in roles + optional:
            mapped = d.comedications[com].pk_parameters.get(role) if com else None
            name = mapped or d.pk_parameters.get(role, role)
            p = d.parameters.get(name)
            if p is None:
                if (com is None and role not in optional) or mapped:
                    out.append(DataProblem("drugs.yaml", f"{entry}.{role}", f"pk_model {d.pk_model} "
                                           f"needs parameter {name!r}, which {d.id} does not have"))
            elif p.kind and p.kind != PK_ROLE_KINDS[role]:
                out.append(DataProblem("drugs.yaml", f"{entry}.{role}", f"parameter {name!r} is "
                                       f"{p.kind}; allowed: {PK_ROLE_KINDS[role]} ({p.unit} given)"))
    for cid, c in d.comedications.items():
        if d.pk_model == "none":
            out.append(DataProblem("drugs.yaml", f"{d.id}.comedications.{cid}",
                                   "a co-medication needs a pk_model; allowed: " +
                                   ", ".join(m for m in PK_MODELS if m != "none")))
        if c.titration is not None and c.titration not in d.titration:
            out.append(DataProblem("drugs.yaml", f"{d.id}.comedications.{cid}", f"titration "
                                   f"{c.titration!r} is not defined; allowed: "
                                   f"{', '.join(d.titration) or 'none (add a titration)'}"))


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
    for d in ds.drugs.values():
        _check_pk(d, out)
    for did, names in REQUIRED_PARAMETERS.items():
        if did in ds.drugs:
            for name in names:
                if name not in ds.drugs[did].parameters:
                    out.append(DataProblem("drugs.yaml", f"{did}.parameters.{name}",
                                           "is missing; the lessons and explorers use it"))
    for did, names in REQUIRED_RANGES.items():
        for name in names:
            p = ds.drugs[did].parameters.get(name) if did in ds.drugs else None
            if p is not None and p.range is None:
                out.append(DataProblem("drugs.yaml", f"{did}.parameters.{name}", "has no range; "
                                       "the lessons print this one's range: add range: [low, high]"))
    for name in REQUIRED_PHYSIOLOGY:
        if name not in ds.physiology:
            out.append(DataProblem("drugs.yaml", f"physiology.{name}",
                                   "is missing; the models use it"))


def _check_mechanisms(ds: Dataset, out: list[DataProblem]) -> None:
    _unique(out, "mechanisms.yaml", ds._index["node_ids"], "node id")
    for n in ds.nodes.values():
        for v in n.views:
            if v not in ds.views:
                out.append(DataProblem("mechanisms.yaml", f"node {n.id}",
                                       f"view {v!r} is not defined; allowed: {', '.join(ds.views)}"))
    drugs = [n.id for n in ds.nodes.values() if n.kind == "drug"]
    for n in ds.nodes.values():
        if n.requires is not None and n.requires not in drugs:
            out.append(DataProblem("mechanisms.yaml", f"node {n.id}", f"requires {n.requires!r}, "
                                   f"which is not a drug; allowed: {', '.join(drugs)}"))
        for node, _use, ref in n.clinical_uses:
            if node not in ds.nodes:
                out.append(DataProblem("mechanisms.yaml", f"node {n.id}", f"clinical use names "
                                       f"node {node!r}, which does not exist"))
            _cites(out, "mechanisms.yaml", f"node {n.id}", [ref], ds.references)
    for rid in REQUIRED_NODES:
        if rid not in ds.nodes:
            out.append(DataProblem("mechanisms.yaml", f"node {rid}",
                                   "is missing; lessons and checks rely on this node id"))
    drug_nodes = {n.id for n in ds.nodes.values() if n.kind == "drug"}
    for nid in sorted(drug_nodes - set(ds.drugs)):
        out.append(DataProblem("mechanisms.yaml", f"node {nid}", "is a drug node with no entry in "
                               f"drugs.yaml; allowed: {', '.join(sorted(ds.drugs))}"))
    for did in sorted(set(ds.drugs) - drug_nodes):
        out.append(DataProblem("drugs.yaml", did, "has no node of kind drug in mechanisms.yaml; "
                               "add one with this id"))
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


def _lesson_items(ds: Dataset, out: list[DataProblem], file: str, items, what: str,
                  lesson_of=lambda x: x.lesson, refs_of=lambda x: x.references):
    """Check entries that belong to a lesson (questions, claims, prompts, terms): unique ids,
    their references exist, their lesson exists. Returns ``(entry name, item)`` pairs for more rules."""
    _unique(out, file, [x.id for x in items], f"{what} id")
    lesson_ids = {les.id for les in ds.lessons}
    named = [(f"{what} {x.id}", x) for x in items]
    for entry, x in named:
        _cites(out, file, entry, refs_of(x), ds.references)
        _in_lessons(out, file, entry, lesson_of(x), lesson_ids)
    return named


def _check_quizzes(ds: Dataset, out: list[DataProblem]) -> None:
    for entry, q in _lesson_items(ds, out, "quizzes.yaml", ds.quizzes, "question"):
        problems = []
        if q.type == "numeric":
            if isinstance(q.answer, (str, tuple)):
                problems.append("a numeric question needs a number as answer")
            if q.tolerance is None or q.unit is None:
                problems.append("a numeric question needs both tolerance and unit")
            elif q.tolerance == 0 and not float(q.answer).is_integer():
                problems.append(f"tolerance 0 marks every typed answer to {q.answer} wrong; "
                                "allowed: a tolerance > 0 (0 only for a whole-number answer)")
            if q.options:
                problems.append("a numeric question has no options; remove them")
        else:
            opts = {o.id for o in q.options}
            if len(opts) < 2:
                problems.append(f"a {q.type} question needs 2 or more options")
            if q.type == "multiple_choice" and not isinstance(q.answer, str):
                problems.append("a multiple_choice answer is one option id")
            if q.type == "multiple_select" and not isinstance(q.answer, tuple):
                problems.append("a multiple_select answer is a list of option ids")
            answers = q.answer if isinstance(q.answer, tuple) else (q.answer,)
            if len(set(answers)) != len(answers):
                problems.append("an answer is listed twice; each correct option once")
            if q.type == "multiple_select" and opts and set(answers) >= opts:
                problems.append("every option is marked correct; allowed: at least one wrong option")
            ids = [o.id for o in q.options]
            problems += [f"option id {i!r} appears twice; option ids must be unique"
                         for i in sorted({i for i in ids if ids.count(i) > 1})]
            problems += [f"answer {a!r} is not an option; allowed: {', '.join(sorted(opts))}"
                         for a in answers if isinstance(a, str) and a not in opts]
        out += [DataProblem("quizzes.yaml", entry, msg) for msg in problems]


def _notebooks_dir(ds: Dataset):
    """The lessons' notebooks: beside ``data/``, else the suite's own (a copy of data/ elsewhere)."""
    from pathlib import Path

    for folder in (ds.data_dir.parent / "notebooks", Path(__file__).resolve().parents[2] / "notebooks"):
        if folder.is_dir():
            return folder
    return None


def _check_lessons(ds: Dataset, out: list[DataProblem]) -> None:
    ids = ds._index.get("lesson_ids", [les.id for les in ds.lessons])
    _unique(out, "lessons.yaml", ids, "lesson id")
    known, folder = set(ids), _notebooks_dir(ds)
    for les in ds.lessons:
        entry = f"lesson {les.id}"
        for r in les.requires:
            if r not in known:
                out.append(DataProblem("lessons.yaml", entry, f"requires {r!r}, which is not a "
                                       f"lesson; allowed: {', '.join(sorted(known - {les.id}))}"))
            elif r == les.id:
                out.append(DataProblem("lessons.yaml", entry, "requires itself"))
        if folder is not None and not (folder / f"{les.id}.ipynb").is_file():
            out.append(DataProblem("lessons.yaml", entry, f"has no notebook {les.id}.ipynb in "
                                   f"{folder.name}/; the id must be the notebook's file name"))


def _check_claims(ds: Dataset, out: list[DataProblem]) -> None:
    _lesson_items(ds, out, "claims.yaml", ds.claims, "claim")


def _check_prompts(ds: Dataset, out: list[DataProblem]) -> None:
    _lesson_items(ds, out, "prompts.yaml", ds.prompts, "prompt")


def _check_glossary(ds: Dataset, out: list[DataProblem]) -> None:
    _lesson_items(ds, out, "glossary.yaml", ds.glossary, "term",
                  lesson_of=lambda t: t.first_lesson, refs_of=lambda t: [t.reference])


#: The rules that span entries and files, one checker per data file.
def _lab_checks() -> tuple:
    from mechlib.data import labs

    return labs.CHECKS


CHECKS = (_check_references, _check_drugs, _check_mechanisms, _check_studies,
          _check_quizzes, _check_lessons, _check_claims, _check_prompts, _check_glossary,
          *_lab_checks())

# --------------------------------------------------------------------------- the lessons' links

#: The lesson that renders the whole glossary (``lesson.glossary()``); every other lesson renders
#: the terms it introduces (``lesson.glossary("<lesson id>")``), so its links stay in the notebook
#: (JupyterLab follows a ``#fragment`` within a notebook, not into another one).
GLOSSARY_LESSON = "00_start_here"
#: A Markdown link to a glossary term: ``[text](#term-id)`` (anything before ``#`` is wrong).
_TERM_LINK = re.compile(r"\]\((?P<target>(?P<page>[^)\s#]*)#term-(?P<id>[^)\s]*))\)")
#: A lesson cell that shows a prompt with its model answer: ``lesson.prompt("id")``.
_PROMPT_CALL = re.compile(r"""\blesson\.prompt\(\s*["'](?P<id>[^"']+)["']\s*\)""")
#: A prompt written straight into a lesson, where it would have no model answer.
_BARE_PROMPT = "**Think about it.**"


#: The cell that renders a lesson's glossary section: ``lesson.glossary()`` or ``lesson.glossary("id")``.
_GLOSSARY_CALL = re.compile(r"""\blesson\.glossary\(\s*(?:["'](?P<id>[^"']+)["'])?\s*\)""")


def glossary_target(term_id: str) -> str:
    """Where a lesson links a glossary term: its anchor in the lesson's own glossary section.

    Examples
    --------
    >>> glossary_target("half-life")
    '#term-half-life'
    """
    return f"#term-{term_id}"


def _cells(path: Path, out: list[DataProblem]) -> list[dict]:
    """The cells of a notebook; a file that is not notebook JSON is reported, not raised."""
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (ValueError, AttributeError) as err:
        out.append(DataProblem(f"notebooks/{path.name}", "(file)", f"is not a notebook ({err}); "
                               "allowed: notebook JSON, as Jupyter saves it"))
        return []


def check_notebooks(ds: Dataset, notebooks_dir: str | Path) -> list[DataProblem]:
    """Check the lessons against ``prompts.yaml`` and ``glossary.yaml``; return every problem.

    Each glossary link names a term that exists, with the target ``#term-<id>``, and a term the
    lesson's glossary section lists (lesson 00 lists them all, any other lesson the terms it
    introduces); each term is linked in its ``first_lesson``, which renders its glossary section
    (``lesson.glossary("<lesson id>")``); each ``lesson.prompt("id")`` names a prompt of that
    lesson; each prompt is shown in its lesson; no lesson writes a "Think about it" prompt into
    its Markdown, where it would have no model answer. A lesson's text is its Markdown cells and
    the prompts it shows.

    Parameters
    ----------
    ds : Dataset
    notebooks_dir : str or Path
        The folder of lesson notebooks, ``<lesson id>.ipynb``.

    Returns
    -------
    list of DataProblem
        Empty when everything links up.

    Examples
    --------
    >>> from mechlib.data import load
    >>> ds = load()
    >>> check_notebooks(ds, ds.data_dir.parent / "notebooks")
    []
    """
    folder = Path(notebooks_dir)
    terms = {t.id: t for t in ds.glossary}
    prompts = {p.id: p for p in ds.prompts}
    out: list[DataProblem] = []
    linked: dict[str, set[str]] = {}
    shown: set[str] = set()
    for les in ds.lessons:
        path = folder / f"{les.id}.ipynb"
        if not path.is_file():
            continue
        name = f"notebooks/{path.name}"
        texts: list[tuple[str, str]] = []
        sections: list[str | None] = []
        for i, cell in enumerate(_cells(path, out)):
            src = "".join(cell.get("source", []))
            where = f"cell {i + 1}"
            if cell.get("cell_type") == "markdown":
                texts.append((where, src))
                if _BARE_PROMPT in src:
                    out.append(DataProblem(name, where, "writes a Think-about-it prompt in Markdown, "
                                           "where it has no model answer; allowed: a prompts.yaml entry "
                                           'shown with lesson.prompt("<id>")'))
            elif cell.get("cell_type") == "code":
                sections += [m["id"] for m in _GLOSSARY_CALL.finditer(src)]
                for m in _PROMPT_CALL.finditer(src):
                    pid = m["id"]
                    if pid not in prompts:
                        out.append(DataProblem(name, where, f"shows prompt {pid!r}, which is not in "
                                               f"prompts.yaml; allowed: {', '.join(sorted(prompts))}"))
                    elif prompts[pid].lesson != les.id:
                        out.append(DataProblem(name, where, f"shows prompt {pid!r} of lesson "
                                               f"{prompts[pid].lesson}; allowed: this lesson's prompts"))
                    else:
                        shown.add(pid)
                        texts.append((f"{where} (prompt {pid})", prompts[pid].prompt))
        own = [t.id for t in ds.glossary if t.first_lesson == les.id]
        listed = set(terms) if les.id == GLOSSARY_LESSON else set(own)
        section = None if les.id == GLOSSARY_LESSON else les.id
        if (own or les.id == GLOSSARY_LESSON) and section not in sections:
            call = "lesson.glossary()" if section is None else f'lesson.glossary("{les.id}")'
            out.append(DataProblem(name, "(cells)", f"renders no glossary section for its terms; "
                                   f"allowed: a code cell {call} before the references"))
        for bad in [s for s in sections if s != section]:
            allowed = "lesson.glossary(" + ("" if section is None else repr(section)) + ")"
            out.append(DataProblem(name, "(cells)", f"renders the glossary section of "
                                   f"{bad or 'every lesson'}; allowed: {allowed}"))
        for where, text in texts:
            for m in _TERM_LINK.finditer(text):
                tid = m["id"]
                if tid not in terms:
                    out.append(DataProblem(name, where, f"links glossary term {tid!r}, which is not in "
                                           f"glossary.yaml; allowed: {', '.join(sorted(terms))}"))
                    continue
                want = glossary_target(tid)
                if m["target"] != want:
                    out.append(DataProblem(name, where, f"links term {tid!r} as {m['target']!r}; "
                                           f"allowed: {want!r}"))
                elif tid not in listed:
                    out.append(DataProblem(
                        name, where, f"links term {tid!r}, which this lesson's glossary section does "
                        f"not list (its first lesson is {terms[tid].first_lesson}); allowed: "
                        f"{', '.join(sorted(listed))}"))
                linked.setdefault(les.id, set()).add(tid)
    have = {les.id for les in ds.lessons if (folder / f"{les.id}.ipynb").is_file()}
    for t in ds.glossary:
        if t.first_lesson in have and t.id not in linked.get(t.first_lesson, set()):
            out.append(DataProblem("glossary.yaml", f"term {t.id}", f"is not linked in its first lesson "
                                   f"{t.first_lesson}; allowed: a link [{t.term}]"
                                   f"({glossary_target(t.id)}) at its first use"))
    for p in ds.prompts:
        if p.lesson in have and p.id not in shown:
            out.append(DataProblem("prompts.yaml", f"prompt {p.id}", f"is not shown in {p.lesson}; "
                                   f'allowed: a code cell lesson.prompt("{p.id}") in that lesson'))
    return out

