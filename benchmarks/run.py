"""`make bench`: run every benchmark and write benchmarks/results.json (rendered by the
book's Performance page). `--quick` runs small sizes only, to check that they work."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

SUITES = [
    "activation_cost",
    "forms",
    "widgets",
    "lab",
    "book",
    "grading",
    "grading_parallel",
    "battery_cost",
    "site",
]


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = [a for a in argv if not a.startswith("--")] or SUITES
    for name in chosen:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as e:
            print(f"skipping {name}: {e}")
            continue
        print(f"== {name}", flush=True)
        if "quick" in mod.main.__code__.co_varnames:
            mod.main(quick=quick)
        else:
            mod.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
