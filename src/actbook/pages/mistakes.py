"""Code behind chapters/mistakes.md: the common mistakes of section V, each as a minimal
runnable case: the failure, then the fix.

Every function builds its data, trains (or only initialises) small :class:`actbook.lab.nn.MLP`
networks and returns an :class:`Outcome`: one number measured on the broken setup and the
same number on the fixed one, so a page can show the difference and a test can check that
the fix helps. Everything is seeded; every case runs in a second or two on one core.

>>> linear_hidden_layers().fixed
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure

from actbook.catalog import numeric
from actbook.figures.plotting import WIDTH, draw_regions
from actbook.figures.tables import markdown_table
from actbook.lab.datasets import circles, grid, spirals
from actbook.lab.diagnostics import activation_stats, dead_fraction, vanishing_ratio
from actbook.lab.nn import MLP

__all__ = [
    "MISTAKES",
    "Mistake",
    "mistakes_table",
    "Outcome",
    "sigmoid_in_deep_net",
    "softmax_for_multilabel",
    "missing_output_activation",
    "sigmoid_output_for_regression",
    "bad_initialisation",
    "linear_hidden_layers",
    "dead_relus",
    "dead_at_init",
    "multilabel_data",
    "plot_boundaries",
]


@dataclass(frozen=True)
class Mistake:
    """One row of the page's list: the mistake, why it fails, the remedy, the section that
    treats it (its heading's anchor), and whether that section makes it on purpose."""

    name: str
    why: str
    remedy: str
    section: str
    demonstrated: bool = True


#: The mistakes of the page, in its order. Its counts ("seven mistakes", "six of them made on
#: purpose") are computed from this list, and its table is drawn from it.
MISTAKES = (
    Mistake("sigmoid/tanh in deep hidden layers", "vanishing gradients", "ReLU or a variant",
            "sigmoid-in-a-deep-network"),
    Mistake("no activation on the output layer", "wrong output range", "pick it from the task",
            "the-wrong-output-activation"),
    Mistake("softmax for multi-label problems", "classes are not exclusive",
            "one sigmoid per class", "softmax-for-a-multi-label-problem"),
    Mistake("poor weight initialisation", "saturation, vanishing signal",
            "He (ReLU), Xavier (tanh)", "poor-initialisation"),
    Mistake("blindly copying architectures", "the choice depends on the problem",
            "understand each choice", "blindly-copying-an-architecture", demonstrated=False),
    Mistake("ignoring dying ReLUs", "dead units stop learning",
            "monitor; lower the learning rate; Leaky ReLU", "ignoring-dead-relus"),
    Mistake("linear hidden layers", "the network collapses to one layer",
            "a non-linear activation", "linear-hidden-layers"),
)  # fmt: skip


def mistakes_table(mistakes: Sequence[Mistake] = MISTAKES) -> str:
    """The page's list as a Markdown table; each row links the section that treats it.

    >>> print(mistakes_table(MISTAKES[4:5]).splitlines()[-1].split(" | ")[-1])
    [below](#blindly-copying-an-architecture), from public evidence |
    """
    rows = [
        [m.name, m.why, m.remedy,
         f"[below](#{m.section})" + ("" if m.demonstrated else ", from public evidence")]
        for m in mistakes
    ]  # fmt: skip
    return markdown_table(["mistake", "why it fails", "remedy", "treated"], rows)


@dataclass
class Outcome:
    """One mistake, measured: ``metric`` on the broken setup (``failure``) and on the fixed one
    (``fix``). ``higher_is_better`` says which direction is the improvement."""

    metric: str
    failure: float
    fix: float
    higher_is_better: bool
    extra: dict = field(default_factory=dict)

    @property
    def fixed(self) -> bool:
        """True when the fix moves the metric in the right direction."""
        if self.higher_is_better:
            return self.fix > self.failure
        return self.fix < self.failure


# ------------------------------------------------------------------ sigmoid in deep layers


def sigmoid_in_deep_net(depth: int = 10, seeds: Sequence[int] = range(3)) -> Outcome:
    """``||dL/dW_1|| / ||dL/dW_L||`` at initialisation of a ``depth``-hidden-layer network:
    sigmoid (Xavier) against ReLU (He). About 1 is healthy; sigmoid's falls like 0.25^depth."""
    return Outcome(
        f"gradient ratio first/last layer, {depth} hidden layers",
        vanishing_ratio("sigmoid", depth, seeds=seeds),
        vanishing_ratio("relu", depth, seeds=seeds),
        higher_is_better=True,
    )


# ------------------------------------------------------------------ softmax for multi-label


def multilabel_data(n: int = 400, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """2-D points with three independent tags: ``x > 0``, ``y > 0`` and ``x + y > 0``.

    Tags are not exclusive: most points carry two of them, some all three, some none. Each
    tag is a half-plane through the origin, so a *linear* layer can represent every tag.
    """
    X = np.random.default_rng(seed).standard_normal((n, 2))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0, X.sum(axis=1) > 0]).astype(np.float64)
    return X, Y


