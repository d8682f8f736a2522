"""The battery of input classes: one table, written into the hidden tests as literals that
cannot drift, covering every class the contract promises for every graded function."""

from __future__ import annotations

import ast
import json
import warnings

import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.course import battery, checks

NAMES = [g.name for g in battery.FUNCTIONS]


def graded_functions(aid: str) -> set[str]:
    """The public functions that the solution cells of an instructor notebook define."""
    nb = json.loads(battery.notebook_path(aid).read_text())
    names = set()
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            tree = ast.parse("".join(cell["source"]))
            names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return {n for n in names if not n.startswith("_")}


def test_the_literals_in_the_notebooks_are_what_the_generator_computes_now():
    assert not list(battery.stale()), "run: python -m actbook.course.battery"


def test_a_literal_is_stale_when_it_changed_not_when_a_cpu_rounded_its_last_bits():
    old = "np.array([-0.00024670114095756604, 1e+210]), rtol=1e-13"
    cpu = "np.array([-0.00024670114095757254, 1.0000000000000001e+210]), rtol=1e-13"
    assert battery.same_up_to_rounding(old, cpu)  # two machines' BLAS and pow
    assert not battery.same_up_to_rounding(old, old.replace("0.00024670114095756604", "0.0002467"))
    assert not battery.same_up_to_rounding(old, old.replace("1e+210", "1e+210, 0.0"))
    assert not battery.same_up_to_rounding(old, old.replace("rtol", "atol"))


@pytest.mark.parametrize(
    "aid",
    ["ps01-classic", "ps02-softmax", "ps03-relu-family", "ps04-modern", "ps05-gradients"],
)
def test_every_graded_function_of_ps01_to_ps05_is_in_the_battery(aid):
    assert graded_functions(aid)
    assert graded_functions(aid) <= set(NAMES), graded_functions(aid) - set(NAMES)


@pytest.mark.parametrize("kind", sorted(battery.KINDS))
def test_each_kind_says_why_every_class_it_leaves_out_does_not_apply(kind):
    classes, why = battery.KINDS[kind]
    assert classes <= set(battery.CLASSES)
    generic = set(battery.GENERIC) | {"python-scalars", "parameters"}
    left_out = generic - classes - ({"unchanged"} if kind not in battery.NO_ARRAYS else set())
    assert left_out, kind
    assert not [c for c in left_out if c not in why], why
    assert any(g.kind == kind for g in battery.FUNCTIONS)


@pytest.mark.parametrize("name", NAMES)
def test_each_function_is_checked_on_every_class_its_contract_promises(name):
    g = next(g for g in battery.FUNCTIONS if g.name == name)
    missing = battery.required_classes(g) - battery.covered_classes(g)
    assert not missing, missing
    assert battery.covered_classes(g) <= set(battery.CLASSES)


def test_every_class_of_the_table_is_used():
    used = set().union(*(battery.covered_classes(g) for g in battery.FUNCTIONS))
    assert used == set(battery.CLASSES)


@pytest.mark.parametrize("name", NAMES)
def test_the_hidden_block_calls_no_library_and_rebuilds_its_inputs_exactly(name):
    g = next(g for g in battery.FUNCTIONS if g.name == name)
    block = battery.block(g)
    assert "import actbook" not in block and "actbook." not in block.replace(battery.MARKER, "")
    ns: dict = {"np": np, "nan": np.nan, "inf": np.inf}
    cases = eval(block.split(f"expect_battery({name}, ", 1)[1].rsplit("], rtol", 1)[0] + "]", ns)  # noqa: S307
    assert len(cases) == len(g.cases())
    for case, (cls, args, *_rest) in zip(g.cases(), cases, strict=True):
        assert cls == case.cls
        for mine, theirs in zip(case.args, args, strict=True):
            if isinstance(mine, np.ndarray):
                assert theirs.dtype == mine.dtype and theirs.shape == mine.shape
                np.testing.assert_array_equal(theirs, mine)


def test_the_dense_range_covers_every_band():
    z = battery.float_range()
    mags = np.abs(z[z != 0])
    assert mags.min() <= 1e-300 and mags.max() >= 1e308
    assert np.sum((mags > 6) & (mags < 40)) >= 60  # where stable forms switch branch
    assert np.all(np.diff(z) > 0)


def test_a_case_tolerance_follows_the_condition_number():
    g = next(g for g in battery.FUNCTIONS if g.name == "gelu")
    case = battery.Case("float-range", (np.array([-33.0, -1.0, 2.0]),))
    tol = battery.tolerance(g, case, battery.expected(g, case))
    assert tol[0] > 100 * battery.RTOL  # z Phi(z) at -33 moves 1089 times as fast as z
    assert tol[2] <= 2 * battery.RTOL


# ---------------------------------------------------------------- the check and its messages


def _sigmoid_truncated(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + 2.718281828 ** (-np.clip(z, -700, 700)))


