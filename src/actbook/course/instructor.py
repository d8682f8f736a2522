"""The instructor's comforts, switched on by one call in ``nbgrader_config.py``.

:func:`configure` adds, to whatever grading steps the configuration already has:

- the rubric of each manual answer in the formgrader's copy, out of the feedback
  (:mod:`actbook.course.rubrics`);
- quiet, truthful autograde output (:mod:`actbook.course.quiet`);
- feedback only when manual grading is complete, readable offline
  (:mod:`actbook.course.feedback`).
"""

from __future__ import annotations

from pathlib import Path

from traitlets.config import Config

from actbook.course.feedback import OfflineFeedbackExporter, RequireCompleteGrading
from actbook.course.quiet import QuietChecksums, silence_library_warnings
from actbook.course.rubrics import AddRubrics, RemoveRubrics


def _current(section: Config, name: str, owner) -> list:
    if name in section:
        return list(section[name])
    return list(owner.class_traits()[name].default())


def configure(c: Config) -> Config:
    """Register the course's instructor-side steps in ``c`` (idempotent)."""
    from nbgrader.converters import Autograde, GenerateFeedback
    from nbgrader.preprocessors import OverwriteCells

    sanitize = [p for p in _current(c.Autograde, "sanitize_preprocessors", Autograde)]
    sanitize = [p for p in sanitize if p is not QuietChecksums]
    at = next((i for i, p in enumerate(sanitize) if issubclass(p, OverwriteCells)), None)
    if at is not None:
        sanitize.insert(at, QuietChecksums)
    c.Autograde.sanitize_preprocessors = sanitize

    autograde = _current(c.Autograde, "autograde_preprocessors", Autograde)
    c.Autograde.autograde_preprocessors = [p for p in autograde if p is not AddRubrics] + [
        AddRubrics
    ]

    own = (RequireCompleteGrading, RemoveRubrics)
    feedback = [p for p in _current(c.GenerateFeedback, "preprocessors", GenerateFeedback)]
    c.GenerateFeedback.preprocessors = [*own, *(p for p in feedback if p not in own)]
    c.GenerateFeedback.exporter_class = OfflineFeedbackExporter

    silence_library_warnings()
    return c


def open_course(prog: str, folder: Path | None) -> tuple[Path, Config]:
    """(course folder, its nbgrader settings) for a course command: ``folder``, else the
    folder the instructor works in (:func:`actbook.paths.course_root`)."""
    from actbook.course.plugins import load_config
    from actbook.paths import course_root

    silence_library_warnings()
    root = (folder or course_root()).resolve()
    if not (root / "nbgrader_config.py").exists():
        raise SystemExit(f"{prog}: {root} is not a course folder (no nbgrader_config.py)")
    return root, load_config(root / "nbgrader_config.py")


def course_option(ap) -> None:
    ap.add_argument("--course", type=Path, default=None, help="course folder (default: here)")
