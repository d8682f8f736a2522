"""Wrong answers to ps01-classic, as students write them: name -> (what is wrong, source)."""

ASSIGNMENT = "ps01-classic"

MUTANTS = {
    "sigmoid_naive": (
        "the textbook formula: exp(-z) overflows at z = -1000",
        """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return 1.0 / (1.0 + np.exp(-z))
""",
    ),
    "sigmoid_where_overflow": (
        "np.where picks the stable branch, but both branches are computed: exp overflows",
        """
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))
""",
    ),
    "sigmoid_grad_product": (
        "sigmoid_grad as s * (1 - s): exactly 0 from z ~ 37 on (loses every digit)",
        """
def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)
""",
    ),
    "sigmoid_grad_is_sigmoid": (
        "sigma where sigma' is asked",
        """
def sigmoid_grad(z):
    return sigmoid(z)
""",
    ),
    "tanh_grad_product": (
        "1 - tanh(z)**2: exactly 0 from |z| ~ 19 on",
        """
def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2
""",
    ),
    "linear_grad_scalar": (
        "the derivative of m z returned as the number m, not an array of z's shape",
        """
def linear_grad(z, m=1.0):
    return m
""",
    ),
    "linear_loop": (
        "a Python loop over elements: breaks on scalars and 2-D arrays",
        """
def linear(z, m=1.0):
    return np.array([m * float(x) for x in z])
""",
    ),
}


# ------------------------------------------------------- one per input class of the battery
# Each mutant below passes the visible tests and is killed by the input class KILLED_BY names
# (src/actbook/course/battery.py); tests/course/test_mutations.py checks both.

BATTERY_MUTANTS = {
    "sigmoid_scalar_math_exp": (
        "a fast path for Python scalars with math.exp: OverflowError at -1e308",
        "python-scalars",
        """
import math


def sigmoid(z):
    if isinstance(z, (int, float)):
        return 1.0 / (1.0 + math.exp(-z))
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
""",
    ),
    "tanh_float_conversion": (
        "float(z) unless z has .astype: a list raises TypeError",
        "lists",
        """
def tanh(z):
    z = z.astype(float) if hasattr(z, "astype") else float(z)
    return np.tanh(z)
""",
    ),
    "linear_grad_full_like": (
        "np.full_like(z, m): an integer array gives integers (and m = 2.5 becomes 2)",
        "int-arrays",
        """
def linear_grad(z, m=1.0):
    z = np.asarray(z)
    out = np.full_like(z, m)
    if out.dtype.kind == "f":
        out[np.isnan(z)] = np.nan
    return out
""",
    ),
    "sigmoid_grad_keeps_float32": (
        "converts only non-float input: float32 stays float32",
        "float32",
        """
def sigmoid_grad(z):
    z = np.asarray(z)
    if z.dtype.kind != "f":
        z = z.astype(float)
    e = np.exp(-np.abs(z))
    return e / (1.0 + e) ** 2
""",
    ),
    "tanh_flattened": (
        "ravel() 'to be safe': an N-d array comes back 1-D",
        "nd-nan-inf",
        """
def tanh(z):
    return np.tanh(np.asarray(z, dtype=float).ravel())
""",
    ),
    "tanh_grad_threshold_18": (
        "returns 0 beyond |z| = 18, where 1 - tanh^2 'underflows' (it does not: 4e-16 at 18.5)",
        "float-range",
        """
def tanh_grad(z):
    z = np.asarray(z, dtype=float)
    t = np.tanh(z)
    return np.where(np.abs(z) > 18, 0.0, 1.0 - t * t)
""",
    ),
}
MUTANTS.update({name: (why, source) for name, (why, _, source) in BATTERY_MUTANTS.items()})
KILLED_BY = {name: cls for name, (_, cls, _) in BATTERY_MUTANTS.items()}
