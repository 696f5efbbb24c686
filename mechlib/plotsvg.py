"""A matplotlib figure as SVG text, with its text kept as text, for the explorers' live plots.

This is matplotlib's own SVG backend with three changes, each for the time from a change to the
new picture (``make bench``: the plots' click-to-paint):

- text metrics (the width, height and descent of a string in a font) are remembered for the
  whole process instead of for one save: an explorer redraws the same strings at every change;
- path data has 2 decimals of a point (:data:`PRECISION`), not 6;
- a kept figure's axes and legends write the SVG they wrote at the last save while nothing they
  draw from has changed (most of a plot's SVG time; see "kept parts" below).

Otherwise the drawing is matplotlib's: the same SVG elements, byte for byte (tests compare with
``savefig(format="svg")`` at the same path precision, after every kind of change).

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
import re
from typing import Any

import matplotlib
from matplotlib import _path, cbook
from matplotlib.backends import backend_svg
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.textpath import TextToPath

_TEXT_TO_PATH = TextToPath()

#: Decimals of a point in path data: 1/100 pt is 1/75 of a CSS pixel, and a population chart's
#: SVG is a quarter smaller than with matplotlib's six (less to send, parse and paint).
PRECISION = 2


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

    def _convert_path(self, path, transform=None, clip=None, simplify=None, sketch=None):
        # matplotlib's own path data, with PRECISION decimals of a point instead of six
        clip = (0.0, 0.0, self.width, self.height) if clip else None
        return _path.convert_to_string(path, transform, clip, simplify, sketch, PRECISION,
                                       [b"M", b"L", b"Q", b"C", b"z"], False).decode("ascii")

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
            for artist in _reusable_parts(self.figure):
                if "draw" not in vars(artist):
                    artist.draw = functools.partial(_draw_reusing, artist, type(artist).draw)
            self.figure.draw(renderer)
            renderer.finalize()


# --------------------------------------------------------------------------- kept parts
#
# Most of a plot's SVG is its axes (ticks, tick labels, axis labels) and its legend, and an
# explorer's change moves them far less often than its data: a kept figure's x axis, y axis and
# legends replay the SVG they wrote at the last save when what they draw from is unchanged.
# "Unchanged" is two checks, both strict:
# - the part's own key (:func:`_key`): the axes' place in the figure; for an axis its own view
#   limits, label, locators, formatters and tick settings (held as objects, compared by
#   identity); for a legend the legend object itself and where it goes; and matplotlib's
#   settings (rcParams);
# - the renderer's state where the part starts (clip paths, markers, hatches, counters), so the
#   part's definitions and ids come out as a full draw would write them. Group ids
#   ("text_12") are numbered from the renderer's counters, as matplotlib numbers them.
# Anything else (a clip path object, a glyph, an image) and the part is simply drawn.
# tests/test_redraw.py compares every explorer's redrawn SVG with a new figure's, byte for byte.

_GROUP_ID = re.compile(r'id="(.*?)_(\d+)"')


def _reusable_parts(fig: Any) -> list:
    """The figure's axes' x and y axes and legends, and its own legends."""
    parts = [a for ax in fig.axes for a in (ax.xaxis, ax.yaxis, ax.get_legend()) if a is not None]
    return parts + list(fig.legends)


def _key(artist: Any) -> tuple | None:
    """What ``artist`` (an axis or a legend) draws from, besides its renderer's state (None: a
    legend placed "best", which moves with the data)."""
    from matplotlib.legend import Legend

    ax, fig = artist.axes, artist.get_figure(root=True)
    if isinstance(artist, Legend):
        if artist._loc == 0:  # noqa: SLF001 - "best"
            return None
        anchor = artist.get_bbox_to_anchor()
        own: tuple = (artist, artist._loc, anchor.bounds, anchor)  # noqa: SLF001
    else:
        label = artist.label
        own = (artist.get_scale(), artist.major.locator, artist.major.formatter,
               artist.minor.locator, artist.minor.formatter, repr(artist._major_tick_kw),  # noqa: SLF001
               repr(artist._minor_tick_kw), artist.get_label_position(),  # noqa: SLF001
               artist.get_ticks_position(), label.get_text(), label.get_color(),
               label.get_fontproperties(), label.get_rotation(), label.get_visible(),
               tuple(s.get_position() for s in ax.spines.values()))
    # an axis draws from its own view interval, a legend (placed, not "best") from none
    where = () if ax is None else (ax.bbox.bounds, tuple(
        ax.viewLim.intervalx if artist is ax.xaxis else ax.viewLim.intervaly
        if artist is ax.yaxis else ()))
    return (type(artist), artist.get_visible(), fig.bbox.bounds, fig.dpi, where,
            tuple(dict.values(matplotlib.rcParams)), own)


def _state(r: Any) -> tuple:
    """The renderer's state a part's SVG depends on (its group counters aside)."""
    w = r.writer
    return (w._XMLWriter__open, len(w._XMLWriter__tags), bool(w._XMLWriter__data),  # noqa: SLF001
            tuple(r._clipd), tuple(r._markers), tuple(r._hatchd),  # noqa: SLF001
            r._path_collection_id, r._n_gradients, r._has_gouraud,  # noqa: SLF001
            len(r._clip_path_ids), len(r._glyph_map))  # noqa: SLF001


def _draw_reusing(artist: Any, draw: Any, renderer: Any) -> None:
    """``draw(artist, renderer)``, or its SVG from the last save when nothing it uses changed."""
    r = getattr(renderer, "_renderer", renderer)
    if not isinstance(r, RendererSVG):
        return draw(artist, renderer)
    key, state, kept = _key(artist), _state(r), getattr(artist, "_mechlib_svg", None)
    if key is None:
        return draw(artist, renderer)
    if kept is not None and kept[0] == key and kept[1] == state:
        _replay(r, *kept[2:])
        artist.stale = False
        return None
    groups = dict(r._groupd)  # noqa: SLF001
    written: list[str] = []
    w = r.writer
    real, w._XMLWriter__write = w._XMLWriter__write, written.append  # noqa: SLF001
    try:
        draw(artist, renderer)
    finally:
        w._XMLWriter__write = real  # noqa: SLF001
    text = "".join(written)
    real(text)
    after = _state(r)
    # a part that leaves no element open and no text pending, and adds only what is recorded
    same = (state[1], state[2], state[9:]) == (after[1], False, after[9:])
    artist._mechlib_svg = (key, state, *_recorded(r, text, groups, state)) if same else None  # noqa: SLF001
    return None


def _recorded(r: Any, text: str, groups: dict, state: tuple) -> tuple:
    """What replaying needs: the SVG split at its group ids, and what the part added."""
    counters = r._groupd  # noqa: SLF001
    pieces: list = []
    start = 0
    for m in _GROUP_ID.finditer(text):
        name, n = m.group(1), int(m.group(2))
        if groups.get(name, 0) < n <= counters.get(name, 0):
            pieces += [text[start:m.start()], (name, n - groups.get(name, 0))]
            start = m.end()
    pieces.append(text[start:])
    grown = {k: v - groups.get(k, 0) for k, v in counters.items() if v != groups.get(k, 0)}
    added = tuple((d, tuple((k, v) for k, v in getattr(r, d).items() if k not in old))
                  for d, old in (("_clipd", state[3]), ("_markers", state[4]),
                                 ("_hatchd", state[5])))
    return pieces, grown, added, (r._path_collection_id, r._n_gradients, r._has_gouraud,  # noqa: SLF001
                                  r.writer._XMLWriter__open)  # noqa: SLF001


def _replay(r: Any, pieces: list, grown: dict, added: tuple, counters: tuple) -> None:
    """Write a recorded part with ids numbered from ``r``'s counters, and leave ``r`` as the
    part's own drawing would."""
    groups = r._groupd  # noqa: SLF001
    r.writer._XMLWriter__write("".join(  # noqa: SLF001
        p if isinstance(p, str) else f'id="{p[0]}_{groups.get(p[0], 0) + p[1]:d}"'
        for p in pieces))
    for name, n in grown.items():
        groups[name] = groups.get(name, 0) + n
    for d, items in added:
        getattr(r, d).update(items)
    r._path_collection_id, r._n_gradients, r._has_gouraud, r.writer._XMLWriter__open = counters  # noqa: SLF001


#: What ``savefig(..., backend="module://mechlib.plotsvg")`` looks up.
FigureCanvas = FigureCanvasSVG


def id_salt(fig: Any) -> str:
    """The salt of ``fig``'s SVG ids (clip paths, hatches, markers): fixed, and led by the
    figure's label (an explorer's figure is labelled with the explorer's name).

    matplotlib names each of these by a hash of its content, so two figures inline in one page
    would share the id of, say, the same hatch, and ``url(#id)`` finds the first in the page:
    when that one is not rendered (an explorer off the screen, a notebook cell scrolled away,
    both skipped by ``content-visibility``), the other figure's fill was not painted either.
    """
    label = fig.get_label()
    return f"mechlib:{label}" if label else "mechlib"


def plot_svg(fig: Any) -> str:
    """A matplotlib figure as SVG text with its text kept as text (empty for no figure).

    Fixed ids, its own (:func:`id_salt`), and no date, so the same figure gives the same SVG;
    ``role="img"`` and a width of at most its container, never stretched past its natural size;
    no stylesheet.
    """
    if fig is None:
        return ""
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": id_salt(fig)}):
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

