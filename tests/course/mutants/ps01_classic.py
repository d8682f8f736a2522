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
