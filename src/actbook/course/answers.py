"""The reference answers of problem set 6 (the Q&A of section VIII): instructor only.

Each function here is the general form of one graded answer (the one map a stack of linear
layers collapses to, the factor a chain of sigmoids multiplies a gradient by, the dead units
of a ReLU network, the sign structure of weight gradients, the time of an activation). The
author of problem set 6 calls them once on the problem set's cases and writes the results
into the hidden tests as literals; ``tests/pages/test_questions.py`` checks the instructor
notebook against them. They are graded answers, so the student edition (``make
student-edition``) leaves this module out, and ``chapters/questions.md`` computes its worked
answers with the catalog and the lab instead.

>>> W, b = collapse([(np.eye(2), np.ones(2)), (2 * np.eye(2), np.zeros(2))])
>>> W.tolist(), b.tolist()
([[2.0, 0.0], [0.0, 2.0]], [2.0, 2.0])
>>> fingerprint(0.25) == fingerprint(0.2500000000001)
True
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actbook.catalog import numeric

__all__ = [
    "canonical",
    "fingerprint",
    "collapse",
    "chain_factor",
    "dead_units_of_layers",
    "single_sign_fraction",
    "time_ratio",
]

Array = NDArray[np.float64]
Layer = tuple[ArrayLike, ArrayLike]


def canonical(x: ArrayLike, digits: int = 6) -> str:
    """A value as text with ``digits`` significant digits, the same for equal roundings.

    ``-0.0`` is written as ``0``; an array is its shape followed by its entries, so
    ``[1, 2]`` and ``[[1, 2]]`` differ.

    >>> canonical(np.array([[0.5, -0.0]]), 3)
    '(1, 2):5.00e-01,0.00e+00'
    """
    a = np.asarray(x, dtype=float) + 0.0  # + 0.0 turns -0.0 into 0.0
    body = ",".join(f"{v:.{digits - 1}e}" for v in a.ravel())
    return f"{a.shape}:{body}" if a.ndim else body


def fingerprint(x: ArrayLike, digits: int = 6) -> str:
    """The first 16 hex digits of the SHA-256 of :func:`canonical`: a visible test can check a
    value without showing it. The problem set defines the same function in its first cell."""
    return hashlib.sha256(canonical(x, digits).encode()).hexdigest()[:16]


def collapse(layers: Sequence[Layer]) -> tuple[Array, Array]:
    """The one affine map ``x -> W x + b`` equal to a stack of linear layers (Q1).

    ``layers`` is ``[(W1, b1), ..., (WL, bL)]`` with ``W_l`` of shape ``(n_l, n_{l-1})``,
    the text's per-example convention: layer ``l`` computes ``W_l a + b_l``.
    """
    if not layers:
        raise ValueError("collapse needs at least one layer")
    W = np.asarray(layers[0][0], dtype=float)
    b = np.asarray(layers[0][1], dtype=float)
    for Wl, bl in layers[1:]:
        Wl = np.asarray(Wl, dtype=float)
        W, b = Wl @ W, Wl @ b + np.asarray(bl, dtype=float)
    return W, b


_GRADS: dict[str, Callable[[ArrayLike], Array]] = {
    "sigmoid": numeric.sigmoid_grad,
    "tanh": numeric.tanh_grad,
    "relu": numeric.relu_grad,
    "leaky_relu": numeric.leaky_relu_grad,
    "elu": numeric.elu_grad,
}


def chain_factor(kind: str, zs: ArrayLike) -> float:
    """``prod_l f'(z_l)``: what the activations alone multiply a gradient by on its way back
    through one unit per layer whose pre-activations are ``zs`` (Q2, Q11).

    >>> chain_factor("sigmoid", [0.0] * 10) == 0.25**10
    True
    """
    g = _GRADS[kind](np.asarray(zs, dtype=float))
    with np.errstate(under="ignore"):
        return float(np.prod(g))


def dead_units_of_layers(layers: Sequence[Layer], X: ArrayLike) -> list[NDArray[np.bool_]]:
    """Which units of each hidden ReLU layer output exactly 0 on every row of ``X`` (Q3).

    ``layers`` uses the text's convention of :func:`collapse` (``W`` of shape
    ``(n_out, n_in)``); ``X`` holds one example per row, so a layer computes
    ``relu(A @ W.T + b)``. Every layer is a hidden ReLU layer.
    """
    a = np.asarray(X, dtype=float)
    masks = []
    for W, b in layers:
        a = numeric.relu(a @ np.asarray(W, dtype=float).T + np.asarray(b, dtype=float))
        masks.append(np.all(a == 0.0, axis=0))
    return masks


def single_sign_fraction(A: ArrayLike, delta: ArrayLike, batch: int | None = None) -> float:
    """The fraction of weight gradients whose components all share one sign (Q5, Q12).

    A unit with error signal ``delta_i`` on example ``i`` and inputs ``A[i]`` gets the
    gradient ``delta_i * A[i]`` for its incoming weights. When every input is positive
    (sigmoid outputs) the components all share ``delta_i``'s sign: the weights can only all
    grow or all shrink, the zig-zag of the text. With ``batch``, gradients are summed over
    consecutive minibatches of that size first (a trailing partial batch is dropped).
    """
    G = np.asarray(delta, dtype=float).reshape(-1, 1) * np.asarray(A, dtype=float)
    if batch is not None:
        n = (len(G) // batch) * batch
        G = G[:n].reshape(-1, batch, G.shape[1]).sum(axis=1)
    same = np.all(G > 0, axis=1) | np.all(G < 0, axis=1)
    return float(np.mean(same))


def time_ratio(
    slow: Callable[[Array], object],
    fast: Callable[[Array], object],
    x: Array,
    repeats: int = 7,
) -> float:
    """``median time(slow(x)) / median time(fast(x))`` over ``repeats`` single calls each (Q6).

    One warm-up call each first (the first call pays for allocating the output); the two
    functions alternate so that a slow moment of the machine hits both; medians, because
    a timing's noise is one-sided (a pause only ever adds time).
    """
    slow(x)
    fast(x)
    t_slow, t_fast = [], []
    for _ in range(repeats):
        for f, times in ((slow, t_slow), (fast, t_fast)):
            t0 = time.perf_counter()
            f(x)
            times.append(time.perf_counter() - t0)
    return statistics.median(t_slow) / statistics.median(t_fast)
