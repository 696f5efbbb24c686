"""mechlib: mechanisms and pharmacology of lamotrigine and ketamine, for teaching.

Submodules are imported on first use, so ``import mechlib`` stays cheap:

>>> import mechlib
>>> mechlib.data.load().drug("lamotrigine").name
'Lamotrigine'

The suite teaches pharmacology. It is not medical advice.
"""

from __future__ import annotations

import importlib

__all__ = [
    "data",
    "draw",
    "evidence",
    "explorers",
    "graph",
    "lesson",
    "pd",
    "pk",
    "quiz",
    "reasoning",
    "style",
    "widgets",
]
__version__ = "0.1.0"

SAFETY_NOTE = (
    "This suite teaches pharmacology. It is not medical advice: it recommends no dose and no "
    "treatment. Anyone taking or considering these medicines should talk to a qualified "
    "healthcare professional."
)


def __getattr__(name: str):
    if name in __all__:
        module = importlib.import_module(f"mechlib.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module 'mechlib' has no attribute {name!r}")
