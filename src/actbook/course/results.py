"""Results per question: what ``nbgrader export`` (totals only) does not say.

- :func:`scores`: every student's score in every graded cell, from the gradebook (an answer
  no grader has scored yet is ``None``, never 0);
- :func:`item_analysis`: per graded cell, the mean, the share of full marks and the most
  common failing check message (read from the autograded notebooks);
- :func:`write_report`: ``<id>-scores.csv``, ``<id>-items.csv`` and ``<id>-report.html`` (a
  table and a chart, the PNG inside the page).

``python -m actbook.course.results ASSIGNMENT`` (``make results A=ASSIGNMENT``) writes them into
``results/`` of the course folder (git-ignored: it holds students' scores).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Item:
    """One graded cell of an assignment, over the class."""

    notebook: str
    cell: str
    question: str
    max_score: float
    manual: bool
    scores: dict[str, float | None] = field(default_factory=dict)
    failures: Counter = field(default_factory=Counter)

    @property
    def key(self) -> str:
        return f"{self.notebook}/{self.cell}"

    @property
    def graded(self) -> list[float]:
        return [s for s in self.scores.values() if s is not None]

    @property
    def mean(self) -> float | None:
        return sum(self.graded) / len(self.graded) if self.graded else None

    @property
    def full_marks(self) -> float | None:
        """Share of the graded submissions with the cell's full marks."""
        if not self.graded:
            return None
        return sum(s >= self.max_score for s in self.graded) / len(self.graded)

    @property
    def common_failure(self) -> tuple[str, int]:
        return self.failures.most_common(1)[0] if self.failures else ("", 0)


def question_titles(cells: list[dict]) -> dict[str, str]:
    """{grade_id: the heading of the question it belongs to} (the last ``#`` heading above)."""
    out, title = {}, ""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            src = cell.get("source", "")
            for line in ("".join(src) if isinstance(src, list) else src).splitlines():
                if line.startswith("#"):
                    title = line.lstrip("#").strip()
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid:
            out[gid] = title
    return out


def _failure(cell: dict) -> str | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            first = (out.get("evalue") or "").strip().splitlines()
            return f"{out.get('ename')}: {first[0] if first else ''}".strip()
    return None


def item_analysis(course_root: Path, db_url: str, assignment: str) -> list[Item]:
    """Every graded cell of ``assignment``, in the release's order, with the class's scores."""
    from nbgrader.api import Gradebook, MissingEntry

    course_root = Path(course_root)
    items: dict[tuple[str, str], Item] = {}
    with Gradebook(db_url) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(f"results: no assignment {assignment!r} in the gradebook") from None
        for nb in record.notebooks:
            release = course_root / "exercises" / assignment / f"{nb.name}.ipynb"
            cells = json.loads(release.read_text())["cells"] if release.exists() else []
            titles = question_titles(cells)
            order = {gid: i for i, gid in enumerate(titles)}
            for gc in sorted(nb.grade_cells, key=lambda g: (order.get(g.name, 1e9), g.name)):
                manual = any(sc.name == gc.name for sc in nb.solution_cells)
                items[nb.name, gc.name] = Item(
                    nb.name, gc.name, titles.get(gc.name, ""), float(gc.max_score), manual
                )
        for sub in gb.assignment_submissions(assignment):
            sid = sub.student.id
            for nbsub in sub.notebooks:
                for grade in nbsub.grades:
                    item = items.get((nbsub.name, grade.name))
                    if item is not None:
                        ungraded = grade.needs_manual_grade
                        item.scores[sid] = None if ungraded else float(grade.score or 0.0)
                path = course_root / "autograded" / sid / assignment / f"{nbsub.name}.ipynb"
                if not path.exists():
                    continue
                for cell in json.loads(path.read_text()).get("cells", []):
                    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
                    message = _failure(cell)
                    if (nbsub.name, gid) in items and message:
                        items[nbsub.name, gid].failures[message] += 1
    return list(items.values())


def hardest(items: list[Item]) -> Item | None:
    """The graded cell the class fails most: lowest share of full marks, then lowest mean.
    Cells with answers still to grade by hand are left out: their share is not known yet."""
    rated = [i for i in items if i.full_marks is not None and len(i.graded) == len(i.scores)]
    if not rated:
        return None
    return min(rated, key=lambda i: (i.full_marks, i.mean / i.max_score if i.max_score else 0))


