"""Code behind chapters/debugging.md: section VI's debugging table, applied: per-layer reports,
activation histograms, and the four symptoms (loss flat, loss NaN, slow convergence,
overfitting) each produced on purpose and then fixed.

The measurements themselves come from :mod:`actbook.lab.diagnostics` (dead units, gradient
norms, activation statistics); this module puts them side by side per layer, draws them,
and holds the broken/fixed scenarios the chapter runs.

>>> from actbook.lab.datasets import spirals
>>> X, y = spirals()
>>> rows = layer_report(MLP([2, 16, 16, 3], bias=-3.0), X, y)
>>> [r["dead"] for r in rows]
[1.0, 1.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from actbook.catalog import numeric
from actbook.figures.plotting import COLORS, MIN_FONT_PT, PANEL_WIDTH, WIDTH, line_styles
from actbook.figures.tables import markdown_table
from actbook.lab.datasets import spirals
from actbook.lab.diagnostics import activation_stats, dead_fraction, gradient_norms
from actbook.lab.nn import MLP, textbook_init

__all__ = [
    "layer_report",
    "report_table",
    "plot_activation_histograms",
    "plot_losses",
    "loss_scale_demo",
    "exploding_demo",
    "noisy_spirals",
    "overfitting_demo",
    "is_deterministic",
]


def layer_report(model: MLP, X: ArrayLike, y: ArrayLike) -> list[dict[str, float]]:
    """One row per hidden layer: dead-unit fraction, ``||dL/dW||`` of the weights feeding it,
    that norm relative to the output layer's, and the activations' mean, std and saturation.
    """
    grads = gradient_norms(model, X, y)
    dead = dead_fraction(model, X)
    stats = activation_stats(model, X)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = grads / grads[-1]
    return [
        {
            "layer": l + 1,
            "dead": float(dead[l]),
            "grad_norm": float(grads[l]),
            "grad_rel": float(rel[l]),
            "mean": stats[l]["mean"],
            "std": stats[l]["std"],
            "saturated": stats[l]["frac_saturated"],
        }
        for l in range(len(stats))
    ]


def report_table(rows: Sequence[dict[str, float]]) -> str:
    """:func:`layer_report` as a Markdown table. A ratio of two zero gradients is "undefined"
    and a saturation share of a unit without bounds (ReLU) is "—": no "0/0" or "n/a"."""
    header = ["layer", "dead units", "‖∂L/∂W‖", "÷ output layer's", "mean", "std", "saturated"]
    return markdown_table(
        header,
        [
            [
                r["layer"],
                f"{r['dead']:.0%}",
                r["grad_norm"],
                "undefined (0 ÷ 0)" if np.isnan(r["grad_rel"]) else r["grad_rel"],
                r["mean"],
                r["std"],
                "—" if np.isnan(r["saturated"]) else f"{r['saturated']:.0%}",
            ]  # fmt: skip
            for r in rows
        ],
    )


def plot_activation_histograms(
    models: Sequence[MLP], labels: Sequence[str], X: ArrayLike, bins: int = 40
) -> Figure:
    """Histograms of every hidden layer's activations (one column per layer), one row per
    model: dead layers show as a single spike at 0, saturated tanh/sigmoid layers as spikes
    at the bounds."""
    n_layers = max(m.n_layers - 1 for m in models)
    width = min(WIDTH, 2.1 * n_layers)  # the course's size scale: text stays legible
    fig = Figure(
        figsize=(width, 0.9 * width / n_layers * len(models) + 0.4),
        layout="constrained",
        facecolor="white",
    )
    axes = fig.subplots(len(models), n_layers, squeeze=False)
    for i, (model, label) in enumerate(zip(models, labels, strict=True)):
        _, A = model.trace(X)
        for l, a in enumerate(A[1:-1]):
            ax = axes[i, l]
            a = a.ravel()
            # Log counts: a dead layer's spike at 0 would otherwise hide every other bar.
            ax.hist(a[np.isfinite(a)], bins=bins, color=COLORS[i % len(COLORS)], log=True)
            ax.set_yticks([], minor=True)
            ax.set_yticks([])
            ax.tick_params(labelsize=MIN_FONT_PT)
            if i == 0:
                ax.set_title(f"layer {l + 1}", fontsize=9)
            if l == 0:
                ax.set_ylabel(label, fontsize=8)
    return fig


def plot_losses(histories: dict[str, dict[str, Any]], title: str = "", log: bool = True) -> Figure:
    """Training loss against epoch for several runs (a diverged run ends where it diverged)."""
    fig = Figure(figsize=(PANEL_WIDTH, 3.0), layout="constrained", facecolor="white")
    ax = fig.subplots()
    start = min(float(h["loss"][0]) for h in histories.values())
    top = 100.0 * start  # an exploding loss leaves the plot here instead of flattening the rest
    seen: set[tuple[str, str]] = set()
    for (label, h), look in zip(histories.items(), line_styles(list(histories)), strict=True):
        color, ls = look["color"], look.get("ls", "-")
        # a second run of one activation ("ReLU + clipping") keeps its colour, not its line
        for other in (ls, "--", ":", "-."):
            if (color, other) not in seen:
                ls = other
                break
        seen.add((color, ls))
        loss = np.asarray(h["loss"], dtype=float)
        ax.plot(
            np.arange(len(loss)), np.minimum(loss, top), color=color, ls=ls, lw=1.8, label=label
        )
        if h.get("diverged"):
            ax.plot([len(loss) - 1], [top], "x", color=color, ms=10, mew=2)
    if log:
        ax.set_yscale("log")
    ax.set_ylim(top=top * 1.5)
    ax.set(xlabel="epoch", ylabel="training loss", title=title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return fig


def loss_scale_demo(
    depths: Sequence[int] = (2, 10), scales: Sequence[float] = (1.0, 2.0**16), seed: int = 0
) -> dict[tuple[str, int, float], dict[str, float]]:
    """Absolute gradient norms against their ratio, under a change of loss scale.

    A healthy ReLU network (He) and a vanishing sigmoid network (Xavier) on the spiral, at
    initialisation, with the loss multiplied by each of ``scales`` (mixed-precision training
    multiplies the loss by a scale factor, 2^16 at the start of PyTorch's dynamic scaler; a
    summed instead of averaged loss multiplies it by the batch size). Every gradient scales with
    the loss; the ratio of the
    first layer's norm to the last's does not. Keys are ``(activation, depth, scale)``.
    """
    X, y = spirals()
    out: dict[tuple[str, int, float], dict[str, float]] = {}
    for act, depth in zip(("relu", "sigmoid"), depths, strict=True):
        net = MLP([2] + [64] * depth + [3], act, init=textbook_init(act), seed=seed)
        for s in scales:
            # d(s * L)/dW = s * dL/dW: what the backward pass of a scaled loss returns.
            g = s * gradient_norms(net, X, y)
            out[(act, depth, s)] = {
                "first": float(g[0]),
                "last": float(g[-1]),
                "ratio": float(g[0] / g[-1]),
            }
    return out


def exploding_demo(
    lr: float = 2.0, clip: float = 1.0, epochs: int = 300, seed: int = 0
) -> dict[str, dict[str, Any]]:
    """Loss NaN on purpose: a 5 x 64 network on the spiral at a learning rate too high for it.
    ReLU diverges; ELU (the text's suggested fix) at the same rate diverges too, because it
    is unbounded above like ReLU; ReLU with gradient clipping (global norm ``clip``) stays
    finite. Returns each run's history plus its largest activation before stopping."""
    X, y = spirals()
    runs: dict[str, dict[str, Any]] = {}
    for label, act, c in (
        ("ReLU", "relu", None),
        ("ELU", "elu", None),
        (f"ReLU + clipping ({clip:g})", "relu", clip),
    ):
        net = MLP([2, 64, 64, 64, 64, 64, 3], act, seed=seed)
        biggest: list[float] = []

        def watch(epoch: int, m: MLP, h: dict, biggest: list[float] = biggest) -> None:
            biggest.append(max(float(np.max(np.abs(a))) for a in m.A[1:-1]))

        h = net.fit(X, y, epochs=epochs, lr=lr, clip=c, callback=watch)
        runs[label] = {
            **h,
            "max_activation": max(biggest) if biggest else float("nan"),
            "epochs_run": len(h["loss"]),
            "final_loss": h["loss"][-1],
            "accuracy": float("nan") if h["diverged"] else net.accuracy(X, y),
        }
    return runs


def noisy_spirals(
    n_per_class: int = 50, flip: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """A small spiral whose labels are wrong for about a fraction ``flip`` of the points (each
    such label replaced by another class at random): noise that a large network can memorise
    and that no rule generalises."""
    X, y = spirals(n_per_class=n_per_class, seed=seed)
    rng = np.random.default_rng(seed + 5)
    wrong = rng.random(y.size) < flip
    noisy = y.copy()
    noisy[wrong] = (y[wrong] + rng.integers(1, 3, int(wrong.sum()))) % 3
    return X, noisy


def overfitting_demo(
    activations: Sequence[str] = ("relu", "gelu", "mish"),
    seeds: Sequence[int] = range(2),
    epochs: int = 1500,
    weight_decay: float = 0.0,
    hidden: Sequence[int] = (64, 64),
    lr: float = 1.0,
) -> dict[str, dict[str, float]]:
    """Train/test accuracy of a network trained on :func:`noisy_spirals` (150 points, a quarter
    of the labels wrong) and tested on 3000 fresh, correctly labelled points: per activation,
    the mean train accuracy (against the labels it was trained on), test accuracy and gap
    over ``seeds``, with their spread (standard deviation over the seeds).

    ``weight_decay`` shrinks every weight matrix by ``1 - lr * weight_decay`` after each step:
    gradient descent on the loss plus ``weight_decay / 2 * sum ||W||^2`` (biases untouched).
    """
    X, y = noisy_spirals()
    Xt, yt = spirals(n_per_class=1000, seed=99)
    shrink = 1.0 - lr * weight_decay

    def decay(epoch: int, m: MLP, h: dict) -> None:
        for W in m.W:
            W *= shrink

    out: dict[str, dict[str, float]] = {}
    for act in activations:
        tr, te = [], []
        for s in seeds:
            net = MLP([2, *hidden, 3], act, init=textbook_init(act), seed=s)
            net.fit(X, y, epochs=epochs, lr=lr, callback=decay if weight_decay else None)
            tr.append(net.accuracy(X, y))
            te.append(net.accuracy(Xt, yt))
        gaps = np.subtract(tr, te)
        out[act] = {
            "train": float(np.mean(tr)),
            "test": float(np.mean(te)),
            "test_std": float(np.std(te)),
            "gap": float(np.mean(gaps)),
            "gap_std": float(np.std(gaps)),
        }
    return out


def is_deterministic(name: str, n: int = 1000, seed: int = 0) -> bool:
    """True when two forward passes of the activation in training mode give the same output
    on the same input: GELU, Mish (and every activation but RReLU) inject no noise."""
    z = np.random.default_rng(seed).standard_normal(n)
    if name == "rrelu":
        a = numeric.rrelu(z, training=True, rng=np.random.default_rng(1))
        b = numeric.rrelu(z, training=True, rng=np.random.default_rng(2))
    else:
        f = numeric.ELEMENTWISE[name][0]
        a, b = f(z), f(z)
    return bool(np.array_equal(a, b))
