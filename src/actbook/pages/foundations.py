"""Code behind chapters/foundations.md (sections I and II): decision boundaries of small
networks on the toy datasets (II.2) and the gradient pathologies as experiments (II.4).

Decision boundaries: a network without a hidden non-linearity can only cut the plane with
straight lines; with sigmoid, tanh or ReLU it bends the boundary around spirals, circles and
XOR. Training runs are cached by their parameters and keep a snapshot of the weights every
:data:`SNAPSHOT_EVERY` epochs, so an "epochs" control never retrains: it loads a snapshot.

Gradient pathologies (vanishing, exploding, dying): each function runs a small, seeded
experiment on :class:`actbook.lab.nn.MLP` and returns numbers or a figure; the interactive
figures retrain at most one small network per update and cache every run by its parameters.

>>> run = train_boundary_run("xor", "relu", width=8, depth=1, epochs=50)
>>> len(run.loss), sorted(run.snapshots)[:3]
(50, [0, 25, 50])
>>> norms = layer_gradient_norms("sigmoid", depth=6)
>>> norms.shape, bool(norms[0] < 1e-2 * norms[-1])   # seven weight layers; the first starves
((7,), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from actbook.catalog.appearance import TITLES, style
from actbook.figures.plotting import (
    COLORS,
    PANEL_WIDTH,
    WIDTH,
    Blitter,
    corner_text,
    line_styles,
    region_cmap,
)
from actbook.figures.tables import fmt
from actbook.figures.widgets import Choice, InteractiveFigure, Slider
from actbook.lab import datasets
from actbook.lab.datasets import spirals
from actbook.lab.diagnostics import dead_fraction
from actbook.lab.nn import MLP, textbook_init

__all__ = [
    "DATASETS",
    "BOUNDARY_ACTIVATIONS",
    "LEARNING_RATES",
    "Run",
    "toy_data",
    "train_boundary_run",
    "boundary_grid",
    "DecisionBoundaryPlot",
    "boundary_explorer",
    "FLOW_ACTIVATIONS",
    "deep_net",
    "probe_batch",
    "layer_gradient_norms",
    "ratio_figure",
    "GradientFlowPlot",
    "gradient_flow_explorer",
    "norms_by_gain_figure",
    "train_deep",
    "clipping_figure",
    "dying_run",
    "DyingPlot",
    "dying_explorer",
]

DATASETS = ("spirals", "circles", "xor")
BOUNDARY_ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu")

#: Full-batch learning rate per activation, chosen once so that every activation fits every
#: dataset within the default budget (plain gradient descent: sigmoid's small derivative
#: needs a larger step).
LEARNING_RATES = {"linear": 1.0, "sigmoid": 3.0, "tanh": 1.0, "relu": 1.0}

SNAPSHOT_EVERY = 25
MAX_EPOCHS = 600
LIM = 1.5  # every dataset lies inside [-LIM, LIM]^2
GRID_STEPS = 140


@cache
def toy_data(name: str) -> tuple[np.ndarray, np.ndarray]:
    """The dataset ``name`` at its default size and seed 0."""
    makers = {"spirals": datasets.spirals, "circles": datasets.circles, "xor": datasets.xor}
    if name not in makers:
        raise ValueError(f"unknown dataset {name!r}; use one of {DATASETS}")
    return makers[name](seed=0)


@dataclass(frozen=True)
class Run:
    """A finished training run: its network's shape and its history."""

    dataset: str
    activation: str
    sizes: tuple[int, ...]
    loss: np.ndarray
    accuracy: np.ndarray
    snapshots: dict[int, np.ndarray]  # epoch -> parameter vector after that many updates

    def model(self, epochs: int) -> MLP:
        """The network after ``epochs`` updates (rounded down to a snapshot)."""
        at = max(e for e in self.snapshots if e <= max(0, epochs))
        net = MLP(self.sizes, self.activation)
        net.set_param_vector(self.snapshots[at])
        return net


