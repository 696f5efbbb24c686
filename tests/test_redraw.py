"""A plot explorer that redraws into its kept figure draws exactly what a new figure would.

The live widgets keep one figure per plot explorer and draw each change into it (about half the
time of a new figure, ``make bench``). Nothing of an earlier frame may survive: for every such
explorer, each setting of its sweep is drawn into a figure that showed another setting, and its
SVG must equal the SVG of a fresh figure, byte for byte.
"""

from __future__ import annotations

import pytest

from mechlib import explorers
from mechlib.plotsvg import plot_svg

REDRAWING = sorted(n for n, ex in explorers.REGISTRY.items() if ex.redraws)


def test_the_plot_explorers_redraw():
    """Every explorer with a matplotlib figure keeps it (the diagrams restyle their own SVG)."""
    plots = sorted(n for n, ex in explorers.REGISTRY.items()
                   if not ex.render_values().svg and ex.render_values().figure is not None)
    assert plots and set(plots) <= set(REDRAWING), set(plots) - set(REDRAWING)


@pytest.mark.parametrize("name", REDRAWING)
def test_redraw_into_a_kept_figure_equals_a_fresh_figure(name):
    ex = explorers.get(name)
    settings = list(ex.sweep())
    # each setting after the one before it, and the first after the last (every control moved)
    pairs = list(zip(settings, settings[1:], strict=False)) + [(settings[-1], settings[0])]
    kept = ex.render_values(**pairs[0][0]).figure
    for before, after in pairs:
        kept = ex.render_values(figure=kept, **before).figure
        again = ex.render_values(figure=kept, **after)
        assert again.figure is kept, "the kept figure was not reused"
        fresh = ex.render_values(**after)
        assert again.readout == fresh.readout
        assert plot_svg(again.figure) == plot_svg(fresh.figure), (name, before, after)
        explorers.close_figure(fresh.figure)


def test_a_figure_from_another_explorer_is_not_reused():
    first, second = REDRAWING[:2]
    fig = explorers.get(first).render_values().figure
    frame = explorers.get(second).render_values(figure=fig)
    assert frame.figure is not fig


@pytest.mark.parametrize("name", ["mg_block", "isobologram"])
def test_plot_svg_draws_what_matplotlib_draws(name, monkeypatch):
    """The cached text metrics change nothing: the same SVG as matplotlib's own backend (at the
    same path precision), and a second save, replaying the axes and legend, the same again."""
    fig = explorers.get(name).render_values().figure
    ours = plot_svg(fig)
    extra = ('role="img" style="max-width:100%;height:auto" stroke-linejoin="round" '
             'stroke-linecap="butt" ')
    assert ours.startswith("<svg " + extra)
    assert "<style" not in ours  # an inline stylesheet would restyle the whole page
    assert ours.replace(extra, "", 1) == _matplotlib_svg(fig, monkeypatch)
    assert plot_svg(fig) == ours


