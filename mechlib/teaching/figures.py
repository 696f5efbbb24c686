"""A lesson figure: the image with its alt text and, under it, its full text description.

Examples
--------
>>> from matplotlib.figure import Figure
>>> fig = Figure()
>>> _ = fig.add_subplot().plot([0, 1], [0, 1])
>>> view = figure(fig, "A straight line. It rises from 0 to 1.")
>>> view.alt
'A straight line.'
"""

from __future__ import annotations

import base64
import html
import io
import re
import sys
import textwrap
from typing import Any

import mistune


class FigureView:
    """A figure as an embedded PNG with alt text and a text description (plus a text fallback).

    Attributes
    ----------
    png : bytes
    alt : str
        The one-line summary used as the image's alt text.
    description : str
        The full text description, under the image in a ``<details>`` element.
    """

    def __init__(self, png: bytes, alt: str, description: str, svg: str = ""):
        self.png = png
        self.alt = alt
        self.description = description
        self.svg = svg

    def _repr_html_(self) -> str:
        lines = self.description.strip().splitlines()
        size = f" ({len(lines)} lines)" if len(lines) > LONG_DESCRIPTION else ""
        if self.svg:  # a diagram: inline SVG, its text selectable and found by find-in-page
            picture = (f'<div class="mechlib-svg" style="max-width:100%;overflow-x:auto">'
                       f"{self.svg}</div>")
        else:
            src = "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")
            picture = (f'<img src="{src}" alt="{html.escape(self.alt, quote=True)}" '
                       f'style="max-width:100%"/>')
        return (f'<div class="mechlib-figure">{picture}<details><summary>Text description{size}'
                f"</summary>{_DESCRIPTION_HTML(_no_headings(self.description.strip()))}"
                f"</details></div>")

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return {"text/html": self._repr_html_(), "text/plain": self.text()}

    def text(self) -> str:
        """The plain-text fallback: the alt text and the description, a long one cut to its start.

        A long description (a whole combined diagram runs to over a hundred lines) stays in full
        in the HTML disclosure; printing it again in every lesson that shows the figure would
        bury the lesson, so the plain text keeps the first lines and says where the rest is.
        """
        lines = self.description.strip().splitlines()
        if len(lines) <= LONG_DESCRIPTION:
            return repr(self)
        head = "\n".join(lines[:SHORT_DESCRIPTION])
        return (f"Figure: {self.alt}\n\n{head}\n… {len(lines) - SHORT_DESCRIPTION} more lines: "
                "open \"Text description\" under the figure for the full description.")

    def __repr__(self) -> str:
        return f"Figure: {self.alt}\n\n{self.description.strip()}"


def _no_headings(markdown: str) -> str:
    """Headings of a description as bold lines, so a disclosure adds no heading to the lesson's outline."""
    return re.sub(r"^#{1,6}\s+(.+?)\s*$", r"**\1**", markdown, flags=re.M)


#: A description longer than this many lines is collapsed in the plain-text fallback ...
LONG_DESCRIPTION = 25
#: ... to its first lines.
SHORT_DESCRIPTION = 6
#: Descriptions are Markdown (headings and nested lists from mechlib.draw.describe); line breaks
#: in plain descriptions are kept, raw HTML is escaped.
_DESCRIPTION_HTML = mistune.create_markdown(escape=True, hard_wrap=True)


def _summary(description: str) -> str:
    first = description.strip().splitlines()[0].strip()
    sentence = first.split(". ")[0].rstrip(".")
    return textwrap.shorten(sentence, width=200, placeholder="…") + "."


def figure(fig: Any, description: str, alt: str | None = None) -> FigureView:
    """Show a matplotlib figure with alt text and, under it, its full text description.

    The figure is encoded as PNG (100 dpi) and closed, so it is not shown a second time.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or mechlib.draw.Diagram
        A diagram is shown as inline SVG.
    description : str
        The full text description (e.g. from ``mechlib.draw.describe``).
    alt : str, optional
        A one-line summary for the image's alt text; default the description's first sentence.

    Returns
    -------
    FigureView
        Displays as HTML (``<img alt=…>`` and ``<details>``), with a text/plain fallback.

    Raises
    ------
    ValueError
        If ``fig`` is not a matplotlib figure or the description is empty.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> f, ax = plt.subplots()
    >>> view = figure(f, "A blank set of axes. Nothing is plotted.")
    >>> view.alt
    'A blank set of axes.'
    >>> print(repr(view))
    Figure: A blank set of axes.
    <BLANKLINE>
    A blank set of axes. Nothing is plotted.
    """
    from matplotlib.figure import Figure

    svg = getattr(fig, "svg", "")
    if not isinstance(fig, Figure) and not svg:
        raise ValueError(f"fig must be a mechlib diagram or a matplotlib Figure; got "
                         f"{type(fig).__name__}")
    if not isinstance(description, str) or not description.strip():
        raise ValueError("every figure needs a text description (a non-empty string)")
    summary = " ".join(alt.split()) if alt and alt.strip() else _summary(description)
    if svg:
        return FigureView(b"", summary, description, svg)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    # A figure made with pyplot is released from pyplot's registry (else it leaks); the suite's
    # own figures use the object API and hold no pyplot state, so pyplot (~15 MB) is not imported.
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)
    return FigureView(buf.getvalue(), summary, description)
