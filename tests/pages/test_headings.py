"""Headings are plain words: a formula in a heading is set at heading size, cannot wrap, and
runs off a phone's screen (390 px); it also lands in the page's table of contents."""

from __future__ import annotations

import json
import re

from actbook.paths import ROOT

HEADING = re.compile(r"^#{1,6} .*\$")


def _heading_lines():
    for nb in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                for line in "".join(cell["source"]).splitlines():
                    yield nb.name, line
    for md in sorted([ROOT / "intro.md", *(ROOT / "chapters").glob("*.md")]):
        for line in md.read_text().splitlines():
            yield md.name, line


def test_no_heading_holds_math():
    found = [f"{name}: {line}" for name, line in _heading_lines() if HEADING.match(line)]
    assert not found, "\n".join(found)
