"""The selection guide of section IV: the text's decision tree as data, drawn, and asked.

One definition (:data:`TREE`) feeds three things: the diagram (:func:`draw_tree`, built with
matplotlib at build time, so it renders offline), the chooser (:class:`Chooser`: two
dropdowns in JupyterLab, two ``<select>`` controls with an inline handler on the static
site) and the comparison table (:func:`comparison_table`), whose cost column is read from
``benchmarks/results.json`` (written by ``make bench``) and never timed on the page.

>>> recommend("output", "multi_label").activation
'Sigmoid (one per label)'
>>> len(leaves())
9
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as W
import numpy as np
import sympy as sp
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from . import numeric, properties
from .plotting import TITLES

__all__ = [
    "Leaf",
    "Question",
    "TREE",
    "leaves",
    "recommend",
    "draw_tree",
    "Chooser",
    "RESULTS_PATH",
    "load_costs",
    "cost_cell",
    "range_text",
    "comparison_table",
    "usage_table",
    "TABLE_ROWS",
]


@dataclass(frozen=True)
class Leaf:
    """One answer of the tree: the text's recommendation, its reason, and the course's caveat.

    ``label`` is the edge label of the text's diagram; ``activation`` and ``reason`` are the
    leaf's two lines; ``caveat`` is what the audit (claims.md) adds; ``page`` the chapter
    that treats the activation.
    """

    key: str
    label: str
    activation: str
    reason: str
    caveat: str
    page: str
    fill: str  # the fill colour of the text's diagram
    tagline: str = ""  # the leaf's second line in the text's diagram


@dataclass(frozen=True)
class Question:
    """An inner node: a question and its answers, in the text's order."""

    key: str
    text: str
    answers: tuple[Leaf, ...]


#: The text's tree (section IV), first question "Which layer?", then one question per layer.
TREE: dict[str, Question] = {
    "hidden": Question(
        "hidden",
        "Hidden layers: what's your goal?",
        (
            Leaf(
                "default",
                "Default / fast",
                "ReLU",
                "Fast and effective: one comparison per unit, gradient 1 wherever it is active.",
                "Pair it with He initialisation and watch the fraction of dead units.",
                "relu.md",
                "#E5F3FF",
                "fast and effective",
            ),
            Leaf(
                "deep",
                "Deep network (40+ layers)",
                "Swish / GELU",
                "Smooth, non-monotonic; reported gains over ReLU in deep models.",
                "The '40+ layers' threshold has no general support (claims C56, C62); depth "
                "alone is handled first by initialisation, normalisation and residual "
                "connections.",
                "swish.md",
                "#E5FFE5",
                "reported best in deep models",
            ),
            Leaf(
                "dying",
                "Dying-ReLU problem",
                "Leaky ReLU or ELU",
                "A non-zero slope for z < 0 keeps a gradient flowing through inactive units.",
                "Leaky ReLU's negative slope is 100x smaller than 1, so revival is slow; a "
                "lower learning rate or a bias at 0 often removes the cause (section V).",
                "leaky_relu.md",
                "#FFF5E5",
                "a gradient for z < 0",
            ),
            Leaf(
                "transformer",
                "Transformer / NLP",
                "GELU",
                "The feed-forward sublayer of BERT and GPT / GPT-2.",
                "Many newer LLMs (PaLM, LLaMA) use the gated SwiGLU instead; attention itself "
                "uses softmax, not GELU (claims C50, C51).",
                "gelu.md",
                "#FFE5F3",
                "the BERT / GPT standard",
            ),
            Leaf(
                "rnn",
                "RNN / LSTM",
                "Tanh",
                "Zero-centred and bounded: the standard state activation of RNNs, LSTMs, GRUs.",
                "The gates of an LSTM or GRU use sigmoid.",
                "tanh.md",
                "#F3E5FF",
                "zero-centred",
            ),
        ),
    ),
    "output": Question(
        "output",
        "Output layer: task type?",
        (
            Leaf(
                "binary",
                "Binary classification",
                "Sigmoid",
                "One probability in (0, 1), trained with binary cross-entropy.",
                "A probability is not a calibrated one: modern networks tend to be "
                "over-confident (Guo et al. 2017).",
                "sigmoid.md",
                "#E5F3FF",
                "a probability in (0, 1)",
            ),
            Leaf(
                "multi_class",
                "Multi-class (one label)",
                "Softmax",
                "A probability distribution over K classes: the outputs sum to 1.",
                "Train on the logits with a fused log-softmax cross-entropy for stability.",
                "softmax.md",
                "#E5FFE5",
                "probabilities that sum to 1",
            ),
            Leaf(
                "multi_label",
                "Multi-label (several tags)",
                "Sigmoid (one per label)",
                "Independent outputs: several labels can be near 1 at once.",
                "Softmax here is a common mistake: it forces the labels to compete (section V).",
                "sigmoid.md",
                "#FFF5E5",
                "independent outputs",
            ),
            Leaf(
                "regression",
                "Regression",
                "Linear (no activation)",
                "An unbounded real output, trained with mean squared error.",
                "A bounded target may use a bounded output (sigmoid for [0, 1]) on purpose.",
                "linear.md",
                "#FFE5F3",
                "no activation",
            ),
        ),
    ),
}

