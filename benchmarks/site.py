"""The website in Chromium: page weight and time to load of the largest pages.

Each page is opened in a fresh browser context (cold cache) from a local static server with
the network cut off, several times in interleaved rounds; the medians are written to
benchmarks/results-site.json. Reads a built site, never builds one:

    .venv/bin/python benchmarks/site.py [--site _build/html] [--pages 5] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from common import machine  # noqa: E402

from actbook.site import audit as site_check

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results-site.json"


def largest_pages(site: Path, n: int) -> list[str]:
    """The ``n`` heaviest pages of the table of contents, by the size of their HTML file."""
    pages = [p for p in site_check.toc_pages(ROOT) if (site / p).exists()]
    return sorted(pages, key=lambda p: (site / p).stat().st_size, reverse=True)[:n]


def measure(site: Path, pages: list[str], repeats: int) -> dict:
    runs: dict[str, list[dict]] = {p: [] for p in pages}
    with site_check.serve(site) as srv, site_check.browser() as b:
        site_check.page_weight(b, srv.url + pages[0])  # warm-up: the browser's own start
        for _ in range(repeats):
            for p in pages:
                runs[p].append(site_check.page_weight(b, srv.url + p))
    out = {}
    for p, rs in runs.items():
        med = {k: float(np.median([r[k] for r in rs])) for k in rs[0] if k != "heaviest"}
        out[p] = {
            "html_kB": round(med["html_bytes"] / 1e3, 1),
            "transferred_kB": round(med["bytes"] / 1e3, 1),
            "requests": int(med["requests"]),
            "load_ms": round(med["load_ms"], 1),
            "math_ready_ms": round(med["math_ready_ms"], 1),
            "repeats": len(rs),
            "heaviest_kB": {name: round(size / 1e3, 1) for name, size in rs[0]["heaviest"]},
        }
    return out


def main(quick: bool = False, argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3 if quick else 5)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv if argv is not None else [])
    site = args.site.resolve()
    if not (site / "searchindex.js").exists():
        raise SystemExit(f"no built site in {site}: run `make book` (or pass --site)")
    pages = largest_pages(site, args.pages)
    data = {
        "what": "median over fresh browser contexts (cold cache), local server, no network",
        "site_MB": round(sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6, 2),
        "pages": measure(site, pages, args.repeats),
        "machine": machine(),
    }
    args.output.write_text(json.dumps(data, indent=1) + "\n")
    for p, m in data["pages"].items():
        print(f"{p:45s} {m['transferred_kB']:8.1f} kB {m['requests']:3d} req "
              f"load {m['load_ms']:7.1f} ms  math {m['math_ready_ms']:7.1f} ms")  # fmt: skip
    return data


if __name__ == "__main__":
    main(argv=sys.argv[1:])
