"""``make student-edition DEST=DIR``: the public student edition, generated from this repository.

This repository is the instructor's and stays private: ``solutions/`` holds every answer and
hidden test. The edition is the public one: what a reader, a student and Binder need, and
nothing an instructor keeps to themselves. It holds

* the book's sources: the files of ``_toc.yml``, ``_config.yml``, ``_toc.yml``,
  ``references.bib``, ``_static/``, and the measured results the pages print
  (``benchmarks/results*.json``);
* ``exercises/``, the release (each folder with its student ``checks.py``);
* the library the chapters import, ``src/actbook`` without what only instructors use
  (:data:`LEFT_OUT`), with ``pyproject.toml``;
* what ``make lab`` needs (:data:`STUDENT_MODULES`, :data:`LAB_FILES`);
* ``requirements.txt`` without the instructor's development tools (:data:`DEV_ONLY`),
  ``runtime.txt``, and the files only the edition has (``edition/`` of this repository: its
  README, Makefile, Binder ``postBuild``, ``.gitignore``).

It never holds ``solutions/``, a gradebook, a hidden test, the reference answers of problem
set 6 or the grading machinery; :func:`check` verifies that after writing and fails loudly.
Its own ``make book`` builds the same website as ``make book`` here.

DEST must be new, empty or a previous edition (it holds :data:`MARKER`): a previous edition
is replaced, except its ``.git``, so that the publishing workflow can commit the new one on
top of the public repository's history. Any other folder is refused, never overwritten.

    python -m actbook.site.edition DEST        # write the edition into DEST
    python -m actbook.site.edition --url       # the public repository configured, or nothing
    python -m actbook.site.edition --branch    # its branch
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
from pathlib import Path

import yaml

from actbook.paths import EXERCISES, ROOT
from actbook.site import audit

#: Files of this repository that only the edition has, copied to its root.
OVERLAY = ROOT / "edition"
#: Written at the edition's root: says what it is, and lets a new edition replace it.
MARKER = ".student-edition.json"
#: What the edition leaves out of the library and the book, and why (paths below the root).
LEFT_OUT = {
    "src/actbook/course": "grading machinery (nbgrader plug-ins, integrity report, rehearsal, "
    "release) and the reference answers of problem set 6, except the student's work folder of "
    "`make lab` (STUDENT_MODULES); the student checks.py ships in exercises/",
    "src/actbook/site/instructor_build.py": "builds the site with the solutions",
    "src/actbook/site/edition.py": "generates the edition from the instructor repository",
    "src/actbook/site/audit.py": "the browser audit of the instructor test suite",
    "chapters/instructor_guide.md": "grading, and what grading cannot stop: instructor build",
    "chapters/course_performance.md": "build and grading timings for staff: instructor build",
}
#: What ``make lab`` runs (edition/common.mk): the student's work folder, filled from the
#: release and never overwritten, and the student server's settings.
STUDENT_MODULES = frozenset(
    f"src/actbook/course/{m}.py"
    for m in ("__init__", "workspace", "chapter_values", "text_notebooks", "lab_server")
)
LAB_FILES = ("jupytext.toml", "jupyter")
#: Requirements of the instructor's test suite and lint only (no page or exercise needs them).
DEV_ONLY = frozenset(
    {
        "pytest",
        "pytest-xdist",
        "execnet",
        "iniconfig",
        "pluggy",
        "ruff",
        "playwright",
        "greenlet",
        "pyee",
        "axe-playwright-python",
    }
)
#: Never in an edition: the markers of nbgrader's solution and hidden-test regions.
SECRET_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
_JUNK = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.pyc", "*.egg-info")


class EditionError(Exception):
    """The edition cannot be written (the message is one line for the user)."""


# ----------------------------------------------------------------------------- what it holds
def book_files(root: Path = ROOT) -> list[str]:
    """The book's sources, relative to ``root``: configuration, the toc's pages, static files."""
    files = ["_config.yml", "_toc.yml", "references.bib"]
    files += [
        str(audit.source_of(f, root).relative_to(root))
        for f in audit.toc_files(root)
        if not f.startswith("exercises/")  # the release is copied whole
    ]
    files += [
        str(p.relative_to(root)) for p in sorted((root / "_static").rglob("*")) if p.is_file()
    ]
    files += [str(p.relative_to(root)) for p in sorted((root / "benchmarks").glob("results*.json"))]
    files += [
        str(p.relative_to(root))
        for name in LAB_FILES
        for p in ([root / name] if (root / name).is_file() else sorted((root / name).rglob("*")))
        if p.is_file()
    ]
    return files


def is_left_out(rel: str) -> bool:
    if rel in STUDENT_MODULES:
        return False
    return any(rel == out or rel.startswith(out + "/") for out in LEFT_OUT)


def library_files(root: Path = ROOT) -> list[str]:
    """The library's modules the edition ships, relative to ``root``."""
    src = root / "src" / "actbook"
    rels = [str(p.relative_to(root)) for p in sorted(src.rglob("*.py"))]
    return [r for r in rels if not is_left_out(r) and "__pycache__" not in r]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[\s=<>!~;\[]", requirement.strip())[0]).lower()


def student_requirements(text: str) -> str:
    r"""``requirements.txt`` without :data:`DEV_ONLY`, pins kept.

    >>> print(student_requirements("-e .\nnumpy==2.0\npytest==9.0\nPyYAML==6.0\n"), end="")
    # Pinned, from the course's requirements.txt without its test and lint tools.
    -e .
    numpy==2.0
    PyYAML==6.0
    """
    head = "# Pinned, from the course's requirements.txt without its test and lint tools.\n"
    lines = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith("#") and _name(line) not in DEV_ONLY
    ]
    return head + "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- writing
