"""How each activation is named on every page and figure: one title per activation.

The symbolic catalog (:mod:`actbook.catalog.symbolic`) and every figure take their titles
from here, so that an activation is called the same everywhere.
"""

TITLES = {
    "linear": "Linear",
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "ReLU",
    "leaky_relu": "Leaky ReLU",
    "prelu": "PReLU",
    "rrelu": "RReLU",
    "elu": "ELU",
    "selu": "SELU",
    "gelu": "GELU",
    "gelu_tanh": "GELU (tanh)",
    "swish": "Swish",
    "mish": "Mish",
    "softplus": "Softplus",
}

#: One colour per activation, on every figure of the course (Okabe-Ito and Paul Tol's
#: colour-blind-safe colours; variants of one family share a hue and differ in line style).
COLORS = {
    "linear": "#7f7f7f",
    "sigmoid": "#0072b2",
    "tanh": "#009e73",
    "relu": "#d55e00",
    "leaky_relu": "#cc79a7",
    "prelu": "#aa4499",
    "rrelu": "#cc6677",
    "elu": "#e69f00",
    "selu": "#999933",
    "gelu": "#56b4e9",
    "gelu_tanh": "#56b4e9",
    "swish": "#000000",
    "mish": "#882255",
    "softplus": "#332288",
}

#: One line style per activation: the second of a family (PReLU, SELU, the tanh form of GELU)
#: is dashed, so that two curves of one hue stay apart.
STYLES = {name: "-" for name in TITLES} | {
    "prelu": "--",
    "rrelu": ":",
    "selu": "--",
    "gelu_tanh": "--",
}


def style(name: str) -> dict[str, str]:
    """The matplotlib keywords that draw ``name`` as on every figure: ``color`` and ``ls``.

    >>> style("relu")
    {'color': '#d55e00', 'ls': '-'}
    """
    if name not in TITLES:
        raise KeyError(f"unknown activation {name!r}; known: {', '.join(TITLES)}")
    return {"color": COLORS[name], "ls": STYLES[name]}


def activation_of(label: str) -> str | None:
    """The activation a figure label names (``"ReLU"``, ``"ReLU′"``, ``"Leaky ReLU (α = 0.1)"``),
    or None when it names none. The longest title wins: "Leaky ReLU" is not "ReLU".

    >>> [activation_of(s) for s in ("Leaky ReLU (α = 0.1)", "GELU (tanh)′", "tanh", "lr")]
    ['leaky_relu', 'gelu_tanh', 'tanh', None]
    """
    names = [(title, name) for name, title in TITLES.items()] + [(n, n) for n in TITLES]
    for word, name in sorted(names, key=lambda wn: -len(wn[0])):
        rest = label[len(word) :]
        if label.startswith(word) and not (rest[:1].isalnum() or rest[:1] == "_"):
            return name
    return None
