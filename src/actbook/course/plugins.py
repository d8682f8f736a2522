"""nbgrader plug-ins, switched on by ``nbgrader_config.py``.

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
"""

from __future__ import annotations

import copy
import queue
import subprocess
import sys
import time
import uuid
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
