"""Wrong answers to ps03-relu-family, as students write them: name -> (what is wrong, source)."""

ASSIGNMENT = "ps03-relu-family"

MUTANTS = {
    "relu_grad_one_at_zero": (
        "ReLU'(0) = 1 (z >= 0 instead of z > 0)",
        """
def relu_grad(z):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z >= 0, 1.0, 0.0))
""",
    ),
    "relu_grad_loses_nan": (
        "(z > 0).astype(float): nan becomes 0",
        """
def relu_grad(z):
    return (np.asarray(z) > 0).astype(float)
""",
    ),
    "relu_times_mask": (
        "z * (z > 0): -inf * 0 is nan (and an invalid-value warning)",
        """
def relu(z):
    z = np.asarray(z, dtype=float)
    return z * (z > 0)
""",
    ),
    "relu_loop": (
        "a Python loop with max(0, x): breaks on scalars and 2-D arrays, and max(0, nan) is 0",
        """
def relu(z):
    return np.array([max(0.0, x) for x in z], dtype=float)
""",
    ),
    "relu_int_dtype": (
        "np.maximum(z, 0) without a float conversion: int in, int out",
        """
def relu(z):
    return np.maximum(z, 0)
""",
    ),
    "leaky_alpha_wrong_side": (
        "alpha on the wrong side: alpha z for z > 0",
        """
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, alpha * z, z)
""",
    ),
    "leaky_hardcoded_alpha": (
        "0.01 written into the body: the alpha argument is ignored",
        """
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, 0.01 * z)
""",
    ),
    "leaky_max_form": (
        "max(z, alpha z): Leaky ReLU only when alpha < 1",
        """
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.maximum(z, alpha * z)
""",
    ),
    "leaky_grad_one_at_zero": (
        "LeakyReLU'(0) = 1",
        """
def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z >= 0, 1.0, alpha))
""",
    ),
    "leaky_grad_hardcoded_alpha": (
        "the derivative with alpha = 0.01 hard-coded",
        """
def leaky_relu_grad(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, 0.01))
""",
    ),
    "prelu_alpha_float": (
        "float(alpha): one slope only, per-channel slopes break",
        """
def prelu(z, alpha):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, float(alpha) * z)
""",
    ),
    "prelu_first_slope": (
        "broadcasting broken: the first channel's slope used for every channel",
        """
def prelu(z, alpha):
    z = np.asarray(z, dtype=float)
    a = np.ravel(alpha)[0]
    return np.where(z > 0, z, a * z)
""",
    ),
    "prelu_grad_alpha_everywhere": (
        "chain rule muddled: the mask times alpha, so the slope is alpha for z > 0 and 0 below",
        """
def prelu_grad(z, alpha):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, 0.0) * np.asarray(alpha, dtype=float)
""",
    ),
    "rrelu_training_fixed_slope": (
        "training ignored: the mean slope is used in training too",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, (lower + upper) / 2 * z)
""",
    ),
    "rrelu_training_one_draw": (
        "one random slope for the whole array instead of one per element",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    slope = np.random.default_rng(rng).uniform(lower, upper) if training else (lower + upper) / 2
    return np.where(z > 0, z, slope * z)
""",
    ),
    "rrelu_eval_lower": (
        "evaluation uses the lower bound instead of the mean slope",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    slope = np.random.default_rng(rng).uniform(lower, upper, size=z.shape) if training else lower
    return np.where(z > 0, z, slope * z)
""",
    ),
    "rrelu_grad_ignores_training": (
        "rrelu_grad always returns the evaluation slope",
        """
def rrelu_grad(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, (lower + upper) / 2))
""",
    ),
    "elu_alpha_forgotten": (
        "ELU's alpha forgotten: exp(z) - 1 for z <= 0",
        """
def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, np.expm1(np.minimum(z, 0.0)))
""",
    ),
    "elu_where_overflow": (
        "np.where(z > 0, z, alpha * (exp(z) - 1)): exp(1000) overflows in the unused branch",
        """
def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * (np.exp(z) - 1.0))
""",
    ),
    "elu_exp_minus_one": (
        "exp(z) - 1 instead of expm1: no digits left for tiny z",
        """
def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0.0)) - 1.0))
""",
    ),
    "elu_grad_alpha_forgotten": (
        "exp(z) for z <= 0 instead of alpha exp(z)",
        """
def elu_grad(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, np.exp(np.minimum(z, 0.0))))
""",
    ),
    "elu_grad_plus_one": (
        "ELU'(z) = ELU(z) + 1 instead of ELU(z) + alpha",
        """
