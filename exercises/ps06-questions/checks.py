"""Checks for the exercise notebooks, copied verbatim next to them as ``checks.py`` by
``make exercises`` (the one source: edit this module, never a copy).

This file is standalone on purpose (NumPy and the standard library only): the exercises
never import ``actbook``. Every check raises ``AssertionError`` with a message that says what
was expected and what came back, so that a student learns from a failing test.
"""

from __future__ import annotations

import inspect
import sys
import warnings

import numpy as np

# Private references taken at import: a submission that patches np.allclose & co. after
# this point cannot make a failing check pass.
_allclose, _isclose, _asarray = np.allclose, np.isclose, np.asarray
_array_equal, _shape, _flatnonzero = np.array_equal, np.shape, np.flatnonzero

__all__ = [
    "call",
    "expect_battery",
    "expect_close",
    "expect_shape",
    "expect_float",
    "not_borrowed",
    "unchanged",
]


def _show(a) -> str:
    """A short description of an argument for a message: small values in full, else a shape."""
    arr = _asarray(a) if isinstance(a, (list, tuple, np.ndarray)) else None
    if arr is not None and arr.size > 6:
        return f"<array of shape {arr.shape}>"
    return repr(a)


def call(func, *args, **kwargs):
    """Call ``func`` with every warning turned into an error (overflow is a bug here)."""
    __tracebackhide__ = True  # pytest leaves this helper out of a failure report
    name = getattr(func, "__name__", "the function")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                return func(*args, **kwargs)
            except (FloatingPointError, RuntimeWarning) as e:
                shown = ", ".join(_show(a) for a in args)
                raise AssertionError(
                    f"{name}({shown}) raised a floating-point warning: {e}. "
                    "Rewrite it so that no exp/divide can overflow or divide by zero."
                ) from None
            except NotImplementedError:
                raise AssertionError(f"{name} is not implemented yet") from None


def expect_close(got, expected, what: str, rtol: float = 1e-7, atol: float = 1e-12) -> None:
    """``got`` equals ``expected`` within tolerance, nan where nan, same shape."""
    __tracebackhide__ = True
    got_a = _asarray(got, dtype=float)
    exp_a = _asarray(expected, dtype=float)
    if got_a.shape != exp_a.shape:
        raise AssertionError(f"{what}: expected shape {exp_a.shape}, got shape {got_a.shape}")
    if not _allclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=True):
        bad = ~_isclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=True)
        i = _flatnonzero(bad.ravel())[0] if got_a.ndim else None
        g = got_a.ravel()[i] if i is not None else got_a
        e = exp_a.ravel()[i] if i is not None else exp_a
        where = f" (first mismatch at flat index {i})" if i is not None else ""
        raise AssertionError(f"{what}: expected {float(e)!r}, got {float(g)!r}{where}")


def expect_shape(got, shape: tuple, what: str) -> None:
    __tracebackhide__ = True
    if _shape(got) != tuple(shape):
        raise AssertionError(f"{what}: expected shape {tuple(shape)}, got {_shape(got)}")


def expect_float(got, what: str) -> None:
    __tracebackhide__ = True
    kind = _asarray(got).dtype.kind
    if kind != "f":
        raise AssertionError(f"{what}: expected a float result, got dtype {_asarray(got).dtype}")


def unchanged(func, z, *args, **kwargs):
    """Call ``func`` and check that it left its input array unmodified."""
    __tracebackhide__ = True
    before = np.array(z, copy=True)
    out = call(func, z, *args, **kwargs)
    if not _array_equal(before, z, equal_nan=True):
        raise AssertionError(f"{func.__name__} modified its input array: work on a copy")
    return out


def not_borrowed(func) -> None:
    """The answer is the student's own code, not a call into the course library."""
    __tracebackhide__ = True
    if "actbook" in sys.modules or func.__module__ != "__main__":
        raise AssertionError(
            f"{func.__name__} must be written in this notebook, not imported "
            "(the course library actbook is not allowed here)"
        )
    try:
        src = inspect.getsource(func)
    except (OSError, TypeError):
        return
    if "actbook" in src:
        raise AssertionError(f"{func.__name__} must not use the course library actbook")


