"""The code a student reads fits its box: the visible code of the exercises, wrapped.

The exercise pages of the site show the released notebooks' visible code (signatures,
docstrings, visible tests) in a box :data:`COLUMNS` characters wide on a 1400 px window; a
longer line makes the reader scroll sideways inside the cell. The site audit holds every built
page to that (``actbook.site.audit.CODE_FIT_WIDTH``, measured in the browser); this tool fixes
the source: in the instructor notebooks (``solutions/``), every visible statement with a line
longer than :data:`COLUMNS` is rewrapped by ``ruff format`` at that width (quotes kept, the
statement's syntax tree unchanged, hidden tests and generated blocks never touched), and what
it cannot wrap (a long string or docstring) is listed, to be shortened by hand. Then
``make exercises`` releases it.

    python -m actbook.course.code_width           # rewrap solutions/*/*.ipynb
    python -m actbook.course.code_width --check   # list the visible lines that are too long
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from actbook.paths import SOLUTIONS

#: Characters of code that fit the site's code box at 1400 px: a box of 736 px inside its
#: padding (the article's column with the theme's sidebars) at 8.4 px per character of the
#: theme's monospace font (14 px), less one for safety.
COLUMNS = 86
#: Where a cell's visible part ends: its hidden tests (nbgrader) or a generated battery block.
HIDDEN = ("### BEGIN HIDDEN TESTS", "# The battery of input classes")
#: A solution block: the release replaces it by a stub, so a student never reads its lines.
SOLUTION = ("### BEGIN SOLUTION", "### END SOLUTION")


def visible(lines: list[str]) -> int:
    """The number of leading lines of a cell that a student sees (solutions aside)."""
    return next((i for i, s in enumerate(lines) if s.strip().startswith(HIDDEN)), len(lines))


def released(lines: list[str]) -> list[bool]:
    """For each line of a cell's visible part: does the release show it (not a solution's)?"""
    shown, inside = [], False
    for line in lines:
        if line.strip().startswith(SOLUTION):
            inside = line.strip().startswith(SOLUTION[0])
            shown.append(False)
        else:
            shown.append(not inside)
    return shown


def ruff_format(code: str, width: int) -> str:
    """``code`` as ``ruff format`` writes it at ``width`` columns, its quotes kept."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--isolated", f"--line-length={width}",
         "--config", "format.quote-style='preserve'", "--stdin-filename", "cell.py", "-"],
        input=code, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise ValueError(f"ruff cannot format this cell: {done.stderr.strip()}")
    return done.stdout


def _long_statements(tree: ast.Module, lines: list[str], width: int) -> list[tuple[int, int]]:
    """(first, end) line spans of the innermost statements that hold a released line over
    ``width``: a compound statement whose own header fits is entered, not rewrapped whole."""
    spans: list[tuple[int, int]] = []
    shown = released(lines)

    def fits(first: int, end: int) -> bool:
        return all(len(lines[i]) <= width or not shown[i] for i in range(first, end))

    def walk(body: list[ast.stmt]) -> None:
        for st in body:
            first, end = st.lineno - 1, st.end_lineno or st.lineno
            if fits(first, end):
                continue
            blocks = [b for f in ("body", "orelse", "finalbody", "handlers")
                      if isinstance(b := getattr(st, f, None), list) and b]  # fmt: skip
            header_end = min((b[0].lineno - 1 for b in blocks), default=end)
            if blocks and fits(first, header_end):
                for b in blocks:
                    walk(b)
            else:
                spans.append((first, end))

    walk(tree.body)
    return spans


def wrap(source: str, width: int = COLUMNS) -> str:
    """``source`` (a code cell) with every visible statement that has a line over ``width``
    rewrapped; its hidden part unchanged. Raises ValueError if the code would change."""
    lines = source.split("\n")
    end = visible(lines)
    shown = lines[:end]
    if not too_long(source, width):
        return source
    try:
        tree = ast.parse("\n".join(shown))
    except SyntaxError:  # not Python (a cell magic): left as it is
        return source
    for first, last in sorted(_long_statements(tree, shown, width), reverse=True):
        chunk = textwrap.dedent("\n".join(shown[first:last]))
        indent = len(shown[first]) - len(shown[first].lstrip())
        room = width - indent
        if re.fullmatch(r"from [\w.]+ import [\w, ]+", chunk):  # names in brackets, to break
            chunk = chunk.replace(" import ", " import (", 1) + ")"
        out = _comment_above(chunk, room) or _break_at_commas(chunk, room)
        if out is None or ast.dump(ast.parse(out)) != ast.dump(ast.parse(chunk)):
            out = ruff_format(chunk, room).rstrip("\n")
        if ast.dump(ast.parse(out)) != ast.dump(ast.parse(chunk)):
            continue  # ruff would change it (a docstring's spaces): left to a human
        shown[first:last] = textwrap.indent(out, " " * indent).split("\n")
    before = ast.dump(ast.parse("\n".join(lines[:end])))
    if ast.dump(ast.parse("\n".join(shown))) != before:
        raise ValueError("rewrapping would change the code")
    return "\n".join(shown + lines[end:])


