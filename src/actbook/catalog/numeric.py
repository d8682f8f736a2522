"""Stable NumPy reference implementations of every activation in the exercise contract.

Every function is element-wise (softmax works along ``axis``), accepts Python scalars and
arrays of any shape, returns a float array of the input's shape (float32 stays float32,
anything else becomes float64), never modifies its input and never emits a RuntimeWarning,
even at +-1e308 or +-inf. NaN propagates. Defaults follow PyTorch; at z = 0 the derivative
of a piecewise function takes the z <= 0 branch, the convention of the course text.

>>> float(sigmoid(0.0)), float(sigmoid_grad(0.0))
(0.5, 0.25)
>>> softmax([1000.0, 1000.0]).tolist()
[0.5, 0.5]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

#: SELU constants of Klambauer et al. (2017), to the precision PyTorch uses.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

# Python floats, not NumPy scalars: a float64 scalar would promote float32 arrays (NEP 50).
_SQRT_2_OVER_PI = float(np.sqrt(2.0 / np.pi))
_INV_SQRT_2 = float(1.0 / np.sqrt(2.0))
_INV_SQRT_2PI = float(1.0 / np.sqrt(2.0 * np.pi))
_GELU_TANH_CUBIC = 0.044715

Array = NDArray[np.floating]

__all__ = [
    "ELEMENTWISE",
    "SELU_ALPHA",
    "SELU_SCALE",
    "as_float",
    "linear",
    "linear_grad",
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "cross_entropy_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "prelu",
    "prelu_grad",
    "rrelu",
    "rrelu_grad",
    "elu",
    "elu_grad",
    "selu",
    "selu_grad",
    "gelu",
    "gelu_grad",
    "gelu_tanh",
    "gelu_tanh_grad",
    "swish",
    "swish_grad",
    "mish",
    "mish_grad",
    "softplus",
    "softplus_grad",
]


def as_float(z: ArrayLike) -> Array:
    """Return ``z`` as a floating array (a copy is never needed: callers never write to it)."""
    a = np.asarray(z)
    if a.dtype.kind not in "fc":
        a = a.astype(np.float64)
    return a


def _limits_at_infinity(
    z: Array, out: ArrayLike, neg: float | None = None, pos: float | None = None
) -> Array:
    """Put a function's limits where z = -inf (``neg``) and z = +inf (``pos``).

    Functions of the form ``z * g(z)`` with ``g -> 0`` evaluate to ``inf * 0 = nan`` there;
    callers compute them under ``np.errstate(invalid="ignore")`` and fix the infinities here,
    which costs one extra pass only when an infinity is present.
    """
    out = np.asarray(out)
    inf = np.isinf(z)
    if not inf.any():
        return out
    out = out.copy()
    if neg is not None:
        out[inf & (z < 0)] = neg
    if pos is not None:
        out[inf & (z > 0)] = pos
    return out


# ---------------------------------------------------------------- classic


def linear(z: ArrayLike, m: float = 1.0) -> Array:
    """The linear activation ``f(z) = m z``."""
    z = as_float(z)
    with np.errstate(over="ignore"):  # m * 1e308 is inf, as in IEEE arithmetic
        return (m * z).astype(z.dtype, copy=False)


def linear_grad(z: ArrayLike, m: float = 1.0) -> Array:
    """``f'(z) = m`` everywhere (NaN where z is NaN)."""
    z = as_float(z)
    return np.where(np.isnan(z), z, np.asarray(m, dtype=z.dtype)).astype(z.dtype, copy=False)


def sigmoid(z: ArrayLike) -> Array:
    """The logistic function ``1 / (1 + exp(-z))``, computed without overflow.

    >>> float(sigmoid(-1000.0)), float(sigmoid(1000.0))
    (0.0, 1.0)
    """
    z = as_float(z)
    return special.expit(z)  # stable for every input, no warning, keeps float32


