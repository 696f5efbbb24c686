"""Lesson 08's explorer: any view, any drugs, verdicts with cited paths (the presenter screen).

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib.explorers.base import (
    Choice,
    Explorer,
    Frame,
    MultiToggle,
    Toggle,
    node_label,
    register,
    verdict_lines,
)

# --- lesson 08: the mechanism explorer ---


def _view_choices() -> tuple[tuple[str, str], ...]:
    from mechlib import data

    return tuple((v["title"], k) for k, v in data.load().views.items())


def _node_choices() -> tuple[tuple[str, str], ...]:
    """Every node but the drugs: those of the combined view first, then the others, marked."""
    from mechlib import data

    nodes = [n for n in data.load().nodes.values() if n.kind != "drug"]
    return (tuple((n.label, n.id) for n in nodes if "combined" in n.views)
            + tuple((f"{n.label} (not in combined view)", n.id) for n in nodes
                    if "combined" not in n.views))


def _drug_choices() -> tuple[tuple[str, str], ...]:
    """Every drug in drugs.yaml that has a node (check-data makes them the same set)."""
    from mechlib import data

    ds = data.load()
    return tuple((d.name, d.id) for d in ds.drugs.values() if d.id in ds.nodes)


def _render_mechanism_explorer(view: str, drugs: tuple[str, ...], established_only: bool,
                               node: str) -> Frame:
    from mechlib.mechanism import draw, graph

    include = not established_only
    g = graph.view(view, include)
    in_view = tuple(d for d in drugs if d in g)
    fig = draw.diagram(view, drugs=list(in_view), include_hypotheses=include,
                       highlight=node if node in g else None)
    lines = [f"View: {g.graph['title']}"
             + (" (established edges only)" if established_only else " (hypothesis edges included)"),
             "Drugs switched on: " + (", ".join(d.capitalize() for d in in_view) or "none")]
    lines += [f"{d.capitalize()} is not in this view, so it is not switched on."
              for d in drugs if d not in g]
    if node not in g:
        lines.append(f"The node '{node_label(node)}' is not in this view: choose another node "
                     f"or view.")
    elif not in_view:
        lines.append(f"Selected node: {g.nodes[node]['label']}. Switch a drug on to see verdicts.")
    else:
        lines += verdict_lines(view, in_view, node, include)
    return Frame(fig, "\n".join(lines), draw.alt_text(view, list(in_view), include))


register(Explorer(
    name="mechanism_explorer",
    title="Mechanism explorer: any view, any drugs, verdicts with cited paths",
    controls=(
        Choice("view", "View", _view_choices(), "combined"),
        MultiToggle("drugs", "Drugs", _drug_choices(), tuple(v for _, v in _drug_choices())),
        Toggle("established_only", "Established edges only", False),
        Choice("node", "Node", _node_choices(), "antidepressant_effect"),
    ),
    render=_render_mechanism_explorer,
    question="Pick a node: which paths lead to it from each drug, and on what evidence?",
    note="Arrowheads stimulate, T-bars inhibit, dashed edges are hypotheses; verdicts are "
         "directions only (sign reasoning cannot tell additive from synergistic).",
))