def _break_at_commas(chunk: str, width: int) -> str | None:
    """``chunk`` (one statement) with each line over ``width`` broken after a comma inside
    brackets, the outermost such comma that leaves a head that fits; the rest goes on the next
    line, aligned under the bracket's first item (as a person wraps a call), and is broken
    again if needed. None when some long line has no such comma (ruff then rewraps it)."""
    import io
    import tokenize

    lines = chunk.split("\n")
    for _ in range(100):
        long = [i for i, s in enumerate(lines) if len(s) > width]
        if not long:
            return "\n".join(lines)
        row = long[0] + 1  # tokenize counts rows from 1
        try:
            tokens = list(tokenize.generate_tokens(io.StringIO("\n".join(lines)).readline))
        except (tokenize.TokenError, SyntaxError):
            return None
        opened: list[tuple[int, int]] = []  # (row, column) just after each open bracket
        best: tuple[int, int, tuple[int, int]] | None = None  # (-depth, column, bracket)
        for t in tokens:
            if t.type == tokenize.OP and t.string in "([{":
                opened.append(t.end)
            elif t.type == tokenize.OP and t.string in ")]}":
                opened.pop()
            elif t.type == tokenize.OP and t.string == "," and t.start[0] == row and opened:
                rest = lines[row - 1][t.end[1] :].strip()
                if t.end[1] <= width and rest and not rest.startswith("#"):
                    best = max(best or (-999, 0, (0, 0)), (-len(opened), t.end[1], opened[-1]))
        if best is None:
            return None
        _, column, (bracket_row, bracket_column) = best
        line, after = lines[row - 1], lines[bracket_row - 1][bracket_column:].strip()
        if after and not after.startswith("#"):  # items follow the bracket: align under them
            indent = bracket_column
        else:  # a hanging bracket: the indent of its first item
            first = lines[bracket_row]
            indent = len(first) - len(first.lstrip())
        lines[row - 1 : row] = [line[:column].rstrip(), " " * indent + line[column:].strip()]
    return None


def _comment_above(chunk: str, width: int) -> str | None:
    """A one-line statement too long only for its trailing comment, with the comment on a
    line of its own above it; None for any other statement."""
    import io
    import tokenize

    if "\n" in chunk:
        return None
    tokens = list(tokenize.generate_tokens(io.StringIO(chunk).readline))
    comment = next((t for t in tokens if t.type == tokenize.COMMENT), None)
    code = chunk[: comment.start[1]].rstrip() if comment else chunk
    if comment is None or len(code) > width or len(comment.string) > width:
        return None
    return f"{comment.string}\n{code}"


def too_long(source: str, width: int = COLUMNS) -> list[str]:
    """The lines of a cell that the release shows and that are longer than ``width``."""
    lines = source.split("\n")
    end = visible(lines)
    return [s for s, shown in zip(lines[:end], released(lines[:end]), strict=True)
            if shown and len(s) > width]  # fmt: skip


def notebooks(root: Path = SOLUTIONS) -> list[Path]:
    return sorted(root.glob("*/*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    left = 0
    for path in notebooks():
        nb = json.loads(path.read_text())
        changed = False
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            new = source if check else wrap(source)
            if new != source:
                lines = new.split("\n")
                cell["source"] = [s + "\n" for s in lines[:-1]] + [lines[-1]]
                changed = True
            for s in too_long(new):
                left += 1
                print(f"{path.relative_to(SOLUTIONS)} cell {cell.get('id')}: {len(s)} > "
                      f"{COLUMNS} columns: {s.strip()[:70]}")  # fmt: skip
        if changed:
            path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
            print(f"rewrapped {path.relative_to(SOLUTIONS)}")
    return 1 if left else 0


if __name__ == "__main__":
    raise SystemExit(main())
