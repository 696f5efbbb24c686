"""A matplotlib figure as SVG text, with its text kept as text, for the explorers' live plots.

This is matplotlib's own SVG backend with one change: text metrics (the width, height and descent
of a string in a font) are remembered for the whole process instead of for one save. matplotlib
measures every label, tick label and legend entry again on each save, with a fresh renderer; an
explorer redraws the same strings at every change, so that is most of the text layout time
(``make bench``: the plots' click-to-paint). The drawing itself is matplotlib's, unchanged: the
same SVG elements, byte for byte (a test compares with ``savefig(format="svg")``).

Examples
--------
>>> from mechlib import style
>>> fig, ax = style.axes()
>>> _ = ax.set_xlabel("time (h)")
>>> svg = plot_svg(fig)
>>> svg.startswith("<svg") and "time (h)" in svg
True
"""

from __future__ import annotations

import codecs
import functools
import io
from typing import Any

import matplotlib
from matplotlib import cbook
from matplotlib.backends import backend_svg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.textpath import TextToPath

_TEXT_TO_PATH = TextToPath()


@functools.lru_cache(maxsize=8192)
def _metrics(text: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
    """Width, height and descent of ``text`` in font ``prop`` (points), kept for the process."""
    return _TEXT_TO_PATH.get_text_width_height_descent(text, prop, ismath)


@functools.lru_cache(maxsize=256)
def _line_metrics(prop: Any) -> tuple[float | None, float | None, float | None]:
    """(ascent, descent, line gap) of font ``prop`` at 72 dpi, as ``Text._get_layout`` derives
    them from the font's OS/2 or hhea table, kept for the process."""
    from matplotlib.font_manager import fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(prop))
    for table_name, gap, ascent, descent in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")):
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        # matplotlib's own order of operations, so the layout is the same to the last bit
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * 72 / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


class RendererSVG(backend_svg.RendererSVG):
    """matplotlib's SVG renderer, measuring text through the process-wide caches."""

    def get_text_width_height_descent(self, s, prop, ismath):
        # A copy: FontProperties is mutable and hashes on its state (as matplotlib's own cache).
        return _metrics(s, prop.copy(), ismath)

    def _get_font_height_metrics(self, prop):
        # Text._get_layout asks the renderer for a font's line metrics when it can answer (the
        # hook matplotlib 3.11 gives its PDF and PS backends); otherwise it looks the font up
        # and reads its tables again for every text on every draw.
        return _line_metrics(prop.copy())


class FigureCanvasSVG(backend_svg.FigureCanvasSVG):
    """matplotlib's SVG canvas drawing with :class:`RendererSVG` (``print_svg`` as in 3.11)."""

    def print_svg(self, filename, *, bbox_inches_restore=None, metadata=None, **_ignored):
        # print_figure passes dpi, facecolor, edgecolor and orientation to a third-party canvas
        # too; it has already applied them to the figure.
        with cbook.open_file_cm(filename, "w", encoding="utf-8") as fh:
            if not cbook.file_requires_unicode(fh):
                fh = codecs.getwriter("utf-8")(fh)
            dpi = self.figure.dpi
            self.figure.dpi = 72
            width, height = self.figure.get_size_inches()
            renderer = MixedModeRenderer(
                self.figure, width, height, dpi,
                RendererSVG(width * 72, height * 72, fh, image_dpi=dpi, metadata=metadata),
                bbox_inches_restore=bbox_inches_restore)
            self.figure.draw(renderer)
            renderer.finalize()


#: What ``savefig(..., backend="module://mechlib.plotsvg")`` looks up.
FigureCanvas = FigureCanvasSVG


def plot_svg(fig: Any) -> str:
    """A matplotlib figure as SVG text with its text kept as text (empty for no figure).

    Fixed ids and no date, so the same figure gives the same SVG; ``role="img"`` and a width of
    at most its container, never stretched past its natural size; no stylesheet.
    """
    if fig is None:
        return ""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mechlib"}):
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None},
                    backend="module://mechlib.plotsvg")
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # matplotlib's one stylesheet, "*{stroke-linejoin: round; stroke-linecap: butt}", would apply
    # to the whole page once the SVG is inline, and adding or removing a stylesheet restyles the
    # whole page on every redraw: the same defaults go on the root as inherited attributes.
    text = text.replace(_MPL_STYLE, "", 1)
    return text.replace("<svg ", '<svg role="img" style="max-width:100%;height:auto" '
                        'stroke-linejoin="round" stroke-linecap="butt" ', 1)


_MPL_STYLE = '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>'

