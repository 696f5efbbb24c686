"""Thin ipywidgets front ends for the explorers in :mod:`mechlib.explorers`.

``show(name)`` builds the controls (units and ranges on every one), a reset button, the figure,
a text readout and the figure's generated text description (in a disclosure), and re-renders on
every change by calling the explorer's pure render function. Every figure is inline SVG in an
ipywidgets HTML widget (so it works in JupyterLab, Voila and saved widget state): a diagram is
restyled from its cached layout, a plot is matplotlib's SVG with its text kept as text. The
container carries the CSS class ``mechlib-explorer``, the figure ``mechlib-figure``, the readout
``mechlib-readout`` and the description ``mechlib-description`` (the browser tests find them).

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

from mechlib import data, explorers
from mechlib.explorers import Choice, Control, MultiToggle, Slider, Toggle
from mechlib.plotsvg import plot_svg

_STYLE = {"description_width": "initial"}


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
    return ("<pre style='white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;"
            f"margin:0'>{html.escape(text)}</pre>")


#: The presenter screen: controls and verdict in a column beside the diagram, the diagram fitted
#: to the window's height. In Voila (``make present``) the screen fills the window.
_PRESENT_CSS = """<style>
.mechlib-present .mechlib-svg svg { height: calc(100vh - 24px); width: auto; max-width: 100%; }
body[data-voila] .mechlib-present { position: fixed; inset: 0; z-index: 50; padding: 8px;
  background: var(--jp-layout-color0, #fff); box-sizing: border-box; }
.mechlib-present .mechlib-side { overflow-y: auto; max-height: calc(100vh - 16px); }
.mechlib-present .mechlib-side > * { flex-shrink: 0; }
.mechlib-present .mechlib-key svg { width: 100%; height: auto; }
</style>"""


#: Every explorer off the screen skips style, layout and paint (``content-visibility: auto``; its
#: text stays found by find-in-page and read by screen readers): a lesson page holds several
#: explorers, and without this a change in one re-lays and repaints the others as well (in a page
#: of all fifteen, about 15 of a population chart's 80 ms in Chromium). Its last size is kept
#: while it is off the screen, so the page does not jump.
_EXPLORER_CSS = """<style>
.mechlib-explorer:not(.mechlib-present) { content-visibility: auto;
  contain-intrinsic-size: auto 900px; }
</style>"""


def _unstyled(svg: str) -> str:
    """A diagram's SVG without its <style> block: the widget carries the diagram CSS once, so an
    update does not add a stylesheet to the page (which restyles the whole page)."""
    head, sep, rest = svg.partition("<style>")
    return head + rest.partition("</style>")[2] if sep else svg


def show(name: str, presenter: bool = False) -> w.Box:
    """The explorer ``name`` as a live widget (display it in a notebook).

    Parameters
    ----------
    name : str
        A registered explorer (see ``mechlib.explorers.REGISTRY``).
    presenter : bool, default False
        One screen for presenting: controls, legend and verdict in a column beside the diagram,
        the diagram fitted to the window's height (in Voila, the screen fills the window).

    Returns
    -------
    ipywidgets.VBox or ipywidgets.HBox
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
    if ex.warm is not None:
        with data.held():
            ex.warm()
    first = ex.render_values()
    # Diagrams and plots alike are inline SVG with real text: crisp at any pixel ratio, shown at
    # their natural width (never stretched), found by find-in-page.
    figure = w.HTML(layout=w.Layout(width="100%"))
    figure.add_class("mechlib-figure")
    text = w.HTML()
    text.add_class("mechlib-readout")
    described = w.HTML()  # the figure's generated text description, for screen readers
    described.add_class("mechlib-description")
    reset = w.Button(description="Reset", icon="undo", tooltip="back to the starting values")

    key = w.HTML()
    key.add_class("mechlib-key")
    kept: dict[str, Any] = {"figure": None}  # a plot explorer that redraws keeps its figure

    def show_frame(frame) -> None:
        # The texts go first: they are ready before the figure's SVG is, so the page lays them
        # out while the kernel still encodes the picture, and the figure is the last change.
        text.value = _readout_html(frame.readout)
        described.value = ("<details><summary>Text description of the figure</summary>"
                           + _readout_html(frame.description) + "</details>")
        if presenter and frame.svg:
            picture = _unstyled(frame.figure.body_svg)
            key.value = _unstyled(frame.figure.legend_svg)
        else:
            picture = _unstyled(frame.svg) or plot_svg(frame.figure)
        if ex.redraws:  # the next frame is drawn into the same figure
            kept["figure"] = frame.figure
        elif frame.figure is not None:
            explorers.close_figure(frame.figure)
        figure.value = f"<div class='mechlib-svg'>{picture}</div>" if picture else ""
        figure.layout.display = None if picture else "none"

    def mark_dead(values: dict) -> None:
        dead = ex.dead_controls(**values)
        for c in ex.controls:
            wdg = controls[c.name]
            if isinstance(wdg, (w.FloatSlider, w.IntSlider, w.Dropdown, w.Checkbox)):
                wdg.disabled = c.name in dead
                wdg.tooltip = f"Not used now: {dead[c.name]}" if c.name in dead else None
                label = f"{c.label} ({c.unit})" if isinstance(c, Slider) else c.label
                wdg.description = label + (f" (off: {dead[c.name]})" if c.name in dead else "")

    def redraw(_change: Any = None) -> None:
        values = {c.name: _value(c, controls[c.name]) for c in ex.controls}
        with data.held():  # one state of data/ for the whole update, its files checked once
            mark_dead(values)
            try:
                frame = ex.render_values(figure=kept["figure"], **values)
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
    show_frame(first)
    mark_dead(ex.defaults())
    # The diagram CSS (and the presenter layout) once per explorer, not once per update.
    from mechlib.mechanism import svg as diagram_svg
    from mechlib.teaching import evidence_svg

    css = w.HTML(f"<style>{diagram_svg.CSS}{evidence_svg.CSS}</style>"
                 + (_PRESENT_CSS if presenter else _EXPLORER_CSS),
                 layout=w.Layout(display="none"))
    if presenter:
        for c in controls.values():
            c.layout.width = "100%"
        side = w.VBox([header, *controls.values(), reset, text, key, described],
                      layout=w.Layout(width="380px", flex="0 0 380px"))
        side.add_class("mechlib-side")
        figure.layout = w.Layout(flex="1 1 auto", width="auto")
        box: w.Box = w.HBox([css, side, figure], layout=w.Layout(width="100%"))
        box.add_class("mechlib-present")
    else:
        box = w.VBox([header, *controls.values(), reset, css, figure, text, described])
    box.add_class("mechlib-explorer")
    return box