def _cases(name):
    g = next(g for g in battery.FUNCTIONS if g.name == name)
    return [
        (
            c.cls,
            c.args,
            c.kwargs,
            battery.expected(g, c),
            battery.tolerance(g, c, battery.expected(g, c)),
        )
        for c in g.cases()
    ]


def _in_float64(f):
    """A catalog function under the exercises' dtype rule (the catalog keeps float32)."""
    return lambda z, *a, **k: f(np.asarray(z, dtype=float), *a, **k)


def test_the_reference_passes_its_own_battery():
    checks.expect_battery(_in_float64(numeric.sigmoid), _cases("sigmoid"))


def test_a_truncated_constant_fails_with_where_and_by_how_much():
    with pytest.raises(AssertionError) as e:
        checks.expect_battery(_sigmoid_truncated, _cases("sigmoid"))
    msg = str(e.value)
    assert "input classes:" in msg and "float-range" in msg
    assert "at z =" in msg and "relative error" in msg and "allowed 1e-13" in msg


def test_a_modified_input_is_reported_as_such():
    def relu_in_place(z):
        z = np.asarray(z, dtype=float)
        z[z < 0] = 0.0
        return z

    with pytest.raises(AssertionError, match="input classes: unchanged.*modified its input"):
        checks.expect_battery(relu_in_place, _cases("relu"))


def test_float32_must_come_back_as_float64():
    with pytest.raises(
        AssertionError, match="float32.*expected a float64 result, got dtype float32"
    ):
        checks.expect_battery(lambda z: np.tanh(np.asarray(z) * 1.0), _cases("tanh"))


def test_the_random_case_is_checked_between_bounds():
    cases = [c for c in _cases("rrelu") if isinstance(c[3], tuple)]
    assert cases
    checks.expect_battery(_in_float64(numeric.rrelu), cases)
    with pytest.raises(AssertionError, match="between"):
        checks.expect_battery(lambda z, **kw: numeric.rrelu(z, 0.5, 0.5, **kw), cases)


def test_no_case_of_the_reference_warns():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for g in battery.FUNCTIONS:
            for case in g.cases():
                battery.expected(g, case)


# ---------------------------------------------------------------- results that are not arrays


def _ps05(name):
    return next(g for g in battery.FUNCTIONS if g.name == name)


def _ps05_cases(name):
    g = _ps05(name)
    out = []
    for c in g.cases():
        value = battery.expected(g, c)
        tol = battery.tolerance(g, c, value)
        args = tuple(battery._materialise(a) if isinstance(a, battery.Rng | battery.Fn) else a
                     for a in c.args)  # fmt: skip
        out.append((c.cls, args, c.kwargs, value, *(tol if isinstance(tol, tuple) else ())))
    return out


@pytest.mark.parametrize("name", [g.name for g in battery.FUNCTIONS if g.kind])
def test_each_ps05_reference_passes_its_own_battery(name):
    checks.expect_battery(_ps05(name).reference, _ps05_cases(name))


def test_a_dict_result_must_have_the_keys_and_float64_values():
    grads = _ps05("two_layer_grads").reference

    def no_b2(*a):
        return {k: v for k, v in grads(*a).items() if k != "b2"}

    with pytest.raises(AssertionError, match="expected a dict with keys"):
        checks.expect_battery(no_b2, _ps05_cases("two_layer_grads"))

    def b1_wrong(*a):
        return {**grads(*a), "b1": 2 * grads(*a)["b1"]}

    with pytest.raises(AssertionError, match=r"\['b1'\].*relative error"):
        checks.expect_battery(b1_wrong, _ps05_cases("two_layer_grads"))


def test_a_count_must_be_an_integer():
    count = _ps05("count_dead_units").reference
    with pytest.raises(AssertionError, match="expected an integer, got float"):
        checks.expect_battery(lambda *a: float(count(*a)), _ps05_cases("count_dead_units"))


def test_a_tuple_result_and_the_stated_error():
    init = _ps05("init_layer").reference
    with pytest.raises(AssertionError, match="expected a tuple of 2"):
        checks.expect_battery(lambda *a: init(*a)[0], _ps05_cases("init_layer"))

    def lenient(n_in, n_out, scheme, rng):
        return init(n_in, n_out, "he" if scheme not in ("he", "xavier") else scheme, rng)

    with pytest.raises(AssertionError, match="input classes: invalid.*should raise ValueError"):
        checks.expect_battery(lenient, _ps05_cases("init_layer"))


def test_a_modified_dict_argument_is_reported():
    loss = _ps05("two_layer_loss").reference

    def scales_in_place(params, X, y):
        value = loss(params, X, y)
        if isinstance(params["W2"], np.ndarray) and params["W2"].dtype == float:
            params["W2"] *= 1.0 + 1e-9
        return value

    with pytest.raises(AssertionError, match="input classes: unchanged"):
        checks.expect_battery(scales_in_place, _ps05_cases("two_layer_loss"))
