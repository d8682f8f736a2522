"""The cost of each activation, as a ratio to ReLU measured in the same run.

The numbers behind the text's "computational cost" column and its "ReLU ~6x faster than
sigmoid": every reference of actbook.catalog.numeric and its derivative on 10^6 and 10^7 elements,
float32 and float64; and the activation's share of a dense layer ``act(X @ W)``.
"""

from __future__ import annotations

import sys

import numpy as np

from actbook.catalog import numeric

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from common import interleaved_medians, update_results  # noqa: E402

PARAMS = {"prelu": {"alpha": 0.25}}


def cost_ratios(n: int, dtype, repeats: int) -> dict:
    rng = np.random.default_rng(0)
    x = (3.0 * rng.standard_normal(n)).astype(dtype)
    fns = {}
    for name, (f, g) in numeric.ELEMENTWISE.items():
        kw = PARAMS.get(name, {})
        fns[name] = lambda f=f, kw=kw: f(x, **kw)
        fns[f"{name}_grad"] = lambda g=g, kw=kw: g(x, **kw)
    rows = x.reshape(-1, 100)
    fns["softmax"] = lambda: numeric.softmax(rows)
    t = interleaved_medians(fns, repeats)
    relu = t["relu"]
    return {"relu_seconds": relu, "ratio": {k: v / relu for k, v in t.items()}}


def dense_layer_share(dtype, size: int = 1024, repeats: int = 5) -> dict:
    rng = np.random.default_rng(1)
    X = rng.standard_normal((size, size)).astype(dtype)
    W = (rng.standard_normal((size, size)) / np.sqrt(size)).astype(dtype)
    Z = X @ W
    names = ["relu", "leaky_relu", "sigmoid", "tanh", "elu", "gelu", "swish", "mish"]
    fns = {"matmul": lambda: X @ W}
    fns.update({n: (lambda f=numeric.ELEMENTWISE[n][0]: f(Z)) for n in names})
    t = interleaved_medians(fns, repeats)
    mm = t["matmul"]
    return {
        "matmul_seconds": mm,
        "share_of_layer": {n: t[n] / (mm + t[n]) for n in names},
        "layer_ratio_to_relu": {n: (mm + t[n]) / (mm + t["relu"]) for n in names},
    }


def main(quick: bool = False) -> dict:
    out: dict = {"sizes": {}, "dense_layer": {}}
    sizes = [10**5] if quick else [10**6, 10**7]
    for n in sizes:
        for dtype in (np.float32, np.float64):
            key = f"{n:.0e}/{np.dtype(dtype).name}"
            out["sizes"][key] = cost_ratios(n, dtype, repeats=3 if quick else 7)
            print(f"activation cost {key}: done", flush=True)
    for dtype in (np.float32, np.float64):
        out["dense_layer"][np.dtype(dtype).name] = dense_layer_share(
            dtype, size=256 if quick else 1024, repeats=3 if quick else 7
        )
    update_results("activation_cost", out)
    return out


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
