"""Autograding speed: nbgrader (with the course's plug-ins) against bare execution, and what
the sandbox and the trusted test kernel each cost.

A class of N correct submissions, each a little different, goes through the real exchange,
into three courses: one graded with the course's settings (the student's kernel sandboxed by
bubblewrap, the tests in a second, trusted kernel); one with the sandbox but the tests in the
student's kernel (``ResilientExecute.split = False``); one with both off
(``LimitedKernelManager.sandbox = False`` too: one unsandboxed kernel, as stock nbgrader).
Each submission is autograded in all three; right after, the very notebook that autograde
executed (the submission with the hidden tests restored, outputs cleared) is executed again
by nbclient alone, in the same folder: the floor, since no grader can run the tests faster
than the kernel does. The four are interleaved so that the machine's load hits them alike.
The sandbox's and the test kernel's costs per submission are median differences.

Where autograde's time goes: ``execute`` is ResilientExecute's own run (kernel starts, the
cells); the rest (``bookkeeping``) is nbgrader's: the gradebook, copying files, sanitizing,
saving grades.

    python benchmarks/grading.py [N] [--assignment ID]     # writes results-grading.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from actbook.course import classroom, plugins, release
from actbook.course import rehearsal as grading_demo

RESULTS = Path(__file__).resolve().parent / "results-grading.json"
#: the tests in the student's kernel (sandboxed or not), as stock nbgrader runs them
IN_STUDENT_KERNEL = {"ResilientExecute__split": False}
#: the comparison: one unsandboxed kernel that runs the tests too, as stock nbgrader does
UNSANDBOXED = {"LimitedKernelManager__sandbox": False, **IN_STUDENT_KERNEL}


def bare_execution(notebook: Path) -> float:
    """Seconds for nbclient to run ``notebook`` (outputs cleared) in its own folder."""
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(
        nb,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    t0 = time.perf_counter()
    client.execute()
    return time.perf_counter() - t0


def measure(n: int, aid: str) -> dict:
    os.environ["PATH"] = f"{grading_demo.BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    control = next(s for s in grading_demo.fake_class(aid, False) if s.student == "control-a")
    name = f"{aid}.ipynb"
    subs = []
    for i in range(n):
        text = control.files[name].decode().replace('\\"control-a\\"', f'\\"s{i:03d}\\"')
        subs.append(grading_demo.Submission(f"s{i:03d}", "correct", {name: text.encode()}))
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        course = classroom.Course(Path(tmp) / "sandboxed", [aid])
        one_kernel = classroom.Course(Path(tmp) / "one-kernel", [aid], **IN_STUDENT_KERNEL)
        plain = classroom.Course(Path(tmp) / "plain", [aid], **UNSANDBOXED)
        for c in (course, one_kernel, plain):
            c.generate(aid)
            c.release(aid)
            for sub in subs:
                folder = c.fetch(aid, sub.student)
                (folder / name).write_bytes(sub.files[name])
                c.submit(aid, sub.student)
            c.collect(aid)
        auto, bare, execute, unsandboxed, sandbox_only = [], [], [], [], []
        for i, sub in enumerate(subs, 1):
            plugins.ResilientExecute.history.clear()
            res = course.autograde(aid, [sub.student])[sub.student]
            assert res.ok and res.score == res.max_score, res.log[-2000:]
            auto.append(res.seconds)
            execute.append(sum(s for s, _ in plugins.ResilientExecute.history))
            for other, times in ((one_kernel, sandbox_only), (plain, unsandboxed)):
                res = other.autograde(aid, [sub.student])[sub.student]
                assert res.ok and res.score == res.max_score, res.log[-2000:]
                times.append(res.seconds)
            graded = course.root / "autograded" / sub.student / aid / name
            bare.append(bare_execution(graded))
            print(
                f"[{i:>3}/{n}] autograde {auto[-1]:5.2f} s   one kernel {sandbox_only[-1]:5.2f} s"
                f"   unsandboxed {unsandboxed[-1]:5.2f} s   bare {bare[-1]:5.2f} s",
                flush=True,
            )
    med = statistics.median
    return {
        "assignment": aid,
        "submissions": n,
        "median_seconds": {
            "autograde": med(auto),
            "bare_nbclient": med(bare),
            "autograde_execute": med(execute),
            "autograde_bookkeeping": med(a - e for a, e in zip(auto, execute, strict=True)),
            "autograde_tests_in_student_kernel": med(sandbox_only),
            "autograde_unsandboxed": med(unsandboxed),
            "sandbox_cost": med(a - u for a, u in zip(auto, unsandboxed, strict=True)),
            "test_kernel_cost": med(a - o for a, o in zip(auto, sandbox_only, strict=True)),
        },
        "ratio_to_bare": {
            name: med(a / b for a, b in zip(times, bare, strict=True))
            for name, times in [
                ("autograde", auto),
                ("tests_in_student_kernel", sandbox_only),
                ("unsandboxed", unsandboxed),
            ]
        },
        "ratio_sandboxed_to_unsandboxed": med(
            a / u for a, u in zip(auto, unsandboxed, strict=True)
        ),
        "total_seconds": {"autograde": sum(auto), "bare_nbclient": sum(bare)},
        "extrapolated_100_minutes": 100 * med(auto) / 60,
        "per_submission": {
            "autograde": auto,
            "autograde_tests_in_student_kernel": sandbox_only,
            "autograde_unsandboxed": unsandboxed,
            "bare_nbclient": bare,
            "execute": execute,
        },
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min": os.getloadavg()[0],
            "python": sys.version.split()[0],
            "date": time.strftime("%Y-%m-%d"),
        },
        "command": f"python benchmarks/grading.py {n} --assignment {aid}",
    }


def main(quick: bool = False, argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=3 if quick else 100)
    ap.add_argument("--assignment", default=release.assignments()[0])
    args = ap.parse_args([] if argv is None else argv)
    result = measure(args.n, args.assignment)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    m = result["median_seconds"]
    print(
        f"{args.n} submissions, median per submission: autograde {m['autograde']:.2f} s"
        f" (execute {m['autograde_execute']:.2f} + bookkeeping {m['autograde_bookkeeping']:.2f}),"
        f" bare nbclient {m['bare_nbclient']:.2f} s;"
        f" unsandboxed autograde {m['autograde_unsandboxed']:.2f} s: the sandbox and the test"
        f" kernel cost {m['sandbox_cost']:.2f} s per submission"
        f" (x{result['ratio_sandboxed_to_unsandboxed']:.2f}), the test kernel alone"
        f" {m['test_kernel_cost']:.2f} s; ratios to bare: "
        + ", ".join(f"{k} {v:.2f}" for k, v in result["ratio_to_bare"].items())
    )
    return result


if __name__ == "__main__":
    main(argv=sys.argv[1:])
