"""Signed-path reasoning: what switching a drug on does to each node, by which paths, on what evidence.

The sign of a path is the product of its edge signs (stimulates and necessary +1, inhibits -1,
unknown 0). For a node, the paths from the drugs decide the verdict:

- ``increase`` / ``decrease``: every path of known sign agrees;
- ``opposing``: paths of known sign disagree (both are reported, neither is hidden);
- ``undetermined``: paths reach the node, but each passes an edge of unknown sign;
- ``none``: no path reaches the node.

Paths are simple (no node twice), so feedback loops are walked at most once, and have at most
``max_length`` edges. Sign reasoning says nothing about size: it cannot tell an additive effect from
a synergistic one. The functions work on any networkx (Multi)DiGraph whose edges carry ``kind``
(and optionally ``status``, ``references``, ``mechanism``) and whose drug nodes have
``kind="drug"``, not only on the shipped views.

Examples
--------
>>> effect("lamotrigine", "glutamate_release").verdict
'decrease'
>>> print(effect("lamotrigine", "glutamate_release").paths[0].sentence)
On established edges alone, lamotrigine drives use-dependent Na⁺ block (Kuo 1998), which \
inhibits voltage-gated Na⁺ channel (Kuo 1998; Lamictal label 2021), which drives repetitive firing \
(Hille 1977), which drives glutamate release (Leach 1986); so lamotrigine lowers glutamate release.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from mechlib.mechanism import graph

VERDICTS = ("increase", "decrease", "opposing", "undetermined", "none")
INTERACTIONS = ("concordant", "opposing", "contested", "independent", "none")
NOTE = ("Sign reasoning gives directions only: it cannot tell whether two effects add up or "
        "multiply (synergy), nor how large any effect is.")
#: What each verdict word means, shown wherever the word appears.
MEANINGS = {
    "increase": "every path of known sign raises it",
    "decrease": "every path of known sign lowers it",
    "opposing": "some paths raise it and others lower it",
    "undetermined": "paths reach it, but each passes an edge of unknown sign",
    "none": "not reached: no path from the drugs switched on reaches it",
    "concordant": "both drugs, each alone, push it the same way",
    "contested": "both drugs reach it and at least one has paths of both signs or of unknown sign",
    "independent": "only one of the two drugs reaches it",
}
#: ``opposing`` for two drugs means something else than for one.
MEANINGS_TWO_DRUGS = {**MEANINGS, "opposing": "one drug raises it and the other lowers it",
                      "none": "neither drug reaches it"}


def explain(verdict: str, two_drugs: bool = False) -> str:
    """``'opposing (some paths raise it and others lower it)'``: a verdict word with its meaning.

    >>> explain("contested", two_drugs=True)
    'contested (both drugs reach it and at least one has paths of both signs or of unknown sign)'
    """
    return f"{verdict} ({(MEANINGS_TWO_DRUGS if two_drugs else MEANINGS)[verdict]})"


_VERBS = {"stimulates": "drives", "inhibits": "inhibits", "necessary": "is needed for",
          "unknown": "has an unknown effect on"}
_OUTCOME = {1: "raises", -1: "lowers", 0: "has an unknown net effect on"}


@dataclass(frozen=True)
class Step:
    """One edge of a path, with its evidence."""

    source: str
    target: str
    kind: str
    sign: int
    status: str
    references: tuple[str, ...]
    mechanism: str

    def to_dict(self) -> dict:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "sign": self.sign, "status": self.status, "references": list(self.references),
                "mechanism": self.mechanism}


@dataclass(frozen=True)
class Path:
    """A simple path from a drug to a node: its nodes, edges, sign and one plain sentence."""

    nodes: tuple[str, ...]
    edges: tuple[Step, ...]
    sign: int
    sentence: str

    @property
    def signs(self) -> tuple[int, ...]:
        return tuple(s.sign for s in self.edges)

    @property
    def references(self) -> tuple[str, ...]:
        """Every reference key on the path, first appearance first."""
        return tuple(dict.fromkeys(k for s in self.edges for k in s.references))

    def to_dict(self) -> dict:
        return {"nodes": list(self.nodes), "signs": list(self.signs),
                "references": list(self.references), "sentence": self.sentence,
                "sign": self.sign, "edges": [s.to_dict() for s in self.edges]}

    def __str__(self) -> str:
        return self.sentence


@dataclass(frozen=True)
class Effect:
    """The verdict for one node when ``drugs`` are switched on, with every path behind it."""

    drugs: tuple[str, ...]
    node: str
    label: str
    verdict: str
    paths: tuple[Path, ...]

    def to_dict(self) -> dict:
        return {"drugs": list(self.drugs), "node": self.node, "verdict": self.verdict,
                "meaning": MEANINGS[self.verdict], "caveat": self.caveat,
                "paths": [p.to_dict() for p in self.paths]}

    caveat: str = ""  # what the path model cannot say here (a drug on what its own use treats)

    def describe(self) -> str:
        """The verdict (with what the word means), each path as a numbered sentence, any caveat."""
        n = len(self.paths)
        lines = [f"{' + '.join(self.drugs)} on {self.label}: {explain(self.verdict)}, "
                 f"{n} path{'s' if n != 1 else ''}"]
        lines += [f"  {i}. {p.sentence}" for i, p in enumerate(self.paths, 1)]
        if self.caveat:
            lines.append("  Note: " + self.caveat)
        return "\n".join(lines)

    __str__ = describe


@dataclass(frozen=True)
class Interaction:
    """Two drugs on one node: each drug's effect, where their paths meet, and the combined verdict."""

    drugs: tuple[str, str]
    node: str
    verdict: str
    effects: Mapping[str, Effect]
    meeting: tuple[str, ...]
    note: str = NOTE

    def to_dict(self) -> dict:
        return {"drugs": list(self.drugs), "node": self.node, "verdict": self.verdict,
                "meeting": list(self.meeting), "note": self.note,
                "effects": {d: e.to_dict() for d, e in self.effects.items()}}

    def describe(self) -> str:
        """The combined verdict, the meeting nodes, the note, then each drug's paths."""
        a, b = self.drugs
        meet = ", ".join(self.meeting) or "only at the node itself"
        parts = [f"{a} and {b} on {self.effects[a].label}: {explain(self.verdict, True)}",
                 f"paths meet at: {meet}", f"note: {self.note}"]
        parts += [e.describe() for e in self.effects.values()]
        return "\n".join(parts)

    __str__ = describe