def sigmoid_grad(z: ArrayLike) -> Array:
    """``sigma'(z) = sigma(z)(1 - sigma(z))``, written as ``e / (1 + e)^2``, ``e = exp(-|z|)``.

    ``1 - sigma(z)`` rounds to 0 for z > 37 and the product form loses every digit there;
    this form keeps them, and it is the fastest stable one (benchmarks/forms.py).
    """
    z = as_float(z)
    e = np.exp(-np.abs(z))
    return (e / (1.0 + e) ** 2).astype(z.dtype, copy=False)


def tanh(z: ArrayLike) -> Array:
    """The hyperbolic tangent."""
    z = as_float(z)
    return np.tanh(z)


def tanh_grad(z: ArrayLike) -> Array:
    """``1 - tanh^2(z)`` as ``4e / (1 + e)^2``, ``e = exp(-2|z|)``: it keeps its digits."""
    z = as_float(z)
    e = np.exp(-2.0 * np.minimum(np.abs(z), 400.0))  # 2|z| would overflow at 1e308
    return (4.0 * e / (1.0 + e) ** 2).astype(z.dtype, copy=False)


# ---------------------------------------------------------------- softmax


def _shifted(z: ArrayLike, axis: int, name: str) -> tuple[Array, Array]:
    """``(z, z - max(z))`` along ``axis``: after the shift no ``exp`` can overflow."""
    z = as_float(z)
    if z.ndim == 0:
        raise ValueError(f"{name} needs at least one axis: got a scalar")
    if z.size == 0:
        return z, z.copy()
    # -1e308 - 1e308 overflows to -inf, whose exp is the true 0; inf - inf is nan, replaced
    # by the limit in _at_plus_inf. Both silently.
    with np.errstate(over="ignore", invalid="ignore"):
        return z, z - np.max(z, axis=axis, keepdims=True)


def _at_plus_inf(z: Array, out: Array, axis: int, log: bool) -> Array:
    """The limit where a slice holds +inf (and no nan): its +inf entries share the probability
    equally (one +inf takes it all), the others get 0 (log: -inf)."""
    pos = np.isposinf(z)
    if not pos.any():
        return out
    k = np.sum(pos, axis=axis, keepdims=True)
    limited = (k > 0) & ~np.any(np.isnan(z), axis=axis, keepdims=True)
    if log:
        with np.errstate(divide="ignore"):
            lim = np.where(pos, -np.log(np.maximum(k, 1)), -np.inf)
    else:
        lim = pos / np.maximum(k, 1)
    return np.where(limited, lim, out).astype(out.dtype, copy=False)


def softmax(z: ArrayLike, axis: int = -1) -> Array:
    """Softmax along ``axis``, shifted by the maximum so that ``exp`` never overflows.

    A slice holding +inf gives the limit (the +inf entries share the probability); a slice
    holding nan is nan; -inf is a masked entry (probability 0).

    >>> softmax([1.0, 2.0, 3.0]).round(8).tolist()
    [0.09003057, 0.24472847, 0.66524096]
    >>> softmax([np.inf, 0.0]).tolist()
    [1.0, 0.0]
    """
    z, shifted = _shifted(z, axis, "softmax")
    if z.size == 0:
        return shifted
    e = np.exp(shifted)
    return _at_plus_inf(z, e / np.sum(e, axis=axis, keepdims=True), axis, log=False)


def log_softmax(z: ArrayLike, axis: int = -1) -> Array:
    """``log(softmax(z))`` as ``z - max - log1p(sum of exp(z - max) over all but one maximum)``.

    The maximum's own term is exactly 1: leaving it out of the sum and taking ``log1p`` keeps
    the digits that ``log(1 + tiny)`` rounds away (``log_softmax([40, 0])[0]`` is
    ``-4.25e-18``, not 0). Where the true result overflows (``-2e308``) it is ``-inf``.

    >>> float(log_softmax([40.0, 0.0])[0])
    -4.248354255291589e-18
    """
    z, shifted = _shifted(z, axis, "log_softmax")
    if z.size == 0:
        return shifted
    e = np.exp(shifted)
    np.put_along_axis(e, np.argmax(z, axis=axis, keepdims=True), 0.0, axis=axis)
    out = shifted - np.log1p(np.sum(e, axis=axis, keepdims=True))
    return _at_plus_inf(z, out, axis, log=True)


