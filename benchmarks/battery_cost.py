"""What the battery of input classes costs at grading: the autograde of one full-marks
submission of each problem set, with the instructor notebook as it was before the battery
(:data:`BEFORE`) and as it is now, alternating old and new in one run so that the machine's
load hits both alike. The issue's bound: new within 1.5 times old.

Each side is an nbgrader course of its own with the course's settings (sandboxed student
kernel, tests in the trusted kernel): the source notebook (old or new), generate, release,
one student who hands in the release with the instructor's answers filled in, collect; then
rounds of autograde, old then new, then new then old, ... (the order flips each round).

    python benchmarks/battery_cost.py [ROUNDS] [--assignment ID ...]

The result goes into benchmarks/results.json, section ``battery_cost`` (common.update_results).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from actbook.course import classroom, release
from actbook.course import rehearsal as grading_demo
from actbook.paths import ROOT

sys.path.insert(0, str(Path(__file__).parent))
from common import RESULTS, update_results  # noqa: E402
from hidden_checks import ASSIGNMENTS, BEFORE  # noqa: E402

SECTION = "battery_cost"


def old_notebook(aid: str) -> str:
    """The instructor notebook of ``aid`` at :data:`BEFORE`."""
    path = f"solutions/{aid}/{aid}.ipynb"
    return subprocess.run(
        ["git", "show", f"{BEFORE}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def full_marks(source: dict, released: dict) -> bytes:
    """The released notebook with every answer cell holding the instructor's answer."""
    answers = grading_demo.solution_code(source)
    for cell in released["cells"]:
        gid = grading_demo._nbg(cell).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]
    return json.dumps(released, indent=1).encode()


def course(root: Path, aid: str, source_text: str | None) -> classroom.Course:
    """A course whose instructor notebook of ``aid`` is ``source_text`` (None: the current
    one), with one full-marks submission by ``s000`` collected."""
    c = classroom.Course(root, [aid])
    nb_path = c.root / "solutions" / aid / f"{aid}.ipynb"
    if source_text is not None:
        nb_path.write_text(source_text)
    c.generate(aid)
    c.release(aid)
    source = json.loads(nb_path.read_text())
    released = json.loads((c.root / "exercises" / aid / f"{aid}.ipynb").read_text())
    folder = c.fetch(aid, "s000")
    (folder / f"{aid}.ipynb").write_bytes(full_marks(source, released))
    c.submit(aid, "s000")
    c.collect(aid)
    return c


def grade(c: classroom.Course, aid: str) -> float:
    res = c.autograde(aid, ["s000"])["s000"]
    assert res.ok and res.score == res.max_score, (res.score, res.max_score, res.log[-2000:])
    return res.seconds


def measure(aid: str, rounds: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-battery-") as tmp:
        sides = {
            "old": course(Path(tmp) / "old", aid, old_notebook(aid)),
            "new": course(Path(tmp) / "new", aid, None),
        }
        for c in sides.values():  # warm-up: imports, the kernels' first start
            grade(c, aid)
        times: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(rounds):
            order = ["old", "new"] if r % 2 == 0 else ["new", "old"]
            for name in order:
                times[name].append(grade(sides[name], aid))
            print(
                f"{aid} round {r + 1}/{rounds}: old {times['old'][-1]:.2f} s, "
                f"new {times['new'][-1]:.2f} s",
                flush=True,
            )
    med = statistics.median
    return {
        "median_seconds": {k: med(v) for k, v in times.items()},
        "ratio_new_to_old": med(times["new"]) / med(times["old"]),
        "median_of_round_ratios": med(
            n / o for n, o in zip(times["new"], times["old"], strict=True)
        ),
        "seconds": times,
    }


def main(quick: bool = False, argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rounds", nargs="?", type=int, default=1 if quick else 7)
    ap.add_argument("--assignment", nargs="*", default=ASSIGNMENTS)
    args = ap.parse_args([] if argv is None else argv)
    os.environ["PATH"] = f"{grading_demo.BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    assert set(args.assignment) <= set(release.assignments()), args.assignment
    out = {aid: measure(aid, args.rounds) for aid in args.assignment}
    stamp = time.strftime("%Y-%m-%d %H:%M")
    for r in out.values():
        r.update(rounds=args.rounds, date=stamp, load_average_1min=os.getloadavg()[0])
    # a run of some problem sets keeps the others' last figures
    kept = json.loads(RESULTS.read_text()).get(SECTION, {}) if RESULTS.exists() else {}
    result = {
        "before_commit": BEFORE,
        "after_commit": subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "rounds": args.rounds,
        "assignments": {**kept.get("assignments", {}), **out},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_1min": os.getloadavg()[0],
            "python": sys.version.split()[0],
            "date": time.strftime("%Y-%m-%d %H:%M"),
        },
        "command": f"python benchmarks/battery_cost.py {args.rounds} --assignment "
        + " ".join(args.assignment),
    }
    update_results(SECTION, result)
    for aid, r in out.items():
        m = r["median_seconds"]
        print(
            f"{aid}: autograde median old {m['old']:.2f} s, new {m['new']:.2f} s, "
            f"new/old {r['ratio_new_to_old']:.2f} (median of round ratios "
            f"{r['median_of_round_ratios']:.2f})"
        )
    return result


if __name__ == "__main__":
    main(argv=sys.argv[1:])
