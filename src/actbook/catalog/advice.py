"""Which activation for which layer: the selection guide's decision tree as data.

One definition (:data:`TREE`) feeds the guide's diagram and chooser
(:mod:`actbook.pages.selection`) and the best-practices checklist.

>>> recommend("output", "multi_label").activation
'Sigmoid (one per label)'
>>> len(leaves())
9
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Leaf", "Question", "TREE", "leaves", "recommend", "leaf_text"]


@dataclass(frozen=True)
class Leaf:
    """One answer of the tree: the text's recommendation, its reason, and the course's caveat.

    ``label`` is the edge label of the text's diagram; ``activation`` and ``reason`` are the
    leaf's two lines; ``caveat`` is the course's correction or warning; ``page`` the chapter
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
                "The '40+ layers' threshold has no general support: the Swish paper's gains "
                "are on ImageNet models, with no depth threshold, and depth alone is handled "
                "first by initialisation, normalisation and residual connections.",
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
                "lower learning rate or a bias at 0 often removes the cause (see Common mistakes).",
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
                "uses softmax, not GELU.",
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
                "Softmax here is a common mistake: it forces the labels to compete "
                "(see Common mistakes).",
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
