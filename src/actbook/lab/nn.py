"""A tiny multilayer perceptron in NumPy, with the forward and backward passes written out.

The lab behind the course's demos: vanishing gradients, dying ReLUs, initialisation and
gradient clipping are all shown on this one class. It trains by full-batch, plain gradient
descent (no momentum, no minibatches), so every run is deterministic given its seed.

Conventions. Rows are examples: a layer computes ``Z = A_prev @ W + b`` with ``W`` of shape
``(n_in, n_out)`` (the text writes the same thing per example as ``z = W a + b``). For a
network with ``L`` weight layers, ``model.Z[l]`` and ``model.A[l + 1]`` are the
pre-activation and activation of layer ``l + 1``; ``model.A[0]`` is the input, and
``model.A[L]`` is the output (probabilities for softmax and sigmoid outputs).

>>> from actbook.lab.datasets import spirals
>>> X, y = spirals()
>>> net = MLP([2, 64, 64, 3], activation="relu", seed=0)
>>> history = net.fit(X, y, epochs=300, lr=1.0)
>>> net.accuracy(X, y) > 0.95
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from actbook.catalog import numeric as nm

__all__ = [
    "textbook_init",
    "ACTIVATIONS",
    "OUTPUTS",
    "INIT_SCHEMES",
    "init_std",
    "init_weights",
    "MLP",
    "numerical_gradient",
    "gradient_check",
]

Array = NDArray[np.float64]
ActivationPair = tuple[Callable[[ArrayLike], Array], Callable[[ArrayLike], Array]]
Params = list[tuple[Array, Array]]

#: Hidden-layer activations by name: ``(f, f')`` from :mod:`actbook.catalog.numeric` at their
#: default parameters (Leaky ReLU alpha = 0.01, ELU alpha = 1, Swish beta = 1).
ACTIVATIONS: dict[str, ActivationPair] = {
    "linear": (nm.linear, nm.linear_grad),
    "sigmoid": (nm.sigmoid, nm.sigmoid_grad),
    "tanh": (nm.tanh, nm.tanh_grad),
    "relu": (nm.relu, nm.relu_grad),
    "leaky_relu": (nm.leaky_relu, nm.leaky_relu_grad),
    "elu": (nm.elu, nm.elu_grad),
    "selu": (nm.selu, nm.selu_grad),
    "gelu": (nm.gelu, nm.gelu_grad),
    "swish": (nm.swish, nm.swish_grad),
    "mish": (nm.mish, nm.mish_grad),
}

#: Output layers and the loss that goes with each.
OUTPUTS = {
    "softmax": "categorical cross-entropy, y = int labels of shape (N,)",
    "sigmoid": "binary cross-entropy, y = 0/1 of shape (N,) or (N, K) (multi-label)",
    "linear": "mean squared error, y = real targets of shape (N,) or (N, K)",
}

#: Weight variance of each initialisation scheme, as a function of (n_in, n_out).
INIT_SCHEMES: dict[str, Callable[[int, int], float]] = {
    "he": lambda n_in, n_out: 2.0 / n_in,
    "xavier": lambda n_in, n_out: 2.0 / (n_in + n_out),
    "lecun": lambda n_in, n_out: 1.0 / n_in,
}

#: Activations whose textbook initialisation is Xavier (Glorot): saturating or linear ones.
_XAVIER = frozenset({"linear", "sigmoid", "tanh", "softmax"})


def textbook_init(activation: str) -> str:
    """The initialisation each activation is paired with everywhere in the course: Xavier for
    the saturating and linear ones, LeCun for SELU (its fixed point assumes N(0, 1/n)), He for
    the ReLU family and its smooth successors.

    >>> textbook_init("tanh"), textbook_init("selu"), textbook_init("gelu")
    ('xavier', 'lecun', 'he')
    """
    if activation in _XAVIER:
        return "xavier"
    return "lecun" if activation == "selu" else "he"


# A diverging run overflows to inf and then produces nan; the lab reports that through
# non-finite losses and norms (fit() stops on them), so the warnings would only be noise.
_QUIET = {"over": "ignore", "invalid": "ignore"}


def init_std(scheme: str | float, n_in: int, n_out: int) -> float:
    """Standard deviation of the weights of an ``n_in -> n_out`` layer under ``scheme``.

    >>> init_std("he", 50, 10), init_std("xavier", 50, 50), init_std(0.3, 50, 10)
    (0.2, 0.1414213562373095, 0.3)
    """
    if isinstance(scheme, str):
        try:
            return float(np.sqrt(INIT_SCHEMES[scheme](n_in, n_out)))
        except KeyError:
            raise ValueError(
                f"unknown init scheme {scheme!r}; use one of {sorted(INIT_SCHEMES)} or a float std"
            ) from None
    std = float(scheme)
    if not std >= 0.0:
        raise ValueError(f"a weight std must be >= 0, got {scheme!r}")
    return std


def init_weights(
    sizes: Sequence[int], scheme: str | float = "he", bias: float = 0.0, seed: int = 0
) -> Params:
    """Gaussian weights for a stack of dense layers.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first: ``[2, 64, 64, 3]`` is two hidden layers of 64.
    scheme : {"he", "xavier", "lecun"} or float
        ``"he"``: N(0, 2/n_in); ``"xavier"`` (Glorot): N(0, 2/(n_in + n_out));
        ``"lecun"``: N(0, 1/n_in); a float is used as the standard deviation.
    bias : float
        Initial value of every *hidden* bias (a negative value starts units dead). The
        output bias always starts at 0.
    seed : int
        Seed of the random generator.

    Returns
    -------
    list of (W, b)
        ``W`` of shape ``(n_in, n_out)`` and ``b`` of shape ``(n_out,)``, one pair per layer.
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes needs at least two positive widths, got {sizes}")
    rng = np.random.default_rng(seed)
    n_layers = len(sizes) - 1
    params: Params = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        W = rng.normal(0.0, init_std(scheme, n_in, n_out), size=(n_in, n_out))
        b = np.full(n_out, float(bias) if i < n_layers - 1 else 0.0)
        params.append((W, b))
    return params


