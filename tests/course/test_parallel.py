"""Parallel grading (``make grade``, actbook.course.parallel): the same marks as nbgrader's
serial autograde, on a real PostgreSQL server and on a Dask cluster; nothing lost when a run
is killed; a crashing or hanging submission stops nobody else.

One small class (a correct, a partial, a broken, a cheating, a kernel-killing and an
unreadable submission, from the rehearsal's fake students, plus one that hangs forever) is
collected once; every test grades a copy of it. The reference is plain nbgrader
(``NbGraderAPI.autograde``), one student after another, on SQLite.
"""

from __future__ import annotations

import contextlib
import json
import select
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from nbgrader.apps import NbGraderAPI

from actbook.course import classroom, parallel, plugins, rehearsal

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
slow = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
AID = "ps01-classic"
CLASS = ["control-a", "partial", "syntax-error", "cheat-numpy", "os-exit", "invalid-json"]
HANG = "loop-ignores-sigint"  # with no cell timeout, its grading never ends by itself
NO_CELL_TIMEOUT = ("--Execute.timeout=3600",)


# ---------------------------------------------------------------------------------------------
# The class, its reference marks, and copies of it to grade
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """(a collected, ungraded course folder, {student: (ok, score, max, cells)} of plain
    nbgrader graded one after another on SQLite)."""
    base = tmp_path_factory.mktemp("class")
    course = classroom.Course(base / "serial", [AID])
    course.generate(AID)
    course.release(AID)
    for sub in rehearsal.fake_class(AID):
        if sub.student in [*CLASS, HANG]:
            folder = course.fetch(AID, sub.student)
            for name, data in sub.files.items():
                (folder / name).write_bytes(data)
            course.submit(AID, sub.student)
    course.collect(AID)
    pristine = base / "pristine"
    shutil.copytree(course.root, pristine)
    graded = course.autograde(AID, CLASS)
    reference = {sid: (g.ok, g.score, g.max_score, g.cells) for sid, g in graded.items()}
    assert reference["control-a"][1:3] == (12.0, 12.0), graded["control-a"].log[-2000:]
    assert len({r[1] for r in reference.values()}) >= 3  # a class, not six equal marks
    return pristine, reference


def copy_of(pristine: Path, dest: Path, db_url: str | None = None) -> str:
    """A copy of the class in ``dest``; with ``db_url``, its gradebook there. Returns the URL."""
    shutil.copytree(pristine, dest)
    if db_url is None:
        return f"sqlite:///{dest / 'gradebook.db'}"
    config = plugins.load_config()
    config.CourseDirectory.root = str(dest)
    config.CourseDirectory.db_url = db_url
    config.NbGraderAPI.log_level = "WARN"
    res = NbGraderAPI(config=config).generate_assignment(AID, force=True)
    assert res["success"], res.get("error")
    return db_url


def marks(db_url: str, students, outcomes: dict | None = None) -> dict:
    """The same shape as the reference: (ok, score, max, cells) from the gradebook."""
    out = {}
    for sid in students:
        ok = outcomes[sid].ok if outcomes else True
        out[sid] = (ok, *parallel.score(db_url, AID, sid))
    return out


def grading_process(root: Path, sid: str, deadline: float = 900) -> psutil.Process:
    """The process grading ``sid`` in ``root`` (its lock names it), once its kernel runs."""
    lock = parallel.marker(root, AID, sid).with_suffix(".lock")
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with contextlib.suppress(OSError, ValueError, IndexError, psutil.NoSuchProcess):
            proc = psutil.Process(int(lock.read_text().split()[0]))
            if proc.children(recursive=True):
                return proc
        time.sleep(0.2)
    raise AssertionError(f"no grading process for {sid} in {deadline} s")


def leftovers(root: Path) -> list[str]:
    """Processes still working in ``root`` (kernels run in the autograded folders)."""
    found = []
    for p in psutil.process_iter(["cwd", "cmdline"]):
        if (p.info["cwd"] or "").startswith(str(root)):
            found.append(" ".join(p.info["cmdline"] or [])[:120])
    return found


# ---------------------------------------------------------------------------------------------
# Fast: the command's decisions
# ---------------------------------------------------------------------------------------------


def test_sqlite_refuses_more_than_one_worker(tmp_path):
    said = []
    rc, _ = parallel.run_command(tmp_path, AID, "sqlite:///x.db", workers=4, write=said.append)
    assert rc == 2 and len(said) == 1
    assert (
        "SQLite" in said[0] and "NBGRADER_DB_URL=postgresql" in said[0] and "--workers 1" in said[0]
    )
    assert parallel.refusal("sqlite:///x.db", 1, None) is None
    assert parallel.refusal("postgresql://u@h/db", 8, None) is None


