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
