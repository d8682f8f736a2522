"""Code behind chapters/softmax.md: softmax's figures, the temperature explorer and the static
figure of softmax and its Jacobian.

Softmax is vector-valued, so the element-wise helpers of :mod:`actbook.figures.plotting` do not fit
it. Its page shows instead (1) one output and one Jacobian column along a slice through
logit space, and (2) the distribution ``softmax(z / T)`` of a few fixed logits as the
temperature ``T`` moves, beside its entropy.

>>> p = TemperaturePlot()
>>> p.update(T=1e6); bool(np.allclose(p.probs, 1 / len(p.logits)))
True
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from actbook.catalog import numeric
from actbook.figures.plotting import COLORS, Blitter, new_figure
from actbook.figures.widgets import InteractiveFigure, Slider

__all__ = [
    "LOGITS",
    "T_SLIDER",
    "softmax_t",
    "entropy",
    "TemperaturePlot",
    "temperature_explorer",
    "plot_softmax",
]

Array = NDArray[np.float64]

#: The fixed logits of the temperature figure: one clear winner, a runner-up, two others.
LOGITS: tuple[float, ...] = (2.0, 1.0, 0.2, -1.0)

#: The temperature control; T = 1 is plain softmax.
T_SLIDER = Slider("T", "T", 0.1, 5.0, 0.05, 1.0)


def softmax_t(logits: ArrayLike, T: float) -> Array:
    """``softmax(logits / T)`` along the last axis (T > 0).

    >>> softmax_t([1.0, 0.0], 1.0).round(4).tolist()
    [0.7311, 0.2689]
    """
    if not T > 0:
        raise ValueError(f"the temperature must be positive, got T={T}")
    return numeric.softmax(np.asarray(logits, dtype=float) / T)


def entropy(p: ArrayLike) -> Array:
    """Shannon entropy ``-sum p log p`` (nats) along the last axis; ``0 log 0 = 0``.

    >>> float(entropy([0.5, 0.5])) == float(np.log(2))
    True
    """
    p = np.asarray(p, dtype=float)
    logs = np.log(np.where(p > 0, p, 1.0))  # p = 0 contributes 0, without log(0) warnings
    return -np.sum(p * logs, axis=-1)


class TemperaturePlot:
    """Bars of ``softmax(logits / T)`` and the entropy as a function of T.

    ``update(T=...)`` moves the bars, their labels and the point on the entropy curve; the
    axes never change, so :meth:`blitter` can cache them.
    """

    def __init__(
        self,
        logits: Sequence[float] = LOGITS,
        T: float = T_SLIDER.value,
        t_range: tuple[float, float] = (T_SLIDER.min, T_SLIDER.max),
    ) -> None:
        self.logits = np.asarray(logits, dtype=float)
        self.T = float(T)
        k = len(self.logits)
        # Not plotting.new_figure: its axis line at x = 0 would cut through the first bar.
        self.fig = Figure(figsize=(8.0, 3.2), layout="constrained", facecolor="white")
        self.ax_p, self.ax_h = self.fig.subplots(1, 2)
        for ax in (self.ax_p, self.ax_h):
            ax.grid(True, alpha=0.3)
        x = np.arange(k)
        self.bars = list(self.ax_p.bar(x, np.zeros(k), color=COLORS[0], width=0.6))
        self.ax_p.axhline(1 / k, color=COLORS[2], ls="--", lw=1.2, label=f"uniform 1/{k}")
        self.ax_p.set_xticks(x, [f"z = {v:g}" for v in self.logits])
        self.ax_p.set(ylim=(0, 1.08), ylabel="probability", title="softmax(z / T)")
        self.ax_p.legend(loc="upper right", fontsize="small")
        self.labels = [
            self.ax_p.text(i, 0, "", ha="center", va="bottom", fontsize="small") for i in x
        ]

        ts = np.linspace(*t_range, 300)
        self.ax_h.plot(
            ts, entropy(softmax_t(self.logits[None, :] / ts[:, None], 1.0)), color=COLORS[1]
        )
        self.ax_h.axhline(np.log(k), color=COLORS[2], ls="--", lw=1.2, label=f"log {k} (uniform)")
        self.ax_h.set(
            xlim=t_range,
            ylim=(0, 1.1 * np.log(k)),
            xlabel="temperature T",
            ylabel="entropy (nats)",
            title="entropy of softmax(z / T)",
        )
        self.ax_h.legend(loc="lower right", fontsize="small")
        (self.dot,) = self.ax_h.plot([], [], "o", color="k", ms=7)
        self.update(T=self.T)

    @property
    def probs(self) -> Array:
        return softmax_t(self.logits, self.T)

    def update(self, T: float) -> None:
        """Show the distribution at temperature ``T``."""
        self.T = float(T)
        p = self.probs
        for bar, label, pi in zip(self.bars, self.labels, p, strict=True):
            bar.set_height(pi)
            label.set_y(pi + 0.01)
            label.set_text(f"{pi:.2f}")
        self.dot.set_data([self.T], [float(entropy(p))])
        self.caption = f"T = {self.T:g}: entropy {float(entropy(p)):.3f} nats"

    def blitter(self) -> Blitter:
        """A :class:`~actbook.figures.plotting.Blitter` whose moving parts are the bars, labels
        and dot."""
        return Blitter(self.fig, [*self.bars, *self.labels, self.dot])


def temperature_explorer(logits: Sequence[float] = LOGITS) -> InteractiveFigure:
    """The softmax page's interactive figure: a temperature slider over :class:`TemperaturePlot`."""
    alt = (
        f"First, bars of the softmax probabilities of the logits {list(logits)}; second, the "
        "entropy of the distribution rising with the temperature T towards log K"
    )
    return InteractiveFigure(TemperaturePlot(logits), [T_SLIDER], alt)


def plot_softmax(
    others: Sequence[float] = (1.0, 0.0), zlim: tuple[float, float] = (-6.0, 6.0)
) -> Figure:
    """Softmax along one line of logit space: ``z = (t, *others)`` as ``t`` varies.

    First, every output ``s_i``; second, the first column of the Jacobian, ``ds_i / dz_1``:
    the diagonal entry is positive, the others negative, and the column sums to 0.
    """
    t = np.linspace(*zlim, 401)
    Z = np.column_stack(
        [t, np.broadcast_to(np.asarray(others, dtype=float), (t.size, len(others)))]
    )
    S = numeric.softmax(Z)
    J = np.stack([numeric.softmax_jacobian(row)[:, 0] for row in Z])
    fig, (ax_s, ax_j) = new_figure()
    for i, color in zip(range(Z.shape[1]), COLORS, strict=False):
        name = "$z_1 = t$" if i == 0 else f"$z_{i + 1} = {others[i - 1]:g}$"
        ax_s.plot(t, S[:, i], color=color, lw=2, label=f"$s_{i + 1}$ ({name})")
        ax_j.plot(t, J[:, i], color=color, lw=2, label=rf"$\partial s_{i + 1}/\partial z_1$")
    ax_j.plot(t, J.sum(axis=1), color="0.3", ls=":", lw=1.5, label="column sum")
    ax_s.set(xlabel="$z_1 = t$", ylabel="$s_i$", title="softmax outputs", ylim=(-0.05, 1.05))
    ax_j.set(xlabel="$z_1 = t$", ylabel="Jacobian entry", title="first Jacobian column")
    ax_s.legend(loc="center left", fontsize="small")
    ax_j.legend(loc="upper left", fontsize="small")
    return fig
