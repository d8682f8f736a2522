"""Comparing curves numerically: how far an approximation is from the function it stands for,
how accurate a floating-point formula is against a high-precision reference, and where a
derivative dies out on the negative side.

The GELU, Swish and Mish pages use these to turn "approximately", "loses accuracy" and
"tends to ReLU" into measured numbers.

>>> z = np.linspace(-10, 10, 200001)
>>> err, at = max_abs_difference(numeric.gelu(z), numeric.gelu_tanh(z), z)
>>> f"{err:.2e}"
'4.73e-04'
"""

from __future__ import annotations

from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from actbook.catalog import numeric, properties, symbolic

__all__ = [
    "max_abs_difference",
    "high_precision",
    "relative_error",
    "left_saturation_point",
    "finite_difference_error",
]

Array = NDArray[np.float64]


def max_abs_difference(f: ArrayLike, g: ArrayLike, z: ArrayLike) -> tuple[float, float]:
    """``(max |f - g|, the z where it is reached)`` for two curves sampled on the grid ``z``."""
    d = np.abs(np.asarray(f, dtype=float) - np.asarray(g, dtype=float))
    i = int(np.argmax(d))
    return float(d[i]), float(np.asarray(z, dtype=float)[i])


def high_precision(func: Callable[[mpmath.mpf], mpmath.mpf], z: ArrayLike, dps: int = 50) -> Array:
    """``func`` evaluated with mpmath at ``dps`` decimal digits at each point of ``z``, then
    rounded to float64: a reference that is correct to the last bit of a double.

    >>> ref = high_precision(lambda x: x / 2 * mpmath.erfc(-x / mpmath.sqrt(2)), [-20.0])
    >>> f"{ref[0]:.6e}"
    '-5.507248e-88'
    """
    with mpmath.workdps(dps):
        return np.array([float(func(mpmath.mpf(float(x)))) for x in np.ravel(z)]).reshape(
            np.shape(z)
        )


def relative_error(approx: ArrayLike, exact: ArrayLike) -> Array:
    """``|approx - exact| / |exact|`` (``exact`` must not vanish)."""
    a, e = np.asarray(approx, dtype=float), np.asarray(exact, dtype=float)
    if np.any(e == 0):
        raise ValueError("the relative error is undefined where the exact value is 0")
    return np.abs(a - e) / np.abs(e)


def left_saturation_point(
    name: str, fraction: float = 0.01, zmin: float = -40.0, **params: float
) -> float:
    """The z < 0 left of which ``|f'|`` stays below ``fraction`` of its peak: where the
    negative side saturates (the counterpart of
    :func:`actbook.catalog.properties.saturation_point`).

    >>> round(left_saturation_point("elu"), 2)   # alpha e^z = 0.01 at z = ln 0.01
    -4.61
    """
    _, g = numeric.ELEMENTWISE[name]
    _, peak = properties.derivative_peak(name, **params)
    zs = np.linspace(zmin, 0.0, 400001)
    above = np.abs(g(zs, **params)) >= fraction * peak
    if above[0]:
        raise ValueError(f"{name}'s derivative is still above {fraction:g} of its peak at {zmin}")
    return float(zs[np.argmax(above)])


def finite_difference_error(name: str, h: float = 1e-6) -> float:
    """The largest gap between SymPy's derivative of ``name`` (parameters at their defaults)
    and central differences ``(f(z + h) - f(z - h)) / 2h`` of the NumPy reference, on 801
    points of [-8, 8] that keep ``h`` away from a kink at 0. About 1e-9 when both agree.

    >>> finite_difference_error("sigmoid") < 1e-8
    True
    """
    act = symbolic.CATALOG[name]
    d = sp.lambdify(symbolic.z, act.with_defaults(symbolic.derivative(name)), ["scipy", "numpy"])
    params = {s.name: v for s, v in act.params.items()}
    f = numeric.ELEMENTWISE[name][0]
    zs = np.linspace(-8.0, 8.0, 801)
    zs = zs[np.abs(zs) > 10 * h]
    central = (f(zs + h, **params) - f(zs - h, **params)) / (2 * h)
    derived = np.broadcast_to(np.asarray(d(zs), dtype=float), zs.shape)
    return float(np.max(np.abs(derived - central)))
