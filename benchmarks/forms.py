"""Is each actbook reference the fastest *stable* form? Speed against other NumPy/SciPy forms
of the same function (ratio to the fastest, same run), and accuracy against a 700-digit
mpmath evaluation of the SymPy definition on a grid that includes the extremes."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import mpmath
import numpy as np
import sympy as sp
from scipy import special

from actbook.catalog import numeric, symbolic

sys.path.insert(0, str(Path(__file__).parent))
from common import interleaved_medians, update_results  # noqa: E402

z = symbolic.z
GRID = np.unique(
    np.concatenate([np.linspace(-40, 40, 321), [-700.0, -100.0, -1e-8, 0.0, 1e-8, 100.0, 700.0]])
)


def naive(f):
    """Wrap a form that may warn (overflow) so that it can be measured at all."""

    def g(x):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            return f(x)

    g.__wrapped__ = f
    return g


# name -> {form label: function}; "actbook" is the course's reference.
FORMS = {
    "relu": {
        "np.maximum(x, 0)": lambda x: np.maximum(x, 0.0),
        "x * (x > 0)": lambda x: x * (x > 0),
        "np.where(x > 0, x, 0)": lambda x: np.where(x > 0, x, 0.0),
    },
    "leaky_relu": {"np.where(x > 0, x, 0.01 x)": lambda x: np.where(x > 0, x, 0.01 * x)},
    "sigmoid": {
        "1 / (1 + exp(-x))": naive(lambda x: 1 / (1 + np.exp(-x))),
        "scipy.special.expit": special.expit,
        "where(x>=0, 1/(1+e), e/(1+e)), e=exp(-|x|)": lambda x: (
            lambda e: np.where(x >= 0, 1 / (1 + e), e / (1 + e))
        )(np.exp(-np.abs(x))),
    },
    "sigmoid_grad": {
        "s (1 - s), s = expit(x)": lambda x: (lambda s: s * (1 - s))(special.expit(x)),
        "e / (1 + e)^2, e = exp(-|x|)": lambda x: (lambda e: e / (1 + e) ** 2)(np.exp(-np.abs(x))),
    },
    "tanh_grad": {"1 - tanh(x)^2": lambda x: 1 - np.tanh(x) ** 2},
    "elu": {"where(x > 0, x, exp(x) - 1)": naive(lambda x: np.where(x > 0, x, np.exp(x) - 1))},
    "softplus": {
        "log(1 + exp(x))": naive(lambda x: np.log(1 + np.exp(x))),
        "np.logaddexp(0, x)": lambda x: np.logaddexp(0.0, x),
    },
    "gelu": {
        "x/2 (1 + erf(x/sqrt2))": lambda x: 0.5 * x * (1 + special.erf(x / np.sqrt(2))),
    },
    "swish": {
        "x / (1 + exp(-x))": naive(lambda x: x / (1 + np.exp(-x))),
        "x * expit(x)": lambda x: x * special.expit(x),
    },
    "mish": {
        "x tanh(log(1 + exp(x)))": naive(lambda x: x * np.tanh(np.log(1 + np.exp(x)))),
        "x tanh(logaddexp(0, x))": lambda x: x * np.tanh(np.logaddexp(0.0, x)),
    },
}


def reference(name: str) -> np.ndarray:
    """700-digit values of the SymPy definition (or derivative) on the grid."""
    base = name.removesuffix("_grad")
    act = symbolic.CATALOG[base]
    expr = act.with_defaults(symbolic.derivative(base) if name.endswith("_grad") else None)
    f = sp.lambdify(z, expr, modules="mpmath")
    with mpmath.workdps(700):  # 1 - sigma(700) cancels 304 digits
        return np.array([float(f(mpmath.mpf(float(x)))) for x in GRID])


EXTREMES = np.array([-1e308, -1000.0, 1000.0, 1e308, -np.inf, np.inf, np.nan])


def warns(f) -> bool:
    """True when the form emits a floating-point warning at the extremes (not stable)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            f(EXTREMES)
        except (RuntimeWarning, FloatingPointError):
            return True
    return False


def max_rel_error(got: np.ndarray, ref: np.ndarray) -> float:
    """Largest relative error where the true value is a normal float; where it is subnormal
    (|ref| < 2.2e-308) no form can be relatively accurate, so an absolute error up to that
    bound counts as exact."""
    got = np.asarray(got, dtype=float)
    tiny = np.finfo(float).tiny
    diff = np.abs(got - ref)
    err = np.where(np.abs(ref) >= tiny, diff / np.maximum(np.abs(ref), tiny), 0.0)
    err = np.where((np.abs(ref) < tiny) & (diff > tiny), np.inf, err)
    err = np.where(np.isnan(got), np.inf, err)
    return float(np.max(err))


def main(quick: bool = False) -> dict:
    n = 10**5 if quick else 10**6
    x = 3.0 * np.random.default_rng(0).standard_normal(n)
    out = {}
    for name, forms in FORMS.items():
        fn = numeric.ELEMENTWISE[name.removesuffix("_grad")][name.endswith("_grad")]
        contenders = {"actbook": fn, **forms}
        t = interleaved_medians({k: (lambda f=f: f(x)) for k, f in contenders.items()}, 11)
        best = min(t.values())
        ref = reference(name)
        out[name] = {
            k: {
                "time_ratio_to_fastest": t[k] / best,
                "max_rel_error": max_rel_error(f(GRID), ref),
                "warns": warns(getattr(f, "__wrapped__", f)),
            }
            for k, f in contenders.items()
        }
        print(f"forms: {name} done", flush=True)
    update_results("forms", out)
    return out


if __name__ == "__main__":
    res = main(quick="--quick" in sys.argv)
    for name, forms in res.items():
        for k, v in forms.items():
            print(
                f"{name:13s} {k:45s} x{v['time_ratio_to_fastest']:5.2f}  "
                f"err {v['max_rel_error']:.2e}  warns {v['warns']}"
            )
