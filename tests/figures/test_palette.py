"""One colour and line style per activation on every figure, from the catalog."""

from __future__ import annotations

import pytest

from actbook.catalog.appearance import COLORS, STYLES, TITLES, activation_of
from actbook.figures import explorers
from actbook.figures.plotting import gallery, line_styles, palette, plot_activation, plot_curves


def test_every_activation_has_a_colour_and_a_style():
    assert set(COLORS) == set(TITLES) == set(STYLES)
    pairs = {(COLORS[n], STYLES[n]) for n in TITLES}
    assert len(pairs) == len(TITLES), "two activations would look the same"


def _wrong(fig) -> dict:
    return {n: cs for n, cs in palette(fig).items() if cs != [COLORS[n]]}


@pytest.mark.parametrize("name", sorted(explorers.OVERLAY))
def test_each_catalog_figure_draws_activations_in_their_colours(name):
    params = {s.name: s.value for s in explorers.SLIDERS[name]}
    fig = plot_activation(name, overlay=explorers.OVERLAY[name], **params)
    drawn = palette(fig)
    assert name in drawn and set(explorers.OVERLAY[name]) <= set(drawn)
    assert not _wrong(fig)


def test_the_gallery_and_curve_plots_use_the_palette():
    names = ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish", "mish"]
    fig = gallery(names)
    assert set(palette(fig)) == set(names) and not _wrong(fig)
    import numpy as np

    z = np.linspace(-1, 1, 5)
    fig = plot_curves(z, {"lr = 0.1": z, "ReLU": z, "Tanh": z}, "y")
    assert set(palette(fig)) == {"relu", "tanh"} and not _wrong(fig)


def test_the_check_catches_an_activation_in_a_foreign_colour():
    """Not blind: ReLU drawn in tanh's colour is reported."""
    import numpy as np

    fig = plot_curves(np.arange(3), {"ReLU": np.arange(3)}, "y")
    (relu,) = [ln for ln in fig.axes[0].get_lines() if ln.get_label() == "ReLU"]
    relu.set_color(COLORS["tanh"])
    assert COLORS["tanh"] in _wrong(fig)["relu"]


def test_labels_name_activations_and_other_lines_avoid_their_colours():
    assert activation_of("Leaky ReLU (α = 0.1)") == "leaky_relu"
    looks = line_styles(["ReLU", "lr = 0.1", "lr = 1"])
    assert looks[0]["color"] == COLORS["relu"]
    assert COLORS["relu"] not in {looks[1]["color"].lower(), looks[2]["color"].lower()}


def test_the_gradient_flow_figure_draws_sigmoid_s_bound_in_sigmoid_s_colour():
    from actbook.pages.foundations import GradientFlowPlot

    plot = GradientFlowPlot(depth=3, width=8)
    plot.update(depth=3, gain=1.0)
    for name, colours in palette(plot.fig).items():
        assert colours == [COLORS[name].lower()], (name, colours)
