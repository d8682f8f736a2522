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