@lru_cache(maxsize=256)
def train_boundary_run(
    dataset: str,
    activation: str,
    width: int = 16,
    depth: int = 1,
    epochs: int = MAX_EPOCHS,
    seed: int = 0,
) -> Run:
    """Train (once per parameter set) ``depth`` hidden layers of ``width`` units.

    Initialisation follows the textbook pairing (He for ReLU, Xavier otherwise); the
    learning rate is :data:`LEARNING_RATES` of the activation.
    """
    X, y = toy_data(dataset)
    sizes = (2, *[int(width)] * int(depth), int(y.max()) + 1)
    net = MLP(sizes, activation, init=textbook_init(activation), seed=seed)
    snaps = {0: net.param_vector()}

    def snapshot(epoch: int, model: MLP, history: dict) -> None:
        if (epoch + 1) % SNAPSHOT_EVERY == 0 or epoch + 1 == epochs:
            snaps[epoch + 1] = model.param_vector()

    h = net.fit(X, y, epochs=epochs, lr=LEARNING_RATES[activation], callback=snapshot)
    return Run(dataset, activation, sizes, np.array(h["loss"]), np.array(h["accuracy"]), snaps)


def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return datasets.grid([[-LIM, -LIM], [LIM, LIM]], steps=GRID_STEPS, margin=0.0)


def _predict_grid(run: Run, epochs: int) -> np.ndarray:
    xx, _, pts = _grid()
    return run.model(epochs).predict(pts).reshape(xx.shape)


def boundary_grid(
    names: tuple[str, ...] = DATASETS,
    activations: tuple[str, ...] = BOUNDARY_ACTIVATIONS,
    width: int = 16,
    depth: int = 1,
    epochs: int = MAX_EPOCHS,
) -> Figure:
    """One panel per (dataset, activation): the learned regions, the data and the training
    accuracy. Rows are datasets, columns activations."""
    side = min(2.2, WIDTH / len(activations))  # the course's figure width at most
    fig = Figure(
        figsize=(side * len(activations), (side + 0.05) * len(names)),
        facecolor="white",
        layout="constrained",
    )
    axes = fig.subplots(len(names), len(activations), squeeze=False)
    cmap = region_cmap(3)
    for i, name in enumerate(names):
        X, y = toy_data(name)
        for j, act in enumerate(activations):
            run = train_boundary_run(name, act, width, depth, epochs)
            ax = axes[i, j]
            ax.imshow(
                _predict_grid(run, epochs),
                origin="lower",
                extent=(-LIM, LIM, -LIM, LIM),
                cmap=cmap,
                vmin=0,
                vmax=2,
                interpolation="nearest",
            )
            ax.scatter(X[:, 0], X[:, 1], c=[COLORS[k] for k in y], s=5, lw=0)
            ax.set(xticks=[], yticks=[])
            ax.set_title(f"{TITLES[act]}: acc {run.accuracy[-1]:.2f}", fontsize="small")
            if j == 0:
                ax.set_ylabel(name)
    return fig


class DecisionBoundaryPlot:
    """Left, the regions a trained network assigns to each class, with the data; right, the
    training loss up to the chosen epoch. ``update`` takes ``dataset``, ``activation``,
    ``width``, ``depth`` and ``epochs``."""

    def __init__(
        self,
        dataset: str = "spirals",
        activation: str = "relu",
        width: int = 16,
        depth: int = 1,
        epochs: int = MAX_EPOCHS,
    ) -> None:
        self.params = dict(
            dataset=dataset, activation=activation, width=width, depth=depth, epochs=epochs
        )
        self.fig = Figure(figsize=(8.0, 3.6), facecolor="white", layout="constrained")
        self.ax_map, self.ax_loss = self.fig.subplots(1, 2)
        xx, _, _ = _grid()
        self.image = self.ax_map.imshow(
            np.zeros(xx.shape),
            origin="lower",
            cmap=region_cmap(3),
            extent=(-LIM, LIM, -LIM, LIM),
            vmin=0,
            vmax=2,
            interpolation="nearest",
        )
        self.points = self.ax_map.scatter([], [], s=7, lw=0)
        self.ax_map.set(
            xlim=(-LIM, LIM), ylim=(-LIM, LIM), xlabel="$x_1$", ylabel="$x_2$", aspect="equal"
        )
        (self.loss_line,) = self.ax_loss.semilogy([], [], color=COLORS[0], lw=2)
        (self.marker,) = self.ax_loss.semilogy([], [], "o", color=COLORS[1])
        self.ax_loss.set(
            xlim=(0, MAX_EPOCHS),
            ylim=(5e-3, 3.0),
            xlabel="epoch",
            ylabel="training loss (cross-entropy)",
        )
        self.ax_loss.grid(True, which="both", alpha=0.3)
        self.title = self.ax_map.text(
            0.5,
            1.02,
            "",
            transform=self.ax_map.transAxes,
            ha="center",
            va="bottom",
            fontsize="medium",
        )
        self.summary = corner_text(self.ax_loss)
        self.update()

    def update(self, **params) -> None:
        self.params.update(params)
        p = self.params
        epochs = int(p["epochs"])
        run = train_boundary_run(p["dataset"], p["activation"], int(p["width"]), int(p["depth"]))
        X, y = toy_data(p["dataset"])
        self.image.set_data(_predict_grid(run, epochs))
        self.points.set_offsets(X)
        self.points.set_facecolors([COLORS[k] for k in y])
        shown = run.loss[: max(1, epochs)]
        self.loss_line.set_data(np.arange(len(shown)), shown)
        self.marker.set_data([len(shown) - 1], [shown[-1]])
        acc = run.accuracy[min(epochs, len(run.accuracy) - 1)]
        layers = " × ".join([str(int(p["width"]))] * int(p["depth"]))
        self.title.set_text(
            f"{TITLES[p['activation']]} network, hidden {layers}, on {p['dataset']}"
        )
        self.summary.set_text(f"epoch {epochs}\nloss {shown[-1]:.3f}\naccuracy {acc:.2f}")
        self.accuracy = float(acc)
        self.caption = (
            f"{TITLES[p['activation']]}, {p['dataset']}, hidden {layers}, {epochs} epochs"
        )

    def blitter(self) -> Blitter:
        return Blitter(
            self.fig,
            [self.image, self.points, self.loss_line, self.marker, self.title, self.summary],
        )


