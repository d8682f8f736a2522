"""Wrong answers to ps05-gradients, as students write them: name -> (what is wrong, source)."""

ASSIGNMENT = "ps05-gradients"

MUTANTS = {
    "loss_summed": (
        "the summed loss instead of the mean over the batch",
        """
def two_layer_loss(params, X, y):
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    shifted = Z2 - Z2.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.sum(log_p[np.arange(len(y)), y]))
""",
    ),
    "loss_log_of_softmax": (
        "log(softmax) without the shift: exp overflows for logits in the hundreds",
        """
def two_layer_loss(params, X, y):
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    p = np.exp(Z2) / np.exp(Z2).sum(axis=1, keepdims=True)
    return float(-np.mean(np.log(p[np.arange(len(y)), y])))
""",
    ),
    "backward_tanh_derivative_wrong": (
        "tanh'(Z1) written as 1 - A1 instead of 1 - A1**2",
        """
def two_layer_grads(params, X, y):
    n = X.shape[0]
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    delta2 = e / e.sum(axis=1, keepdims=True)
    delta2[np.arange(n), y] -= 1.0
    delta2 /= n
    delta1 = (delta2 @ params["W2"].T) * (1.0 - A1)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": A1.T @ delta2, "b2": delta2.sum(axis=0)}
""",
    ),
    "backward_no_mean": (
        "the 1/N of the mean loss forgotten",
        """
def two_layer_grads(params, X, y):
    n = X.shape[0]
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    delta2 = e / e.sum(axis=1, keepdims=True)
    delta2[np.arange(n), y] -= 1.0
    delta1 = (delta2 @ params["W2"].T) * (1.0 - A1**2)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": A1.T @ delta2, "b2": delta2.sum(axis=0)}
""",
    ),
    "backward_bias_mean": (
        "the bias gradients averaged over rows instead of summed",
        """
def two_layer_grads(params, X, y):
    n = X.shape[0]
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    delta2 = e / e.sum(axis=1, keepdims=True)
    delta2[np.arange(n), y] -= 1.0
    delta2 /= n
    delta1 = (delta2 @ params["W2"].T) * (1.0 - A1**2)
    return {"W1": X.T @ delta1, "b1": delta1.mean(axis=0),
            "W2": A1.T @ delta2, "b2": delta2.mean(axis=0)}
""",
    ),
    "backward_uses_preactivation": (
        "dL/dW2 = Z1^T delta2: the pre-activation where the activation belongs",
        """
def two_layer_grads(params, X, y):
    n = X.shape[0]
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.tanh(Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    delta2 = e / e.sum(axis=1, keepdims=True)
    delta2[np.arange(n), y] -= 1.0
    delta2 /= n
    delta1 = (delta2 @ params["W2"].T) * (1.0 - A1**2)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": Z1.T @ delta2, "b2": delta2.sum(axis=0)}
""",
    ),
    "backward_no_transpose": (
        "delta2 @ W2: the transpose of W2 forgotten",
        """
def two_layer_grads(params, X, y):
    n = X.shape[0]
    A1 = np.tanh(X @ params["W1"] + params["b1"])
    Z2 = A1 @ params["W2"] + params["b2"]
    e = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    delta2 = e / e.sum(axis=1, keepdims=True)
    delta2[np.arange(n), y] -= 1.0
    delta2 /= n
    delta1 = (delta2 @ params["W2"]) * (1.0 - A1**2)
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0),
            "W2": A1.T @ delta2, "b2": delta2.sum(axis=0)}
""",
    ),
    "numgrad_forward_difference": (
        "the one-sided difference (f(x + eps) - f(x)) / eps",
        """
def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    base = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - base) / eps
        x[i] = old
    return grad
""",
    ),
    "numgrad_not_restored": (
        "x[i] += eps; x[i] -= 2 eps: the entry is left at x - eps",
        """
def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        x[i] += eps
        up = f(x)
        x[i] -= 2 * eps
        down = f(x)
        grad[i] = (up - down) / (2 * eps)
    return grad
""",
    ),
    "numgrad_eps_not_doubled": (
        "central difference divided by eps instead of 2 eps",
        """
def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x, dtype=float)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / eps
    return grad
""",
    ),
    "relative_error_one_sided": (
        "||a - b|| / ||a||: not symmetric, and 0/0 when both are 0",
        """
def relative_error(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    return float(np.linalg.norm(a - b) / np.linalg.norm(a))
""",
    ),
    "he_std_factor_two_forgotten": (
        "He's factor 2 forgotten: sqrt(1 / n_in)",
        """
def he_std(n_in):
    return float(np.sqrt(1.0 / n_in))
""",
    ),
    "he_variance_not_std": (
        "the variance 2 / n_in returned where the standard deviation is asked",
        """
def he_std(n_in):
    return 2.0 / n_in
""",
    ),
    "xavier_one_over_n_in": (
        "Xavier as sqrt(1 / n_in) (LeCun's), the fan-out ignored",
        """
def xavier_std(n_in, n_out):
    return float(np.sqrt(1.0 / n_in))
""",
    ),
    "init_ignores_rng": (
        "a fresh np.random.default_rng(0) inside, the rng argument ignored",
        """
def init_layer(n_in, n_out, scheme, rng):
    std = he_std(n_in) if scheme == "he" else xavier_std(n_in, n_out)
    return np.random.default_rng(0).normal(0.0, std, size=(n_in, n_out)), np.zeros(n_out)
""",
    ),
    "init_transposed": (
        "W of shape (n_out, n_in), the PyTorch layout, where the course uses (n_in, n_out)",
        """
def init_layer(n_in, n_out, scheme, rng):
    if scheme not in ("he", "xavier"):
        raise ValueError(scheme)
    std = he_std(n_in) if scheme == "he" else xavier_std(n_in, n_out)
    return rng.normal(0.0, std, size=(n_out, n_in)), np.zeros(n_out)
""",
    ),
    "dead_units_strict": (
        "z < 0 instead of z <= 0: a unit stuck at exactly 0 counted alive",
        """
def count_dead_units(X, W, b):
    return int(np.sum(np.all(X @ W + b < 0, axis=0)))
""",
    ),
    "dead_units_any": (
        "dead on *some* example instead of on every example",
        """
def count_dead_units(X, W, b):
    return int(np.sum(np.any(X @ W + b <= 0, axis=0)))
""",
    ),
    "dead_units_wrong_axis": (
        "all() over units instead of examples: counts examples that kill every unit",
        """
def count_dead_units(X, W, b):
    return int(np.sum(np.all(X @ W + b <= 0, axis=1)))
""",
    ),
    "shrinkage_sigma_not_derivative": (
        "sigma where sigma' is asked",
        """
def gradient_shrinkage(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.cumprod(np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)), axis=0)
""",
    ),
    "shrinkage_product_form": (
        "sigma'(z) as s (1 - s): 0 at z = 40",
        """
def gradient_shrinkage(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return np.cumprod(s * (1.0 - s), axis=0)
""",
    ),
    "shrinkage_total_only": (
        "np.prod: only the last layer's factor, not one per layer",
        """
def gradient_shrinkage(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.prod(e / (1.0 + e) ** 2, axis=0)
""",
    ),
    "shrinkage_flattened": (
        "np.cumprod without axis: flattens (L, n) and multiplies across paths",
        """
def gradient_shrinkage(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.cumprod(e / (1.0 + e) ** 2).reshape(z.shape)
""",
    ),
}


