"""``make book-instructor``: the book WITH the solutions, for teaching staff only.

The student site (``make book`` → ``_build/html``) never holds a solution: ``solutions/`` is
excluded and absent from the table of contents. This build reads the same sources through an
overlay (a configuration and a table of contents written to a temporary folder) in which each
released exercise ``exercises/<id>/<id>`` gets its instructor copy ``solutions/<id>/<id>`` as a
sub-page, shown and never executed, and the staff's pages (the instructor guide,
``chapters/instructor_guide.md``: grading, and what grading cannot stop; and
``chapters/course_performance.md``: build, figure and grading timings against their targets)
are added as a part of their own. The guide is not on the
student site, which the public student edition builds too (``make student-edition``). The
build goes to a temporary folder and then replaces ``_build/instructor/html``; nothing of the
student build is written, and its execution cache is copied, not shared.

    python -m actbook.site.instructor_build [--output DIR]
"""

from __future__ import annotations

import argparse
import copy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from actbook.course import release
from actbook.paths import ROOT  # noqa: E402

OUTPUT = ROOT / "_build" / "instructor" / "html"
#: Pages of the instructor edition only, as a part of the table of contents.
#: The guide says how to grade; the course's performance shows the build, figure and grading
#: timings against their targets. Both are for the people who run the course, not its students.
INSTRUCTOR_PART = {
    "caption": "For instructors and maintainers",
    "chapters": [{"file": "chapters/instructor_guide"}, {"file": "chapters/course_performance"}],
}
BANNER = "Instructor edition: it shows the solutions and hidden tests. Never publish it."


def instructor_toc(toc: dict, ids: list[str]) -> tuple[dict, list[str]]:
    """The table of contents with ``solutions/<id>/<id>`` under each released exercise, and
    :data:`INSTRUCTOR_PART`."""
    toc = copy.deepcopy(toc)
    added: list[str] = []

    def walk(entries: list[dict]) -> None:
        for e in entries:
            parts = Path(str(e.get("file", "_"))).with_suffix("").parts
            if len(parts) == 3 and parts[0] == "exercises" and parts[1] == parts[2]:
                aid = parts[1]
                if aid in ids:
                    e.setdefault("sections", []).append({"file": f"solutions/{aid}/{aid}"})
                    added.append(aid)
            walk(e.get("sections", []))
            walk(e.get("chapters", []))

    walk(toc.get("parts", []))
    walk(toc.get("chapters", []))
    toc.setdefault("parts", []).append(copy.deepcopy(INSTRUCTOR_PART))
    return toc, added


def instructor_config(conf: dict, cache: Path) -> dict:
    """The book's configuration with ``solutions/`` readable (not executed) and a warning."""
    conf = copy.deepcopy(conf)
    conf["title"] = f"{conf.get('title', 'Course')} (instructor edition)"
    conf["exclude_patterns"] = [p for p in conf.get("exclude_patterns", []) if p != "solutions"]
    execute = conf.setdefault("execute", {})
    execute["exclude_patterns"] = [*execute.get("exclude_patterns", []), "solutions/*/*"]
    execute["cache"] = str(cache)
    conf.setdefault("html", {})["announcement"] = BANNER
    return conf


def build(output: Path = OUTPUT, strict: bool = True) -> Path:
    """Build the instructor edition into ``output`` (replaced); return it."""
    ids = release.assignments()
    toc, added = instructor_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()), ids)
    if not added:
        raise SystemExit("no released exercise of the toc has a solutions/ notebook")
    with tempfile.TemporaryDirectory(prefix="actbook-instructor-") as tmp:
        tmp = Path(tmp)
        cache = tmp / "jupyter_cache"
        student_cache = ROOT / "_build" / ".jupyter_cache"
        if student_cache.is_dir():  # reuse executed chapters without writing to that cache
            shutil.copytree(student_cache, cache)
        conf = instructor_config(yaml.safe_load((ROOT / "_config.yml").read_text()), cache)
        (tmp / "_config.yml").write_text(yaml.safe_dump(conf, sort_keys=False))
        (tmp / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
        cmd = [
            str(Path(sys.executable).parent / "jupyter-book"),
            "build",
            str(ROOT),
            "--config",
            str(tmp / "_config.yml"),
            "--toc",
            str(tmp / "_toc.yml"),
            "--path-output",
            str(tmp / "out"),
            "--keep-going",
        ]
        if strict:
            cmd += ["-W", "-n"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            log = proc.stdout + proc.stderr
            raise RuntimeError("the instructor build failed:\n" + log[-5000:])
        if output.exists():
            shutil.rmtree(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(tmp / "out" / "_build" / "html", output)
    return output


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where the html goes")
    args = parser.parse_args(argv)
    out = build(args.output.resolve())
    print(f"Instructor edition (with solutions, not for publishing): {out / 'index.html'}")


if __name__ == "__main__":
    main()
