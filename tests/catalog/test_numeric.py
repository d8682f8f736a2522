"""The numeric references: agree with SymPy, with finite differences, and never warn."""

import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.catalog.symbolic import CATALOG

NAMES = list(numeric.ELEMENTWISE)
GRID = np.linspace(-8, 8, 161)
EXTREMES = np.array([-1e308, -1000.0, -40.0, -1.0, -0.0, 0.0, 1.0, 40.0, 1000.0, 1e308])
PARAMS = {"prelu": {"alpha": 0.25}}  # prelu's slope has no default


def fg(name, **extra):
    f, g = numeric.ELEMENTWISE[name]
    kw = {**PARAMS.get(name, {}), **extra}
    return (lambda x: f(x, **kw)), (lambda x: g(x, **kw))


@pytest.mark.parametrize("name", NAMES)
def test_agrees_with_the_symbolic_definition(name):
    f, _ = fg(name)
    act = CATALOG[name]
    values = {s.name: v for s, v in act.params.items()}
    values.update(PARAMS.get(name, {}))
    ref = act.numeric(**values)
    np.testing.assert_allclose(f(GRID), ref(GRID), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", NAMES)
def test_grad_agrees_with_central_differences(name):
    f, g = fg(name)
    zs = GRID[np.abs(GRID) > 1e-3]  # away from the kink of the piecewise functions
    h = 1e-6
    fd = (f(zs + h) - f(zs - h)) / (2 * h)
    np.testing.assert_allclose(g(zs), fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", NAMES)
def test_no_warning_and_finite_at_extremes(name):
    f, g = fg(name)
    for func in (f, g):
        out = func(EXTREMES)  # pytest turns RuntimeWarning into an error
        assert not np.any(np.isnan(out)), f"{name}: nan at a finite input"


@pytest.mark.parametrize("name", NAMES)
def test_infinities_give_the_limits_and_nan_propagates(name):
    f, g = fg(name)
    big = f(np.array([-1e300, 1e300]))
    out = f(np.array([-np.inf, np.inf]))
    # The value at +-inf is the limit, which the value at +-1e300 approaches.
    assert np.array_equal(np.sign(out), np.sign(big)), (name, out, big)
    assert not np.any(np.isnan(out)), (name, out)
    assert not np.any(np.isnan(g(np.array([-np.inf, np.inf])))), name
    assert np.isnan(f(np.nan)) and np.isnan(g(np.nan)), name


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("shape", [(), (0,), (5,), (2, 3), (2, 3, 4)])
def test_shapes_dtype_and_input_unchanged(name, shape):
    f, g = fg(name)
    z = np.linspace(-3, 3, int(np.prod(shape))).reshape(shape)
    before = z.copy()
    for func in (f, g):
        out = func(z)
        assert np.shape(out) == shape
        assert np.asarray(out).dtype == np.float64
    np.testing.assert_array_equal(z, before)


@pytest.mark.parametrize("name", NAMES)
def test_scalars_ints_and_float32(name):
    f, g = fg(name)
    assert np.shape(f(2)) == () and np.asarray(f(2)).dtype == np.float64
    assert np.asarray(f(np.array([1, -2]))).dtype == np.float64
    assert np.asarray(g(np.array([1.0, -2.0], dtype=np.float32))).dtype == np.float32


def test_reference_values():
    np.testing.assert_allclose(numeric.sigmoid_grad(3.0), 0.0451766597309121, rtol=1e-12)
    np.testing.assert_allclose(numeric.elu(-1.0), -0.6321205588285577, rtol=1e-12)
    np.testing.assert_allclose(numeric.selu(-50.0), -1.7580993408473766, rtol=1e-12)
    np.testing.assert_allclose(numeric.mish_grad(0.0), 0.6, rtol=1e-12)
    np.testing.assert_allclose(numeric.gelu(-20.0), -5.507248237212467e-88, rtol=1e-9)
    np.testing.assert_allclose(numeric.sigmoid_grad(40.0), 4.248354255291589e-18, rtol=1e-12)


def test_tanh_is_two_sigmoid_of_twice_minus_one():
    np.testing.assert_allclose(numeric.tanh(GRID), 2 * numeric.sigmoid(2 * GRID) - 1, atol=1e-15)


def test_softmax_rows_sum_to_one_and_shift_invariance():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 5)) * 10
    s = numeric.softmax(z)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-15)
    np.testing.assert_allclose(numeric.softmax(z + 123.4), s, rtol=1e-12)
    np.testing.assert_allclose(numeric.softmax(z, axis=0).sum(axis=0), 1.0, rtol=1e-15)
    np.testing.assert_allclose(numeric.log_softmax(z), np.log(s), rtol=1e-12)


