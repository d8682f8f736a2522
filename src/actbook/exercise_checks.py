"""Checks for the exercise notebooks, copied next to them as ``checks.py`` by ``make exercises``.

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

__all__ = ["call", "expect_close", "expect_shape", "expect_float", "not_borrowed", "unchanged"]


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


#: name -> (z, f(z), f'(z)) at a few points, written in by ``make exercises`` from the
#: course's reference implementations.
REFERENCE_POINTS: dict[str, tuple[list[float], list[float], list[float]]] = {}


def plot_against(func, grad, name: str, zlim: tuple[float, float] = (-5.0, 5.0)):
    """Your ``func`` and ``grad`` as curves, the reference values as markers.

    Shows the expected shape without showing the expected code.
    """
    import matplotlib.pyplot as plt

    z = np.linspace(*zlim, 401)
    fig, axes = plt.subplots(1, 2, figsize=(8, 3), layout="constrained")
    ref = REFERENCE_POINTS.get(name)
    for ax, f, k, label in ((axes[0], func, 1, "f"), (axes[1], grad, 2, "f'")):
        try:
            ax.plot(z, _asarray(call(f, z), dtype=float), lw=2, label=f"your {label}")
        except AssertionError as e:
            ax.text(0.5, 0.5, str(e), transform=ax.transAxes, ha="center", wrap=True)
        if ref is not None:
            ax.plot(ref[0], ref[k], "o", color="k", label="reference values")
        ax.set(title=f"{name}: {label}(z)", xlabel="z")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    plt.close(fig)  # returned, so shown once; an open pyplot figure would be shown twice
    return fig