#: The first question of the tree.
ROOT_QUESTION = "Which layer?"
LAYER_LABELS = {"hidden": "Hidden layers", "output": "Output layer"}


def leaves() -> list[tuple[str, Leaf]]:
    """Every ``(layer, leaf)`` of the tree, in the text's order."""
    return [(layer, leaf) for layer, q in TREE.items() for leaf in q.answers]


def recommend(layer: str, answer: str) -> Leaf:
    """The leaf reached by answering "Which layer?" with ``layer`` and the next question with
    ``answer`` (a leaf key)."""
    if layer not in TREE:
        raise ValueError(f"unknown layer {layer!r}; use one of {list(TREE)}")
    for leaf in TREE[layer].answers:
        if leaf.key == answer:
            return leaf
    keys = [leaf.key for leaf in TREE[layer].answers]
    raise ValueError(f"unknown answer {answer!r} for the {layer} layer; use one of {keys}")


def leaf_text(leaf: Leaf) -> str:
    """The chooser's answer as plain text: recommendation, reason, caveat."""
    return f"{leaf.activation}: {leaf.reason} Caveat: {leaf.caveat}"


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
    ax.annotate(
        "", xy=q, xytext=p, arrowprops=dict(arrowstyle="-|>", color="0.35", lw=0.9, shrinkA=0)
    )
    if label:
        t = 0.5  # mid-span: the fan is widest there, so neighbouring labels do not collide
        x, y = p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])
        ax.text(
            x, y, label, ha="center", va="center", fontsize=10, color="0.15",
            bbox=dict(fc="white", ec="none", pad=0.6),
        )  # fmt: skip


def draw_tree() -> Figure:
    """The decision tree of section IV, left to right as in the text, with its colours."""
    fig = Figure(figsize=(10.0, 6.4), facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-0.15, 10.05)
    ax.set_ylim(-0.6, 9.6)
    ax.axis("off")
    n = len(leaves())
    ys = np.linspace(9.0, 0.0, n)  # one row per leaf, hidden-layer leaves on top
    x_root, x_layer, x_q, x_leaf = 0.62, 1.95, 3.95, 8.55
    w_leaf, h = 2.8, 0.78
    _box(ax, x_root, 4.5, "Choose an\nactivation", "#FFE5E5", 1.2, 1.0, bold=True)
    _box(ax, x_layer, 4.5, ROOT_QUESTION, "#FFFFFF", 1.3, 0.7)
    _arrow(ax, (x_root + 0.6, 4.5), (x_layer - 0.65, 4.5))
    row = 0
    for layer, q in TREE.items():
        k = len(q.answers)
        y_q = float(np.mean(ys[row : row + k]))
        _box(ax, x_q, y_q, q.text.replace(": ", ":\n"), "#FFFFFF", 1.9, 0.8)
        _arrow(ax, (x_layer + 0.65, 4.5), (x_q - 0.95, y_q), LAYER_LABELS[layer])
        for leaf in q.answers:
            y = float(ys[row])
            _box(ax, x_leaf, y, f"✓ {leaf.activation}\n{leaf.tagline}", leaf.fill, w_leaf, h)
            _arrow(ax, (x_q + 0.95, y_q), (x_leaf - w_leaf / 2, y), leaf.label)
            row += 1
    return fig


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

#: Where ``make bench`` writes its results (the repository's benchmarks folder).
RESULTS_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"

