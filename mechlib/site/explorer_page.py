"""An explorer as static HTML: labelled controls over the frames rendered by :mod:`.frames`.

The markup mirrors the live widget (:func:`mechlib.widgets.show`) and keeps its CSS classes
(``mechlib-explorer``, ``mechlib-figure``, ``mechlib-readout``, ``mechlib-description``):

- a slider is an ``<input type="range">`` over the stored stops, with its exact value and unit
  in an ``<output>`` beside it (and as ``aria-valuetext``);
- a choice is a ``<select>``, a toggle a checkbox, a multi-toggle a group of checkboxes;
- a control frozen at its default (see :func:`.frames.grid`) is disabled, with a line saying that
  the live notebook moves it freely;
- the figure's alt text is the first sentence of its generated description, and the whole
  description sits in a disclosure under the readout.

The frames themselves (figure file, readout, description for every combination) are in a small
script, ``frames/<name>.js``, that ``mechlib-site.js`` reads: ``<script>`` works from ``file://``
where ``fetch`` does not.

Examples
--------
>>> from mechlib.explorers import Slider
>>> value_text(Slider("v", "Voltage", -100.0, 40.0, 1.0, -70.0, "mV"), -70.0)
'-70 mV'
>>> summary("Line one. Line two.\\nMore.")
'Line one.'
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from mechlib.explorers import Choice, Control, MultiToggle, Slider, Toggle
from mechlib.site.frames import Rendered, frame_key

LIVE_NOTE = ("Fixed at its starting value here: this page was rendered ahead of time for a few "
             "values only. The live notebook (JupyterLab or Binder) moves it freely.")


def value_text(c: Control, value: Any) -> str:
    """How a control's value is shown: sliders as number and unit, others by their label."""
    if isinstance(c, Slider):
        return f"{value:g} {c.unit}"
    if isinstance(c, Choice):
        return next(label for label, v in c.options if v == value)
    if isinstance(c, Toggle):
        return "on" if value else "off"
    labels = [label for label, v in c.options if v in value]
    return ", ".join(labels) or "none"


