"""Thin ipywidgets front ends for the explorers in :mod:`mechlib.explorers`.

``show(name)`` builds the controls (units and ranges on every one), a reset button, the figure,
a text readout and the figure's generated text description (in a disclosure: an ipywidgets Image
has no alt text, and a tooltip on it breaks the front end's view), and re-renders on every change
by calling the explorer's pure render function. The container carries the CSS class
``mechlib-explorer``, the figure ``mechlib-figure``, the readout ``mechlib-readout`` and the
description ``mechlib-description`` (the browser tests find them by these).

Examples
--------
>>> box = show("mg_block")
>>> "mechlib-explorer" in box._dom_classes
True
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from mechlib import explorers
from mechlib.explorers import Choice, Control, MultiToggle, Slider, Toggle

_STYLE = {"description_width": "initial"}
_DPI = 100  # CSS px per inch of a plot's figure size


def _control_widget(c: Control) -> w.Widget:
    if isinstance(c, Slider):
        cls = w.IntSlider if c.integer else w.FloatSlider
        return cls(value=c.default, min=c.min, max=c.max, step=c.step,
                   description=f"{c.label} ({c.unit})", continuous_update=False,
                   style=_STYLE, layout=w.Layout(width="460px"))
    if isinstance(c, Choice):
        return w.Dropdown(options=list(c.options), value=c.default, description=c.label,
                          style=_STYLE)
    if isinstance(c, Toggle):
        return w.Checkbox(value=c.default, description=c.label, indent=False)
    if isinstance(c, MultiToggle):
        buttons = [w.ToggleButton(value=v in c.default, description=label,
                                  tooltip=f"switch {label} on or off")
                   for label, v in c.options]
        box = w.HBox([w.Label(c.label), *buttons])
        box._mechlib_values = [v for _, v in c.options]  # noqa: SLF001 - read back below
        return box
    raise TypeError(f"no widget for control {c!r}")


def _value(c: Control, widget: w.Widget) -> Any:
    if isinstance(c, MultiToggle):
        buttons = widget.children[1:]
        return tuple(v for v, b in zip(widget._mechlib_values, buttons, strict=True) if b.value)
    return widget.value


def _set_default(c: Control, widget: w.Widget) -> None:
    if isinstance(c, MultiToggle):
        for v, b in zip(widget._mechlib_values, widget.children[1:], strict=True):
            b.value = v in c.default
    else:
        widget.value = c.default


def _observe(c: Control, widget: w.Widget, callback) -> None:
    targets = widget.children[1:] if isinstance(c, MultiToggle) else [widget]
    for t in targets:
        t.observe(callback, names="value")


def _readout_html(text: str) -> str:
    return f"<pre style='white-space:pre-wrap;margin:0'>{html.escape(text)}</pre>"


def show(name: str) -> w.VBox:
    """The explorer ``name`` as a live widget (display it in a notebook).

    Parameters
    ----------
    name : str
        A registered explorer (see ``mechlib.explorers.REGISTRY``).

    Returns
    -------
    ipywidgets.VBox
        Controls, a reset button, the figure and its readout.

    Raises
    ------
    ValueError
        If ``name`` is not a registered explorer (the message lists them).

    Examples
    --------
    >>> show("mg_block").children[0].value.startswith("<b>")
    True
    """
    ex = explorers.get(name)
    controls = {c.name: _control_widget(c) for c in ex.controls}
    first = ex.render_values()
    if first.svg:  # a diagram: inline SVG (real text, tooltips), restyled on each change
        figure: w.Widget = w.HTML(layout=w.Layout(width="100%"))
    else:  # a plot: PNG at twice the CSS size, shown at its natural width, never stretched
        figure = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto"))
    figure.add_class("mechlib-figure")
    text = w.HTML()
    text.add_class("mechlib-readout")
    described = w.HTML()  # the figure's generated text description, for screen readers
    described.add_class("mechlib-description")
    reset = w.Button(description="Reset", icon="undo", tooltip="back to the starting values")

    def show_frame(frame) -> None:
        if isinstance(figure, w.HTML):
            figure.value = f"<div class='mechlib-svg'>{frame.svg}</div>"
        else:
            png = frame.png(dpi=2 * _DPI)
            if frame.figure is not None:
                width = frame.figure.get_size_inches()[0] * _DPI
                figure.layout.width = f"{width:.0f}px"
                explorers.close_figure(frame.figure)
            figure.value = png
            figure.layout.display = None if png else "none"
        text.value = _readout_html(frame.readout)
        described.value = ("<details><summary>Text description of the figure</summary>"
                           + _readout_html(frame.description) + "</details>")

    def redraw(_change: Any = None) -> None:
        values = {c.name: _value(c, controls[c.name]) for c in ex.controls}
        try:
            frame = ex.render_values(**values)
        except ValueError as err:  # a control set outside its range by hand
            text.value = _readout_html(f"Not shown: {err}")
            return
        show_frame(frame)

    def on_reset(_button: w.Button) -> None:
        for c in ex.controls:
            _set_default(c, controls[c.name])
        redraw()

    for c in ex.controls:
        _observe(c, controls[c.name], redraw)
    reset.on_click(on_reset)
    header = w.HTML(f"<b>{html.escape(ex.title)}</b>"
                    + (f"<br><i>{html.escape(ex.question)}</i>" if ex.question else "")
                    + (f"<br><small>{html.escape(ex.note)}</small>" if ex.note else ""))
    box = w.VBox([header, *controls.values(), reset, figure, text, described])
    box.add_class("mechlib-explorer")
    show_frame(first)
    return box
