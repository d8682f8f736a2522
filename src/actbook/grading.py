"""Grading with nbgrader: the settings' machinery, a programmatic course, and an integrity report.

Three layers, used by ``nbgrader_config.py``, ``make grade-demo``, the tests and the benchmark:

1. nbgrader plug-ins, switched on by ``nbgrader_config.py``:

   - :class:`LimitedKernelManager` starts each grading kernel under a memory cap
     (``RLIMIT_AS`` set by a two-line launcher that then ``exec``\\ s the kernel);
   - :class:`RestoreLayout` puts a submission's graded and locked cells back in the order and
     with the metadata of the release (deleted, moved or re-labelled test cells, a notebook of
     another assignment, an empty notebook);
   - :class:`ResilientExecute` executes like nbgrader's ``Execute`` but survives a dead kernel
     (``os._exit``, a segfault) or one that ignores the timeout's interrupt: it marks the cell
     that killed it as failed, restarts, and runs the notebook again without that cell. It
     also re-arms the test helpers before every test cell (a *guard*), so that a submission
     that patches ``np.allclose`` or redefines ``expect_close`` is graded with the real ones.

2. :class:`Course`: a complete nbgrader course in a folder of its own (a temporary one for the
   rehearsal): generate, release through an exchange, fetch and submit as students, collect,
   autograde with progress, feedback, CSV export. The repository is never written to.

3. :func:`integrity_report`: what nbgrader cannot stop, found after grading: identical
   submissions (hash of the student's code, as a syntax tree) and student code that patches
   modules or test helpers, reads files, inspects the running notebook or kills its process.
"""

from __future__ import annotations

import ast
import builtins
import copy
import hashlib
import json
import queue
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets import Bool, Float, Integer
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "nbgrader_config.py"
MEMORY_LIMIT_SUPPORTED = sys.platform.startswith("linux")

# ---------------------------------------------------------------------------------------------
# 1. nbgrader plug-ins
# ---------------------------------------------------------------------------------------------

