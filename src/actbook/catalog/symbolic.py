"""The symbolic catalog: every activation of the course once, as a SymPy expression in ``z``.

Each :class:`Activation` holds the definition, its parameters with their default values,
and the *textbook* form of its derivative as the course text writes it (σ' = σ(1 − σ),
tanh' = 1 − tanh², ELU' = ELU + α for z ≤ 0, ...). Chapters derive the derivative with
:func:`derivative` and show that it equals :attr:`Activation.textbook_derivative` with
:func:`matches_textbook`; tests check every entry the same way.

>>> sp.simplify(derivative("sigmoid") - CATALOG["sigmoid"].textbook_derivative) == 0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

z = sp.Symbol("z", real=True)
m = sp.Symbol("m", real=True)
alpha = sp.Symbol("alpha", positive=True)
beta = sp.Symbol("beta", positive=True)
lower = sp.Symbol("lower", positive=True)
upper = sp.Symbol("upper", positive=True)

SELU_ALPHA = sp.Float("1.6732632423543772848170429916717", 40)
SELU_SCALE = sp.Float("1.0507009873554804934193349852946", 40)


def _sigmoid(x: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-x))


def _softplus(x: sp.Expr) -> sp.Expr:
    return sp.log(1 + sp.exp(x))


def _two_piece(pos: sp.Expr, neg: sp.Expr) -> sp.Piecewise:
    """``pos`` for z > 0 and ``neg`` for z <= 0: the text's convention puts 0 on the left."""
    return sp.Piecewise((pos, z > 0), (neg, True))


@dataclass(frozen=True)
class Activation:
    """One activation: its definition, parameters and the text's form of its derivative."""

    name: str
    expr: sp.Expr
    textbook_derivative: sp.Expr
    params: dict[sp.Symbol, float] = field(default_factory=dict)
    latex_name: str = "f"

    def with_defaults(self, expr: sp.Expr | None = None) -> sp.Expr:
        """``expr`` (default: the definition) with every parameter at its default value."""
        e = self.expr if expr is None else expr
        return e.subs({s: sp.nsimplify(v) for s, v in self.params.items()})

    def numeric(self, **values: float):
        """A NumPy function of z (mpmath-free) with parameters set by name, e.g. ``alpha=0.2``."""
        subs = {s: values.get(s.name, v) for s, v in self.params.items()}
        return sp.lambdify(z, self.expr.subs(subs), modules=["scipy", "numpy"])


def _sigma_z() -> sp.Expr:
    return _sigmoid(z)


_S = _sigma_z()
_ELU = _two_piece(z, alpha * (sp.exp(z) - 1))
_GELU_C = sp.Rational(44715, 10**6)
_T = sp.tanh(sp.sqrt(2 / sp.pi) * (z + _GELU_C * z**3))

