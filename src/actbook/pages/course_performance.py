"""Code behind chapters/course_performance.md: how fast the course's own machinery runs.

The page (instructor edition only) shows the last results of ``make bench`` for the book
build, the interactive figures, grading and the website; this module renders them.
"""

from __future__ import annotations

from actbook.figures.tables import markdown_table

__all__ = ["site_table"]


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
