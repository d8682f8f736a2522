"""The sandbox of a grading kernel: bubblewrap (Linux namespaces), or an explicit opt-out.

A student's kernel runs under ``bwrap`` with the whole file system read-only, the course's
parent folder, the grader's home and ``/tmp`` replaced by empty private folders, only a
scratch copy of the submission's files writable (mounted where the submission is, so that
relative paths work), the Python environment read-only, no network (a private network
namespace: not even the host's loopback), a private process namespace (nothing it starts
outlives it) and no way to reach its parent's terminal. The kernel talks to the grader through
Unix sockets (jupyter_client's ``ipc`` transport) in a run folder bound into the sandbox.

Where no sandbox can be made (no ``bwrap``, no user namespaces), grading refuses, unless the
instructor opts in to an unsandboxed run with ``ACTBOOK_GRADE_UNSANDBOXED=1`` (or
``c.LimitedKernelManager.sandbox = False``); the graded notebooks then say so and the
integrity report names it on every row.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

from actbook.paths import ROOT

UNSANDBOXED_ENV = "ACTBOOK_GRADE_UNSANDBOXED"
#: what a graded notebook records (metadata ``actbook_grading.sandbox``)
BUBBLEWRAP, NONE = "bubblewrap", "none (unsandboxed by the instructor's choice)"


class NoSandbox(RuntimeError):
    """Grading refused: no sandbox on this machine and no explicit opt-in."""


def opted_out() -> bool:
    return os.environ.get(UNSANDBOXED_ENV, "").strip().lower() in ("1", "yes", "true")


@functools.cache
def bwrap_problem() -> str | None:
    """Why bubblewrap cannot sandbox a kernel here, or None when it can."""
    exe = shutil.which("bwrap")
    if exe is None:
        return "bubblewrap (the `bwrap` command, Debian package bubblewrap) is not installed"
    probe = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
             "--unshare-net", "--unshare-pid", "--die-with-parent", "true"]  # fmt: skip
    try:
        proc = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"bwrap cannot run: {e}"
    if proc.returncode != 0:
        return f"bwrap cannot create namespaces here: {proc.stderr.strip()[:200]}"
    return None


def refusal(problem: str) -> str:
    return (
        f"grading refused: no sandbox for the students' code ({problem}). Install bubblewrap, "
        f"or grade unsandboxed on purpose with {UNSANDBOXED_ENV}=1 (the report then says so "
        "for every submission)"
    )


def _hidden_roots(course_root: Path | None) -> list[Path]:
    """Folders replaced by empty ones: the course's parent (every course, gradebook and
    submission), the repository, the grader's home."""
    out = []
    course = [course_root, course_root.parent] if course_root else []
    for p in (*course, ROOT, ROOT.parent, Path.home()):
        if p is not None and p != Path("/") and p not in out:
            out.append(p)
    return out


def _python_prefixes() -> list[Path]:
    """The folders the kernel's Python needs (the environment and its base installation)."""
    out = []
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, Path(sys.executable).parent.parent):
        p = Path(p).resolve()
        if p not in out:
            out.append(p)
    return out


# Becomes ``argv`` with the kernel's death tied to the launching process (SIGKILL when it
# dies), unless that process is already gone. bwrap's --die-with-parent alone leaves a gap: a
# grading process killed after forking but before bwrap ran leaves its kernel behind.
_ORPHAN_GUARD = (
    "import ctypes, os, sys\n"
    "ctypes.CDLL(None).prctl(1, 9, 0, 0, 0)\n"  # PR_SET_PDEATHSIG = 1, SIGKILL = 9
    "if os.getppid() != int(sys.argv[1]):\n"
    "    sys.exit('the process that launched this kernel has exited')\n"
    "os.execvp(sys.argv[2], sys.argv[2:])\n"
)


def orphan_guard(argv: list[str], parent: int | None = None) -> list[str]:
    """``argv`` run so that it dies with ``parent`` (by default this process, which launches
    it): on Linux the parent-death signal, set before ``argv`` starts, survives its exec."""
    if not sys.platform.startswith("linux"):
        return argv
    pid = os.getpid() if parent is None else parent
    return [sys.executable, "-I", "-S", "-c", _ORPHAN_GUARD, str(pid), *argv]


def bwrap_argv(
    kernel_cmd: list[str], run_dir: Path, work: Path, scratch: Path, course_root: Path | None
) -> list[str]:
    """``kernel_cmd`` wrapped in bubblewrap: ``work`` (the kernel's folder) shows ``scratch``."""
    argv = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev",
            "--proc", "/proc", "--tmpfs", "/tmp", "--tmpfs", "/var/tmp",
            "--tmpfs", "/dev/shm"]  # fmt: skip
    for hidden in _hidden_roots(course_root):
        if hidden.exists():
            argv += ["--tmpfs", str(hidden)]
    for prefix in _python_prefixes():  # read-only again, inside whatever was hidden
        argv += ["--ro-bind", str(prefix), str(prefix)]
    argv += ["--bind", str(run_dir), str(run_dir), "--bind", str(scratch), str(work)]
    argv += ["--chdir", str(work), "--unshare-net", "--unshare-pid", "--unshare-ipc",
             "--unshare-uts", "--die-with-parent", "--new-session",
             "--unsetenv", "JPY_PARENT_PID",
             "--setenv", "HOME", str(work), "--setenv", "IPYTHONDIR", str(work / ".ipython"),
             "--setenv", "MPLCONFIGDIR", str(work / ".matplotlib"),
             "--setenv", "TMPDIR", "/tmp", "--"]  # fmt: skip
    # A path through a hidden folder ("/course/benchmarks/../.venv/bin/python", as
    # sys.executable is when Python was started by a relative path) does not exist inside.
    return argv + [os.path.normpath(a) if a.startswith("/") else a for a in kernel_cmd]


def _matplotlib_cache() -> Path:
    if env := os.environ.get("MPLCONFIGDIR"):
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "matplotlib"


def scratch_copy(work: Path, scratch: Path) -> None:
    """The files a kernel may see in its folder: the submission's, without notebooks (the
    notebook being graded holds the hidden tests); and the grader's matplotlib font list,
    which matplotlib would otherwise rebuild for every kernel (seconds each)."""
    scratch.mkdir(parents=True, exist_ok=True)
    fonts = sorted(_matplotlib_cache().glob("fontlist-*.json"))
    if fonts:
        (scratch / ".matplotlib").mkdir(exist_ok=True)
        for path in fonts:
            shutil.copy2(path, scratch / ".matplotlib" / path.name)
    if not work.is_dir():
        return
    for path in work.rglob("*"):
        rel = path.relative_to(work)
        if path.suffix == ".ipynb" or any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_dir():
            (scratch / rel).mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, scratch / rel)
