"""Chapters I and II: the linearity trap, decision boundaries, gradient pathologies, and
the interactive figures behind them (every control must change the figure)."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from matplotlib.figure import Figure

from actbook.figures.widgets import Choice, InteractiveFigure, Slider
from actbook.lab.datasets import spirals
from actbook.lab.diagnostics import dead_units
from actbook.lab.nn import MLP
from actbook.pages import foundations
from actbook.pages.fundamentals import NeuronPlot, network_diagram, neuron_diagram
from tests.figure_checks import assert_each_control_changes_image, frames_of

# ---------------------------------------------------------------- the linearity trap


def test_three_linear_layers_collapse_symbolically():
    sizes = [4, 5, 3, 2]
    x = sp.MatrixSymbol("x", sizes[0], 1)
    W = [sp.MatrixSymbol(f"W{l}", sizes[l], sizes[l - 1]) for l in (1, 2, 3)]
    b = [sp.MatrixSymbol(f"b{l}", sizes[l], 1) for l in (1, 2, 3)]
    net = W[2] @ (W[1] @ (W[0] @ x + b[0]) + b[1]) + b[2]
    W_prime = W[2] @ W[1] @ W[0]
    b_prime = W[2] @ W[1] @ b[0] + W[2] @ b[1] + b[2]
    assert sp.expand(net - (W_prime @ x + b_prime)) == sp.ZeroMatrix(2, 1)
    # and a wrong b' (one term missing) is caught
    assert sp.expand(net - (W_prime @ x + W[2] @ b[1] + b[2])) != sp.ZeroMatrix(2, 1)


def test_three_linear_layers_collapse_entrywise():
    def m(name, r, c):
        return sp.Matrix(r, c, lambda i, j: sp.Symbol(f"{name}{i}{j}"))

    x, Ws = m("x", 2, 1), [m("u", 3, 2), m("v", 2, 3), m("w", 1, 2)]
    bs = [m("c", 3, 1), m("d", 2, 1), m("e", 1, 1)]
    net = Ws[2] * (Ws[1] * (Ws[0] * x + bs[0]) + bs[1]) + bs[2]
    collapsed = Ws[2] * Ws[1] * Ws[0] * x + Ws[2] * Ws[1] * bs[0] + Ws[2] * bs[1] + bs[2]
    assert sp.expand(net - collapsed) == sp.zeros(1, 1)


def test_a_nonlinear_stack_breaks_the_midpoint_rule():
    rng = np.random.default_rng(0)
    Ws = [rng.standard_normal((5, 4)), rng.standard_normal((3, 5)), rng.standard_normal((2, 3))]
    X, Y = rng.standard_normal((4, 200)), rng.standard_normal((4, 200))

    def net(A, f):
        return Ws[2] @ f(Ws[1] @ f(Ws[0] @ A))

    def gap(f):
        return np.max(np.abs(net((X + Y) / 2, f) - (net(X, f) + net(Y, f)) / 2))

    assert gap(lambda a: a) < 1e-12
    assert gap(np.tanh) > 0.1
    assert gap(lambda a: np.maximum(a, 0.0)) > 0.1


# ---------------------------------------------------------------- choice controls


def test_choice_shows_labels_and_maps_indices_to_options():
    c = Choice.of("lr", "learning rate", (0.1, 1.0, 3.0), default=1.0)
    assert (c.min, c.max, c.step, c.value) == (0.0, 2.0, 1.0, 1.0)
    assert [c.text(v) for v in c.frames(9)] == [f"learning rate = {x}" for x in ("0.1", "1", "3")]
    assert c.decode(2) == 3.0
    with pytest.raises(ValueError, match="one label per option"):
        Choice.of("a", "a", ("x", "y"), labels=["only one"])
    with pytest.raises(ValueError, match="at least one option"):
        Choice.of("a", "a", ())


class _Recorder:
    """A minimal plot that records what update() receives."""

    def __init__(self) -> None:
        self.fig = Figure(figsize=(2, 2))
        self.ax = self.fig.add_subplot()
        (self.line,) = self.ax.plot([0, 1], [0, 0])
        self.seen: list[dict] = []
        self.caption = "recorder"

    def update(self, **params) -> None:
        self.seen.append(params)
        self.line.set_ydata([0, 1.0 if params.get("name") == "b" else 0.0])


def test_choice_figure_passes_option_values_and_labels_static_frames():
    plot = _Recorder()
    fig = InteractiveFigure(plot, [Choice.of("name", "name", ("a", "b"))], "alt")
    html = fig.static_html()
    assert {"name": "a"} in plot.seen and {"name": "b"} in plot.seen
    assert "<output>name = a</output>" in html
    assert len(frames_of(html)) == 2 and len(set(frames_of(html))) == 2
    w = fig.widget()
    assert type(w.children[0]).__name__ == "Dropdown"
    fig.controls["name"].value = 1
    assert plot.seen[-1] == {"name": "b"}


def test_integer_sliders_become_int_sliders():
    fig = InteractiveFigure(_Recorder(), [Slider("k", "k", 1, 5, 1, 2)], "alt")
    assert type(fig.widget().children[0]).__name__ == "IntSlider"


# ---------------------------------------------------------------- chapter I diagrams


def test_diagrams_are_figures_with_the_texts_notation():
    texts = [t.get_text() for t in neuron_diagram().axes[0].texts]
    assert "$x_1$" in texts and "$f$" in texts and "$a$" in texts
    labels = [t.get_text() for t in network_diagram((3, 4, 2)).axes[0].texts]
    assert "$a^{[1]}_{4}$" in labels and "$a^{[2]}_{2}$" in labels


def test_neuron_plot_gate_is_the_line_z_equals_zero():
    p = NeuronPlot(w1=1.0, w2=0.0, b=-1.0, activation="relu")
    xs, _ = p.gate.get_data()
    np.testing.assert_allclose(xs, 1.0)  # x1 + 0 x2 - 1 = 0
    a = p.image.get_array()
    assert np.all(a[p.x1 < 1.0 - 1e-9] == 0.0) and np.all(a[p.x1 > 1.0 + 1e-9] > 0.0)


def test_neuron_widget_every_control_changes_the_figure():
    fig = InteractiveFigure(
        NeuronPlot(),
        [
            Choice.of("activation", "activation", ("linear", "sigmoid", "tanh", "relu"), "relu"),
            Slider("w1", "w1", -3, 3, 0.1, 1.0),
            Slider("w2", "w2", -3, 3, 0.1, 1.0),
            Slider("b", "b", -5, 5, 0.1, 0.0),
        ],
        "alt",
    )
    frames = frames_of(fig.static_html())
    assert len(frames) == 4 and len(set(frames)) == 4
    assert_each_control_changes_image(fig, {"activation": 1, "w1": -2.0, "w2": 0.5, "b": 2.0})


# ---------------------------------------------------------------- decision boundaries


def test_linear_network_stays_linear_and_nonlinear_ones_fit_the_spirals():
    assert foundations.train_boundary_run("spirals", "linear").accuracy[-1] < 0.6
    for act in ("sigmoid", "tanh", "relu"):
        assert foundations.train_boundary_run("spirals", act).accuracy[-1] > 0.9, act


def test_training_is_cached_and_snapshots_reload_the_weights():
    run = foundations.train_boundary_run("xor", "tanh", width=4, depth=1, epochs=60)
    assert foundations.train_boundary_run("xor", "tanh", width=4, depth=1, epochs=60) is run
    assert sorted(run.snapshots) == [0, 25, 50, 60]
    X, y = foundations.toy_data("xor")
    # the snapshot at 50 epochs reproduces the loss recorded before update 51
    assert run.model(50).loss(X, y) == pytest.approx(run.loss[50], rel=1e-12)
    assert run.model(37).loss(X, y) == pytest.approx(run.loss[25], rel=1e-12)


def test_boundary_explorer_every_control_changes_the_figure():
    fig = foundations.boundary_explorer()
    frames = frames_of(fig.static_html())
    assert len(frames) == 4 and len(set(frames)) == 4  # one per activation
    assert "<output>activation = ReLU</output>" in fig.static_html()
    assert_each_control_changes_image(
        fig, {"epochs": 100, "activation": 2, "dataset": 2, "width": 1, "depth": 2}
    )
    assert "hidden 4 × 4" in fig.plot.title.get_text()


def test_boundary_grid_has_a_panel_per_dataset_and_activation():
    fig = foundations.boundary_grid(names=("xor",), activations=("linear", "relu"))
    assert len(fig.axes) == 2
    assert fig.axes[0].get_title().startswith("Linear: acc")


# ---------------------------------------------------------------- vanishing and exploding


def test_sigmoid_vanishes_by_about_a_quarter_per_layer_and_tanh_relu_do_not():
    def ratio(act, depth):
        n = foundations.layer_gradient_norms(act, depth)
        return n[0] / n[-1]

    slope = ratio("sigmoid", 20) / ratio("sigmoid", 10)
    assert 0.25**10 / 30 < slope < 0.25**10 * 30
    assert ratio("tanh", 20) > 0.1
    assert ratio("relu", 20) > 0.05


def test_tanh_vanishes_through_saturation():
    X, y = foundations.probe_batch(64)
    ratios = []
    for bias in (0.0, 2.0):
        net = foundations.deep_net("tanh", 10, bias=bias)
        net.backward(X, y)
        n = net.gradient_norms()
        ratios.append(n[0] / n[-1])
    assert ratios[0] > 0.1 and ratios[1] < 1e-4


def test_gain_scales_every_weight():
    base, scaled = foundations.deep_net("relu", 3), foundations.deep_net("relu", 3, gain=2.0)
    for a, b in zip(base.W, scaled.W, strict=True):
        np.testing.assert_allclose(b, 2 * a)


def test_gradient_flow_explorer_every_control_changes_the_figure():
    fig = foundations.gradient_flow_explorer(width=16)  # narrow: the controls are under test
    frames = frames_of(fig.static_html())
    assert len(frames) >= 8 and len(set(frames)) == len(frames)
    assert_each_control_changes_image(fig, {"depth": 4, "gain": 2.0})
    assert len(fig.plot.lines["relu"].get_xdata()) == 5


def test_clipping_rescues_the_exploding_network():
    plain, clipped = foundations.train_deep(2.0, None), foundations.train_deep(2.0, 1.0)
    assert plain.get("diverged") and len(plain["loss"]) < 20
    assert not clipped.get("diverged") and clipped["accuracy"][-1] > 0.8


def test_norms_by_gain_grow_with_the_scale():
    fig = foundations.norms_by_gain_figure(gains=(1.0, 2.0), depth=4)
    lo, hi = (line.get_ydata() for line in fig.axes[0].get_lines())
    assert np.all(hi > 10 * lo)


# ---------------------------------------------------------------- dying ReLU


def test_high_learning_rate_kills_relu_units():
    slow = foundations.dying_run(0.1, width=64)
    fast = foundations.dying_run(3.0, width=64)
    assert slow["final_dead"] < 0.15 and slow["accuracy_final"] > 0.9
    assert fast["final_dead"] > 0.9 and fast["accuracy_final"] < 0.5
    assert fast["dead"].shape == (len(fast["epochs_counted"]), 3)


def test_dead_relu_units_get_exactly_zero_gradient_and_leaky_ones_do_not():
    X, y = spirals()
    for act, dead_grad_is_zero in (("relu", True), ("leaky_relu", False)):
        net = MLP([2, 50, 50, 3], act, bias=-1.0, seed=0)
        masks = dead_units(net, X, preactivation=True)
        grads = net.backward(X, y)
        assert masks[1].any()
        g = np.abs(grads[1][0][:, masks[1]]).max()
        assert (g == 0.0) == dead_grad_is_zero, act


def test_he_and_xavier_kill_the_same_units_at_zero_bias():
    X = np.random.default_rng(0).standard_normal((300, 50))
    he = dead_units(MLP([50] + [50] * 6 + [3], "relu", init="he", seed=3), X)
    xavier = dead_units(MLP([50] + [50] * 6 + [3], "relu", init="xavier", seed=3), X)
    assert any(m.any() for m in he)  # there is something to compare
    for a, b in zip(he, xavier, strict=True):
        np.testing.assert_array_equal(a, b)


def test_dying_explorer_every_control_changes_the_figure():
    fig = foundations.dying_explorer(width=16, epochs=40)  # small: the controls are under test
    frames = frames_of(fig.static_html())
    assert len(frames) == 6 and len(set(frames)) == 6  # one per learning rate
    assert "<output>learning rate = 0.1</output>" in fig.static_html()
    assert_each_control_changes_image(fig, {"lr": 5, "bias": 2, "activation": 1})
    assert fig.plot.params == {"lr": 3.0, "bias": -1.0, "activation": "leaky_relu"}
