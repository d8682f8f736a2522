"""The student helper checks.py: its reference markers match the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.course import checks

ROOT = Path(__file__).resolve().parents[2]


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


def _cell(source: str, ns: dict) -> list[str] | None:
    """Run ``source`` as a notebook cell would (module code of ``__main__``); return the lines
    a student sees if it fails."""
    import linecache

    name = f"<cell {abs(hash(source))}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        exec(compile(source, name, "exec"), ns)
    except BaseException as e:  # noqa: BLE001
        return [
            re.sub(r"\x1b\[[0-9;]*m", "", s)
            for s in checks.short_traceback(type(e), e, e.__traceback__)
        ]
    return None


@pytest.fixture
def ns():
    return {"__name__": "__main__", "np": np, **{k: getattr(checks, k) for k in checks.__all__}}


def test_a_failing_check_shows_the_tests_line_and_the_message_only(ns):
    _cell("def sigmoid(z):\n    return np.asarray(z, dtype=float) * 0\n", ns)
    lines = _cell('x = 1\nexpect_close(call(sigmoid, 0.0), 0.5, "sigmoid(0)")\n', ns)
    assert lines == [
        'line 2: expect_close(call(sigmoid, 0.0), 0.5, "sigmoid(0)")',
        "Test failed: sigmoid(0): expected 0.5, got 0.0",
    ]


def test_an_unwritten_function_says_so_in_one_line(ns):
    _cell("def tanh(z):\n    # YOUR CODE HERE\n    raise NotImplementedError()\n", ns)
    lines = _cell('expect_close(call(tanh, 0.0), 0.0, "tanh(0)")\n', ns)
    assert len(lines) == 2 and lines[1].startswith("Test failed: `tanh` is not implemented yet")
    assert "floating-point" not in "\n".join(lines)
    direct = _cell("tanh(0.0)\n", ns)
    assert direct[-1] == "NotImplementedError: `tanh` is not implemented yet."


def test_a_test_run_before_its_function_says_which_cell_to_run(ns):
    lines = _cell('expect_close(call(relu, 0.0), 0.0, "relu(0)")\n', ns)
    assert lines[-1].startswith(
        "NameError: `relu` is not defined yet: run the cell that defines it"
    )
    assert "`def relu`" in lines[-1]


def test_the_summary_lists_each_graded_part_with_its_points(ns, tmp_path, capsys, monkeypatch):
    import json

    from IPython.core.interactiveshell import InteractiveShell

    nb = json.loads((ROOT / "exercises" / "ps01-classic" / "ps01-classic.ipynb").read_text())
    path = tmp_path / "ps01-classic.ipynb"
    path.write_text(json.dumps(nb))
    shell = InteractiveShell.instance()
    monkeypatch.setattr(shell, "user_ns", ns)
    _cell("def linear(z, m=1.0):\n    return m * np.asarray(z, dtype=float)\n", ns)
    grad = "def linear_grad(z, m=1.0):\n    return np.where(np.isnan(z), np.nan, m + 0.0 * z)\n"
    _cell(grad, ns)
    _cell("def sigmoid(z):\n    raise NotImplementedError()\n", ns)
    rows = {part: (points, result) for part, points, result in checks.summary_rows(path)}
    assert rows["test-linear"] == (2.0, "pass")
    assert rows["test-sigmoid"][1].startswith("FAIL: `sigmoid` is not implemented yet")
    assert rows["test-tanh"][1] == "not run: `tanh` is not defined yet"
    assert list(rows) == [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade")
    ]
    checks.summary(path)
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("Visible tests pass for 2 of 12 auto-graded points")
    assert len(out) <= 20