def _prepare(dest: Path) -> None:
    """Make ``dest`` ready: new, empty, or a previous edition emptied except for ``.git``."""
    dest = dest.resolve()
    if dest == ROOT or ROOT.is_relative_to(dest):
        raise EditionError(f"{dest} holds the instructor repository: choose another folder")
    if dest.exists() and not dest.is_dir():
        raise EditionError(f"{dest} is a file: choose a new or empty folder")
    if dest.is_dir() and any(p.name != ".git" for p in dest.iterdir()):
        if not (dest / MARKER).is_file():
            raise EditionError(
                f"{dest} is not empty and holds no student edition ({MARKER}): refusing to "
                "overwrite it; choose a new or empty folder"
            )
        for p in dest.iterdir():
            if p.name == ".git":
                continue
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    dest.mkdir(parents=True, exist_ok=True)


def _copy(rel: str, dest: Path) -> None:
    target = dest / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / rel, target)


def write(dest: Path) -> dict:
    """Write the edition into ``dest`` (see the module's docstring); return its summary."""
    if not EXERCISES.is_dir() or not any(EXERCISES.glob("*/*.ipynb")):
        raise EditionError("exercises/ holds no released notebook: run `make exercises` first")
    if not OVERLAY.is_dir():
        raise EditionError(f"{OVERLAY} is missing: it holds the edition's README and Makefile")
    _prepare(dest)
    dest = dest.resolve()
    for rel in [*book_files(), *library_files(), "pyproject.toml", "runtime.txt"]:
        if not is_left_out(rel):
            _copy(rel, dest)
    shutil.copytree(EXERCISES, dest / "exercises", ignore=_JUNK)
    (dest / "requirements.txt").write_text(
        student_requirements((ROOT / "requirements.txt").read_text())
    )
    shutil.copytree(OVERLAY, dest, ignore=_JUNK, dirs_exist_ok=True)
    summary = {
        "what": "the public student edition of the course, generated by `make student-edition`",
        "left_out": {**LEFT_OUT, "solutions/": "instructor copies: solutions and hidden tests"},
    }
    (dest / MARKER).write_text(json.dumps(summary, indent=2) + "\n")
    problems = check(dest)
    if problems:
        raise EditionError(f"the edition in {dest} is not public-safe: {problems[0]}")
    return summary


