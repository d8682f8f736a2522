"""The NumPy neural-network lab: toy data, the MLP's gradients, training and its safeguards."""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pytest

from actbook.catalog import numeric as nm
from actbook.lab import datasets, nn
from actbook.lab.datasets import circles, grid, spirals, xor
from actbook.lab.nn import ACTIVATIONS, MLP, gradient_check, init_weights, numerical_gradient

SMOOTH = ["linear", "sigmoid", "tanh", "elu", "gelu", "swish", "mish"]
KINKED = ["relu", "leaky_relu", "selu"]


# ---------------------------------------------------------------- datasets


@pytest.mark.parametrize(
    ("make", "n", "k"),
    [(spirals, 300, 3), (circles, 300, 2), (xor, 300, 2)],
)
def test_dataset_shapes_dtypes_and_seeding(make, n, k):
    X, y = make()
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.int64
    assert sorted(np.unique(y).tolist()) == list(range(k))
    X2, y2 = make()
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(seed=1)
    assert not np.allclose(X, X3), "a different seed must give different data"


def test_spirals_geometry():
    X, y = spirals(n_per_class=50, n_classes=4, noise=0.0)
    assert np.bincount(y).tolist() == [50] * 4
    r = np.hypot(X[:, 0], X[:, 1])
    # radius runs from 0 to 1 along each arm, whatever the angle noise
    np.testing.assert_allclose(r[y == 2], np.linspace(0, 1, 50), atol=1e-12)
    # without noise, the arm of class k starts at angle 4k: (sin t, cos t) at radius 1
    t_end = 4.0 * 2 + 4.0
    np.testing.assert_allclose(X[y == 2][-1], [np.sin(t_end), np.cos(t_end)], atol=1e-12)


def test_circles_radii():
    X, y = circles(n=301, noise=0.0, factor=0.3)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.bincount(y).tolist() == [150, 151]
    np.testing.assert_allclose(r[y == 0], 1.0)
    np.testing.assert_allclose(r[y == 1], 0.3)
    with pytest.raises(ValueError, match="factor"):
        circles(factor=1.5)


def test_xor_labels_follow_the_quadrants():
    X, y = xor(n=1000, noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))
    Xn, yn = xor(n=1000, noise=0.1)
    agree = np.mean(yn == (Xn[:, 0] * Xn[:, 1] < 0))
    assert 0.8 < agree < 1.0, "noise must move some points across an axis, but not most"


def test_grid_covers_the_data():
    X, _ = spirals()
    xx, yy, pts = grid(X, steps=50, margin=0.5)
    assert xx.shape == yy.shape == (50, 50) and pts.shape == (2500, 2)
    np.testing.assert_allclose(pts.min(axis=0), X.min(axis=0) - 0.5)
    np.testing.assert_allclose(pts.max(axis=0), X.max(axis=0) + 0.5)
    np.testing.assert_array_equal(pts[:, 0].reshape(xx.shape), xx)
    with pytest.raises(ValueError):
        grid(np.zeros((5, 3)))


def test_bad_counts_are_rejected():
    with pytest.raises(ValueError):
        spirals(n_per_class=0)


# ---------------------------------------------------------------- initialisation


def test_activation_table_uses_the_reference_functions():
    assert set(ACTIVATIONS) == {
        "linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "swish", "mish"
    }  # fmt: skip
    for name, (f, df) in ACTIVATIONS.items():
        assert f is getattr(nm, name) and df is getattr(nm, name + "_grad")


@pytest.mark.parametrize(
    ("scheme", "var"),
    [("he", 2 / 400), ("xavier", 2 / (400 + 600)), ("lecun", 1 / 400), (0.05, 0.05**2)],
)
def test_init_weight_variance(scheme, var):
    (W, b), _ = init_weights([400, 600, 3], scheme, seed=1)
    assert W.shape == (400, 600) and b.shape == (600,)
    assert abs(W.var() / var - 1) < 0.02  # 240 000 draws: the sampling error is ~0.3 %
    assert abs(W.mean()) < 0.01 * np.sqrt(var)


def test_init_bias_goes_to_hidden_layers_only_and_seed_is_reproducible():
    params = init_weights([2, 8, 8, 3], bias=-3.0, seed=5)
    assert [b.tolist() for _, b in params[:2]] == [[-3.0] * 8] * 2
    assert params[-1][1].tolist() == [0.0] * 3
    again = init_weights([2, 8, 8, 3], bias=-3.0, seed=5)
    other = init_weights([2, 8, 8, 3], bias=-3.0, seed=6)
    assert all(np.array_equal(W1, W2) for (W1, _), (W2, _) in zip(params, again, strict=True))
    assert not np.array_equal(params[0][0], other[0][0])
    with pytest.raises(ValueError, match="unknown init"):
        init_weights([2, 3], "glorot_typo")


