"""Axes a reader counts on: depth axes carry whole numbers only."""

from __future__ import annotations

import numpy as np

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
