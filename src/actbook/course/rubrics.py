"""The mark scheme where grading happens: in the formgrader, beside the student's answer.

Every manually graded cell of an instructor notebook (``solutions/<id>/<nb>.ipynb``) holds its
model answer and mark scheme in its solution block (``BEGIN SOLUTION`` … ``END SOLUTION``).
:class:`AddRubrics` (an autograde step) puts that block, as a read-only markdown cell, right
after the student's answer in the *autograded* copy, which is what the formgrader shows;
:class:`RemoveRubrics` (a feedback step) takes it out again, so the student's feedback never
shows it. ``python -m actbook.course.rubrics ASSIGNMENT`` prints the rubrics of an assignment.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import List, Unicode

#: Cell metadata that marks a rubric cell: ``{"actbook": {"rubric": <grade_id>}}``.
KEY = "actbook"
HEADING = "Rubric for"
_BLOCK = re.compile(r"^[^\n]*BEGIN SOLUTION[^\n]*\n(.*?)^[^\n]*END SOLUTION[^\n]*$", re.M | re.S)


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_manual(cell) -> bool:
    """A cell a person grades: a graded answer the student writes (nbgrader's manual cells)."""
    meta = _meta(cell)
    return bool(meta.get("grade") and meta.get("solution"))


def rubric_text(source: str) -> str:
    """The solution blocks of an instructor cell (the whole cell when it has none)."""
    blocks = [b.strip() for b in _BLOCK.findall(source)]
    return "\n\n".join(b for b in blocks if b) or source.strip()


def rubrics(notebook: nbformat.NotebookNode) -> dict[str, tuple[str, float]]:
    """{grade_id: (rubric, points)} of every manually graded cell of an instructor notebook."""
    out = {}
    for cell in notebook.cells:
        if is_manual(cell):
            src = cell.source if isinstance(cell.source, str) else "".join(cell.source)
            out[_meta(cell)["grade_id"]] = (rubric_text(src), float(_meta(cell).get("points", 0)))
    return out


def rubric_cell(grade_id: str, text: str, points: float) -> nbformat.NotebookNode:
    """A read-only markdown cell that shows ``text`` as the rubric of ``grade_id``."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
    cell = nbformat.v4.new_markdown_cell(
        f"**{HEADING} `{grade_id}`** ({points:g} points). For the grader only: it is not part "
        f"of the student's feedback.\n\n{quoted}"
    )
    cell.metadata.update({KEY: {"rubric": grade_id}, "editable": False, "deletable": False})
    return cell


def is_rubric(cell) -> bool:
    return bool(cell.get("metadata", {}).get(KEY, {}).get("rubric"))


def source_notebook(config, assignment: str, notebook: str) -> Path:
    coursedir = CourseDirectory(config=config)
    folder = coursedir.format_path(coursedir.source_directory, ".", assignment)
    return Path(folder) / f"{notebook}.ipynb"


class AddRubrics(NbGraderPreprocessor):
    """After autograding: each manually graded answer is followed by its rubric, read from the
    instructor notebook (the *source*). A missing source leaves the notebook as it is, with a
    warning."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not is_rubric(c)]
        aid, nid = resources["nbgrader"]["assignment"], resources["nbgrader"]["notebook"]
        path = source_notebook(self.config, aid, nid)
        if not path.exists():
            if any(is_manual(c) for c in nb.cells):
                self.log.warning("AddRubrics: no instructor notebook %s: no rubrics shown", path)
            return nb, resources
        found = rubrics(nbformat.read(path, as_version=4))
        cells = []
        for cell in nb.cells:
            cells.append(cell)
            gid = _meta(cell).get("grade_id")
            if is_manual(cell) and gid in found:
                cells.append(rubric_cell(gid, *found[gid]))
        nb.cells = cells
        return nb, resources


class RemoveRubrics(NbGraderPreprocessor):
    """Before feedback: the rubric cells of the autograded copy are dropped."""

    # configurable, as in nbconvert (nbgrader's base class drops the tag): the feedback
    # exporter sets it for every preprocessor and would warn "not recognized"
    display_data_priority = List(Unicode()).tag(config=True)

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not is_rubric(c)]
        return nb, resources


def main(argv: list[str] | None = None) -> int:
    """``python -m actbook.course.rubrics ASSIGNMENT``: the rubric of each manual answer."""
    import argparse

    from actbook.course.instructor import course_option, open_course

    ap = argparse.ArgumentParser(prog="python -m actbook.course.rubrics", description=main.__doc__)
    ap.add_argument("assignment")
    course_option(ap)
    args = ap.parse_args(argv)
    _, config = open_course("rubrics", args.course)
    folder = source_notebook(config, args.assignment, "x").parent
    if not folder.is_dir():
        raise SystemExit(f"rubrics: no assignment {args.assignment!r} in {folder.parent}")
    for path in sorted(folder.glob("*.ipynb")):
        for gid, (text, points) in rubrics(nbformat.read(path, as_version=4)).items():
            print(f"## {path.stem} / {gid} ({points:g} points)\n\n{text}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
