"""An IPython kernel started as a fork of the grading process: the trusted test kernel.

A kernel started the usual way (``python -m ipykernel_launcher``) spends about 0.4 s of CPU
importing IPython, ipykernel, zmq and NumPy before it can answer, once per submission. A
fork of a process that has imported them already is ready in about a sixth of that
(measured: ``benchmarks/grading.py``). The fork forgets what it must not share: the grading
process's asyncio loop and traitlets singletons, its file descriptors 0-2, and every module
not from Python's own or installed libraries (a ``checks`` module another assignment's
grading imported in this process must not answer the tests' ``import checks``). It dies with
the grading process (the parent-death signal) and ends with ``os._exit``, so that nothing of
the grading process (its ``atexit`` handlers, its temporary folders) runs in it.

Only for the *trusted* kernel, which runs the course's own code: the student's kernel is a
fresh process in its sandbox (:mod:`actbook.course.sandbox`).
"""

from __future__ import annotations

import asyncio
import gc
import os
import secrets
import signal
import sys
import sysconfig
import time
from pathlib import Path

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.connect import write_connection_file

_LIBRARIES = tuple(
    {os.path.realpath(p) + os.sep for k, p in sysconfig.get_paths().items() if "lib" in k}
)


def preload() -> None:
    """Import what a kernel needs, so that every fork of this process has it already."""
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import numpy  # noqa: F401  (what every problem set's tests use)


def _course_modules() -> list[str]:
    """Modules this process imported from outside Python's and the installed libraries."""
    names = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if path and not os.path.realpath(path).startswith(_LIBRARIES):
            names.append(name)
    return names


def _become_kernel(folder: Path, connection_file: Path, argv: list[str], parent: int) -> None:
    """In the child: forget the grading process, then run the kernel until it is killed."""
    if sys.platform.startswith("linux"):  # the signal comes when the forking thread ends
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the signal was set
        return
    os.setsid()  # as jupyter_client starts kernels: a Ctrl-C meant for the grader is not its
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    for sig in (signal.SIGTERM, signal.SIGCHLD):  # as a new Python has them
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(folder)
    for name in _course_modules():
        if name != "__main__":  # which IPython replaces
            del sys.modules[name]
    sys.path[:] = [str(folder), *(p for p in sys.path if p)]
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop_policy(None)
    asyncio.set_event_loop(asyncio.new_event_loop())
    from ipykernel.kernelapp import IPKernelApp
    from traitlets.config import SingletonConfigurable

    stack = [SingletonConfigurable]
    while stack:  # this process's Application (nbgrader's) is not the kernel's
        cls = stack.pop()
        stack += cls.__subclasses__()
        if "_instance" in vars(cls):
            cls._instance = None
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    app = IPKernelApp.instance()
    app.initialize(["-f", str(connection_file), *argv])
    app.start()


class ForkedKernel:
    """A kernel in ``folder`` (its connection file and sockets in it too), forked at once."""

    def __init__(self, folder: Path, argv: list[str] = ()):
        self.folder = folder
        self.connection_file = folder / "kernel.json"
        write_connection_file(
            str(self.connection_file), transport="ipc", ip=str(folder / "k"),
            key=secrets.token_hex(32).encode(),
        )  # fmt: skip
        preload()  # once per process (the parallel grader's zygote does it for all its forks)
        gc.freeze()  # the kernel's collector then leaves this process's objects alone
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid != 0:
            gc.unfreeze()
        else:
            try:
                _become_kernel(folder, self.connection_file, list(argv), parent)
            finally:
                os._exit(1)

    def alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            return os.waitpid(self.pid, os.WNOHANG)[0] == 0
        except ChildProcessError:
            return False

    async def client(self, timeout: float) -> AsyncKernelClient:
        """A client, once the kernel answers (``kernel_info``), or ``RuntimeError``."""
        kc = AsyncKernelClient(connection_file=str(self.connection_file))
        kc.load_connection_file()
        kc.start_channels()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                break
            kc.kernel_info()
            try:  # jupyter_client's wait_for_ready polls every 0.2 s: a third of the start
                while True:
                    msg = await kc.shell_channel.get_msg(timeout=0.02)
                    if msg["msg_type"] == "kernel_info_reply":
                        return kc
            except Exception:  # noqa: BLE001 (queue.Empty: not ready yet, ask again)
                continue
        kc.stop_channels()
        raise RuntimeError("the test kernel did not start")

    def kill(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None