def softmax_jacobian(z: ArrayLike) -> Array:
    """The K x K Jacobian ``diag(s) - s s^T`` of softmax at a 1-D ``z``.

    The diagonal ``s_i (1 - s_i)`` is computed as ``s_i * (sum of the other s_j)``: ``1 - s_i``
    rounds to 0 when ``s_i`` is close to 1 (``z = (40, 0)``), the sum of the others does not.
    """
    z = as_float(z)
    if z.ndim != 1:
        raise ValueError(f"softmax_jacobian needs a 1-D vector of logits, got shape {z.shape}")
    s = softmax(z)
    others = np.sum(np.where(np.eye(len(s), dtype=bool), 0.0, s), axis=1)
    jac = -np.outer(s, s)
    jac[np.diag_indices(len(s))] = s * others
    return jac


def cross_entropy_grad(z: ArrayLike, y: ArrayLike) -> Array:
    """``softmax(z) - onehot(y)`` along the last axis: the gradient of ``-log softmax(z)[y]``.

    The entry of the true class, ``s_y - 1``, is computed as minus the sum of the other
    probabilities, which keeps its digits when ``s_y`` is close to 1.
    """
    z = as_float(z)
    s = softmax(z)
    onehot = np.arange(z.shape[-1]) == np.asarray(y)[..., None]
    others = np.sum(np.where(onehot, 0.0, s), axis=-1, keepdims=True)
    return np.where(onehot, -others, s).astype(s.dtype, copy=False)


# ---------------------------------------------------------------- ReLU family


def relu(z: ArrayLike) -> Array:
    """``max(0, z)``; NaN propagates."""
    z = as_float(z)
    return np.maximum(z, 0.0).astype(z.dtype, copy=False)


def _step(z: Array, left: ArrayLike, right: ArrayLike = 1.0) -> Array:
    """The derivative of a two-piece linear function: ``right`` for z > 0, ``left`` for z <= 0."""
    out = np.where(z > 0, right, left)
    return np.where(np.isnan(z), z, out).astype(z.dtype, copy=False)


def relu_grad(z: ArrayLike) -> Array:
    """1 for z > 0, 0 for z <= 0 (0 at z = 0, as PyTorch)."""
    return _step(as_float(z), 0.0)


def leaky_relu(z: ArrayLike, alpha: float = 0.01) -> Array:
    """``z`` for z > 0, ``alpha z`` for z <= 0 (PyTorch's default alpha = 0.01)."""
    z = as_float(z)
    with np.errstate(over="ignore"):
        az = alpha * z
        # max(z, az) is the same function for 0 <= alpha <= 1 (min for alpha > 1), and about
        # three times faster than np.where; both propagate nan.
        if 0 <= alpha <= 1:
            return np.maximum(z, az).astype(z.dtype, copy=False)
        if alpha > 1:
            return np.minimum(z, az).astype(z.dtype, copy=False)
        return np.where(z > 0, z, az).astype(z.dtype, copy=False)


def leaky_relu_grad(z: ArrayLike, alpha: float = 0.01) -> Array:
    """1 for z > 0, ``alpha`` for z <= 0."""
    return _step(as_float(z), alpha)


def prelu(z: ArrayLike, alpha: ArrayLike) -> Array:
    """Parametric ReLU: a Leaky ReLU whose slope ``alpha`` (scalar or broadcastable) is learned."""
    z = as_float(z)
    with np.errstate(over="ignore"):
        return np.where(z > 0, z, np.asarray(alpha) * z).astype(z.dtype, copy=False)


def prelu_grad(z: ArrayLike, alpha: ArrayLike) -> Array:
    """``d prelu / dz``: 1 for z > 0, ``alpha`` for z <= 0."""
    z = as_float(z)
    return np.broadcast_to(_step(z, alpha), np.broadcast_shapes(z.shape, np.shape(alpha))).copy()


