"""Plotting helpers: pure functions of parameters that return matplotlib figures.

An interactive figure is an object with a ``fig`` and an ``update(**params)`` that moves its
artists (``set_ydata``), never rebuilds the figure: that keeps a slider change fast.
"""

from __future__ import annotations

import io
import json
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox
from numpy.typing import ArrayLike

from actbook.catalog import numeric
from actbook.catalog.appearance import TITLES, activation_of, style
from actbook.figures.tables import fmt

#: Colour-blind-safe colours (Okabe-Ito) that stay readable on a dark page too, for lines that
#: are not activations (learning rates, gains, classes). An activation is drawn with
#: ``appearance.style(name)``: one colour and line style on every figure.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

# One size scale for every figure. A full-width figure is WIDTH inches wide and is shown at
# about the article's width (≈ 800 px on a 1400 px window), so 1 pt of text is shown at about
# 1.4 px: text of at least MIN_FONT_PT is then at least 9 px tall. A wider figure is shrunk to
# the article's width with its text, so keep figures at most WIDTH wide (or raise their fonts).
WIDTH = 8.0
HEIGHT = 3.2
MIN_FONT_PT = 8.0
# A phone (390 px) shows a figure across its column, PHONE_COLUMN_PX wide: text of s pt in a
# figure w inches wide is then s * PHONE_COLUMN_PX / (72 w) px tall. A figure of several
# panels stacks them there (actbook.site.panels); a one-panel figure is at most PANEL_WIDTH
# wide, so that its text of MIN_FONT_PT is at least 7 px on a phone (the site audit's floor,
# actbook.site.audit.MIN_PHONE_FIGURE_TEXT_PX). On a 1400 px window it is shown at its own
# size (≈ 570 px), its text at 12 px or more.
PHONE_COLUMN_PX = 342
PANEL_WIDTH = 5.2

#: PNG text chunks that every figure of the course carries (read back by the site audit).
PNG_MIN_TEXT_PX = "actbook:min-text-px"  # the smallest text's font size, in PNG pixels
PNG_ACTIVATIONS = "actbook:activations"  # JSON: activation -> the colours it is drawn in
#: JSON: the panels of a multi-panel figure, in reading order, each a box [left, top, right,
#: bottom] in PNG pixels. The boxes tile the image (a grid), so that the site can show the
#: panels side by side on a wide screen and one above the other on a phone
#: (:mod:`actbook.site.panels`). Absent for a one-panel figure.
PNG_PANELS = "actbook:panels"


def text_sizes(fig: Figure) -> list[float]:
    """The font size (pt) of every visible text of ``fig``, tick labels included."""
    sizes = [
        float(t.get_fontsize())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and _shown(t)
    ]
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            ticks = axis.get_major_ticks()[:1]
            sizes += [float(t.label1.get_fontsize()) for t in ticks if t.label1.get_visible()]
    return sizes


def _shown(t: Text) -> bool:
    return t.axes is None or t.axes.get_visible()


def palette(fig: Figure) -> dict[str, list[str]]:
    """Activation -> the colours its lines are drawn in on ``fig``.

    A line names its activation by its label (``"ReLU"``, ``"ReLU′"``, see
    :func:`appearance.activation_of`) or by its gid (the activation's key).
    """
    found: dict[str, set[str]] = {}
    for line in fig.findobj(Line2D):
        gid, label = line.get_gid() or "", str(line.get_label())
        name = gid if gid in TITLES else activation_of(label)
        if name is not None and len(line.get_xdata()) > 1:
            found.setdefault(name, set()).add(to_hex(line.get_color()))
    return {k: sorted(v) for k, v in sorted(found.items())}


def png_meta(fig: Figure, dpi: float, bbox_inches: Bbox | None = None) -> dict[str, str]:
    """What :func:`tag_png` records for ``fig`` saved at ``dpi`` (cropped to ``bbox_inches``,
    in inches, when it was saved with ``bbox_inches="tight"``)."""
    sizes = text_sizes(fig)
    smallest = min(sizes) * dpi / 72 if sizes else 0.0
    meta = {
        PNG_MIN_TEXT_PX: f"{smallest:.2f}",
        PNG_ACTIVATIONS: json.dumps(palette(fig), ensure_ascii=True),
    }
    boxes = panel_boxes(fig, dpi, bbox_inches)
    if len(boxes) > 1:
        meta[PNG_PANELS] = json.dumps(boxes)
    return meta