def _graph(view: str | nx.DiGraph) -> nx.DiGraph:
    return graph.view(view) if isinstance(view, str) else view


def _drug_ids(g: nx.DiGraph, drugs: str | Iterable[str]) -> tuple[str, ...]:
    names = [drugs] if isinstance(drugs, str) else list(drugs)
    allowed = [n for n, k in g.nodes(data="kind") if k == "drug"]
    ids = tuple(dict.fromkeys(str(d).strip().lower() for d in names))
    if not ids:
        raise ValueError(f"no drug given; allowed: {', '.join(allowed)}")
    for d in ids:
        if d not in allowed:
            raise ValueError(f"drug {d!r} is not in view {g.graph.get('name', '(graph)')!r}; "
                             f"allowed: {', '.join(allowed)}")
    return ids


def _check_node(g: nx.DiGraph, node: str, exclude: Iterable[str] = ()) -> None:
    if node not in g or node in exclude:
        allowed = [n for n in g if n not in exclude]
        raise ValueError(f"unknown node {node!r} in view {g.graph.get('name', '(graph)')!r}; "
                         f"allowed: {', '.join(allowed)}")


def _label(g: nx.DiGraph, node: str) -> str:
    return g.nodes[node].get("label", node)


def _in_sentence(label: str) -> str:
    """``'Glutamate release'`` -> ``'glutamate release'``; keeps ``'NMDA …'``, ``'Ca²⁺ …'``."""
    word = label.split(" ")[0]
    if word[:1].isupper() and all(c.islower() or c == "-" for c in word[1:]):
        return label[0].lower() + label[1:]
    return label


def _sentence(g: nx.DiGraph, nodes: tuple[str, ...], steps: tuple[Step, ...], sign: int) -> str:
    cites = g.graph.get("citations", {})
    clauses = []
    for s in steps:
        refs = "; ".join(cites.get(k, k) for k in s.references)
        if s.status == "hypothesis":
            refs = f"hypothesis; {refs}" if refs else "hypothesis"
        target = _in_sentence(_label(g, s.target))
        clauses.append(f"{_VERBS[s.kind]} {target}" + (f" ({refs})" if refs else ""))
    drug, node = _label(g, nodes[0]), _in_sentence(_label(g, nodes[-1]))
    hyp = [f"{_in_sentence(_label(g, st.source))} → {_in_sentence(_label(g, st.target))}"
           for st in steps if st.status == "hypothesis"]
    if hyp:
        lead = (f"If the hypothesis {hyp[0]} holds, " if len(hyp) == 1 else
                f"If the hypotheses {', '.join(hyp[:-1])} and {hyp[-1]} hold, ")
    else:
        lead = "On established edges alone, "
    return (lead + f"{_in_sentence(drug)} " + ", which ".join(clauses)
            + f"; so {_in_sentence(drug)} {_OUTCOME[sign]} {node}.")


def _step(u: str, v: str, d: Mapping) -> Step:
    kind = d.get("kind")
    if kind not in graph.SIGNS:
        raise ValueError(f"edge {u} -> {v} has kind {kind!r}; allowed: {', '.join(graph.SIGNS)}")
    return Step(u, v, kind, graph.SIGNS[kind], d.get("status", "established"),
                tuple(d.get("references", ())), d.get("mechanism", ""))


