"""Wrong answers to ps02-softmax, as students write them: name -> (what is wrong, source)."""

ASSIGNMENT = "ps02-softmax"

MUTANTS = {
    "softmax_no_shift": (
        "softmax without the max shift: exp(1000) overflows",
        """
def softmax(z, axis=-1):
    e = np.exp(np.asarray(z, dtype=float))
    return e / np.sum(e, axis=axis, keepdims=True)
""",
    ),
    "softmax_axis0_default": (
        "softmax over axis=0 by default (the columns of a batch)",
        """
def softmax(z, axis=0):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
""",
    ),
    "softmax_global_sum": (
        "max and sum over the whole array instead of along the axis",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    e = np.exp(z - np.max(z))
    return e / np.sum(e)
""",
    ),
    "softmax_in_place": (
        "z -= max(z) in place: the caller's logits change",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    z -= np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)
""",
    ),
    "softmax_row_loop": (
        "a Python loop over rows: on a 1-D vector it loops over numbers",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    out = []
    for row in z:
        e = np.exp(row - np.max(row))
        out.append(e / np.sum(e))
    return np.array(out)
""",
    ),
    "softmax_no_keepdims": (
        "max and sum without keepdims: right for 1-D, wrong broadcast for a batch",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    e = np.exp(z - np.max(z, axis=axis))
    return e / np.sum(e, axis=axis)
""",
    ),
    "log_softmax_log_of_softmax": (
        "log_softmax as log(softmax): log(0) for probabilities that underflow",
        """
def log_softmax(z, axis=-1):
    return np.log(softmax(z, axis=axis))
""",
    ),
    "log_softmax_no_shift": (
        "z - log(sum(exp(z))) without the max shift: exp overflows",
        """
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))
""",
    ),
    "log_softmax_ignores_axis": (
        "the axis argument is ignored (always the last axis)",
        """
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
""",
    ),
    "jacobian_sign_flipped": (
        "the Jacobian as s s^T - diag(s)",
        """
def softmax_jacobian(z):
    s = softmax(np.asarray(z, dtype=float))
    return np.outer(s, s) - np.diag(s)
""",
    ),
    "jacobian_diagonal_only": (
        "only the diagonal s_i (1 - s_i): the cross terms forgotten",
        """
def softmax_jacobian(z):
    s = softmax(np.asarray(z, dtype=float))
    return np.diag(s * (1.0 - s))
""",
    ),
    "jacobian_elementwise_square": (
        "diag(s) - s * s: the outer product written as an element-wise product",
        """
def softmax_jacobian(z):
    s = softmax(np.asarray(z, dtype=float))
    return np.diag(s) - s * s
""",
    ),
    "ce_grad_sign_flipped": (
        "onehot - softmax: the gradient points uphill",
        """
def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    return np.eye(z.shape[-1])[np.asarray(y)] - softmax(z)
""",
    ),
    "ce_grad_batch_mean": (
        "divided by the batch size (the gradient of the mean loss, not of each example's loss)",
        """
def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    n = z.shape[0] if z.ndim == 2 else 1
    return (softmax(z) - np.eye(z.shape[-1])[np.asarray(y)]) / n
""",
    ),
    "ce_grad_naive_softmax": (
        "softmax re-implemented inline without the shift: overflows at 1000",
        """
def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True) - np.eye(z.shape[-1])[np.asarray(y)]
""",
    ),
    "ce_grad_only_true_class": (
        "only the true class gets a gradient, s_y - 1; the other classes get 0",
        """
def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    onehot = np.eye(z.shape[-1])[np.asarray(y)]
    return onehot * (softmax(z) - 1.0)
""",
    ),
}


# ------------------------------------------------------- one per input class of the battery
# Each mutant below passes the visible tests and is killed by the input class KILLED_BY names
# (src/actbook/course/battery.py); tests/course/test_mutations.py checks both.

BATTERY_MUTANTS = {
    "softmax_no_empty_check": (
        "np.max of an empty array raises ValueError",
        "empty",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    s = e / np.sum(e, axis=axis, keepdims=True)
    pos = np.isposinf(z)
    k = np.sum(pos, axis=axis, keepdims=True)
    limit = (k > 0) & ~np.any(np.isnan(z), axis=axis, keepdims=True)
    return np.where(limit, pos / np.maximum(k, 1), s)
""",
    ),
    "softmax_sum_last_axis": (
        "shifts along axis but sums along the last axis",
        "softmax-axes",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    s = e / np.sum(e, axis=-1, keepdims=True)
    pos = np.isposinf(z)
    k = np.sum(pos, axis=axis, keepdims=True)
    limit = (k > 0) & ~np.any(np.isnan(z), axis=axis, keepdims=True)
    return np.where(limit, pos / np.maximum(k, 1), s)
""",
    ),
    "softmax_shift_warns": (
        "the max shift without errstate: -1e308 - 1e308 overflows with a warning, inf - inf too",
        "softmax-extremes",
        """
def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)
""",
    ),
    "log_softmax_log_of_sum": (
        "log(sum(exp(shifted))): log(1 + e^-40) rounds to 0 and loses -4.25e-18",
        "float-range",
        """
def log_softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    if z.size == 0:
        return z.copy()
    with np.errstate(over="ignore", invalid="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
    pos = np.isposinf(z)
    k = np.sum(pos, axis=axis, keepdims=True)
    limit = (k > 0) & ~np.any(np.isnan(z), axis=axis, keepdims=True)
    return np.where(limit, np.where(pos, -np.log(np.maximum(k, 1)), -np.inf), out)
""",
    ),
    "jacobian_diag_minus_outer": (
        "diag(s) - s s^T: s_i - s_i^2 rounds to 0 when s_i is close to 1",
        "float-range",
        """
def softmax_jacobian(z):
    s = softmax(np.asarray(z, dtype=float))
    return np.diag(s) - np.outer(s, s)
""",
    ),
    "ce_grad_minus_one": (
        "softmax(z) - onehot: s_y - 1 rounds to 0 when s_y is close to 1",
        "float-range",
        """
def cross_entropy_grad(z, y):
    z = np.asarray(z, dtype=float)
    return softmax(z) - np.eye(z.shape[-1])[np.asarray(y)]
""",
    ),
}
MUTANTS.update({name: (why, source) for name, (why, _, source) in BATTERY_MUTANTS.items()})
KILLED_BY = {name: cls for name, (_, cls, _) in BATTERY_MUTANTS.items()}
