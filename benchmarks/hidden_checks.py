"""How many hidden checks each problem set's instructor notebook holds, before the battery
(the commit :data:`BEFORE`) and now.

A *check* is one call of an asserting helper of ``checks.py`` (``expect_close``,
``expect_shape``, ``expect_float``, ``unchanged``, ``not_borrowed``), or one case of
``expect_battery``, or one ``raise AssertionError`` written in a test (counted once, where it
stands in the source). *Asserted elements* are the numbers those checks compare: the size of
``expected`` of ``expect_close`` and of each battery case (every entry of a dict or tuple
result), one for a shape, a dtype, an integer or an expected error. The notebook runs twice in
this process (NumPy only; ``actbook`` is never imported, so ``not_borrowed`` passes): with its
hidden tests and with them removed; hidden = the difference. Cells that only plot or print
the summary are skipped.

    python benchmarks/hidden_checks.py   # a table; results.json, section hidden_checks
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from common import update_results  # noqa: E402

#: The last commit before the battery (the parent of its first commit, ffab63d).
BEFORE = "72a24dc598d4a87618ce0a5bddbeeaaf27417518"
ASSIGNMENTS = ["ps01-classic", "ps02-softmax", "ps03-relu-family", "ps04-modern", "ps05-gradients"]

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n?", re.S)
ASSERTING = ("expect_close", "expect_shape", "expect_float", "unchanged", "not_borrowed")


def _elements(expected) -> int:
    if isinstance(expected, dict):
        return sum(_elements(v) for v in expected.values())
    if isinstance(expected, list):
        return sum(_elements(v) for v in expected)
    if isinstance(expected, tuple):  # ("between", lo, hi) or ("raises", name)
        return 1 if expected[0] == "raises" else int(np.size(expected[1]))
    return int(np.size(expected))


def count(text: str, folder: Path) -> dict[str, int]:
    """Checks and asserted elements of the test cells of a notebook's ``text``."""
    sys.path.insert(0, str(folder))
    sys.modules.pop("checks", None)
    import checks

    tally = {"checks": 0, "elements": 0}

    def counted(name, size):
        real = getattr(checks, name)

        def wrapper(*args, **kwargs):
            tally["checks"] += 1
            tally["elements"] += size(args)
            return real(*args, **kwargs)

        setattr(checks, name, wrapper)

    counted("expect_close", lambda a: int(np.size(a[1])))
    counted("unchanged", lambda a: int(np.size(a[1])))
    for name in ("expect_shape", "expect_float", "not_borrowed"):
        counted(name, lambda a: 1)
    real_battery = checks.expect_battery

    def battery(func, cases, *args, **kwargs):
        tally["checks"] += len(cases)
        tally["elements"] += sum(_elements(case[3]) for case in cases)
        return real_battery(func, cases, *args, **kwargs)

    checks.expect_battery = battery
    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    for cell in json.loads(text)["cells"]:
        src = "".join(cell["source"])
        meta = cell["metadata"].get("nbgrader", {})
        if cell["cell_type"] != "code" or "summary()" in src:
            continue
        if "plot_against(" in src and "import" not in src:
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(src, "<cell>", "exec"), ns)  # noqa: S102  (our own notebook)
        if meta.get("grade"):
            raises = sum(
                isinstance(n, ast.Raise)
                and isinstance(n.exc, ast.Call)
                and getattr(n.exc.func, "id", "") == "AssertionError"
                for n in ast.walk(ast.parse(src))
            )
            tally["checks"] += raises
            tally["elements"] += raises
    sys.path.remove(str(folder))
    return tally


def hidden(text: str, folder: Path) -> dict[str, int]:
    nb = json.loads(text)
    full = count(text, folder)
    for cell in nb["cells"]:
        cell["source"] = HIDDEN.sub("", "".join(cell["source"]))
    visible = count(json.dumps(nb), folder)
    return {k: full[k] - visible[k] for k in full}


def main() -> dict:
    if "actbook" in sys.modules:
        raise RuntimeError("actbook is imported: not_borrowed would fail every notebook")
    sys.dont_write_bytecode = True
    out = {}
    for aid in ASSIGNMENTS:
        path = f"solutions/{aid}/{aid}.ipynb"
        old = subprocess.run(
            ["git", "show", f"{BEFORE}:{path}"], cwd=ROOT, check=True, capture_output=True
        ).stdout.decode()
        folder = ROOT / "solutions" / aid
        out[aid] = {
            "before": hidden(old, folder),
            "after": hidden((ROOT / path).read_text(), folder),
        }
        b, a = out[aid]["before"], out[aid]["after"]
        print(
            f"{aid:18s} hidden checks {b['checks']:4d} -> {a['checks']:4d}   "
            f"asserted elements {b['elements']:6d} -> {a['elements']:6d}"
        )
    update_results(
        "hidden_checks",
        {
            "before_commit": BEFORE,
            "per_assignment": out,
            "command": "python benchmarks/hidden_checks.py",
        },
    )
    return out


if __name__ == "__main__":
    main()
