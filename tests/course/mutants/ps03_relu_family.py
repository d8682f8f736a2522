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
