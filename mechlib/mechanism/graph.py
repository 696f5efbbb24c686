"""The mechanism diagrams as networkx graphs, one per named view in ``data/mechanisms.yaml``.

A node belongs to a view when the data tags it with that view; an edge belongs when both of its
ends do. Graphs are built once per loaded dataset and returned frozen, so every caller shares them.

Examples
--------
>>> g = view("sodium_channel")
>>> g.nodes["nav_channel"]["kind"]
'target'
>>> sorted(g.successors("lamotrigine"))
['gaba_release', 'use_dependent_block']
"""

from __future__ import annotations

import networkx as nx

from mechlib import data

#: Sign of each edge kind: what a rise in the source does to the target.
SIGNS = {"stimulates": 1, "necessary": 1, "inhibits": -1, "unknown": 0}


def view_names() -> tuple[str, ...]:
    """The names of the views defined in the data, in file order.

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> view_names()
    ('sodium_channel', 'glutamate_synapse', 'nmda_receptor', 'ketamine_cascade', 'combined')
    """
    return tuple(data.load().views)


def view(name: str, include_hypotheses: bool = True) -> nx.MultiDiGraph:
    """The mechanism graph of one view, with every attribute from the data.

    Node attributes: ``label``, ``kind``, ``compartment``, ``description``, ``requires`` (the
    drug without which the node does not exist, or None) and ``clinical_uses``. Edge attributes (the
    edge key is its kind): ``kind``, ``sign`` (+1, -1 or 0), ``status``, ``mechanism``,
    ``references`` (tuple of reference keys) and ``evidence``. ``graph.graph`` holds ``name``,
    ``title``, ``description``, ``include_hypotheses`` and ``citations`` (key -> short citation).

    Parameters
    ----------
    name : str
        One of :func:`view_names`.
    include_hypotheses : bool, default True
        False drops the edges whose status is ``hypothesis`` (nodes stay, so positions match).

    Returns
    -------
    networkx.MultiDiGraph
        Frozen (read-only) and shared: copy it with ``nx.MultiDiGraph(g)`` before changing it.

    Raises
    ------
    ValueError
        If ``name`` is not a view; the message lists the allowed views.

    Examples
    --------
    >>> g = view("combined")
    >>> g.edges["lamotrigine", "use_dependent_block", "stimulates"]["references"]
    ('kuo1998',)
    >>> view("combined", include_hypotheses=False).number_of_edges() < g.number_of_edges()
    True
    >>> view("brain")
    Traceback (most recent call last):
    ...
    ValueError: unknown view 'brain'; allowed: sodium_channel, glutamate_synapse, nmda_receptor, \
ketamine_cascade, combined
    """
    ds = data.load()
    if name not in ds.views:
        raise ValueError(f"unknown view {name!r}; allowed: {', '.join(ds.views)}")
    # Dataset._index is the per-dataset cache: a changed data file gives a new Dataset.
    key = ("graph.view", name, bool(include_hypotheses))
    if key not in ds._index:
        ds._index[key] = _build(ds, name, bool(include_hypotheses))
    return ds._index[key]


def _build(ds: data.Dataset, name: str, include_hypotheses: bool) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(
        name=name, title=ds.views[name]["title"], description=ds.views[name]["description"],
        include_hypotheses=include_hypotheses,
        citations={k: r.citation for k, r in ds.references.items()},
    )
    for n in ds.nodes.values():
        if name in n.views:
            g.add_node(n.id, label=n.label, kind=n.kind, compartment=n.compartment,
                       description=n.description, requires=n.requires,
                       clinical_uses=n.clinical_uses)
    for e in ds.edges:
        if e.source in g and e.target in g and (include_hypotheses or e.status != "hypothesis"):
            g.add_edge(e.source, e.target, key=e.kind, kind=e.kind, sign=SIGNS[e.kind],
                       status=e.status, mechanism=e.mechanism, references=e.references,
                       evidence=e.evidence)
    return nx.freeze(g)
