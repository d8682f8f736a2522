"""Tables and values written for people: the one way a page turns numbers into text.

:func:`fmt` writes one value (3 significant digits, ∞ for infinity, "none" for a missing
value, "yes"/"no" for a truth value), :func:`number_word` a count in a sentence;
:func:`markdown_table` writes a Markdown table from a header and rows of values, escaping
the ``|`` a cell may hold (``exp(-|x|)``) so that every row keeps its columns. A page shows
the table with ``display(markdown_table(...))`` (it renders as Markdown in the notebook and on
the site).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

DIGITS = 3


def fmt(value: Any, digits: int = DIGITS) -> str:
    """``value`` for a reader: ``digits`` significant digits, ∞, none, yes/no.

    >>> [fmt(v) for v in (0.22916666666666666, 1234.5, 2.220446049250313e-16, 178, float("inf"))]
    ['0.229', '1,230', '2.22 × 10⁻¹⁶', '178', '∞']
    >>> [fmt(v) for v in (None, True, -float("inf"), float("nan"), "exp(-|x|)", 0.0, -0.5)]
    ['none', 'yes', '−∞', 'undefined', 'exp(-|x|)', '0', '−0.5']
    >>> import sympy as sp; [fmt(sp.Float(1) < 2), fmt(sp.oo), fmt(sp.Rational(1, 3))]
    ['yes', '∞', '0.333']
    """
    if value is None:
        return "none"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if _is_sympy(value):
        value = _sympy_number(value)
        if isinstance(value, str):
            return value
    if isinstance(value, numbers.Integral):
        return _minus(f"{int(value):,}")
    if isinstance(value, numbers.Real):
        return _real(float(value), digits)
    return str(value)


def _is_sympy(value: Any) -> bool:
    return type(value).__module__.startswith("sympy")


def _sympy_number(value: Any) -> Any:
    import sympy as sp

    if isinstance(value, sp.logic.boolalg.BooleanAtom):  # sp.true, the result of a SymPy <
        return "yes" if value else "no"
    if value == sp.oo:
        return "∞"
    if value == -sp.oo:
        return "−∞"
    if value is sp.zoo or value is sp.nan:
        return "undefined"
    if value.is_Integer:
        return int(value)
    if value.is_number and value.is_real:
        return float(value)
    return str(value)


def _minus(text: str) -> str:
    return text.replace("-", "−") if text.startswith("-") else text


def _real(x: float, digits: int) -> str:
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(abs(x)))
    if -4 <= exponent < 6:
        decimals = max(0, digits - 1 - exponent)
        rounded = round(x, decimals)
        text = f"{rounded:,.{decimals}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        if exponent >= digits:  # 1234.5 -> 1,230: zeros stand in for the dropped digits
            text = f"{round(x, digits - 1 - exponent):,.0f}"
        return _minus(text)
    mantissa = f"{x / 10**exponent:.{digits - 1}f}".rstrip("0").rstrip(".")
    return _minus(mantissa) + " × 10" + _superscript(exponent)


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscript(n: int) -> str:
    return str(n).translate(_SUPERSCRIPTS)


_WORDS = "zero one two three four five six seven eight nine ten eleven twelve".split()


def number_word(n: int, capital: bool = False) -> str:
    """A count for a sentence: a word up to twelve, digits beyond (:func:`fmt`). Glue the count
    of the thing counted (``len(items)``), so that the sentence cannot disagree with the list.

    >>> number_word(7), number_word(6, capital=True), number_word(1250)
    ('seven', 'Six', '1,250')
    """
    word = _WORDS[n] if 0 <= n < len(_WORDS) else fmt(n)
    return word.capitalize() if capital else word


def cell(value: Any, digits: int = DIGITS) -> str:
    """One table cell: :func:`fmt`, with ``|`` escaped and line breaks made spaces."""
    return fmt(value, digits).replace("|", r"\|").replace("\n", " ")


class MarkdownTable(str):
    """A Markdown table that a notebook shows rendered (``text/markdown``), as a str."""

    def _repr_markdown_(self) -> str:
        return str(self)


def markdown_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], digits: int = DIGITS
) -> MarkdownTable:
    """A Markdown table: ``header`` (Markdown, taken as written) over ``rows`` of values, each
    written by :func:`fmt` and escaped, so that every row has the header's columns.

    >>> print(markdown_table(["form", "error"], [["exp(-|x|)", 1.1102230246251565e-16]]))
    | form | error |
    |---|---|
    | exp(-\\|x\\|) | 1.11 × 10⁻¹⁶ |
    """
    n = len(header)
    lines = ["| " + " | ".join(h.replace("\n", " ") for h in header) + " |", "|---" * n + "|"]
    for i, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {i} has {len(row)} cells, the header {n}: {row!r}")
        lines.append("| " + " | ".join(cell(v, digits) for v in row) + " |")
    return MarkdownTable("\n".join(lines))
