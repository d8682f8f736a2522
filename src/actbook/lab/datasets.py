"""Seeded toy 2-D classification data for the neural-network demos.

Every generator takes a ``seed`` and returns ``(X, y)``: ``X`` is a float64 array of shape
``(N, 2)`` and ``y`` an int64 array of shape ``(N,)`` holding class labels ``0 .. K-1``.
The same seed always gives the same data. Points come grouped by class (full-batch
gradient descent does not care about the order).

>>> X, y = spirals(n_per_class=100, n_classes=3)
>>> X.shape, y.shape, np.bincount(y).tolist()
((300, 2), (300,), [100, 100, 100])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["spirals", "circles", "xor", "grid"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def spirals(
    n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[FloatArray, IntArray]:
    """Interleaved spiral arms, one per class (the CS231n spiral).

    Arm ``k`` has radius ``r = linspace(0, 1)`` and angle ``t = linspace(4k, 4(k+1)) + noise
    * N(0, 1)``; the point is ``(r sin t, r cos t)``. No straight line separates the arms,
    which is what makes this the standard demonstration that hidden layers need a
    non-linear activation.

    Parameters
    ----------
    n_per_class : int
        Points per arm.
    n_classes : int
        Number of arms (classes).
    noise : float
        Standard deviation of the angular noise, in radians.
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray of shape (n_per_class * n_classes, 2)
    y : ndarray of shape (n_per_class * n_classes,), int64
    """
    _check_positive(n_per_class=n_per_class, n_classes=n_classes)
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, n_per_class), n_classes)
    k = np.repeat(np.arange(n_classes), n_per_class)
    t = np.linspace(0.0, 4.0, n_per_class)[None, :] + 4.0 * np.arange(n_classes)[:, None]
    t = t.ravel() + noise * rng.standard_normal(r.size)
    X = np.column_stack([r * np.sin(t), r * np.cos(t)])
    return X, k.astype(np.int64)


def circles(
    n: int = 300, noise: float = 0.1, factor: float = 0.5, seed: int = 0
) -> tuple[FloatArray, IntArray]:
    """Two concentric circles: class 0 on the unit circle, class 1 on radius ``factor``.

    Like scikit-learn's ``make_circles``: ``n // 2`` points on the outer circle, the rest on
    the inner one, evenly spaced in angle, plus isotropic Gaussian noise of std ``noise``.

    Parameters
    ----------
    n : int
        Total number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate.
    factor : float
        Radius of the inner circle, in (0, 1).
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int64
    """
    _check_positive(n=n)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must lie in (0, 1), got {factor}")
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    t_out = np.linspace(0.0, 2.0 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0.0, 2.0 * np.pi, n_in, endpoint=False)
    X = np.concatenate(
        [
            np.column_stack([np.cos(t_out), np.sin(t_out)]),
            factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
        ]
    )
    X += noise * rng.standard_normal(X.shape)
    y = np.concatenate([np.zeros(n_out, np.int64), np.ones(n_in, np.int64)])
    return X, y


def xor(n: int = 300, noise: float = 0.1, seed: int = 0) -> tuple[FloatArray, IntArray]:
    """The XOR problem: uniform points in the square [-1, 1]^2, labelled 1 where the two
    coordinates have opposite signs.

    The label is taken from the clean point; ``noise`` (Gaussian, std ``noise``) then moves
    the point, so the classes overlap near the axes and no classifier reaches 100 %.

    Parameters
    ----------
    n : int
        Number of points.
    noise : float
        Standard deviation of the Gaussian noise added to each coordinate after labelling.
    seed : int
        Seed of the random generator.

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), int64
    """
    _check_positive(n=n)
    rng = np.random.default_rng(seed)
    clean = rng.uniform(-1.0, 1.0, size=(n, 2))
    y = (clean[:, 0] * clean[:, 1] < 0).astype(np.int64)
    order = np.argsort(y, kind="stable")  # grouped by class, like the other generators
    X = clean[order] + noise * rng.standard_normal((n, 2))
    return X, y[order]


def grid(
    X: ArrayLike, steps: int = 200, margin: float = 0.5
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A regular grid covering the data, for decision-boundary plots.

    Parameters
    ----------
    X : array_like of shape (N, 2)
        The data whose bounding box (widened by ``margin`` on every side) the grid covers.
    steps : int
        Grid points along each axis.
    margin : float
        Extra room around the data, in data units.

    Returns
    -------
    xx, yy : ndarray of shape (steps, steps)
        The ``np.meshgrid`` coordinates, ready for ``contourf(xx, yy, Z)``.
    points : ndarray of shape (steps * steps, 2)
        The grid as a batch of inputs; reshape predictions with ``.reshape(xx.shape)``.

    Examples
    --------
    >>> xx, yy, pts = grid([[0.0, 0.0], [1.0, 2.0]], steps=3, margin=0.0)
    >>> xx[0].tolist(), yy[:, 0].tolist(), pts.shape
    ([0.0, 0.5, 1.0], [0.0, 1.0, 2.0], (9, 2))
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"grid needs 2-D points of shape (N, 2), got {X.shape}")
    _check_positive(steps=steps)
    lo = X.min(axis=0) - margin
    hi = X.max(axis=0) + margin
    xx, yy = np.meshgrid(np.linspace(lo[0], hi[0], steps), np.linspace(lo[1], hi[1], steps))
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def _check_positive(**counts: int) -> None:
    for name, value in counts.items():
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
