"""``make exercises``: release every assignment of ``solutions/`` into ``exercises/``.

For each assignment it makes sure that the instructor notebook ends with the ungraded summary
cell (:data:`SUMMARY_SOURCE`: each graded part, pass/fail, its points), copies the standalone
``checks.py`` (:mod:`actbook.course.checks`, verbatim) next to it, then runs ``nbgrader
generate_assignment``, which strips solutions and hidden tests. Run twice, it gives the same
bytes: ``exercises/`` is committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from actbook.course import checks
from actbook.paths import EXERCISES, ROOT, SOLUTIONS


def assignments() -> list[str]:
    """The assignment ids: every folder of ``solutions/`` holding a notebook."""
    return sorted(p.parent.name for p in SOLUTIONS.glob("*/*.ipynb"))


def checks_source() -> str:
    """The text of ``checks.py``: the module :mod:`actbook.course.checks`, verbatim."""
    return Path(checks.__file__).read_text()


def write_checks(ids: list[str], root: Path = SOLUTIONS) -> None:
    """Put ``checks.py`` next to each instructor notebook (git-ignored there: nbgrader copies
    it into the release, where it is committed)."""
    text = checks_source()
    for aid in ids:
        path = root / aid / "checks.py"
        if not path.exists() or path.read_text() != text:
            path.write_text(text)


#: The last cell of every notebook: ungraded, locked, it runs the visible tests again and
#: lists each graded part with pass/fail and its points (:func:`actbook.course.checks.summary`).
SUMMARY_ID = "summary"
SUMMARY_SOURCE = (
    "# Not graded: every graded part of this notebook, pass or fail, and its points.\n"
    "from checks import summary\n"
    "\n"
    "summary()"
)


def summary_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(SUMMARY_SOURCE)
    cell.id = SUMMARY_ID
    cell.metadata = {
        "nbgrader": {
            "grade": False,
            "grade_id": SUMMARY_ID,
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
    }
    return cell


def ensure_summary_cells(ids: list[str], root: Path = SOLUTIONS) -> list[str]:
    """Make each instructor notebook end with the summary cell (idempotent: a notebook that
    already ends with it is left byte for byte; one whose summary cell is elsewhere or
    changed gets it moved to the end, as it should be). Returns the notebooks changed."""
    changed = []
    for aid in ids:
        path = root / aid / f"{aid}.ipynb"
        nb = nbformat.read(path, as_version=4)
        others = [c for c in nb.cells if c.get("id") != SUMMARY_ID]
        if nb.cells and nb.cells[-1] == summary_cell() and len(others) == len(nb.cells) - 1:
            continue
        nb.cells = [*others, summary_cell()]
        path.write_text(nbformat.writes(nb) + "\n")
        changed.append(aid)
    return changed


def release(ids: list[str]) -> None:
    # nbgrader's gradebook calls `alembic`, which lives beside this interpreter (.venv/bin).
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    for aid in ids:
        cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", aid, "--force"]
        cmd += ["--log-level=WARN"]
        subprocess.run(cmd, cwd=ROOT, check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    ids = (argv if argv else None) or assignments()
    ensure_summary_cells(ids)
    write_checks(ids)
    release(ids)
    print(
        f"released {len(ids)} assignment(s) into {EXERCISES.relative_to(ROOT)}/: {', '.join(ids)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