CATALOG: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("linear", m * z, m, {m: 1.0}),
        Activation("sigmoid", _S, _S * (1 - _S), latex_name=r"\sigma"),
        Activation("tanh", sp.tanh(z), 1 - sp.tanh(z) ** 2, latex_name=r"\tanh"),
        Activation("relu", _two_piece(z, 0), _two_piece(1, 0), latex_name=r"\mathrm{ReLU}"),
        Activation(
            "leaky_relu",
            _two_piece(z, alpha * z),
            _two_piece(1, alpha),
            {alpha: 0.01},
            r"\mathrm{LeakyReLU}",
        ),
        Activation(
            "prelu",
            _two_piece(z, alpha * z),
            _two_piece(1, alpha),
            {alpha: 0.25},
            r"\mathrm{PReLU}",
        ),
        Activation(
            "rrelu",
            _two_piece(z, (lower + upper) / 2 * z),
            _two_piece(1, (lower + upper) / 2),
            {lower: 1 / 8, upper: 1 / 3},
            r"\mathrm{RReLU}",
        ),
        Activation(
            "elu",
            _ELU,
            # The text: ELU'(z) = 1 for z > 0, ELU(z) + alpha for z <= 0.
            _two_piece(1, _ELU.args[1][0] + alpha),
            {alpha: 1.0},
            r"\mathrm{ELU}",
        ),
        Activation(
            "selu",
            SELU_SCALE * _ELU.subs(alpha, SELU_ALPHA),
            SELU_SCALE * _two_piece(1, SELU_ALPHA * sp.exp(z)),
            latex_name=r"\mathrm{SELU}",
        ),
        Activation(
            "gelu",
            z / 2 * (1 + sp.erf(z / sp.sqrt(2))),
            # Phi(z) + z phi(z)
            (1 + sp.erf(z / sp.sqrt(2))) / 2 + z * sp.exp(-(z**2) / 2) / sp.sqrt(2 * sp.pi),
            latex_name=r"\mathrm{GELU}",
        ),
        Activation(
            "gelu_tanh",
            z / 2 * (1 + _T),
            # (1 + t)/2 + z/2 (1 - t^2) u'(z), t = tanh(u(z)), u = sqrt(2/pi)(z + c z^3)
            (1 + _T) / 2 + z / 2 * (1 - _T**2) * sp.sqrt(2 / sp.pi) * (1 + 3 * _GELU_C * z**2),
            latex_name=r"\mathrm{GELU}_{\tanh}",
        ),
        Activation(
            "swish",
            z * _sigmoid(beta * z),
            # beta f(z) + sigma(beta z)(1 - beta f(z))
            beta * z * _sigmoid(beta * z)
            + _sigmoid(beta * z) * (1 - beta * z * _sigmoid(beta * z)),
            {beta: 1.0},
            r"\mathrm{Swish}",
        ),
        Activation(
            "mish",
            z * sp.tanh(_softplus(z)),
            sp.tanh(_softplus(z)) + z * (1 - sp.tanh(_softplus(z)) ** 2) * _S,
            latex_name=r"\mathrm{Mish}",
        ),
        Activation(
            "softplus",
            _softplus(z),
            _S,
            latex_name=r"\mathrm{softplus}",
        ),
    ]
}

#: Names of every element-wise activation, in the order the course presents them.
NAMES: tuple[str, ...] = tuple(CATALOG)


def derivative(name: str) -> sp.Expr:
    """SymPy's derivative of the definition of ``name`` (piecewise branches kept)."""
    return sp.diff(CATALOG[name].expr, z)


def is_zero(expr: sp.Expr) -> bool:
    """True when ``expr`` simplifies to 0; piecewise expressions are checked branch by branch."""
    expr = sp.piecewise_fold(expr)
    if isinstance(expr, sp.Piecewise):
        return all(is_zero(piece) for piece, _ in expr.args)
    # Rewritten in exponentials, tanh/sigmoid forms cancel fast (~10 ms); plain simplify is
    # the slower fallback for what the rewrite cannot cancel (erf forms).
    if sp.simplify(expr.rewrite(sp.exp)) == 0:
        return True
    return sp.simplify(expr) == 0


def matches_textbook(name: str) -> bool:
    """True when SymPy's derivative equals the text's form of the derivative."""
    return is_zero(derivative(name) - CATALOG[name].textbook_derivative)


# ---------------------------------------------------------------- softmax (vector-valued)


def softmax_symbols(k: int) -> tuple[sp.Matrix, sp.Matrix]:
    """The logits ``(z_1, ..., z_k)`` and the softmax vector ``s`` as SymPy column matrices."""
    zs = sp.Matrix(sp.symbols(f"z_1:{k + 1}", real=True))
    denom = sum(sp.exp(zi) for zi in zs)
    return zs, sp.Matrix([sp.exp(zi) / denom for zi in zs])


def softmax_jacobian(k: int) -> sp.Matrix:
    """The Jacobian ``ds_i / dz_j`` derived by SymPy from the definition."""
    zs, s = softmax_symbols(k)
    return s.jacobian(zs)


def softmax_jacobian_textbook(k: int) -> sp.Matrix:
    """The text's form ``s_i (delta_ij - s_j)``, i.e. ``diag(s) - s s^T``."""
    _, s = softmax_symbols(k)
    return sp.diag(*s) - s * s.T
