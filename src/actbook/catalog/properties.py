"""Properties of an activation, computed rather than asserted: the numbers behind every
"range", "peak", "zero-centred", "monotonic", "smooth" and "minimum" that a chapter states.

Symbolic where SymPy gives an exact answer (limits, smoothness at 0), numeric otherwise
(peaks and minima by bounded scalar minimisation, means by quadrature).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy as sp
from scipy import integrate, optimize

from actbook.catalog import numeric
from actbook.catalog.symbolic import CATALOG, z

GRID = np.linspace(-10.0, 10.0, 20001)


def _expr(name: str, **params: float) -> sp.Expr:
    act = CATALOG[name]
    values = {s: sp.nsimplify(params.get(s.name, v)) for s, v in act.params.items()}
    return sp.piecewise_fold(act.expr.subs(values))


def _branches(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The (left, right) pieces around 0: the same expression for a smooth function."""
    if isinstance(expr, sp.Piecewise):
        return expr.args[1][0], expr.args[0][0]
    return expr, expr


def limits(name: str, **params: float) -> tuple[sp.Expr, sp.Expr]:
    """``(lim f at -oo, lim f at +oo)``, exactly."""
    left, right = _branches(_expr(name, **params))
    return sp.limit(left, z, -sp.oo), sp.limit(right, z, sp.oo)


def smoothness_at_zero(name: str, max_order: int = 4, **params: float) -> str:
    """``"C^k"``: the highest k whose k-th derivatives agree from both sides of 0
    (``"C^inf"`` for an expression that is one analytic piece)."""
    expr = _expr(name, **params)
    if not isinstance(expr, sp.Piecewise):
        return "C^inf"
    left, right = _branches(expr)
    for k in range(max_order + 1):
        dl = sp.diff(left, z, k).subs(z, 0)
        dr = sp.diff(right, z, k).subs(z, 0)
        if sp.simplify(dl - dr) != 0:
            return f"C^{k - 1}" if k > 0 else "discontinuous"
    return f"C^{max_order}+"


def functions(name: str, **params: float):
    """``(f, f')`` of ``name`` as functions of z alone, parameters at the catalog's defaults
    unless given (PReLU's slope, which NumPy's reference requires, included)."""
    f, g = numeric.ELEMENTWISE[name]
    params = {**{s.name: v for s, v in CATALOG[name].params.items()}, **params}
    return (lambda x: f(x, **params)), (lambda x: g(x, **params))


def derivative_peak(name: str, **params: float) -> tuple[float, float]:
    """``(z*, f'(z*))`` where the derivative is largest on [-10, 10] (refined near the grid max)."""
    _, g = functions(name, **params)
    vals = g(GRID)
    i = int(np.argmax(vals))
    lo, hi = GRID[max(i - 1, 0)], GRID[min(i + 1, len(GRID) - 1)]
    res = optimize.minimize_scalar(
        lambda x: -float(g(x)), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
    )
    if -res.fun >= vals[i]:
        return float(res.x), float(-res.fun)
    return float(GRID[i]), float(vals[i])


def minimum(name: str, **params: float) -> tuple[float, float] | None:
    """``(z*, f(z*))`` of an interior minimum on [-10, 10], or None for a monotonic function."""
    f, _ = functions(name, **params)
    vals = f(GRID)
    i = int(np.argmin(vals))
    if i in (0, len(GRID) - 1):
        return None
    res = optimize.minimize_scalar(
        lambda x: float(f(x)),
        bounds=(GRID[i - 1], GRID[i + 1]),
        method="bounded",
        options={"xatol": 1e-10},
    )
    return float(res.x), float(res.fun)


def is_monotonic(name: str, **params: float) -> bool:
    """True when f' >= 0 on the whole grid (non-decreasing)."""
    _, g = functions(name, **params)
    return bool(np.all(g(GRID) >= 0))


def mean_under_normal(name: str, **params: float) -> float:
    """``E[f(Z)]`` for ``Z ~ N(0, 1)``: 0 for a zero-centred activation."""
    f, _ = functions(name, **params)
    pdf = lambda x: np.exp(-x * x / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    val, _ = integrate.quad(lambda x: float(f(x)) * pdf(x), -40, 40, points=[0.0], limit=200)
    return float(val)


def second_moment_under_normal(name: str, **params: float) -> float:
    """``E[f(Z)^2]`` for ``Z ~ N(0, 1)`` (1 at SELU's fixed point)."""
    f, _ = functions(name, **params)
    pdf = lambda x: np.exp(-x * x / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    val, _ = integrate.quad(lambda x: float(f(x)) ** 2 * pdf(x), -40, 40, points=[0.0], limit=200)
    return float(val)


def saturation_point(name: str, fraction: float = 0.01, **params: float) -> float | None:
    """The smallest z > 0 beyond which f'(z) stays below ``fraction`` of its peak, or None
    where the derivative does not die out on the right (ReLU-like functions)."""
    _, g = functions(name, **params)
    _, peak = derivative_peak(name, **params)
    right = GRID[GRID > 0]
    above = np.abs(g(right)) >= fraction * peak
    if above[-1]:
        return None
    last = np.flatnonzero(above)
    return float(right[last[-1] + 1]) if len(last) else 0.0


@dataclass(frozen=True)
class Summary:
    """The property row of one activation, as the catalog's table shows it."""

    name: str
    range: tuple[sp.Expr, sp.Expr]
    peak: tuple[float, float]
    mean: float
    monotonic: bool
    smoothness: str
    minimum: tuple[float, float] | None


def summary(name: str, **params: float) -> Summary:
    """Every property of one activation (at its default parameters unless given)."""
    low = minimum(name, **params)
    lo, hi = limits(name, **params)
    return Summary(
        name,
        (lo, hi) if low is None else (sp.Float(low[1], 6), hi),
        derivative_peak(name, **params),
        mean_under_normal(name, **params),
        is_monotonic(name, **params),
        smoothness_at_zero(name, **params),
        low,
    )
