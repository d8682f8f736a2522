"""nbgrader settings: the repository itself is the course directory."""

from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "activation-functions"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + str(Path(__file__).resolve().parent / "gradebook.db")

# Assignments of the course, in release order.
c.CourseDirectory.assignment_id = ""

# Released notebooks stay clean (no outputs) so that `make exercises` gives no diff.
c.ClearOutput.enabled = True
c.GenerateAssignment.create_assignment = True

# Grading: a runaway cell may not stop the class.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True
c.OverwriteCells.add_missing_cells = True  # deleted test cells come back from the gradebook
