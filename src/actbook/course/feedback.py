"""Feedback only when grading is complete, and feedback that works offline.

- :func:`ungraded` lists the manually graded answers that no grader has scored yet;
  :class:`RequireCompleteGrading` (the first feedback step) refuses a student's feedback while
  any remains, unless ``RequireCompleteGrading.allow_ungraded`` is set: an ungraded answer
  would show "Score: 0.0 / 2.0", indistinguishable from a real zero. It guards every way to
  generate feedback: ``nbgrader generate_feedback``, the formgrader's button, the API.
- :class:`OfflineFeedbackExporter` writes the feedback HTML with MathJax inside (the copy of
  ``sphinx-mathjax-offline``, SVG output: no fonts, no network), course links that work outside
  the course folder (to ``site_url`` when set, else plain text) and a table of contents that
  names each question.

``python -m actbook.course.feedback ASSIGNMENT [--allow-ungraded] [--release]`` (``make
feedback A=ASSIGNMENT``) checks first and stops with the list of what is missing.
"""

from __future__ import annotations

import importlib.metadata
import posixpath
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nbconvert.exporters import HTMLExporter
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, List, Unicode

from actbook.course.results import question_titles


@dataclass(frozen=True)
class Ungraded:
    student: str
    notebook: str
    cell: str


def ungraded(db_url: str, assignment: str, student: str | None = None) -> list[Ungraded]:
    """Manually graded answers of ``assignment`` (of one student, or all) with no score yet."""
    from nbgrader.api import Gradebook, MissingEntry

    out = []
    with Gradebook(db_url) as gb:
        try:
            submissions = gb.assignment_submissions(assignment)
        except MissingEntry:
            return []
        for sub in submissions:
            if student is not None and sub.student.id != student:
                continue
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.needs_manual_grade:
                        out.append(Ungraded(sub.student.id, nb.name, grade.name))
    return sorted(out, key=lambda u: (u.student, u.notebook, u.cell))


class UngradedAnswers(Exception):
    """Feedback asked for while manual grading is incomplete."""


def describe(missing: list[Ungraded]) -> str:
    return "\n".join(f"  {u.student}: {u.notebook} / {u.cell}" for u in missing)


class RequireCompleteGrading(NbGraderPreprocessor):
    """Refuses a student's feedback while one of their manual answers has no score."""

    allow_ungraded = Bool(
        False, help="Generate feedback even where manual grading is incomplete."
    ).tag(config=True)
    display_data_priority = List(Unicode()).tag(config=True)  # see rubrics.RemoveRubrics

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        missing = [
            u
            for u in ungraded(info["db_url"], info["assignment"], info["student"])
            if u.notebook == info["notebook"]
        ]
        if missing and not self.allow_ungraded:
            raise UngradedAnswers(
                f"no feedback for {info['student']}: answers not graded yet "
                f"({', '.join(u.cell for u in missing)}); grade them in the formgrader or set "
                "--RequireCompleteGrading.allow_ungraded=True"
            )
        if missing:
            self.log.warning("feedback with ungraded answers:\n%s", describe(missing))
        return nb, resources


# ---------------------------------------------------------------------------------------------
# The feedback page
# ---------------------------------------------------------------------------------------------

_CDN_MATHJAX = re.compile(r'<script[^>]*src="https?://[^"]*mathjax[^"]*"[^>]*>\s*</script>', re.I)
_MATHJAX2_CONFIG = re.compile(r'<script type="text/x-mathjax-config">.*?</script>', re.S)
_LINK = re.compile(r'<a\s+href="([^"]*)"([^>]*)>(.*?)</a>', re.S)
_TOC = re.compile(r'<a href="#([^"]+)">(Test cell|Coding free-response|Written response|Task)</a>')
_MATHJAX3_CONFIG = (
    "<script>window.MathJax = {tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], "
    "displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']], processEscapes: true, tags: 'ams'}, "
    "svg: {fontCache: 'global'}};</script>"
)


@cache
def mathjax_source() -> str:
    """MathJax 3 (TeX input, SVG output: no font files) from ``sphinx-mathjax-offline``."""
    for f in importlib.metadata.files("sphinx-mathjax-offline") or []:
        if str(f).endswith("static/mathjax/tex-svg.js"):
            return Path(f.locate()).read_text(encoding="utf-8")
    raise FileNotFoundError("sphinx-mathjax-offline's tex-svg.js is not installed")


