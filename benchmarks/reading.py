"""How the website reads, measured on a built site: the figures of issue 19's closing note.

Per page of the table of contents, in headless Chromium (``audit.reading_report``): the
lines of code a reader sees, the cells hidden whole, the elements that overflow or are
clipped at 390 and 1400 px, the scrollers with no cue, the ragged table rows, the reprs,
the prose lines with numbers written by a program (``audit.prose_numbers``), the code lines
wider than their box at 1400 px, and the smallest figure text as shown at 1400 px and at
390 px (from the size each PNG records). Reads a built site, never builds one; prints a table
and a one-line summary:

    .venv/bin/python benchmarks/reading.py [_build/html] [--root BOOK] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from actbook.figures.plotting import PNG_MIN_TEXT_PX
from actbook.site.audit import READING_WIDTHS, PageReport, browser, reading_report, serve, toc_pages

ROOT = Path(__file__).resolve().parents[1]


def smallest_text_px(report: PageReport) -> float | None:
    """The smallest text of the page's figures as shown at FIGURE_WIDTH (px), from the size
    each PNG records; None when no figure records it."""
    sizes = [
        float(f.meta[PNG_MIN_TEXT_PX]) * f.scale
        for f in report.figures
        if PNG_MIN_TEXT_PX in f.meta
    ]
    return min(sizes) if sizes else None


def smallest_phone_text_px(report: PageReport) -> float | None:
    """The smallest text of the page's figures (or of their panels) as shown at PHONE_WIDTH
    (px); None when no figure records it."""
    sizes = [t for f in report.phone_figures if (t := f.text_px()) is not None]
    return min(sizes) if sizes else None


def main(argv: list[str] | None = None) -> int:
    """Print the reading figures of a built site: visible code lines, overflowing elements at
    390 and 1400 px, the smallest figure text.

        benchmarks/reading.py [SITE_HTML] [--root BOOK] [--json FILE]
    """
    ap = argparse.ArgumentParser(prog="benchmarks/reading.py", description=main.__doc__)
    ap.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"))
    ap.add_argument("--root", default=str(ROOT), help="the book whose _toc.yml lists the pages")
    ap.add_argument("--json", help="also write every page's figures to this file")
    args = ap.parse_args(argv)
    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(f"no built site at {site} (run make book)")
        return 2
    pages = toc_pages(Path(args.root))
    rows = {}
    with serve(site) as srv, browser() as b:
        for p in pages:
            r = reading_report(b, srv.url, p)
            rows[p] = {
                "code_lines": r.code_lines,
                "hidden_cells": r.hidden_cells,
                **{f"overflow_{w}": len(r.overflow[w]) for w in READING_WIDTHS},
                **{f"no_cue_{w}": len(r.no_scroll_cue[w]) for w in READING_WIDTHS},
                "ragged_rows": len(r.ragged_tables),
                "reprs": len(r.reprs),
                "prose_numbers": len(r.prose_numbers),
                "figures": len(r.figures),
                "figures_unrecorded": sum(1 for f in r.figures if not f.meta),
                "smallest_figure_scale": min((f.scale for f in r.figures), default=None),
                "smallest_text_px": smallest_text_px(r),
                "smallest_phone_text_px": smallest_phone_text_px(r),
                "wide_code_lines": r.wide_code_lines,
            }
    print(
        f"{'page':44s} code wide hid  ovf390 ovf1400 cue390 cue1400 ragged reprs prose"
        "  text_px  phone_px"
    )
    for p, v in rows.items():
        t, t390 = v["smallest_text_px"], v["smallest_phone_text_px"]
        print(
            f"{p:44s} {v['code_lines']:4d} {v['wide_code_lines']:4d} {v['hidden_cells']:3d}"
            f"  {v['overflow_390']:6d} {v['overflow_1400']:7d}"
            f" {v['no_cue_390']:6d} {v['no_cue_1400']:7d} {v['ragged_rows']:6d} {v['reprs']:5d}"
            f" {v['prose_numbers']:5d}"
            f"  {'-' if t is None else f'{t:7.1f}'}  {'-' if t390 is None else f'{t390:8.1f}'}"
        )
    chapters = {p: v for p, v in rows.items() if not p.startswith("exercises/")}
    texts = [v["smallest_text_px"] for v in rows.values() if v["smallest_text_px"] is not None]
    smallest = f"{min(texts):.1f} px" if texts else "not recorded by any figure"
    phone = [v["smallest_phone_text_px"] for v in rows.values()]
    phone = [t for t in phone if t is not None]
    at_390 = f" ({min(phone):.1f} px at 390 px)" if phone else ""
    scales = [v["smallest_figure_scale"] for v in rows.values() if v["figures"]]
    print(
        f"visible code lines: {sum(v['code_lines'] for v in chapters.values())} outside the"
        f" exercises, {sum(v['code_lines'] for v in rows.values())} in all;"
        f" cells hidden whole: {sum(v['hidden_cells'] for v in rows.values())};"
        f" overflowing elements: {sum(v['overflow_390'] for v in rows.values())} at 390 px,"
        f" {sum(v['overflow_1400'] for v in rows.values())} at 1400 px;"
        f" prose lines with programmers' numbers: {sum(v['prose_numbers'] for v in rows.values())};"
        f" code lines wider than their box at 1400 px:"
        f" {sum(v['wide_code_lines'] for v in rows.values())};"
        f" smallest figure text: {smallest}{at_390}; smallest figure scale: {min(scales):.2f}"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
