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
