"""Code behind chapters/selection.md: the decision tree (:mod:`actbook.catalog.advice`) drawn
and asked, and the comparison table.

One definition (:data:`actbook.catalog.advice.TREE`) feeds three things: the diagram
(:func:`draw_tree`, built with matplotlib at build time, so it renders offline), the chooser
(:class:`Chooser`: two
dropdowns in JupyterLab, two ``<select>`` controls with an inline handler on the static
site) and the comparison table (:func:`comparison_table`), whose cost column is read from
``benchmarks/results.json`` (written by ``make bench``) and never timed on the page.

>>> Chooser("output", "multi_label").leaf.activation
'Sigmoid (one per label)'
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as W
import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from actbook.catalog import numeric, properties
from actbook.catalog.advice import (
    LAYER_LABELS,
    ROOT_QUESTION,
    TREE,
    Leaf,
    leaf_text,
    leaves,
    recommend,
)
from actbook.catalog.appearance import TITLES

# imported for its side effect too: a cell returning draw_tree()'s Figure shows it as a PNG
from actbook.figures import plotting  # noqa: F401
from actbook.figures.tables import markdown_table

__all__ = [
    "draw_tree",
    "Chooser",
    "cost_cell",
    "range_text",
    "comparison_table",
    "usage_table",
    "TABLE_ROWS",
]


# ---------------------------------------------------------------- the diagram


def _box(ax, x: float, y: float, text: str, fill: str, w: float, h: float, bold=False) -> None:
    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            fc=fill,
            ec="0.35",
            lw=1.0,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=11, weight="bold" if bold else None)


def _arrow(ax, p: tuple[float, float], q: tuple[float, float], label: str = "") -> None:
    """A straight arrow from ``p`` to ``q``, its label beside the middle of the arrow."""
    ax.annotate(
        "", xy=q, xytext=p, arrowprops=dict(arrowstyle="-|>", color="0.35", lw=0.9, shrinkA=0)
    )
    if label:
        x, y = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
        ax.text(x - 0.1, y, label, ha="right", va="center", fontsize=10, color="0.15")


def _elbow(ax, p: tuple[float, float], q: tuple[float, float], x_turn: float, label: str) -> None:
    """An edge that leaves ``p`` to the right, turns at ``x_turn`` and enters ``q`` straight,
    its label above the last stretch: no edge crosses another edge's label."""
    ax.plot([p[0], x_turn, x_turn], [p[1], p[1], q[1]], color="0.35", lw=0.9)
    ax.annotate(
        "", xy=q, xytext=(x_turn, q[1]),
        arrowprops=dict(arrowstyle="-|>", color="0.35", lw=0.9, shrinkA=0, shrinkB=0),
    )  # fmt: skip
    ax.text((x_turn + q[0]) / 2, q[1] + 0.08, label, ha="center", va="bottom", fontsize=10,
            color="0.15")  # fmt: skip


#: Where the tree is cut into its two panels (data units): after the questions, before the
#: edges turn towards the leaves. Side by side the panels join into one tree; on a phone
#: (actbook.site.panels) the questions stand above the leaves, each panel legible.
TREE_CUT = 4.7


def draw_tree() -> Figure:
    """The decision tree of section IV, left to right as in the text, with its colours: two
    panels that join at :data:`TREE_CUT` (the questions; the answers and their leaves)."""
    x0, x1 = -0.15, 10.05
    fig = Figure(figsize=(10.0, 6.4), facecolor="white")
    axes = fig.subplots(1, 2, gridspec_kw=dict(
        width_ratios=[TREE_CUT - x0, x1 - TREE_CUT], wspace=0, left=0, right=1, bottom=0, top=1,
    ))  # fmt: skip
    for ax, lim in zip(axes, ((x0, TREE_CUT), (TREE_CUT, x1)), strict=True):
        ax.set_xlim(*lim)
        ax.set_ylim(-0.6, 9.6)
        ax.axis("off")
        _draw_tree(ax)  # each panel shows its part: what lies outside is clipped
        for t in ax.texts:
            t.set_clip_on(True)
    return fig


