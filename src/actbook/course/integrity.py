"""The integrity report: what was tried, and what grading cannot stop, found after grading:
identical submissions (hash of the student's code, as a syntax tree), student code that
patches modules or test helpers, reads files, inspects the running notebook or kills its
process (the sandbox and the trusted test kernel make these gain nothing; the report still
names them), and notebooks graded without a sandbox.

``python -m actbook.course.integrity {restore-names,report} ASSIGNMENT`` in the course folder.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from actbook import paths
from actbook.course import sandbox
from actbook.course.classroom import GradeResult, restore_renamed
from actbook.course.plugins import grade_id

# ---------------------------------------------------------------------------------------------
# 3. The integrity report
# ---------------------------------------------------------------------------------------------

# Dotted names whose use in a student's answer deserves the instructor's eyes, by concern.
SUSPECT = {
    "reads files": (
        "open io.open pathlib Path os.listdir os.scandir os.walk os.path glob shutil "
        "sqlite3 subprocess os.system os.popen socket urllib requests json.load read_text"
    ),
    "inspects the running notebook": (
        "get_ipython In Out _ih _oh _i _ii _iii sys._getframe inspect gc sys.modules "
        "globals builtins __builtins__ importlib sys.settrace sys.setprofile linecache traceback"
    ),
    "runs code from text": "exec eval compile __import__",
    "controls the process": (
        "os._exit sys.exit exit quit os.kill os.abort signal ctypes resource faulthandler"
    ),
}
_SUSPECT = {name: concern for concern, names in SUSPECT.items() for name in names.split()}
_BUILTINS = set(dir(builtins))


@dataclass
class Finding:
    student: str
    concern: str
    detail: str


@dataclass
class IntegrityReport:
    findings: list[Finding] = field(default_factory=list)

    def by_student(self) -> dict[str, list[Finding]]:
        out = defaultdict(list)
        for f in self.findings:
            out[f.student].append(f)
        return dict(out)

    def concerns(self, student: str) -> set[str]:
        return {f.concern for f in self.findings if f.student == student}

    def as_rows(self) -> list[dict[str, str]]:
        return [vars(f) for f in self.findings]


def _dotted(node) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def parse_python(source: str) -> ast.Module | None:
    """The cell as Python (IPython's ``!cmd`` and ``%magic`` become calls), or None."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def scan_code(tree: ast.Module, protected: set[str], modules: set[str]) -> list[tuple[str, str]]:
    """(concern, detail) for each suspicious construct of one cell of student code.

    ``protected``: names the locked cells bind (``np``, the test helpers); ``modules``: names
    bound by an import anywhere in the notebook. Assigning to an attribute of a module, or
    rebinding a protected name or a builtin, is "patches the tests"; names of ``SUSPECT`` are
    reported with their concern.
    """
    found = []

    def line(node) -> str:
        return f"line {getattr(node, 'lineno', '?')}"

    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if node.name in protected or node.name in _BUILTINS:
                found.append(("patches the tests", f"{line(node)}: redefines {node.name}"))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound in protected and not isinstance(node, ast.Import):
                    found.append(("patches the tests", f"{line(node)}: re-imports {bound}"))
                full = f"{getattr(node, 'module', None) or ''}.{alias.name}".strip(".")
                for name in (alias.name, full, alias.name.split(".")[0]):
                    if name in _SUSPECT:
                        found.append((_SUSPECT[name], f"{line(node)}: imports {full}"))
                        break
        elif isinstance(node, ast.Call) and _dotted(node.func) in ("setattr", "delattr"):
            if node.args and (_dotted(node.args[0]) or "").split(".")[0] in modules | protected:
                found.append(
                    ("patches the tests", f"{line(node)}: {_dotted(node.func)} on a module")
                )
        while any(isinstance(t, ast.Tuple | ast.List | ast.Starred) for t in targets):
            targets = [
                u
                for t in targets
                for u in (
                    t.elts
                    if isinstance(t, ast.Tuple | ast.List)
                    else [t.value]
                    if isinstance(t, ast.Starred)
                    else [t]
                )
            ]
        for t in targets:
            name = _dotted(t) if isinstance(t, ast.Attribute | ast.Name) else None
            if name is not None:
                root = name.split(".")[0]
                if isinstance(t, ast.Attribute) and root in modules | protected:
                    found.append(("patches the tests", f"{line(node)}: assigns {name}"))
                elif isinstance(t, ast.Name) and (name in protected or name in _BUILTINS):
                    found.append(("patches the tests", f"{line(node)}: rebinds {name}"))
        if isinstance(node, ast.Name | ast.Attribute):
            name = _dotted(node)
            if name is None:
                continue
            # `os.path.join` is caught by "os.path"; check every prefix of the dotted name
            parts = name.split(".")
            for k in range(len(parts), 0, -1):
                prefix = ".".join(parts[:k])
                if prefix in _SUSPECT and (k > 1 or isinstance(node, ast.Name)):
                    found.append((_SUSPECT[prefix], f"{line(node)}: uses {prefix}"))
                    break
    return list(dict.fromkeys(found))  # once per line and construct


def _student_cells(nb: dict, release: dict) -> list[dict]:
    """The code cells a student wrote: solution cells and cells the release does not have."""
    locked = {
        grade_id(c)
        for c in release["cells"]
        if c.get("metadata", {}).get("nbgrader", {}).get("locked")
    }
    return [
        c for c in nb.get("cells", []) if c.get("cell_type") == "code" and grade_id(c) not in locked
    ]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


_GRADING_KEYS = ("grade", "solution", "locked", "points", "schema_version", "task")


def tampering(nb: dict, release: dict) -> list[str]:
    """What a submission changed in the release's locked and graded cells (grading undoes it)."""
    mine = {}
    for cell in nb.get("cells", []):
        mine.setdefault(grade_id(cell), cell)
    out, order, deleted = [], [], []
    for ref in release["cells"]:
        gid, meta = grade_id(ref), ref.get("metadata", {}).get("nbgrader", {})
        if gid is None or not (meta.get("locked") or meta.get("grade")):
            continue
        cell = mine.get(gid)
        if cell is None:
            deleted.append(gid)
            continue
        order.append(gid)
        theirs = cell.get("metadata", {}).get("nbgrader", {})
        for key in _GRADING_KEYS:
            if theirs.get(key) != meta.get(key):
                out.append(f"{gid}: {key} {meta.get(key)!r} -> {theirs.get(key)!r}")
        if meta.get("locked") and _source(cell).strip() != _source(ref).strip():
            out.append(f"edited {gid}")
    submitted = [g for g in (grade_id(c) for c in nb.get("cells", [])) if g in set(order)]
    if submitted != order:
        out.append("moved graded cells")
    if deleted:
        out.insert(0, "deleted " + ", ".join(deleted))
    return out


def code_fingerprint(cells: list[dict]) -> str:
    """sha256 of the student's code as syntax trees: blind to comments, blank lines, spacing."""
    parts = []
    for cell in cells:
        tree = parse_python(_source(cell))
        parts.append(ast.dump(tree) if tree is not None else _source(cell).strip())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def integrity_report(
    course_root: Path, aid: str, grades: dict[str, GradeResult] | None = None
) -> IntegrityReport:
    """Read every submission of ``aid`` in ``course_root/submitted`` and report.

    Per student: identical code (same fingerprint as another student's, the unchanged
    release excepted), suspicious constructs of :func:`scan_code`, unreadable notebooks, and
    what the grading itself had to repair (from nbgrader's and our warnings in ``grades``).
    """
    course_root = Path(course_root)
    release_dir = course_root / "exercises" / aid
    releases = {p.stem: json.loads(p.read_text()) for p in release_dir.glob("*.ipynb")}
    report = IntegrityReport()
    prints: dict[str, list[str]] = defaultdict(list)
    blank = {name: code_fingerprint(_student_cells(nb, nb)) for name, nb in releases.items()}
    for folder in sorted((course_root / "submitted").glob(f"*/{aid}")):
        sid = folder.parent.name
        for name, release in releases.items():
            path = folder / f"{name}.ipynb"
            if not path.exists():
                report.findings.append(Finding(sid, "missing notebook", f"{name}.ipynb"))
                continue
            try:
                nb = json.loads(path.read_text())
                cells = nb["cells"]
            except (ValueError, KeyError, TypeError) as e:
                report.findings.append(Finding(sid, "unreadable notebook", f"{name}: {e}"))
                continue
            protected, modules = set(), set()
            for cell in release["cells"]:
                if cell["cell_type"] == "code" and (tree := parse_python(_source(cell))):
                    protected |= _imported(tree)
            for cell in cells:
                if cell.get("cell_type") == "code" and (tree := parse_python(_source(cell))):
                    modules |= _imported(tree)
            for detail in tampering(nb, release):
                report.findings.append(Finding(sid, "tampered cell restored", f"{name}: {detail}"))
            mine = _student_cells(nb, release)
            for cell in mine:
                tree = parse_python(_source(cell))
                if tree is None:
                    continue
                where = grade_id(cell) or f"cell {cells.index(cell) + 1}"
                for concern, detail in scan_code(tree, protected, modules):
                    report.findings.append(Finding(sid, concern, f"{name}/{where} {detail}"))
            fp = code_fingerprint(mine)
            if fp != blank[name]:
                prints[f"{name}:{fp}"].append(sid)
        for path in sorted((course_root / "autograded" / sid / aid).glob("*.ipynb")):
            graded = json.loads(path.read_text())
            how = graded.get("metadata", {}).get("actbook_grading", {})
            if how.get("sandbox") != sandbox.BUBBLEWRAP:
                what = how.get("sandbox") or "graded without the course's plug-ins"
                report.findings.append(Finding(sid, "not sandboxed", f"{path.stem}: {what}"))
            for cell in graded["cells"]:
                for out in cell.get("outputs", []):
                    if out.get("ename") in _INCIDENTS:
                        where = f"{path.stem}/{grade_id(cell) or 'a cell'}"
                        report.findings.append(
                            Finding(sid, _INCIDENTS[out["ename"]], f"{where}: {out['ename']}")
                        )
        for path in sorted(release_dir.rglob("*")):
            mine_file = folder / path.relative_to(release_dir)
            if path.suffix == ".ipynb" or not path.is_file() or not mine_file.exists():
                continue
            if mine_file.read_bytes() != path.read_bytes():
                report.findings.append(
                    Finding(sid, "tampered file restored", f"{path.name} differs from the release")
                )
    for key, group in prints.items():
        if len(group) > 1:
            for sid in group:
                others = ", ".join(s for s in group if s != sid)
                report.findings.append(
                    Finding(sid, "identical code", f"{key.split(':')[0]}: same as {others}")
                )
    for sid, res in (grades or {}).items():
        if not res.ok:
            report.findings.append(Finding(sid, "not graded", _last_error(res.log)))
        for w in res.warnings:
            concern = _repair_concern(w)
            if concern:
                report.findings.append(Finding(sid, concern, w))
    return report


_REPAIRS = [(r"not part of this assignment", "foreign cells ignored")]
_INCIDENTS = {
    "KernelDied": "kernel died",
    "KernelStuck": "kernel hung",
    "CellTimeoutError": "timed out",
    "MemoryError": "memory limit",
}


def _repair_concern(warning: str) -> str | None:
    for pattern, concern in _REPAIRS:
        if re.search(pattern, warning):
            return concern
    return None


def _last_error(log: str) -> str:
    """The exception that stopped nbgrader, from its log."""
    last = [ln for ln in log.splitlines() if re.match(r"\s*[\w.]+(Error|Exception): ", ln)]
    if last:
        return last[-1].strip()[:200]
    errors = [ln[8:] for ln in log.splitlines() if ln.startswith("[ERROR]")]
    return (errors[0] if errors else "autograde failed")[:200]


def main(argv: list[str] | None = None) -> int:
    """``python -m actbook.course.integrity {restore-names,report} ASSIGNMENT``, in the course
    folder."""
    import argparse
    import csv

    ap = argparse.ArgumentParser(
        prog="python -m actbook.course.integrity", description=main.__doc__
    )
    ap.add_argument("command", choices=["restore-names", "report"])
    ap.add_argument("assignment")
    ap.add_argument("--csv", type=Path, help="also write the report to this CSV file")
    ap.add_argument("--course", type=Path, help="course folder (default: the one you are in)")
    args = ap.parse_args(argv)
    root = (args.course or paths.course_root()).resolve()
    if args.command == "restore-names":
        names = [p.stem for p in (root / "exercises" / args.assignment).glob("*.ipynb")]
        for sid, what in restore_renamed(root, args.assignment, names).items():
            print(f"{sid}: {what}")
        return 0
    report = integrity_report(root, args.assignment)
    for f in report.findings:
        print(f"{f.student:<20} {f.concern:<30} {f.detail}")
    if not report.findings:
        print("no findings")
    if args.csv:
        with args.csv.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["student", "concern", "detail"])
            writer.writeheader()
            writer.writerows(report.as_rows())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
