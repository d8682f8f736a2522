"""The instructor's tools, piece by piece (fast); the whole flow on a class is in
test_instructor_grading.py."""

from __future__ import annotations

import logging
import subprocess
import sys

import nbformat

from actbook.course import feedback, integrity, quiet, rubrics
from actbook.paths import ROOT

AID = NB = "ps06-questions"
MANUAL = ["q2-explain", "q6-explain", "q10-explain", "q12-explain"]


def test_every_manual_answer_has_a_mark_scheme_in_the_instructor_notebook():
    found = rubrics.rubrics(nbformat.read(ROOT / "solutions" / AID / f"{NB}.ipynb", as_version=4))
    assert sorted(found) == sorted(MANUAL)
    for gid, (text, points) in found.items():
        assert "Mark scheme" in text and points == 2, gid
        assert "SOLUTION" not in text


def test_the_checksum_filter_drops_only_untouched_cells():
    f = quiet.FalseChecksumFilter()
    f.released = {"test-q1": "aaa"}
    msg = quiet.CHECKSUM_MESSAGE

    def record(*args):
        return logging.LogRecord("x", logging.WARNING, "", 0, msg, args, None)

    assert not f.filter(record("checksum", "test-q1", "zzz", "aaa"))  # as released
    assert f.filter(record("checksum", "test-q1", "zzz", "bbb"))  # edited
    assert f.filter(record("checksum", "test-q9", "zzz", "aaa"))  # unknown cell
    assert f.filter(record("points", "test-q1", 4, 100))


def test_the_course_configuration_keeps_sqlalchemy_warnings_off_the_screen():
    code = (
        "import warnings\n"
        "from sqlalchemy.exc import SAWarning\n"
        "from actbook.course.plugins import load_config\n"
        "warnings.warn('before', SAWarning)\n"
        "load_config()\n"
        "warnings.warn('after', SAWarning)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert "before" in proc.stderr  # the test can see a warning...
    assert "after" not in proc.stderr  # ...and the course's configuration hides it


def test_the_integrity_report_says_no_findings_when_there_are_none(tmp_path, capsys):
    (tmp_path / "exercises" / AID).mkdir(parents=True)
    (tmp_path / "submitted").mkdir()
    assert integrity.main(["report", AID, "--course", str(tmp_path)]) == 0
    assert capsys.readouterr().out.strip() == "no findings"


def test_a_rubric_is_the_solution_block_of_the_instructor_cell():
    src = "intro\n<!-- BEGIN SOLUTION -->\n**Mark scheme.** 1 point.\n<!-- END SOLUTION -->\nafter"
    assert rubrics.rubric_text(src) == "**Mark scheme.** 1 point."
    assert rubrics.rubric_text("no markers") == "no markers"
    cell = rubrics.rubric_cell("q9", "line 1\n\nline 2", 2)
    assert rubrics.is_rubric(cell) and cell.metadata["editable"] is False
    assert cell.source.endswith("> line 1\n>\n> line 2")


def test_course_links_in_feedback_point_to_the_site_or_become_text():
    link = "../../chapters/questions.md#q3"
    assert feedback.course_link(link, AID, "") is None
    assert (
        feedback.course_link(link, AID, "https://course.example.edu/")
        == "https://course.example.edu/chapters/questions.html#q3"
    )
    assert feedback.external("https://x.org") and feedback.external("#top")
    assert not feedback.external(link)