def test_path_data_has_two_decimals(monkeypatch):
    import re

    fig = explorers.get("lamotrigine_population").render_values().figure
    paths = re.findall(r' d="([^"]*)"', plot_svg(fig))
    numbers = [n for d in paths for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    assert len(numbers) > 1000
    assert max(len(n.partition(".")[2]) for n in numbers) == 2
    assert len(plot_svg(fig)) < 0.8 * len(_matplotlib_svg(fig, monkeypatch, precision=6))


def _matplotlib_svg(fig, monkeypatch, precision=None) -> str:
    """matplotlib's own SVG of ``fig`` (its renderer: no part replayed), its path data at
    plot_svg's precision (or ``precision``), edited as plot_svg edits it."""
    import io

    import matplotlib
    from matplotlib import _path
    from matplotlib.backends import backend_svg

    from mechlib import plotsvg

    digits = plotsvg.PRECISION if precision is None else precision
    convert = _path.convert_to_string
    with monkeypatch.context() as m:
        m.setattr(backend_svg._path, "convert_to_string",
                  lambda p, t, c, s, k, _precision, *rest: convert(p, t, c, s, k, digits, *rest))
        buf = io.StringIO()
        with matplotlib.rc_context({"svg.fonttype": "none",
                                    "svg.hashsalt": plotsvg.id_salt(fig)}):
            fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    plain = buf.getvalue()
    return plain[plain.index("<svg"):].replace(
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>', "", 1)


def _bare(svg: str) -> str:
    return svg.replace('role="img" style="max-width:100%;height:auto" stroke-linejoin="round" '
                       'stroke-linecap="butt" ', "", 1)


def test_unchanged_axes_and_legends_are_replayed_and_changed_ones_drawn(monkeypatch):
    """A kept figure's axes and legend replay their last SVG only while nothing they draw from
    has changed; after each kind of change the SVG is still matplotlib's own, byte for byte."""
    import matplotlib

    from mechlib import plotsvg, style

    replays = []
    replay = plotsvg._replay
    monkeypatch.setattr(plotsvg, "_replay", lambda *a: (replays.append(1), replay(*a)))
    fig, ax = style.axes()
    line = ax.plot([0, 1, 2], [0, 1, 4], label="a line")[0]
    ax.set_xlabel("time (h)")
    style.legend(ax, loc="upper left")
    first = plot_svg(fig)
    assert _bare(first) == _matplotlib_svg(fig, monkeypatch) and not replays
    assert plot_svg(fig) == first and len(replays) == 3  # x axis, y axis, legend

    changes = [  # (a change, how many of the three parts still replay at the next save)
        (lambda: ax.set_xlabel("time (days)"), 2),
        (lambda: ax.set_ylim(-5, 5), 2),  # the y axis only; negative tick labels too
        (lambda: ax.tick_params(labelsize=14), 1),
        (lambda: (line.set_label("renamed"), style.legend(ax, loc="upper left")), 2),
        (lambda: ax.get_legend().set_loc("lower right"), 2),  # the same legend, moved
        (lambda: matplotlib.rcParams.__setitem__("axes.unicode_minus", False), 0),
        (lambda: ax.text(0.5, 0.5, "a note", zorder=1), 3),  # drawn first: ids renumbered
        # drawn before the axes, with a clip path the axes did not start with: drawn again
        (lambda: ax.plot([0, 2], [1, 1], zorder=1), 1),
        (lambda: fig.set_size_inches(6, 3), 0),
    ]
    with matplotlib.rc_context():
        for change, kept in changes:
            change()
            before = len(replays)
            svg = plot_svg(fig)
            assert _bare(svg) == _matplotlib_svg(fig, monkeypatch), change
            assert len(replays) - before == kept, change
            assert plot_svg(fig) == svg and len(replays) - before == kept + 3  # all kept again
    assert "time (days)" in svg and "renamed" in svg and "a note" in svg


@pytest.mark.parametrize("name", REDRAWING)
def test_redraws_in_any_order_equal_a_fresh_figure(name):
    """Parts replayed across any two settings, not only the sweep's neighbours."""
    import random

    ex = explorers.get(name)
    settings = list(ex.sweep())
    rng = random.Random(name)
    kept = ex.render_values(**settings[0]).figure
    plot_svg(kept)
    for values in rng.sample(settings * 2, 8):
        again = plot_svg(ex.render_values(figure=kept, **values).figure)
        fresh = ex.render_values(**values)
        assert again == plot_svg(fresh.figure), (name, values)
        explorers.close_figure(fresh.figure)


def test_two_plots_in_one_page_share_no_svg_id():
    """Each explorer's SVG names its clip paths, hatches and markers with its own salt: the
    hatched reference band of two lamotrigine charts in one lesson page must not share an id
    (``url(#id)`` finds the first in the page, which may be skipped when off the screen)."""
    import re

    from mechlib import plotsvg

    ids = {}
    for name in ("lamotrigine_pk", "lamotrigine_population", "sodium_block"):
        frame = explorers.get(name).render_values()
        svg = plotsvg.plot_svg(frame.figure)
        ids[name] = set(re.findall(r'(?:url\(#|href="#)([^)"]+)', svg))  # the ids referred to
        assert ids[name] <= set(re.findall(r'id="([^"]+)"', svg))
        assert name == "sodium_block" or any(i.startswith("h") for i in ids[name]), name  # hatch
        explorers.close_figure(frame.figure)
    assert not ids["lamotrigine_pk"] & ids["lamotrigine_population"]
    assert not ids["lamotrigine_pk"] & ids["sodium_block"]
    assert not ids["lamotrigine_population"] & ids["sodium_block"]
