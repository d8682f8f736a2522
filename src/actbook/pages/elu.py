"""Code behind chapters/elu.md: a signal pushed through a deep stack of random dense layers,
its mean and variance layer by layer (measured by :mod:`actbook.lab.diagnostics`).

This is the experiment behind SELU's "self-normalising" property (Klambauer et al. 2017):
with LeCun initialisation, N(0, 1/n), a SELU layer maps activations of mean 0 and variance
1 to activations of mean 0 and variance 1, and pulls nearby moments back to that fixed
point. ELU, the same curve without SELU's two constants, has no such fixed point.

>>> from actbook.lab.diagnostics import moments_through_depth
>>> means, variances = moments_through_depth("selu", depth=20, width=200, n=500)
>>> bool(abs(means[-1]) < 0.1 and abs(variances[-1] - 1) < 0.1)
True
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from numpy.typing import NDArray

from actbook.catalog.appearance import TITLES
from actbook.figures.plotting import line_styles, new_figure
from actbook.lab.datasets import spirals
from actbook.lab.training import train_on_spirals

__all__ = ["plot_moments", "spiral_comparison"]

Array = NDArray[np.float64]


def plot_moments(
    runs: Mapping[str, tuple[Array, Array]], target: tuple[float, float] | None = (0.0, 1.0)
) -> Figure:
    """Mean (left) and variance (right) against depth, one line per run.

    ``runs`` maps a label (an activation name is shown by its title) to the output of
    :func:`moments_through_depth`; ``target`` draws the fixed point (mean, variance) dotted.
    """
    fig, (ax_m, ax_v) = new_figure()
    names = [TITLES.get(label, label) for label in runs]
    looks = line_styles(names)
    for name, (means, variances), look in zip(names, runs.values(), looks, strict=True):
        layers = np.arange(1, len(means) + 1)
        ax_m.plot(layers, means, lw=2, label=name, **look)
        ax_v.plot(layers, variances, lw=2, label=name, **look)
    if target is not None:
        ax_m.axhline(target[0], color="k", ls=":", lw=1, label="fixed point")
        ax_v.axhline(target[1], color="k", ls=":", lw=1, label="fixed point")
    ax_m.set(xlabel="layer", ylabel="mean of the activations", title="Mean")
    ax_v.set(xlabel="layer", ylabel="variance of the activations", title="Variance")
    ax_v.set_ylim(bottom=0)
    for ax in (ax_m, ax_v):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are whole numbers
    for ax in (ax_m, ax_v):
        ax.legend(fontsize="small")
    return fig


def spiral_comparison(
    activations: tuple[str, ...] = ("relu", "leaky_relu", "elu", "gelu", "swish"),
    seeds: range = range(5),
    epochs: int = 300,
) -> dict[str, dict[str, float]]:
    """Test accuracy of the same network (two hidden layers of 64, the course's initialisation
    per activation, full-batch gradient descent at learning rate 0.3) on the spiral, trained
    on 300 points and tested on 3000 fresh ones: per activation, the mean and standard
    deviation over ``seeds`` (the seed sets the initial weights)."""
    Xt, yt = spirals(n_per_class=1000, seed=99)
    out: dict[str, dict[str, float]] = {}
    for act in activations:
        acc = [train_on_spirals(act, epochs=epochs, seed=s).accuracy(Xt, yt) for s in seeds]
        out[act] = {"mean": float(np.mean(acc)), "std": float(np.std(acc)), "runs": acc}
    return out
