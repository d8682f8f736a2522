"""The student's work folder (`make lab`): filled from the release, never overwritten; the
chapters in it read as text in JupyterLab and survive a save unchanged."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jupytext
import nbformat
import pytest

from actbook.course import chapter_values, release, text_notebooks, workspace

ROOT = Path(__file__).resolve().parents[2]

# What JupyterLab would show raw: a role, a directive fence, a target, a labelled equation.
RAW_MYST = re.compile(
    r"\{[a-z]+(?::[a-z]+)?\}`|^\s*(?::{3,}|`{3,})\{|^\([\w:-]+\)=|^\$\$[ \t]*\(", re.M
)


@pytest.fixture(scope="module")
def book():
    return workspace.load_book(ROOT)


@pytest.fixture(scope="module")
def files(book):
    return workspace.released_files(ROOT, book)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _course(tmp: Path) -> Path:
    """A small course repository: one problem set, one chapter, committed."""
    course = tmp / "course"
    (course / "exercises" / "ps01").mkdir(parents=True)
    (course / "chapters").mkdir()
    shutil.copy(
        ROOT / "exercises" / "ps01-classic" / "ps01-classic.ipynb",
        course / "exercises" / "ps01" / "ps01.ipynb",
    )
    (course / "exercises" / "ps01" / "checks.py").write_text("# checks\n")
    shutil.copy(ROOT / "chapters" / "linear.md", course / "chapters" / "linear.md")
    shutil.copy(ROOT / "jupytext.toml", course / "jupytext.toml")
    _git(course, "init", "-q")
    _git(course, "add", "-A")
    _git(course, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "release 1")
    return course


def _sync(course: Path, work: Path) -> list[str]:
    return workspace.sync(work, workspace.released_files(course, workspace.load_book(course)))


def test_a_course_update_never_touches_the_students_notebook(tmp_path):
    course, work = _course(tmp_path), tmp_path / "work"
    assert sorted(_sync(course, work)) == sorted(
        f"added {p}"
        for p in (
            "exercises/ps01/ps01.ipynb",
            "exercises/ps01/checks.py",
            "chapters/linear.md",
            "jupytext.toml",
        )
    )
    mine = work / "exercises" / "ps01" / "ps01.ipynb"
    nb = json.loads(mine.read_text())
    nb["cells"][3]["source"] = ["def linear(z, m=1.0):\n", "    return m * z  # my answer\n"]
    mine.write_text(json.dumps(nb, indent=1))
    before = mine.read_bytes()

    # A new commit changes the released notebook and its checks, and adds a problem set.
    released = course / "exercises" / "ps01" / "ps01.ipynb"
    nb = json.loads(released.read_text())
    nb["cells"][0]["source"].append("\nA corrected sentence.\n")
    released.write_text(json.dumps(nb, indent=1))
    (course / "exercises" / "ps01" / "checks.py").write_text("# checks, corrected\n")
    (course / "exercises" / "ps02").mkdir()
    (course / "exercises" / "ps02" / "ps02.ipynb").write_text(released.read_text())
    _git(course, "add", "-A")
    _git(course, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "release 2")

    done = _sync(course, work)
    assert mine.read_bytes() == before, "the sync changed the student's notebook"
    offered = work / "exercises" / "ps01" / "ps01 (updated).ipynb"
    assert offered.read_bytes() == released.read_bytes()
    assert "offered exercises/ps01/ps01 (updated).ipynb beside exercises/ps01/ps01.ipynb" in done
    assert "updated exercises/ps01/checks.py" in done  # never edited by the student: replaced
    assert (work / "exercises" / "ps01" / "checks.py").read_text() == "# checks, corrected\n"
    assert "added exercises/ps02/ps02.ipynb" in done
    # Run again, nothing moves; the student's file is still theirs.
    assert _sync(course, work) == []
    assert mine.read_bytes() == before


def test_an_edited_offer_is_kept_too(tmp_path):
    course, work = _course(tmp_path), tmp_path / "work"
    _sync(course, work)
    for k in (1, 2):
        mine = work / "exercises" / "ps01" / ("ps01.ipynb" if k == 1 else "ps01 (updated).ipynb")
        mine.write_text(mine.read_text() + " ")  # the student edits (and later edits the offer)
        released = course / "exercises" / "ps01" / "ps01.ipynb"
        released.write_text(
            released.read_text().replace("Problem set 1", f"Problem set 1 (v{k + 1})")
        )
        kept = mine.read_bytes()
        _sync(course, work)
        assert mine.read_bytes() == kept
    assert (
        work / "exercises" / "ps01" / "ps01 (updated 2).ipynb"
    ).read_bytes() == released.read_bytes()


def test_the_work_folder_is_ignored_by_git():
    out = subprocess.run(
        ["git", "check-ignore", "work/x.ipynb"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.strip() == "work/x.ipynb"


def test_every_chapter_but_the_instructors_is_in_the_work_folder_beside_the_exercises(files):
    chapters = {Path(p).stem for p in files if p.startswith("chapters/")}
    assert chapters == {p.stem for p in (ROOT / "chapters").glob("*.md")} - workspace.STAFF_ONLY
    for aid in release.assignments():
        assert f"exercises/{aid}/{aid}.ipynb" in files and f"exercises/{aid}/checks.py" in files


def test_every_relative_link_between_chapters_and_problem_sets_resolves_in_the_work_folder(files):
    import jupytext

    broken = []
    for rel, data in files.items():
        if rel.endswith(".md"):
            texts = [
                c.source
                for c in jupytext.reads(data.decode(), fmt="md:myst").cells
                if c.cell_type == "markdown"
            ]
        elif rel.endswith(".ipynb"):
            texts = [
                "".join(c["source"])
                for c in json.loads(data)["cells"]
                if c["cell_type"] == "markdown"
            ]
        else:
            continue
        for text in texts:
            for target in re.findall(r"\]\(([^)#:\s]+)(?:#[^)]*)?\)", text):
                parts: list[str] = []
                for part in (Path(rel).parent / target).as_posix().split("/"):
                    parts = parts[:-1] if part == ".." else [*parts, part]
                if "/".join(parts) not in files:
                    broken.append(f"{rel}: {target}")
    assert not broken, broken
    assert any(
        "../../chapters/" in "".join(c["source"])
        for c in json.loads(files["exercises/ps01-classic/ps01-classic.ipynb"])["cells"]
    )


def test_no_raw_myst_in_any_chapter_copy(files):
    import jupytext

    raw = []
    for rel, data in files.items():
        if rel.startswith("chapters/"):
            for cell in jupytext.reads(data.decode(), fmt="md:myst").cells:
                if cell.cell_type == "markdown":
                    raw += [f"{rel}: {m.group(0)}" for m in RAW_MYST.finditer(cell.source)]
    assert not raw, raw[:10]


def test_the_raw_myst_pattern_catches_each_kind():
    for text in (
        "{glue:text}`x:.1e`",
        "{eq}`eq-relu`",
        "{cite:t}`he2015`",
        "(chapter-relu)=",
        ":::{dropdown} A",
        "$$ (eq-x)",
    ):
        assert RAW_MYST.search(text), text


def test_roles_and_directives_become_text(book):
    book = workspace.Book(
        equations={"eq-a": ("relu", 2), "eq-b": ("tanh", 1)},
        sections={"sec-x": ("tanh", "The tanh page")},
        references={"k1": ("He et al.", "2015", "Delving"), "k2": ("Nair and Hinton", "2010", "R")},
        glue={
            "relu": {
                "v": {"data": {"text/plain": "0.000123456"}},
                "t": {"data": {"text/markdown": "| a |"}},
            }
        },
    )
    text = (
        "(sec-y)=\n# Title\n\nSee {eq}`eq-a`, {eq}`eq-b`, {cite:t}`k1`, {cite:p}`k1,k2`, "
        "{ref}`the page <sec-x>`, value {glue:text}`v:.1e`, missing {glue:text}`w:.2f`.\n\n"
        "$$\nx\n$$ (eq-a)\n\n"
        ":::{dropdown} Worked answer\nBody {glue:text}`v`\n"
        "```{glue:md} t\n:format: myst\n```\n:::\n"
    )
    out = workspace.render_markdown(text, "relu", book)
    assert out.startswith("# Title")
    assert (
        "See (2), (1) in [tanh](tanh.md), He et al. (2015), "
        "(He et al., 2015; Nair and Hinton, 2010)" in out
    )
    assert "[the page](tanh.md#The-tanh-page)" in out
    assert "value 1.2e-04, missing «w»." in out
    assert "x\n\\tag{2}\n$$" in out
    assert (
        "<details><summary><b>Worked answer</b></summary>\n\nBody 0.000123456\n| a |\n\n</details>"
        in out
    )
    assert not RAW_MYST.search(out)


def _pages(tmp_path: Path, chapters: dict[str, str]) -> Path:
    """A course at ``tmp_path`` with the repository's config and these chapters."""
    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "_config.yml", tmp_path)
    for name, text in chapters.items():
        (tmp_path / "chapters" / name).write_text(text)
    return tmp_path