# ---------------------------------------------------------------- gradients


def _small_problem(output: str, seed: int = 1):
    """15 spiral points and targets of the kind each output layer takes."""
    X, labels = spirals(n_per_class=5, seed=seed)
    rng = np.random.default_rng(seed)
    targets = {
        "softmax": (labels, 3),
        "sigmoid": ((labels == 1).astype(int), 1),  # binary, y of shape (N,)
        "multilabel": ((rng.random((15, 3)) < 0.5).astype(int), 3),
        "linear": (rng.standard_normal((15, 2)), 2),
    }
    y, k = targets[output]
    return X, y, k, ("sigmoid" if output == "multilabel" else output)


OUTPUT_CASES = ["softmax", "sigmoid", "multilabel", "linear"]


@pytest.mark.parametrize("output", OUTPUT_CASES)
@pytest.mark.parametrize("activation", SMOOTH)
def test_backward_matches_central_differences_smooth(activation, output):
    X, y, k, out = _small_problem(output)
    model = MLP([2, 5, 4, k], activation=activation, output=out, bias=0.1, seed=3)
    assert gradient_check(model, X, y) < 1e-6


@pytest.mark.parametrize("output", OUTPUT_CASES)
@pytest.mark.parametrize("activation", KINKED)
def test_backward_matches_central_differences_away_from_kinks(activation, output):
    X, y, k, out = _small_problem(output)
    model = MLP([2, 5, 4, k], activation=activation, output=out, bias=0.1, seed=3)
    Z, _ = model.trace(X)
    # The check is only meaningful if no pre-activation sits within eps = 1e-6 of the kink.
    assert min(np.abs(z).min() for z in Z[:-1]) > 1e-4
    assert gradient_check(model, X, y) < 1e-6


def test_gradient_check_catches_a_wrong_derivative():
    X, y, k, out = _small_problem("softmax")
    wrong = MLP([2, 5, 4, k], activation=(nm.tanh, nm.sigmoid_grad), bias=0.1, seed=3)
    assert gradient_check(wrong, X, y) > 1e-2


def test_numerical_gradient_restores_the_parameters():
    X, y, k, _ = _small_problem("softmax")
    model = MLP([2, 4, k], activation="tanh", seed=0)
    theta = model.param_vector()
    g = numerical_gradient(model, X, y)
    assert g.shape == theta.shape
    np.testing.assert_array_equal(model.param_vector(), theta)


def test_param_vector_round_trip():
    model = MLP([2, 4, 3], seed=0)
    theta = model.param_vector()
    assert theta.size == 2 * 4 + 4 + 4 * 3 + 3
    model.set_param_vector(np.arange(theta.size, dtype=float))
    assert model.W[0].ravel().tolist() == list(range(8))
    assert model.b[1].tolist() == [24.0, 25.0, 26.0]
    with pytest.raises(ValueError):
        model.set_param_vector(theta[:-1])


@pytest.mark.parametrize(
    ("output", "expected"),
    [("softmax", np.log(3)), ("sigmoid", np.log(2)), ("linear", None)],
)
def test_loss_at_zero_weights(output, expected):
    """With all parameters 0 the output is uniform (1/K or 1/2, or 0 for MSE)."""
    X, y, k, out = _small_problem("multilabel" if output == "sigmoid" else output)
    model = MLP([2, 4, k], output=out)
    model.set_param_vector(np.zeros(model.param_vector().size))
    if expected is None:
        expected = np.mean(np.asarray(y, dtype=float) ** 2)
    assert model.loss(X, y) == pytest.approx(expected, rel=1e-12)


