"""Input checks and data look-ups shared by the models: each bad value raises a ``ValueError``
that names the argument and what is allowed.

Examples
--------
>>> positive("dose_mg", 200)
200.0
>>> positive("dose_mg", -1)
Traceback (most recent call last):
...
ValueError: dose_mg must be a finite number > 0; got -1
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from mechlib import data


def unknown(what: str, value: object, allowed: Sequence[str]) -> ValueError:
    """The error for a name that is not one of ``allowed``."""
    return ValueError(f"unknown {what} {value!r}; allowed: {', '.join(allowed)}")


def positive(name: str, value: float, upper: float | None = None) -> float:
    """``value`` as a float, or ValueError naming ``name`` and the allowed range."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    limit = f"a finite number > 0{f' and <= {upper:g}' if upper else ''}"
    if not math.isfinite(v) or v <= 0 or (upper is not None and v > upper):
        raise ValueError(f"{name} must be {limit}; got {value!r}")
    return v


def nonneg(name: str, value: float) -> float:
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value!r}")
    return v



def unit_interval(name: str, value: float) -> float:
    """``value`` as a float between 0 and 1, or ValueError naming ``name``."""
    v = float(value)
    if not 0 <= v <= 1:
        raise ValueError(f"{name} must be between 0 and 1; got {value!r}")
    return v


def array(name: str, value: ArrayLike, allow_negative: bool = False) -> np.ndarray:
    """``value`` as a float array of finite numbers (``>= 0`` unless ``allow_negative``)."""
    a = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(a)) or (not allow_negative and np.any(a < 0)):
        rule = "finite numbers" if allow_negative else "finite numbers >= 0"
        raise ValueError(f"{name} must be {rule}; got {value!r}")
    return a


def drug_value(drug: str, name: str) -> float:
    """Parameter ``name`` of ``drug`` in the internal unit of its kind (h, L/kg, mg/L, uM...:
    see :data:`mechlib.data.units.KINDS`), whatever unit the data file wrote it in.

    Examples
    --------
    >>> drug_value("ketamine", "depression_infusion_duration")  # 40 min in the data
    0.666666666666667
    """
    return data.load().drug(drug).param(name).internal


def physiology_value(name: str) -> float:
    """Physiological parameter ``name`` in the internal unit of its kind (see :func:`drug_value`)."""
    return data.load().physiology_param(name).internal
