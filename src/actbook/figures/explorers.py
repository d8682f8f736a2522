"""The catalog pages' shared pieces: which controls each activation's interactive figure
has, what it is compared with, and the property table of the catalog index.

One definition per activation, used by its page and by the tests that move every slider.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from actbook.catalog import properties
from actbook.catalog.appearance import TITLES
from actbook.figures.tables import fmt, markdown_table
from actbook.figures.widgets import InteractiveFigure, Slider, activation_explorer

#: name -> the sliders of its interactive figure (the first is the static site's control).
SLIDERS: dict[str, list[Slider]] = {
    "linear": [Slider("m", "m", -2.0, 2.0, 0.1, 1.0)],
    "sigmoid": [],
    "tanh": [],
    "relu": [],
    "leaky_relu": [Slider("alpha", "α", 0.0, 1.0, 0.01, 0.01)],
    "prelu": [Slider("alpha", "α", 0.0, 1.0, 0.05, 0.25)],
    "rrelu": [
        # Disjoint ranges: lower <= upper whatever the student does.
        Slider("lower", "lower", 0.0, 1 / 3, 1 / 24, 1 / 8),
        Slider("upper", "upper", 1 / 3, 1.0, 1 / 24, 1 / 3),
    ],
    "elu": [Slider("alpha", "α", 0.1, 2.0, 0.1, 1.0)],
    "selu": [],
    "gelu": [],
    "gelu_tanh": [],
    "swish": [Slider("beta", "β", 0.1, 10.0, 0.1, 1.0)],
    "mish": [],
    "softplus": [],
}

#: name -> the activations drawn dashed beside it.
OVERLAY: dict[str, list[str]] = {
    "linear": ["relu"],
    "sigmoid": ["tanh"],
    "tanh": ["sigmoid"],
    "relu": ["leaky_relu"],
    "leaky_relu": ["relu"],
    "prelu": ["relu"],
    "rrelu": ["leaky_relu"],
    "elu": ["relu", "selu"],
    "selu": ["elu"],
    "gelu": ["relu", "swish"],
    "gelu_tanh": ["gelu"],
    "swish": ["relu", "gelu"],
    "mish": ["swish", "relu"],
    "softplus": ["relu"],
}


def explorer(name: str, **kwargs) -> InteractiveFigure:
    """The interactive figure of ``name``'s page."""
    return activation_explorer(name, SLIDERS[name], OVERLAY[name], **kwargs)


def _fmt(x) -> str:
    if x in (sp.oo, -sp.oo):
        return r"$+\infty$" if x == sp.oo else r"$-\infty$"
    return fmt(x)


def _where_peak(name: str, peak: tuple[float, float]) -> str:
    """Where f' is largest: a point, or "z > 0" / "every z" when it is flat there."""
    _, g = properties.functions(name)  # parameters at the catalog's defaults
    at, top = peak
    flat_right = np.allclose(g(np.array([0.5, 3.0, 9.0])), top, rtol=1e-12)
    flat_left = np.allclose(g(np.array([-9.0, -3.0, -0.5])), top, rtol=1e-12)
    if flat_right and flat_left:
        return "every z"
    if flat_right:
        return "z > 0"
    if abs(at) >= 9.99:  # at the edge of the search grid: a supremum, approached, not reached
        return "sup, z → +∞" if at > 0 else "sup, z → −∞"
    return f"z = {at:.3g}" if abs(at) > 1e-6 else "z = 0"


def property_table(names: list[str]) -> str:
    """A Markdown table of every property of ``names``, computed by
    :mod:`actbook.catalog.properties`."""
    header = ["activation", "range", "max f′ (at z)", "E[f(Z)], Z~N(0,1)", "monotonic",
              "smoothness at 0", "minimum (at z)"]  # fmt: skip
    rows = []
    for name in names:
        s = properties.summary(name)
        lo, hi = s.range
        closed = "[" if s.minimum is not None or lo == 0 and name == "relu" else "("
        rng = f"{closed}{_fmt(lo)}, {_fmt(hi)})"
        peak = f"{fmt(s.peak[1])} ({_where_peak(name, s.peak)})"
        low = "none" if s.minimum is None else f"{fmt(s.minimum[1])} (z = {fmt(s.minimum[0])})"
        smooth = "$" + s.smoothness.replace("inf", r"\infty").replace("+", "{+}") + "$"
        rows.append([TITLES[name], rng, peak, s.mean, s.monotonic, smooth, low])
    return markdown_table(header, rows)
