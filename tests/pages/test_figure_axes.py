"""What a reader counts on in a figure: whole-number depth axes, legends that tell lines apart,
and a figure drawn as an image, never printed as text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from actbook.pages import foundations


def test_a_shallow_gradient_flow_frame_has_integer_layer_ticks():
    plot = foundations.GradientFlowPlot(depth=2, width=8)
    plot.fig.canvas.draw()
    lo, hi = plot.ax.get_xlim()
    ticks = [t for t in plot.ax.get_xticks() if lo <= t <= hi]
    assert ticks and np.allclose(ticks, np.round(ticks)), ticks


def test_two_runs_of_one_activation_are_told_apart_in_the_legend():
    """A loss plot of "ReLU" and "ReLU + clipping (1)" shares the activation's colour; the
    line style must then differ, or the legend cannot say which curve is which."""
    from actbook.pages import debugging

    runs = {
        label: {"loss": np.linspace(1.0, 0.1, 5), "diverged": False}
        for label in ("ReLU", "ELU", "ReLU + clipping (1)")
    }
    ax = debugging.plot_losses(runs).axes[0]
    looks = [(h.get_color(), h.get_linestyle()) for h in ax.get_legend().legend_handles]
    assert len(set(looks)) == len(looks), looks


_FIGURE_PAGES = sorted(
    p.stem
    for p in (Path(__file__).parents[2] / "src/actbook/pages").glob("*.py")
    if "-> Figure" in p.read_text()
)
_SHOWS_PNG = """
from IPython.testing.globalipapp import start_ipython
from matplotlib.figure import Figure
ip = start_ipython()
ip.run_cell("import actbook.pages.{name}")
print(ip.display_formatter.formatters["image/png"].type_printers.get(Figure) is not None)
"""


@pytest.mark.slow  # a fresh interpreter per module, a few seconds each
@pytest.mark.parametrize("name", _FIGURE_PAGES)
def test_a_page_module_that_draws_figures_shows_them_as_images(name):
    """A chapter cell that returns a page module's Figure shows a PNG, not the text
    "<Figure size 1000x640 with 1 Axes>": importing the module alone registers the display
    (a fresh interpreter, as in a notebook whose only import is that module)."""
    out = subprocess.run(
        [sys.executable, "-c", _SHOWS_PNG.format(name=name)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert out.strip().endswith("True"), out
