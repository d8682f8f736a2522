"""The hidden tests catch real mistakes: a mutation suite of plausible wrong answers.

Each module of ``tests/course/mutants/`` holds wrong implementations of one assignment, written as
students write them (sigma where sigma' is asked, softmax without the max shift,
ReLU'(0) = 1, rounded SELU constants, ...). ``tests/course/mutants/run.py`` runs the instructor
notebook, solution cells and hidden tests included, once unmutated and once per mutant with
the mutant swapped in for the answer. Every mutant must fail at least one graded cell, and
the unmutated notebook must pass every one (otherwise the harness could not tell).

The battery (``actbook.course.battery``) has one mutant per input class at least: each module's
``KILLED_BY`` names the class that must kill each of its battery mutants, and the kill table
lists, for every mutant, the input classes whose checks it fails.

Show the kill table with ``pytest tests/course/test_mutations.py -rP``.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from actbook.course import battery

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "course" / "mutants" / "run.py"
MODULES = sorted(p.stem for p in (ROOT / "tests" / "course" / "mutants").glob("ps*.py"))


@functools.cache
def load(module: str):
    spec = importlib.util.spec_from_file_location(module, RUNNER.parent / f"{module}.py")
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    return m


def mutants(module: str) -> tuple[str, dict[str, tuple[str, str]]]:
    m = load(module)
    return m.ASSIGNMENT, m.MUTANTS


def killed_by_class(module: str) -> dict[str, str]:
    """Battery mutant -> the input class that must kill it."""
    return getattr(load(module), "KILLED_BY", {})


def notebook(aid: str) -> Path:
    return ROOT / "solutions" / aid / f"{aid}.ipynb"


def solution_names(aid: str) -> set[str]:
    """Every function the solution cells of an instructor notebook define."""
    names: set[str] = set()
    for cell in json.loads(notebook(aid).read_text())["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            tree = ast.parse("".join(cell["source"]))
            names |= {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    return names


@functools.cache
def run(module: str) -> dict:
    aid, _ = mutants(module)
    proc = subprocess.run(
        [sys.executable, str(RUNNER), str(notebook(aid)), str(RUNNER.parent / f"{module}.py")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def killed_by(outcome: dict[str, str | None]) -> list[str]:
    return [cell for cell, error in outcome.items() if error and cell.startswith("test-")]


# ---------------------------------------------------------------- fast: the suite is well formed


def test_there_are_at_least_40_mutants():
    assert sum(len(mutants(m)[1]) for m in MODULES) >= 40


@pytest.mark.parametrize("module", MODULES)
def test_every_mutant_replaces_an_answer(module):
    aid, muts = mutants(module)
    assert notebook(aid).exists(), aid
    answers = solution_names(aid)
    for name, (why, source) in muts.items():
        tree = ast.parse(source)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert defined and defined <= answers, (name, defined - answers)
        assert why.strip(), name


def test_every_input_class_has_a_mutant():
    declared = {cls for m in MODULES for cls in killed_by_class(m).values()}
    assert declared <= set(battery.CLASSES), declared - set(battery.CLASSES)
    assert set(battery.CLASSES) <= declared, set(battery.CLASSES) - declared


@pytest.mark.parametrize("module", MODULES)
def test_battery_mutants_are_mutants(module):
    assert set(killed_by_class(module)) <= set(mutants(module)[1])


# ---------------------------------------------------------------- slow: run the notebooks


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_unmutated_solution_passes_every_graded_cell(module):
    baseline = run(module)["baseline"]
    assert any(cell.startswith("test-") for cell in baseline)
    assert not {cell: err for cell, err in baseline.items() if err}


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_every_mutant_fails_a_graded_cell(module):
    aid, muts = mutants(module)
    results = run(module)["mutants"]
    rows = []
    classes = run(module)["battery"]
    for name in muts:
        cells = killed_by(results[name])
        by = ", ".join(classes.get(name, [])) or "-"
        rows.append(
            f"  {'killed' if cells else 'ALIVE '}  {name:40s} {', '.join(cells) or '-'}"
            f"  [input classes: {by}]"
        )
    alive = [r for r in rows if "ALIVE" in r]
    print(f"{aid}: {len(rows) - len(alive)}/{len(rows)} mutants killed")
    print("\n".join(rows))
    assert not alive, "\n".join(alive)


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_battery_mutants_are_killed_by_their_input_class(module):
    classes = run(module)["battery"]
    wrong = {
        name: (cls, classes[name])
        for name, cls in killed_by_class(module).items()
        if cls not in classes[name]
    }
    assert not wrong, wrong


@pytest.mark.slow
def test_kill_rate():
    total = killed = 0
    for module in MODULES:
        aid, muts = mutants(module)
        results = run(module)["mutants"]
        total += len(muts)
        killed += sum(bool(killed_by(results[name])) for name in muts)
    print(f"mutation suite: {killed}/{total} mutants killed ({killed / total:.0%})")
    assert total >= 40 and killed == total
