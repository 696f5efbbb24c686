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
def test_plot_svg_draws_what_matplotlib_draws(name):
    """The cached text metrics change nothing: the same SVG as matplotlib's own backend."""
    import io

    import matplotlib

    fig = explorers.get(name).render_values().figure
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mechlib"}):
        fig.savefig(buf, format="svg", facecolor="white", metadata={"Date": None})
    plain = buf.getvalue()
    ours = plot_svg(fig)
    extra = ('role="img" style="max-width:100%;height:auto" stroke-linejoin="round" '
             'stroke-linecap="butt" ')
    assert ours.startswith("<svg " + extra)
    assert "<style" not in ours  # an inline stylesheet would restyle the whole page
    assert ours.replace(extra, "", 1) == plain[plain.index("<svg"):].replace(
        '<style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}</style>', "", 1)