def _draw_tree(ax) -> None:
    n = len(leaves())
    ys = np.linspace(9.0, 0.0, n)  # one row per leaf, hidden-layer leaves on top
    x_root, x_layer, x_q, x_turn, x_leaf = 0.62, 1.95, 3.65, 4.75, 8.6
    w_q, w_leaf, h = 1.8, 2.8, 0.78
    _box(ax, x_root, 4.5, "Choose an\nactivation", "#FFE5E5", 1.2, 1.0, bold=True)
    _box(ax, x_layer, 4.5, ROOT_QUESTION, "#FFFFFF", 1.3, 0.7)
    _arrow(ax, (x_root + 0.6, 4.5), (x_layer - 0.65, 4.5))
    row = 0
    for layer, q in TREE.items():
        k = len(q.answers)
        y_q = float(np.mean(ys[row : row + k]))
        _box(ax, x_q, y_q, q.text.replace(": ", ":\n"), "#FFFFFF", w_q, 0.8)
        ax.annotate(
            "", xy=(x_q - w_q / 2, y_q), xytext=(x_layer, 4.5 + (0.35 if y_q > 4.5 else -0.35)),
            arrowprops=dict(arrowstyle="-|>", color="0.35", lw=0.9, shrinkA=0),
        )  # fmt: skip
        ax.text(x_layer + 0.1, (4.5 + y_q) / 2, LAYER_LABELS[layer], ha="left", va="center",
                fontsize=10, color="0.15")  # fmt: skip
        for leaf in q.answers:
            y = float(ys[row])
            _box(ax, x_leaf, y, f"✓ {leaf.activation}\n{leaf.tagline}", leaf.fill, w_leaf, h)
            _elbow(ax, (x_q + w_q / 2, y_q), (x_leaf - w_leaf / 2, y), x_turn, leaf.label)
            row += 1


# ---------------------------------------------------------------- the chooser


class Chooser:
    """The interactive chooser: answer the tree's two questions, get the recommendation.

    In JupyterLab it is two dropdowns (the second's options follow the first). On the static
    site it is :meth:`static_html`: two ``<select>`` elements and every answer precomputed in
    the page, switched by a small inline handler: no kernel, no script file, no network.
    """

    def __init__(self, layer: str = "hidden", answer: str = "default") -> None:
        self.layer = layer
        self.answer = recommend(layer, answer).key
        self._widget: W.Widget | None = None

    @property
    def leaf(self) -> Leaf:
        return recommend(self.layer, self.answer)

    def widget(self) -> W.Widget:
        """Two dropdowns and the answer, live."""
        if self._widget is None:
            layer = W.Dropdown(
                options=[(LAYER_LABELS[k], k) for k in TREE],
                value=self.layer,
                description=ROOT_QUESTION,
                style={"description_width": "initial"},
            )
            answer = W.Dropdown(
                options=self._options(self.layer),
                value=self.answer,
                description=TREE[self.layer].text.split(": ")[1],
                style={"description_width": "initial"},
            )
            out = W.HTML(self._answer_html(self.leaf))

            def on_layer(change: dict) -> None:
                self.layer = change["new"]
                first = TREE[self.layer].answers[0].key
                self.answer = first
                answer.options = self._options(self.layer)
                answer.value = first
                answer.description = TREE[self.layer].text.split(": ")[1]
                out.value = self._answer_html(self.leaf)

            def on_answer(change: dict) -> None:
                if change["new"] is not None:
                    self.answer = change["new"]
                    out.value = self._answer_html(self.leaf)

            layer.observe(on_layer, names="value")
            answer.observe(on_answer, names="value")
            self._widget = W.VBox([layer, answer, out])
        return self._widget

    @staticmethod
    def _options(layer: str) -> list[tuple[str, str]]:
        return [(leaf.label, leaf.key) for leaf in TREE[layer].answers]

    @staticmethod
    def _answer_html(leaf: Leaf) -> str:
        return (
            f"<p><strong>{html.escape(leaf.activation)}</strong>: {html.escape(leaf.reason)}"
            f"<br><em>Caveat</em>: {html.escape(leaf.caveat)}</p>"
        )

    def static_html(self) -> str:
        """A self-contained control: two labelled ``<select>`` and every answer precomputed.

        The first select shows the second select of its layer; either select shows the one
        answer paragraph whose ``data-leaf`` is ``layer/answer``.
        """
        show = (
            "const f=this.closest('.actbook-chooser');"
            "const l=f.querySelector('select[name=layer]').value;"
            "f.querySelectorAll('select[data-layer]').forEach(s=>s.closest('p').hidden="
            "(s.dataset.layer!=l));"
            "const a=f.querySelector('select[data-layer='+l+']').value;"
            "f.querySelectorAll('[data-leaf]').forEach(p=>p.hidden=(p.dataset.leaf!=l+'/'+a));"
        )
        parts = ['<div class="actbook-chooser" role="group" aria-label="Activation chooser">']
        opts = "".join(
            f'<option value="{k}"{" selected" if k == self.layer else ""}>'
            f"{html.escape(LAYER_LABELS[k])}</option>"
            for k in TREE
        )
        parts.append(
            f"<p><label>{html.escape(ROOT_QUESTION)} "
            f'<select name="layer" onchange="{show}">{opts}</select></label></p>'
        )
        for layer, q in TREE.items():
            hidden = "" if layer == self.layer else " hidden"
            opts = "".join(
                f'<option value="{leaf.key}"'
                f"{' selected' if (layer, leaf.key) == (self.layer, self.answer) else ''}>"
                f"{html.escape(leaf.label)}</option>"
                for leaf in q.answers
            )
            parts.append(
                f"<p{hidden}><label>{html.escape(q.text)} "
                f'<select data-layer="{layer}" onchange="{show}">{opts}</select></label></p>'
            )
        for layer, leaf in leaves():
            hidden = "" if (layer, leaf.key) == (self.layer, self.answer) else " hidden"
            body = self._answer_html(leaf)[3:]  # drop the <p>: the data-leaf paragraph wraps it
            parts.append(f'<p data-leaf="{layer}/{leaf.key}" aria-live="polite"{hidden}>{body}')
        parts.append("</div>")
        return "".join(parts)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict:
        bundle = dict(self.widget()._repr_mimebundle_(include=include, exclude=exclude))
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = f"<activation chooser: {leaf_text(self.leaf)}>"
        return bundle


