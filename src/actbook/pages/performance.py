"""Code behind chapters/performance.md: the measured results of `make bench` as tables.

The book never times anything while it builds: it shows the last measured results (read by
:mod:`actbook.catalog.costs`), with the machine and date they were measured on.
"""

from __future__ import annotations

from actbook.catalog.costs import cost_ratio, fastest_stable_ratio, load, load_extra

# The page reads the measurements through the catalog's one reader and renders them here.
__all__ = [
    "load",
    "load_extra",
    "cost_ratio",
    "fastest_stable_ratio",
    "cost_table",
    "layer_table",
    "forms_table",
    "site_table",
]


def site_table(site: dict) -> str:
    """Markdown: weight and load time of the largest pages."""
    rows = ["| page | page HTML | transferred | requests | load | math typeset |",
            "|---|---|---|---|---|---|"]  # fmt: skip
    for page, v in site["pages"].items():
        rows.append(
            f"| {page} | {v['html_kB']:.0f} kB | {v['transferred_kB'] / 1024:.1f} MB "
            f"| {v['requests']} | {v['load_ms']:.0f} ms | {v['math_ready_ms']:.0f} ms |"
        )
    return "\n".join(rows)


def cost_table(results: dict, names: list[str], size: str = "1e+07") -> str:
    """Markdown: f and f' cost as a ratio to ReLU, float32 and float64."""
    head = "| activation | f, float32 | f, float64 | f′, float32 | f′, float64 |"
    rows = [head, "|---|---|---|---|---|"]
    for n in names:
        cells = [
            f"{cost_ratio(results, key, dt, size):.1f}×"
            for key in (n, f"{n}_grad")
            for dt in ("float32", "float64")
        ]
        rows.append(f"| {n} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def layer_table(results: dict) -> str:
    """Markdown: the activation's share of a dense layer act(X @ W) and the layer's cost."""
    dl = results["activation_cost"]["dense_layer"]
    names = list(dl["float32"]["share_of_layer"])
    rows = [
        "| activation | share of layer, float32 | layer time ÷ ReLU layer, float32 "
        "| share, float64 | layer ÷ ReLU, float64 |",
        "|---|---|---|---|---|",
    ]
    for n in names:
        a, b = dl["float32"], dl["float64"]
        rows.append(
            f"| {n} | {a['share_of_layer'][n]:.1%} | {a['layer_ratio_to_relu'][n]:.2f} "
            f"| {b['share_of_layer'][n]:.1%} | {b['layer_ratio_to_relu'][n]:.2f} |"
        )
    return "\n".join(rows)


def forms_table(results: dict) -> str:
    """Markdown: every form of each function, its speed relative to the fastest, its error."""
    rows = [
        "| function | form | time ÷ fastest | max relative error | warns at ±1e308/±inf |",
        "|---|---|---|---|---|",
    ]
    for name, forms in results["forms"].items():
        for form, v in forms.items():
            label = "**actbook**" if form == "actbook" else f"`{form}`"
            rows.append(
                f"| {name} | {label} | {v['time_ratio_to_fastest']:.2f} "
                f"| {v['max_rel_error']:.1e} | {'yes' if v['warns'] else 'no'} |"
            )
    return "\n".join(rows)