#: Names a benchmark may use for an activation of the table (first found wins).
_ALIASES = {
    "linear": ("linear", "identity"),
    "leaky_relu": ("leaky_relu", "leaky", "leakyrelu"),
    "gelu": ("gelu", "gelu_erf", "gelu_exact"),
    "swish": ("swish", "silu"),
}


def load_costs(path: str | Path | None = None) -> dict[str, dict[str, float]] | None:
    """Per-element cost ratios to ReLU, ``{column: {activation: ratio}}``, from ``make bench``.

    Reads ``benchmarks/results.json``. Two layouts are understood: the flat
    ``{"activation_cost": {"float32": {name: ratio}, "float64": {...}}}`` and the one
    ``benchmarks/run.py`` writes, ``activation_cost.sizes["<n>/<dtype>"].ratio`` (the largest
    ``n`` is used) plus ``activation_cost.dense_layer[dtype].layer_ratio_to_relu`` (returned
    as column ``"layer_float32"``). Returns None when the file is missing or unreadable, so a
    page says "run make bench" instead of timing anything itself.
    """
    path = RESULTS_PATH if path is None else Path(path)
    try:
        costs = json.loads(path.read_text())["activation_cost"]
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError):
        return None
    out: dict[str, dict[str, float]] = {}
    if isinstance(costs.get("sizes"), dict):
        best: dict[str, float] = {}
        for key, entry in costs["sizes"].items():
            n, _, dtype = key.partition("/")
            if float(n) >= best.get(dtype, -1.0) and isinstance(entry.get("ratio"), dict):
                best[dtype] = float(n)
                out[dtype] = {k: float(v) for k, v in entry["ratio"].items()}
        for dtype, entry in costs.get("dense_layer", {}).items():
            if isinstance(entry, dict) and "layer_ratio_to_relu" in entry:
                out[f"layer_{dtype}"] = {
                    k: float(v) for k, v in entry["layer_ratio_to_relu"].items()
                }
    else:
        for dtype, table in costs.items():
            if isinstance(table, dict):
                out[str(dtype)] = {
                    str(k): float(v) for k, v in table.items() if isinstance(v, int | float)
                }
    return out or None


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
        value = next((table[a] for a in _ALIASES.get(name, (name,)) if a in table), None)
        cells.append("n/a" if value is None else f"{value:.2f}×" if value < 10 else f"{value:.0f}×")
    return " / ".join(cells)


def _fmt(x: sp.Expr) -> str:
    if x in (sp.oo, -sp.oo):
        return r"+\infty" if x == sp.oo else r"-\infty"
    return f"{float(x):.4g}"


def range_text(name: str) -> str:
    """The range of an element-wise activation as LaTeX, computed by :mod:`actbook.properties`
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
        "Costs at least a sigmoid [text: 'Medium' vs sigmoid 'High']",
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
    head = (
        "| activation | formula | range | text's cost | × ReLU per element (f32 / f64) "
        "| × ReLU, dense layer (f32) |\n|---|---|---|---|---|---|"
    )
    rows = [head]
    for name, formula, *_ in TABLE_ROWS:
        rows.append(
            f"| {TITLES[name]} | ${formula}$ | ${range_text(name)}$ | {TEXT_COST[name]} "
            f"| {cost_cell(name, costs)} | {cost_cell(name, costs, ('layer_float32',))} |"
        )
    lo, hi, err = softmax_range_check()
    if not (0.0 < lo and hi < 1.0 and err < 1e-12):
        raise AssertionError(f"softmax left (0, 1) or lost its sum: {lo}, {hi}, {err}")
    rows.append(
        r"| Softmax | $\frac{e^{z_i}}{\sum_j e^{z_j}}$ | $(0, 1)$, $\sum_i = 1$ "
        f"| {TEXT_COST['softmax']} | {cost_cell('softmax', costs)} "
        f"| {cost_cell('softmax', costs, ('layer_float32',))} |"
    )
    return "\n".join(rows)


def usage_table() -> str:
    """Section IV's comparison table, qualitative half: the text's advantages, disadvantages
    and best use, with the audit's corrections in brackets."""
    rows = ["| activation | advantages | disadvantages | best use |", "|---|---|---|---|"]
    for name, _, adv, dis, use in TABLE_ROWS:
        rows.append(f"| {TITLES[name]} | {adv} | {dis} | {use} |")
    rows.append(
        "| Softmax | A probability distribution | Couples all units: the output layer "
        "(and attention) | Multi-class output |"
    )
    return "\n".join(rows)