def panel_groups(fig: Figure) -> list[list[Axes]]:
    """The panels of ``fig``: each visible subplot alone, unless the figure names its panels
    (``fig.actbook_panels``, a list of lists of axes: a panel of several axes, such as the
    gallery's f above f'). An axes outside the subplot grid (a colour bar) joins the panel
    nearest to it."""
    named = getattr(fig, "actbook_panels", None)
    if named is None:
        named = [[ax] for ax in fig.axes if ax.get_subplotspec() is not None]
    groups = [[a for a in g if a.get_visible()] for g in named]
    groups = [g for g in groups if g]
    placed = {a for g in groups for a in g}
    for ax in fig.axes:
        if ax in placed or not ax.get_visible() or not groups:
            continue
        c = ax.get_position().get_points().mean(axis=0)
        near = min(groups, key=lambda g: min(np.hypot(*(a.get_position().get_points().mean(
            axis=0) - c)) for a in g))  # fmt: skip
        near.append(ax)
    return groups


def panel_boxes(fig: Figure, dpi: float, bbox_inches: Bbox | None = None) -> list[list[int]]:
    """The boxes (PNG pixels, reading order) that cut ``fig``'s image into its panels.

    The panels sit on the subplot grid: each grid column gets the horizontal extent of its
    panels (titles, labels and legends included) and neighbouring columns are cut half-way
    between them; rows likewise. So the boxes tile the image and no text is cut in two.
    """
    groups = panel_groups(fig)
    if len(groups) < 2 or any(a.get_subplotspec() is None for g in groups for a in g[:1]):
        return []
    old = fig.canvas
    renderer = FigureCanvasAgg(fig).get_renderer()
    try:
        extents = [Bbox.union([a.get_tightbbox(renderer) for a in g]) for g in groups]
    finally:
        fig.set_canvas(old)
    whole = bbox_inches or Bbox.from_bounds(0, 0, *fig.get_size_inches())
    width, height = round(whole.width * dpi), round(whole.height * dpi)

    def px(b: Bbox) -> tuple[float, float, float, float]:  # display -> PNG pixels (y down)
        b = b.transformed(fig.dpi_scale_trans.inverted())
        return ((b.x0 - whole.x0) * dpi, (whole.y1 - b.y1) * dpi,
                (b.x1 - whole.x0) * dpi, (whole.y1 - b.y0) * dpi)  # fmt: skip

    boxes = [px(b) for b in extents]
    specs = [[a.get_subplotspec() for a in g if a.get_subplotspec() is not None] for g in groups]
    starts = [(min(s.rowspan.start for s in ss), min(s.colspan.start for s in ss)) for ss in specs]

    def cuts(axis: int, size: int) -> dict[int, tuple[int, int]]:
        keys = sorted({s[axis] for s in starts})
        lo = {
            k: min(b[1 - axis] for b, s in zip(boxes, starts, strict=True) if s[axis] == k)
            for k in keys
        }
        hi = {
            k: max(b[3 - axis] for b, s in zip(boxes, starts, strict=True) if s[axis] == k)
            for k in keys
        }
        edges = (
            [0]
            + [round((hi[a] + lo[b]) / 2) for a, b in zip(keys, keys[1:], strict=False)]
            + [size]
        )
        edges = [min(max(e, 0), size) for e in edges]
        return {k: (edges[i], edges[i + 1]) for i, k in enumerate(keys)}

    rows, cols = cuts(0, height), cuts(1, width)
    order = sorted(range(len(groups)), key=lambda i: starts[i])
    return [[cols[starts[i][1]][0], rows[starts[i][0]][0], cols[starts[i][1]][1],
             rows[starts[i][0]][1]] for i in order]  # fmt: skip


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def tag_png(png: bytes, meta: dict[str, str]) -> bytes:
    """``png`` with a tEXt chunk per entry of ``meta``, written after the header chunk."""
    end_of_ihdr = 8 + 4 + 4 + 13 + 4  # signature, then IHDR: length, type, data, crc
    chunks = b"".join(
        _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
        for key, value in meta.items()
    )
    return png[:end_of_ihdr] + chunks + png[end_of_ihdr:]