def _walk(g: nx.DiGraph, drug: str, include_hypotheses: bool, max_length: int,
          on: Iterable[str] = ()) -> dict:
    """Every simple path of at most ``max_length`` edges from ``drug``, grouped by end node.

    A node that ``requires`` a drug not in ``on`` (ketamine's open-channel block without
    ketamine) does not exist, so no path enters it."""
    found: dict[str, list[tuple[Step, ...]]] = {}
    on = set(on) | {drug}

    def extend(node: str, steps: tuple[Step, ...], seen: frozenset) -> None:
        for _, v, d in g.out_edges(node, data=True):
            if v in seen or (not include_hypotheses and d.get("status") == "hypothesis"):
                continue
            if g.nodes[v].get("requires") not in (None, *on):
                continue
            path = steps + (_step(node, v, d),)
            found.setdefault(v, []).append(path)
            if len(path) < max_length:
                extend(v, path, seen | {v})

    extend(drug, (), frozenset([drug]))
    return found


def _verdict(paths: Iterable[Path]) -> str:
    signs = {p.sign for p in paths}
    known = signs - {0}
    if len(known) == 2:
        return "opposing"
    if known:
        return "increase" if known == {1} else "decrease"
    return "undetermined" if signs else "none"


def _caveat(g: nx.DiGraph, ids: tuple[str, ...], node: str) -> str:
    """For one drug on a node its own clinical use treats: what the path model can and cannot say."""
    if len(ids) != 1:
        return ""
    cites = g.graph.get("citations", {})
    for target, use, ref in g.nodes[ids[0]].get("clinical_uses", ()):
        if target == node:
            return (f"{_label(g, ids[0])} is itself used for this ({use}; {cites.get(ref, ref)}). "
                    f"The path model follows only the mechanisms drawn here, so its verdict says "
                    f"which way these paths push, not whether the drug helps this symptom, how "
                    f"much, or through which mechanism its clinical effect works.")
    return ""


def effects(drugs: str | Iterable[str], view: str | nx.DiGraph = "combined",
            include_hypotheses: bool = True, max_length: int = 12) -> dict[str, Effect]:
    """What switching ``drugs`` on does to every other node of a view.

    Parameters
    ----------
    drugs : str or iterable of str
        One drug id or several (case-insensitive); each must be a drug node of the view.
    view : str or networkx.DiGraph, default "combined"
        A view name from :func:`mechlib.graph.view_names`, or any (Multi)DiGraph with the same
        attributes (edges need ``kind``; drug nodes need ``kind="drug"``).
    include_hypotheses : bool, default True
        False ignores edges whose status is ``hypothesis`` ("established only").
    max_length : int, default 12
        Longest path considered, in edges (the longest path in the shipped data has 10).

    Returns
    -------
    dict of str to Effect
        For every node except the drugs themselves, in graph order. Paths are sorted shortest first.

    Raises
    ------
    ValueError
        An unknown view, a drug that is not in the view (the message lists the drugs that are),
        an edge of unknown kind, or ``max_length`` below 1.

    Examples
    --------
    >>> fx = effects(["ketamine"])
    >>> fx["glutamate_surge"].verdict, fx["dissociation"].verdict
    ('increase', 'increase')
    >>> effects("lamotrigine")["antidepressant_effect"].verdict
    'opposing'
    >>> effects("lamotrigine", include_hypotheses=False)["antidepressant_effect"].verdict
    'none'
    >>> effects("aspirin")
    Traceback (most recent call last):
    ...
    ValueError: drug 'aspirin' is not in view 'combined'; allowed: lamotrigine, ketamine
    """
    g = _graph(view)
    ids = _drug_ids(g, drugs)
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1; got {max_length}")
    # A shipped view is frozen and shared, so its answers are kept on it (a toggle back is free).
    cache = g.graph.setdefault("_effects", {}) if nx.is_frozen(g) else {}
    key = (ids, bool(include_hypotheses), max_length)
    if key not in cache:
        cache[key] = _effects(g, ids, include_hypotheses, max_length)
    return dict(cache[key])


def _effects(g: nx.DiGraph, ids: tuple[str, ...], include_hypotheses: bool,
             max_length: int) -> dict[str, Effect]:
    steps_by_node: dict[str, list[tuple[Step, ...]]] = {}
    for d in ids:
        for node, found in _walk(g, d, include_hypotheses, max_length, ids).items():
            steps_by_node.setdefault(node, []).extend(found)
    out = {}
    for node in g:
        if node in ids:
            continue
        paths = []
        for steps in sorted(steps_by_node.get(node, ()), key=lambda s: (len(s), [e.source for e in s])):
            nodes = (steps[0].source,) + tuple(s.target for s in steps)
            sign = 1
            for s in steps:
                sign *= s.sign
            paths.append(Path(nodes, steps, sign, _sentence(g, nodes, steps, sign)))
        out[node] = Effect(ids, node, _label(g, node), _verdict(paths), tuple(paths),
                           _caveat(g, ids, node))
    return out