def test_softmax_extremes():
    np.testing.assert_array_equal(numeric.softmax([1000.0, 1000.0]), [0.5, 0.5])
    np.testing.assert_array_equal(numeric.softmax([-1000.0, -1000.0]), [0.5, 0.5])
    assert numeric.log_softmax([0.0, -1e308])[1] == -1e308
    assert np.isnan(numeric.softmax([np.nan, 1.0])).all()
    # +inf takes the limit (PyTorch's nan is inf - inf), shared by several +inf
    np.testing.assert_array_equal(numeric.softmax([np.inf, 1.0]), [1.0, 0.0])
    np.testing.assert_array_equal(numeric.softmax([np.inf, np.inf, 0.0]), [0.5, 0.5, 0.0])
    np.testing.assert_array_equal(numeric.log_softmax([np.inf, 1.0]), [0.0, -np.inf])
    assert np.isnan(numeric.softmax([np.inf, np.nan])).all()
    with pytest.raises(ValueError, match="scalar"):
        numeric.softmax(1.0)


def test_softmax_of_two_logits_is_sigmoid_of_difference():
    a, b = 0.7, -0.4
    np.testing.assert_allclose(numeric.softmax([a, b])[0], numeric.sigmoid(a - b), rtol=1e-15)


def test_softmax_jacobian_matches_finite_differences_and_is_symmetric():
    z = np.array([0.3, -1.2, 2.0, 0.1])
    jac = numeric.softmax_jacobian(z)
    h = 1e-6
    fd = np.stack(
        [(numeric.softmax(z + h * e) - numeric.softmax(z - h * e)) / (2 * h) for e in np.eye(4)],
        axis=1,
    )
    np.testing.assert_allclose(jac, fd, atol=1e-9)
    np.testing.assert_allclose(jac, jac.T)
    np.testing.assert_allclose(jac.sum(axis=1), 0, atol=1e-15)
    with pytest.raises(ValueError, match="1-D"):
        numeric.softmax_jacobian(np.zeros((2, 2)))


def test_elu_grad_is_elu_plus_alpha_on_the_left():
    z = np.linspace(-5, 0, 11)
    for a in (0.5, 1.0, 2.0):
        np.testing.assert_allclose(numeric.elu_grad(z, a), numeric.elu(z, a) + a, rtol=1e-12)


def test_rrelu_training_samples_slopes_and_grad_matches():
    z = -np.ones(10_000)
    out = numeric.rrelu(z, training=True, rng=1)
    assert 1 / 8 <= -out.max() and -out.min() <= 1 / 3
    assert abs(-out.mean() - (1 / 8 + 1 / 3) / 2) < 0.005
    np.testing.assert_array_equal(numeric.rrelu_grad(z, training=True, rng=1), -out)
    np.testing.assert_allclose(numeric.rrelu(-1.0), -11 / 48)
    with pytest.raises(ValueError, match="lower <= upper"):
        numeric.rrelu(z, lower=0.5, upper=0.1)


def test_parameters_are_used():
    np.testing.assert_allclose(numeric.leaky_relu(-2.0, alpha=1.5), -3.0)
    np.testing.assert_allclose(
        numeric.prelu(np.array([-1.0, -1.0]), np.array([0.1, 0.2])), [-0.1, -0.2]
    )
    np.testing.assert_allclose(numeric.swish(1.0, beta=2.0), 1 / (1 + np.exp(-2.0)))
    np.testing.assert_allclose(numeric.linear_grad(np.zeros(3), m=2.5), [2.5, 2.5, 2.5])


def test_a_row_holding_both_extremes_does_not_warn():
    # -1e308 - 1e308 overflows to -inf, whose exp is the true 0 (pytest: warnings are errors)
    np.testing.assert_array_equal(numeric.softmax([1e308, -1e308, 0.0]), [1.0, 0.0, 0.0])
    # the true -2e308 overflows: -inf is what comes back
    np.testing.assert_array_equal(numeric.log_softmax([1e308, -1e308]), [0.0, -np.inf])
    np.testing.assert_array_equal(numeric.softmax_jacobian([1e308, -1e308]), np.zeros((2, 2)))
    np.testing.assert_array_equal(numeric.cross_entropy_grad([1e308, -1e308], 1), [1.0, -1.0])