# ---------------------------------------------------------------- the comparison table


def cost_cell(
    name: str,
    costs: dict[str, dict[str, float]] | None,
    columns: Sequence[str] = ("float32", "float64"),
) -> str:
    """The table cell of ``name``: ``"4.1× / 6.3×"`` (one ratio per column), or "n/a"."""
    if costs is None:
        return "run `make bench`"
    cells = []
    for dtype in columns:
        table = costs.get(dtype, {})
        value = table.get(name)
        cells.append("n/a" if value is None else f"{value:.2f}×" if value < 10 else f"{value:.0f}×")
    return " / ".join(cells)


def _fmt(x: sp.Expr) -> str:
    if x in (sp.oo, -sp.oo):
        return r"+\infty" if x == sp.oo else r"-\infty"
    return f"{float(x):.4g}"


def range_text(name: str) -> str:
    """The range of an element-wise activation as LaTeX, computed by
    :mod:`actbook.catalog.properties`
    (limits at ±∞; the interior minimum where there is one, which closes the interval)."""
    low = properties.minimum(name)
    lo, hi = properties.limits(name)
    if low is not None:
        return rf"[{low[1]:.3f}, {_fmt(hi)})"
    # A limit that the function attains at a finite z (ReLU's 0, at every z <= 0) closes
    # the interval; sigmoid, tanh and ELU only approach theirs.
    reached = lo.is_finite and float(numeric.ELEMENTWISE[name][0](-1.0)) == float(lo)
    return ("[" if reached else "(") + f"{_fmt(lo)}, {_fmt(hi)})"


def softmax_range_check(seed: int = 0) -> tuple[float, float, float]:
    """(min output, max output, max |sum - 1|) of softmax on random logits: (0, 1), sum 1."""
    z = np.random.default_rng(seed).normal(0.0, 5.0, size=(10_000, 10))
    p = numeric.softmax(z)
    return float(p.min()), float(p.max()), float(np.abs(p.sum(axis=1) - 1).max())


