"""The lessons' interactive explorers: pure functions, control values in, a frame out.

:mod:`~mechlib.explorers.base` holds the machinery every explorer shares (controls, the
:class:`Frame`, the :class:`Explorer` and its registry); each other module holds the explorers
of one lesson topic and registers them when imported. Importing this package registers all of
them, in lesson order.

Examples
--------
>>> from mechlib import explorers
>>> explorers.get("mg_block").control("voltage_mV").unit
'mV'
>>> sorted(explorers.REGISTRY)[:2]
['base_diagram', 'held_dose']
"""

from mechlib.explorers import (  # noqa: F401 - imported to register their explorers
    clinical,
    held_population,
    hypotheses,
    interaction,
    ketamine,
    lamotrigine,
    mechanism,
    neurons,
    population,
    studies,
)
from mechlib.explorers.base import (
    REGISTRY,
    Choice,
    Control,
    Explorer,
    Frame,
    MultiToggle,
    Slider,
    Toggle,
    close_figure,
    compare,
    get,
    readout,
    register,
    table,
)
from mechlib.explorers.ketamine import render_ketamine_cascade, render_ketamine_pk
from mechlib.explorers.lamotrigine import (
    lamotrigine_free_uM,
    render_lamotrigine_pk,
    render_sodium_block,
)
from mechlib.explorers.neurons import render_base_diagram, render_mg_block

__all__ = [
    "REGISTRY", "Choice", "Control", "Explorer", "Frame", "MultiToggle", "Slider", "Toggle",
    "close_figure", "compare", "get", "lamotrigine_free_uM", "readout", "register", "render_base_diagram",
    "render_ketamine_cascade", "render_ketamine_pk", "render_lamotrigine_pk", "render_mg_block",
    "render_sodium_block", "table",
]
