"""Where things are: the one module that knows the course's folders.

The course folder is the folder an instructor or maintainer works in: ``ACTBOOK_COURSE`` when
set, else the current folder when it holds a course (``nbgrader_config.py`` and ``_toc.yml``),
else the repository this package was installed from (an editable install, as `make` does).
"""

from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("nbgrader_config.py", "_toc.yml")


def _is_course(folder: Path) -> bool:
    return all((folder / m).exists() for m in _MARKERS)


def course_root() -> Path:
    """The course folder (see the module's docstring)."""
    if env := os.environ.get("ACTBOOK_COURSE"):
        return Path(env).resolve()
    here = Path.cwd().resolve()
    if _is_course(here):
        return here
    return Path(__file__).resolve().parents[2]


ROOT = course_root()
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
CHAPTERS = ROOT / "chapters"
BENCHMARKS = ROOT / "benchmarks"
BUILD = ROOT / "_build"
CONFIG_FILE = ROOT / "nbgrader_config.py"