def _fit_softmax_soft_targets(
    X: np.ndarray, T: np.ndarray, epochs: int = 2000, lr: float = 1.0
) -> np.ndarray:
    """A linear softmax layer trained with cross-entropy on normalised multi-hot targets
    (the mistake as it is usually written: ``softmax`` + ``targets / targets.sum()``).
    Returns the probabilities on ``X``."""
    n, k = X.shape[0], T.shape[1]
    W, b = np.zeros((X.shape[1], k)), np.zeros(k)
    for _ in range(epochs):
        P = numeric.softmax(X @ W + b)
        G = (P - T) / n  # d(cross-entropy)/d(logits) for soft targets
        W -= lr * X.T @ G
        b -= lr * G.sum(axis=0)
    return numeric.softmax(X @ W + b)


def softmax_for_multilabel(seed: int = 0) -> Outcome:
    """Among examples that carry two or more tags, the fraction whose present tags *all* get a
    probability above 0.5: impossible with softmax (the probabilities sum to 1, so at most
    one can exceed 0.5), routine with one sigmoid per tag."""
    X, Y = multilabel_data(seed=seed)
    has = Y.sum(axis=1)
    keep = has > 0  # the normalised target of an untagged example is undefined
    P_soft = _fit_softmax_soft_targets(X[keep], Y[keep] / has[keep, None])
    net = MLP([2, 3], output="sigmoid", seed=seed)  # no hidden layer: also a linear model
    net.fit(X, Y, epochs=2000, lr=1.0)
    P_sig = net.forward(X, keep=False)
    multi = has >= 2

    def all_present_high(P: np.ndarray, Yk: np.ndarray) -> float:
        return float(np.mean(np.all((P > 0.5) | (Yk == 0), axis=1)))

    return Outcome(
        "share of multi-tag examples with every present tag > 0.5",
        all_present_high(P_soft[multi[keep]], Y[keep][multi[keep]]),
        all_present_high(P_sig[multi], Y[multi]),
        higher_is_better=True,
        extra={
            "n_multi": int(multi.sum()),
            "softmax_max_sum": float(P_soft.sum(axis=1).max()),
            "softmax_best_min_present": float(
                np.max(np.min(np.where(Y[keep][multi[keep]] == 1, P_soft[multi[keep]], 1), 1))
            ),
            "sigmoid_tag_accuracy": float(np.mean((P_sig > 0.5) == (Y == 1))),
        },
    )


# ------------------------------------------------------------------ missing output activation


