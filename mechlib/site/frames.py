"""Every frame an explorer can show in the offline site, rendered ahead of time.

The static site has no kernel, so each explorer's pure ``render`` function is called at build
time for a fixed grid of control values: every option of each discrete control (choices, toggles,
every subset of a multi-toggle) and a few stops on each slider, the default always among them.
A page then switches between the stored frames with plain JavaScript.

A grid that would be too large to store honestly is cut down in a fixed order, and the page says
so: first the sliders get fewer stops, then the control with the most values is *frozen* at its
default (shown disabled, with a line saying the live notebook moves it freely).

Figures are stored once per distinct image (many control values draw the same picture): a
matplotlib figure as a palette PNG, a figure that is already SVG text (the diagrams) as SVG.

Examples
--------
>>> from mechlib.explorers import Explorer, Frame, Slider, Toggle
>>> demo = Explorer("demo", "Doubling", (Slider("dose_mg", "Dose", 0.0, 10.0, 1.0, 2.0, "mg"),
...                                       Toggle("twice", "Twice", True)),
...                 lambda dose_mg, twice: Frame(None, f"{dose_mg * (2 if twice else 1):g} mg", "-"))
>>> plan = grid(demo)
>>> [len(v) for v in plan.values], plan.frozen
([7, 2], ())
>>> plan.values[0]
(0.0, 2.0, 3.0, 5.0, 7.0, 8.0, 10.0)
>>> render_explorer(demo, processes=1).frames["1|0"]["readout"]
'2 mg'
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from mechlib import explorers
from mechlib.explorers import Choice, Control, Explorer, MultiToggle, Slider, Toggle

#: Stops per slider: the first when the whole grid has at most ``FEW_FRAMES``, else the second.
SLIDER_STOPS = (7, 5)
FEW_FRAMES = 100
#: Most frames one explorer may store; past that, controls are frozen at their defaults.
MAX_FRAMES = 250
#: Resolution of the stored PNGs (pixels per inch of the figure; the page shows them unscaled).
PNG_DPI = 100


@dataclass(frozen=True)
class Grid:
    """The control values an explorer is rendered at.

    ``values[i]`` are the values of control ``i`` (one value, its default, if frozen); ``frozen``
    names the controls held at their default because the grid would be too large.
    """

    explorer: Explorer
    values: tuple[tuple[Any, ...], ...]
    frozen: tuple[str, ...]

    def combinations(self) -> list[tuple[int, ...]]:
        """Every combination, as indices into ``values``."""
        return list(itertools.product(*(range(len(v)) for v in self.values)))

    def size(self) -> int:
        return math.prod(len(v) for v in self.values)


def slider_stops(s: Slider, n: int) -> tuple[Any, ...]:
    """``n`` values from ``s.min`` to ``s.max`` on the slider's step, the default among them.

    Examples
    --------
    >>> slider_stops(Slider("v", "Voltage", -100.0, 40.0, 1.0, -70.0, "mV"), 5)
    (-100.0, -70.0, -30.0, 5.0, 40.0)
    """
    steps = round((s.max - s.min) / s.step)
    picks = {round(i * steps / (n - 1)) for i in range(n)}
    values = {_on_step(s, s.min + k * s.step) for k in picks}
    values.add(_on_step(s, s.default))
    if len(values) > n:  # drop the stop nearest the default (never the ends or the default)
        inner = [v for v in values if v not in (s.min, s.max, s.default)]
        values.discard(min(inner, key=lambda v: abs(v - s.default)))
    return tuple(sorted(values))


def _on_step(s: Slider, x: float) -> Any:
    x = min(max(x, s.min), s.max)
    return int(round(x)) if s.integer else float(f"{x:.10g}")


def control_values(c: Control, stops: int) -> tuple[Any, ...]:
    """The values control ``c`` takes in the grid (``stops`` only matters for sliders)."""
    if isinstance(c, Slider):
        return slider_stops(c, stops)
    if isinstance(c, Choice):
        return tuple(v for _, v in c.options)
    if isinstance(c, Toggle):
        return (False, True)
    if isinstance(c, MultiToggle):
        opts = [v for _, v in c.options]
        return tuple(tuple(v for v, on in zip(opts, mask, strict=True) if on)
                     for mask in itertools.product((False, True), repeat=len(opts)))
    raise TypeError(f"no grid for control {c!r}")


def grid(ex: Explorer, max_frames: int = MAX_FRAMES) -> Grid:
    """The values to render ``ex`` at, cut down when the full grid is too large.

    Sliders get 7 stops, or 5 when the grid would pass ``FEW_FRAMES``. While it passes
    ``max_frames``, a control is frozen at its default: the last slider first (a range is the
    least honest to sample coarsely), then the discrete control whose freezing keeps the most
    frames within the limit (or, if none does, the one with the most values).
    """
    values = [control_values(c, SLIDER_STOPS[0]) for c in ex.controls]
    if math.prod(map(len, values)) > FEW_FRAMES:
        values = [control_values(c, SLIDER_STOPS[1]) for c in ex.controls]
    frozen: list[str] = []

    def size(vals: list) -> int:
        return math.prod(map(len, vals))

    while size(values) > max_frames:
        live = [k for k in range(len(values)) if len(values[k]) > 1]
        sliders = [k for k in live if isinstance(ex.controls[k], Slider)]
        if sliders:
            i = sliders[-1]
        else:
            def left(k: int) -> int:
                return size(values) // len(values[k])
            fitting = [k for k in live if left(k) <= max_frames]
            i = (max(fitting, key=lambda k: (left(k), -k)) if fitting
                 else max(live, key=lambda k: (len(values[k]), k)))
        c = ex.controls[i]
        values[i] = (c.check(c.default),)
        frozen.append(c.name)
    return Grid(ex, tuple(values), tuple(frozen))


# --------------------------------------------------------------------------- rendering


@dataclass
class Rendered:
    """All frames of one explorer: figures stored once, frames keyed by ``"i|j|k"`` indices."""

    grid: Grid
    figures: dict[str, bytes] = field(default_factory=dict)  # file name -> content
    frames: dict[str, dict[str, str | None]] = field(default_factory=dict)

    def size_bytes(self) -> int:
        return sum(len(b) for b in self.figures.values())


def frame_key(indices: tuple[int, ...]) -> str:
    return "|".join(map(str, indices))


def figure_file(figure: Any) -> tuple[str, bytes] | None:
    """The figure as (file name, bytes): SVG text as ``.svg``, a matplotlib figure as ``.png``.

    The name is the content's hash, so identical pictures share one file.
    """
    if figure is None:
        return None
    if isinstance(figure, str) and figure.lstrip().startswith(("<svg", "<?xml")):
        body, ext = figure.encode(), "svg"
    elif hasattr(figure, "_repr_svg_") and not hasattr(figure, "savefig"):
        body, ext = figure._repr_svg_().encode(), "svg"
    else:
        body, ext = _palette_png(figure), "png"
        explorers.close_figure(figure)
    return f"{hashlib.sha1(body).hexdigest()[:16]}.{ext}", body


def _palette_png(figure: Any) -> bytes:
    """A matplotlib figure as an 8-bit palette PNG (a third of the size, no visible loss).

    Drawn straight from the Agg canvas into Pillow (no PNG encoded twice), on white.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    figure.set_dpi(PNG_DPI)
    figure.patch.set_facecolor("white")
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    img = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    img = img.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _render_one(task: tuple[str, tuple[int, ...], dict[str, Any]]) -> tuple:
    name, indices, values = task
    frame = explorers.get(name).render_values(**values)
    return indices, figure_file(frame.figure), frame.readout, frame.description


