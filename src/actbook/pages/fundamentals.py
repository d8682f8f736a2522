"""Code behind chapters/fundamentals.md: diagrams of a neuron and of a network, and the
interactive two-input neuron of chapter I.

Everything is drawn with matplotlib (no external tools), as ``Figure`` objects.

>>> p = NeuronPlot()
>>> p.update(b=1.0); round(float(p.z.max()), 6)   # w = (1, 1): z = x1 + x2 + b on [-3, 3]^2
7.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from actbook.catalog.appearance import TITLES
from actbook.figures.plotting import COLORS
from actbook.figures.tables import fmt
from actbook.lab.nn import ACTIVATIONS

__all__ = ["neuron_diagram", "network_diagram", "NeuronPlot", "NEURON_ACTIVATIONS"]

#: The activations offered by the two-input neuron, in the order of the text's section II.2.
NEURON_ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu")


def _arrow(ax, start, end, color="0.25", lw=1.4) -> None:
    ax.add_patch(
        FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color, lw=lw)
    )


def neuron_diagram(n_inputs: int = 3) -> Figure:
    """One neuron as the text describes it: step 1 sums ``w_i x_i`` and ``b`` into ``z``;
    step 2 applies ``f`` and emits ``a = f(z)``."""
    fig = Figure(figsize=(7.5, 3.0), facecolor="white", layout="constrained")
    ax = fig.add_subplot()
    ax.set(xlim=(0, 10), ylim=(0, 4.2), aspect="equal")
    ax.axis("off")
    ys = np.linspace(3.5, 0.7, n_inputs)
    sum_xy, f_xy = (4.6, 2.1), (7.1, 2.1)
    for i, y in enumerate(ys, start=1):
        ax.add_patch(Circle((0.8, y), 0.38, fc="#e8f1fa", ec=COLORS[0], lw=1.5))
        ax.text(0.8, y, f"$x_{i}$", ha="center", va="center", fontsize=13)
        end_y = sum_xy[1] + 0.25 * (y - sum_xy[1])
        _arrow(ax, (1.2, y), (4.05, end_y))
        # the weight sits just above its arrow, 40 % of the way along
        ax.text(2.34, y + 0.4 * (end_y - y) + 0.12, f"$w_{i}$", fontsize=12, color=COLORS[0])
    ax.add_patch(Circle(sum_xy, 0.55, fc="#fdf0e6", ec=COLORS[1], lw=1.8))
    ax.text(*sum_xy, r"$\Sigma$", ha="center", va="center", fontsize=18)
    ax.text(sum_xy[0], 3.65, "$b$", ha="center", fontsize=13, color=COLORS[1])
    _arrow(ax, (sum_xy[0], 3.55), (sum_xy[0], sum_xy[1] + 0.6), color=COLORS[1])
    ax.text(
        sum_xy[0],
        0.95,
        "step 1\n$z = \\mathbf{w}^\\top\\mathbf{x} + b$",
        ha="center",
        va="center",
        fontsize=11,
    )
    ax.add_patch(
        FancyBboxPatch(
            (f_xy[0] - 0.5, f_xy[1] - 0.45),
            1.0,
            0.9,
            boxstyle="round,pad=0.05",
            fc="#e6f5ef",
            ec=COLORS[2],
            lw=1.8,
        )
    )
    ax.text(*f_xy, "$f$", ha="center", va="center", fontsize=16)
    _arrow(ax, (sum_xy[0] + 0.58, sum_xy[1]), (f_xy[0] - 0.58, f_xy[1]))
    ax.text(5.85, 2.3, "$z$", ha="center", fontsize=13)
    ax.text(f_xy[0], 0.95, "step 2\n$a = f(z)$", ha="center", va="center", fontsize=11)
    _arrow(ax, (f_xy[0] + 0.58, f_xy[1]), (9.3, f_xy[1]))
    ax.text(9.45, f_xy[1], "$a$", va="center", fontsize=14)
    return fig


def network_diagram(sizes: Sequence[int] = (3, 4, 4, 2)) -> Figure:
    """A fully connected network with every unit labelled ``a_j^[l]`` (the input is
    ``a^[0] = x``, the output ``a^[L] = y-hat``) and the layer equation between columns."""
    sizes = list(sizes)
    L = len(sizes) - 1
    top = max(sizes)
    # One figure, one panel: drawn at INCH inches per unit (a unit is the distance between two
    # neurons of a column), its labels stay legible on a phone (plotting.PANEL_WIDTH).
    inch = 0.65
    fig = Figure(
        figsize=(inch * (2.3 * L + 1.6) + 0.3, inch * (top + 1.4) + 0.3),
        facecolor="white",
        layout="constrained",
    )
    ax = fig.add_subplot()
    ax.set(xlim=(-0.7, 2.3 * L + 0.9), ylim=(-1.3, top + 0.1), aspect="equal")
    ax.axis("off")
    pos = [
        [(2.3 * l, top - 0.5 - (top - n) / 2 - j) for j in range(n)] for l, n in enumerate(sizes)
    ]
    for l in range(L):
        for p in pos[l]:
            for q in pos[l + 1]:
                ax.plot([p[0] + 0.33, q[0] - 0.33], [p[1], q[1]], color="0.75", lw=0.7, zorder=1)
        ax.text(
            2.3 * l + 1.15,
            -0.55,
            f"$z^{{[{l + 1}]}} = W^{{[{l + 1}]}} a^{{[{l}]}} + b^{{[{l + 1}]}}$",
            ha="center",
            fontsize=9.5,
            color="0.2",
        )
    for l, column in enumerate(pos):
        color = COLORS[0] if l == 0 else COLORS[1] if l == L else COLORS[2]
        for j, (x, y) in enumerate(column, start=1):
            ax.add_patch(Circle((x, y), 0.33, fc="white", ec=color, lw=1.6, zorder=2))
            ax.text(
                x, y, f"$a^{{[{l}]}}_{{{j}}}$", ha="center", va="center", fontsize=10.5, zorder=3
            )
        name = "input $x$" if l == 0 else "output $\\hat y$" if l == L else f"hidden layer {l}"
        ax.text(2.3 * l, -1.15, name, ha="center", fontsize=10.5, color=color)
    return fig


class NeuronPlot:
    """A two-input neuron ``a = f(w1 x1 + w2 x2 + b)`` over the square [-3, 3]^2.

    Left: the output ``a`` as a heat map, with the line ``z = 0`` where the gate opens
    (dashed) and the weight vector, normal to it. Right: ``f(z)`` with the band of ``z``
    values the square produces, so that the gate (a flat zero part) and the strength (the
    height reached) can be read off.
    """

    def __init__(
        self,
        w1: float = 1.0,
        w2: float = 1.0,
        b: float = 0.0,
        activation: str = "relu",
        lim: float = 3.0,
        n: int = 121,
    ) -> None:
        self.params = {"w1": w1, "w2": w2, "b": b, "activation": activation}
        self.lim = lim
        g = np.linspace(-lim, lim, n)
        self.x1, self.x2 = np.meshgrid(g, g)
        self.fig = Figure(figsize=(8.0, 3.4), facecolor="white", layout="constrained")
        self.ax_map, self.ax_f = self.fig.subplots(1, 2)
        self.image = self.ax_map.imshow(
            np.zeros((n, n)),
            origin="lower",
            cmap="viridis",
            extent=(-lim, lim, -lim, lim),
            aspect="equal",
        )
        self.fig.colorbar(self.image, ax=self.ax_map, label="a = f(z)", shrink=0.9)
        (self.gate,) = self.ax_map.plot([], [], "--", color="white", lw=2, label="z = 0")
        self.arrow = self.ax_map.annotate(
            "", (0, 0), (0, 0), arrowprops=dict(arrowstyle="-|>", color="white", lw=2)
        )
        self.ax_map.set(xlim=(-lim, lim), ylim=(-lim, lim), xlabel="$x_1$", ylabel="$x_2$")
        self.ax_map.legend(loc="lower left", fontsize="small")
        self.zs = np.linspace(-12.0, 12.0, 481)
        self.band = self.ax_f.axvspan(0, 0, color=COLORS[4], alpha=0.25, label="z on the square")
        (self.curve,) = self.ax_f.plot(self.zs, self.zs, color=COLORS[0], lw=2.2)
        self.ax_f.axhline(0, color="0.5", lw=0.8)
        self.ax_f.axvline(0, color="0.5", lw=0.8)
        self.ax_f.grid(True, alpha=0.3)
        self.ax_f.set(xlabel="z", ylabel="f(z)", xlim=(-12, 12))
        self.ax_f.legend(loc="upper left", fontsize="small")
        self.update()

    def update(self, **params: float | str) -> None:
        """Set ``w1``, ``w2``, ``b`` and/or ``activation`` and redraw."""
        self.params.update(params)
        w1, w2, b = (float(self.params[k]) for k in ("w1", "w2", "b"))
        name = str(self.params["activation"])
        f, _ = ACTIVATIONS[name]
        self.z = w1 * self.x1 + w2 * self.x2 + b
        a = f(self.z)
        self.image.set_data(a)
        lo, hi = float(a.min()), float(a.max())
        self.image.set_clim(lo, hi if hi > lo else lo + 1e-9)
        # the line w1 x1 + w2 x2 + b = 0, drawn through the square
        t = np.linspace(-2 * self.lim, 2 * self.lim, 2)
        norm2 = w1 * w1 + w2 * w2
        if norm2 > 0:
            p0 = np.array([w1, w2]) * (-b / norm2)
            d = np.array([-w2, w1]) / np.sqrt(norm2)
            self.gate.set_data(p0[0] + t * d[0], p0[1] + t * d[1])
            tip = p0 + np.array([w1, w2]) / np.sqrt(norm2)
            self.arrow.xy, self.arrow.xyann = tuple(tip), tuple(p0)
            self.arrow.set_visible(bool(np.all(np.abs(p0) < self.lim)))
        else:
            self.gate.set_data([], [])
            self.arrow.set_visible(False)
        self.curve.set_ydata(f(self.zs))
        ys = f(self.zs)
        self.ax_f.set_ylim(float(ys.min()) - 0.3, float(ys.max()) + 0.3)
        self.band.set_x(float(self.z.min()))
        self.band.set_width(float(self.z.max() - self.z.min()))
        self.ax_map.set_title(
            f"{TITLES[name]} neuron: $a = f({w1:g}x_1 {w2:+g}x_2 {b:+g})$", fontsize="medium"
        )
        self.ax_f.set_title(f"{TITLES[name]}: the gate and the strength", fontsize="medium")
        self.caption = f"{TITLES[name]}, w = ({fmt(w1)}, {fmt(w2)}), b = {fmt(b)}"
