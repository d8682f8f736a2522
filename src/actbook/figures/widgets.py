"""Interactive figures, defined once, shown two ways.

In JupyterLab an :class:`InteractiveFigure` is a live ipywidget: sliders drive the figure's
``update`` and the image is re-rendered. On the static website the same object renders to a
*precomputed* control: a labelled range input that switches between frames rendered at build
time over the main parameter. Both come out of one ``_repr_mimebundle_``; the book's
``nb_mime_priority_overrides`` picks the HTML, JupyterLab picks the widget.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import ipywidgets as W
import numpy as np
from matplotlib.figure import Figure

from actbook.figures.plotting import png_meta, tag_png

DPI = 96  # a redraw stays well under 50 ms and a frame around 30 kB


class Updatable(Protocol):
    fig: Figure
    caption: str

    def update(self, **params: Any) -> None: ...


@dataclass(frozen=True)
class Slider:
    """One numeric control: ``name`` is the keyword of ``update``; ``label`` is shown.

    ``continuous=False`` updates only when the slider is released: for figures that retrain
    a network per value. Integral ``min`` and ``step`` give an integer slider.
    """

    name: str
    label: str
    min: float
    max: float
    step: float
    value: float
    continuous: bool = True

    def frames(self, n: int) -> list[float]:
        """About ``n`` evenly spaced values from min to max, each on the slider's step grid
        (what the live slider can reach), with the default value among them.

        >>> Slider("T", "T", 0.05, 3.0, 0.05, 1.0).frames(9)[:4]
        [0.05, 0.4, 0.8, 1.0]
        """
        raw = np.linspace(self.min, self.max, n)
        on_grid = self.min + np.round((raw - self.min) / self.step) * self.step
        vals = set(np.round(np.clip(on_grid, self.min, self.max), 10).tolist()) | {self.value}
        return sorted(vals)

    def decode(self, v: float) -> Any:
        """The value ``update`` receives for the control's value ``v``."""
        return v

    def decimals(self) -> int:
        """Decimals that write every value of the step grid: 1 for 0.1, 2 for 0.25, 3 for 1/24.

        >>> [Slider("x", "x", 0, 1, s, 0).decimals() for s in (1, 0.1, 0.25, 1 / 24)]
        [0, 1, 2, 3]
        """
        for d in range(5):
            scaled = self.step * 10**d
            if (
                abs(scaled - round(scaled)) < 1e-9
                and abs(self.min * 10**d - round(self.min * 10**d)) < 1e-9
            ):
                return d
        return max(0, int(np.ceil(-np.log10(self.step)))) + 1

    def text(self, v: float) -> str:
        """The label of the value ``v``, rounded to the step: "T = 0.75", "lower = 0.125"."""
        return f"{self.label} = {v:.{self.decimals()}f}"

    def control(self) -> W.Widget:
        common = dict(description=self.label, continuous_update=self.continuous,
                      style={"description_width": "initial"})  # fmt: skip
        if float(self.step).is_integer() and float(self.min).is_integer():
            return W.IntSlider(value=int(self.value), min=int(self.min), max=int(self.max),
                               step=int(self.step), **common)  # fmt: skip
        return W.FloatSlider(value=self.value, min=self.min, max=self.max, step=self.step,
                             **common)  # fmt: skip