def scores_table(items: list[Item]) -> tuple[list[str], list[list]]:
    """(header, rows): a row per student, a column per graded cell, then the total."""
    several = len({i.notebook for i in items}) > 1
    header = ["student"] + [i.key if several else i.cell for i in items] + ["total", "max"]
    students = sorted({s for i in items for s in i.scores})
    total_max = sum(i.max_score for i in items)
    rows = []
    for sid in students:
        cells = [i.scores.get(sid) for i in items]
        total = sum(s for s in cells if s is not None)
        rows.append([sid, *("" if s is None else s for s in cells), total, total_max])
    return header, rows


ITEM_FIELDS = [
    "notebook",
    "cell",
    "question",
    "kind",
    "max_score",
    "graded",
    "ungraded",
    "mean",
    "share_full_marks",
    "most_common_failure",
    "failure_count",
]


def item_rows(items: list[Item]) -> list[dict]:
    rows = []
    for i in items:
        message, count = i.common_failure
        rows.append(
            {
                "notebook": i.notebook,
                "cell": i.cell,
                "question": i.question,
                "kind": "manual" if i.manual else "auto",
                "max_score": i.max_score,
                "graded": len(i.graded),
                "ungraded": len(i.scores) - len(i.graded),
                "mean": "" if i.mean is None else round(i.mean, 3),
                "share_full_marks": "" if i.full_marks is None else round(i.full_marks, 3),
                "most_common_failure": message,
                "failure_count": count,
            }
        )
    return rows


def chart_png(items: list[Item], assignment: str) -> bytes:
    """A bar per graded cell: the share of the class with full marks."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rated = [i for i in items if i.full_marks is not None]
    fig = Figure(figsize=(7, 0.35 * len(rated) + 1.2))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [i.cell for i in rated]
    ax.barh(labels, [100 * i.full_marks for i in rated], color="#3b6ea5")
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full marks (%)")
    ax.set_title(f"{assignment}: share of full marks per graded cell")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def report_html(items: list[Item], assignment: str) -> str:
    worst = hardest(items)
    png = base64.b64encode(chart_png(items, assignment)).decode()
    rows = item_rows(items)
    head = "".join(f"<th>{html.escape(f)}</th>" for f in ITEM_FIELDS)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(r[f]))}</td>" for f in ITEM_FIELDS) + "</tr>"
        for r in rows
    )
    n = len({s for i in items for s in i.scores})
    summary = (
        f"Failed most: <strong>{html.escape(worst.cell)}</strong> "
        f"({html.escape(worst.question)}): {100 * worst.full_marks:.0f}% of the class with full "
        f"marks; most common failure: <code>{html.escape(worst.common_failure[0] or '-')}</code>"
        if worst
        else "Nothing graded yet."
    )
    ungraded = sum(len(i.scores) - len(i.graded) for i in items)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(assignment)}: results per question</title>
<style>body{{font-family:sans-serif;max-width:70em;margin:1em auto}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:90%}}
</style></head><body>
<h1>{html.escape(assignment)}: results per question</h1>
<p>{n} student(s). {summary}.</p>
<p>{ungraded} manual answer(s) not graded yet (left out of the means).</p>
<img alt="Share of the class with full marks, per graded cell" src="data:image/png;base64,{png}">
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
</body></html>
"""


def write_report(items: list[Item], assignment: str, out: Path) -> dict[str, Path]:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "scores": out / f"{assignment}-scores.csv",
        "items": out / f"{assignment}-items.csv",
        "report": out / f"{assignment}-report.html",
    }
    header, rows = scores_table(items)
    with paths["scores"].open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    with paths["items"].open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=ITEM_FIELDS)
        w.writeheader()
        w.writerows(item_rows(items))
    paths["report"].write_text(report_html(items, assignment))
    return paths


def main(argv: list[str] | None = None) -> int:
    """``python -m actbook.course.results ASSIGNMENT``: scores per graded cell and an item
    analysis, as CSV and an HTML report."""
    import argparse

    from actbook.course.instructor import course_option, open_course

    ap = argparse.ArgumentParser(prog="python -m actbook.course.results", description=main.__doc__)
    ap.add_argument("assignment")
    course_option(ap)
    ap.add_argument("--out", type=Path, default=None, help="folder (default: COURSE/results)")
    args = ap.parse_args(argv)
    root, config = open_course("results", args.course)
    items = item_analysis(root, config.CourseDirectory.db_url, args.assignment)
    paths = write_report(items, args.assignment, args.out or root / "results")
    worst = hardest(items)
    if worst:
        print(
            f"results: failed most: {worst.cell} ({worst.question}), "
            f"{100 * worst.full_marks:.0f}% with full marks"
        )
    for p in paths.values():
        print(f"results: wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
