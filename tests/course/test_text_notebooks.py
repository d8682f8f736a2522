"""Opening a page of the course in JupyterLab and saving it unchanged changes no byte (issue 17):
every page is kept in the form jupytext's contents manager writes with the course's
``jupytext.toml``, and ``python -m actbook.course.text_notebooks`` puts a page in that form
without changing its cells."""

from __future__ import annotations

import shutil
from pathlib import Path

import jupytext
import pytest

from actbook.course import text_notebooks as tn

ROOT = Path(__file__).resolve().parents[2]

#: A chapter as an author writes it: colon options, nested ones, jupytext's version lines.
AUTHORED = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
    jupytext_version: 1.16.0
kernelspec:
  display_name: Python 3 (ipykernel)
  language: python
  name: python3
---

(chapter-x)=
# A page

Some text with {glue:text}`value:.2f`.

```{code-cell} ipython3
:tags: [hide-input]
:mystnb:
:  figure:
:    caption: A caption long enough that a YAML writer would fold it over two lines of its block.
:    name: fig-x
:  image:
:    alt: An alternative text.

plot()
```

```{code-cell} ipython3
x = 1
```
"""
PLAIN = "# Exercises\n\nThe exercises are notebooks. See [a chapter](relu.md).\n"


def test_every_page_is_listed():
    listed = tn.pages()
    assert {"chapters/relu.md", "chapters/exercises.md", "intro.md", "README.md"} <= set(listed)
    assert "chapters/instructor_guide.md" in listed  # an instructor opens it in the lab too


@pytest.fixture(scope="module")
def pages():
    """Each page's text, and what JupyterLab writes when it opens and saves it unchanged."""
    texts = {rel: (ROOT / rel).read_text() for rel in tn.pages()}
    return texts, tn.saved(texts)


@pytest.mark.parametrize("rel", tn.pages())
def test_saving_a_page_unchanged_in_jupyterlab_changes_no_byte(pages, rel):
    texts, saved = pages
    assert saved[rel] == texts[rel], f"saving {rel} in JupyterLab rewrites it: run `{tn.COMMAND}`"


def test_a_chapter_reads_and_writes_back_identically_with_the_course_config():
    # The same round trip with jupytext's functions (what the contents manager calls).
    text = (ROOT / "chapters" / "relu.md").read_text()
    config = tn.config()
    nb = jupytext.reads(text, fmt="md:myst", config=config)
    assert jupytext.writes(nb, fmt="md:myst", config=config) == text


def test_the_round_trip_uses_the_course_config(tmp_path):
    # JupyterLab adds cell metadata while a student works; jupytext.toml keeps it out.
    nb = jupytext.reads(tn.canonical(AUTHORED), fmt="md:myst")
    nb.cells[1].metadata["collapsed"] = True
    nb.cells[1].metadata["execution"] = {"iopub.status.busy": "2026-12-03T16:00:00"}
    assert tn.write(nb) == tn.canonical(AUTHORED)


def test_a_chapter_is_put_in_that_form_with_the_same_cells():
    before = jupytext.reads(AUTHORED, fmt="md:myst")
    text = tn.canonical(AUTHORED)
    assert text != AUTHORED
    assert tn.saved({"chapters/x.md": text})["chapters/x.md"] == text
    assert tn.canonical(text) == text
    assert "jupytext_version:" not in text and "format_version:" not in text
    after = jupytext.reads(text, fmt="md:myst")
    assert [(c.cell_type, c.source, c.metadata) for c in after.cells] == [
        (c.cell_type, c.source, c.metadata) for c in before.cells
    ]


def test_a_plain_page_stays_plain():
    assert tn.canonical(PLAIN) == PLAIN
    assert tn.saved({"chapters/exercises.md": PLAIN})["chapters/exercises.md"] == PLAIN


@pytest.fixture
def course(tmp_path):
    (tmp_path / "chapters").mkdir()
    shutil.copy(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: intro\n")
    (tmp_path / "intro.md").write_text(PLAIN)
    (tmp_path / "chapters" / "x.md").write_text(AUTHORED)
    (tmp_path / "chapters" / "exercises.md").write_text(PLAIN)
    return tmp_path


def test_check_lists_what_saving_would_rewrite_and_normalise_rewrites_only_that(course):
    assert tn.check(course) == ["chapters/x.md"]
    assert tn.normalise(course) == ["chapters/x.md"]
    assert tn.check(course) == []
    assert (course / "chapters" / "exercises.md").read_text() == PLAIN
    assert (course / "chapters" / "x.md").read_text() == tn.canonical(AUTHORED)
    assert not list(course.rglob("*.part"))


def test_the_command_checks_and_fixes(monkeypatch, capsys, course):
    monkeypatch.setattr(tn, "ROOT", course)
    assert tn.main(["--check"]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"chapters/x.md: saving it in JupyterLab would rewrite it; run `{tn.COMMAND}`"]
    assert tn.main([]) == 0
    assert tn.main(["--check"]) == 0
    assert tn.main(["--bogus"]) == 2
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("usage:")
