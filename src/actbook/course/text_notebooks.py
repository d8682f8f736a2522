"""The course's Markdown pages in the one form JupyterLab saves them.

JupyterLab opens a chapter (``chapters/*.md``, a MyST text notebook) as a notebook and saves
it through jupytext's contents manager, with the course's ``jupytext.toml``. Saving a chapter
nobody changed must change no byte (``make lab-instructor`` on the repository, ``make lab`` on
a student's copy). So the repository keeps every page in exactly the form jupytext writes:

- a MyST notebook carries, in its header, jupytext's ``notebook_metadata_filter`` that leaves
  out jupytext's version lines (they would change with every jupytext release); it sits in
  the page, not in ``jupytext.toml``, where it would also apply to plain Markdown pages
  (``README.md``, ``chapters/exercises.md``) and give each of them a jupytext header;
- its cell options are written as jupytext writes them (a YAML block for nested options);
- a plain Markdown page stays plain.

``python -m actbook.course.text_notebooks`` rewrites the pages that are not in that form
(their cells, sources and options stay as they are; :func:`normalise` checks it before it
writes); ``--check`` lists them and exits 1. :func:`saved` is the round trip itself: jupytext's
own contents manager on a copy of the pages beside the course's ``jupytext.toml``.
"""

from __future__ import annotations

import asyncio
import inspect
import shutil
import sys
import tempfile
from pathlib import Path

from actbook.paths import ROOT

#: What a chapter's header says jupytext leaves out: its own version lines.
VERSIONLESS = (
    "-jupytext.text_representation.jupytext_version,-jupytext.text_representation.format_version"
)
CONFIG = "jupytext.toml"
COMMAND = "python -m actbook.course.text_notebooks"


def config(root: Path = ROOT):
    """The course's jupytext settings (``jupytext.toml``), as JupyterLab's jupytext reads them."""
    from jupytext.config import load_jupytext_configuration_file

    return load_jupytext_configuration_file(str(root / CONFIG))


def write(nb, root: Path = ROOT) -> str:
    """A notebook as a MyST text notebook, in the form JupyterLab's jupytext saves it."""
    import jupytext

    nb.metadata.setdefault("jupytext", {}).setdefault("notebook_metadata_filter", VERSIONLESS)
    return jupytext.writes(nb, fmt="md:myst", config=config(root))


def pages(root: Path = ROOT) -> list[str]:
    """Every Markdown page JupyterLab may open as a notebook: the book's table of contents,
    every chapter (the instructor's too) and the course folder's own ``*.md``."""
    import yaml

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    yield node[key]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    found = set()
    toc = root / "_toc.yml"
    if toc.exists():
        for doc in walk(yaml.safe_load(toc.read_text())):
            path = root / (doc if doc.endswith(".md") else doc + ".md")
            if path.exists():
                found.add(path)
    found.update((root / "chapters").glob("*.md"))
    found.update(root.glob("*.md"))
    return sorted(p.relative_to(root).as_posix() for p in found)


def saved(texts: dict[str, str], root: Path = ROOT) -> dict[str, str]:
    """What JupyterLab writes when it opens each page (relative path -> text) as a notebook
    and saves it unchanged: jupytext's contents manager, on a temporary copy of the pages
    beside the course's ``jupytext.toml``, found as the server finds it."""
    import jupytext

    with tempfile.TemporaryDirectory(prefix="actbook-jupytext-") as tmp:
        folder = Path(tmp)
        shutil.copy(root / CONFIG, folder / CONFIG)
        for rel, text in texts.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text)
        cm = jupytext.TextFileContentsManager(root_dir=str(folder))

        async def open_and_save(rel):
            model = cm.get(rel, content=True, type="notebook")
            model = await model if inspect.isawaitable(model) else model
            done = cm.save(model, rel)
            if inspect.isawaitable(done):
                await done

        for rel in texts:
            asyncio.run(open_and_save(rel))
        return {rel: (folder / rel).read_text() for rel in texts}


def _is_myst_notebook(text: str) -> bool:
    """Whether jupytext reads ``text`` as a MyST notebook (as the contents manager guesses)."""
    from jupytext.formats import guess_format

    return guess_format(text, ".md")[0] == "myst"


def _cells(text: str) -> list[tuple]:
    import jupytext

    nb = jupytext.reads(text, fmt="md:myst")
    return [(c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]


def canonical(text: str, root: Path = ROOT) -> str:
    """``text`` in the form JupyterLab saves it (see the module's docstring)."""
    import jupytext

    if _is_myst_notebook(text):
        text = write(jupytext.reads(text, fmt="md:myst"), root)
    return saved({"page.md": text}, root)["page.md"]


def check(root: Path = ROOT) -> list[str]:
    """The pages that saving unchanged in JupyterLab would rewrite."""
    texts = {rel: (root / rel).read_text() for rel in pages(root)}
    after = saved(texts, root)
    return [rel for rel in texts if after[rel] != texts[rel]]


def normalise(root: Path = ROOT) -> list[str]:
    """Rewrite each page that :func:`check` lists in its canonical form; returns them. A page
    whose cells would not come back the same (sources, options) is left alone, with an
    error."""
    new = {}
    for rel in check(root):
        text = (root / rel).read_text()
        new[rel] = canonical(text, root)
        if _cells(new[rel]) != _cells(text):
            raise ValueError(f"{rel}: jupytext would change its cells; no page was rewritten")
    for rel, text in new.items():
        tmp = (root / rel).with_name(Path(rel).name + ".part")
        tmp.write_text(text)
        tmp.replace(root / rel)
    return list(new)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv not in ([], ["--check"]):
        print(f"usage: {COMMAND} [--check]")
        return 2
    if not (ROOT / CONFIG).exists():
        print(f"text_notebooks: no {CONFIG} in {ROOT}")
        return 1
    if argv == ["--check"]:
        changed = check(ROOT)
        for rel in changed:
            print(f"{rel}: saving it in JupyterLab would rewrite it; run `{COMMAND}`")
        return 1 if changed else 0
    try:
        done = normalise(ROOT)
    except ValueError as e:
        print(f"text_notebooks: {e}")
        return 1
    for rel in done:
        print(f"text_notebooks: rewrote {rel}")
    print(f"text_notebooks: {len(done)} page(s) rewritten; every page saves unchanged")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
