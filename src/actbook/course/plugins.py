"""nbgrader plug-ins, switched on by ``nbgrader_config.py``.

- :class:`LimitedKernelManager` starts each student's kernel in a sandbox (bubblewrap, see
  :mod:`actbook.course.sandbox`: nothing of the course readable, nothing writable but a
  scratch copy of the submission, no network) under a memory cap (``RLIMIT_AS`` set by a
  two-line launcher that then ``exec``\\ s the kernel); with no sandbox it refuses, unless
  the instructor opted out explicitly;
- :class:`RestoreLayout` puts a submission's graded and locked cells back in the order and
  with the metadata of the release (deleted, moved or re-labelled test cells, a notebook of
  another assignment, an empty notebook);
- :class:`ResilientExecute` executes like nbgrader's ``Execute`` but survives a dead kernel
  (``os._exit``, a segfault) or one that ignores the timeout's interrupt: it marks the cell
  that killed it as failed, restarts, and runs the notebook again without that cell. The
  test cells run in a second, *trusted* kernel that the student's code cannot reach: it sees
  the student's answers only as data, and calls the student's functions remotely
  (:mod:`actbook.course.bridge`). Input transformers, patched modules or builtins, a trace
  function, a replaced ``AssertionError`` live in the student's kernel and change nothing there.
- :class:`HideTests` keeps hidden tests out of the feedback: their code is replaced by a
  line that says so, and each failed check shows its message, not a traceback.
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import ClassVar

import nbformat
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
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

from actbook.course import sandbox
from actbook.course.forked_kernel import ForkedKernel
from actbook.paths import CONFIG_FILE

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


class GuardedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels die with the process that launched them, also when it
    is killed (a crash, the OOM killer) while launching them: see
    :func:`actbook.course.sandbox.orphan_guard`."""

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        await super()._async_launch_kernel(sandbox.orphan_guard(kernel_cmd), **kw)


class LimitedKernelManager(GuardedKernelManager):
    """A kernel manager whose kernels run sandboxed and cannot allocate more than
    ``memory_limit`` bytes.

    A huge allocation then fails inside the student's code with ``MemoryError`` (a failed
    test) instead of swapping the grading machine to a halt. Linux only (macOS does not
    enforce ``RLIMIT_AS``); elsewhere the limit is ignored. The sandbox: see
    :mod:`actbook.course.sandbox`; :attr:`grading_sandbox` says what the kernel ran in.
    """

    memory_limit = Integer(0, help="Address-space cap of a kernel, in bytes (0: none).").tag(
        config=True
    )

    quiet = Bool(True, help="Discard the kernel process's own stdout and stderr.").tag(config=True)

    sandbox = Bool(
        True,
        help="Run kernels in a bubblewrap sandbox; with none available, refuse to start. "
        "False (or ACTBOOK_GRADE_UNSANDBOXED=1): unsandboxed, on purpose, and reported.",
    ).tag(config=True)

    grading_sandbox: str | None = None
    _tmp: Path | None = None

    def _sandbox_mode(self) -> str:
        if not self.sandbox or sandbox.opted_out():
            return sandbox.NONE
        problem = sandbox.bwrap_problem()
        if problem:
            raise sandbox.NoSandbox(sandbox.refusal(problem))
        return sandbox.BUBBLEWRAP

    async def _async_pre_start_kernel(self, **kw):
        self.grading_sandbox = self._sandbox_mode()
        if self.grading_sandbox == sandbox.BUBBLEWRAP:
            # Unix sockets in a folder bound into the sandbox: it has no network at all
            self._tmp = Path(tempfile.mkdtemp(prefix="actbook-kernel-"))
            (self._tmp / "run").mkdir()
            self.transport, self.ip = "ipc", str(self._tmp / "run" / "k")
            self.connection_file = str(self._tmp / "run" / "kernel.json")
            # a signal would reach bwrap, not the kernel in its own session: ask the kernel
            self.kernel_spec.interrupt_mode = "message"
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        if self.quiet:  # its log lines (not the student's output, which comes by messages)
            kw.setdefault("stdout", subprocess.DEVNULL)
            kw.setdefault("stderr", subprocess.DEVNULL)
        if self.grading_sandbox == sandbox.BUBBLEWRAP and self._tmp is not None:
            work = Path(kw.get("cwd") or Path.cwd()).resolve()
            sandbox.scratch_copy(work, self._tmp / "scratch")
            root = Path(CourseDirectory(config=self.config).root).resolve()
            kernel_cmd = sandbox.bwrap_argv(
                kernel_cmd, self._tmp / "run", work, self._tmp / "scratch", root
            )
        await super()._async_launch_kernel(kernel_cmd, **kw)

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if self._tmp is not None and not restart:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.memory_limit > 0 and MEMORY_LIMIT_SUPPORTED:
            return [sys.executable, "-c", _LAUNCHER, str(self.memory_limit), *cmd]
        return cmd


