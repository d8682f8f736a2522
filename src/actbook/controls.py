"""Interactive figures whose parameters include choices: an activation, a dataset, a
learning rate from a fixed list.

:class:`~actbook.widgets.InteractiveFigure` drives a figure with float sliders. A
:class:`Choice` is a slider over the *index* of a list of options that shows the option's
label instead of the index: a dropdown in JupyterLab, and "activation = relu" (not
"activation = 3") on the static site's precomputed control, one frame per option.
:class:`ChoiceFigure` translates indices into option values before the plot sees them, so
the plot's ``update`` receives ``activation="relu"`` or ``lr=0.3``.

>>> act = Choice.of("activation", "activation", ["linear", "relu"], default="relu")
>>> act.value, [f"{v:g}" for v in act.frames(9)]
(1.0, ['linear', 'relu'])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ipywidgets as W

from .plotting import Blitter
from .widgets import InteractiveFigure, Slider, Updatable


class _Option(float):
    """An option's index that formats as the option's label (the static control writes
    ``f"{label} = {v:g}"``, so the label appears where the index would)."""

    label: str

    def __new__(cls, index: int, label: str) -> _Option:
        obj = super().__new__(cls, index)
        obj.label = label
        return obj

    def __format__(self, spec: str) -> str:
        return self.label


@dataclass(frozen=True)
class Choice(Slider):
    """A slider over ``options`` (any values), labelled by ``labels``."""

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
        labels = (
            tuple(labels)
            if labels is not None
            else tuple(f"{o:g}" if isinstance(o, float) else str(o) for o in options)
        )
        if len(labels) != len(options):
            raise ValueError("one label per option")
        index = options.index(default) if default is not None else 0
        return cls(name, label, 0.0, float(len(options) - 1), 1.0, float(index), options, labels)

    def frames(self, n: int) -> list[float]:
        """One frame per option, whatever ``n``: a choice has no values in between."""
        return [_Option(i, lab) for i, lab in enumerate(self.labels)]

    def option(self, index: float) -> Any:
        return self.options[int(round(index))]


class _OptionPlot:
    """The plot seen through the controls: option indices become option values."""

    def __init__(self, plot: Updatable, choices: dict[str, Choice]) -> None:
        self.inner = plot
        self.choices = choices
        self.fig = plot.fig

    @property
    def caption(self) -> str:
        return self.inner.caption

    def update(self, **params: Any) -> None:
        for name, choice in self.choices.items():
            if name in params:
                params[name] = choice.option(params[name])
        self.inner.update(**params)

    def blitter(self) -> Blitter | None:
        make = getattr(self.inner, "blitter", None)
        return make() if make is not None else None


class ChoiceFigure(InteractiveFigure):
    """An :class:`InteractiveFigure` whose :class:`Choice` controls are dropdowns (live) and
    labelled frames (static site); plain sliders with integer steps become integer sliders.

    ``figure.set(lr=1)`` takes option *indices*, as the controls do.
    """

    def __init__(self, plot: Updatable, sliders: Sequence[Slider], alt: str, **kw: Any) -> None:
        choices = {s.name: s for s in sliders if isinstance(s, Choice)}
        super().__init__(_OptionPlot(plot, choices), sliders, alt, **kw)

    def widget(self) -> W.Widget:
        if self._widget is None:
            self._image = W.Image(value=self.png(), format="png")
            style = {"description_width": "initial"}
            for s in self.sliders:
                if isinstance(s, Choice):
                    c = W.Dropdown(
                        options=[(lab, i) for i, lab in enumerate(s.labels)],
                        value=int(s.value),
                        description=s.label,
                        style=style,
                    )
                elif float(s.step).is_integer() and float(s.min).is_integer():
                    c = W.IntSlider(
                        value=int(s.value),
                        min=int(s.min),
                        max=int(s.max),
                        step=int(s.step),
                        description=s.label,
                        continuous_update=False,  # each value retrains: only on release
                        style=style,
                    )
                else:
                    c = W.FloatSlider(
                        value=s.value,
                        min=s.min,
                        max=s.max,
                        step=s.step,
                        description=s.label,
                        continuous_update=False,
                        style=style,
                    )
                c.observe(lambda ch, name=s.name: self.set(**{name: ch["new"]}), names="value")
                self._controls[s.name] = c
            self._widget = W.VBox([*self._controls.values(), *self.extra, self._image])
        return self._widget
