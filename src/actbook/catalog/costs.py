"""The measured costs: the one reader of benchmarks/results*.json (written by `make bench`).

Pages and the comparison table read measured times through here, never by timing anything
while the book builds.
"""

from __future__ import annotations

import json
from pathlib import Path

from actbook import paths

RESULTS = paths.BENCHMARKS / "results.json"


def load(path: Path = RESULTS) -> dict:
    """The results, or an empty dict when `make bench` has never run."""
    return json.loads(path.read_text()) if path.exists() else {}


def load_extra(name: str) -> dict:
    """A results file of its own (``results-grading.json``, ``results-site.json``), or {}."""
    return load(RESULTS.with_name(f"results-{name}.json"))


def cost_ratio(results: dict, name: str, dtype: str = "float32", size: str = "1e+07") -> float:
    """The measured time of ``name`` (e.g. "sigmoid" or "sigmoid_grad") as a multiple of ReLU."""
    return results["activation_cost"]["sizes"][f"{size}/{dtype}"]["ratio"][name]


def fastest_stable_ratio(results: dict, name: str) -> float:
    """actbook's time over the fastest form that neither warns nor loses accuracy."""
    forms = results["forms"][name]
    stable = [v for v in forms.values() if not v["warns"] and v["max_rel_error"] < 1e-12]
    best = min(v["time_ratio_to_fastest"] for v in stable)
    return forms["actbook"]["time_ratio_to_fastest"] / best


def cost_ratios(results: dict | None = None) -> dict[str, dict[str, float]] | None:
    """Per-element cost ratios to ReLU, ``{column: {activation: ratio}}``.

    Columns: each dtype at the largest measured size (``"float32"``, ``"float64"``) and
    ``"layer_<dtype>"``, a whole dense layer's time relative to a ReLU layer. None when
    ``make bench`` has not run, so that a page says so instead of timing anything itself.
    """
    costs = (load() if results is None else results).get("activation_cost")
    if not costs:
        return None
    out: dict[str, dict[str, float]] = {}
    best: dict[str, float] = {}
    for key, entry in costs["sizes"].items():
        n, _, dtype = key.partition("/")
        if float(n) >= best.get(dtype, -1.0):
            best[dtype] = float(n)
            out[dtype] = {k: float(v) for k, v in entry["ratio"].items()}
    for dtype, entry in costs.get("dense_layer", {}).items():
        out[f"layer_{dtype}"] = {k: float(v) for k, v in entry["layer_ratio_to_relu"].items()}
    return out
