"""Parallel autograde (``make grade``): throughput with 1 and 2 workers, the speed-up against
the ideal, the cost per submission against bare nbclient, and the gradebook's share of the
time on PostgreSQL and on SQLite; then a projection for a large course.

A class of N correct submissions (each a little different) is collected once and graded
four times, each time in a fresh copy: 1 worker on SQLite, then 1, 2 and (cores + 1)
workers on PostgreSQL (a temporary server). Right after each run, the bare-nbclient floor:
a few of the notebooks that run executed are executed again by nbclient alone
(``grading.bare_execution``), so that each ratio compares times taken under the same load.
What the sandbox and its test kernel cost apart: ``benchmarks/grading.py`` (interleaved).

    python benchmarks/grading_parallel.py [N] [--assignment ID]
        # writes results-grading-parallel.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil
from grading import bare_execution
from nbgrader.apps import NbGraderAPI

from actbook.course import classroom, parallel, plugins, release, sandbox
from actbook.course import rehearsal as grading_demo

RESULTS = Path(__file__).resolve().parent / "results-grading-parallel.json"
COURSE = {"students": 1000, "problem_sets": 6}
BARE = 10  # notebooks run bare after each run, spread over the class
MACHINES = {"1 machine x 16 cores": 16, "10 machines x 16 cores": 160}


def collected_class(root: Path, aid: str, n: int) -> None:
    control = next(s for s in grading_demo.fake_class(aid, False) if s.student == "control-a")
    name = f"{aid}.ipynb"
    course = classroom.Course(root, [aid])
    course.generate(aid)
    course.release(aid)
    for i in range(n):
        sid = f"s{i:04d}"
        text = control.files[name].decode().replace('\\"control-a\\"', f'\\"{sid}\\"')
        (course.fetch(aid, sid) / name).write_text(text)
        course.submit(aid, sid)
    course.collect(aid)


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent not idle since boot."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def run(template: Path, dest: Path, aid: str, workers: int, db_url: str | None) -> dict:
    shutil.copytree(template, dest)
    if db_url:  # the assignment into the PostgreSQL gradebook, as generate_assignment does
        config = plugins.load_config()
        config.CourseDirectory.root, config.CourseDirectory.db_url = str(dest), db_url
        config.NbGraderAPI.log_level = "WARN"
        assert NbGraderAPI(config=config).generate_assignment(aid, force=True)["success"]
    url = db_url or f"sqlite:///{dest / 'gradebook.db'}"
    os.environ["ACTBOOK_TIME_GRADEBOOK"] = "1"
    cpu0, t0 = busy_cpu_seconds(), time.perf_counter()
    rc, out = parallel.run_command(dest, aid, url, workers=workers, write=lambda s: None)
    wall, busy = time.perf_counter() - t0, busy_cpu_seconds() - cpu0
    assert rc == 0 and all(o.score == o.max_score for o in out.values()), rc
    records = [json.loads(parallel.marker(dest, aid, sid).read_text()) for sid in out]
    n = len(out)
    graded = next((dest / "autograded").glob(f"*/{aid}/{aid}.ipynb"))
    return {
        "workers": workers,
        "gradebook": "postgresql" if db_url else "sqlite",
        "kernels": json.loads(graded.read_text())["metadata"]["actbook_grading"],  # as graded
        "wall_seconds": wall,
        "per_minute": n / wall * 60,
        "cores_busy": busy / wall,  # the whole machine's: grader, kernels, PostgreSQL
        "median_process_seconds": statistics.median(o.seconds for o in out.values()),
        "median_nbgrader_seconds": statistics.median(r["seconds"] for r in records),
        "median_gradebook_seconds": statistics.median(r["gradebook_seconds"] for r in records),
        "gradebook_share": sum(r["gradebook_seconds"] for r in records)
        / sum(o.seconds for o in out.values()),
    }


def measure(n: int, aid: str) -> dict:
    os.environ["PATH"] = f"{grading_demo.BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    load = [os.getloadavg()[0]]
    with (
        tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp,
        parallel.TemporaryPostgres() as pg,
    ):
        tmp = Path(tmp)
        collected_class(tmp / "template", aid, n)
        runs = {}
        extra = (os.cpu_count() or 1) + 1  # one more than the cores: fills their waits
        for key, workers, db in [("sqlite_1", 1, None), ("postgresql_1", 1, "one"),
                                 ("postgresql_2", 2, "two"),
                                 (f"postgresql_{extra}", extra, "extra")]:  # fmt: skip
            url = pg.database(db) if db else None
            runs[key] = run(tmp / "template", tmp / key, aid, workers, url)
            kernels = runs[key]["kernels"]  # as the course grades: sandbox, trusted test kernel
            assert kernels["sandbox"] == sandbox.BUBBLEWRAP, (key, kernels)
            assert kernels["tests"] == "trusted kernel", (key, kernels)
            graded = sorted((tmp / key / "autograded").glob(f"*/{aid}/{aid}.ipynb"))
            bare = [bare_execution(p) for p in graded[:: max(1, n // BARE)][:BARE]]
            runs[key]["median_bare_nbclient_seconds"] = statistics.median(bare)
            runs[key]["ratio_to_bare_nbclient"] = (
                runs[key]["median_process_seconds"] / runs[key]["median_bare_nbclient_seconds"]
            )
            load.append(os.getloadavg()[0])
            print(f"{key}: {n} in {runs[key]['wall_seconds']:.1f} s", flush=True)
    one, two = runs["postgresql_1"], runs["postgresql_2"]
    speedup = one["wall_seconds"] / two["wall_seconds"]
    per_sub = runs["sqlite_1"]["wall_seconds"] / n  # one worker, everything included
    total = COURSE["students"] * COURSE["problem_sets"]
    projection = {
        name: {
            "hours": total * per_sub / (cores * speedup / 2) / 3600,
            "assumes": f"{per_sub:.2f} s per submission with one worker and the measured 2-worker "
            f"efficiency ({speedup / 2:.0%}) holding up to {cores} workers, PostgreSQL "
            "keeping up (its share is below), no other load",
        }
        for name, cores in MACHINES.items()
    }
    return {
        "assignment": aid,
        "submissions": n,
        "runs": runs,
        "speedup_2_workers": speedup,
        "ideal_speedup": 2.0,
        "efficiency": speedup / 2,
        "speedup_cores_plus_1": {
            "workers": extra,
            "speedup": one["wall_seconds"] / runs[f"postgresql_{extra}"]["wall_seconds"],
        },
        "ratio_to_bare_nbclient": runs["sqlite_1"]["ratio_to_bare_nbclient"],
        "projection": {"course": COURSE, "serial_hours": total * per_sub / 3600, **projection},
        "note": "a projection from this run's figures, not a measurement of such a course",
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min": load,
            "python": sys.version.split()[0],
            "date": time.strftime("%Y-%m-%d"),
        },
        "command": f"python benchmarks/grading_parallel.py {n} --assignment {aid}",
    }


def main(quick: bool = False, argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", nargs="?", type=int, default=2 if quick else 200)
    ap.add_argument("--assignment", default=release.assignments()[0])
    args = ap.parse_args([] if argv is None else argv)
    result = measure(args.n, args.assignment)
    if not quick:
        RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    r = result["runs"]
    print(
        f"{args.n} submissions: {r['sqlite_1']['per_minute']:.1f}/min with 1 worker (SQLite), "
        f"{r['postgresql_2']['per_minute']:.1f}/min with 2 (PostgreSQL): speed-up "
        f"{result['speedup_2_workers']:.2f} of 2, with "
        f"{result['speedup_cores_plus_1']['workers']} workers "
        f"{result['speedup_cores_plus_1']['speedup']:.2f}; "
        f"{result['ratio_to_bare_nbclient']:.2f}x bare "
        f"nbclient; gradebook share {r['sqlite_1']['gradebook_share']:.1%} (SQLite), "
        f"{r['postgresql_1']['gradebook_share']:.1%} (PostgreSQL)"
    )
    return result


if __name__ == "__main__":
    main(argv=sys.argv[1:])
