"""The trusted test kernel, a fork of the grading process (actbook.course.forked_kernel): it
answers like a kernel of its own, not like a copy of the grader."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import types

import psutil
from jupyter_core.utils import run_sync

from actbook.course.forked_kernel import ForkedKernel


def run(kernel: ForkedKernel, code: str) -> dict:
    """Execute ``code``; the value of its last line, by the user_expressions of the reply."""

    async def go():
        kc = await kernel.client(timeout=60)
        try:
            msg_id = kc.execute(code, user_expressions={"out": "_out"})
            while True:
                msg = await kc.shell_channel.get_msg(timeout=60)
                if msg["parent_header"].get("msg_id") == msg_id:
                    return msg["content"]
        finally:
            kc.stop_channels()

    return run_sync(go)()


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_it_imports_the_assignments_checks_not_those_the_grader_imported(tmp_path, monkeypatch):
    # a grader that graded another assignment in this process has its checks module loaded
    stale = tmp_path / "other" / "checks.py"
    stale.parent.mkdir()
    stale.write_text("WHO = 'ps02'\n")
    monkeypatch.setitem(sys.modules, "checks", types.ModuleType("checks"))
    sys.modules["checks"].__file__, sys.modules["checks"].WHO = str(stale), "ps02"
    folder = tmp_path / "ps01"
    folder.mkdir()
    (folder / "checks.py").write_text("WHO = 'ps01'\n")
    kernel = ForkedKernel(folder)
    try:
        reply = run(
            kernel,
            "import checks, os, sys, asyncio\n"
            "_out = (checks.WHO, os.getcwd(), sys.path[0], 'actbook' in sys.modules, os.getppid())",
        )
    finally:
        kernel.kill()
    assert reply["status"] == "ok", reply
    who, cwd, path0, actbook_loaded, ppid = ast.literal_eval(
        reply["user_expressions"]["out"]["data"]["text/plain"]
    )
    assert (who, cwd, path0) == ("ps01", str(folder), str(folder))
    assert not actbook_loaded  # the grader's own modules are forgotten
    assert ppid == os.getpid()


def test_it_is_gone_when_killed_and_dies_with_the_grading_process(tmp_path):
    kernel = ForkedKernel(tmp_path)
    assert run(kernel, "x = 1")["status"] == "ok"
    pid = kernel.pid
    kernel.kill()
    assert gone(pid) and not kernel.alive()
    kernel.kill()  # twice: nothing to do

    # a grading process killed with SIGKILL (the OOM killer) takes its test kernel along
    grader = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import json, sys, time
            from pathlib import Path
            from actbook.course.forked_kernel import ForkedKernel
            k = ForkedKernel(Path({str(tmp_path)!r}))
            print(json.dumps(k.pid), flush=True)
            time.sleep(600)
        """)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    child = json.loads(grader.stdout.readline())
    assert psutil.pid_exists(child)
    os.kill(grader.pid, signal.SIGKILL)
    grader.wait()
    deadline = time.monotonic() + 20
    try:
        while not gone(child):
            assert time.monotonic() < deadline, "the test kernel outlived its grading process"
            time.sleep(0.05)
    finally:
        if not gone(child):
            os.kill(child, signal.SIGKILL)
