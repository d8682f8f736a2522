"""Code behind chapters/course_performance.md: how fast the course's own machinery runs.

The page (instructor edition only) shows the last results of ``make bench`` for the book
build, the interactive figures, grading and the website; this module renders them.
"""

from __future__ import annotations

from actbook.figures.tables import markdown_table

__all__ = ["parallel_grading_lines", "site_table"]


def site_table(site: dict) -> str:
    """Markdown: weight and load time of the largest pages."""
    header = ["page", "page HTML", "transferred", "requests", "load", "math typeset"]
    rows = [
        [
            page,
            f"{v['html_kB']:.0f} kB",
            f"{v['transferred_kB'] / 1024:.1f} MB",
            v["requests"],
            f"{v['load_ms']:.0f} ms",
            f"{v['math_ready_ms']:.0f} ms",
        ]  # fmt: skip
        for page, v in site["pages"].items()
    ]
    return markdown_table(header, rows)


def parallel_grading_lines(par: dict, grading: dict | None = None) -> list[str]:
    """What ``benchmarks/grading_parallel.py`` measured (``par``), in lines of text; with
    ``grading`` (``benchmarks/grading.py``'s results), the cost per submission taken apart."""
    r, proj, machine = par["runs"], par["projection"], par["machine"]
    lines = [
        f"{par['submissions']} submissions of {par['assignment']} on {machine['cpus']} cores "
        f"(1-minute load average up to {max(machine['load_average_1min']):.1f} during the "
        f"run), `{par['command']}`:"
    ]
    for run in r.values():
        lines.append(
            f"  {run['workers']} worker(s), {run['gradebook']}: {run['per_minute']:.1f} "
            f"submissions/min, gradebook {run['gradebook_share']:.1%} of the time"
        )
    busy = [f"{run['cores_busy']:.2f}" for run in (r["postgresql_1"], r["postgresql_2"])]
    extra = par["speedup_cores_plus_1"]
    lines += [
        f"  speed-up with 2 workers: {par['speedup_2_workers']:.2f} (ideal 2; the machine's "
        f"busy cores: {busy[0]} with 1 worker, {busy[1]} with 2)",
        f"  speed-up with {extra['workers']} workers (one more than the cores): "
        f"{extra['speedup']:.2f}"
        + (
            ", the fastest measured: use WORKERS = cores + 1"
            if extra["speedup"] > par["speedup_2_workers"]
            else ", no faster than 2"
        ),
        f"  {par['ratio_to_bare_nbclient']:.2f}x the bare nbclient execution per submission",
    ]
    if grading:  # the same cost taken apart, interleaved
        ratio = grading["ratio_to_bare"]
        lines.append(
            f"  per submission against bare nbclient ({grading['submissions']} submissions, "
            f"interleaved): {ratio['autograde']:.2f}x as the course grades, "
            f"{ratio['tests_in_student_kernel']:.2f}x with the tests in the student's "
            f"sandboxed kernel, {ratio['unsandboxed']:.2f}x with neither sandbox nor test "
            "kernel (as stock nbgrader)"
        )
    lines.append(
        f"Projection (not a measurement) for {proj['course']['students']} students x "
        f"{proj['course']['problem_sets']} problem sets: serial {proj['serial_hours']:.1f} h; "
        + "; ".join(
            f"{k}: {v['hours']:.2f} h"
            for k, v in proj.items()
            if isinstance(v, dict) and "hours" in v
        )
    )
    return lines
