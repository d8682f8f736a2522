"""The website: a strict build succeeds, every page of the table of contents is there, and
nothing secret is published."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actbook.course import release
from actbook.site.audit import toc_files

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]
ROOT = Path(__file__).resolve().parents[2]


def test_every_toc_page_is_built(built_site):
    for f in toc_files():
        page = built_site / (str(Path(f).with_suffix("")) + ".html")
        assert page.exists(), f"{f} was not built"


def test_no_solution_or_hidden_test_is_published(built_site):
    from bs4 import BeautifulSoup

    from tests.course.test_assignments import SECRET_MARKERS, secret_lines

    # Text as a reader sees it: Pygments splits a code line into many <span>s.
    pages = [
        BeautifulSoup(p.read_text(errors="ignore"), "html.parser").get_text()
        for p in built_site.rglob("*.html")
    ]
    raw = [p.read_text(errors="ignore") for p in built_site.rglob("*.html")]
    site = "\n".join(pages + raw)
    site += "\n".join(p.read_text(errors="ignore") for p in built_site.rglob("*.ipynb"))
    for marker in SECRET_MARKERS:
        assert marker not in site
    assert not (built_site / "solutions").exists()
    # A line a chapter writes itself (a generic loop such as `for W, b in layers:`) is the
    # chapter's, not a leak; what matters is what only the solutions hold.
    chapters = [ROOT / f"{f}.md" for f in toc_files() if not f.startswith("exercises/")]
    public = {line.strip() for p in chapters if p.exists() for line in p.read_text().splitlines()}
    for aid in release.assignments():
        secret = secret_lines(aid) - public
        assert secret, f"{aid}: no line is unique to its solutions, the check would be blind"
        leaked = [line for line in secret if line in site]
        assert not leaked, leaked[:5]


def test_sigmoid_page_has_derivation_numbers_and_controls(built_site):
    html = (built_site / "chapters" / "sigmoid.html").read_text()
    assert re.search(r"SymPy(&#39;|')s derivative equals sigma \(1 - sigma\): yes", html)
    assert re.search(r">18\.1</span>%", html), "the 18% is computed on the page"
    assert 'class="actbook-interactive"' in html and 'type="range"' in html
    assert "widget-view+json" not in html
    assert "&lt;Figure size" not in html, "a figure was printed instead of drawn"


def test_exercise_page_is_shown_but_not_executed(built_site):
    html = (built_site / "exercises" / "ps01-classic" / "ps01-classic.html").read_text()
    text = re.sub(r"<[^>]+>", "", html)
    assert "raise NotImplementedError()" in text
    assert "is not implemented yet" not in text, "the exercise was executed"
