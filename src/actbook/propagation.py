"""A signal pushed through a deep stack of random dense layers: its mean and variance, layer
by layer.

This is the experiment behind SELU's "self-normalising" property (Klambauer et al. 2017):
with LeCun initialisation, N(0, 1/n), a SELU layer maps activations of mean 0 and variance
1 to activations of mean 0 and variance 1, and pulls nearby moments back to that fixed
point. ELU, the same curve without SELU's two constants, has no such fixed point.

>>> means, variances = moments_through_depth("selu", depth=20, width=200, n=500)
>>> bool(abs(means[-1]) < 0.1 and abs(variances[-1] - 1) < 0.1)
True
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from .diagnostics import layer_outputs
from .plotting import COLORS, TITLES, new_figure

__all__ = ["moments_through_depth", "plot_moments"]

Array = NDArray[np.float64]


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


def plot_moments(
    runs: Mapping[str, tuple[Array, Array]], target: tuple[float, float] | None = (0.0, 1.0)
) -> Figure:
    """Mean (left) and variance (right) against depth, one line per run.

    ``runs`` maps a label (an activation name is shown by its title) to the output of
    :func:`moments_through_depth`; ``target`` draws the fixed point (mean, variance) dotted.
    """
    fig, (ax_m, ax_v) = new_figure()
    for (label, (means, variances)), color in zip(runs.items(), COLORS, strict=False):
        layers = np.arange(1, len(means) + 1)
        name = TITLES.get(label, label)
        ax_m.plot(layers, means, color=color, lw=2, label=name)
        ax_v.plot(layers, variances, color=color, lw=2, label=name)
    if target is not None:
        ax_m.axhline(target[0], color="k", ls=":", lw=1, label="fixed point")
        ax_v.axhline(target[1], color="k", ls=":", lw=1, label="fixed point")
    ax_m.set(xlabel="layer", ylabel="mean of the activations", title="Mean")
    ax_v.set(xlabel="layer", ylabel="variance of the activations", title="Variance")
    ax_v.set_ylim(bottom=0)
    for ax in (ax_m, ax_v):
        ax.legend(fontsize="small")
    return fig