def rgb_png(rgb: np.ndarray, level: int = 1) -> bytes:
    """An 8-bit RGB image (height x width x 3) as PNG bytes, made for speed: no row filter,
    zlib at ``level`` (1: fastest, for a live figure; 9: smallest, for a page). Pillow
    chooses a filter per row, which costs a live figure more than drawing it (~6 of ~12 ms);
    a plot's flat colours compress about as well without.

    >>> from PIL import Image
    >>> a = np.random.default_rng(0).integers(0, 256, (3, 5, 3), dtype=np.uint8)
    >>> np.array_equal(np.asarray(Image.open(io.BytesIO(rgb_png(a)))), a)
    True
    """
    h, w, _ = rgb.shape
    rows = np.zeros((h, 1 + 3 * w), np.uint8)  # each row: filter type 0 (none), then pixels
    rows[:, 1:] = rgb.reshape(h, 3 * w)
    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits, RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), level))
        + _chunk(b"IEND", b"")
    )


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
    pad = 0.1
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=pad)
    old = fig.canvas
    try:  # the box savefig cropped to, in inches
        tight = fig.get_tightbbox(FigureCanvasAgg(fig).get_renderer()).padded(pad)
    finally:
        fig.set_canvas(old)
    return tag_png(buf.getvalue(), png_meta(fig, dpi, tight))


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


LINE_STYLES = ("-", "--", ":", "-.")


def line_styles(labels: Sequence[str]) -> list[dict[str, str]]:
    """Colour and line style for lines labelled ``labels``: an activation's own (by its title,
    :func:`appearance.activation_of`), the others from :data:`COLORS` in turn, skipping the
    colours of the activations drawn beside them.

    >>> [d["color"] for d in line_styles(["ReLU", "lr = 0.1", "Tanh"])]
    ['#d55e00', '#0072B2', '#009e73']
    >>> a, b = line_styles(["relu, he", "relu, xavier"])
    >>> (a["color"] == b["color"], a["ls"] != b["ls"])
    (True, True)
    """
    names = [activation_of(str(label)) for label in labels]
    taken = {style(n)["color"].lower() for n in names if n is not None}
    free = iter([c for c in COLORS if c.lower() not in taken] + COLORS)
    out, seen = [], {}
    for n in names:
        if n is None:
            out.append({"color": next(free), "ls": "-"})
            continue
        # The same activation twice ("relu, he" and "relu, xavier"): its one colour, and
        # another line style, so that the two lines can be told apart.
        k = seen[n] = seen.get(n, -1) + 1
        others = [ls for ls in LINE_STYLES if ls != style(n)["ls"]]
        out.append(style(n) if k == 0 else {**style(n), "ls": others[(k - 1) % len(others)]})
    return out


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
        self._meta: dict[str, str] | None = None

    def invalidate(self) -> None:
        self._background = None
        self._meta = None

    def png(self, level: int = 1) -> bytes:
        """The current frame (``level``: see :func:`rgb_png`)."""
        if self._background is None:
            self.canvas.draw()  # animated artists are left out of a full draw
            self.fig.set_layout_engine("none")  # freeze the constrained layout once computed
            self._background = self.canvas.copy_from_bbox(self.fig.bbox)
        self.canvas.restore_region(self._background)
        for a in self.artists:
            self.fig.draw_artist(a)
        png = rgb_png(np.asarray(self.canvas.buffer_rgba())[:, :, :3], level)
        if self._meta is None:
            self._meta = png_meta(self.fig, self.fig.dpi)
        return tag_png(png, self._meta)


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
        for other in self.overlay:  # for comparison: the other's colour, thin and dashed
            of, og = FUNCTIONS[other]
            look = dict(**style(other), lw=1.3, alpha=0.75, label=TITLES[other]) | {"ls": "--"}
            self.ax_f.plot(self.z, _call(of, self.z, {}), **look)
            self.ax_g.plot(self.z, _call(og, self.z, {}), **look)
        own = dict(**style(self.name), lw=2.4)
        (lf,) = self.ax_f.plot(self.z, _call(f, self.z, self.params), **own)
        (lg,) = self.ax_g.plot(self.z, _call(g, self.z, self.params), **own)
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
            # The readout is the derivative panel's title: above the axes, it covers no curve.
            self.readout = self.ax_g.title
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
        self.readout.set_text(f"derivative: f′({z0:.2f}) = {fmt(g0)}")

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