def test_where_the_true_result_overflows_inf_comes_back_silently():
    big = np.finfo(float).max
    assert numeric.linear(1e308, m=2.5) == np.inf
    assert numeric.leaky_relu(-1e308, alpha=2.0) == -np.inf
    assert numeric.prelu(-1e308, 2.0) == -np.inf
    assert numeric.rrelu(-big, 0.5, 3.0) == -np.inf
    assert numeric.selu(big) == np.inf
    # ELU does not overflow: alpha (exp(z) - 1) is -alpha there
    assert numeric.elu(-1e308, alpha=2.0) == -2.0
    # an intermediate overflows (beta z = inf) but the true result is a float
    assert numeric.swish(1e308, beta=2.0) == 1e308
    assert numeric.swish_grad(1e308, beta=2.0) == 1.0


def _mp_reference():
    import mpmath as mp

    mp.mp.dps = 40
    sig = lambda x: 1 / (1 + mp.exp(-x))  # noqa: E731
    c = mp.sqrt(2 / mp.pi)
    gt = lambda x: x * sig(2 * c * (x + mp.mpf("0.044715") * x**3))  # noqa: E731
    return mp, {
        "sigmoid_grad": (numeric.sigmoid_grad, lambda x: sig(x) * sig(-x)),
        "tanh_grad": (numeric.tanh_grad, lambda x: 1 / mp.cosh(x) ** 2),
        "softplus": (numeric.softplus, lambda x: mp.log(1 + mp.exp(x))),
        "gelu": (numeric.gelu, lambda x: x * mp.ncdf(x)),
        "gelu_grad": (numeric.gelu_grad, lambda x: mp.ncdf(x) + x * mp.npdf(x)),
        "gelu_tanh": (numeric.gelu_tanh, gt),
        "gelu_tanh_grad": (numeric.gelu_tanh_grad, lambda x: mp.diff(gt, x)),
        "mish": (numeric.mish, lambda x: x * mp.tanh(mp.log(1 + mp.exp(x)))),
        "log_softmax": (
            lambda x: numeric.log_softmax([x, 0.0])[0],
            lambda x: -mp.log(1 + mp.exp(-x)),
        ),
        "softmax_jacobian": (
            lambda x: numeric.softmax_jacobian([x, 0.0])[0, 0],
            lambda x: sig(x) * sig(-x),
        ),
        "cross_entropy_grad": (
            lambda x: numeric.cross_entropy_grad([x, 0.0], 0)[0],
            lambda x: -sig(-x),
        ),
    }


@pytest.mark.parametrize("name", list(_mp_reference()[1]))
def test_keeps_its_digits_where_naive_forms_lose_them(name):
    """Against 40-digit arithmetic, in the bands where 1 - sigma, 1 + erf, 1 + tanh or
    log(1 + tiny) round away: to rounding times the function's condition number."""
    mp, refs = _mp_reference()
    f, exact = refs[name]
    for x in (-30.0, -20.0, -12.5, -7.0, -5.5, -1.0, 0.5, 5.5, 7.0, 12.5, 20.0, 30.0, 40.0):
        want = exact(mp.mpf(x))
        if want == 0 or abs(want) < mp.mpf("1e-300"):
            continue
        cond = abs(mp.diff(exact, mp.mpf(x)) * x / want)
        got = float(f(x))
        err = abs((mp.mpf(got) - want) / want)
        assert err <= 4e-16 * (2 + cond), (name, x, got, float(want), float(err))


def test_float32_stays_float32_without_warning_on_the_battery():
    """The catalog keeps float32 (as PyTorch does; the exercises return float64 instead)."""
    from actbook.course import battery

    for g in battery.FUNCTIONS:
        if getattr(g.reference, "__module__", "") != numeric.__name__:
            continue
        for case in g.cases():
            if case.cls != "float32" or not isinstance(case.args[0], np.ndarray):
                continue
            with np.errstate(all="raise", under="ignore"):
                out = g.reference(*case.args, **case.kwargs)
            assert out.dtype == np.float32, (g.name, out.dtype)
            want = battery.expected(g, case)
            assert np.array_equal(np.isnan(out), np.isnan(want)), g.name
