"""Grade a class in parallel: ``make grade A=ps01-classic WORKERS=8``.

Every submitted student of an assignment is graded by nbgrader's own ``autograde`` for that
one student (``nbgrader autograde AID --student SID --force``, run in-process by a fresh
Python), so the course's ``nbgrader_config.py`` and its plug-ins apply unchanged and the
gradebook, autograded notebooks, feedback and export are exactly nbgrader's. One process per
submission, forked from a per-worker process that has imported nbgrader already (so the
import, over a second, is paid once per worker): a crash or a timeout costs that
submission only.

- Workers: ``--workers N`` local processes at a time, or ``--scheduler tcp://host:8786`` to
  hand the same tasks to a Dask cluster (``Client.get_executor()`` is a
  ``concurrent.futures`` executor, so there is one code path). Every worker needs the course
  folder at the same path and the gradebook's URL.
- Gradebook: a SQLite file takes one writer at a time, so more than one worker needs
  PostgreSQL (``NBGRADER_DB_URL=postgresql://...``, read by ``nbgrader_config.py``).
- Interruptions lose nothing: a grading counts as finished only when a completion record
  ``.graded/<aid>/<sid>.json`` (written after nbgrader returned, bound to the autograded
  notebooks and the submission's timestamp) matches. Anything else (an ``autograded/``
  folder left by a killed run, which plain nbgrader would skip as "existing" and export as 0)
  is graded again with ``--force``. A rerun grades only what is missing.

    python -m actbook.course.parallel ASSIGNMENT [--workers N | --scheduler ADDR]
        [--timeout S] [--force] [--student SID ...] [--course DIR]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from actbook.paths import CONFIG_FILE

MARKERS = ".graded"  # <course>/.graded/<aid>/<sid>.json: the completion records
LOG_FORMAT = "[%(levelname)s] %(message)s"  # as NbGraderAPI captures it
KERNEL_START_FAILED = ("Kernel died before replying to kernel_info", "Kernel didn't respond in")
BUSY = 75  # exit status of a worker that found the submission being graded elsewhere
ENDED = "ended"  # the zygote's line after a grading's .rc file is written


@dataclass(frozen=True)
class Job:
    """What every worker needs to grade one assignment (plain data: it travels to Dask)."""

    root: str  # the course folder (submitted/, autograded/, .graded/)
    assignment: str
    db_url: str
    config_dir: str = str(CONFIG_FILE.parent)  # where nbgrader_config.py is: the cwd of nbgrader
    overrides: tuple[str, ...] = ()  # extra nbgrader options, e.g. "--Execute.timeout=10"
    timeout: float = 1800.0  # seconds for one submission, then its process tree is killed


@dataclass
class Outcome:
    student: str
    ok: bool
    seconds: float
    status: str  # "graded", "failed", "timed out", "busy", "crashed"
    score: float = 0.0
    max_score: float = 0.0
    log: str = ""

    @property
    def retryable(self) -> bool:
        """nbgrader could not start the kernel, before any of the student's code ran: the
        machine's fault (seen once in 60 gradings under heavy load), worth one more try."""
        return self.status == "failed" and any(m in self.log for m in KERNEL_START_FAILED)

    @property
    def reason(self) -> str:
        if self.status != "failed":
            return self.status
        lines = [ln.strip() for ln in self.log.splitlines() if ln.strip()]
        raised = [ln for ln in lines if re.match(r"[\w.]+(Error|Exception): ", ln)]
        errors = [ln[8:] for ln in lines if ln.startswith("[ERROR]")]
        return ([*raised, *errors[:1]] or [*lines[-1:], "failed"])[0][:160]


# ---------------------------------------------------------------------------------------------
# Completion records
# ---------------------------------------------------------------------------------------------


def marker(root: Path | str, aid: str, sid: str) -> Path:
    return Path(root) / MARKERS / aid / f"{sid}.json"


def _timestamp(root: Path, aid: str, sid: str) -> str | None:
    path = root / "submitted" / sid / aid / "timestamp.txt"
    return path.read_text().strip() if path.exists() else None