@dataclass(frozen=True)
class Choice(Slider):
    """A control over a list of ``options`` (any values: names, learning rates), shown by
    their ``labels``: a dropdown in JupyterLab, one labelled frame per option on the site.
    Its control value is the option's index; ``update`` receives the option itself.

    >>> act = Choice.of("activation", "activation", ["linear", "relu"], default="relu")
    >>> act.value, act.frames(9), act.decode(0), act.text(1)
    (1.0, [0.0, 1.0], 'linear', 'activation = relu')
    """

    options: tuple = ()
    labels: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        name: str,
        label: str,
        options: Sequence[Any],
        default: Any = None,
        labels: Sequence[str] | None = None,
    ) -> Choice:
        """A choice among ``options``; ``default`` (an option) starts selected."""
        options = tuple(options)
        if not options:
            raise ValueError("a choice needs at least one option")
        if labels is None:
            labels = [f"{o:g}" if isinstance(o, float) else str(o) for o in options]
        if len(labels) != len(options):
            raise ValueError("one label per option")
        index = options.index(default) if default is not None else 0
        return cls(name, label, 0.0, float(len(options) - 1), 1.0, float(index), False,
                   options, tuple(labels))  # fmt: skip

    def frames(self, n: int) -> list[float]:
        """One frame per option, whatever ``n``: a choice has no values in between."""
        return [float(i) for i in range(len(self.options))]

    def decode(self, v: float) -> Any:
        return self.options[int(round(v))]

    def text(self, v: float) -> str:
        return f"{self.label} = {self.labels[int(round(v))]}"

    def control(self) -> W.Widget:
        return W.Dropdown(options=[(lab, i) for i, lab in enumerate(self.labels)],
                          value=int(self.value), description=self.label,
                          style={"description_width": "initial"})  # fmt: skip


def render_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return tag_png(buf.getvalue(), png_meta(fig, dpi))


