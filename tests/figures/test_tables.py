"""The one table helper: every row keeps the header's cells, values are written for people."""

from __future__ import annotations

import re

import numpy as np
import pytest
import sympy as sp
from markdown_it import MarkdownIt

from actbook.figures.tables import fmt, markdown_table
from actbook.pages import performance


def _cells_per_row(markdown: str) -> list[int]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    return [
        len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
    ]


def test_a_pipe_in_a_cell_keeps_the_row_s_cells():
    table = markdown_table(["form", "error"], [["`exp(-|x|)`", 1e-16], ["|x|", 0.5]])
    assert set(_cells_per_row(table)) == {2}


def _column(markdown: str, k: int) -> list[str]:
    html = MarkdownIt("commonmark").enable("table").render(markdown)
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", r, re.S) for r in rows]
    return [re.sub(r"<[^>]+>", "", c[k]).replace("&gt;", ">").replace("&lt;", "<") for c in cells]


def test_the_performance_forms_table_shows_every_form_whole():
    """The page's "fastest stable form" table: a form such as ``exp(-|x|)`` was split at its
    pipes (the renderer then drops the cells beyond the header's, so the row *looks* whole
    but shows "exp(-" and loses its timing): every form must come out in its cell, intact."""
    results = performance.load()
    forms = [f for fs in results["forms"].values() for f in fs]
    assert any("|" in f for f in forms), "the measured forms include one with a pipe"
    shown = _column(performance.forms_table(results), 1)
    assert shown == ["actbook" if f == "actbook" else f for f in forms]
    assert set(_cells_per_row(performance.forms_table(results))) == {5}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.22916666666666666, "0.229"),
        (2.220446049250313e-16, "2.22 × 10⁻¹⁶"),
        (None, "none"),
        (True, "yes"),
        (np.bool_(False), "no"),
        (sp.oo, "∞"),
        (-sp.oo, "−∞"),
        (float("inf"), "∞"),
        (sp.Rational(1, 4), "0.25"),
        (178, "178"),
        (12345678, "12,345,678"),
    ],
)
def test_values_are_written_for_people(value, text):
    assert fmt(value) == text


def test_a_row_of_the_wrong_length_is_a_clear_error():
    with pytest.raises(ValueError, match="row 0 has 1 cells, the header 2"):
        markdown_table(["a", "b"], [[1]])