def _book_build(course: Path, doc: str, glue: dict) -> None:
    """What a book build leaves for ``doc``: the notebook it ran and the values it glued."""
    run = course / chapter_values.BOOK_RUN / f"{doc}.ipynb"
    run.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(jupytext.read(course / "chapters" / f"{doc}.md"), run)
    run.with_suffix(".glue.json").write_text(json.dumps(glue))


def test_glued_values_come_from_a_book_build_of_the_same_code(tmp_path):
    course = _pages(tmp_path, {"foundations.md": (ROOT / "chapters/foundations.md").read_text()})
    glue = {"collapse_err": {"data": {"text/plain": "'3.55 × 10⁻¹⁵'"}}}  # glued by tables.fmt
    _book_build(course, "foundations", glue)
    out = workspace.render_chapter(course / "chapters/foundations.md", workspace.load_book(course))
    assert "The largest difference, 3.55 × 10⁻¹⁵," in out
    assert "«collapse_err»" not in out
    # the chapter's code changed since that build: its values are not the book's any more
    page = course / "chapters/foundations.md"
    page.write_text(page.read_text().replace("import numpy as np", "import numpy as np  # !"))
    out = workspace.render_chapter(page, workspace.load_book(course))
    assert "«collapse_err»" in out and "`make lab` tries again" in out