class MLP:
    """A fully connected network trained by full-batch gradient descent.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths, input first, e.g. ``[2, 64, 64, 3]``.
    activation : str or (f, f_grad)
        Hidden activation: a key of :data:`ACTIVATIONS`, or a pair of element-wise functions.
    init : {"he", "xavier", "lecun"} or float
        Weight initialisation, see :func:`init_weights`.
    bias : float
        Initial value of the hidden biases.
    seed : int
        Seed of the weight initialisation.
    output : {"softmax", "sigmoid", "linear"}
        Output layer; it fixes the loss (see :data:`OUTPUTS`).

    Attributes
    ----------
    W, b : list of ndarray
        The parameters, one entry per layer (updated in place by :meth:`step`).
    Z, A : list of ndarray
        Pre-activations and activations of the last :meth:`forward` with ``keep=True``.
    grads : list of (dW, db)
        The gradients of the last :meth:`backward`.
    history : dict
        What the last :meth:`fit` recorded.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        activation: str | ActivationPair = "relu",
        init: str | float = "he",
        bias: float = 0.0,
        seed: int = 0,
        output: str = "softmax",
    ) -> None:
        if output not in OUTPUTS:
            raise ValueError(f"unknown output {output!r}; use one of {list(OUTPUTS)}")
        if isinstance(activation, str):
            if activation not in ACTIVATIONS:
                raise ValueError(
                    f"unknown activation {activation!r}; use one of {list(ACTIVATIONS)}"
                )
            self.activation = activation
            self.f, self.f_grad = ACTIVATIONS[activation]
        else:
            self.f, self.f_grad = activation
            self.activation = getattr(self.f, "__name__", "custom")
        self.sizes = tuple(int(s) for s in sizes)
        self.output = output
        self.init = init
        params = init_weights(self.sizes, init, bias, seed)
        self.W: list[Array] = [W for W, _ in params]
        self.b: list[Array] = [b for _, b in params]
        self.Z: list[Array] = []
        self.A: list[Array] = []
        self.grads: Params = []
        self.loss_value = float("nan")
        self.history: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"MLP({list(self.sizes)}, activation={self.activation!r}, output={self.output!r})"

    @property
    def n_layers(self) -> int:
        """Number of weight layers (hidden layers + 1)."""
        return len(self.W)

    # ------------------------------------------------------------------ forward

    def trace(self, X: ArrayLike) -> tuple[list[Array], list[Array]]:
        """Run the network and return every layer's ``(Z, A)`` without storing them.

        ``Z`` has one entry per layer; ``A`` has one more (``A[0]`` is the input). The last
        ``Z`` holds the logits, the last ``A`` the output.
        """
        a = self._inputs(X)
        Z: list[Array] = []
        A: list[Array] = [a]
        with np.errstate(**_QUIET):
            for l in range(self.n_layers):
                z = a @ self.W[l] + self.b[l]
                a = self.f(z) if l < self.n_layers - 1 else self._output(z)
                Z.append(z)
                A.append(a)
        return Z, A

    def forward(self, X: ArrayLike, keep: bool = True) -> Array:
        """The network's output on ``X`` (probabilities, or real values for a linear output).

        With ``keep=True`` the pre-activations and activations are kept in :attr:`Z` and
        :attr:`A` for inspection and for :meth:`backward`.
        """
        Z, A = self.trace(X)
        if keep:
            self.Z, self.A = Z, A
        return A[-1]

    def _output(self, z: Array) -> Array:
        if self.output == "softmax":
            return nm.softmax(z, axis=1)
        if self.output == "sigmoid":
            return nm.sigmoid(z)
        return z

    def _inputs(self, X: ArrayLike) -> Array:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (N, {self.sizes[0]}), got {X.shape}")
        return X

    def _targets(self, y: ArrayLike, n: int) -> Array:
        """``y`` in the form the loss uses: int labels for softmax, an (N, K) float array
        otherwise."""
        y = np.asarray(y)
        k = self.sizes[-1]
        if y.shape[0] != n:
            raise ValueError(f"y has {y.shape[0]} rows but X has {n}")
        if self.output == "softmax":
            if y.ndim != 1 or y.dtype.kind not in "iu":
                raise ValueError("a softmax output needs integer class labels of shape (N,)")
            if y.size and (y.min() < 0 or y.max() >= k):
                raise ValueError(f"labels must lie in 0..{k - 1}, got {y.min()}..{y.max()}")
            return y
        Y = y.astype(np.float64).reshape(n, -1)
        if Y.shape[1] != k:
            raise ValueError(f"y needs {k} column(s) for this network, got shape {y.shape}")
        return Y

    # ------------------------------------------------------------------ loss and backward

    def _loss_from_logits(self, z: Array, Y: Array) -> float:
        """Losses computed from the logits, never from rounded probabilities: no log(0)."""
        with np.errstate(**_QUIET):
            if self.output == "softmax":
                return float(-np.mean(nm.log_softmax(z, axis=1)[np.arange(len(Y)), Y]))
            if self.output == "sigmoid":
                # -[y log s(z) + (1-y) log(1-s(z))] = softplus(z) - y z
                return float(np.mean(nm.softplus(z) - Y * z))
            return float(np.mean((z - Y) ** 2))

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """Mean loss on ``(X, y)``: cross-entropy (softmax, sigmoid outputs) or MSE (linear).

        Means are over examples for softmax and over all output entries otherwise (as
        PyTorch's ``CrossEntropyLoss``, ``BCEWithLogitsLoss`` and ``MSELoss`` do).
        """
        Z, _ = self.trace(X)
        return self._loss_from_logits(Z[-1], self._targets(y, Z[-1].shape[0]))

    def backward(self, X: ArrayLike, y: ArrayLike) -> Params:
        """Gradients of :meth:`loss` with respect to every ``(W, b)``, by backpropagation.

        Also runs (and keeps) the forward pass and stores the loss in :attr:`loss_value`.
        """
        self.forward(X, keep=True)
        n = self.A[0].shape[0]
        Y = self._targets(y, n)
        out = self.A[-1]
        with np.errstate(**_QUIET):
            # dL/dZ_L: each output/loss pair is chosen so that this is (prediction - target).
            if self.output == "softmax":
                delta = out.copy()
                delta[np.arange(n), Y] -= 1.0
                delta /= n
            elif self.output == "sigmoid":
                delta = (out - Y) / Y.size
            else:
                delta = 2.0 * (out - Y) / Y.size
            grads: Params = []
            for l in reversed(range(self.n_layers)):
                grads.append((self.A[l].T @ delta, delta.sum(axis=0)))
                if l > 0:
                    delta = (delta @ self.W[l].T) * self.f_grad(self.Z[l - 1])
        self.grads = grads[::-1]
        self.loss_value = self._loss_from_logits(self.Z[-1], Y)
        return self.grads

    def gradient_norms(self) -> Array:
        """Frobenius norm of each ``dL/dW_l`` from the last :meth:`backward`, input layer first."""
        if not self.grads:
            raise RuntimeError("call backward() first")
        return np.array([_norm([dW]) for dW, _ in self.grads])

    def global_grad_norm(self) -> float:
        """Euclidean norm of all gradients (weights and biases) taken as one vector."""
        if not self.grads:
            raise RuntimeError("call backward() first")
        return _norm([g for pair in self.grads for g in pair])

    # ------------------------------------------------------------------ training

    def step(self, lr: float, clip: float | None = None) -> float:
        """One gradient-descent update with the gradients of the last :meth:`backward`.

        With ``clip``, the gradients are first rescaled so that their global norm is at
        most ``clip`` (``torch.nn.utils.clip_grad_norm_``): the direction is kept, only the
        step length is capped.

        Returns
        -------
        float
            The global gradient norm before clipping.
        """
        norm = self.global_grad_norm()
        if not np.isfinite(norm):
            raise FloatingPointError("the gradient is not finite; no update was made")
        scale = lr
        if clip is not None and norm > clip:
            scale = lr * clip / norm
        for l, (dW, db) in enumerate(self.grads):
            self.W[l] -= scale * dW
            self.b[l] -= scale * db
        return norm

    def fit(
        self,
        X: ArrayLike,
        y: ArrayLike,
        epochs: int = 300,
        lr: float = 0.1,
        clip: float | None = None,
        callback: Callable[[int, MLP, dict[str, Any]], bool | None] | None = None,
    ) -> dict[str, Any]:
        """Train by full-batch gradient descent.

        Each epoch records the loss, accuracy and global gradient norm *before* its update,
        then steps. A non-finite loss or gradient is recorded and ends training before it
        can reach the weights (``history["diverged"]`` is then True).

        Parameters
        ----------
        X, y : array_like
            Training data, see :data:`OUTPUTS` for the form of ``y``.
        epochs : int
            Maximum number of updates.
        lr : float
            Learning rate.
        clip : float, optional
            Maximum global gradient norm (see :meth:`step`).
        callback : callable, optional
            ``callback(epoch, model, history)`` after every update; returning True stops.

        Returns
        -------
        dict
            ``{"loss": [...], "accuracy": [...], "grad_norm": [...], "diverged": bool}``;
            accuracy is NaN for a linear (regression) output. Also kept in :attr:`history`.
        """
        history: dict[str, Any] = {"loss": [], "accuracy": [], "grad_norm": [], "diverged": False}
        self.history = history
        for epoch in range(int(epochs)):
            self.backward(X, y)
            norm = self.global_grad_norm()
            history["loss"].append(self.loss_value)
            history["accuracy"].append(self._accuracy(self.A[-1], y))
            history["grad_norm"].append(norm)
            if not (np.isfinite(self.loss_value) and np.isfinite(norm)):
                history["diverged"] = True
                break
            self.step(lr, clip)
            if callback is not None and callback(epoch, self, history):
                break
        return history

    # ------------------------------------------------------------------ prediction

    def _predict(self, out: Array) -> Array:
        if self.output == "softmax":
            return out.argmax(axis=1)
        pred = (out > 0.5).astype(np.int64) if self.output == "sigmoid" else out
        return pred[:, 0] if pred.shape[1] == 1 else pred

    def predict(self, X: ArrayLike) -> Array:
        """Class labels (softmax), 0/1 labels (sigmoid, threshold 0.5) or values (linear).

        A single output column is returned as shape ``(N,)``.
        """
        return self._predict(self.forward(X, keep=False))

    def _accuracy(self, out: Array, y: ArrayLike) -> float:
        if self.output == "linear":
            return float("nan")
        pred = self._predict(out)
        return float(np.mean(pred == np.asarray(y).reshape(pred.shape)))

    def accuracy(self, X: ArrayLike, y: ArrayLike) -> float:
        """Fraction of correct labels (of correct entries, for a multi-label sigmoid output)."""
        if self.output == "linear":
            raise ValueError("accuracy needs a classification output (softmax or sigmoid)")
        return self._accuracy(self.forward(X, keep=False), y)

    # ------------------------------------------------------------------ parameter vector

    def param_vector(self) -> Array:
        """All parameters as one flat copy, in the order W_1, b_1, W_2, b_2, ..."""
        return np.concatenate([p.ravel() for p in self._arrays()])

    def set_param_vector(self, theta: ArrayLike) -> None:
        """Load a flat vector written by :meth:`param_vector` back into the layers."""
        theta = np.asarray(theta, dtype=np.float64)
        arrays = self._arrays()
        total = sum(p.size for p in arrays)
        if theta.shape != (total,):
            raise ValueError(f"expected a vector of {total} parameters, got {theta.shape}")
        start = 0
        for p in arrays:
            p[...] = theta[start : start + p.size].reshape(p.shape)
            start += p.size

    def _arrays(self) -> list[Array]:
        return [p for l in range(self.n_layers) for p in (self.W[l], self.b[l])]


def _norm(arrays: Sequence[Array]) -> float:
    """The Euclidean norm of several arrays together, without overflowing for huge entries
    (exactly when clipping matters): scale by the largest magnitude first."""
    big = max((float(np.max(np.abs(a))) if a.size else 0.0) for a in arrays)
    if big == 0.0 or not np.isfinite(big):
        return big
    return big * float(np.sqrt(sum(np.sum((a / big) ** 2) for a in arrays)))


def numerical_gradient(model: MLP, X: ArrayLike, y: ArrayLike, eps: float = 1e-6) -> Array:
    """The gradient of ``model.loss(X, y)`` by central differences, as one flat vector.

    Each parameter is moved by ``+-eps`` in turn (two losses per parameter: use a small
    network). The model's parameters are restored afterwards.
    """
    theta = model.param_vector()
    grad = np.empty_like(theta)
    try:
        for i in range(theta.size):
            old = theta[i]
            theta[i] = old + eps
            model.set_param_vector(theta)
            up = model.loss(X, y)
            theta[i] = old - eps
            model.set_param_vector(theta)
            down = model.loss(X, y)
            theta[i] = old
            grad[i] = (up - down) / (2.0 * eps)
    finally:
        model.set_param_vector(theta)
    return grad


def gradient_check(model: MLP, X: ArrayLike, y: ArrayLike, eps: float = 1e-6) -> float:
    """Largest relative error between :meth:`MLP.backward` and :func:`numerical_gradient`.

    The error is measured per parameter array (each ``W_l`` and ``b_l``) as
    ``||a - n|| / (||a|| + ||n||)`` and the largest is returned. Per array, not per entry:
    an entry whose true gradient is ~1e-5 carries a rounding error of ~1e-10 / eps in the
    central difference, which would swamp an entry-wise ratio; per array, one wrong entry
    still shows up. A correct backward pass gives about 1e-9; a wrong one, 1e-3 or more.

    At a kink of ReLU, Leaky ReLU or SELU (a pre-activation within ``eps`` of 0) the
    numerical derivative is meaningless, so check those networks on inputs away from kinks.
    """
    analytic = model.backward(X, y)
    numeric = numerical_gradient(model, X, y, eps)
    worst = 0.0
    start = 0
    for a in (g for pair in analytic for g in pair):
        n = numeric[start : start + a.size].reshape(a.shape)
        start += a.size
        scale = _norm([a]) + _norm([n])
        if scale > 0.0:
            worst = max(worst, _norm([a - n]) / scale)
    return worst
