"""Plotting helpers: pure functions of parameters that return matplotlib figures.

An interactive figure is an object with a ``fig`` and an ``update(**params)`` that moves its
artists (``set_ydata``), never rebuilds the figure: that keeps a slider change fast.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from PIL import Image

from actbook.catalog import numeric
from actbook.catalog.appearance import TITLES

#: Colour-blind-safe colours (Okabe-Ito) that stay readable on a dark page too.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

FUNCTIONS = numeric.ELEMENTWISE


def corner_text(ax, text: str = "", right: bool = True, boxed: bool = True):
    """A text artist in an upper corner of ``ax`` (axes coordinates), for live readouts."""
    return ax.text(
        0.97 if right else 0.03, 0.95, text, transform=ax.transAxes,
        ha="right" if right else "left", va="top", fontsize="small",
        bbox=dict(fc="white", ec="0.7") if boxed else None,
    )  # fmt: skip


def figure_png(fig: Figure, dpi: int = 110) -> bytes:
    """The figure as PNG bytes, trimmed to its content."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def _register_png_display() -> None:
    """Let a notebook cell that returns a ``Figure`` show it as a PNG.

    Figures here are built without pyplot, so the inline backend never registers them; this
    does, without changing the user's backend.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to register
        return
    ip = get_ipython()
    if ip is not None:
        ip.display_formatter.formatters["image/png"].for_type(Figure, figure_png)


_register_png_display()


def new_figure(ncols: int = 2, width: float = 8.0, height: float = 3.2) -> tuple[Figure, list]:
    """A figure with ``ncols`` axes, white background and a light grid (legible in dark mode).

    Built with ``Figure()``, not pyplot: a notebook then shows it once, when a cell returns
    it, and nothing keeps it alive after that.
    """
    fig = Figure(figsize=(width, height), layout="constrained", facecolor="white")
    axes = list(np.atleast_1d(fig.subplots(1, ncols)))
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.axhline(0, color="0.5", lw=0.8)
        ax.axvline(0, color="0.5", lw=0.8)
    return fig, axes


def _call(func: Callable, z: np.ndarray, params: dict) -> np.ndarray:
    return np.asarray(func(z, **params), dtype=float)


class Blitter:
    """Fast PNG frames of a figure whose only changes are a few *animated* artists.

    The static part (axes, ticks, legends) is drawn once and cached; each frame restores it
    and draws the moving artists on top. Call :meth:`invalidate` when the static part
    changes (new axis limits). A full draw of a two-panel figure costs ~75 ms here; a
    blitted frame a few ms plus the PNG encoding.
    """

    def __init__(self, fig: Figure, artists: Sequence[Artist], dpi: int = 96) -> None:
        self.fig = fig
        fig.set_dpi(dpi)
        self.canvas = FigureCanvasAgg(fig)
        self.artists = list(artists)
        for a in self.artists:
            a.set_animated(True)
        self._background = None

    def invalidate(self) -> None:
        self._background = None

    def png(self) -> bytes:
        if self._background is None:
            self.canvas.draw()  # animated artists are left out of a full draw
            self.fig.set_layout_engine("none")  # freeze the constrained layout once computed
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.canvas.restore_region(self._background)
        for a in self.artists:
            self.fig.draw_artist(a)
        image = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba())
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()


@dataclass
class ActivationPlot:
    """f on the left, f' on the right, with optional overlays of other activations.

    ``probe`` marks the point z0 on both curves and draws the tangent of f there: the
    slope is f'(z0), which is what backpropagation multiplies by.

    >>> p = ActivationPlot("leaky_relu", {"alpha": 0.1})
    >>> p.update(alpha=0.3); float(p.lines[0].get_ydata()[0])
    -1.5
    """

    name: str
    params: dict = field(default_factory=dict)
    overlay: Sequence[str] = ()
    zlim: tuple[float, float] = (-5.0, 5.0)
    ylim: tuple[float, float] | None = None
    n: int = 401
    probe: float | None = None

    def __post_init__(self) -> None:
        self.z = np.linspace(*self.zlim, self.n)
        self.fig, (self.ax_f, self.ax_g) = new_figure()
        f, g = FUNCTIONS[self.name]
        title = TITLES[self.name]
        for other, color in zip(self.overlay, COLORS[2:], strict=False):
            of, og = FUNCTIONS[other]
            style = dict(color=color, lw=1.2, ls="--", alpha=0.8, label=TITLES[other])
            self.ax_f.plot(self.z, _call(of, self.z, {}), **style)
            self.ax_g.plot(self.z, _call(og, self.z, {}), **style)
        (lf,) = self.ax_f.plot(self.z, _call(f, self.z, self.params), color=COLORS[0], lw=2.2)
        (lg,) = self.ax_g.plot(self.z, _call(g, self.z, self.params), color=COLORS[1], lw=2.2)
        lf.set_label(title)
        lg.set_label(f"{title}′")
        self.lines = [lf, lg]
        self.ax_f.set(xlabel="z", ylabel="f(z)", title=f"{title}: f(z)")
        self.ax_g.set(xlabel="z", ylabel="f′(z)", title=f"{title}: derivative f′(z)")
        for ax in (self.ax_f, self.ax_g):
            ax.legend(loc="upper left", fontsize="small")
        if self.ylim is not None:
            self.ax_f.set_ylim(*self.ylim)
        self.probe_artists: list[Artist] = []
        if self.probe is not None:
            (self._dot_f,) = self.ax_f.plot([], [], "o", color="k", ms=6)
            (self._tangent,) = self.ax_f.plot([], [], "-", color="k", lw=1, alpha=0.7)
            (self._dot_g,) = self.ax_g.plot([], [], "o", color="k", ms=6)
            self.readout = corner_text(self.ax_g)
            self.probe_artists = [self._dot_f, self._tangent, self._dot_g, self.readout]
            self._move_probe()
        self.caption = self._caption()

    def _caption(self) -> str:
        shown = ", ".join(f"{k} = {v:g}" for k, v in self.params.items())
        at = "" if self.probe is None else f", z0 = {self.probe:g}"
        return f"{TITLES[self.name]}{f' ({shown})' if shown else ''}{at}"

    def _move_probe(self) -> None:
        f, g = FUNCTIONS[self.name]
        z0 = self.probe
        f0 = float(_call(f, np.array(z0), self.params))
        g0 = float(_call(g, np.array(z0), self.params))
        self._dot_f.set_data([z0], [f0])
        self._dot_g.set_data([z0], [g0])
        dz = 0.2 * (self.zlim[1] - self.zlim[0])
        self._tangent.set_data([z0 - dz, z0 + dz], [f0 - g0 * dz, f0 + g0 * dz])
        self.readout.set_text(f"z0 = {z0:.2f}\nf′(z0) = {g0:.4g}")

    def update(self, **params: float) -> None:
        """Move the curves (and the probe, ``probe=z0``) to new parameter values."""
        if "probe" in params:
            self.probe = params.pop("probe")
        self.params = {**self.params, **params}
        f, g = FUNCTIONS[self.name]
        self.lines[0].set_ydata(_call(f, self.z, self.params))
        self.lines[1].set_ydata(_call(g, self.z, self.params))
        if self.probe is not None:
            self._move_probe()
        self.caption = self._caption()

    def fit_limits(self, param_ranges: dict[str, Sequence[float]]) -> None:
        """Fix the axis limits so that every value in ``param_ranges`` stays in view."""
        saved = dict(self.params)
        ys: list[list[np.ndarray]] = [[], []]
        for name, values in param_ranges.items():
            for v in values:
                self.update(**{name: v})
                for k in (0, 1):
                    ys[k].append(self.lines[k].get_ydata())
        self.update(**saved)
        for k, ax in enumerate((self.ax_f, self.ax_g)):
            data = np.concatenate(ys[k] + [ln.get_ydata() for ln in ax.get_lines()])
            data = data[np.isfinite(data)]
            lo, hi = float(data.min()), float(data.max())
            pad = 0.08 * (hi - lo or 1.0)
            ax.set_ylim(lo - pad, hi + pad)
        self.ax_f.set_xlim(*self.zlim)
        self.ax_g.set_xlim(*self.zlim)

    def blitter(self) -> Blitter:
        """A :class:`Blitter` whose moving parts are the curves and the probe."""
        return Blitter(self.fig, [*self.lines, *self.probe_artists])


def plot_activation(name: str, overlay: Sequence[str] = (), **params: float) -> Figure:
    """The static figure of f and f' for one activation."""
    return ActivationPlot(name, params, overlay).fig