def grade_id(cell) -> str | None:
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
        reference = [c for c in release.cells if grade_id(c)]
        known = {grade_id(c) for c in reference}
        head, groups, current = [], {}, None
        for cell in nb.cells:
            gid = grade_id(cell)
            if gid in known and gid not in groups:
                current = groups[gid] = [cell]
                continue
            if gid is not None:  # unknown or duplicated: an ordinary cell from now on
                self.log.warning("RestoreLayout: cell %r is not part of this assignment", gid)
                del cell.metadata["nbgrader"]
            (head if current is None else current).append(cell)
        cells, missing = list(head), []
        for ref in reference:
            gid = grade_id(ref)
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
        order = [g for g in (grade_id(c) for c in nb.cells) if g in known]
        if order != [g for g in (grade_id(c) for c in reference) if g in groups]:
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


class _StuckKernel(Exception):
    """The kernel did not come back after a timeout's interrupt."""


def _failure(ename: str, evalue: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"]
    )


BRIDGE = Path(__file__).with_name("bridge.py")
_BRIDGE_IMPORT = "__import__('sys').modules['_grading_bridge']"


def _install_bridge_code() -> str:
    """Code that makes :mod:`actbook.course.bridge` a module ``_grading_bridge`` of a kernel."""
    return (
        "def _grading_bridge_setup():\n"
        "    import sys, types\n"
        "    m = types.ModuleType('_grading_bridge')\n"
        f"    exec(compile({BRIDGE.read_text()!r}, '<grading bridge>', 'exec'), m.__dict__)\n"
        "    sys.modules['_grading_bridge'] = m\n"
        "try:\n"
        "    _grading_bridge_setup()\n"
        "finally:\n"
        "    del _grading_bridge_setup\n"
    )


def used_names(source: str) -> list[str]:
    """Names a test cell reads that it does not bind itself and that are not builtins: the
    student's answers it needs (a superset: a name the student never defined is skipped)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    loads, bound = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loads if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return sorted(loads - bound - set(dir(builtins)))


class _Trusted:
    """The kernel that runs the tests: unsandboxed, fed only by the course's own code (the
    locked cells, restored from the gradebook) and by data from the student's kernel. Its
    folder holds a copy of the assignment's source files (``checks.py``), never the student's.
    """

    def __init__(self, source_dir: Path, timeout: float, log):
        """Start the kernel (a fork of this process: :mod:`actbook.course.forked_kernel`);
        :meth:`connect` waits for it. Started when the notebook starts, it gets ready while
        the student's kernel starts and runs the first cells."""
        self.tmp = Path(tempfile.mkdtemp(prefix="actbook-tests-"))
        for path in source_dir.glob("*"):
            if path.is_file() and path.suffix != ".ipynb":
                shutil.copy2(path, self.tmp / path.name)
        self.timeout, self.log, self.kc = timeout, log, None
        setup = self.tmp / ".grading_bridge_setup.py"  # run by the kernel as it starts
        setup.write_text(_install_bridge_code())
        self.kernel = ForkedKernel(self.tmp, [f"--IPKernelApp.exec_files={setup}"])

    def connect(self, student_info: dict) -> None:
        """Wait for the kernel (which installed the bridge as it started), then connect the
        bridge to the student's kernel."""
        self.kc = run_sync(self.kernel.client)(timeout=120)
        info = {k: v.decode() if isinstance(v, bytes) else v for k, v in student_info.items()}
        self.run(f"{_BRIDGE_IMPORT}.connect({json.dumps(info)})")

    def send(self, code: str) -> str:
        """Ask the kernel to execute ``code`` quietly; :meth:`reply` waits for the answer."""
        return self.kc.execute(code, silent=True, store_history=False)

    def reply(self, msg_id: str, timeout: float | None = None) -> dict:
        """The content of the reply to :meth:`send`'s request ``msg_id``."""

        async def go():
            deadline = time.monotonic() + (timeout or self.timeout)
            while (left := deadline - time.monotonic()) > 0:
                msg = await self.kc.shell_channel.get_msg(timeout=left)
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg["content"]
            raise TimeoutError("the test kernel did not answer")

        try:
            return run_sync(go)()
        except queue.Empty:
            raise TimeoutError("the test kernel did not answer") from None

    def run(self, code: str, timeout: float | None = None) -> dict:
        """Execute ``code`` quietly; return the reply's content."""
        return self.reply(self.send(code), timeout)

    def stop(self) -> None:
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            self.kernel.kill()
        except Exception as e:  # never let cleanup hide the grade
            self.log.warning("ResilientExecute: stopping the test kernel: %s", e)
        shutil.rmtree(self.tmp, ignore_errors=True)


