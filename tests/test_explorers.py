"""Every explorer, swept over the extremes of every control, and its widget front end."""

from __future__ import annotations

import html
import math
import re
import warnings

import pytest

from mechlib import explorers, widgets
from mechlib.explorers import MultiToggle, Slider

NAMES = sorted(explorers.REGISTRY)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_the_lessons_have_explorers():
    assert len(NAMES) >= 6, NAMES


@pytest.mark.parametrize("name", NAMES)
def test_every_control_has_a_label_and_units_and_a_sane_default(name):
    ex = explorers.get(name)
    assert ex.title.strip()
    for c in ex.controls:
        assert c.label.strip(), c.name
        if isinstance(c, Slider):
            assert c.unit.strip(), f"{name}.{c.name} has no unit"
            assert c.min < c.max and c.min <= c.default <= c.max, c.name
            assert c.step > 0
        c.check(c.default)


@pytest.mark.parametrize("name", NAMES)
def test_sweep_every_control_to_its_extremes(name):
    ex = explorers.get(name)
    seen = 0
    for values in ex.sweep():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            frame = ex.render_values(**values)
        assert frame.readout.strip(), values
        assert not re.search(r"\bnan\b|\binf\b", frame.readout, re.I), (values, frame.readout)
        assert frame.description.strip(), values
        if frame.figure is not None:
            assert frame.png().startswith(PNG_MAGIC)
            explorers.close_figure(frame.figure)
        seen += 1
    assert seen == 1 + sum(len(c.extremes()) for c in ex.controls)


@pytest.mark.parametrize("name", NAMES)
def test_out_of_range_values_are_refused_with_the_allowed_range(name):
    ex = explorers.get(name)
    for c in ex.controls:
        if isinstance(c, Slider):
            with pytest.raises(ValueError, match=re.escape(c.name) + ".*allowed range"):
                ex.render_values(**{c.name: c.max + abs(c.max - c.min) + 1})
            with pytest.raises(ValueError, match=re.escape(c.name)):
                ex.render_values(**{c.name: math.nan})
        elif isinstance(c, MultiToggle):
            with pytest.raises(ValueError, match="allowed"):
                ex.render_values(**{c.name: ("no-such-option",)})
        else:
            with pytest.raises(ValueError, match=re.escape(c.name)):
                ex.render_values(**{c.name: "no-such-option"})
    with pytest.raises(ValueError, match="has no control"):
        ex.render_values(no_such_control=1)


def test_unknown_explorer_lists_the_allowed_ones():
    with pytest.raises(ValueError, match="unknown explorer 'nope'; allowed: " + re.escape(NAMES[0])):
        explorers.get("nope")


@pytest.mark.parametrize("name", NAMES)
def test_widget_redraws_when_a_control_moves_and_reset_restores(name):
    ex = explorers.get(name)
    box = widgets.show(name)
    assert "mechlib-explorer" in box._dom_classes
    image = next(c for c in box.children if "mechlib-figure" in c._dom_classes)  # HTML with SVG
    text = next(c for c in box.children if "mechlib-readout" in c._dom_classes)
    before = (text.value, image.value)
    # Move the first control that changes the frame to another allowed value.
    controls = box.children[1:1 + len(ex.controls)]
    changed = False
    for c, wdg in zip(ex.controls, controls, strict=True):
        if isinstance(c, Slider):
            wdg.value = c.max if c.default != c.max else c.min
        elif isinstance(c, MultiToggle):
            button = wdg.children[1]
            button.value = not button.value
        elif hasattr(c, "options"):
            wdg.value = next(v for _, v in c.options if v != c.default)
        else:
            wdg.value = not c.default
        if (text.value, image.value) != before:
            changed = True
            break
    assert changed, f"{name}: no control changed the readout or the figure"
    reset = next(c for c in box.children if getattr(c, "description", "") == "Reset")
    reset.click()
    assert (text.value, image.value) == before


@pytest.mark.parametrize("name", NAMES)
def test_widget_carries_the_figure_description_for_screen_readers(name):
    box = widgets.show(name)
    described = next(c for c in box.children if "mechlib-description" in c._dom_classes)
    frame = explorers.get(name).render_values()
    first_line = frame.description.strip().splitlines()[0].lstrip("# ")
    assert first_line
    assert "Text description of the figure" in described.value
    assert html.escape(first_line) in described.value


@pytest.mark.parametrize("name", ["ketamine_pk", "ketamine_population"])
def test_a_dead_control_is_disabled_with_its_reason(name):
    box = widgets.show(name)
    sliders = {c.description.split(" (")[0]: c for c in box.children if hasattr(c, "disabled")
               and hasattr(c, "min")}
    nasal = next(s for k, s in sliders.items() if k.startswith("Nasal"))
    iv = next(s for k, s in sliders.items() if k.startswith("IV dose"))
    assert nasal.disabled and "IV route" in nasal.description and not iv.disabled
    route = next(c for c in box.children if getattr(c, "options", None) and c.value == "iv")
    route.value = next(v for _, v in route.options if v != "iv")
    assert iv.disabled and not nasal.disabled


@pytest.mark.parametrize("name", ["held_dose", "held_dose_population"])
def test_the_delay_is_disabled_while_the_dose_is_held(name):
    box = widgets.show(name)
    delay = next(c for c in box.children if getattr(c, "description", "").startswith("Delay"))
    mode = next(c for c in box.children if getattr(c, "options", None) and c.value == "hold")
    assert delay.disabled and "held, not delayed" in delay.description
    mode.value = "delay"
    assert not delay.disabled and "off:" not in delay.description