def boundary_explorer() -> InteractiveFigure:
    """The interactive figure of chapter II.2; the activation is the static site's control."""
    controls = [
        Choice.of(
            "activation",
            "activation",
            BOUNDARY_ACTIVATIONS,
            default="relu",
            labels=[TITLES[a] for a in BOUNDARY_ACTIVATIONS],
        ),
        Choice.of("dataset", "dataset", DATASETS, default="spirals"),
        Choice.of("width", "hidden width", (2, 4, 8, 16, 32), default=16),
        Slider("depth", "hidden layers", 1, 3, 1, 1, continuous=False),
        Slider(
            "epochs",
            "epochs",
            SNAPSHOT_EVERY,
            MAX_EPOCHS,
            SNAPSHOT_EVERY,
            MAX_EPOCHS,
            continuous=False,
        ),
    ]
    alt = (
        "First panel: the plane coloured by the class the network predicts, with the "
        "training points on top; second: the training loss against the epoch"
    )
    return InteractiveFigure(DecisionBoundaryPlot(), controls, alt)


# Gradient pathologies (II.4) ------------------------------------------------------------

FLOW_ACTIVATIONS = ("sigmoid", "tanh", "relu")
_COLOR = {name: style(name)["color"] for name in ("sigmoid", "tanh", "relu", "leaky_relu")}


def deep_net(
    activation: str,
    depth: int,
    width: int = 64,
    gain: float = 1.0,
    n_in: int | None = None,
    n_out: int = 3,
    seed: int = 0,
    bias: float = 0.0,
) -> MLP:
    """``depth`` hidden layers of ``width`` units, textbook init (He for the ReLU family,
    Xavier otherwise) with every weight then multiplied by ``gain``: 1 is the textbook
    scale, above it the signal grows from layer to layer, below it shrinks. ``bias`` is the
    initial value of every hidden bias."""
    n_in = width if n_in is None else n_in
    init = textbook_init(activation)
    net = MLP([n_in] + [width] * depth + [n_out], activation, init=init, bias=bias, seed=seed)
    for W in net.W:
        W *= gain
    return net


