"""The symbolic catalog: SymPy's derivative of every activation equals the text's form."""

import pytest
import sympy as sp

from actbook.catalog import symbolic
from actbook.catalog.symbolic import CATALOG, NAMES, z

CONTRACT = {"linear", "sigmoid", "tanh", "relu", "leaky_relu", "prelu", "rrelu", "elu", "selu",
            "gelu", "gelu_tanh", "swish", "mish", "softplus"}  # fmt: skip


def test_catalog_holds_every_elementwise_function_of_the_contract():
    assert set(NAMES) == CONTRACT


@pytest.mark.parametrize("name", NAMES)
def test_derivative_equals_textbook_form(name):
    assert symbolic.matches_textbook(name), f"{name}: SymPy's derivative != the text's form"


@pytest.mark.parametrize(
    "name, wrong",
    [
        ("sigmoid", lambda s: s),  # sigma where sigma' is meant
        ("tanh", lambda s: 1 - sp.tanh(z)),  # forgot the square
        ("elu", lambda s: sp.Piecewise((1, z > 0), (sp.exp(z), True))),  # alpha forgotten
    ],
)
def test_a_wrong_textbook_form_is_detected(name, wrong):
    assert not symbolic.is_zero(symbolic.derivative(name) - wrong(CATALOG[name].expr))


def test_piecewise_derivatives_take_the_left_branch_at_zero():
    for name in ("relu", "leaky_relu", "elu"):
        act = CATALOG[name]
        d = act.with_defaults(symbolic.derivative(name)).subs(z, 0)
        left = act.with_defaults(act.expr.args[1][0]).diff(z).subs(z, 0)
        assert d == left, name


def test_elu_derivative_is_elu_plus_alpha_on_the_left():
    elu = CATALOG["elu"].expr
    left_d = sp.diff(elu.args[1][0], z)
    assert sp.simplify(left_d - (elu.args[1][0] + symbolic.alpha)) == 0


@pytest.mark.parametrize("k", [2, 3, 4])
def test_softmax_jacobian_is_diag_minus_outer(k):
    diff = symbolic.softmax_jacobian(k) - symbolic.softmax_jacobian_textbook(k)
    assert diff.applyfunc(sp.simplify) == sp.zeros(k, k)


def test_softmax_jacobian_rows_sum_to_zero():
    jac = symbolic.softmax_jacobian(3)
    for i in range(3):
        assert sp.simplify(sum(jac.row(i))) == 0


def test_tanh_is_a_shifted_scaled_sigmoid():
    sig = CATALOG["sigmoid"].expr
    assert symbolic.is_zero(sp.tanh(z) - (2 * sig.subs(z, 2 * z) - 1))
