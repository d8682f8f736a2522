"""Shared timing helpers: medians of repeated runs, interleaved so that the machine's noise
hits every contender alike; results merged into one JSON file that the book renders."""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results.json"


def interleaved_medians(fns: dict[str, Callable[[], object]], repeats: int = 7) -> dict:
    """Median seconds of each function, timed in rounds (one call of each per round)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():  # warm-up: allocations, caches, lazy imports
        fn()
    for _ in range(repeats):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t0)
    return {k: float(np.median(v)) for k, v in times.items()}


def machine() -> dict:
    import os

    return {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "date": time.strftime("%Y-%m-%d"),
    }


def update_results(section: str, data: dict) -> None:
    """Merge ``data`` under ``section`` of benchmarks/results.json."""
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[section] = data
    results["machine"] = machine()
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
