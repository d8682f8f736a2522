"""The student helper checks.py: its reference markers match the catalog."""

from __future__ import annotations

import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.course import checks


def test_reference_points_cover_every_elementwise_activation_with_a_default():
    assert set(checks.REFERENCE_POINTS) == set(numeric.ELEMENTWISE) - {"prelu"}


@pytest.mark.parametrize("name", sorted(checks.REFERENCE_POINTS))
def test_reference_points_match_the_catalog_to_six_digits(name):
    f, g = numeric.ELEMENTWISE[name]
    z = np.array(checks.REFERENCE_Z)
    values, slopes = checks.REFERENCE_POINTS[name]
    np.testing.assert_allclose(values, f(z), rtol=5e-6, atol=1e-12)
    np.testing.assert_allclose(slopes, g(z), rtol=5e-6, atol=1e-12)


def test_a_wrong_reference_point_is_caught(monkeypatch):
    values, slopes = checks.REFERENCE_POINTS["sigmoid"]
    bad = (values[:4] + (0.51,) + values[5:], slopes)
    monkeypatch.setitem(checks.REFERENCE_POINTS, "sigmoid", bad)
    with pytest.raises(AssertionError):
        test_reference_points_match_the_catalog_to_six_digits("sigmoid")