def effect(drugs: str | Iterable[str], node: str, view: str | nx.DiGraph = "combined",
           include_hypotheses: bool = True, max_length: int = 12) -> Effect:
    """The :class:`Effect` of ``drugs`` on one ``node``; see :func:`effects` for the parameters.

    Parameters
    ----------
    drugs : str or iterable of str
        Drug ids in the view.
    node : str
        A node id of the view, not one of the drugs.
    view, include_hypotheses, max_length
        As in :func:`effects`.

    Returns
    -------
    Effect

    Raises
    ------
    ValueError
        An unknown view, drug or node; the message lists the allowed values.

    Examples
    --------
    >>> e = effect("ketamine", "nmda_receptor", view="nmda_receptor")
    >>> e.verdict, e.paths[0].nodes
    ('decrease', ('ketamine', 'open_channel_block', 'nmda_receptor'))
    >>> effect("ketamine", "liver")
    Traceback (most recent call last):
    ...
    ValueError: unknown node 'liver' in view 'combined'; allowed: lamotrigine, use_dependent_block, \
nav_channel, action_potential_firing, glutamate_release, seizure_activity, ampa_receptor, \
nmda_receptor, interneuron_nmda_receptor, open_channel_block, gaba_interneuron, pyramidal_firing, \
glutamate_surge, bdnf, mtorc1, synaptogenesis, eef2_kinase, hydroxynorketamine, \
antidepressant_effect, dissociation, proinflammatory_cytokines, oxidative_stress
    """
    g = _graph(view)
    ids = _drug_ids(g, drugs)
    _check_node(g, node, exclude=ids)
    return effects(ids, g, include_hypotheses, max_length)[node]


def interaction(drug_a: str, drug_b: str, node: str, view: str | nx.DiGraph = "combined",
                include_hypotheses: bool = True, max_length: int = 12) -> Interaction:
    """How two drugs, each switched on alone, bear on one node, and where their paths meet.

    The verdict compares the two single-drug verdicts:

    - ``concordant``: both increase, or both decrease;
    - ``opposing``: one increases and the other decreases;
    - ``contested``: both reach the node and at least one verdict is itself ``opposing`` or
      ``undetermined``, so the evidence points both ways;
    - ``independent`` (an addition to the three above): only one drug reaches the node;
    - ``none`` (also an addition): neither reaches it.

    Whatever the verdict, :attr:`Interaction.note` says that sign reasoning cannot tell an
    additive effect from a synergistic one.

    Parameters
    ----------
    drug_a, drug_b : str
        Two different drugs of the view.
    node : str
        A node id of the view, not one of the two drugs.
    view, include_hypotheses, max_length
        As in :func:`effects`.

    Returns
    -------
    Interaction
        ``meeting`` lists the nodes (other than ``node``) that lie on paths of both drugs to
        ``node``, upstream first.

    Raises
    ------
    ValueError
        An unknown view, drug or node, or the same drug twice.

    Examples
    --------
    >>> i = interaction("ketamine", "lamotrigine", "dissociation")
    >>> i.verdict, i.meeting
    ('opposing', ('glutamate_surge',))
    >>> interaction("ketamine", "lamotrigine", "antidepressant_effect").verdict
    'contested'
    >>> interaction("ketamine", "ketamine", "bdnf")
    Traceback (most recent call last):
    ...
    ValueError: give two different drugs; got 'ketamine' twice
    """
    g = _graph(view)
    ids = _drug_ids(g, [drug_a, drug_b])
    if len(ids) < 2:
        raise ValueError(f"give two different drugs; got {ids[0]!r} twice")
    _check_node(g, node, exclude=ids)
    fx = {d: effect(d, node, g, include_hypotheses, max_length) for d in ids}
    a, b = (fx[d].verdict for d in ids)
    if "none" in (a, b):
        verdict = "none" if a == b else "independent"
    elif {a, b} <= {"increase", "decrease"}:
        verdict = "concordant" if a == b else "opposing"
    else:
        verdict = "contested"
    on_paths = [{n for p in e.paths for n in p.nodes[1:-1]} for e in fx.values()]
    shared = on_paths[0] & on_paths[1]
    depth = nx.shortest_path_length(g.reverse(copy=False), node) if shared else {}
    meeting = tuple(sorted(shared, key=lambda n: (-depth.get(n, 0), n)))
    return Interaction(ids, node, verdict, fx, meeting)