# Runs before the kernel: caps the address space (soft = hard, so that the student's code
# cannot raise it again), keeps BLAS single-threaded (each BLAS thread reserves address space,
# and a 64-core grader would otherwise hit the cap at `import numpy`), then becomes the kernel.
_LAUNCHER = (
    "import os, resource, sys\n"
    "n = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_AS, (n, n))\n"
    "for k in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):\n"
    "    os.environ.setdefault(k, '1')\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


class LimitedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels cannot allocate more than ``memory_limit`` bytes.

    A huge allocation then fails inside the student's code with ``MemoryError`` (a failed
    test) instead of swapping the grading machine to a halt. Linux only (macOS does not
    enforce ``RLIMIT_AS``); elsewhere the limit is ignored.
    """

    memory_limit = Integer(0, help="Address-space cap of a kernel, in bytes (0: none).").tag(
        config=True
    )

    quiet = Bool(True, help="Discard the kernel process's own stdout and stderr.").tag(config=True)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if self.quiet:  # its log lines (not the student's output, which comes by messages)
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.memory_limit > 0 and MEMORY_LIMIT_SUPPORTED:
            return [sys.executable, "-c", _LAUNCHER, str(self.memory_limit), *cmd]
        return cmd


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


class RestoreLayout(NbGraderPreprocessor):
    """Rebuild a submission on the release's skeleton before nbgrader checks it.

    Every cell of the release that carries a ``grade_id`` appears once, in the release's order,
    with the release's metadata (points, locked, grade flags, schema version); a missing one is
    put back from the release. The student's other cells follow the graded cell they followed
    in the submission. Cells with a ``grade_id`` the assignment does not know (another
    assignment's notebook, duplicates) lose their nbgrader metadata and count for nothing.
    nbgrader's ``OverwriteCells`` then restores the locked cells' text from the gradebook.
    """

    def _release(self, resources) -> nbformat.NotebookNode | None:
        coursedir = CourseDirectory(config=self.config)
        aid = resources["nbgrader"]["assignment"]
        nid = resources["nbgrader"]["notebook"]
        path = Path(coursedir.format_path(coursedir.release_directory, ".", aid)) / f"{nid}.ipynb"
        if not path.exists():
            self.log.warning("RestoreLayout: no release notebook %s, layout left as is", path)
            return None
        return nbformat.read(path, as_version=4)

    def preprocess(self, nb, resources):
        release = self._release(resources)
        if release is None:
            return nb, resources
        reference = [c for c in release.cells if _gid(c)]
        known = {_gid(c) for c in reference}
        head, groups, current = [], {}, None
        for cell in nb.cells:
            gid = _gid(cell)
            if gid in known and gid not in groups:
                current = groups[gid] = [cell]
                continue
            if gid is not None:  # unknown or duplicated: an ordinary cell from now on
                self.log.warning("RestoreLayout: cell %r is not part of this assignment", gid)
                del cell.metadata["nbgrader"]
            (head if current is None else current).append(cell)
        cells, missing = list(head), []
        for ref in reference:
            gid = _gid(ref)
            if gid not in groups:
                missing.append(gid)
                cells.append(copy.deepcopy(ref))
                continue
            first = groups[gid][0]
            for key in ("nbgrader", "deletable", "editable"):
                if key in ref.metadata:
                    first.metadata[key] = copy.deepcopy(ref.metadata[key])
                else:
                    first.metadata.pop(key, None)
            cells.extend(groups[gid])
        order = [g for g in (_gid(c) for c in nb.cells) if g in known]
        if order != [g for g in (_gid(c) for c in reference) if g in groups]:
            self.log.warning("RestoreLayout: graded cells were moved; release order restored")
        if missing:
            self.log.warning("RestoreLayout: restored missing cells %s", ", ".join(missing))
        seen: set[str] = set()
        for cell in cells:  # copies from the release may clash with the student's cell ids
            if cell.get("id") in seen or "id" not in cell:
                cell["id"] = uuid.uuid4().hex[:12]
            seen.add(cell["id"])
        nb.cells = cells
        return nb, resources


# The guard: a module made inside the kernel before any student code runs. It keeps the
# original attributes of numpy, numpy.testing and builtins, and before every test cell puts
# them back and re-binds the test helpers from a fresh copy of checks.py.
GUARD_MODULE = r"""
import builtins, importlib.util, os, sys
import numpy
_SAVED = []


def snapshot():
    for mod in (numpy, numpy.testing, builtins):
        _SAVED.append((mod, dict(vars(mod))))


def restore(ns):
    for mod, saved in _SAVED:
        current = vars(mod)
        for key, value in saved.items():
            if current.get(key, _SAVED) is not value:
                setattr(mod, key, value)
        sys.modules[mod.__name__] = mod
    for key in ("np", "numpy"):
        if key in ns:
            ns[key] = numpy
    if os.path.exists("checks.py"):
        spec = importlib.util.spec_from_file_location("checks", os.path.abspath("checks.py"))
        fresh = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fresh)
        sys.modules["checks"] = fresh
        for key, value in vars(fresh).items():
            if key in ns and getattr(value, "__module__", None) == "checks":
                ns[key] = value
"""
_GUARD_SETUP = (
    "def _grading_guard_setup():\n"
    "    import sys, types\n"
    "    m = types.ModuleType('_grading_guard')\n"
    f"    exec(compile({GUARD_MODULE!r}, '<grading guard>', 'exec'), m.__dict__)\n"
    "    m.snapshot()\n"
    "    sys.modules['_grading_guard'] = m\n"
    "try:\n"
    "    _grading_guard_setup()\n"
    "finally:\n"
    "    del _grading_guard_setup\n"
)
_GUARD_RESTORE = (
    "try:\n"
    "    __import__('sys').modules['_grading_guard'].restore(globals())\n"
    "except Exception:\n"
    "    pass\n"
)


def _guard_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["grading_guard"] = True
    return cell


class _StuckKernel(Exception):
    """The kernel did not come back after a timeout's interrupt."""


def _failure(ename: str, evalue: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]
    )