def summary(description: str) -> str:
    """The first sentence of a description (the image's alt text), Markdown marks removed."""
    text = " ".join(re.sub(r"[#*_`]+", "", description).split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    return (m.group(1) if m else text)[:300]


def _control_html(ex_id: str, i: int, c: Control, values: tuple, default_index: int,
                  frozen: bool) -> str:
    e = html.escape
    cid = f"{ex_id}-c{i}"
    dis = " disabled" if frozen else ""
    note = (f'<p class="mechlib-frozen-note" id="{cid}-note">{e(LIVE_NOTE)}</p>' if frozen else "")
    described = f' aria-describedby="{cid}-note"' if frozen else ""
    if isinstance(c, Slider):
        shown = value_text(c, values[default_index])
        stops = ", ".join(value_text(c, v) for v in values)
        return (f'<div class="mechlib-control mechlib-slider" data-index="{i}">'
                f'<label for="{cid}">{e(c.label)} ({e(c.unit)})</label> '
                f'<input type="range" id="{cid}" min="0" max="{len(values) - 1}" step="1" '
                f'value="{default_index}" aria-valuetext="{e(shown)}"{described}{dis}> '
                f'<output for="{cid}" class="mechlib-value">{e(shown)}</output>'
                f'<span class="mechlib-stops">Stops: {e(stops)}</span>{note}</div>')
    if isinstance(c, Choice):
        opts = "".join(f'<option value="{k}"{" selected" if k == default_index else ""}>'
                       f"{e(value_text(c, v))}</option>" for k, v in enumerate(values))
        return (f'<div class="mechlib-control mechlib-choice" data-index="{i}">'
                f'<label for="{cid}">{e(c.label)}</label> '
                f'<select id="{cid}"{described}{dis}>{opts}</select>{note}</div>')
    if isinstance(c, Toggle):
        checked = " checked" if values[default_index] else ""
        return (f'<div class="mechlib-control mechlib-toggle" data-index="{i}">'
                f'<input type="checkbox" id="{cid}"{checked}{described}{dis}> '
                f'<label for="{cid}">{e(c.label)}</label>{note}</div>')
    if isinstance(c, MultiToggle):
        boxes = "".join(
            f'<span class="mechlib-multi-option"><input type="checkbox" id="{cid}-{k}" '
            f'value="{e(json.dumps(v))}"{" checked" if v in values[default_index] else ""}'
            f"{described}{dis}> <label for=\"{cid}-{k}\">{e(label)}</label></span>"
            for k, (label, v) in enumerate(c.options))
        return (f'<fieldset class="mechlib-control mechlib-multi" data-index="{i}">'
                f"<legend>{e(c.label)}</legend>{boxes}{note}</fieldset>")
    raise TypeError(f"no HTML control for {c!r}")


def explorer_html(rendered: Rendered, frames_src: str) -> str:
    """The explorer's HTML; ``frames_src`` is the URL of its frames script from the page."""
    plan = rendered.grid
    ex = plan.explorer
    e = html.escape
    ex_id = f"explorer-{ex.name}"
    defaults = tuple(_default_index(c, v) for c, v in zip(ex.controls, plan.values, strict=True))
    first = rendered.frames[frame_key(defaults)]
    controls = "".join(_control_html(ex_id, i, c, plan.values[i], defaults[i], c.name in plan.frozen)
                       for i, c in enumerate(ex.controls))
    head = [f'<h4 class="mechlib-explorer-title">{e(ex.title)}</h4>']
    if ex.question:
        head.append(f'<p class="mechlib-explorer-question"><i>{e(ex.question)}</i></p>')
    if ex.note:
        head.append(f'<p class="mechlib-explorer-note"><small>{e(ex.note)}</small></p>')
    fig = first["figure"]
    img = (f'<img class="mechlib-figure" src="{e(_figure_src(frames_src, ex.name, fig))}" '
           f'alt="{e(summary(first["description"]))}" aria-describedby="{ex_id}-desc">'
           if fig else f'<img class="mechlib-figure" alt="" hidden aria-describedby="{ex_id}-desc">')
    return (
        f'<section class="mechlib-explorer mechlib-static" id="{ex_id}" data-explorer="{e(ex.name)}" '
        f'aria-label="Explorer: {e(ex.title)}">' + "".join(head)
        + f'<form class="mechlib-controls" onsubmit="return false">{controls}</form>'
        + f'<figure class="mechlib-figure-box">{img}</figure>'
        + f'<pre class="mechlib-readout" aria-live="polite">{e(first["readout"])}</pre>'
        + '<details class="mechlib-description-box"><summary>Text description of the figure'
        + f'</summary><pre class="mechlib-description" id="{ex_id}-desc">'
        + f'{e(first["description"])}</pre></details>'
        + f'<script src="{e(frames_src)}"></script></section>'
    )


def _default_index(c: Control, values: tuple) -> int:
    default = c.check(c.default)
    return values.index(default)


def _figure_src(frames_src: str, name: str, fig: str) -> str:
    return f"{frames_src.rsplit('/', 1)[0]}/{name}/{fig}"


def frames_script(rendered: Rendered) -> str:
    """The frames script: control values, and per combination figure, readout, description.

    Repeated texts are stored once (``texts``); a frame is ``[figure, readout, description,
    alt]`` as indices into ``figures`` and ``texts`` (``-1`` for no figure).
    """
    plan = rendered.grid
    figures = sorted(rendered.figures)
    texts: dict[str, int] = {}

    def text_index(t: str) -> int:
        return texts.setdefault(t, len(texts))

    frames = {}
    for key, f in rendered.frames.items():
        frames[key] = [figures.index(f["figure"]) if f["figure"] else -1,
                       text_index(f["readout"]), text_index(f["description"]),
                       text_index(summary(f["description"]))]
    data = {
        "controls": [{"name": c.name, "values": list(v),
                      "shown": [value_text(c, x) for x in v]}
                     for c, v in zip(plan.explorer.controls, plan.values, strict=True)],
        "figures": [f"{plan.explorer.name}/{f}" for f in figures],
        "texts": list(texts),
        "frames": frames,
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return ("window.mechlibFrames = window.mechlibFrames || {};\n"
            f"window.mechlibFrames[{json.dumps(plan.explorer.name)}] = {body};\n")