# ------------------------------------------------------- one per input class of the battery
# Each mutant below passes the visible tests and is killed by the input class KILLED_BY names
# (src/actbook/course/battery.py); tests/course/test_mutations.py checks both.

BATTERY_MUTANTS = {
    "init_unknown_scheme_silent": (
        "any scheme other than 'he' silently treated as Xavier",
        "invalid",
        """
def init_layer(n_in, n_out, scheme, rng):
    std = he_std(n_in) if scheme == "he" else xavier_std(n_in, n_out)
    rng = np.random.default_rng(rng)
    return rng.normal(0.0, std, size=(n_in, n_out)), np.zeros(n_out)
""",
    ),
    "init_seed_not_a_generator": (
        "rng used as given: an integer seed has no .normal",
        "init-rng",
        """
def init_layer(n_in, n_out, scheme, rng):
    if scheme not in ("he", "xavier"):
        raise ValueError(scheme)
    std = he_std(n_in) if scheme == "he" else xavier_std(n_in, n_out)
    return rng.normal(0.0, std, size=(n_in, n_out)), np.zeros(n_out)
""",
    ),
    "dead_units_squeezed": (
        "z squeezed to drop a stray axis: a batch of one becomes 1-D and all() runs over units",
        "batch-of-one",
        """
def count_dead_units(X, W, b):
    X, W, b = (np.asarray(v, dtype=float) for v in (X, W, b))
    return int(np.sum(np.all(np.squeeze(X @ W + b) <= 0, axis=0)))
""",
    ),
    "relative_error_naive_norms": (
        "norms as sqrt of a sum of squares: 1e200 overflows, 1e-300 flushes to 0",
        "float-range",
        """
def relative_error(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
""",
    ),
    "shrinkage_keeps_float32": (
        "np.asarray(z) without dtype=float: float32 stays float32",
        "float32",
        """
def gradient_shrinkage(z):
    z = np.asarray(z)
    e = np.exp(-np.abs(z))
    return np.cumprod(e / (1.0 + e) ** 2, axis=0)
""",
    ),
}
MUTANTS.update({name: (why, source) for name, (why, _, source) in BATTERY_MUTANTS.items()})
KILLED_BY = {name: cls for name, (_, cls, _) in BATTERY_MUTANTS.items()}
