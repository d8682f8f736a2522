"""The section-VI debugging checks, and the experiments of claims.md they reproduce
(E1 vanishing gradients, E2 initialisation, E3/E4 dead ReLUs)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest

from actbook.lab import diagnostics
from actbook.lab.datasets import spirals
from actbook.lab.diagnostics import (
    activation_stats,
    activation_variance_through_depth,
    dead_fraction,
    dead_units,
    gradient_norms,
    gradient_ratio,
    vanishing_ratio,
)
from actbook.lab.nn import MLP


@pytest.fixture(scope="module")
def spiral():
    return spirals()


# ---------------------------------------------------------------- dead units


def _hand_made():
    """2 -> 3 -> 2 network on 4 points whose hidden units are (alive, dead, dead-for-relu
    but with pre-activation touching 0 once)."""
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    model = MLP([2, 3, 2], activation="relu")
    model.W[0][...] = [[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    model.b[0][...] = [0.0, -2.0, -1.0]
    return model, X


def test_dead_units_by_hand():
    model, X = _hand_made()
    # unit 0: z = x0 > 0 for the first point; unit 1: z = x0 - 2 < 0 always;
    # unit 2: z = x1 - 1 <= 0 always (= 0 at the second point: ReLU gives exactly 0 there)
    (mask,) = dead_units(model, X)
    assert mask.tolist() == [False, True, True]
    assert dead_fraction(model, X).tolist() == [pytest.approx(2 / 3)]


def test_dead_units_by_preactivation_for_leaky_relu():
    model, X = _hand_made()
    leaky = MLP([2, 3, 2], activation="leaky_relu")
    leaky.W, leaky.b = model.W, model.b
    # Leaky ReLU's output is exactly 0 only at z = 0, so no unit is dead by activation ...
    assert dead_units(leaky, X)[0].tolist() == [False, False, False]
    # ... but its units 1 and 2 sit on the negative side for every input all the same.
    assert dead_units(leaky, X, preactivation=True)[0].tolist() == [False, True, True]


def test_negative_bias_at_init_kills_units(spiral):
    X, _ = spiral
    assert dead_fraction(MLP([2, 64, 64, 3], bias=-3.0, seed=0), X).min() > 0.9
    assert dead_fraction(MLP([2, 64, 64, 3], bias=0.0, seed=0), X).max() < 0.2


@pytest.mark.parametrize(
    ("bias", "low", "high"), [(0.0, 0.0, 0.1), (-0.5, 0.4, 0.6), (-1.0, 0.65, 0.85)]
)
def test_e3_dead_fraction_at_init_grows_with_negative_bias(bias, low, high):
    """E3: 10 hidden layers x 100, He init, 1000 N(0, I) inputs (claims: 3.2 %, 51 %, 75 %)."""
    X = np.random.default_rng(0).standard_normal((1000, 100))
    fraction = dead_fraction(MLP([100] + [100] * 10 + [3], bias=bias, seed=0), X).mean()
    assert low <= fraction <= high


@pytest.mark.parametrize("seed", [0, 1])
def test_e4_high_learning_rate_kills_relu_units(spiral, seed):
    """E4: spiral, 3 hidden x 100, plain full-batch GD, 300 epochs. lr 3 first explodes the
    gradient (norm ~1e25), and the overshoot leaves most units dead; lr 0.1 keeps them."""
    X, y = spiral
    sizes = [2, 100, 100, 100, 3]
    hot = MLP(sizes, seed=seed)
    hot.fit(X, y, epochs=300, lr=3.0)
    cool = MLP(sizes, seed=seed)
    cool.fit(X, y, epochs=300, lr=0.1)
    assert dead_fraction(hot, X).max() > 0.5
    assert hot.accuracy(X, y) < 0.6
    assert dead_fraction(cool, X).max() < 0.2
    assert cool.accuracy(X, y) > 0.95


# ---------------------------------------------------------------- gradients


def test_gradient_norms_and_ratio(spiral):
    X, y = spiral
    model = MLP([2, 16, 16, 3], activation="tanh", seed=0)
    norms = gradient_norms(model, X, y)
    expected = [np.sqrt(np.sum(dW**2)) for dW, _ in model.backward(X, y)]
    np.testing.assert_allclose(norms, expected, rtol=1e-12)
    assert gradient_ratio(model, X, y) == pytest.approx(expected[0] / expected[-1], rel=1e-12)


def test_e1_sigmoid_gradient_vanishes_relu_does_not():
    sigmoid_10 = vanishing_ratio("sigmoid", 10)
    relu_10 = vanishing_ratio("relu", 10)
    assert sigmoid_10 < 1e-4
    assert 0.1 < relu_10 < 10
    assert 0.1 < vanishing_ratio("tanh", 10) < 10  # Xavier tanh does not vanish at init (C4)
    # Each extra sigmoid layer costs a factor of about 1/4: 10 more layers ~ 0.25**10.
    slope = vanishing_ratio("sigmoid", 20) / sigmoid_10
    assert 0.25**10 / 10 < slope < 0.25**10 * 10


def test_vanishing_ratio_flags_exploding_gradients():
    # tanh with std-1 weights (8x Xavier's): each layer amplifies the backward signal.
    assert vanishing_ratio("tanh", 10, init=1.0) > 100


# ---------------------------------------------------------------- activations


def test_activation_stats_relu_at_init(spiral):
    X, _ = spiral
    model = MLP([2, 64, 64, 3], seed=0)
    stats = activation_stats(model, X)
    _, A = model.trace(X)
    assert len(stats) == 2
    for s, a in zip(stats, A[1:-1], strict=True):
        assert s["min"] == 0.0 and s["max"] == pytest.approx(a.max())
        assert s["mean"] == pytest.approx(a.mean()) and s["std"] == pytest.approx(a.std())
        assert 0.3 < s["frac_zero"] < 0.7  # about half of the units fire (C25)
        assert np.isnan(s["frac_saturated"])  # ReLU has no upper bound to saturate at


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_activation_stats_saturation(spiral, activation):
    X, _ = spiral
    calm = activation_stats(MLP([2, 64, 3], activation, init="xavier", seed=0), X)
    hot = activation_stats(MLP([2, 64, 3], activation, init=50.0, seed=0), X)
    assert calm[0]["frac_saturated"] < 0.05
    assert hot[0]["frac_saturated"] > 0.5


def test_e2_he_keeps_relu_signal_xavier_shrinks_it():
    he = activation_variance_through_depth("relu", "he", depth=50, width=512, n=256)
    xavier = activation_variance_through_depth("relu", "xavier", depth=50, width=512, n=256)
    assert he.shape == xavier.shape == (50,)
    assert np.all((he > 0.1) & (he < 10))
    assert xavier[-1] / xavier[0] < 1e-10
    # the theory: Xavier (1/n for a square layer) halves E[h^2] at every ReLU layer
    assert np.median(xavier[1:] / xavier[:-1]) == pytest.approx(0.5, abs=0.05)


def test_module_doctests():
    result = doctest.testmod(diagnostics)
    assert result.attempted > 0 and result.failed == 0
