"""The debugging checks of the course's section VI, as functions of a network and its data.

"Dead ReLU neurons (high % of zero activations)", "vanishing gradients", "saturated
sigmoid/tanh units": each symptom of the text's debugging table becomes a number here, so
a chapter can measure it instead of asserting it.

>>> from actbook.lab.nn import MLP
>>> X = np.random.default_rng(0).standard_normal((500, 20))
>>> dead_fraction(MLP([20, 50, 50, 2], bias=-3.0), X).round(2).tolist()
[0.04, 1.0]

(The first layer's inputs vary enough to lift most units above the bias of -3 now and then;
the second layer's inputs are mostly 0, so nothing there ever fires.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actbook.lab.nn import ACTIVATIONS, MLP, init_std, textbook_init

__all__ = [
    "moments_through_depth",
    "dead_units",
    "dead_fraction",
    "gradient_norms",
    "gradient_ratio",
    "activation_stats",
    "activation_variance_through_depth",
    "vanishing_ratio",
]

Array = NDArray[np.float64]

#: Range limits of the bounded activations, for counting saturated units.
BOUNDS: dict[str, tuple[float, float]] = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}

#: Distance to a bound below which an activation counts as saturated.
SATURATION_TOL = 1e-3


def dead_units(model: MLP, X: ArrayLike, preactivation: bool = False) -> list[NDArray[np.bool_]]:
    """Which hidden units are dead on the inputs ``X``, one boolean mask per hidden layer.

    A unit is dead when its activation is exactly 0 on *every* input (a ReLU whose
    pre-activation is <= 0 everywhere): it then passes no gradient to its weights. With
    ``preactivation=True`` the test is ``z <= 0`` on every input instead, the analogue for
    Leaky ReLU, whose "dead" units still learn, but only through the slope alpha.
    """
    Z, A = model.trace(X)
    layers = Z[:-1] if preactivation else A[1:-1]
    with np.errstate(invalid="ignore"):
        return [np.all(h <= 0.0 if preactivation else h == 0.0, axis=0) for h in layers]


def dead_fraction(model: MLP, X: ArrayLike, preactivation: bool = False) -> Array:
    """Fraction of dead units in each hidden layer (see :func:`dead_units`)."""
    return np.array([mask.mean() for mask in dead_units(model, X, preactivation)])


def gradient_norms(model: MLP, X: ArrayLike, y: ArrayLike) -> Array:
    """``||dL/dW_l||`` (Frobenius) for every layer, input layer first, on the batch ``(X, y)``."""
    model.backward(X, y)
    return model.gradient_norms()


def gradient_ratio(model: MLP, X: ArrayLike, y: ArrayLike) -> float:
    """``||dL/dW_1|| / ||dL/dW_L||``: how much weaker the first layer's gradient is than the
    output layer's. About 1 means the gradient reaches the bottom intact; 1e-6 means the first
    layer barely learns (vanishing); >> 1 means it explodes on its way down."""
    norms = gradient_norms(model, X, y)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(norms[0] / norms[-1])


def activation_stats(model: MLP, X: ArrayLike) -> list[dict[str, float]]:
    """Summary statistics of every hidden layer's activations on ``X``.

    Returns
    -------
    list of dict
        Per hidden layer: ``mean``, ``std``, ``min``, ``max``, ``frac_zero`` (entries exactly
        0) and ``frac_saturated`` (entries within 1e-3 of a bound of sigmoid or tanh; NaN for
        activations without bounds).
    """
    _, A = model.trace(X)
    bounds = BOUNDS.get(model.activation)
    stats = []
    for a in A[1:-1]:
        if bounds is None:
            saturated = float("nan")
        else:
            lo, hi = bounds
            near = (a - lo < SATURATION_TOL) | (hi - a < SATURATION_TOL)
            saturated = float(np.mean(near))
        stats.append(
            {
                "mean": float(np.mean(a)),
                "std": float(np.std(a)),
                "frac_zero": float(np.mean(a == 0.0)),
                "frac_saturated": saturated,
                "min": float(np.min(a)),
                "max": float(np.max(a)),
            }
        )
    return stats


def layer_outputs(
    activation: str,
    init: str | float,
    depth: int,
    width: int,
    n: int = 1000,
    seed: int = 0,
    input_mean: float = 0.0,
    input_std: float = 1.0,
) -> Iterator[Array]:
    """The activations ``h`` after each layer of a plain stack ``h <- f(h @ W)``.

    ``n`` inputs with independent N(``input_mean``, ``input_std``^2) entries pass through
    ``depth`` square layers of ``width`` units (no biases), weights drawn by ``init``.
    """
    if depth < 1 or width < 1 or n < 1:
        raise ValueError("depth, width and n must be positive")
    f, _ = ACTIVATIONS[activation]
    rng = np.random.default_rng(seed)
    h = rng.normal(input_mean, input_std, size=(n, width))
    std = init_std(init, width, width)
    for _ in range(depth):
        # One layer at a time: 50 matrices of 512 x 512 would hold 100 MB for nothing.
        h = f(h @ rng.normal(0.0, std, size=(width, width)))
        yield h


def activation_variance_through_depth(
    activation: str,
    init: str | float,
    depth: int = 50,
    width: int = 512,
    n: int = 1000,
    seed: int = 0,
) -> Array:
    """The second moment ``E[h^2]`` of the activations after each layer of a plain stack
    (:func:`layer_outputs`, inputs from N(0, I)).

    He initialisation is derived to keep ``E[h^2]`` constant through ReLU layers; Xavier
    (``1/n`` for square layers) halves it at every ReLU layer, so after 50 layers it is
    ~2^-50 ~ 1e-15 (experiment E2).

    Returns
    -------
    ndarray of shape (depth,)
        ``E[h^2]`` over all units and inputs, after layer 1, 2, ..., depth.
    """
    layers = layer_outputs(activation, init, depth, width, n, seed)
    return np.array([np.mean(h * h) for h in layers])


def vanishing_ratio(
    activation: str,
    depth: int,
    width: int = 64,
    seeds: Iterable[int] = range(5),
    init: str | float | None = None,
    n: int = 256,
    n_classes: int = 3,
) -> float:
    """Geometric mean over ``seeds`` of :func:`gradient_ratio` at initialisation.

    Each seed builds an MLP with ``depth`` hidden layers of ``width`` units on a batch of
    ``n`` inputs from N(0, I) (dimension ``width``, so that every hidden layer is square)
    with random labels in ``n_classes`` classes, and measures ``||dL/dW_1|| / ||dL/dW_L||``
    before any training. ``init=None`` picks :func:`actbook.lab.nn.textbook_init`: He for the
    ReLU family, Xavier for sigmoid, tanh and linear, LeCun for SELU.

    Sigmoid's ratio falls like ``0.25^depth`` (its derivative is at most 1/4 and the
    Xavier weights keep the rest of each layer's factor near 1); tanh and ReLU stay O(1).
    """
    if init is None:
        init = textbook_init(activation)
    logs: list[float] = []
    for seed in seeds:
        rng = np.random.default_rng((seed, 1))  # data stream apart from the weights' stream
        X = rng.standard_normal((n, width))
        y = rng.integers(0, n_classes, n)
        model = MLP([width] + [width] * depth + [n_classes], activation, init=init, seed=seed)
        logs.append(np.log(gradient_ratio(model, X, y)))
    if not logs:
        raise ValueError("vanishing_ratio needs at least one seed")
    return float(np.exp(np.mean(logs)))


def moments_through_depth(
    activation: str,
    depth: int = 50,
    width: int = 256,
    n: int = 1000,
    init: str | float = "lecun",
    input_mean: float = 0.0,
    input_std: float = 1.0,
    seed: int = 0,
) -> tuple[Array, Array]:
    """Mean and variance of the activations after each layer of ``h <- f(h @ W)``.

    ``n`` inputs with independent N(``input_mean``, ``input_std``²) entries pass through
    ``depth`` square layers of ``width`` units, without biases, whose weights are drawn by
    ``init`` (``"lecun"``: N(0, 1/width), the initialisation SELU's fixed point assumes).

    Returns
    -------
    (means, variances) : two arrays of shape (depth,)
        Over all units and inputs, after layer 1, 2, ..., depth.
    """
    layers = layer_outputs(activation, init, depth, width, n, seed, input_mean, input_std)
    moments = np.array([(h.mean(), h.var()) for h in layers])
    return moments[:, 0], moments[:, 1]