def _battery_case(func, name, cls, args, kwargs, expected, rtol, atol):
    """``None`` if ``func(*args, **kwargs)`` meets one hidden case, else (class, message)."""
    before = [_asarray(a).copy() if isinstance(a, (list, np.ndarray)) else None for a in args]
    shown = ", ".join([_show(a) for a in args] + [f"{k}={_show(v)}" for k, v in kwargs.items()])
    shown = f"{name}({shown})"
    try:
        got = call(func, *args, **kwargs)
    except AssertionError as e:
        return cls, str(e)
    except Exception as e:  # noqa: BLE001  (a crash is one failed case, reported as such)
        return cls, f"{shown} raised {type(e).__name__}: {e}"
    for b, a in zip(before, args, strict=True):
        if b is not None and not _array_equal(b, _asarray(a), equal_nan=True):
            return "unchanged", f"{shown} modified its input: work on a copy"
    g = _asarray(got)
    if g.dtype != np.float64:
        return cls, f"{shown}: expected a float64 result, got dtype {g.dtype}"
    if isinstance(expected, tuple):  # ("between", lo, hi): a random result within bounds
        lo, hi = _asarray(expected[1]), _asarray(expected[2])
        if g.shape != lo.shape:
            return cls, f"{shown}: expected shape {lo.shape}, got shape {g.shape}"
        ok = ((g >= lo) & (g <= hi)) | (np.isnan(lo) & np.isnan(g))
        bad = _flatnonzero(~ok.ravel())
        if bad.size:
            i = bad[0]
            return cls, (
                f"{shown}: at flat index {i} expected a value between {float(lo.ravel()[i])!r} "
                f"and {float(hi.ravel()[i])!r}, got {float(g.ravel()[i])!r}"
            )
        return None
    e = _asarray(expected, dtype=float)
    if g.shape != e.shape:
        return cls, f"{shown}: expected shape {e.shape}, got shape {g.shape}"
    with np.errstate(all="ignore"):
        err = np.abs(g - e)
        ok = (np.isnan(g) & np.isnan(e)) | (np.isinf(e) & (g == e))
        ok |= np.isfinite(e) & (err <= rtol * np.abs(e) + atol)
    bad = _flatnonzero(~ok.ravel())
    if not bad.size:
        return None
    i = bad[0]
    z = _asarray(args[0]) if args else None
    at = f"at z = {z.ravel()[i].item()!r}" if z is not None and z.shape == g.shape else "at"
    gi, ei = float(g.ravel()[i]), float(e.ravel()[i])
    allowed = float(np.broadcast_to(rtol, e.shape).ravel()[i])
    with np.errstate(all="ignore"):
        rel = abs(gi - ei) / abs(ei) if ei else abs(gi - ei)
    more = f" ({bad.size - 1} more elements wrong)" if bad.size > 1 else ""
    return cls, (
        f"{shown}: {at} (flat index {i}) expected {ei!r}, got {gi!r}: relative error "
        f"{rel:.1e}, allowed {allowed:.0e}{more}"
    )


def expect_battery(func, cases, rtol: float = 1e-13, atol: float = 1e-300) -> None:
    """Run ``func`` on hidden cases ``(input class, args, kwargs, expected[, rtol])``: no
    warning, the input unchanged, a float64 result of the expected shape, every element within
    its relative tolerance (a case may give one per element: its condition number times rtol).
    The message names the input classes that failed, and the first failure: where, by how much.
    """
    __tracebackhide__ = True
    name = getattr(func, "__name__", "the function")
    failures = []
    for cls, args, kwargs, expected, *tol in cases:
        tol = _asarray(tol[0] if tol else rtol, dtype=float)
        problem = _battery_case(func, name, cls, args, kwargs, expected, tol, atol)
        if problem is not None:
            failures.append(problem)
    if failures:
        classes = list(dict.fromkeys(cls for cls, _ in failures))
        raise AssertionError(
            f"{name} failed {len(failures)} of {len(cases)} hidden checks, input classes: "
            f"{', '.join(classes)}. First: {failures[0][1]}"
        )