def missing_output_activation(seed: int = 0) -> Outcome:
    """A binary classifier (two circles) whose output layer has no activation, trained on 0/1
    targets by squared error: the fraction of its "probabilities" outside [0, 1] on a grid
    around the data. With a sigmoid output the fraction is 0 by construction."""
    X, y = circles(seed=seed)
    _, _, pts = grid(X, steps=60)
    broken = MLP([2, 32, 32, 1], "relu", output="linear", seed=seed)
    broken.fit(X, y.astype(float), epochs=600, lr=0.1)
    fixed = MLP([2, 32, 32, 1], "relu", output="sigmoid", seed=seed)
    fixed.fit(X, y, epochs=600, lr=0.5)

    def outside(model: MLP) -> float:
        out = model.forward(pts, keep=False)
        return float(np.mean((out < 0) | (out > 1)))

    lin = broken.forward(pts, keep=False)
    return Outcome(
        "share of outputs outside [0, 1]",
        outside(broken),
        outside(fixed),
        higher_is_better=False,
        extra={
            "linear_min": float(lin.min()),
            "linear_max": float(lin.max()),
            "sigmoid_accuracy": fixed.accuracy(X, y),
        },
    )


def sigmoid_output_for_regression(seed: int = 0) -> Outcome:
    """The reverse mistake: a regression target ``y = x^2`` on [-2, 2] (up to 4) with a
    sigmoid output, which can never exceed 1. The RMSE of the fit, sigmoid against linear
    output; ``extra`` holds the largest prediction of each."""
    x = np.linspace(-2.0, 2.0, 200)[:, None]
    t = x[:, 0] ** 2
    broken = MLP([1, 32, 32, 1], "tanh", init="xavier", output="sigmoid", seed=seed)
    broken.fit(x, t, epochs=1500, lr=0.5)
    fixed = MLP([1, 32, 32, 1], "tanh", init="xavier", output="linear", seed=seed)
    fixed.fit(x, t, epochs=1500, lr=0.05)
    pb = broken.forward(x, keep=False)[:, 0]  # the sigmoid's values, not 0/1 labels
    pf = fixed.predict(x)
    return Outcome(
        "RMSE on y = x² (target max 4)",
        float(np.sqrt(np.mean((pb - t) ** 2))),
        float(np.sqrt(np.mean((pf - t) ** 2))),
        higher_is_better=False,
        extra={"sigmoid_max": float(pb.max()), "linear_max": float(pf.max())},
    )


# ------------------------------------------------------------------ initialisation


def bad_initialisation(depth: int = 6, width: int = 100, seed: int = 0) -> Outcome:
    """Tanh layers initialised with weights of std 1 (far too large for 100 inputs): the
    share of activations within 1e-3 of ±1 in the last hidden layer, against Xavier.
    ``extra`` also holds the too-small case (std 0.01): the activations' std collapses."""
    X = np.random.default_rng(seed).standard_normal((500, width))
    sizes = [width] + [width] * depth + [3]

    def stats(init: str | float) -> list[dict[str, float]]:
        return activation_stats(MLP(sizes, "tanh", init=init, seed=seed), X)

    big, xavier, small = stats(1.0), stats("xavier"), stats(0.01)
    return Outcome(
        "share of saturated tanh units (last hidden layer)",
        big[-1]["frac_saturated"],
        xavier[-1]["frac_saturated"],
        higher_is_better=False,
        extra={
            "std_large": [s["std"] for s in big],
            "std_xavier": [s["std"] for s in xavier],
            "std_small": [s["std"] for s in small],
            "saturated_large": [s["frac_saturated"] for s in big],
        },
    )


# ------------------------------------------------------------------ linear hidden layers


