"""Slider change -> updated figure, per interactive figure: the median time of the live
path (update the artists, blit, encode the PNG the widget shows). Target: under 50 ms for
the catalog's figures, under 1 s for figures that retrain a network."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from actbook.figures import explorers

sys.path.insert(0, str(Path(__file__).parent))
from common import update_results  # noqa: E402


def figures() -> dict:
    """name -> a builder of each interactive figure of the book."""
    from actbook.pages import foundations
    from actbook.pages import softmax as softmax_plots

    out = {f"catalog/{name}": (lambda n=name: explorers.explorer(n)) for name in explorers.SLIDERS}
    out["catalog/softmax-temperature"] = softmax_plots.temperature_explorer
    # These retrain a network when a value is new (then cache it): a sweep shows both costs.
    out["foundations/boundaries"] = foundations.boundary_explorer
    out["foundations/gradient-flow"] = foundations.gradient_flow_explorer
    out["foundations/dying"] = foundations.dying_explorer
    return out


def time_figure(fx, steps: int = 15) -> dict:
    fx.widget()
    per_slider = {}
    for s in fx.sliders:
        ts = []
        for v in s.frames(steps):
            t0 = time.perf_counter()
            fx.set(**{s.name: float(v)})
            ts.append(time.perf_counter() - t0)
        per_slider[s.name] = 1000 * float(np.median(ts))
    return per_slider


def main(quick: bool = False) -> dict:
    out = {}
    for name, build in figures().items():
        out[name] = time_figure(build(), steps=5 if quick else 15)
    worst = max(max(v.values()) for v in out.values())
    update_results("widgets_ms", {"per_figure": out, "worst_median_ms": worst})
    print(f"widgets: worst median slider update {worst:.1f} ms over {len(out)} figures")
    return out


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