def elu_grad(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(np.isnan(z), np.nan, np.where(z > 0, 1.0, elu(z, alpha) + 1.0))
""",
    ),
    "selu_rounded_constants": (
        "SELU constants rounded to 1.0507 and 1.6733",
        """
def selu(z):
    z = np.asarray(z, dtype=float)
    return 1.0507 * np.where(z > 0, z, 1.6733 * np.expm1(np.minimum(z, 0.0)))
""",
    ),
    "selu_swapped_constants": (
        "scale and alpha swapped",
        """
def selu(z):
    scale, alpha = 1.6732632423543772848170429916717, 1.0507009873554804934193349852946
    z = np.asarray(z, dtype=float)
    return scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))
""",
    ),
    "selu_grad_no_scale": (
        "the derivative without the scale lambda",
        """
def selu_grad(z):
    alpha = 1.6732632423543772848170429916717
    z = np.asarray(z, dtype=float)
    out = np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
    return np.where(np.isnan(z), np.nan, out)
""",
    ),
    "selu_grad_rounded": (
        "the derivative with constants rounded to 1.0507 and 1.6733",
        """
def selu_grad(z):
    z = np.asarray(z, dtype=float)
    out = np.where(z > 0, 1.0507, 1.0507 * 1.6733 * np.exp(np.minimum(z, 0.0)))
    return np.where(np.isnan(z), np.nan, out)
""",
    ),
}


# ------------------------------------------------------- one per input class of the battery
# Each mutant below passes the visible tests and is killed by the input class KILLED_BY names
# (src/actbook/course/battery.py); tests/course/test_mutations.py checks both.

BATTERY_MUTANTS = {
    "relu_in_place": (
        "z[z < 0] = 0 on np.asarray(z): the caller's array is changed",
        "unchanged",
        """
def relu(z):
    z = np.asarray(z, dtype=float)
    z[z < 0] = 0.0
    return z
""",
    ),
    "prelu_mask_assign": (
        "out[neg] = (alpha * z)[neg]: a slope of higher rank than z does not fit the mask",
        "prelu-broadcast",
        """
def prelu(z, alpha):
    z = np.asarray(z, dtype=float)
    out = z.copy()
    neg = z <= 0
    with np.errstate(over="ignore"):
        out[neg] = (np.asarray(alpha, dtype=float) * z)[neg]
    return out
""",
    ),
    "rrelu_int_seed_only": (
        "np.random.default_rng(int(rng)) unless rng is a Generator: rng=None raises TypeError",
        "rrelu-rng",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    if training:
        gen = rng if hasattr(rng, "uniform") else np.random.default_rng(int(rng))
        slope = gen.uniform(lower, upper, size=z.shape)
    else:
        slope = (lower + upper) / 2.0
    with np.errstate(over="ignore"):
        return np.where(z > 0, z, slope * z)
""",
    ),
    "rrelu_legacy_seed": (
        "np.random.seed(rng) and np.random.uniform: another stream, and a Generator is refused",
        "rrelu-rng",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    if training:
        np.random.seed(rng)
        slope = np.random.uniform(lower, upper, size=z.shape)
    else:
        slope = (lower + upper) / 2.0
    with np.errstate(over="ignore"):
        return np.where(z > 0, z, slope * z)
""",
    ),
    "rrelu_random_when_seeded": (
        "draws whenever rng is given, even in evaluation",
        "rrelu-modes",
        """
def rrelu(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    if training or rng is not None:
        slope = np.random.default_rng(rng).uniform(lower, upper, size=z.shape)
    else:
        slope = (lower + upper) / 2.0
    with np.errstate(over="ignore"):
        return np.where(z > 0, z, slope * z)
""",
    ),
    "rrelu_grad_nan_gets_slope": (
        "np.where(z > 0, 1.0, slope): nan gets the slope instead of nan",
        "rrelu-nan",
        """
def rrelu_grad(z, lower=1 / 8, upper=1 / 3, training=False, rng=None):
    z = np.asarray(z, dtype=float)
    if training:
        slope = np.random.default_rng(rng).uniform(lower, upper, size=z.shape)
    else:
        slope = (lower + upper) / 2.0
    return np.where(z > 0, 1.0, slope)
""",
    ),
    "leaky_relu_overflow_warns": (
        "alpha * z without errstate: alpha = 2 at -1e308 overflows with a warning",
        "parameters",
        """
def leaky_relu(z, alpha=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)
""",
    ),
}
MUTANTS.update({name: (why, source) for name, (why, _, source) in BATTERY_MUTANTS.items()})
KILLED_BY = {name: cls for name, (_, cls, _) in BATTERY_MUTANTS.items()}