def render_explorer(ex: Explorer, processes: int = 2, max_frames: int = MAX_FRAMES,
                    pool: ProcessPoolExecutor | None = None) -> Rendered:
    """Render every frame of ``ex`` (a registered explorer when ``processes`` > 1)."""
    plan = grid(ex, max_frames)
    tasks = [(ex.name, idx, {c.name: plan.values[i][k] for i, (c, k) in
                             enumerate(zip(ex.controls, idx, strict=True))})
             for idx in plan.combinations()]
    if pool is not None:
        results = pool.map(_render_one, tasks, chunksize=4)
    elif processes > 1:
        with ProcessPoolExecutor(processes) as own:
            results = list(own.map(_render_one, tasks, chunksize=4))
    else:
        results = [_render_one_local(ex, t) for t in tasks]
    out = Rendered(plan)
    for indices, fig, readout, description in results:
        if fig is not None:
            out.figures[fig[0]] = fig[1]
        out.frames[frame_key(indices)] = {"figure": fig[0] if fig else None,
                                          "readout": readout, "description": description}
    return out


def _render_one_local(ex: Explorer, task: tuple) -> tuple:
    _, indices, values = task
    frame = ex.render_values(**values)
    return indices, figure_file(frame.figure), frame.readout, frame.description


def render_all(names: list[str] | None = None, processes: int = 2,
               max_frames: int = MAX_FRAMES) -> dict[str, Rendered]:
    """Render every registered explorer (or those in ``names``) with one shared process pool."""
    names = sorted(explorers.REGISTRY) if names is None else names
    with ProcessPoolExecutor(processes) as pool:
        return {n: render_explorer(explorers.get(n), max_frames=max_frames, pool=pool)
                for n in names}
