"""The learning path: the lessons as a graph, from ``requires`` in ``data/lessons.yaml``.

Examples
--------
>>> print(describe_learning_path().splitlines()[0])  # doctest: +ELLIPSIS
The ... lessons...
"""

from __future__ import annotations

import textwrap

from mechlib import data, style


def _lesson_graph():
    import networkx as nx

    lessons = data.load().lessons
    g = nx.DiGraph()
    for les in lessons:
        g.add_node(les.id, title=les.title, minutes=les.minutes)
    for les in lessons:
        for r in les.requires:
            if r not in g:
                raise ValueError(f"lesson {les.id!r} requires {r!r}, which is not a lesson; "
                                 f"allowed: {', '.join(les.id for les in lessons)}")
            g.add_edge(r, les.id)
    if not nx.is_directed_acyclic_graph(g):
        raise ValueError("the lessons' requires form a cycle; the learning path must not loop")
    for n in nx.topological_sort(g):
        g.nodes[n]["step"] = max((g.nodes[p]["step"] + 1 for p in g.predecessors(n)), default=0)
    return g


def learning_path():
    """The lessons as a graph, left to right: an arrow from a lesson to the ones that build on it.

    Returns
    -------
    matplotlib.figure.Figure
        White background, dark text; describe it with :func:`describe_learning_path`.

    Raises
    ------
    ValueError
        If a lesson requires an unknown lesson or the requirements loop.

    Examples
    --------
    >>> fig = learning_path()
    >>> len(fig.axes[0].texts) >= 9
    True
    """
    g = _lesson_graph()
    steps: dict[int, list[str]] = {}
    for n in g.nodes:  # data order within a step
        steps.setdefault(g.nodes[n]["step"], []).append(n)
    pos = {}
    for x, ids in steps.items():
        for i, n in enumerate(ids):
            pos[n] = (x * 2.2, (len(ids) - 1) / 2 - i)
    fig = style.figure((12, 3.6))
    ax = fig.add_subplot()
    ax.set_facecolor("white")
    for u, v in g.edges:
        ax.annotate("", xy=pos[v], xytext=pos[u],
                    arrowprops=dict(arrowstyle="-|>", color="#333333", lw=1.4, shrinkA=42, shrinkB=42))
    for n, (x, y) in pos.items():
        number = n.split("_", 1)[0]
        label = f"{number}\n" + textwrap.fill(g.nodes[n]["title"], 14)
        ax.text(x, y, label, ha="center", va="center", fontsize=10, color="black",
                bbox=dict(boxstyle="round,pad=0.5", facecolor="#f0f0f0", edgecolor="#333333"))
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    ax.set_title("Learning path: each arrow points to a lesson that builds on the one before",
                 color="black", fontsize=11)
    return fig


def describe_learning_path() -> str:
    """A text description of :func:`learning_path`, for screen readers and static views.

    Returns
    -------
    str

    Examples
    --------
    >>> print(describe_learning_path())  # doctest: +ELLIPSIS
    The learning path has 9 lessons in 6 steps, left to right.
    - 00 Start here (10 min): the first lesson.
    - 01 Neurons and synapses (45 min): after 00 Start here.
    ...
    """
    g = _lesson_graph()
    n_steps = 1 + max(g.nodes[n]["step"] for n in g.nodes)

    def name(n: str) -> str:
        return f"{n.split('_', 1)[0]} {g.nodes[n]['title']}"

    lines = [f"The learning path has {g.number_of_nodes()} lessons in {n_steps} steps, left to right."]
    for n in g.nodes:
        before = [name(p) for p in g.predecessors(n)]
        after = "the first lesson" if not before else "after " + " and ".join(before)
        lines.append(f"- {name(n)} ({g.nodes[n]['minutes']} min): {after}.")
    return "\n".join(lines)
