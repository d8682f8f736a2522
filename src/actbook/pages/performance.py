"""Code behind chapters/performance.md: the measured results of `make bench` as tables.

The book never times anything while it builds: it shows the last measured results (read by
:mod:`actbook.catalog.costs`), with the machine and date they were measured on.
"""

from __future__ import annotations

from actbook.catalog.appearance import TITLES
from actbook.catalog.costs import cost_ratio, fastest_stable_ratio, load, load_extra
from actbook.figures.tables import fmt, markdown_table

# The page reads the measurements through the catalog's one reader and renders them here.
__all__ = [
    "load",
    "load_extra",
    "cost_ratio",
    "fastest_stable_ratio",
    "cost_table",
    "layer_table",
    "forms_table",
]


def title(name: str) -> str:
    """A function's name for a reader: "Sigmoid", and "Sigmoid′" for ``sigmoid_grad``.

    >>> title("sigmoid"), title("tanh_grad"), title("softmax")
    ('Sigmoid', 'Tanh′', 'Softmax')
    """
    base = name.removesuffix("_grad")
    return TITLES.get(base, base.capitalize()) + ("′" if name.endswith("_grad") else "")


def cost_table(results: dict, names: list[str], size: str = "1e+07") -> str:
    """Markdown: f and f' cost as a ratio to ReLU, float32 and float64, written as the page's
    prose writes them (:func:`fmt`), so that a ratio in a sentence reads as in the table."""
    header = ["activation", "f, float32", "f, float64", "f′, float32", "f′, float64"]
    rows = [
        [title(n)]
        + [
            f"{fmt(cost_ratio(results, key, dt, size))}×"
            for key in (n, f"{n}_grad")
            for dt in ("float32", "float64")
        ]
        for n in names
    ]
    return markdown_table(header, rows)


def layer_table(results: dict) -> str:
    """Markdown: the activation's share of a dense layer act(X @ W) and the layer's cost."""
    dl = results["activation_cost"]["dense_layer"]
    a, b = dl["float32"], dl["float64"]
    header = ["activation", "share of layer, float32", "layer time ÷ ReLU layer, float32",
              "share, float64", "layer ÷ ReLU, float64"]  # fmt: skip
    rows = [
        [
            title(n),
            f"{a['share_of_layer'][n]:.1%}",
            f"{a['layer_ratio_to_relu'][n]:.2f}",
            f"{b['share_of_layer'][n]:.1%}",
            f"{b['layer_ratio_to_relu'][n]:.2f}",
        ]  # fmt: skip
        for n in a["share_of_layer"]
    ]
    return markdown_table(header, rows)


def forms_table(results: dict) -> str:
    """Markdown: every form of each function, its speed relative to the fastest, its error.

    A form such as ``exp(-|x|)`` holds a ``|``: the table helper escapes it, so that the row
    keeps its five cells.
    """
    header = ["function", "form", "time ÷ fastest", "max relative error", "warns at ±10³⁰⁸/±∞"]
    rows = [
        [
            title(name),
            "**actbook**" if form == "actbook" else f"`{form}`",
            f"{v['time_ratio_to_fastest']:.2f}",
            v["max_rel_error"],
            bool(v["warns"]),
        ]  # fmt: skip
        for name, forms in results["forms"].items()
        for form, v in forms.items()
    ]
    return markdown_table(header, rows, digits=2)