class ResilientExecute(Execute):
    """nbgrader's ``Execute``, made robust to kernels that die or hang, with the tests run
    in a trusted kernel.

    When the kernel dies during a cell (``os._exit``, a segfault, the memory cap's killer) or
    stays busy after the timeout's interrupt (code that ignores SIGINT), that cell gets an
    error output, the kernel is restarted and the notebook runs again from the top without
    it, so each later test is graded on its own merits. After ``max_kernel_restarts``, every
    remaining cell is marked failed.

    With ``split`` (the default), the cells are shared out by what the gradebook says they
    are: the student's cells run in the student's (sandboxed) kernel; the test cells run in a
    trusted kernel; the other locked cells (imports, given data) run in both. Before each test
    cell, the names it reads are fetched from the student's kernel as data, functions as
    stubs that call the student's function remotely (:mod:`actbook.course.bridge`).
    """

    max_kernel_restarts = Integer(5, help="Restarts allowed per notebook.").tag(config=True)
    stuck_grace = Float(5.0, help="Seconds a kernel has to answer after an interrupt.").tag(
        config=True
    )
    split = Bool(
        True, help="Run the test cells in a trusted kernel out of the student's reach."
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", LimitedKernelManager)
        super().__init__(*args, **kwargs)

    #: (seconds executing, kernel restarts) of every notebook run in this process: the
    #: benchmark splits autograde's time into execution and nbgrader's bookkeeping with it.
    history: ClassVar[list[tuple[float, int]]] = []

    def _roles(self, resources) -> dict[str, tuple[str, str]]:
        """grade_id -> ("test" | "given", source) of the notebook's locked code cells, from
        the gradebook (the instructor's text; a student's cell never gets a role)."""
        from nbgrader.api import Gradebook, MissingEntry

        info = (resources or {}).get("nbgrader", {})
        if not {"db_url", "assignment", "notebook"} <= set(info):
            return {}
        course_id = CourseDirectory(config=self.config).course_id
        roles = {}
        with Gradebook(info["db_url"], course_id) as gb:
            try:
                notebook = gb.find_notebook(info["notebook"], info["assignment"])
            except MissingEntry:
                return {}
            tests = {c.name for c in notebook.grade_cells if c.cell_type == "code"}
            tests -= {c.name for c in notebook.solution_cells}
            for cell in notebook.source_cells:
                if cell.cell_type == "code" and cell.locked:
                    roles[cell.name] = ("test" if cell.name in tests else "given", cell.source)
        return roles

    def _role(self, cell) -> str:
        gid = grade_id(cell)
        if cell.cell_type != "code" or gid not in self._cell_roles:
            return "student"
        role, source = self._cell_roles[gid]
        return role if cell.source == source else "student"

    def preprocess(self, nb, resources=None, km=None):
        t0 = time.perf_counter()
        layout = copy.deepcopy(nb)
        self._skip: dict[int, nbformat.NotebookNode] = {}
        self._cell_roles = self._roles(resources) if self.split else {}
        self._resources = resources or {}
        self._sandbox = None
        for attempt in range(self.max_kernel_restarts + 1):
            self._index = -1
            self._trusted: _Trusted | None = None
            work = copy.deepcopy(layout)
            try:
                if self._cell_roles:
                    self._trusted = self._launch_trusted()
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
            finally:
                if self._trusted is not None:
                    self._trusted.stop()
                    self._trusted = None
        out.metadata["actbook_grading"] = {
            "sandbox": self._sandbox or sandbox.NONE,
            "tests": "trusted kernel" if self._cell_roles else "student's kernel",
        }
        ResilientExecute.history.append((time.perf_counter() - t0, len(self._skip)))
        return out, resources

    def _launch_trusted(self) -> _Trusted:
        info = self._resources.get("nbgrader", {})
        coursedir = CourseDirectory(config=self.config)
        source = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
        return _Trusted(source, max(self.timeout or 60, 60), self.log)

    async def _async_check_alive(self) -> None:
        # while a test runs in the trusted kernel, the student's kernel may die under it
        if self.km is not None and not await ensure_async(self.km.is_alive()):
            raise DeadKernelError("the student's kernel died")
        await super()._async_check_alive()

    def preprocess_cell(self, cell, resources, index):
        self._index = index
        if index in self._skip:
            cell.outputs = [copy.deepcopy(self._skip[index])]
            cell.execution_count = None
            return cell, resources
        self._sandbox = getattr(self.km, "grading_sandbox", None) or self._sandbox
        role = self._role(cell)
        if role != "student" and self._trusted.kc is None:
            self.kc.execute(_install_bridge_code(), silent=True, store_history=False)
            self._trusted.connect(self.km.get_connection_info())
        if role == "test":
            try:  # the student's kernel answers, unless it is stuck in the student's code
                reply = self._trusted.run(
                    f"{_BRIDGE_IMPORT}.bind({used_names(cell.source)!r})",
                    max(self.timeout or 60, 30),
                )
            except TimeoutError:
                raise _StuckKernel from None
            if reply.get("status") != "ok":
                self.log.warning("ResilientExecute: fetching answers: %s", reply.get("evalue"))
            student_kc, self.kc = self.kc, self._trusted.kc
            try:
                cell, resources = super().preprocess_cell(cell, resources, index)
            finally:
                self.kc = student_kc
            if not run_sync(self.km.is_alive)():
                raise DeadKernelError("the student's kernel died during a test")
        else:
            # the instructor's code, which the tests may need, runs in both kernels at once
            sent = self._trusted.send(cell.source) if role == "given" else None
            cell, resources = super().preprocess_cell(cell, resources, index)
            if sent:
                reply = self._trusted.reply(sent, max(self.timeout or 60, 120))
                if reply.get("status") != "ok":
                    self.log.warning(
                        "ResilientExecute: locked cell %s failed in the test kernel: %s",
                        grade_id(cell),
                        reply.get("evalue"),
                    )
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


_HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[^\n]*\n.*?(^[ \t]*### END HIDDEN TESTS[^\n]*(\n|\Z)|\Z)",
    re.DOTALL | re.MULTILINE,
)
HIDDEN_NOTE = "# (hidden tests: not shown; the message of each failed check is below)\n"


def hide_tests(source: str) -> str:
    """``source`` without its hidden tests (an unterminated block runs to the end)."""
    return _HIDDEN.sub(HIDDEN_NOTE, source)


class HideTests(NbGraderPreprocessor):
    """For the feedback: hidden tests' code replaced by a note, and each error output of a
    graded cell reduced to its exception and message (a traceback quotes the test's lines)."""

    def preprocess_cell(self, cell, resources, index):
        nbg = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and nbg.get("grade") and not nbg.get("solution"):
            cell.source = hide_tests(cell.source)
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    line = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}"
                    out["traceback"] = [line]
        return cell, resources


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


def feedback_preprocessors() -> list:
    """nbgrader's feedback pipeline with :class:`HideTests` before the HTML is written."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    return [GetGrades, HideTests, CSSHTMLHeaderPreprocessor]


def load_config(path: Path = CONFIG_FILE) -> Config:
    """The course's nbgrader settings. ``NbGraderAPI()`` alone would not read the file."""
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