def test_a_grading_counts_only_with_a_matching_completion_record(tmp_path):
    sub = tmp_path / "submitted" / "s1" / AID
    sub.mkdir(parents=True)
    (sub / "timestamp.txt").write_text("2026-01-01 10:00:00 UTC")
    assert parallel.state(tmp_path, AID, "s1") == "missing"
    out = tmp_path / "autograded" / "s1" / AID
    out.mkdir(parents=True)  # what a killed nbgrader leaves: the folder, no notebook
    assert parallel.state(tmp_path, AID, "s1") == "unfinished"
    (out / f"{AID}.ipynb").write_text("{}")
    assert parallel.state(tmp_path, AID, "s1") == "unfinished"  # plain nbgrader's, or killed
    record = parallel.marker(tmp_path, AID, "s1")
    record.parent.mkdir(parents=True)
    signature = parallel._signature(tmp_path, AID, "s1")
    record.write_text(json.dumps({"timestamp": "2026-01-01 10:00:00 UTC", "notebooks": signature}))
    assert parallel.state(tmp_path, AID, "s1") == "graded"
    assert parallel.plan(tmp_path, AID, ["s1"]) == {}
    assert parallel.plan(tmp_path, AID, ["s1"], force=True) == {"s1": "graded"}
    (out / f"{AID}.ipynb").write_text("{ }")  # regraded since (or being regraded)
    assert parallel.state(tmp_path, AID, "s1") == "unfinished"
    (out / f"{AID}.ipynb").write_text("{}")
    signature = parallel._signature(tmp_path, AID, "s1")
    record.write_text(json.dumps({"timestamp": "2026-01-01 10:00:00 UTC", "notebooks": signature}))
    (sub / "timestamp.txt").write_text("2026-01-02 09:00:00 UTC")
    assert parallel.state(tmp_path, AID, "s1") == "resubmitted"


def test_progress_line_shows_done_total_rate_and_eta():
    p = parallel.Progress(4)
    p.t0 -= 60  # one minute ago
    p.update(parallel.Outcome("a", True, 1.0, "graded"))
    p.update(parallel.Outcome("b", False, 1.0, "failed"))
    assert p.line().startswith("[2/4]")
    assert "2.0/min" in p.line() and "ETA 1m00s" in p.line() and "1 not graded" in p.line()


# ---------------------------------------------------------------------------------------------
# Slow: real gradings
# ---------------------------------------------------------------------------------------------


# A grading that leaves a process behind: it starts one in a session of its own and lets it
# go, as bwrap's namespace init is when its parent dies before it set its own death signal.
_STRAY = """
import subprocess, sys
from actbook.course import parallel

def grade(root, aid, sid, overrides):
    subprocess.Popen([sys.executable, "-c",
        "import subprocess, sys; subprocess.Popen([sys.executable, '-c',"
        " 'import time; time.sleep(300)', sys.argv[1]], start_new_session=True)", sid]).wait()
    return 0

parallel._grade_here = grade
sys.exit(parallel._serve())
"""


def test_the_zygote_kills_what_a_grading_left_behind(tmp_path):
    tag = f"stray-{tmp_path.name}"
    zygote = subprocess.Popen([sys.executable, "-c", _STRAY], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=tmp_path)  # fmt: skip
    log = tmp_path / "log"
    request = {"root": str(tmp_path), "aid": AID, "sid": tag, "db_url": "", "cwd": str(tmp_path),
               "overrides": [], "log": str(log)}  # fmt: skip
    zygote.stdin.write(json.dumps(request) + "\n")
    zygote.stdin.flush()
    assert int(zygote.stdout.readline())
    end = time.monotonic() + 60
    while not (Path(f"{log}.rc").exists() and Path(f"{log}.rc").read_text()):
        assert time.monotonic() < end, log.read_text()
        time.sleep(0.05)
    assert select.select([zygote.stdout], [], [], 30)[0], "the zygote did not say the end"
    assert zygote.stdout.readline().strip() == parallel.ENDED  # what wakes the command
    zygote.stdin.close()
    zygote.wait(timeout=30)
    strays = [p for p in psutil.process_iter(["cmdline"]) if tag in (p.info["cmdline"] or [])]
    for p in strays:
        p.kill()
    assert strays == []


@slow
def test_parallel_on_postgres_equals_serial_sqlite_and_a_crash_stops_nobody(
    klass, postgres, tmp_path
):
    pristine, reference = klass
    root = tmp_path / "course"
    url = copy_of(pristine, root, postgres.database("parallel"))
    killed = []

    def oom_killer():  # kills the grading process of the hanging submission, as the OOM killer
        proc = grading_process(root, HANG)
        proc.kill()
        killed.append(proc.pid)

    threading.Thread(target=oom_killer, daemon=True).start()
    said = []
    rc, out = parallel.run_command(
        root, AID, url, workers=2, overrides=NO_CELL_TIMEOUT, write=said.append
    )
    assert killed and out[HANG].status == "crashed"
    assert marks(url, CLASS, out) == reference
    assert rc == 1
    failed = said[said.index(next(s for s in said if s.startswith("not graded"))) + 1 :]
    assert sorted(s.split(":")[0].strip() for s in failed) == sorted([HANG, "invalid-json"])
    assert parallel.state(root, AID, HANG) in {"missing", "unfinished"}  # retried next run
    assert all(parallel.state(root, AID, s) == "graded" for s in CLASS if s != "invalid-json")
    records = [json.loads(parallel.marker(root, AID, s).read_text()) for s in CLASS[:-1]]
    assert {r["gradebook_connections"] for r in records} == {1}  # not one per Gradebook()
    time.sleep(2)  # its kernel dies with it, or is killed by the zygote that adopted it
    assert leftovers(root) == []