#: The text's comparison table (formula as LaTeX; advantages, disadvantages, best use are
#: the text's, with the audit's corrections in brackets).
TABLE_ROWS: list[tuple[str, str, str, str, str]] = [
    ("linear", "z", "Simple, fast", "No non-linearity (layers collapse)", "Regression output"),
    (
        "sigmoid",
        r"\frac{1}{1+e^{-z}}",
        "Probability interpretation",
        "Vanishing gradient, not zero-centred",
        "Binary classification output; gates",
    ),
    (
        "tanh",
        r"\tanh z",
        "Zero-centred, gradients up to 4× sigmoid's",
        "Vanishing gradient (through saturation)",
        "RNN states [shallow nets: ReLU still converges faster]",
    ),
    (
        "relu",
        r"\max(0, z)",
        "Fast, gradient 1 when active, sparse",
        "Dying ReLU, not zero-centred",
        "Default for hidden layers",
    ),
    (
        "leaky_relu",
        r"\max(\alpha z, z)",
        "Gradient for z < 0, still fast",
        "Inconsistent gains over ReLU",
        "GAN discriminators, when ReLUs die",
    ),
    (
        "elu",
        r"z\ (z>0);\ \alpha(e^z-1)\ (z \le 0)",
        "Smooth for α = 1, mean closer to 0 [not self-normalising: that is SELU]",
        "One exponential per negative input",
        "Deep networks [claims of noise robustness unverified]",
    ),
    (
        "gelu",
        r"z\,\Phi(z)",
        "Standard in BERT/GPT feed-forward layers",
        "Costlier (erf or tanh form)",
        "Transformers [SwiGLU in many newer LLMs]",
    ),
    (
        "swish",
        r"z\,\sigma(\beta z)",
        "Smooth, non-monotonic; gains in deep models",
        "Costs at least a sigmoid [often labelled 'Medium' vs sigmoid 'High']",
        "Deep CNNs (EfficientNet, YOLOv5 ≥ v4.0 as SiLU)",
    ),
]


#: The text's "Computational Cost" column, shown beside the measurement.
TEXT_COST = {
    "linear": "Very Low",
    "sigmoid": "High",
    "tanh": "High",
    "relu": "Very Low",
    "leaky_relu": "Low",
    "elu": "Medium",
    "gelu": "High",
    "swish": "Medium",
    "softmax": "Medium",
}


def comparison_table(costs: dict[str, dict[str, float]] | None = None) -> str:
    """Section IV's comparison table, numeric half, as Markdown: formula, computed range, the
    text's cost label and the measured costs."""
    header = ["activation", "formula", "range", "usual label", "× ReLU per element (f32 / f64)",
              "× ReLU, dense layer (f32)"]  # fmt: skip
    rows = [
        [
            TITLES[name],
            f"${formula}$",
            f"${range_text(name)}$",
            TEXT_COST[name],
            cost_cell(name, costs),
            cost_cell(name, costs, ("layer_float32",)),
        ]  # fmt: skip
        for name, formula, *_ in TABLE_ROWS
    ]
    lo, hi, err = softmax_range_check()
    if not (0.0 < lo and hi < 1.0 and err < 1e-12):
        raise AssertionError(f"softmax left (0, 1) or lost its sum: {lo}, {hi}, {err}")
    rows.append(
        [
            "Softmax",
            r"$\frac{e^{z_i}}{\sum_j e^{z_j}}$",
            r"$(0, 1)$, $\sum_i = 1$",
            TEXT_COST["softmax"],
            cost_cell("softmax", costs),
            cost_cell("softmax", costs, ("layer_float32",)),
        ]  # fmt: skip
    )
    return markdown_table(header, rows)


def usage_table() -> str:
    """Section IV's comparison table, qualitative half: the text's advantages, disadvantages
    and best use, with the audit's corrections in brackets."""
    rows = [[TITLES[name], adv, dis, use] for name, _, adv, dis, use in TABLE_ROWS]
    rows.append(
        [
            "Softmax",
            "A probability distribution",
            "Couples all units: the output layer (and attention)",
            "Multi-class output",
        ]  # fmt: skip
    )
    return markdown_table(["activation", "advantages", "disadvantages", "best use"], rows)