def gallery(
    names: Sequence[str], zlim: tuple[float, float] = (-4.0, 4.0), ncols: int = 3
) -> Figure:
    """Every activation at its default parameters, ``ncols`` to a row: f above f′, each in the
    activation's own colour, at the course's figure width (legible when shown)."""
    z = np.linspace(*zlim, 401)
    nrows = -(-len(names) // ncols)
    fig = Figure(figsize=(WIDTH, 2.7 * nrows), layout="constrained", facecolor="white")
    axes = fig.subplots(2 * nrows, ncols, sharex=True, squeeze=False)
    for j, name in enumerate(names):
        f, g = FUNCTIONS[name]
        top, bottom = axes[2 * (j // ncols), j % ncols], axes[2 * (j // ncols) + 1, j % ncols]
        for ax, func, what in ((top, f, "f"), (bottom, g, "f′")):
            (line,) = ax.plot(z, _call(func, z, {}), **style(name), lw=2)
            line.set_gid(name)
            ax.axhline(0, color="0.6", lw=0.6)
            ax.axvline(0, color="0.6", lw=0.6)
            ax.grid(True, alpha=0.3)
            ax.set_ylabel(f"{what}(z)")
        top.set_title(TITLES[name])
        bottom.tick_params(labelbottom=True)
    # one panel per activation (f above f'): on a phone the panels stack, one activation each
    fig.actbook_panels = [
        [axes[2 * (j // ncols), j % ncols], axes[2 * (j // ncols) + 1, j % ncols]]
        for j in range(len(names))
    ]
    for k in range(len(names), nrows * ncols):  # empty places of the last row
        axes[2 * (k // ncols), k % ncols].set_visible(False)
        axes[2 * (k // ncols) + 1, k % ncols].set_visible(False)
    return fig


def region_cmap(k: int = 3):
    """The decision-region colours of every figure: the class colours, lightened."""
    from matplotlib.colors import ListedColormap, to_rgb

    return ListedColormap([tuple(0.55 + 0.45 * c for c in to_rgb(col)) for col in COLORS[:k]])


def draw_regions(ax, labels: np.ndarray, extent: tuple[float, float, float, float], X, y):
    """Decision regions (a grid of predicted classes over ``extent``) with the data on top, in
    the one style of the course: light class colours, points in the full class colours.
    Returns the (image, points) artists, for figures that move them."""
    k = max(3, int(np.max(y)) + 1)
    image = ax.imshow(labels, origin="lower", extent=extent, cmap=region_cmap(k), vmin=0,
                      vmax=k - 1, interpolation="nearest", aspect="auto")  # fmt: skip
    points = ax.scatter(X[:, 0], X[:, 1], c=[COLORS[int(c)] for c in y], s=6, lw=0)
    ax.set(xticks=[], yticks=[])
    return image, points


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
    fig, (ax,) = new_figure(ncols=1, width=PANEL_WIDTH, height=3.4)
    for (label, y), look in zip(curves.items(), line_styles(list(curves)), strict=True):
        ax.plot(z, y, lw=2, label=label, **look)
    if logy:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(fontsize="small")
    return fig


def plot_variance_through_depth(curves: dict[str, np.ndarray]) -> Figure:
    """``E[h^2]`` after each layer (log scale), one line per ``label -> curve``."""
    fig = Figure(figsize=(PANEL_WIDTH, 3.4), layout="constrained", facecolor="white")
    ax = fig.subplots()
    for (label, v), look in zip(curves.items(), line_styles(list(curves)), strict=True):
        ax.semilogy(np.arange(1, len(v) + 1), v, lw=2, label=label, **look)
    ax.set(xlabel="layer", ylabel="E[h²] (log scale)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize="small")
    return fig
