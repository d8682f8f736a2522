"""Training runs on the spiral that several chapters share: a network trained with the course's
initialisation rule (:func:`actbook.lab.nn.textbook_init`), and the epochs it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from actbook.lab.datasets import spirals
from actbook.lab.nn import MLP, textbook_init

__all__ = ["train_on_spirals", "epochs_to_accuracy"]


def train_on_spirals(
    activation: str,
    hidden: Sequence[int] = (64, 64),
    lr: float = 0.3,
    epochs: int = 300,
    seed: int = 0,
    data: tuple[np.ndarray, np.ndarray] | None = None,
    **kwargs: Any,
) -> MLP:
    """An MLP on the spiral (or ``data``), trained; ``kwargs`` go to :class:`MLP` except
    ``clip``, which goes to :meth:`MLP.fit`."""
    X, y = spirals() if data is None else data
    clip = kwargs.pop("clip", None)
    init = kwargs.pop("init", textbook_init(activation))
    net = MLP([X.shape[1], *hidden, int(np.max(y)) + 1], activation, init=init, seed=seed, **kwargs)
    net.fit(X, y, epochs=epochs, lr=lr, clip=clip)
    return net


def epochs_to_accuracy(
    activation: str,
    hidden: Sequence[int] = (64, 64),
    lr: float = 0.3,
    target: float = 0.9,
    max_epochs: int = 2000,
    seed: int = 0,
) -> int | None:
    """Epochs of full-batch gradient descent until the spiral's training accuracy reaches
    ``target`` (None if it never does within ``max_epochs`` or diverges)."""
    X, y = spirals()
    net = MLP([2, *hidden, 3], activation, init=textbook_init(activation), seed=seed)
    h = net.fit(
        X, y, epochs=max_epochs, lr=lr, callback=lambda e, m, h: h["accuracy"][-1] >= target
    )
    acc = h["accuracy"]
    if h["diverged"] or not acc or acc[-1] < target:
        return None
    return len(acc) - 1  # the epoch whose accuracy (before its update) first hit the target