def _rrelu_slope(
    z: Array, lower: float, upper: float, training: bool, rng: np.random.Generator | int | None
) -> ArrayLike:
    if not lower <= upper:
        raise ValueError(f"rrelu needs lower <= upper, got lower={lower}, upper={upper}")
    if not training:
        return (lower + upper) / 2.0
    return np.random.default_rng(rng).uniform(lower, upper, size=z.shape)


def rrelu(
    z: ArrayLike,
    lower: float = 1 / 8,
    upper: float = 1 / 3,
    training: bool = False,
    rng: np.random.Generator | int | None = None,
) -> Array:
    """Randomised Leaky ReLU. In training each negative element gets a slope drawn from
    ``U(lower, upper)``; in evaluation the slope is fixed at ``(lower + upper) / 2``.
    Pass the same seed as ``rng`` to :func:`rrelu_grad` to get the matching derivative."""
    z = as_float(z)
    slope = _rrelu_slope(z, lower, upper, training, rng)
    with np.errstate(over="ignore"):  # upper > 1: 3 * -1e308 is -inf, as in IEEE arithmetic
        return np.where(z > 0, z, slope * z).astype(z.dtype, copy=False)


def rrelu_grad(
    z: ArrayLike,
    lower: float = 1 / 8,
    upper: float = 1 / 3,
    training: bool = False,
    rng: np.random.Generator | int | None = None,
) -> Array:
    """1 for z > 0, the (mean or sampled) slope for z <= 0."""
    z = as_float(z)
    return _step(z, _rrelu_slope(z, lower, upper, training, rng))


def elu(z: ArrayLike, alpha: float = 1.0) -> Array:
    """``z`` for z > 0, ``alpha (exp(z) - 1)`` for z <= 0, with expm1 for accuracy near 0."""
    z = as_float(z)
    neg = alpha * np.expm1(np.minimum(z, 0.0))  # min() keeps exp from overflowing
    return np.where(z > 0, z, neg).astype(z.dtype, copy=False)


def elu_grad(z: ArrayLike, alpha: float = 1.0) -> Array:
    """1 for z > 0, ``alpha exp(z)`` (= ELU(z) + alpha) for z <= 0."""
    z = as_float(z)
    return _step(z, alpha * np.exp(np.minimum(z, 0.0)))


def selu(z: ArrayLike) -> Array:
    """``SELU_SCALE * elu(z, SELU_ALPHA)``: the self-normalising ELU."""
    z = as_float(z)
    with np.errstate(over="ignore"):  # z > 1.71e308: the true result overflows, to inf
        return (SELU_SCALE * elu(z, SELU_ALPHA)).astype(z.dtype, copy=False)


def selu_grad(z: ArrayLike) -> Array:
    """``SELU_SCALE`` for z > 0, ``SELU_SCALE * SELU_ALPHA * exp(z)`` for z <= 0."""
    z = as_float(z)
    return (SELU_SCALE * elu_grad(z, SELU_ALPHA)).astype(z.dtype, copy=False)


# ---------------------------------------------------------------- modern


def softplus(z: ArrayLike) -> Array:
    """``log(1 + exp(z))`` as ``max(z, 0) + log1p(exp(-|z|))``: no overflow, full accuracy
    for z << 0 (``np.logaddexp`` would do too, but it warns on nan)."""
    z = as_float(z)
    return (np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))).astype(z.dtype, copy=False)


def softplus_grad(z: ArrayLike) -> Array:
    """``softplus'(z) = sigmoid(z)``."""
    return sigmoid(z)


def gelu(z: ArrayLike) -> Array:
    """Exact GELU ``z Phi(z)``, with ``Phi`` written through erfc so that it keeps its relative
    accuracy for z << 0 (``1 + erf`` cancels to 0 there)."""
    z = as_float(z)
    with np.errstate(invalid="ignore"):
        out = 0.5 * z * special.erfc(-z * _INV_SQRT_2)
    return _limits_at_infinity(z, out, neg=0.0).astype(z.dtype, copy=False)


