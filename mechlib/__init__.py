"""mechlib: mechanisms and pharmacology of lamotrigine and ketamine, for teaching.

The package is in layers that follow the data flow (see ``docs/contributing.md``):
:mod:`mechlib.data` → :mod:`mechlib.mechanism` → :mod:`mechlib.models` and
:mod:`mechlib.teaching` → :mod:`mechlib.explorers` → :mod:`mechlib.widgets`, with
:mod:`mechlib.cli` over them. Lessons use the short names, which are imported on first use, so
``import mechlib`` stays cheap:

>>> from mechlib import draw, pk, quiz
>>> pk.__name__, quiz.__name__
('mechlib.models.pk', 'mechlib.teaching.quiz')
>>> import mechlib
>>> mechlib.data.load().drug("lamotrigine").name
'Lamotrigine'

The suite teaches pharmacology. It is not medical advice.
"""

from __future__ import annotations

import importlib

#: The short names a lesson imports (``from mechlib import draw``) and the module each names.
MODULES = {
    "data": "mechlib.data",
    "schema": "mechlib.data.schema",
    "graph": "mechlib.mechanism.graph",
    "reasoning": "mechlib.mechanism.reasoning",
    "draw": "mechlib.mechanism.draw",
    "pk": "mechlib.models.pk",
    "pd": "mechlib.models.pd",
    "lesson": "mechlib.teaching.lesson",
    "quiz": "mechlib.teaching.quiz",
    "evidence": "mechlib.teaching.evidence",
    "exercises": "mechlib.teaching.exercises",
    "population": "mechlib.models.population",
    "interaction": "mechlib.models.interaction",
    "trial_power": "mechlib.teaching.trial_power",
    "explorers": "mechlib.explorers",
    "widgets": "mechlib.widgets",
    "style": "mechlib.style",
}
__all__ = sorted(MODULES)
__version__ = "0.1.0"

SAFETY_NOTE = (
    "This suite teaches pharmacology. It is not medical advice: it recommends no dose and no "
    "treatment. Anyone taking or considering these medicines should talk to a qualified "
    "healthcare professional."
)


def __getattr__(name: str):
    if name in MODULES:
        module = importlib.import_module(MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mechlib' has no attribute {name!r}")
