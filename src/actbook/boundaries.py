"""Decision boundaries of small networks on the toy datasets (chapter II.2).

A network without a hidden non-linearity can only cut the plane with straight lines; with
sigmoid, tanh or ReLU it bends the boundary around spirals, circles and XOR. Training runs
are cached by their parameters and keep a snapshot of the weights every
:data:`SNAPSHOT_EVERY` epochs, so an "epochs" control never retrains: it loads a snapshot.

>>> run = train("xor", "relu", width=8, depth=1, epochs=50)
>>> len(run.loss), sorted(run.snapshots)[:3]
(50, [0, 25, 50])
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.figure import Figure

from . import datasets
from .nn import MLP
from .plotting import COLORS, TITLES, Blitter, corner_text
from .widgets import Choice, InteractiveFigure, Slider

__all__ = [
    "DATASETS",
    "BOUNDARY_ACTIVATIONS",
    "LEARNING_RATES",
    "Run",
    "load",
    "train",
    "boundary_grid",
    "DecisionBoundaryPlot",
    "boundary_explorer",
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
def load(name: str) -> tuple[np.ndarray, np.ndarray]:
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
def train(
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
    X, y = load(dataset)
    sizes = (2, *[int(width)] * int(depth), int(y.max()) + 1)
    init = "he" if activation == "relu" else "xavier"
    net = MLP(sizes, activation, init=init, seed=seed)
    snaps = {0: net.param_vector()}

    def snapshot(epoch: int, model: MLP, history: dict) -> None:
        if (epoch + 1) % SNAPSHOT_EVERY == 0 or epoch + 1 == epochs:
            snaps[epoch + 1] = model.param_vector()

    h = net.fit(X, y, epochs=epochs, lr=LEARNING_RATES[activation], callback=snapshot)
    return Run(dataset, activation, sizes, np.array(h["loss"]), np.array(h["accuracy"]), snaps)


def _grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return datasets.grid([[-LIM, -LIM], [LIM, LIM]], steps=GRID_STEPS, margin=0.0)


def _region_cmap() -> ListedColormap:
    light = [tuple(0.55 + 0.45 * c for c in to_rgb(col)) for col in COLORS[:3]]
    return ListedColormap(light)


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
    fig = Figure(
        figsize=(2.2 * len(activations), 2.25 * len(names)), facecolor="white", layout="constrained"
    )
    axes = fig.subplots(len(names), len(activations), squeeze=False)
    cmap = _region_cmap()
    for i, name in enumerate(names):
        X, y = load(name)
        for j, act in enumerate(activations):
            run = train(name, act, width, depth, epochs)
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
            cmap=_region_cmap(),
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
        run = train(p["dataset"], p["activation"], int(p["width"]), int(p["depth"]))
        X, y = load(p["dataset"])
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
        "Left: the plane coloured by the class the network predicts, with the training "
        "points on top; right: the training loss against the epoch"
    )
    return InteractiveFigure(DecisionBoundaryPlot(), controls, alt)
