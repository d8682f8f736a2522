"""``make exercises``: release every assignment of ``solutions/`` into ``exercises/``.

For each assignment it copies the standalone ``checks.py`` (:mod:`actbook.course.checks`,
verbatim) next to the instructor notebook, then runs ``nbgrader generate_assignment``, which strips
solutions and hidden tests. Run twice, it gives the same bytes: ``exercises/`` is committed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def release(ids: list[str]) -> None:
    for aid in ids:
        cmd = [sys.executable, "-m", "nbgrader", "generate_assignment", aid, "--force"]
        cmd += ["--log-level=WARN"]
        subprocess.run(cmd, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    ids = (argv if argv else None) or assignments()
    write_checks(ids)
    release(ids)
    print(
        f"released {len(ids)} assignment(s) into {EXERCISES.relative_to(ROOT)}/: {', '.join(ids)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