def linear_hidden_layers(seed: int = 0) -> Outcome:
    """Training accuracy on the 3-class spiral: two linear hidden layers against two ReLU
    layers. ``extra["collapse_error"]`` is the largest difference between the linear
    network's logits and those of the single layer ``W = W1 W2 W3`` it collapses to."""
    X, y = spirals(seed=seed)
    lin = MLP([2, 64, 64, 3], "linear", init="xavier", seed=seed)
    lin.fit(X, y, epochs=300, lr=0.1)
    relu = MLP([2, 64, 64, 3], "relu", seed=seed)
    relu.fit(X, y, epochs=300, lr=1.0)
    W = lin.W[0] @ lin.W[1] @ lin.W[2]
    b = (lin.b[0] @ lin.W[1] + lin.b[1]) @ lin.W[2] + lin.b[2]
    Z, _ = lin.trace(X)
    return Outcome(
        "training accuracy on the spiral",
        lin.accuracy(X, y),
        relu.accuracy(X, y),
        higher_is_better=True,
        extra={"collapse_error": float(np.abs(Z[-1] - (X @ W + b)).max()), "models": (lin, relu)},
    )


# ------------------------------------------------------------------ dying ReLUs


def dead_relus(
    lrs: Sequence[float] = (0.1, 1.0, 3.0),
    seeds: Sequence[int] = range(3),
    epochs: int = 300,
    activations: Sequence[str] = ("relu", "leaky_relu"),
) -> dict[str, dict[float, dict[str, float]]]:
    """Dead-unit fraction (all three hidden layers of 100) and accuracy after training on the
    spiral, per learning rate: ReLU, and Leaky ReLU counted by its pre-activation (a Leaky
    unit with z <= 0 on every input still learns, through the slope 0.01).

    Returns ``{activation: {lr: {"dead": mean, "dead_min", "dead_max", "accuracy",
    "diverged": share of seeds}}}``.
    """
    X, y = spirals()
    out: dict[str, dict[float, dict[str, float]]] = {}
    for act in activations:
        out[act] = {}
        for lr in lrs:
            dead, acc, div = [], [], 0
            for s in seeds:
                net = MLP([2, 100, 100, 100, 3], act, seed=s)
                hist = net.fit(X, y, epochs=epochs, lr=lr)
                if hist["diverged"]:
                    div += 1
                    continue
                dead.append(float(np.mean(dead_fraction(net, X, preactivation=act != "relu"))))
                acc.append(net.accuracy(X, y))
            nan = float("nan")
            out[act][lr] = {
                "dead": float(np.mean(dead)) if dead else nan,
                "dead_min": float(np.min(dead)) if dead else nan,
                "dead_max": float(np.max(dead)) if dead else nan,
                "accuracy": float(np.mean(acc)) if acc else nan,
                "diverged": div / len(seeds),
            }
    return out


def dead_at_init(
    biases: Sequence[float] = (0.0, -0.5, -1.0, -2.0), seeds: Sequence[int] = range(3)
) -> dict[float, float]:
    """Mean dead-unit fraction at initialisation of a 10 x 100 He-initialised ReLU network on
    1000 N(0, I) inputs, per initial hidden bias: the bias, not training, kills them here."""
    X = np.random.default_rng(123).standard_normal((1000, 100))
    return {
        b: float(np.mean([dead_fraction(MLP([100] * 11 + [3], bias=b, seed=s), X) for s in seeds]))
        for b in biases
    }


# ------------------------------------------------------------------ a figure


def plot_boundaries(models: Sequence[MLP], titles: Sequence[str], X, y) -> Figure:
    """Decision regions of classifiers on 2-D data, side by side, with the data on top (the
    course's one region style, :func:`actbook.figures.plotting.draw_regions`)."""
    xx, yy, pts = grid(X, steps=150, margin=0.2)
    extent = (float(xx.min()), float(xx.max()), float(yy.min()), float(yy.max()))
    width = min(WIDTH, 2.8 * len(models))
    fig = Figure(figsize=(width, width / len(models) + 0.4), layout="constrained",
                 facecolor="white")  # fmt: skip
    axes = np.atleast_1d(fig.subplots(1, len(models)))
    for ax, model, title in zip(axes, models, titles, strict=True):
        draw_regions(ax, model.predict(pts).reshape(xx.shape), extent, X, y)
        ax.set(title=title, aspect="equal")
    return fig
