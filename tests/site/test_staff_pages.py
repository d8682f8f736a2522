"""Where each page belongs: the student site has every chapter but the staff's, which the
instructor edition adds as a part of its own and the public student edition leaves out.

The staff's pages are the instructor guide (how to grade) and the course's own performance
(build, figure and grading timings against their targets): a student needs neither to learn
the material. What the activations cost is a lesson and stays on the student site.
"""

from __future__ import annotations

import yaml

from actbook.course import workspace
from actbook.paths import ROOT
from actbook.site import audit, edition, instructor_build

CHAPTERS = {p.stem for p in (ROOT / "chapters").glob("*.md")}


def student_toc() -> dict:
    return yaml.safe_load((ROOT / "_toc.yml").read_text())


def test_the_student_site_has_every_chapter_but_the_staff_s():
    on_site = {f.split("/")[-1] for f in audit.toc_files(ROOT) if f.startswith("chapters/")}
    assert CHAPTERS - on_site == set(workspace.STAFF_ONLY)
    assert "performance" in on_site, "what the activations cost is for students"


def test_the_instructor_edition_adds_the_staff_pages_as_one_part():
    toc, _ = instructor_build.instructor_toc(student_toc(), [])
    staff = toc["parts"][-1]
    assert staff == instructor_build.INSTRUCTOR_PART
    assert {c["file"].split("/")[-1] for c in staff["chapters"]} == set(workspace.STAFF_ONLY)


def test_the_student_edition_leaves_the_staff_pages_out():
    assert {f"chapters/{p}.md" for p in workspace.STAFF_ONLY} <= set(edition.LEFT_OUT)