def _signature(root: Path, aid: str, sid: str) -> dict[str, list[int]]:
    folder = root / "autograded" / sid / aid
    return {
        p.name: [p.stat().st_size, p.stat().st_mtime_ns] for p in sorted(folder.glob("*.ipynb"))
    }


def state(root: Path | str, aid: str, sid: str) -> str:
    """``graded``, ``missing`` (never started), ``unfinished`` or ``resubmitted``."""
    root = Path(root)
    if not (root / "autograded" / sid / aid).exists():
        return "missing"
    try:
        record = json.loads(marker(root, aid, sid).read_text())
    except (OSError, ValueError):
        return "unfinished"  # started, never recorded as finished: killed, or plain nbgrader
    if record.get("timestamp") != _timestamp(root, aid, sid):
        return "resubmitted"
    if record.get("notebooks") != _signature(root, aid, sid) or not record["notebooks"]:
        return "unfinished"  # regraded (or being regraded) since the record was written
    return "graded"


def submitted(root: Path | str, aid: str) -> list[str]:
    return sorted(p.parent.name for p in Path(root).glob(f"submitted/*/{aid}") if p.is_dir())


def score(db_url: str, aid: str, sid: str) -> tuple[float, float, dict[str, float]]:
    """(score, max score, score of each graded cell) in the gradebook; 0 where ungraded."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        max_score = float(gb.find_assignment(aid).max_score)
        try:
            sub = gb.find_submission(aid, sid)
        except MissingEntry:
            return 0.0, max_score, {}
        cells = {g.cell.name: float(g.score or 0.0) for nb in sub.notebooks for g in nb.grades}
        return float(sub.score or 0.0), max_score, cells


# ---------------------------------------------------------------------------------------------
# One submission: the worker process (``--one``) and the task that starts it
# ---------------------------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Kill this process and its kernels when the one that started it disappears (SIGKILL)."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(0.25)
        _kill_tree(os.getpid())

    threading.Thread(target=watch, daemon=True).start()


def _kill_tree(pid: int) -> None:
    import psutil

    try:
        proc = psutil.Process(pid)
        procs = [*proc.children(recursive=True), proc]
    except psutil.NoSuchProcess:
        return
    for p in procs:  # kernels start sessions of their own: a process group would miss them
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()
    psutil.wait_procs(procs, timeout=5)


@contextlib.contextmanager
def _one_connection() -> Iterator[list[int]]:
    """Let nbgrader's gradebooks share one connection in this process; yields the number of
    connections opened, counted until the end.

    ``autograde`` opens the gradebook 11 times for a one-notebook submission, each time with
    an engine of its own that it disposes of when done: 11 PostgreSQL connections, each a
    new server process that looks up the tables again. Measured on ps01: 0.56 s of the 2.4 s
    per submission, none of it on SQLite. One engine per URL, kept until the grading ends,
    makes them one connection: the same statements, in the same transactions.
    """
    from nbgrader import api
    from sqlalchemy import event

    engines, create, opened = {}, api.create_engine, [0]

    def count(*args):
        opened[0] += 1

    def shared(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = create(url, **kwargs)
            engines[key].dispose = lambda *a, **k: None  # Gradebook.close() disposes of it
            event.listen(engines[key], "connect", count)
        return engines[key]

    api.create_engine = shared
    try:
        yield opened
    finally:
        api.create_engine = create
        for engine in engines.values():
            type(engine).dispose(engine)


def _time_gradebook() -> list[float]:
    """Seconds spent in the gradebook by this process, accumulated in the returned list:
    nbgrader's ``Gradebook`` calls plus SQL run outside them (lazy loads). For benchmarks
    (``ACTBOOK_TIME_GRADEBOOK=1``)."""
    from nbgrader import api
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    spent, depth = [0.0], [0]

    def timed(fn):
        def wrapper(*args, **kwargs):
            depth[0] += 1
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                depth[0] -= 1
                if not depth[0]:
                    spent[0] += time.perf_counter() - t

        return wrapper

    for name, fn in list(vars(api.Gradebook).items()):
        if callable(fn) and (not name.startswith("_") or name in {"__init__", "__exit__"}):
            setattr(api.Gradebook, name, timed(fn))

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn, *args):
        conn.info["actbook_t0"] = time.perf_counter()

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(conn, *args):
        t0 = conn.info.pop("actbook_t0", None)
        if t0 is not None and not depth[0]:
            spent[0] += time.perf_counter() - t0

    return spent


def _grade_here(root: Path, aid: str, sid: str, overrides: list[str]) -> int:
    """``nbgrader autograde AID --student SID --force`` in this process, then the record."""
    from nbgrader.apps.nbgraderapp import NbGraderApp

    _die_with_parent()
    record = marker(root, aid, sid)
    record.parent.mkdir(parents=True, exist_ok=True)
    lock = open(record.with_suffix(".lock"), "a+")  # noqa: SIM115 (held until the process ends)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"[ERROR] {sid} is being graded by another process", flush=True)
        return BUSY
    lock.seek(0)
    lock.truncate()
    lock.write(f"{os.getpid()} {socket.gethostname()}\n")  # who grades this submission
    lock.flush()
    record.unlink(missing_ok=True)
    t0 = time.perf_counter()
    in_gradebook = _time_gradebook() if os.environ.get("ACTBOOK_TIME_GRADEBOOK") else [None]
    db_url = os.environ["NBGRADER_DB_URL"]  # set by grade_one; not in argv, which ps shows
    argv = ["autograde", aid, "--student", sid, "--force", f"--CourseDirectory.root={root}",
            f"--CourseDirectory.db_url={db_url}", f"--NbGrader.log_format={LOG_FORMAT}",
            *overrides]  # fmt: skip
    with _one_connection() as connections:
        try:
            NbGraderApp.launch_instance(argv=argv)  # what the `nbgrader` command runs
        except SystemExit as e:
            if e.code not in (0, None):
                return int(e.code) if isinstance(e.code, int) else 1
        total, max_score, _ = score(db_url, aid, sid)
    done = {
        "student": sid,
        "assignment": aid,
        "timestamp": _timestamp(root, aid, sid),
        "notebooks": _signature(root, aid, sid),
        "score": total,
        "max_score": max_score,
        "seconds": time.perf_counter() - t0,
        "gradebook_seconds": in_gradebook[0],
        "gradebook_connections": connections[0],
        "finished": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    tmp = record.with_suffix(".tmp")
    tmp.write_text(json.dumps(done, indent=1))
    os.replace(tmp, record)  # atomic: a record is whole or absent
    return 0


#: set by the command on Ctrl-C: local tasks kill their submission's processes and return
STOP = threading.Event()


class _Zygote:
    """A Python with nbgrader already imported that forks one process per submission.

    Importing nbgrader costs more than a second of CPU: paid once per worker instead of
    once per submission. Each submission still runs in a fresh process of its own (a fork
    of this one, in a session of its own), as ``nbgrader autograde`` would. Protocol: one
    JSON request per line on stdin; the zygote answers the child's pid on stdout and, when
    the child has ended, writes its exit status to ``<log>.rc``.
    """

    def __init__(self):
        bin_dir = str(Path(sys.executable).parent)  # alembic and jupyter, called by name
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "actbook.course.parallel", "-", "--zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True, bufsize=1,
        )  # fmt: skip

    def alive(self) -> bool:
        return self.proc.poll() is None

    def start(self, request: dict) -> int:
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        while (line := self.proc.stdout.readline()).strip() == ENDED:
            pass  # the end of a grading that was stopped before its end was reported
        return int(line)

    def wait_end(self, timeout: float) -> None:
        """Return when the zygote says a grading ended, or after ``timeout`` seconds (the
        ``.rc`` file says which grading and how: this only saves polling it)."""
        if select.select([self.proc.stdout], [], [], timeout)[0]:
            self.proc.stdout.readline()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            _kill_tree(self.proc.pid)


_local = threading.local()
_zygotes: list[_Zygote] = []


def _zygote() -> _Zygote:
    z = getattr(_local, "zygote", None)
    if z is None or not z.alive():
        z = _local.zygote = _Zygote()
        _zygotes.append(z)
    return z


def close_zygotes() -> None:
    while _zygotes:
        _zygotes.pop().close()


def _serve() -> int:
    """The zygote's loop (``--zygote``): fork a child per request, report its end."""
    import nbgrader.api  # noqa: F401  (the imports every child shares)
    import nbgrader.apps.nbgraderapp  # noqa: F401

    import actbook.course.plugins  # noqa: F401
    from actbook.course import forked_kernel

    forked_kernel.preload()  # the test kernels are forks of the children
    parent = os.getppid()
    _adopt_orphans()
    for line in sys.stdin:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:  # the child: one submission
            rc = 1
            try:
                os.setsid()
                fd = os.open(req["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
                os.chdir(req["cwd"])
                os.environ["NBGRADER_DB_URL"] = req["db_url"]
                rc = _grade_here(Path(req["root"]), req["aid"], req["sid"], req["overrides"])
            except BaseException:  # noqa: BLE001 (reported in the log, the child ends)
                import traceback

                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(rc)
        print(pid, flush=True)
        ends = _pidfd(pid)
        while True:  # wait for the child; die with the command (SIGKILL leaves no trace)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if os.getppid() != parent:
                _kill_tree(pid)
                _kill_orphans()
                return 1
            if ends is None:
                time.sleep(0.02)
            else:  # woken as the child ends
                select.select([ends], [], [], 0.25)
        if ends is not None:
            os.close(ends)
        _kill_orphans()  # before the end is reported: a finished grading leaves nothing running
        Path(req["log"] + ".rc").write_text(str(os.waitstatus_to_exitcode(status)))
        print(ENDED, flush=True)
    return 0


def _pidfd(pid: int) -> int | None:
    """A file descriptor that becomes readable when child ``pid`` ends (Linux), or None."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def _adopt_orphans() -> None:
    """Make the processes that a submission's grading leaves behind this process's children
    (Linux's child subreaper) instead of init's, so that :func:`_kill_orphans` finds them. A
    grading process killed while a kernel starts can leave one: bwrap's namespace init sets
    its parent-death signal only after it is forked, too late if bwrap is gone by then."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _kill_orphans(deadline: float = 10.0) -> None:
    """Kill and reap this process's children: between submissions there should be none."""
    import psutil

    end = time.monotonic() + deadline
    while time.monotonic() < end:
        for child in psutil.Process().children():
            _kill_tree(child.pid)
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            return  # none left, and none on its way: an orphan is adopted before it is reaped
        time.sleep(0.02)


def grade_one(job: Job, sid: str) -> Outcome:
    """Grade ``sid`` in a process of its own (asked for by a local thread or a Dask worker)."""
    t0 = time.perf_counter()
    fd, log_path = tempfile.mkstemp(prefix=f"grade-{sid}-", suffix=".log")
    os.close(fd)
    rc_path = Path(log_path + ".rc")
    request = {"root": job.root, "aid": job.assignment, "sid": sid, "db_url": job.db_url,
               "cwd": job.config_dir, "overrides": [*job.overrides], "log": log_path}  # fmt: skip
    status = None
    try:
        zygote = _zygote()
        pid = zygote.start(request)
        while status is None:
            if rc_path.exists() and rc_path.read_text():
                rc = int(rc_path.read_text())
                status = {0: "graded", BUSY: "busy"}.get(rc, "failed" if rc > 0 else "crashed")
            elif not zygote.alive():
                status = "crashed"
            elif (over := time.perf_counter() - t0 > job.timeout) or STOP.is_set():
                _kill_tree(pid)
                status = "timed out" if over else "interrupted"
            else:
                zygote.wait_end(0.05)
        log = Path(log_path).read_text(errors="replace")
    finally:
        Path(log_path).unlink(missing_ok=True)
        rc_path.unlink(missing_ok=True)
    seconds = time.perf_counter() - t0
    if status == "timed out":
        log += f"\n[ERROR] grading took more than {job.timeout:g} s: stopped"
    result = Outcome(sid, status == "graded", seconds, status, log=log)
    if result.ok:
        record = json.loads(marker(job.root, job.assignment, sid).read_text())
        result.score, result.max_score = record["score"], record["max_score"]
    return result


# ---------------------------------------------------------------------------------------------
# The class: tasks handed to an executor
# ---------------------------------------------------------------------------------------------


@dataclass
class Progress:
    """The one-line progress: done/total, rate, ETA."""

    total: int
    write: Callable[[str], None] | None = None
    done: int = 0
    failed: int = 0
    t0: float = field(default_factory=time.perf_counter)

    def line(self) -> str:
        elapsed = time.perf_counter() - self.t0
        rate = self.done / elapsed * 60 if elapsed > 0 else 0.0
        eta = (self.total - self.done) / (rate / 60) if rate else float("nan")
        eta_s = "--" if eta != eta else f"{int(eta // 60)}m{int(eta % 60):02d}s"
        bad = f", {self.failed} not graded" if self.failed else ""
        return (
            f"[{self.done:>{len(str(self.total))}}/{self.total}] {rate:5.1f}/min  ETA {eta_s}{bad}"
        )

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        self.failed += not outcome.ok
        if self.write:
            self.write(self.line())


def grade(
    job: Job,
    students: Iterable[str],
    executor: cf.Executor,
    on_result: Callable[[Outcome], None] | None = None,
) -> dict[str, Outcome]:
    """Grade ``students`` on ``executor``; one submission's crash stops nothing. A grading
    whose kernel did not start is tried once more (:attr:`Outcome.retryable`)."""
    pending = {executor.submit(grade_one, job, sid): sid for sid in students}
    results: dict[str, Outcome] = {}
    retried: set[str] = set()
    try:
        while pending:
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for fut in done:
                sid = pending.pop(fut)
                try:
                    outcome = fut.result()
                except Exception as e:  # the worker itself died (Dask worker lost, ...)
                    log = f"[ERROR] {type(e).__name__}: {e}"
                    outcome = Outcome(sid, False, 0.0, "crashed", log=log)
                if outcome.retryable and sid not in retried:
                    retried.add(sid)
                    pending[executor.submit(grade_one, job, sid)] = sid
                    continue
                results[sid] = outcome
                if on_result:
                    on_result(outcome)
    except BaseException:
        STOP.set()
        for fut in pending:
            fut.cancel()
        raise
    return results


@contextlib.contextmanager
def executor_for(workers: int, scheduler: str | None = None) -> Iterator[cf.Executor]:
    """Local threads (each starts one grading process at a time), or a Dask cluster's."""
    STOP.clear()
    if scheduler:
        from distributed import Client

        with Client(scheduler) as client:
            yield client.get_executor()
    else:
        try:
            with cf.ThreadPoolExecutor(max_workers=workers) as ex:
                yield ex
        finally:
            close_zygotes()


def refusal(db_url: str, workers: int, scheduler: str | None) -> str | None:
    """Why this gradebook cannot take this many graders at once (None: it can)."""
    if db_url.startswith("sqlite") and (workers > 1 or scheduler):
        many = f"--scheduler {scheduler}" if scheduler else f"--workers {workers}"
        return (
            f"a SQLite gradebook takes one writer at a time, so {many} would fail with "
            "'database is locked': set NBGRADER_DB_URL=postgresql://USER:PASSWORD@HOST/DB "
            "(instructor guide, Large classes) or use --workers 1"
        )
    return None


def plan(root: Path | str, aid: str, students: Iterable[str], force: bool = False) -> dict:
    """{student: state} of the students to grade now (all when ``force``)."""
    states = {sid: state(root, aid, sid) for sid in students}
    return {sid: s for sid, s in states.items() if force or s != "graded"}


def overrides_of(config) -> tuple[str, ...]:
    """nbgrader options for the settings in which ``config`` differs from the course's file
    (the rehearsal's shorter timeout, ...); where the course is and its gradebook excepted."""
    from actbook.course.plugins import load_config

    stock, out = load_config(), []
    for section, values in config.items():
        if section in {"CourseDirectory", "Exchange", "NbGraderAPI"}:
            continue
        for name, value in values.items():
            same = section in stock and name in stock[section] and stock[section][name] == value
            if isinstance(value, bool | int | float | str) and not same:
                out.append(f"--{section}.{name}={value}")
    return tuple(out)


def grade_course(course, aid: str, students: Iterable[str], workers: int, progress=None) -> dict:
    """``classroom.Course.autograde`` with ``workers`` grading processes at a time (the
    rehearsal's ``--workers``); the same {student: GradeResult}."""
    from actbook.course.classroom import GradeResult

    db_url = course.config.CourseDirectory.db_url
    if why := refusal(db_url, workers, None):
        raise RuntimeError(why)
    job = Job(str(course.root), aid, db_url, overrides=overrides_of(course.config))
    students, results = list(students), {}

    def done(o: Outcome) -> None:
        total, max_score, cells = course.scores(aid, o.student)
        results[o.student] = GradeResult(o.student, total, max_score, cells, o.ok, o.seconds, o.log)
        if progress:
            progress(len(results), len(students), results[o.student])

    with executor_for(workers) as ex:
        grade(job, students, ex, done)
    return {sid: results[sid] for sid in students}


# ---------------------------------------------------------------------------------------------
# A temporary PostgreSQL server (tests, benchmarks, a parallel ``make grade-demo``)
# ---------------------------------------------------------------------------------------------

INSTALL_HINT = "PostgreSQL server not found: apt-get install postgresql (Debian) or set PG_BIN"


def pg_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH), or None."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(map(str, Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)
    if exe := shutil.which("initdb"):
        candidates.append(str(Path(exe).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


class TemporaryPostgres:
    """A PostgreSQL server in a temporary folder, reached by a Unix socket only.

    PostgreSQL refuses to run as root: as root, the server runs as the user ``postgres``
    (``runuser``). ``database(name)`` creates a database and returns its URL.
    """

    def __init__(self):
        bin_dir = pg_bin()
        if bin_dir is None:
            raise RuntimeError(INSTALL_HINT)
        self.bin = bin_dir
        self.dir = Path(tempfile.mkdtemp(prefix="actbook-pg-"))
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        data, log = self.dir / "data", self.dir / "server.log"
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        opts = f"-k {self.dir} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", data, "-l", log, "-o", opts, "-w", "start")

    def _run(self, exe: str, *args) -> str:
        cmd = [*self.as_user, str(self.bin / exe), *map(str, args)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir)
        if proc.returncode:
            raise RuntimeError(f"{exe} failed: {(proc.stderr or proc.stdout).strip()[-500:]}")
        return proc.stdout

    def database(self, name: str) -> str:
        self._run("createdb", "-h", self.dir, "-U", "postgres", name)
        return f"postgresql://postgres@/{name}?host={self.dir}"

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", self.dir / "data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> TemporaryPostgres:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def _public(url: str) -> str:
    """The URL without its password, for messages."""
    head, at, tail = url.rpartition("@")
    return f"{head.split(':')[0]}:{head.split(':')[1]}:***@{tail}" if head.count(":") > 1 else url


def _say_line(text: str, final: bool = False) -> None:
    if sys.stdout.isatty():
        print(f"\r{text}", end="\n" if final else "", flush=True)
    else:
        print(text, flush=True)


def run_command(
    root: Path, aid: str, db_url: str, *, workers: int = 1, scheduler: str | None = None,
    timeout: float = 1800.0, force: bool = False, students: list[str] | None = None,
    overrides: tuple[str, ...] = (), write: Callable[[str], None] = print,
) -> tuple[int, dict[str, Outcome]]:  # fmt: skip
    """Grade ``aid`` for every submitted student still to grade; (exit status, outcomes)."""
    if why := refusal(db_url, workers, scheduler):
        write(f"grade: {why}")
        return 2, {}
    try:
        total_points = score(db_url, aid, "")[1]
    except Exception as e:  # noqa: BLE001 (any gradebook failure: one line, not a traceback)
        missing = type(e).__name__ == "MissingEntry"
        write(
            f"grade: assignment {aid} is not in the gradebook {_public(db_url)}: "
            "run `nbgrader generate_assignment` for it first"
            if missing
            else f"grade: cannot open the gradebook {_public(db_url)}: {str(e).splitlines()[0]}"
        )
        return 2, {}
    everyone = submitted(root, aid)
    if students:
        unknown = sorted(set(students) - set(everyone))
        if unknown:
            write(f"grade: no submission of {aid} for {', '.join(unknown)} in {root}/submitted")
            return 2, {}
        everyone = students
    if not everyone:
        write(f"grade: nothing submitted for {aid} in {root}/submitted: run `nbgrader collect`")
        return 2, {}
    todo = plan(root, aid, everyone, force)
    counts = {s: sum(v == s for v in todo.values()) for s in sorted(set(todo.values()))}
    where = f"Dask scheduler {scheduler}" if scheduler else f"{workers} worker(s)"
    detail = ", ".join(f"{n} {s}" for s, n in counts.items())
    write(
        f"grade {aid}: {len(everyone)} submitted, {len(everyone) - len(todo)} already graded, "
        f"{len(todo)} to grade ({detail or 'none'}) on {where}; gradebook {_public(db_url)}"
    )
    job = Job(str(root), aid, db_url, overrides=tuple(overrides), timeout=timeout)
    progress = Progress(len(todo), _say_line)
    t0 = time.perf_counter()
    try:
        with executor_for(workers, scheduler) as ex:
            results = grade(job, todo, ex, progress.update)
    except KeyboardInterrupt:
        _say_line(progress.line(), final=True)
        write("grade: interrupted; run the same command again to grade the rest")
        return 130, {}
    if todo and sys.stdout.isatty():
        print(flush=True)  # end the progress line
    elapsed = time.perf_counter() - t0
    bad = {sid: o for sid, o in results.items() if not o.ok}
    good = [o for o in results.values() if o.ok]
    mean = sum(o.score for o in good) / len(good) if good else 0.0
    write(
        f"graded {len(good)} of {len(todo)} in {elapsed:.0f} s "
        f"({len(good) / elapsed * 60 if elapsed else 0:.1f}/min); "
        f"mean score {mean:.2f}/{total_points:g}"
    )
    if bad:
        write(f"not graded ({len(bad)}): rerun the command to retry them")
        for sid in sorted(bad):
            write(f"  {sid}: {bad[sid].reason}")
    return (1 if bad else 0), results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("assignment")
    ap.add_argument("--workers", type=int, default=1, help="submissions graded at once")
    ap.add_argument("--scheduler", help="a Dask scheduler's address: its workers grade")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per submission")
    ap.add_argument("--force", action="store_true", help="grade again what is already graded")
    ap.add_argument("--student", action="append", help="only this student (repeatable)")
    ap.add_argument("--course", type=Path, help="the course folder (default: nbgrader_config.py's)")
    ap.add_argument("--override", action="append", default=[], help=argparse.SUPPRESS)
    ap.add_argument("--one", metavar="SID", help=argparse.SUPPRESS)  # one, in this process
    ap.add_argument("--zygote", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.zygote:
        return _serve()
    if args.one:
        return _grade_here(args.course.resolve(), args.assignment, args.one, args.override)
    if args.workers < 1:
        ap.error("--workers must be at least 1")
    from actbook.course.plugins import load_config

    config = load_config()
    root = (args.course or Path(config.CourseDirectory.root)).resolve()
    db_url = config.CourseDirectory.db_url
    if args.course and db_url == f"sqlite:///{CONFIG_FILE.parent / 'gradebook.db'}":
        db_url = f"sqlite:///{root / 'gradebook.db'}"
    rc, _ = run_command(
        root, args.assignment, db_url, workers=args.workers, scheduler=args.scheduler,
        timeout=args.timeout, force=args.force, students=args.student,
        overrides=tuple(args.override),
    )  # fmt: skip
    return rc


if __name__ == "__main__":
    raise SystemExit(main())