#: z of the reference markers, and name -> (f(z), f'(z)) there, to 6 significant digits (plot
#: markers need no more); tests/course/test_checks.py proves they match the course's catalog.
REFERENCE_Z = (-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0)
# fmt: off
REFERENCE_POINTS: dict[str, tuple[tuple[float, ...], tuple[float, ...]]] = {
    "linear": (
        (-4, -3, -2, -1, 0, 1, 2, 3, 4),
        (1, 1, 1, 1, 1, 1, 1, 1, 1),
    ),
    "sigmoid": (
        (0.0179862, 0.0474259, 0.119203, 0.268941, 0.5, 0.731059, 0.880797, 0.952574, 0.982014),
        (0.0176627, 0.0451767, 0.104994, 0.196612, 0.25, 0.196612, 0.104994, 0.0451767, 0.0176627),
    ),
    "tanh": (
        (-0.999329, -0.995055, -0.964028, -0.761594, 0, 0.761594, 0.964028, 0.995055, 0.999329),
        (0.00134095, 0.00986604, 0.0706508, 0.419974, 1, 0.419974, 0.0706508, 0.00986604, 0.00134095),
    ),
    "relu": (
        (0, 0, 0, 0, 0, 1, 2, 3, 4),
        (0, 0, 0, 0, 0, 1, 1, 1, 1),
    ),
    "leaky_relu": (
        (-0.04, -0.03, -0.02, -0.01, 0, 1, 2, 3, 4),
        (0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 1, 1),
    ),
    "rrelu": (
        (-0.916667, -0.6875, -0.458333, -0.229167, 0, 1, 2, 3, 4),
        (0.229167, 0.229167, 0.229167, 0.229167, 0.229167, 1, 1, 1, 1),
    ),
    "elu": (
        (-0.981684, -0.950213, -0.864665, -0.632121, 0, 1, 2, 3, 4),
        (0.0183156, 0.0497871, 0.135335, 0.367879, 1, 1, 1, 1, 1),
    ),
    "selu": (
        (-1.7259, -1.67057, -1.52017, -1.11133, 0, 1.0507, 2.1014, 3.1521, 4.2028),
        (0.0322007, 0.0875306, 0.237933, 0.646769, 1.7581, 1.0507, 1.0507, 1.0507, 1.0507),
    ),
    "gelu": (
        (-0.000126685, -0.00404969, -0.0455003, -0.158655, 0, 0.841345, 1.9545, 2.99595, 3.99987),
        (-0.00050365, -0.0119456, -0.0852318, -0.0833155, 0.5, 1.08332, 1.08523, 1.01195, 1.0005),
    ),
    "gelu_tanh": (
        (-7.02459e-05, -0.00363739, -0.0454023, -0.158808, 0, 0.841192, 1.9546, 2.99636, 3.99993),
        (-0.000335123, -0.0115842, -0.0860993, -0.0829641, 0.5, 1.08296, 1.0861, 1.01158, 1.00034),
    ),
    "swish": (
        (-0.0719448, -0.142278, -0.238406, -0.268941, 0, 0.731059, 1.76159, 2.85772, 3.92806),
        (-0.0526646, -0.0881041, -0.0907842, 0.0723295, 0.5, 0.927671, 1.09078, 1.0881, 1.05266),
    ),
    "mish": (
        (-0.0725917, -0.145647, -0.252501, -0.303401, 0, 0.865098, 1.94396, 2.98654, 3.99741),
        (-0.0537732, -0.0933931, -0.108355, 0.0592168, 0.6, 1.04904, 1.06932, 1.02111, 1.00443),
    ),
    "softplus": (
        (0.0181499, 0.0485874, 0.126928, 0.313262, 0.693147, 1.31326, 2.12693, 3.04859, 4.01815),
        (0.0179862, 0.0474259, 0.119203, 0.268941, 0.5, 0.731059, 0.880797, 0.952574, 0.982014),
    ),
}
# fmt: on


def plot_against(func, grad, name: str, zlim: tuple[float, float] = (-5.0, 5.0)):
    """Your ``func`` and ``grad`` as curves, the reference values as markers.

    Shows the expected shape without showing the expected code.
    """
    import matplotlib.pyplot as plt

    z = np.linspace(*zlim, 401)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), layout="constrained")
    ref = REFERENCE_POINTS.get(name)
    for ax, f, k, label in ((axes[0], func, 0, "f"), (axes[1], grad, 1, "f'")):
        try:
            ax.plot(z, _asarray(call(f, z), dtype=float), lw=2, label=f"your {label}")
        except AssertionError as e:
            ax.text(0.5, 0.5, str(e), transform=ax.transAxes, ha="center", wrap=True)
        if ref is not None:
            ax.plot(REFERENCE_Z, ref[k], "o", color="k", label="reference values")
        ax.set(title=f"{name}: {label}(z)", xlabel="z")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    plt.close(fig)  # returned, so shown once; an open pyplot figure would be shown twice
    return fig