def gallery(names: Sequence[str], zlim: tuple[float, float] = (-4.0, 4.0)) -> Figure:
    """Every activation's f (top row) and f' (bottom row), side by side, at default parameters."""
    z = np.linspace(*zlim, 401)
    fig = Figure(figsize=(1.9 * len(names), 4.0), layout="constrained", facecolor="white")
    axes = fig.subplots(2, len(names), sharex=True, squeeze=False)
    for j, name in enumerate(names):
        f, g = FUNCTIONS[name]
        for i, (func, color) in enumerate(((f, COLORS[0]), (g, COLORS[1]))):
            ax = axes[i, j]
            ax.plot(z, _call(func, z, {}), color=color, lw=2)
            ax.axhline(0, color="0.6", lw=0.6)
            ax.axvline(0, color="0.6", lw=0.6)
            ax.grid(True, alpha=0.3)
        axes[0, j].set_title(TITLES[name], fontsize="small")
    axes[0, 0].set_ylabel("f(z)")
    axes[1, 0].set_ylabel("f′(z)")
    return fig


def plot_curves(
    z: ArrayLike,
    curves: Mapping[str, ArrayLike],
    ylabel: str,
    title: str = "",
    logy: bool = False,
    xlabel: str = "z",
) -> Figure:
    """One panel with a line per entry of ``curves`` (label -> values on ``z``); ``logy`` for
    errors that span many orders of magnitude."""
    fig, (ax,) = new_figure(ncols=1, width=7.0, height=3.4)
    for (label, y), color in zip(curves.items(), COLORS, strict=False):
        ax.plot(z, y, color=color, lw=2, label=label)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize="small")
    return fig


def plot_variance_through_depth(curves: dict[str, np.ndarray]) -> Figure:
    """``E[h^2]`` after each layer (log scale), one line per ``label -> curve``."""
    fig = Figure(figsize=(6.4, 3.4), layout="constrained", facecolor="white")
    ax = fig.subplots()
    for (label, v), color in zip(curves.items(), COLORS, strict=False):
        ax.semilogy(np.arange(1, len(v) + 1), v, color=color, lw=2, label=label)
    ax.set(xlabel="layer", ylabel="E[h²] (log scale)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