def test_loss_is_finite_and_quiet_for_huge_logits():
    X, y, _, _ = _small_problem("softmax")
    model = MLP([2, 4, 3], init=1e4, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = model.loss(X, y)
    assert np.isfinite(loss) and loss > 100  # confidently wrong: large, but not inf


def test_targets_are_validated():
    X, y, _, _ = _small_problem("softmax")
    with pytest.raises(ValueError, match="labels"):
        MLP([2, 4, 2]).loss(X, y)  # label 2 does not exist with 2 outputs
    with pytest.raises(ValueError, match="integer"):
        MLP([2, 4, 3]).loss(X, y.astype(float))
    with pytest.raises(ValueError, match="shape"):
        MLP([3, 4, 3]).loss(X, y)


# ---------------------------------------------------------------- training


def test_relu_mlp_fits_spirals_and_a_linear_one_cannot():
    # Its speed is measured in benchmarks/, not here.
    X, y = spirals()
    model = MLP([2, 64, 64, 3], activation="relu", seed=0)
    history = model.fit(X, y, epochs=300, lr=1.0)
    assert model.accuracy(X, y) > 0.95
    assert len(history["loss"]) == 300 and history["loss"][-1] < 0.2 * history["loss"][0]

    linear = MLP([2, 64, 64, 3], activation="linear", seed=0)
    linear.fit(X, y, epochs=300, lr=0.1)
    assert linear.accuracy(X, y) < 0.6  # a deep linear net is one linear classifier (C1)


def test_fit_is_deterministic():
    X, y = spirals(n_per_class=30)
    runs = [MLP([2, 16, 3], seed=s).fit(X, y, epochs=50, lr=0.5)["loss"] for s in (4, 4, 5)]
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_sigmoid_output_learns_xor():
    X, y = xor()
    model = MLP([2, 16, 16, 1], activation="tanh", output="sigmoid", seed=0)
    model.fit(X, y, epochs=300, lr=1.0)
    pred = model.predict(X)
    assert pred.shape == (300,) and set(np.unique(pred)) <= {0, 1}
    assert model.accuracy(X, y) > 0.9


def test_linear_output_regression():
    x = np.linspace(-3, 3, 200)[:, None]
    y = np.sin(x[:, 0])
    model = MLP([1, 32, 32, 1], activation="tanh", init="xavier", output="linear", seed=0)
    history = model.fit(x, y, epochs=500, lr=0.1)
    assert history["loss"][-1] < 0.01 < history["loss"][0]
    assert np.isnan(history["accuracy"]).all()
    assert model.predict(x).shape == (200,)
    with pytest.raises(ValueError, match="classification"):
        model.accuracy(x, y)


def test_callback_can_stop_training():
    X, y = spirals()
    model = MLP([2, 64, 64, 3], seed=0)
    history = model.fit(
        X, y, epochs=300, lr=1.0, callback=lambda epoch, m, h: h["accuracy"][-1] >= 0.9
    )
    assert len(history["loss"]) < 300
    assert history["accuracy"][-1] >= 0.9 > max(history["accuracy"][:-1])


def test_clipping_bounds_the_global_gradient_norm():
    X, y = spirals()
    # std-3 weights on 5 layers: the gradient norm at initialisation is in the thousands
    model = MLP([2, 32, 32, 32, 32, 3], init=3.0, seed=0)
    model.backward(X, y)
    norm = model.global_grad_norm()
    assert norm > 100
    theta = model.param_vector()
    assert model.step(lr=0.5, clip=1.0) == pytest.approx(norm)
    moved = model.param_vector() - theta
    assert np.linalg.norm(moved) == pytest.approx(0.5 * 1.0, rel=1e-9)  # lr * clip
    direction = -np.concatenate([g.ravel() for pair in model.grads for g in pair])
    np.testing.assert_allclose(moved / np.linalg.norm(moved), direction / norm, atol=1e-12)

    unclipped = MLP([2, 32, 32, 32, 32, 3], init=3.0, seed=0)
    unclipped.backward(X, y)
    unclipped.step(lr=0.5)
    assert np.linalg.norm(unclipped.param_vector() - theta) == pytest.approx(0.5 * norm)

    history = MLP([2, 32, 32, 32, 32, 3], init=3.0, seed=0).fit(X, y, 20, lr=0.5, clip=1.0)
    assert not history["diverged"] and np.isfinite(history["loss"]).all()


def test_global_norm_does_not_overflow():
    model = MLP([2, 3], seed=0)
    model.grads = [(np.full((2, 3), 1e300), np.zeros(3))]
    assert model.global_grad_norm() == pytest.approx(np.sqrt(6) * 1e300)


def test_nan_loss_stops_fit_without_warnings():
    X, y = spirals()
    model = MLP([2, 64, 64, 3], activation="linear", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # independent of the pytest configuration
        history = model.fit(X, y, epochs=300, lr=1.0)
    assert history["diverged"]
    assert len(history["loss"]) < 300
    assert not np.isfinite(history["loss"][-1])
    assert np.isfinite(history["loss"][:-1]).all()
    assert np.isfinite(model.param_vector()).all(), "the non-finite step must not be applied"
    assert model.history is history


def test_step_refuses_a_non_finite_gradient():
    model = MLP([2, 3], seed=0)
    model.grads = [(np.full((2, 3), np.inf), np.zeros(3))]
    with pytest.raises(FloatingPointError):
        model.step(0.1)


def test_module_doctests():
    for module in (datasets, nn):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__
