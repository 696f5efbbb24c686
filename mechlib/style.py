"""The look every figure shares: the Okabe-Ito palette, the ink colour and the base font size.

Colours are Okabe-Ito, readable with colour-vision deficiency; a figure's meaning never rests on
colour alone. Text is near-black ink on white, never smaller than 10 pt. Figures use matplotlib's
object API with an Agg canvas (no pyplot state), so they work headless and in notebooks.

Examples
--------
>>> fig, ax = axes()
>>> ax.plot([0, 1], [0, 1], color=BLUE, label="a line")[0].get_color() == OKABE_ITO["blue"]
True
>>> finish(fig, ax, "A title", "upper left") is fig
True
>>> ax.get_title(loc="left"), ax.spines["top"].get_visible()
('A title', False)
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

#: The Okabe-Ito palette by colour name.
OKABE_ITO = {"orange": "#E69F00", "sky_blue": "#56B4E9", "bluish_green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00",
             "reddish_purple": "#CC79A7", "black": "#000000"}
BLUE = OKABE_ITO["blue"]
VERMILLION = OKABE_ITO["vermillion"]
BLUISH_GREEN = OKABE_ITO["bluish_green"]
REDDISH_PURPLE = OKABE_ITO["reddish_purple"]
BLACK = OKABE_ITO["black"]

#: Text colour (near-black).
INK = "#1A1A1A"
#: Base font size in points: labels use it, tick labels and legends one point less, titles one more.
FONT_SIZE = 11

#: The self-checks' verdict colours, one pair per JupyterLab theme; the glyph and the words carry
#: the verdict, the colour repeats it. Each passes WCAG AA (4.5:1) on its theme's backgrounds.
VERDICT_COLOURS = {"light": {"right": "#006d2c", "wrong": "#b30000"},
                   "dark": {"right": "#6fdc8c", "wrong": "#ff8a80"}}
#: The backgrounds an output sits on in JupyterLab's light and dark themes (--jp-layout-color0/1).
THEME_BACKGROUNDS = {"light": ("#ffffff",), "dark": ("#111111", "#212121")}


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21; AA text needs 4.5).

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    >>> contrast_ratio("#777777", "#ffffff") < 4.5
    True
    """
    def luminance(colour: str) -> float:
        rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


#: The round numbers (x 10^k) an axis may end on: see :func:`nice_top`.
_ROUND_TOPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_top(value: float) -> float:
    """Where an axis that must reach ``value`` ends: the next of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6
    or 8 (x 10^k) at or above it.

    The axis then ends on a round number, and it stays put while a slider moves the data a
    little, so two settings can be compared by eye (and an unchanged axis is not drawn again).

    Examples
    --------
    >>> nice_top(13.2), nice_top(0.41), nice_top(300.0), nice_top(0.0)
    (15.0, 0.5, 300.0, 0.0)
    """
    if not (value > 0 and math.isfinite(value)):
        return value
    scale = 10.0 ** math.floor(math.log10(value))
    return next(round(step * scale, 12) for step in _ROUND_TOPS if step * scale >= value)


#: The margins :func:`finish` gives a one-axes figure (fractions of the figure).
MARGINS = {"left": 0.11, "right": 0.97, "bottom": 0.16, "top": 0.88}


def figure(figsize: tuple[float, float], **kwargs: Any) -> Figure:
    """A white figure of ``figsize`` inches on an Agg canvas (``kwargs`` go to ``Figure``)."""
    fig = Figure(figsize=figsize, facecolor="white", **kwargs)
    FigureCanvasAgg(fig)
    return fig


def style_axes(ax: Axes) -> None:
    """White background, ink tick labels one point below the base size, no top or right spine."""
    ax.set_facecolor("white")
    ax.tick_params(labelsize=FONT_SIZE - 1, colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def axes(figsize: tuple[float, float] = (7.0, 3.6)) -> tuple[Figure, Axes]:
    """A white figure with one styled axes (see :func:`style_axes`).

    Parameters
    ----------
    figsize
        Width and height in inches.

    Returns
    -------
    tuple of Figure and Axes
        The figure (100 dpi) and its axes.
    """
    fig = figure(figsize, dpi=100)
    ax = fig.add_subplot()
    style_axes(ax)
    return fig, ax


def title(ax: Axes, text: str) -> None:
    """Put ``text`` as the left-aligned title of ``ax``, in ink, one point above the base size.

    The title sits just above the axes (``y=1``, matplotlib's usual gap): given a place, matplotlib
    skips re-measuring the tick labels to place it on every draw (no axes here has ticks on top).
    """
    ax.set_title(text, fontsize=FONT_SIZE + 1, color=INK, loc="left", y=1.0)


def legend(ax: Axes, handles: list | None = None, **kw: Any) -> Any:
    """``ax.legend(handles=handles, **kw)``, or the axes' legend as it is when the last call made
    it from the same artists with the same labels and options (an explorer redraws its kept
    figure at every change, and building a legend is most of the cost of one that is unchanged).

    A legend copies each handle's look when it is made: a figure whose handles change their look
    but not their label must not use this (``tests/test_redraw.py`` compares every redrawn
    figure with a new one, byte for byte).

    Examples
    --------
    >>> fig, ax = axes()
    >>> _ = ax.plot([0, 1], [0, 1], label="a line")
    >>> legend(ax, loc="upper left") is legend(ax, loc="upper left")
    True
    """
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    else:
        labels = [h.get_label() for h in handles]
    key = (tuple(map(id, handles)), tuple(labels), tuple(sorted(kw.items(), key=str)))
    old = ax.get_legend()
    if old is not None and getattr(old, "mechlib_key", None) == key:
        return old
    made = ax.legend(handles=handles, labels=labels, **kw)
    made.mechlib_key = key
    return made


def finish(fig: Figure, ax: Axes, text: str, legend_loc: str = "best") -> Figure:
    """Title, axis labels at the base size and a framed legend for a one-axes figure.

    Parameters
    ----------
    fig, ax
        A figure from :func:`axes` and its axes, with their lines and labels drawn.
    text
        The title.
    legend_loc
        Where the legend goes (a matplotlib ``loc``).

    Returns
    -------
    Figure
        ``fig``, with margins set for the title and the labels.
    """
    title(ax, text)
    ax.xaxis.label.set_size(FONT_SIZE)
    ax.yaxis.label.set_size(FONT_SIZE)
    legend(ax, fontsize=FONT_SIZE - 1, loc=legend_loc, frameon=True, framealpha=0.9)
    fig.subplots_adjust(**MARGINS)
    return fig
