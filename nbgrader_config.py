"""nbgrader settings: the repository itself is the course directory."""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "activation-functions"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# gradebook.db at the root; several graders at once share a PostgreSQL gradebook instead:
# NBGRADER_DB_URL=postgresql://user:password@host/db (see the instructor guide).
c.CourseDirectory.db_url = os.environ.get(
    "NBGRADER_DB_URL", "sqlite:///" + str(Path(__file__).resolve().parent / "gradebook.db")
)

# Assignments of the course, in release order.
c.CourseDirectory.assignment_id = ""

# Released notebooks stay clean (no outputs) so that `make exercises` gives no diff.
c.ClearOutput.enabled = True
c.GenerateAssignment.create_assignment = True

# Grading: a runaway cell may not stop the class.
c.Execute.timeout = 60  # seconds per cell; then the kernel is interrupted and the cell fails
c.Execute.interrupt_on_timeout = True
c.Execute.shutdown_kernel = "immediate"  # a graded kernel has nothing to save: ~0.2 s sooner
c.OverwriteCells.add_missing_cells = True  # deleted test cells come back from the gradebook
# Locked cells (the tests, the imports) are always restored from the gradebook by nbgrader's
# OverwriteCells: their text, points, and locked flag.

# The course's grading plug-ins (actbook.course.plugins, installed by `make install`): the
# release's cell layout restored; the student's code in a sandboxed kernel (bubblewrap: no
# course files, no network, nothing writable but a scratch copy) capped at 2 GiB of address
# space; the tests in a second, trusted kernel that sees the student's answers only as data;
# a dead or deaf kernel restarted without failing the whole submission; hidden tests kept out
# of the feedback. Grading without them would drop every safeguard silently, so their absence
# is an error. With no sandbox on the machine, grading refuses; ACTBOOK_GRADE_UNSANDBOXED=1
# grades anyway, and every graded notebook and the integrity report say so.
try:
    from actbook.course import plugins
except ImportError as e:  # pragma: no cover
    raise SystemExit(
        f"nbgrader_config.py: the course library is not installed ({e}); run `make install`"
    ) from None

_missing = [
    d.name for d in (Path(__file__).resolve().parent / "solutions").iterdir()
    if d.is_dir() and not (d / "checks.py").exists()
]  # fmt: skip
if _missing:
    print(f"nbgrader_config.py: solutions/{_missing[0]}/checks.py is missing: run `make exercises`")

c.Autograde.sanitize_preprocessors = plugins.SANITIZE_PREPROCESSORS
c.Autograde.autograde_preprocessors = plugins.AUTOGRADE_PREPROCESSORS
c.LimitedKernelManager.memory_limit = 2 * 1024**3
c.ResilientExecute.max_kernel_restarts = 5
c.LimitedKernelManager.sandbox = True
c.ResilientExecute.split = True
c.GenerateFeedback.preprocessors = plugins.feedback_preprocessors()

# Instructor comforts (actbook.course.instructor): the rubric of each manual answer in the
# formgrader (never in feedback), no false "checksum has changed" alarms, feedback only when
# manual grading is complete and readable offline.
# The exchange is a git-ignored folder of the course, so release and collect work on one
# machine out of the box; on a hub, point every user at one shared folder with
# NBGRADER_EXCHANGE=/srv/nbgrader/exchange (see the instructor guide).
_exchange = Path(
    os.environ.get("NBGRADER_EXCHANGE") or Path(__file__).resolve().parent / "exchange"
)
if "NBGRADER_EXCHANGE" not in os.environ:  # the formgrader offers release/collect only if it exists
    _exchange.mkdir(exist_ok=True)
c.Exchange.root = str(_exchange)
from actbook.course import instructor  # noqa: E402

instructor.configure(c)