# ----------------------------------------------------------------------------- checking
_CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def code_of(path: Path) -> list[str]:
    """The Python of a file: a module, a notebook's code cells, a MyST page's code cells."""
    text = path.read_text(errors="ignore")
    if path.suffix == ".py":
        return [text]
    if path.suffix == ".ipynb":
        cells = json.loads(text).get("cells", [])
        return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    cells = _CODE_CELL.findall(text) if path.suffix == ".md" else []
    # a cell's options (":tags: [...]") come first
    return [re.sub(r"\A(?:---\n(?:[^\n]*\n)*?---\n|(?::[\w-]+:[^\n]*\n)+)", "", c) for c in cells]


def _actbook_imports(code: str) -> set[str]:
    """The ``actbook`` modules a piece of Python imports (dotted names)."""
    found: set[str] = set()
    try:
        tree = ast.parse(code)
    except SyntaxError:  # IPython syntax (%magic, !cmd): the import lines alone
        lines = [ln for ln in code.splitlines() if re.match(r"(from|import) actbook", ln)]
        tree = ast.parse("\n".join(ln.split("#")[0].rstrip(" (\\") for ln in lines))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("actbook"):
            found |= {f"{node.module}.{a.name}" for a in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("actbook")}
    return found


def _resolves(module: str, src: Path) -> bool:
    """Whether ``module`` (or, for ``pkg.name``, the package holding ``name``) is in ``src``."""
    path = src.joinpath(*module.split("."))
    if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
        return True
    return path.parent.with_suffix(".py").is_file()  # `from actbook.x.mod import name`


def check(dest: Path) -> list[str]:
    """What makes ``dest`` unfit to publish: instructor material, or an import of a module it
    does not hold. Empty when it is fine."""
    problems = []
    for path in sorted(dest.rglob("*")):
        rel = path.relative_to(dest)
        if rel.parts[0] in (".git", ".venv", "_build") or not path.is_file():  # not its sources
            continue
        if "solutions" in rel.parts or path.name.startswith("gradebook"):
            problems.append(f"{rel} is instructor material")
            continue
        text = path.read_text(errors="ignore")
        if any(m in text for m in SECRET_MARKERS):
            problems.append(f"{rel} holds an nbgrader solution or hidden-test marker")
        imported = set().union(*map(_actbook_imports, code_of(path)))
        for module in sorted(imported):
            if not _resolves(module, dest / "src"):
                problems.append(f"{rel} imports {module}, which the edition does not hold")
    return problems


def configured_url(root: Path = ROOT) -> str:
    """The public edition's repository, from ``_config.yml`` (the one place), or ""."""
    return audit.public_repository(root)


def configured_branch(root: Path = ROOT) -> str:
    """The public edition's branch, from ``_config.yml`` (``main`` when unset)."""
    conf = yaml.safe_load((root / "_config.yml").read_text())
    return str((conf.get("repository") or {}).get("branch") or "main")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", nargs="?", type=Path, help="the folder to write the edition to")
    parser.add_argument("--url", action="store_true", help="print the configured public repository")
    parser.add_argument("--branch", action="store_true", help="print its branch")
    args = parser.parse_args(argv)
    if args.url or args.branch:
        print(configured_url() if args.url else configured_branch())
        return 0
    if args.dest is None:
        parser.error("give the folder to write: make student-edition DEST=DIR")
    try:
        write(args.dest)
    except EditionError as e:
        print(f"student-edition: {e}", file=sys.stderr)
        return 1
    files = [p for p in args.dest.rglob("*") if p.is_file() and ".git" not in p.parts]
    size = sum(p.stat().st_size for p in files)
    print(f"student edition: {len(files)} files, {size / 1e6:.1f} MB in {args.dest.resolve()}")
    print("  build its site: cd DEST && make book; open its exercises: make lab")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
