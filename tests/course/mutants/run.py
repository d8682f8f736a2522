"""Run an instructor notebook's cells with mutant functions swapped in; print JSON results.

Usage: ``python tests/course/mutants/run.py solutions/<id>/<id>.ipynb MODULE.py``

Executed in a fresh process (``tests/course/test_mutations.py`` starts one per assignment) because
the notebooks' ``not_borrowed`` check fails whenever ``actbook`` has been imported, as it is
in the pytest process. For the unmutated notebook and for every mutant, the cells run in
order in a fresh namespace, as a kernel would run them. A mutant's functions are defined
right after the solution cell that defines the same names, so they replace the student's
answer there, and later cells (tests, other answers) see the mutant. Plot cells are skipped:
they grade nothing. The output maps each run to ``{grade_id: None if passed else error}``.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import json
import os
import sys
from pathlib import Path


def notebook_cells(path: Path) -> list[tuple[str, str, str]]:
    """``(kind, grade_id, source)`` of every code cell: kind is solution, test, code or plot."""
    cells = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        meta = cell["metadata"].get("nbgrader", {})
        gid = meta.get("grade_id", f"cell-{i}")
        if meta.get("grade"):
            kind = "test"
        elif meta.get("solution"):
            kind = "solution"
        elif "plot_against(" in src and "import" not in src:
            kind = "plot"
        else:
            kind = "code"
        cells.append((kind, gid, src))
    return cells


def defined_names(src: str) -> set[str]:
    tree = ast.parse(src)
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)} | {
        t.id
        for n in tree.body
        if isinstance(n, ast.Assign)
        for t in n.targets
        if isinstance(t, ast.Name)
    }


def run(cells: list[tuple[str, str, str]], mutant: str | None = None) -> dict[str, str | None]:
    """Run the cells (with ``mutant`` swapped in); return each graded cell's outcome."""
    ns: dict = {"__name__": "__main__", "__builtins__": builtins}
    targets = defined_names(mutant) if mutant else set()
    placed = False
    results: dict[str, str | None] = {}
    for kind, gid, src in cells:
        if kind == "plot":
            continue
        try:
            exec(compile(src, f"<cell {gid}>", "exec"), ns)  # noqa: S102
            if kind == "test":
                results[gid] = None
        except Exception as e:  # noqa: BLE001  (a failing cell is the result we record)
            key = gid if kind == "test" else f"error in {gid}"
            results[key] = f"{type(e).__name__}: {e}"[:400]
        if kind == "solution" and mutant and not placed and targets & defined_names(src):
            exec(compile(mutant, "<mutant>", "exec"), ns)  # noqa: S102
            placed = True
    if mutant and not placed:
        results["<mutant>"] = f"no solution cell defines any of {sorted(targets)}"
    return results


def main(notebook: str, mutants_file: str) -> None:
    nb = Path(notebook).resolve()
    spec = importlib.util.spec_from_file_location("mutants", Path(mutants_file).resolve())
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    os.chdir(nb.parent)  # the notebooks import their `checks` module from here
    sys.dont_write_bytecode = True  # no __pycache__ in the assignment folder
    sys.path.insert(0, str(nb.parent))
    if "actbook" in sys.modules:
        raise RuntimeError("actbook is imported: not_borrowed would fail every notebook")
    cells = notebook_cells(nb)
    out = {"baseline": run(cells), "mutants": {}}
    for name, (_, source) in module.MUTANTS.items():
        out["mutants"][name] = run(cells, source)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:3])
