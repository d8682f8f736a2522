"""The interactive figures of the ELU, GELU, Swish and Mish pages, and the helpers behind
their demos (actbook.propagation, actbook.comparison)."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from actbook import numeric
from actbook.catalog import SLIDERS, explorer
from actbook.comparison import (
    high_precision,
    left_saturation_point,
    max_abs_difference,
    plot_curves,
    relative_error,
)
from actbook.propagation import moments_through_depth, plot_moments
from tests.figure_checks import assert_each_control_changes_image, assert_static_control_works

PAGES_2 = ["elu", "selu", "gelu", "gelu_tanh", "swish", "mish"]


# ----------------------------------------------------------------- interactive figures


@pytest.mark.parametrize("name", PAGES_2)
def test_every_live_slider_changes_the_image(name):
    fx = explorer(name)
    assert_each_control_changes_image(fx)
    assert list(fx._controls) == [s.name for s in SLIDERS[name]] + ["probe"]


@pytest.mark.parametrize("name", PAGES_2)
def test_static_control_has_distinct_labelled_frames(name):
    fx = explorer(name)
    html = fx.static_html()
    assert_static_control_works(html)
    main = fx.sliders[0]
    assert f'aria-label="{main.label}"' in html
    assert "http" not in html.replace("data:image/png", "")


def test_elu_alpha_slider_moves_the_left_branch():
    fx = explorer("elu")
    fx.widget()
    fx._controls["alpha"].value = 2.0
    z0, y0 = fx.plot.z[0], fx.plot.lines[0].get_ydata()[0]
    np.testing.assert_allclose(y0, 2.0 * np.expm1(z0))


def test_swish_beta_slider_moves_towards_relu():
    fx = explorer("swish")
    fx.widget()
    fx._controls["beta"].value = 10.0
    y = fx.plot.lines[0].get_ydata()
    assert np.max(np.abs(y - numeric.relu(fx.plot.z))) < 0.03  # W(1/e)/10 ~ 0.028


# ----------------------------------------------------------------- actbook.propagation


def test_selu_keeps_mean_zero_and_variance_one_through_depth():
    means, variances = moments_through_depth("selu", depth=30, width=128, n=400)
    assert means.shape == variances.shape == (30,)
    assert np.all(np.abs(means) < 0.1)
    assert np.all(np.abs(variances - 1) < 0.15)


def test_selu_fixed_point_attracts_and_elu_collapses():
    _, v_selu = moments_through_depth("selu", depth=30, width=128, n=400, input_std=0.3)
    assert v_selu[0] < 0.3 and abs(v_selu[-1] - 1) < 0.15
    m_elu, v_elu = moments_through_depth("elu", depth=30, width=128, n=400)
    assert m_elu[0] == pytest.approx(0.1605, abs=0.03)  # E[ELU(Z)] for Z ~ N(0, 1)
    assert v_elu[0] == pytest.approx(0.6192, abs=0.05)
    assert v_elu[-1] < 0.05  # no fixed point at variance 1


def test_moments_are_reproducible_and_validated():
    a = moments_through_depth("elu", depth=3, width=16, n=20, seed=1)
    b = moments_through_depth("elu", depth=3, width=16, n=20, seed=1)
    np.testing.assert_array_equal(a[1], b[1])
    with pytest.raises(ValueError):
        moments_through_depth("selu", depth=0)


def test_plot_moments_draws_one_line_per_run_and_the_target():
    runs = {"selu": (np.zeros(5), np.ones(5)), "elu": (np.ones(5), np.zeros(5))}
    fig = plot_moments(runs)
    ax_m, ax_v = fig.axes
    labels = [ln.get_label() for ln in ax_v.get_lines()]
    assert labels.count("SELU") == 1 and labels.count("ELU") == 1
    assert "fixed point" in labels


# ----------------------------------------------------------------- actbook.comparison


def test_max_abs_difference_finds_the_gelu_tanh_error():
    z = np.linspace(-10, 10, 200_001)
    err, at = max_abs_difference(numeric.gelu_tanh(z), numeric.gelu(z), z)
    assert err == pytest.approx(4.73e-4, rel=0.01)
    assert abs(abs(at) - 2.70) < 0.05
    assert max_abs_difference([0, 1, 5], [0, 2, 1], [7, 8, 9]) == (4.0, 9.0)


def test_high_precision_reference_and_relative_error():
    z = np.array([[-20.0, -1.0]])
    ref = high_precision(lambda x: x / 2 * mpmath.erfc(-x / mpmath.sqrt(2)), z)
    assert ref.shape == z.shape
    assert ref[0, 0] == pytest.approx(-5.507248237212467e-88, rel=1e-12)
    rel = relative_error(numeric.gelu(z), ref)
    assert np.all(rel < 1e-13)
    with pytest.raises(ValueError, match="undefined"):
        relative_error([1.0], [0.0])


def test_left_saturation_point():
    assert left_saturation_point("elu") == pytest.approx(np.log(0.01), abs=1e-3)
    assert left_saturation_point("elu", alpha=2.0) == pytest.approx(np.log(0.01), abs=1e-3)
    assert left_saturation_point("gelu") > left_saturation_point("swish")  # Phi dies faster
    with pytest.raises(ValueError, match="still above"):
        left_saturation_point("elu", zmin=-1.0)


def test_plot_curves_one_line_per_curve():
    z = np.linspace(1, 2, 5)
    fig = plot_curves(z, {"a": z, "b": z**2}, ylabel="err", logy=True)
    (ax,) = fig.axes
    assert [ln.get_label() for ln in ax.get_lines()][-2:] == ["a", "b"]
    assert ax.get_yscale() == "log"