class InteractiveFigure:
    """A figure driven by sliders (live) or by a precomputed frame control (static site).

    Parameters
    ----------
    plot : an object with ``fig``, ``caption`` and ``update(**params)``
    sliders : the controls; the first is the *main* parameter of the static control
    alt : alt text describing the figure, completed with the caption of each frame
    n_frames : how many values of the main parameter the static control offers
    caption : the figure's caption, above its control: a page's one figure of an activation is
        both its static picture (the default frame) and its interactive one
    """

    def __init__(
        self,
        plot: Updatable,
        sliders: Sequence[Slider],
        alt: str,
        n_frames: int = 9,
        extra: Sequence[W.Widget] = (),
        caption: str = "",
    ) -> None:
        if not sliders:
            raise ValueError("an interactive figure needs at least one slider")
        self.plot = plot
        self.sliders = list(sliders)
        self.alt = alt
        self.n_frames = n_frames
        self.extra = list(extra)
        self.caption = caption
        self._widget: W.Widget | None = None
        self._controls: dict[str, W.FloatSlider] = {}
        self._image: W.Image | None = None
        make = getattr(plot, "blitter", None)
        self._blitter = make() if make is not None else None

    def png(self, level: int = 1) -> bytes:
        """The current frame: blitted when the plot offers it, else a full render. ``level``:
        zlib's, 1 for a slider's frame (fastest), 9 for a page's (smallest)."""
        if self._blitter is not None:
            return self._blitter.png(level)
        return render_png(self.plot.fig)

    # ------------------------------------------------------------ live widget
    def set(self, **params: float) -> None:
        """Apply new control values and refresh the live image (what a slider does).

        A :class:`Choice` takes the option's index, as its dropdown does.
        """
        controls = {s.name: s for s in self.sliders}
        self.plot.update(**{k: controls[k].decode(v) if k in controls else v
                            for k, v in params.items()})  # fmt: skip
        if self._image is not None:
            self._image.value = self.png()

    def widget(self) -> W.Widget:
        """The live ipywidget (built once)."""
        if self._widget is None:
            self._image = W.Image(value=self.png(), format="png")
            for s in self.sliders:
                c = s.control()
                c.observe(lambda ch, name=s.name: self.set(**{name: ch["new"]}), names="value")
                self._controls[s.name] = c
            below = [W.HTML(f"<p>{html.escape(self.caption)}</p>")] if self.caption else []
            self._widget = W.VBox([*self._controls.values(), *self.extra, self._image, *below])
        return self._widget

    @property
    def controls(self) -> dict[str, W.Widget]:
        """The live controls by name (the widget is built on first use): what tests and
        notebooks move, as a student's drag would."""
        self.widget()
        return self._controls

    @property
    def image(self) -> bytes:
        """The PNG the live widget shows now."""
        self.widget()
        return self._image.value

    # ------------------------------------------------------------ static control
    def static_html(self) -> str:
        """A self-contained HTML control: a labelled range input over precomputed frames.

        No script file, no network: the input's own handler shows one frame and hides the
        others. The figure is left at the main slider's default value afterwards.
        """
        main = self.sliders[0]
        values = main.frames(self.n_frames)
        imgs, labels = [], []
        for v in values:
            self.plot.update(**{main.name: main.decode(v)})
            data = base64.b64encode(self.png(level=9)).decode()
            label = main.text(v)
            labels.append(label)
            alt = html.escape(f"{self.alt} ({self.plot.caption}, {label})")
            hidden = "" if v == main.value else " hidden"
            # a frame is one image, or one per panel once the site has split it
            # (actbook.site.panels): the control shows and hides frames, not images
            imgs.append(
                f'<div class="actbook-frame"{hidden}>'
                f'<img src="data:image/png;base64,{data}" alt="{alt}"></div>'
            )
        self.plot.update(**{main.name: main.decode(main.value)})
        start = values.index(main.value)
        handler = (
            "const f=this.closest('figure');"
            "f.querySelectorAll('.actbook-frame').forEach((m,i)=>m.hidden=(i!=this.value));"
            "f.querySelector('output').textContent=JSON.parse(this.dataset.labels)[this.value];"
        )
        common = (
            f' aria-label="{html.escape(main.label)}"'
            f" data-labels='{html.escape(json.dumps(labels))}' oninput=\"{handler}\""
        )
        if isinstance(main, Choice):  # a categorical choice: a dropdown, not a range
            options = "".join(
                f'<option value="{i}"{" selected" if i == start else ""}>'
                f"{html.escape(main.labels[int(round(v))])}</option>"
                for i, v in enumerate(values)
            )
            control = f"<select{common}>{options}</select>"
        else:
            control = (
                f'<input type="range" min="0" max="{len(values) - 1}" step="1" value="{start}"'
                f"{common}>"
            )
        return (
            '<figure class="actbook-interactive">'
            + "".join(imgs)
            + "<figcaption>"
            + (
                f'<p class="actbook-caption">{html.escape(self.caption)}</p>'
                if self.caption
                else ""
            )
            + "<label>"
            + f'<span class="actbook-param">{html.escape(main.label)}</span> '
            + control
            + f" <output>{html.escape(labels[start])}</output></label>"
            + "</figcaption></figure>"
        )

    # ------------------------------------------------------------ both at once
    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle = dict(bundle)
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"<interactive figure: {self.plot.caption}>"
        return bundle


def activation_explorer(
    name: str,
    sliders: Sequence[Slider] = (),
    overlay: Sequence[str] = (),
    alt: str | None = None,
    zlim: tuple[float, float] = (-6.0, 6.0),
    caption: str = "",
    **fixed: float,
) -> InteractiveFigure:
    """The standard interactive figure of a catalog page: f and f' with a slider per parameter,
    plus a probe point z0 whose tangent shows the local gradient f'(z0).

    The first slider is the main control of the static site; a parameterless activation's
    main control is the probe.
    """
    from actbook.catalog.appearance import TITLES
    from actbook.figures.plotting import ActivationPlot

    params = {**fixed, **{s.name: s.value for s in sliders}}
    probe = Slider("probe", "z0", zlim[0], zlim[1], 0.25, 0.0)
    plot = ActivationPlot(name, params, overlay, zlim=zlim, probe=probe.value)
    plot.fit_limits({s.name: s.frames(9) for s in sliders})
    text = alt or f"{TITLES[name]} and its derivative"
    return InteractiveFigure(plot, [*sliders, probe], text, caption=caption)