def probe_batch(width: int, n: int = 256, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The batch of :func:`actbook.lab.diagnostics.vanishing_ratio`: N(0, I) inputs, random
    labels."""
    rng = np.random.default_rng((seed, 1))
    return rng.standard_normal((n, width)), rng.integers(0, 3, n)


@lru_cache(maxsize=512)
def _norms(activation: str, depth: int, gain: float, width: int, seed: int) -> np.ndarray:
    X, y = probe_batch(width, seed=seed)
    net = deep_net(activation, depth, width, gain, seed=seed)
    net.backward(X, y)
    return net.gradient_norms()


def layer_gradient_norms(
    activation: str, depth: int, gain: float = 1.0, width: int = 64, seed: int = 0
) -> np.ndarray:
    """``||dL/dW_l||`` for ``l = 1 .. depth + 1`` at initialisation, input layer first, on the
    probe batch of :func:`actbook.lab.diagnostics.vanishing_ratio` (cached)."""
    return _norms(activation, int(depth), float(gain), int(width), int(seed)).copy()


def ratio_figure(ratios: dict[str, dict[int, float]]) -> Figure:
    """``||dL/dW_1|| / ||dL/dW_L||`` against depth, one line per activation, with the
    ``0.25^L`` bound of the text for comparison."""
    fig = Figure(figsize=(PANEL_WIDTH, 3.6), facecolor="white", layout="constrained")
    ax = fig.add_subplot()
    for act, by_depth in ratios.items():
        d = np.array(sorted(by_depth))
        ax.semilogy(d, [by_depth[k] for k in d], "o-", color=_COLOR[act], label=TITLES[act])
    d = np.array(sorted(next(iter(ratios.values()))))
    ax.semilogy(d, 0.25**d, "k--", lw=1, label="$0.25^L$ (sigmoid's bound)")
    ax.set(
        xlabel="hidden layers L",
        ylabel=r"$\|\partial L/\partial W_1\| / "
        r"\|\partial L/\partial W_{L+1}\|$",
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # depths are whole numbers
    ax.legend(fontsize="small")
    return fig


class GradientFlowPlot:
    """``||dL/dW_l||`` layer by layer at initialisation for sigmoid, tanh and ReLU networks
    of the same depth, with the weights scaled by ``gain`` times the textbook init."""

    def __init__(self, depth: int = 10, gain: float = 1.0, width: int = 64) -> None:
        self.params = {"depth": depth, "gain": gain}
        self.width = width
        self.fig = Figure(figsize=(PANEL_WIDTH, 3.8), facecolor="white", layout="constrained")
        self.ax = self.fig.add_subplot()
        self.lines = {
            act: self.ax.semilogy([], [], "o-", ms=3.5, color=_COLOR[act], label=TITLES[act])[0]
            for act in FLOW_ACTIVATIONS
        }
        (self.bound,) = self.ax.semilogy(
            [],
            [],
            "--",
            color=_COLOR["sigmoid"],
            lw=1,  # sigmoid's: in its colour
            label="sigmoid's last layer × $0.25^{L+1-l}$",
        )
        self.ax.set(
            xlabel="layer l (1 = input side)",
            ylabel=r"$\|\partial L/\partial W_l\|$ at initialisation",
        )
        self.ax.grid(True, which="major", alpha=0.3)
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # layers are whole numbers
        self.ax.legend(fontsize="small", loc="lower right")
        self.update()

    def update(self, **params: float) -> None:
        self.params.update(params)
        depth, gain = int(self.params["depth"]), float(self.params["gain"])
        layers = np.arange(1, depth + 2)
        values = []
        for act, line in self.lines.items():
            norms = layer_gradient_norms(act, depth, gain, self.width)
            line.set_data(layers, norms)
            values.append(norms)
            if act == "sigmoid":
                self.bound.set_data(layers, norms[-1] * 0.25 ** (depth + 1 - layers))
                self.norms = norms
        finite = np.concatenate(values)
        finite = finite[np.isfinite(finite) & (finite > 0)]
        lo, hi = float(finite.min()), float(finite.max())
        self.ax.set_ylim(lo / 5, hi * 5)
        self.ax.set_xlim(0.5, depth + 1.5)
        self.ax.set_title(
            f"{depth} hidden layers of {self.width}, weights at {gain:g} ×\nthe textbook"
            " scale (Xavier; He for ReLU)",
            fontsize="medium",
        )
        self.caption = f"depth {depth}, gain {gain:g}"


def gradient_flow_explorer(width: int = 64) -> InteractiveFigure:
    """Depth (the static site's control) and weight scale of :class:`GradientFlowPlot`
    (``width`` units per hidden layer)."""
    controls = [
        Slider("depth", "hidden layers", 2, 30, 1, 10, continuous=False),
        Slider("gain", "weight scale (× textbook init)", 0.5, 3.0, 0.1, 1.0, continuous=False),
    ]
    alt = (
        "Gradient norm of each layer's weights, input layer on the left, for sigmoid, "
        "tanh and ReLU networks on a logarithmic axis"
    )
    return InteractiveFigure(GradientFlowPlot(width=width), controls, alt, n_frames=8)


def norms_by_gain_figure(
    gains: tuple[float, ...] = (0.5, 1.0, 1.5, 2.0),
    activation: str = "relu",
    depth: int = 10,
    width: int = 32,
) -> Figure:
    """Per-layer gradient norms on the spiral data at initialisation, one line per weight
    scale: above the critical scale 1 every layer's gradient is orders of magnitude larger."""
    X, y = spirals()
    fig = Figure(figsize=(PANEL_WIDTH, 3.4), facecolor="white", layout="constrained")
    ax = fig.add_subplot()
    for gain, color in zip(gains, COLORS, strict=False):
        net = deep_net(activation, depth, width, gain, n_in=2)
        net.backward(X, y)
        ax.semilogy(
            np.arange(1, depth + 2),
            net.gradient_norms(),
            "o-",
            ms=3.5,
            color=color,
            label=f"scale {gain:g}",
        )
    ax.set(
        xlabel="layer l (1 = input side)",
        ylabel=r"$\|\partial L/\partial W_l\|$",
        title=f"{TITLES[activation]}, {depth} hidden layers of {width}, spirals",
    )
    ax.grid(True, alpha=0.3)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    # below the axes, one row: inside, on a one-panel figure's width, it would cover a line
    fig.legend(loc="outside lower center", fontsize="small", ncols=len(gains))
    return fig


@lru_cache(maxsize=32)
def train_deep(
    gain: float,
    clip: float | None,
    lr: float = 0.1,
    epochs: int = 300,
    depth: int = 10,
    width: int = 32,
    activation: str = "relu",
    seed: int = 0,
) -> dict:
    """Train :func:`deep_net` on the spirals with plain gradient descent (and clipping)."""
    X, y = spirals()
    net = deep_net(activation, depth, width, gain, n_in=2, seed=seed)
    h = net.fit(X, y, epochs=epochs, lr=lr, clip=clip)
    return {k: (np.array(v) if isinstance(v, list) else v) for k, v in h.items()}


def clipping_figure(runs: dict[str, dict]) -> Figure:
    """Loss (left) and global gradient norm (right) per epoch of the runs in ``runs``."""
    fig = Figure(figsize=(8.0, 3.2), facecolor="white", layout="constrained")
    ax_l, ax_g = fig.subplots(1, 2)
    for (label, h), look in zip(runs.items(), line_styles(list(runs)), strict=True):
        color = look["color"]
        e = np.arange(len(h["loss"]))
        ax_l.semilogy(e, h["loss"], color=color, lw=2, label=label)
        ax_g.semilogy(e, h["grad_norm"], color=color, lw=2, label=label)
        if h.get("diverged"):
            # the last finite values are astronomically large: mark them at the top edge
            ax_l.annotate(
                f"diverged at epoch {len(e) - 1}",
                (e[-1], 1e3),
                xytext=(40, 1e2),
                color=color,
                arrowprops=dict(arrowstyle="->", color=color),
            )
    ax_l.set_ylim(1e-2, 1e3)
    ax_g.set_ylim(1e-2, 1e5)
    ax_l.set(xlabel="epoch", ylabel="training loss", title="loss")
    ax_g.set(xlabel="epoch", ylabel="global gradient norm", title="gradient norm before clipping")
    for ax in (ax_l, ax_g):
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return fig


# ------------------------------------------------------------------ dying ReLU

DYING_EVERY = 10  # epochs between two counts of the dead units


@lru_cache(maxsize=128)
def dying_run(
    lr: float,
    bias: float = 0.0,
    activation: str = "relu",
    width: int = 100,
    depth: int = 3,
    epochs: int = 300,
    seed: int = 0,
) -> dict:
    """Train on the spirals and count dead units every :data:`DYING_EVERY` epochs.

    Returns a dict with ``loss`` and ``accuracy`` per epoch, ``epochs_counted`` and ``dead``
    (fraction of dead units per hidden layer at those epochs), ``final_dead`` (over all hidden
    units at the end), ``accuracy_final`` and ``diverged``. For Leaky ReLU a unit counts as
    dead when its pre-activation is <= 0 on every input (it still learns, at slope 0.01).
    """
    X, y = spirals()
    net = MLP([2] + [width] * depth + [3], activation, bias=bias, seed=seed)
    pre = activation != "relu"
    counted, dead = [0], [dead_fraction(net, X, preactivation=pre)]

    def count(epoch: int, model: MLP, history: dict) -> None:
        if (epoch + 1) % DYING_EVERY == 0:
            counted.append(epoch + 1)
            dead.append(dead_fraction(model, X, preactivation=pre))

    h = net.fit(X, y, epochs=epochs, lr=lr, callback=count)
    diverged = bool(h.get("diverged", False))
    return {
        "loss": np.array(h["loss"]),
        "accuracy": np.array(h["accuracy"]),
        "epochs_counted": np.array(counted),
        "dead": np.array(dead),
        "final_dead": float("nan") if diverged else float(np.mean(dead[-1])),
        "accuracy_final": float(h["accuracy"][-1]),
        "diverged": diverged,
    }


class DyingPlot:
    """Left: the fraction of dead units in each hidden layer during training; right: the
    training accuracy. ``update`` takes ``lr``, ``bias`` and ``activation``."""

    def __init__(
        self,
        lr: float = 0.1,
        bias: float = 0.0,
        activation: str = "relu",
        width: int = 64,
        depth: int = 3,
        epochs: int = 300,
    ) -> None:
        self.params = {"lr": lr, "bias": bias, "activation": activation}
        self.shape = (width, depth, epochs)
        self.fig = Figure(figsize=(8.0, 3.4), facecolor="white", layout="constrained")
        self.ax_d, self.ax_a = self.fig.subplots(1, 2)
        self.dead_lines = [
            self.ax_d.plot(
                [],
                [],
                ls=("-", "--", ":")[k % 3],
                lw=2.2,
                color=COLORS[k],
                label=f"hidden layer {k + 1}",
            )[0]
            for k in range(depth)
        ]
        (self.acc_line,) = self.ax_a.plot([], [], color=COLORS[0], lw=2)
        self.ax_a.axhline(1 / 3, color="0.4", ls=":", lw=1, label="chance (3 classes)")
        self.ax_d.set(xlim=(0, epochs), ylim=(-3, 103), xlabel="epoch", ylabel="dead units (%)")
        self.ax_a.set(xlim=(0, epochs), ylim=(0, 1.02), xlabel="epoch", ylabel="training accuracy")
        for ax in (self.ax_d, self.ax_a):
            ax.grid(True, alpha=0.3)
            ax.legend(fontsize="small", loc="center right")
        self.update()

    def update(self, **params) -> None:
        self.params.update(params)
        p = self.params
        width, depth, epochs = self.shape
        run = dying_run(
            float(p["lr"]), float(p["bias"]), str(p["activation"]), width, depth, epochs
        )
        for k, line in enumerate(self.dead_lines):
            line.set_data(run["epochs_counted"], 100 * run["dead"][:, k])
        self.acc_line.set_data(np.arange(len(run["accuracy"])), run["accuracy"])
        end = "diverged (NaN)" if run["diverged"] else f"{100 * run['final_dead']:.0f}% dead"
        name = TITLES[str(p["activation"])]
        self.ax_d.set_title(f"{name}, lr {p['lr']:g}, bias {p['bias']:g}: {end}", fontsize="medium")
        self.ax_a.set_title(f"final accuracy {run['accuracy_final']:.2f}", fontsize="medium")
        self.run = run
        self.caption = f"{name}, learning rate {fmt(p['lr'])}, initial bias {fmt(p['bias'])}"


def dying_explorer(width: int = 64, epochs: int = 300) -> InteractiveFigure:
    """Learning rate (the static site's control), initial bias and activation, for three
    hidden layers of ``width`` units trained ``epochs`` epochs. Hidden layers of 64 keep a
    retraining (one per new setting) under a second."""
    controls = [
        Choice.of("lr", "learning rate", (0.01, 0.03, 0.1, 0.3, 1.0, 3.0), default=0.1),
        Choice.of("bias", "initial bias", (0.0, -0.5, -1.0, -2.0), default=0.0),
        Choice.of(
            "activation",
            "activation",
            ("relu", "leaky_relu"),
            default="relu",
            labels=[TITLES["relu"], TITLES["leaky_relu"]],
        ),
    ]
    alt = (
        "First panel: percentage of dead units in each of three hidden layers during "
        "training; second: training accuracy"
    )
    return InteractiveFigure(DyingPlot(width=width, epochs=epochs), controls, alt)
