"""The book's build: clean build time, no-change rebuild time, and each page's execution
time (from the execution cache). Builds into a temporary folder: _build is not touched."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import update_results  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
JB = str(Path(sys.executable).parent / "jupyter-book")


def build(out: Path, *extra: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        [JB, "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going", *extra],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - t0


def execution_times(cache: Path) -> dict:
    from jupyter_cache import get_cache

    times = {}
    for rec in get_cache(str(cache)).list_cache_records():
        data = rec.data or {}
        if "execution_seconds" in data:
            times[Path(rec.uri).stem] = round(float(data["execution_seconds"]), 2)
    return times


def main() -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bookbench-"))
    cache = ROOT / "_build" / ".jupyter_cache"
    saved = tmp / "saved-cache"
    if cache.exists():  # a clean build needs an empty cache; the user's comes back after
        shutil.move(str(cache), saved)
    try:
        clean = build(tmp / "out", "--all")
        rebuild = build(tmp / "out")
        times = execution_times(cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if saved.exists():
            shutil.move(str(saved), cache)
        shutil.rmtree(tmp, ignore_errors=True)
    out = {
        "clean_build_s": round(clean, 1),
        "no_change_rebuild_s": round(rebuild, 1),
        "rebuild_fraction": round(rebuild / clean, 3),
        "execution_s": times,
    }
    update_results("book", out)
    print(f"book: clean {clean:.1f} s, no-change rebuild {rebuild:.1f} s")
    return out


if __name__ == "__main__":
    main()