def gelu_grad(z: ArrayLike) -> Array:
    """``Phi(z) + z phi(z)``."""
    z = as_float(z)
    with np.errstate(over="ignore", invalid="ignore"):  # z*z is inf past 1e154: exp(-inf) = 0
        out = 0.5 * special.erfc(-z * _INV_SQRT_2) + z * _INV_SQRT_2PI * np.exp(-0.5 * z * z)
    return _limits_at_infinity(z, out, neg=0.0, pos=1.0).astype(z.dtype, copy=False)


def _gelu_tanh_v(z: Array) -> tuple[Array, Array]:
    """``v = 2 sqrt(2/pi) (z + 0.044715 z^3)`` and ``dv/dz``, with z clipped to +-50 (beyond,
    sigmoid(v) is exactly 0 or 1 in float64, and z^3 stays finite)."""
    zc = np.clip(z, -50.0, 50.0)
    v = 2.0 * _SQRT_2_OVER_PI * (zc + _GELU_TANH_CUBIC * zc**3)
    dv = 2.0 * _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_CUBIC * zc**2)
    return v, dv


def gelu_tanh(z: ArrayLike) -> Array:
    """The tanh approximation ``z/2 (1 + tanh(sqrt(2/pi)(z + 0.044715 z^3)))``, computed as
    ``z sigmoid(2 sqrt(2/pi)(z + 0.044715 z^3))`` (the same function): ``1 + tanh`` cancels to
    0 for z < -5 and loses every digit there, the sigmoid keeps them."""
    z = as_float(z)
    v, _ = _gelu_tanh_v(z)
    with np.errstate(invalid="ignore"):
        out = z * special.expit(v)
    return _limits_at_infinity(z, out, neg=0.0).astype(z.dtype, copy=False)


def gelu_tanh_grad(z: ArrayLike) -> Array:
    """Derivative of :func:`gelu_tanh`: ``sigmoid(v) + z sigmoid'(v) v'``."""
    z = as_float(z)
    v, dv = _gelu_tanh_v(z)
    with np.errstate(invalid="ignore"):
        out = special.expit(v) + z * sigmoid_grad(v) * dv
    return _limits_at_infinity(z, out, neg=0.0, pos=1.0).astype(z.dtype, copy=False)


def swish(z: ArrayLike, beta: float = 1.0) -> Array:
    """Swish ``z sigmoid(beta z)``; SiLU is beta = 1."""
    z = as_float(z)
    with np.errstate(over="ignore", invalid="ignore"):
        out = z * special.expit(beta * z)
    if beta > 0:
        out = _limits_at_infinity(z, out, neg=0.0)
    return np.asarray(out).astype(z.dtype, copy=False)


def swish_grad(z: ArrayLike, beta: float = 1.0) -> Array:
    """``sigmoid(beta z) + beta z sigmoid'(beta z)``."""
    z = as_float(z)
    with np.errstate(over="ignore", invalid="ignore"):
        bz = beta * z
        out = special.expit(bz) + bz * sigmoid_grad(bz)
    return _limits_at_infinity(bz, out, neg=0.0, pos=1.0).astype(z.dtype, copy=False)


def mish(z: ArrayLike) -> Array:
    """Mish ``z tanh(softplus(z))``."""
    z = as_float(z)
    with np.errstate(invalid="ignore"):
        out = z * np.tanh(softplus(z))
    return _limits_at_infinity(z, out, neg=0.0).astype(z.dtype, copy=False)


def mish_grad(z: ArrayLike) -> Array:
    """``tanh(sp(z)) + z sech^2(sp(z)) sigmoid(z)`` with ``sp`` = softplus."""
    z = as_float(z)
    t = np.tanh(softplus(z))
    with np.errstate(invalid="ignore"):
        out = t + z * (1.0 - t * t) * special.expit(z)
    return _limits_at_infinity(z, out, neg=0.0, pos=1.0).astype(z.dtype, copy=False)


#: name -> (f, f') of every element-wise activation, parameters as keywords with defaults.
ELEMENTWISE: dict[str, tuple] = {
    name: (globals()[name], globals()[f"{name}_grad"])
    for name in (
        "linear sigmoid tanh relu leaky_relu prelu rrelu elu selu "
        "gelu gelu_tanh swish mish softplus"
    ).split()
}
