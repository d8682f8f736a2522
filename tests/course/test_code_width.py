"""The exercises' visible code is wrapped to the site's code box (actbook.course.code_width);
the site audit measures the built pages (tests/site: code lines fit their box at 1400 px)."""

from __future__ import annotations

import ast

from actbook.course import code_width

LONG_CALL = (
    "expect_close(call(sigmoid, np.array([-1.0, 1.0])), [0.2689414213699951, 0.7310585786300049],"
    ' "sigmoid([-1, 1])")'
)
HIDDEN = f"### BEGIN HIDDEN TESTS\n{LONG_CALL}\n### END HIDDEN TESTS"


def test_a_long_visible_statement_is_rewrapped_and_the_hidden_tests_are_not():
    source = f"x = 1\n{LONG_CALL}\n\n{HIDDEN}"
    out = code_width.wrap(source)
    shown, hidden = out.split("### BEGIN HIDDEN TESTS")
    assert all(len(line) <= code_width.COLUMNS for line in shown.split("\n"))
    assert shown.split("\n")[:3] == [
        "x = 1",
        "expect_close(call(sigmoid, np.array([-1.0, 1.0])),",
        '             [0.2689414213699951, 0.7310585786300049], "sigmoid([-1, 1])")',
    ], "the long statement is broken after its outermost comma, aligned under its bracket"
    assert "### BEGIN HIDDEN TESTS" + hidden == HIDDEN, "the hidden tests stay as they are"
    assert ast.dump(ast.parse(shown)) == ast.dump(ast.parse(f"x = 1\n{LONG_CALL}"))
    assert code_width.wrap(out) == out, "wrapping twice changes nothing"


def test_a_statement_in_a_function_keeps_its_indent_and_the_signature_stays():
    source = f"def f(z):\n    '''Doc.'''\n    {LONG_CALL}\n    return z"
    out = code_width.wrap(source)
    lines = out.split("\n")
    assert lines[:3] == ["def f(z):", "    '''Doc.'''", "    " + LONG_CALL[:50]], out
    assert lines[-1] == "    return z" and max(map(len, lines)) <= code_width.COLUMNS
    assert "'''Doc.'''" in out, "quotes are kept"


def test_a_statement_with_no_comma_to_break_at_is_rewrapped_by_ruff():
    source = "total = " + " + ".join(f"value_{k}" for k in range(12))
    out = code_width.wrap(source)
    assert out.startswith("total = (\n") and max(map(len, out.split("\n"))) <= 86, out


def test_what_cannot_be_wrapped_is_listed():
    source = 'def f(z):\n    """' + "a long docstring " * 8 + '"""\n    return z'
    assert code_width.wrap(source) == source
    assert code_width.too_long(source) == [source.split("\n")[1]]
    assert code_width.too_long(f"x = 1\n{HIDDEN}") == [], "hidden tests are not shown"


def test_solution_blocks_are_left_alone_and_a_long_comment_goes_above_its_line():
    solution = f"    ### BEGIN SOLUTION\n    {LONG_CALL}\n    ### END SOLUTION"
    comment = "# " + "a comment that makes the line long, " * 2 + "indeed"
    out = code_width.wrap(f"def f(z):\n{solution}\n    return z  {comment}")
    assert solution in out, "the release replaces solutions: a student never reads them"
    assert out.endswith(f"\n    {comment}\n    return z")