class ResilientExecute(Execute):
    """nbgrader's ``Execute``, made robust to kernels that die or hang, with the guard.

    When the kernel dies during a cell (``os._exit``, a segfault, the memory cap's killer) or
    stays busy after the timeout's interrupt (code that ignores SIGINT), that cell gets an
    error output, the kernel is restarted and the notebook runs again from the top without
    it, so each later test is graded on its own merits. After ``max_kernel_restarts``, every
    remaining cell is marked failed.
    """

    max_kernel_restarts = Integer(5, help="Restarts allowed per notebook.").tag(config=True)
    stuck_grace = Float(5.0, help="Seconds a kernel has to answer after an interrupt.").tag(
        config=True
    )
    guard = Bool(True, help="Re-arm numpy, builtins and checks.py before each test.").tag(
        config=True
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)

    def _with_guard(self, nb):
        cells = [_guard_cell(_GUARD_SETUP)]
        for cell in nb.cells:
            is_test = cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
            if is_test:
                cells.append(_guard_cell(_GUARD_RESTORE))
            cells.append(cell)
        nb.cells = cells
        return nb

    #: (seconds executing, kernel restarts) of every notebook run in this process: the
    #: benchmark splits autograde's time into execution and nbgrader's bookkeeping with it.
    history: ClassVar[list[tuple[float, int]]] = []

    def preprocess(self, nb, resources=None, km=None):
        t0 = time.perf_counter()
        layout = self._with_guard(copy.deepcopy(nb)) if self.guard else copy.deepcopy(nb)
        self._skip: dict[int, nbformat.NotebookNode] = {}
        for attempt in range(self.max_kernel_restarts + 1):
            self._index = -1
            work = copy.deepcopy(layout)
            try:
                out, resources = super().preprocess(work, resources, km)
                break
            except (DeadKernelError, CellTimeoutError, _StuckKernel) as err:
                dead = isinstance(err, DeadKernelError)
                what = "the kernel died" if dead else "the kernel ignored the timeout's interrupt"
                self.log.warning(
                    "ResilientExecute: %s in cell %d; restarting without it", what, self._index
                )
                self._skip[self._index] = _failure(
                    "KernelDied" if dead else "KernelStuck",
                    f"{what} while running this cell: it was restarted and the cells "
                    "after this one were run again without it",
                )
                if attempt == self.max_kernel_restarts:  # give up on the rest
                    for i, cell in enumerate(work.cells):
                        if i >= self._index and cell.cell_type == "code":
                            cell.outputs = [_failure("KernelDied", "not run: too many restarts")]
                    out = work
        out.cells = [c for c in out.cells if not c.metadata.get("grading_guard")]
        ResilientExecute.history.append((time.perf_counter() - t0, len(self._skip)))
        return out, resources

    def preprocess_cell(self, cell, resources, index):
        self._index = index
        if index in self._skip:
            cell.outputs = [copy.deepcopy(self._skip[index])]
            cell.execution_count = None
            return cell, resources
        cell, resources = super().preprocess_cell(cell, resources, index)
        timed_out = any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", []))
        if timed_out and not self._responsive():
            raise _StuckKernel
        return cell, resources

    def _responsive(self) -> bool:
        """Does the kernel run an empty cell within ``stuck_grace`` seconds?"""
        msg_id = self.kc.execute("", silent=True, store_history=False)
        deadline = time.monotonic() + self.stuck_grace
        get = run_sync(self.kc.shell_channel.get_msg)
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = get(timeout=left)
            except queue.Empty:
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
        return False


