"""The values each chapter glues into its text, for its copy in JupyterLab (``make lab``).

The website gets them from MyST-NB as the book builds. ``make lab`` takes them from the last
book build when that build ran the chapter's current code, and otherwise runs the chapter
once itself (kept in ``_build/lab_values/``, by the hash of the chapter's code), so that a
clean clone reads the same numbers as the website without building the book.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

from actbook.paths import ROOT

KEPT = Path("_build") / "lab_values"
BOOK_RUN = Path("_build") / "jupyter_execute" / "chapters"


def _code(nb) -> list[str]:
    return [c.source.strip() for c in nb.cells if c.cell_type == "code"]


def _read(path: Path):
    import jupytext

    return jupytext.read(path, fmt="md:myst")


def code_hash(path: Path) -> str:
    """What the values depend on: the chapter's code (its prose can change freely)."""
    return hashlib.sha256(json.dumps(_code(_read(path))).encode()).hexdigest()


def harvest(nb) -> dict[str, dict]:
    """name -> glued mime bundle, from an executed notebook, as MyST-NB writes them."""
    from myst_nb.ext.glue import extract_glue_data_cell

    out: dict[str, dict] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for name, output in extract_glue_data_cell(cell):
                out[name] = {"data": dict(output["data"])}
    return out


def from_book(path: Path, root: Path = ROOT) -> dict[str, dict] | None:
    """The values of the last book build, if it ran this code; else None."""
    import nbformat

    run = root / BOOK_RUN / f"{path.stem}.ipynb"
    glued = run.with_suffix(".glue.json")
    if not (run.exists() and glued.exists()):
        return None
    if _code(nbformat.read(run, as_version=4)) != _code(_read(path)):
        return None  # the chapter changed since the book was built
    return json.loads(glued.read_text())


def kept(path: Path, root: Path = ROOT) -> dict[str, dict] | None:
    """The values computed by an earlier ``make lab`` for this code; else None."""
    file = root / KEPT / f"{path.stem}.json"
    if not file.exists():
        return None
    data = json.loads(file.read_text())
    return data["glue"] if data.get("code") == code_hash(path) else None


def _timeout(root: Path) -> int:
    """Seconds a cell may take: the book build's (``_config.yml``)."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text()) or {}
    return int(config.get("execute", {}).get("timeout", 120))


def compute(path: Path, root: Path = ROOT) -> dict[str, dict]:
    """Run the chapter in a fresh kernel (in its folder, as the book does); keep its values."""
    from nbclient import NotebookClient

    nb = _read(path)
    where = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(nb, timeout=_timeout(root), kernel_name="python3", resources=where)
    client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log; errors come as outputs
    glue = harvest(nb)
    file = root / KEPT / f"{path.stem}.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps({"code": code_hash(path), "glue": glue}, indent=1) + "\n")
    return glue


def glues(path: Path) -> bool:
    return "{glue" in path.read_text()


def values(
    paths: list[Path], root: Path = ROOT, run: bool = True, say=print
) -> dict[str, dict[str, dict]]:
    """doc -> its glued values, for every chapter in ``paths`` that glues any: from the book,
    from an earlier run, or (``run``) computed now, said with the time it took. A chapter that
    fails to run is said and left without values (its text then shows «name»)."""
    out: dict[str, dict[str, dict]] = {}
    todo = []
    for path in paths:
        if not glues(path):
            continue
        found = from_book(path, root) or kept(path, root)
        if found is None:
            todo.append(path)
        else:
            out[path.stem] = found
    if todo and run:
        say(f"computing the values of {len(todo)} chapter(s) for their text (once)")
    for path in todo if run else []:
        t0 = time.perf_counter()
        try:
            out[path.stem] = compute(path, root)
        except Exception as e:  # noqa: BLE001 (one chapter's failure leaves the rest readable)
            first = str(e).strip().splitlines()[-1:] or [type(e).__name__]
            say(f"{path.name}: could not run it ({first[0][:200]}); its values show as «name»")
            continue
        say(f"{path.name}: {len(out[path.stem])} values in {time.perf_counter() - t0:.0f} s")
    return out


if __name__ == "__main__":  # python -m actbook.course.chapter_values [chapter.md ...]
    chosen = [Path(a).resolve() for a in sys.argv[1:]]
    values(chosen or sorted((ROOT / "chapters").glob("*.md")))
