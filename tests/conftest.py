"""Shared fixtures: paths of the repository and the assignments."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session", autouse=True)
def _venv_on_path():
    # nbgrader calls alembic and jupyter by name: they live next to this interpreter.
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"


@pytest.fixture(scope="session", autouse=True)
def _checks_beside_the_instructor_notebooks():
    # checks.py is generated next to each instructor notebook (git-ignored there), as
    # `make exercises` does: nbgrader and the Validator import it from the notebook's folder.
    from actbook.course import release

    release.write_checks(release.assignments())


@pytest.fixture(scope="session")
def built_site() -> Path:
    """Build the book strictly, once per test run, as `make book` does; return _build/html.

    Tests that use it belong to the xdist group "book" so that one worker builds it. Should
    two processes build anyway, a lock serialises them: two builds writing one execution
    cache at once fail (seen once: "UNIQUE constraint failed: nbcache.hashkey"); one after
    the other, the second finds every page cached.
    """
    import fcntl
    import subprocess

    (ROOT / "_build").mkdir(exist_ok=True)
    # Once per test run, whichever worker comes first: `make book` empties _build/html, so a
    # second build would pull the site from under the other worker's tests.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", f"pid{os.getpid()}")
    stamp = ROOT / "_build" / f".book-built-{run}"
    with open(ROOT / "_build" / ".book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not stamp.exists():
            proc = subprocess.run(["make", "book"], cwd=ROOT, capture_output=True, text=True)
            log = proc.stdout + proc.stderr
            (ROOT / "_build" / "test-build.log").write_text(log)
            assert proc.returncode == 0, "the strict book build failed:\n" + log[-5000:]
            for old in (ROOT / "_build").glob(".book-built-*"):
                old.unlink()
            stamp.touch()
    return ROOT / "_build" / "html"