@slow
def test_plain_nbgrader_keeps_a_killed_grading_and_the_command_grades_it_again(klass, tmp_path):
    """Reproduces the issue with plain `nbgrader autograde`, then the course's command."""
    pristine, reference = klass
    root = tmp_path / "course"
    url = copy_of(pristine, root)
    sid = "control-a"
    cmd = [str(BIN / "nbgrader"), "autograde", AID, "--student", sid,
           f"--CourseDirectory.root={root}", f"--CourseDirectory.db_url={url}"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 900
    while not psutil.Process(proc.pid).children(recursive=True) and time.monotonic() < end:
        time.sleep(0.1)  # until its kernel runs: the middle of the submission
    parallel._kill_tree(proc.pid)  # kill -9, as a reboot would
    proc.wait()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert "Skipping existing assignment" in again.stderr
    assert parallel.score(url, AID, sid)[0] == 0.0  # full marks lost, silently
    assert parallel.state(root, AID, sid) == "unfinished"

    said = []
    rc, out = parallel.run_command(root, AID, url, students=[sid], write=said.append)
    assert rc == 0, said
    assert "1 unfinished" in said[0]
    assert marks(url, [sid], out) == {sid: reference[sid]}


@slow
def test_a_run_killed_mid_submission_then_rerun_gives_the_uninterrupted_marks(klass, tmp_path):
    pristine, reference = klass
    root = tmp_path / "course"
    url = copy_of(pristine, root)  # the course's default: SQLite, one worker
    students = ["cheat-numpy", "control-a", "partial"]
    cmd = [sys.executable, "-m", "actbook.course.parallel", AID, "--course", str(root)]
    cmd += [f"--student={s}" for s in students]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    grading_process(root, students[0])
    parallel._kill_tree(proc.pid)  # the command, its grading process and kernel: a reboot
    proc.wait()
    assert parallel.state(root, AID, students[0]) == "unfinished"

    rerun = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "1 unfinished" in rerun.stdout and "2 missing" in rerun.stdout
    assert marks(url, students) == {s: reference[s] for s in students}
    third = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert "3 already graded, 0 to grade" in third.stdout and third.returncode == 0


@slow
def test_a_submission_past_its_time_is_stopped_with_its_kernel(klass, tmp_path):
    pristine, _ = klass
    root = tmp_path / "course"
    url = copy_of(pristine, root)
    job = parallel.Job(str(root), AID, url, overrides=NO_CELL_TIMEOUT, timeout=15)
    out = parallel.grade_one(job, HANG)
    assert (out.ok, out.status) == (False, "timed out")
    assert "more than 15 s" in out.reason or out.reason == "timed out"
    assert parallel.state(root, AID, HANG) != "graded"
    parallel.close_zygotes()
    time.sleep(1)
    assert leftovers(root) == []


@slow
def test_a_dask_cluster_grades_with_identical_marks(klass, postgres, tmp_path):
    from distributed import LocalCluster

    pristine, reference = klass
    root = tmp_path / "course"
    url = copy_of(pristine, root, postgres.database("dask"))
    students = ["control-a", "partial", "os-exit"]
    said = []
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        rc, out = parallel.run_command(
            root, AID, url, scheduler=cluster.scheduler_address, students=students,
            write=said.append,
        )  # fmt: skip
    assert rc == 0, said
    assert "Dask scheduler" in said[0]
    assert marks(url, students, out) == {s: reference[s] for s in students}


@slow
def test_grade_demo_runs_in_parallel_with_the_same_grades_and_report(klass, postgres, tmp_path):
    _, reference = klass
    chosen = ["control-a", "os-exit", "invalid-json"]
    subs = [s for s in rehearsal.fake_class(AID) if s.student in chosen]
    url = postgres.database("demo")
    r = rehearsal.rehearse(tmp_path / "demo", AID, subs, workers=2, CourseDirectory__db_url=url)
    got = {sid: (g.ok, g.score, g.max_score, g.cells) for sid, g in r.grades.items()}
    assert got == {s: reference[s] for s in chosen}
    assert "not graded" in r.report.concerns("invalid-json")
    assert "kernel died" in r.report.concerns("os-exit")
    assert len(r.csv.read_text().splitlines()) == 1 + len(chosen)


def test_only_a_kernel_that_did_not_start_is_graded_once_more():
    started = parallel.Outcome("a", False, 1.0, "failed", log="RuntimeError: Kernel died before "
                               "replying to kernel_info")  # fmt: skip
    assert started.retryable
    assert not parallel.Outcome("a", False, 1.0, "failed", log="NotJSONError: ...").retryable
    assert not parallel.Outcome("a", False, 1.0, "timed out", log=started.log).retryable