SANITIZE_PREPROCESSORS = [
    ClearOutput,
    RestoreLayout,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
AUTOGRADE_PREPROCESSORS = [
    ResilientExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]


def load_config(path: Path = CONFIG_FILE) -> Config:
    """The course's nbgrader settings. ``NbGraderAPI()`` alone would not read the file."""
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


# ---------------------------------------------------------------------------------------------
# 2. A course in a folder of its own
# ---------------------------------------------------------------------------------------------


@dataclass
class GradeResult:
    student: str
    score: float
    max_score: float
    cells: dict[str, float]
    ok: bool
    seconds: float
    log: str = ""

    @property
    def warnings(self) -> list[str]:
        return [line[10:] for line in self.log.splitlines() if line.startswith("[WARNING]")]


class Course:
    """An nbgrader course in ``root``, built from the repository's assignments and settings.

    ``root`` gets ``solutions/`` (a copy of the instructor notebooks), ``exercises/`` (made by
    ``generate_assignment``), ``gradebook.db``, an ``exchange/`` and ``students/<id>/`` homes;
    the repository itself is only read.
    """

    def __init__(
        self, root: Path, assignments: Iterable[str], *, timeout: int | None = None, **settings
    ):
        from nbgrader.apps import NbGraderAPI

        self.root = Path(root).resolve()
        self.exchange = self.root / "exchange"
        self.exchange.mkdir(parents=True, exist_ok=True)
        self.exchange.chmod(0o777)  # as on a shared exchange: everyone may write their inbound
        for aid in assignments:
            shutil.copytree(ROOT / "solutions" / aid, self.root / "solutions" / aid)
        self.config = load_config()
        self.config.CourseDirectory.root = str(self.root)
        self.config.CourseDirectory.db_url = f"sqlite:///{self.root / 'gradebook.db'}"
        self.config.Exchange.root = str(self.exchange)
        self.config.NbGraderAPI.log_level = "WARN"
        if timeout is not None:
            self.config.Execute.timeout = timeout
        for dotted, value in settings.items():  # e.g. ResilientExecute__guard=False
            section, name = dotted.split("__")
            setattr(self.config[section], name, value)
        self.api = NbGraderAPI(config=self.config)

    def _check(self, result: dict, what: str) -> dict:
        if not result.get("success"):
            raise RuntimeError(f"{what} failed:\n{result.get('error') or result.get('log')}")
        return result

    # -- the instructor's side ------------------------------------------------------------
    def generate(self, aid: str) -> None:
        self._check(self.api.generate_assignment(aid), f"generate_assignment {aid}")

    def release(self, aid: str) -> None:
        self._check(self.api.release_assignment(aid), f"release_assignment {aid}")

    def collect(self, aid: str) -> None:
        self._check(self.api.collect(aid), f"collect {aid}")

    def submitted(self, aid: str) -> list[str]:
        return sorted(self.api.get_submitted_students(aid))

    def autograde(
        self, aid: str, students: Iterable[str], progress: Callable | None = None
    ) -> dict[str, GradeResult]:
        """Grade each student in turn, in this process; one student's failure stops nothing."""
        students = list(students)
        results = {}
        for i, sid in enumerate(students, 1):
            t0 = time.perf_counter()
            res = self.api.autograde(aid, sid)
            seconds = time.perf_counter() - t0
            score, max_score, cells = self.scores(aid, sid)
            results[sid] = GradeResult(
                sid, score, max_score, cells, bool(res.get("success")), seconds, res.get("log", "")
            )
            if progress:
                progress(i, len(students), results[sid])
        return results

    def scores(self, aid: str, sid: str) -> tuple[float, float, dict[str, float]]:
        """(score, max score, score of each test cell) in the gradebook; 0 where ungraded."""
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(self.config.CourseDirectory.db_url) as gb:
            assignment = gb.find_assignment(aid)
            max_score = float(assignment.max_score)
            try:
                sub = gb.find_submission(aid, sid)
            except MissingEntry:
                return 0.0, max_score, {}
            cells = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    cells[g.cell.name] = float(g.score or 0.0)
            return float(sub.score or 0.0), max_score, cells

    def generate_feedback(self, aid: str) -> None:
        self._check(self.api.generate_feedback(aid), f"generate_feedback {aid}")

    def release_feedback(self, aid: str) -> None:
        self._check(self.api.release_feedback(aid), f"release_feedback {aid}")

    def export_csv(self, path: Path) -> Path:
        from nbgrader.api import Gradebook
        from nbgrader.plugins import CsvExportPlugin

        plugin = CsvExportPlugin(config=self.config)
        plugin.to = str(path)
        with Gradebook(self.config.CourseDirectory.db_url) as gb:
            plugin.export(gb)
        return Path(path)

    # -- the students' side ---------------------------------------------------------------
    def home(self, sid: str) -> Path:
        return self.root / "students" / sid

    def _student_app(self, kind: str, aid: str, sid: str):
        from nbgrader.auth import Authenticator
        from nbgrader.exchange import ExchangeFactory

        cfg = copy.deepcopy(self.config)
        cfg.Exchange.assignment_dir = str(self.home(sid))
        # nbgrader remembers a user's submissions in a cache under their home (fetch_feedback
        # finds their feedback through it): one per fake student, inside the course
        cfg.Exchange.cache = str(self.home(sid) / ".nbgrader_cache")
        cfg.CourseDirectory.assignment_id = aid
        cfg.CourseDirectory.student_id = sid
        coursedir = CourseDirectory(config=cfg)
        factory = ExchangeFactory(config=cfg)
        app = getattr(factory, kind)(
            coursedir=coursedir, authenticator=Authenticator(config=cfg), config=cfg
        )
        return app

    def fetch(self, aid: str, sid: str) -> Path:
        """What a student's *Fetch* button does: copy the release into their home."""
        self.home(sid).mkdir(parents=True, exist_ok=True)
        self._student_app("FetchAssignment", aid, sid).start()
        return self.home(sid) / aid

    def submit(self, aid: str, sid: str) -> None:
        """What a student's *Submit* button does: copy their folder into the inbound."""
        self._student_app("Submit", aid, sid).start()

    def fetch_feedback(self, aid: str, sid: str) -> list[Path]:
        self._student_app("FetchFeedback", aid, sid).start()
        return sorted((self.home(sid) / aid / "feedback").rglob("*.html"))


def restore_renamed(course_root: Path, aid: str, notebooks: Iterable[str]) -> dict[str, str]:
    """Give a renamed notebook (``ps01-classic-Copy1.ipynb``) back its name, before grading.

    nbgrader grades notebooks by file name, so a renamed one would score 0. When an expected
    notebook is missing and the submission holds exactly one unknown notebook, that one is
    the student's work. Returns {student: "old name -> new name"} for the report.
    """
    moved = {}
    for folder in sorted((course_root / "submitted").glob(f"*/{aid}")):
        expected = set(notebooks)
        present = {p.stem for p in folder.glob("*.ipynb")}
        lacking, unknown = expected - present, sorted(present - expected)
        if len(lacking) == 1 and len(unknown) == 1:
            new = lacking.pop()
            (folder / f"{unknown[0]}.ipynb").rename(folder / f"{new}.ipynb")
            moved[folder.parent.name] = f"{unknown[0]}.ipynb -> {new}.ipynb"
    return moved


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


def _python(source: str) -> ast.Module | None:
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
        _gid(c) for c in release["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("locked")
    }
    return [
        c for c in nb.get("cells", []) if c.get("cell_type") == "code" and _gid(c) not in locked
    ]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


_GRADING_KEYS = ("grade", "solution", "locked", "points", "schema_version", "task")


def tampering(nb: dict, release: dict) -> list[str]:
    """What a submission changed in the release's locked and graded cells (grading undoes it)."""
    mine = {}
    for cell in nb.get("cells", []):
        mine.setdefault(_gid(cell), cell)
    out, order, deleted = [], [], []
    for ref in release["cells"]:
        gid, meta = _gid(ref), ref.get("metadata", {}).get("nbgrader", {})
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
    submitted = [g for g in (_gid(c) for c in nb.get("cells", [])) if g in set(order)]
    if submitted != order:
        out.append("moved graded cells")
    if deleted:
        out.insert(0, "deleted " + ", ".join(deleted))
    return out


def code_fingerprint(cells: list[dict]) -> str:
    """sha256 of the student's code as syntax trees: blind to comments, blank lines, spacing."""
    parts = []
    for cell in cells:
        tree = _python(_source(cell))
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
                if cell["cell_type"] == "code" and (tree := _python(_source(cell))):
                    protected |= _imported(tree)
            for cell in cells:
                if cell.get("cell_type") == "code" and (tree := _python(_source(cell))):
                    modules |= _imported(tree)
            for detail in tampering(nb, release):
                report.findings.append(Finding(sid, "tampered cell restored", f"{name}: {detail}"))
            mine = _student_cells(nb, release)
            for cell in mine:
                tree = _python(_source(cell))
                if tree is None:
                    continue
                where = _gid(cell) or f"cell {cells.index(cell) + 1}"
                for concern, detail in scan_code(tree, protected, modules):
                    report.findings.append(Finding(sid, concern, f"{name}/{where} {detail}"))
            fp = code_fingerprint(mine)
            if fp != blank[name]:
                prints[f"{name}:{fp}"].append(sid)
        for path in sorted((course_root / "autograded" / sid / aid).glob("*.ipynb")):
            for cell in json.loads(path.read_text())["cells"]:
                for out in cell.get("outputs", []):
                    if out.get("ename") in _INCIDENTS:
                        where = f"{path.stem}/{_gid(cell) or 'a cell'}"
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
    """``python -m actbook.grading {restore-names,report} ASSIGNMENT``, in the course directory."""
    import argparse
    import csv

    ap = argparse.ArgumentParser(prog="python -m actbook.grading", description=main.__doc__)
    ap.add_argument("command", choices=["restore-names", "report"])
    ap.add_argument("assignment")
    ap.add_argument("--csv", type=Path, help="also write the report to this CSV file")
    args = ap.parse_args(argv)
    cfg = load_config()
    root = Path(cfg.CourseDirectory.root)
    if args.command == "restore-names":
        names = [p.stem for p in (root / "exercises" / args.assignment).glob("*.ipynb")]
        for sid, what in restore_renamed(root, args.assignment, names).items():
            print(f"{sid}: {what}")
        return 0
    report = integrity_report(root, args.assignment)
    for f in report.findings:
        print(f"{f.student:<20} {f.concern:<30} {f.detail}")
    if args.csv:
        with args.csv.open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=["student", "concern", "detail"])
            writer.writeheader()
            writer.writerows(report.as_rows())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