TINY = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  name: python3
  display_name: Python 3
---

# Tiny

```{code-cell} ipython3
from myst_nb import glue
glue("half", 1 / 2, display=False)
```

One half is {glue:text}`half:.2f`.
"""


def test_a_chapter_no_book_build_ran_is_run_once_for_its_values(tmp_path):
    course = _pages(tmp_path, {"tiny.md": TINY, "broken.md": TINY.replace("1 / 2", "1 / 0")})
    said = []
    pages = sorted((course / "chapters").glob("*.md"))
    values = chapter_values.values(pages, course, say=said.append)
    assert values["tiny"]["half"]["data"]["text/plain"] == "0.5"
    assert "broken" not in values
    assert said[0] == "computing the values of 2 chapter(s) for their text (once)"
    assert any(s.startswith("broken.md: could not run it (") and "ZeroDivisionError" in s
               for s in said), said  # fmt: skip
    book = workspace.load_book(course)  # no run: what the first one computed is kept
    assert "One half is 0.50." in workspace.render_chapter(course / "chapters/tiny.md", book)
    out = workspace.render_chapter(course / "chapters/broken.md", book)
    assert "«half»" in out and "did not run when `make lab` prepared" in out
    said.clear()
    chapter_values.values([course / "chapters/tiny.md"], course, say=said.append)
    assert said == []  # nothing to compute again


def test_saving_an_unchanged_chapter_leaves_every_copy_byte_for_byte(tmp_path, files):
    workspace.sync(tmp_path, files)
    texts = {rel: (tmp_path / rel).read_text() for rel in files if rel.startswith("chapters/")}
    # as JupyterLab saves them: jupytext's contents manager, with the work folder's config
    saved = text_notebooks.saved(texts, tmp_path)
    changed = [rel for rel in texts if saved[rel] != texts[rel]]
    assert not changed, f"saving rewrote {changed}"


def test_the_students_server_sends_kernel_messages_without_delay(monkeypatch):
    """The student server's kernel websocket turns Nagle's algorithm off (a widget's image
    would otherwise wait for the browser's delayed ACK: benchmarks/lab.py measures it)."""
    import importlib

    from jupyter_server.services.kernels.connection.channels import (
        ZMQChannelsWebsocketConnection,
    )

    config = json.loads((ROOT / "jupyter" / "student" / "jupyter_server_config.json").read_text())
    module, _, name = config["ServerApp"]["kernel_websocket_connection_class"].rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    assert issubclass(cls, ZMQChannelsWebsocketConnection)
    monkeypatch.setattr(ZMQChannelsWebsocketConnection, "connect", lambda self: "connected")
    calls = []

    class Handler:
        def set_nodelay(self, value):
            calls.append(value)

    conn = cls.__new__(cls)
    conn._trait_values["websocket_handler"] = Handler()
    assert conn.connect() == "connected" and calls == [True]


def test_a_chapter_copy_says_what_its_kernel_will_say_so_it_opens_unchanged(files):
    """JupyterLab writes the kernel's language_info into a notebook as the kernel starts, and
    a change marks the tab unsaved: a chapter just opened looked edited (seen in Chromium)."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
    try:
        said = kc.kernel_info(reply=True, timeout=60)["content"]["language_info"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    chapters = [rel for rel in files if rel.startswith("chapters/")]
    for rel in chapters:
        nb = jupytext.reads(files[rel].decode(), fmt="md:myst")
        assert nb.metadata.get("language_info") == said, rel
