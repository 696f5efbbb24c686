"""Lesson 06's explorer: the human studies on the evidence map.

Each render function is pure (control values in, a :class:`~mechlib.explorers.base.Frame` out)
and is registered with its controls when this module is imported.
"""

from __future__ import annotations

from mechlib.explorers.base import Choice, Explorer, Frame, choice_label, register

# --- lesson 06: the human studies ---

_POPULATIONS = (("all populations", "all"), ("animal", "animal"),
                ("healthy volunteers", "healthy-volunteers"), ("patients", "patients"))
_HYPOTHESES = (("all hypotheses", "all"), ("synergy", "synergy"), ("antagonism", "antagonism"),
               ("fewer side effects", "side_effect_attenuation"))


def _render_studies(population: str, hypothesis: str) -> Frame:
    from mechlib import data
    from mechlib.teaching import evidence

    ds = data.load()
    hyp = None if hypothesis == "all" else hypothesis
    pop = None if population == "all" else population
    from mechlib.teaching.evidence_svg import evidence_svg

    fig = evidence_svg(hypothesis=hyp)  # inline SVG, drawn once per filter
    found = evidence.select(population=pop, hypothesis=hyp)
    lines = [f"Filter: {choice_label(_POPULATIONS, population)}; {choice_label(_HYPOTHESES, hypothesis)}. "
             f"{len(found)} stud{'y' if len(found) == 1 else 'ies'} match."]
    for row in evidence.table(found):
        lines.append(f"- {row['Study']} | {row['Design']} | {row['Population']} | N {row['N']}")
        lines.append(f"    finding: {row['Main findings']}")
        for h in ds.hypotheses.values():
            if (hyp is None or h.id == hyp) and row[h.title] != "—":
                lines.append(f"    {h.title}: {row[h.title]}")
    if not found:
        lines.append("No study in the data matches this filter.")
    lines.append("")
    if hyp is None:
        for h in ds.hypotheses:
            first, second = evidence.summary(h).splitlines()[:2]
            lines += [first, "  " + second]
    else:
        lines.append(evidence.summary(hyp))
    lines.append("The map shows every population; the filter applies to the list above.")
    return Frame(fig, "\n".join(lines), evidence.describe_map(hyp))


register(Explorer(
    name="studies",
    title="The studies of lamotrigine with ketamine",
    controls=(
        Choice("population", "Population", _POPULATIONS, "all"),
        Choice("hypothesis", "Hypothesis", _HYPOTHESES, "all"),
    ),
    render=_render_studies,
    question="Which hypothesis has evidence from patients, and what does it say?",
))
