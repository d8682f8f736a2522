"""Slider -> new figure in a real JupyterLab (`make lab` on a fresh work folder, Chromium):
the median end-to-end time from the key press on a slider to the new image in the page
(browser, widget comm, kernel, figure, PNG, back). Targets: under 50 ms for a catalog
explorer, under 1 s for a figure that retrains a network.

benchmarks/widgets.py times the kernel's side alone; this one adds what the student waits for."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import update_results  # noqa: E402

#: name -> the code of a cell showing the figure.
EXPLORER = "from actbook.figures import explorers\nexplorers.explorer({!r}).widget()"
FIGURES = {
    "catalog/relu": EXPLORER.format("relu"),
    "catalog/sigmoid": EXPLORER.format("sigmoid"),
    "foundations/boundaries": (
        "from actbook.pages import foundations\nfoundations.boundary_explorer().widget()"
    ),
}


def main(quick: bool = False) -> dict:
    from actbook.site import audit
    from actbook.site import lab as L

    steps = 4 if quick else 12
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        with L.serve(tmp / "work", tmp / "lab.log") as lab, audit.browser() as b:
            page = b.new_page(viewport={"width": 1400, "height": 1000})
            L.open_lab(page, lab)
            for name, source in FIGURES.items():
                L.run_scratch(page, lab, name.replace("/", "-") + ".ipynb", source)
                times = L.slider_latency(page, steps=steps)
                # the slowest step: for the training figure a new depth, which retrains (the
                # median is a redraw: bouncing on the slider revisits cached values)
                out[name] = {"median_ms": statistics.median(times), "max_ms": max(times),
                             "steps": len(times)}  # fmt: skip
                L.close_current_tab(page)
                lab.stop_kernels()
    update_results("lab_slider_ms", out)
    for name, r in out.items():
        print(
            f"lab: {name}: median {r['median_ms']:.0f} ms, slowest {r['max_ms']:.0f} ms from "
            "key press to new figure"
        )
    return out


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