def external(href: str) -> bool:
    return bool(re.match(r"^(https?:|mailto:|#|data:)", href))


def course_link(href: str, assignment: str, site_url: str) -> str | None:
    """Where a relative link of a released notebook points on the course site, or None."""
    path, _, anchor = href.partition("#")
    target = posixpath.normpath(posixpath.join("exercises", assignment, path))
    if not site_url or target.startswith(".."):
        return None
    if target.endswith((".md", ".ipynb")):
        target = target.rsplit(".", 1)[0] + ".html"
    return site_url.rstrip("/") + "/" + target + (f"#{anchor}" if anchor else "")


class OfflineFeedbackExporter(HTMLExporter):
    """nbgrader's feedback page, readable anywhere: MathJax inline, no dead links."""

    site_url = Unicode(
        "", help="The course website: relative course links in feedback point there."
    ).tag(config=True)
    inline_mathjax = Bool(True, help="Put MathJax inside each page (about 2 MB).").tag(config=True)

    def from_notebook_node(self, nb, resources=None, **kw):
        html, resources = super().from_notebook_node(nb, resources, **kw)
        assignment = (resources or {}).get("nbgrader", {}).get("assignment", "")
        titles = question_titles(nb.cells)

        def link(m: re.Match) -> str:
            href, attrs, text = m.groups()
            if external(href):
                return m.group(0)
            url = course_link(href, assignment, self.site_url)
            return f'<a href="{url}"{attrs}>{text}</a>' if url else text

        html = _LINK.sub(link, html)
        html = _TOC.sub(
            lambda m: (
                f'<a href="#{m[1]}">{m[2]} <code>{m[1]}</code>'
                + (f": {titles[m[1]]}" if titles.get(m[1]) else "")
                + "</a>"
            ),
            html,
        )
        if self.inline_mathjax:
            html = _MATHJAX2_CONFIG.sub("", html)
            script = _MATHJAX3_CONFIG + "\n<script>" + mathjax_source() + "</script>"
            html = _CDN_MATHJAX.sub(lambda _: script, html, count=1)
        return html, resources


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m actbook.course.feedback ASSIGNMENT``: feedback for every graded student, only
    when no manual answer is left ungraded (or with ``--allow-ungraded``)."""
    import argparse

    from actbook.course.instructor import course_option, open_course

    ap = argparse.ArgumentParser(prog="python -m actbook.course.feedback", description=main.__doc__)
    ap.add_argument("assignment")
    ap.add_argument("--allow-ungraded", action="store_true", help="go on with ungraded answers")
    ap.add_argument("--release", action="store_true", help="also release it to the exchange")
    course_option(ap)
    args = ap.parse_args(argv)
    _, config = open_course("feedback", args.course)
    missing = ungraded(config.CourseDirectory.db_url, args.assignment)
    if missing and not args.allow_ungraded:
        print(
            f"feedback: stopped: {len(missing)} answer(s) of {args.assignment} are not graded "
            f"yet:\n{describe(missing)}\nGrade them in the formgrader (Manual Grading), or run "
            "again with --allow-ungraded."
        )
        return 1
    if missing:
        print(f"feedback: going on with {len(missing)} ungraded answer(s):\n{describe(missing)}")
        config.RequireCompleteGrading.allow_ungraded = True
    return _generate(config, args.assignment, args.release)


def _generate(config, assignment: str, release: bool) -> int:
    from nbgrader.apps import NbGraderAPI

    config.NbGraderAPI.log_level = "ERROR"
    api = NbGraderAPI(config=config)
    res = api.generate_feedback(assignment)
    if not res.get("success"):
        print(f"feedback: generate_feedback failed:\n{res.get('error') or res.get('log')}")
        return 1
    root = Path(config.CourseDirectory.root)
    pages = sorted((root / "feedback").glob(f"*/{assignment}/*.html"))
    print(f"feedback: {len(pages)} page(s) in {root / 'feedback'}")
    if release:
        res = api.release_feedback(assignment)
        if not res.get("success"):
            print(f"feedback: release_feedback failed:\n{res.get('error') or res.get('log')}")
            return 1
        print(f"feedback: released to {config.Exchange.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
