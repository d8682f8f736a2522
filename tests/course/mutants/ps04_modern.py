"""Wrong answers to ps04-modern, as students write them: name -> (what is wrong, source)."""

ASSIGNMENT = "ps04-modern"

MUTANTS = {
    "softplus_naive": (
        "naive softplus log(1 + exp(z)): overflows at 1000",
        """
def softplus(z):
    return np.log(1.0 + np.exp(np.asarray(z, dtype=float)))
""",
    ),
    "softplus_clipped_log": (
        "log(1 + exp(z)) with z clipped at 30: no overflow, but 0 instead of 4e-18 at z = -40",
        """
def softplus(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 30, z, np.log(1.0 + np.exp(np.minimum(z, 30.0))))
""",
    ),
    "softplus_grad_is_softplus": (
        "softplus where its derivative is asked",
        """
def softplus_grad(z):
    return softplus(z)
""",
    ),
    "softplus_grad_naive_sigmoid": (
        "1 / (1 + exp(-z)): overflows at z = -1000",
        """
def softplus_grad(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
""",
    ),
    "gelu_tanh_for_exact": (
        "GELU's tanh form where the exact one is asked",
        """
def gelu(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    zc = np.clip(zf, -10.0, 10.0)
    return 0.5 * zf * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (zc + 0.044715 * zc**3)))
""",
    ),
    "gelu_one_plus_erf": (
        "0.5 z (1 + erf(z / sqrt 2)): cancels to 0 for z << 0",
        """
def gelu(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return 0.5 * zf * (1.0 + erf(zf / np.sqrt(2.0)))
""",
    ),
    "gelu_neg_inf_nan": (
        "no care for -inf: -inf * 0 is nan (with an invalid-value warning)",
        """
def gelu(z):
    z = np.asarray(z, dtype=float)
    return 0.5 * z * erfc(-z / np.sqrt(2.0))
""",
    ),
    "gelu_grad_no_pdf_term": (
        "GELU'(z) = Phi(z): the product rule's z phi(z) forgotten",
        """
def gelu_grad(z):
    return 0.5 * erfc(-np.asarray(z, dtype=float) / np.sqrt(2.0))
""",
    ),
    "gelu_grad_square_overflows": (
        "exp(-z**2 / 2) without a clip: z**2 overflows at 1e308",
        """
def gelu_grad(z):
    z = np.asarray(z, dtype=float)
    pdf = np.exp(-(z**2) / 2.0) / np.sqrt(2.0 * np.pi)
    return 0.5 * erfc(-z / np.sqrt(2.0)) + np.where(np.isinf(z), 0.0, z) * pdf
""",
    ),
    "gelu_tanh_cube_overflows": (
        "z**3 without a clip: overflows at 1e308",
        """
def gelu_tanh(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return 0.5 * zf * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (zf + 0.044715 * zf**3)))
""",
    ),
    "gelu_tanh_wrong_constant": (
        "0.0447 instead of 0.044715",
        """
def gelu_tanh(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    zc = np.clip(zf, -10.0, 10.0)
    return 0.5 * zf * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (zc + 0.0447 * zc**3)))
""",
    ),
    "gelu_tanh_grad_chain_rule_forgotten": (
        "the derivative of the inner cubic forgotten (the chain rule stops at tanh)",
        """
def gelu_tanh_grad(z):
    z = np.asarray(z, dtype=float)
    zc = np.clip(z, -10.0, 10.0)
    t = np.tanh(np.sqrt(2.0 / np.pi) * (zc + 0.044715 * zc**3))
    return 0.5 * (1.0 + t) + 0.5 * zc * (1.0 - t * t)
""",
    ),
    "swish_ignores_beta": (
        "swish ignoring beta: z sigmoid(z)",
        """
def swish(z, beta=1.0):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return zf * _sigmoid(zf)
""",
    ),
    "swish_naive_sigmoid": (
        "z / (1 + exp(-beta z)): overflows at z = -1000",
        """
def swish(z, beta=1.0):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return zf / (1.0 + np.exp(-beta * zf))
""",
    ),
    "swish_grad_beta_dropped": (
        "sigma(beta z) + z sigma'(beta z): the inner derivative beta dropped",
        """
def swish_grad(z, beta=1.0):
    z = np.asarray(z, dtype=float)
    u = beta * z
    e = np.exp(-np.abs(u))
    return _sigmoid(u) + np.where(np.isinf(z), 0.0, z) * e / (1.0 + e) ** 2
""",
    ),
    "swish_grad_nan_at_inf": (
        "no care for the tail at +-inf: inf * sigma'(inf) = inf * 0 is nan",
        """
def swish_grad(z, beta=1.0):
    u = beta * np.asarray(z, dtype=float)
    s = _sigmoid(u)
    return s + u * s * (1.0 - s)
""",
    ),
    "mish_log_one_plus_exp": (
        "mish via log(1 + exp(z)): exp overflows at 1000",
        """
def mish(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return zf * np.tanh(np.log(1.0 + np.exp(zf)))
""",
    ),
    "mish_neg_inf_nan": (
        "no care for -inf: -inf * tanh(0) is nan",
        """
def mish(z):
    z = np.asarray(z, dtype=float)
    return z * np.tanh(softplus(z))
""",
    ),
    "mish_grad_no_tail": (
        "mish'(z) = tanh(softplus(z)): the product rule's second term forgotten",
        """
def mish_grad(z):
    return np.tanh(softplus(np.asarray(z, dtype=float)))
""",
    ),
    "mish_grad_cosh": (
        "sech^2 as 1 / cosh^2: cosh(1000) overflows",
        """
def mish_grad(z):
    z = np.asarray(z, dtype=float)
    sp = softplus(z)
    tail = np.where(np.isinf(z), 0.0, z) / np.cosh(sp) ** 2 * softplus_grad(z)
    return np.tanh(sp) + tail
""",
    ),
}


# ------------------------------------------------------- one per input class of the battery
# Each mutant below passes the visible tests and is killed by the input class KILLED_BY names
# (src/actbook/course/battery.py); tests/course/test_mutations.py checks both.

BATTERY_MUTANTS = {
    "softplus_threshold_20": (
        "returns z itself beyond z = 20, where log1p(exp(-z)) is still 2e-9",
        "float-range",
        """
def softplus(z):
    z = np.asarray(z, dtype=float)
    return np.where(z > 20, z, np.log1p(np.exp(np.minimum(z, 20.0))))
""",
    ),
    "gelu_tanh_one_plus_tanh": (
        "0.5 z (1 + tanh(u)): the sum cancels for z < -5 and is 0 from z = -10",
        "float-range",
        """
def gelu_tanh(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    zc = np.clip(zf, -10.0, 10.0)
    return 0.5 * zf * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (zc + 0.044715 * zc**3)))
""",
    ),
    "gelu_inv_sqrt2_truncated": (
        "1/sqrt(2) written 0.70710678: a constant truncated to 8 digits",
        "float-range",
        """
def gelu(z):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return 0.5 * zf * erfc(-zf * 0.70710678)
""",
    ),
    "swish_beta_overflow_warns": (
        "beta * z without errstate: beta = 2 at 1e308 overflows with a warning",
        "parameters",
        """
def swish(z, beta=1.0):
    z = np.asarray(z, dtype=float)
    zf = np.where(np.isneginf(z), 0.0, z)
    return zf * _sigmoid(beta * zf)
""",
    ),
}
MUTANTS.update({name: (why, source) for name, (why, _, source) in BATTERY_MUTANTS.items()})
KILLED_BY = {name: cls for name, (_, cls, _) in BATTERY_MUTANTS.items()}
