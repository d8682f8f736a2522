"""The library's layering (src/actbook/__init__.py): a lower layer never imports a higher one,
a page module never imports another page module, course machinery never imports figures, and
only actbook.paths knows where the repository is."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "actbook"

#: subpackage -> what it may import (besides itself, the standard library and third parties).
ALLOWED = {
    "paths": set(),
    "catalog": {"paths"},
    "lab": {"paths", "catalog"},
    "figures": {"paths", "catalog", "lab"},
    "pages": {"paths", "catalog", "lab", "figures"},
    "course": {"paths", "catalog"},
    "site": {"paths", "course.release"},
}


def imports_of(path: Path) -> list[str]:
    """The actbook modules ``path`` imports, as dotted names below ``actbook``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("actbook"):
            if node.module == "actbook":
                found += [a.name for a in node.names]
            else:
                mod = node.module.removeprefix("actbook.")
                found += [f"{mod}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            found += [
                a.name.removeprefix("actbook.") for a in node.names if a.name.startswith("actbook.")
            ]
    return found


def violations(pkg: Path = PKG) -> list[str]:
    out = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg)
        layer = rel.parts[0].removesuffix(".py")
        if layer == "__init__":
            continue
        own = ".".join(rel.with_suffix("").parts)
        for target in imports_of(path):
            top = target.split(".")[0]
            if top == layer and layer != "pages":
                continue
            if layer == "pages" and top == "pages":
                if target.split(".")[1] != rel.stem:
                    out.append(f"{own} imports another page module: {target}")
                continue
            if not any(
                target == a or target.startswith(a + ".") or top == a for a in ALLOWED[layer]
            ):
                out.append(f"{own} ({layer}) may not import {target}")
        if layer != "paths" and "parents[" in path.read_text():
            out.append(f"{own} computes a repository path itself: use actbook.paths")
    return out


def test_the_layers_hold():
    assert violations() == []


def test_every_subpackage_says_what_it_holds_and_may_import():
    for sub in ALLOWED:
        init = PKG / sub / "__init__.py"
        if sub == "paths":
            continue
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "May import" in doc, f"{init} must say what it may import"


def test_page_modules_are_named_after_their_chapter():
    chapters = PKG.parents[1] / "chapters"
    for path in (PKG / "pages").glob("*.py"):
        if path.name == "__init__.py":
            continue
        assert (chapters / f"{path.stem}.md").exists(), f"no chapters/{path.stem}.md"
        doc = ast.get_docstring(ast.parse(path.read_text()))
        assert doc.startswith(f"Code behind chapters/{path.stem}.md"), path


@pytest.mark.parametrize(
    "where, line, expected",
    [
        ("catalog/bad.py", "from actbook.figures.plotting import COLORS", "may not import"),
        ("pages/bad.py", "from actbook.pages.softmax import x", "another page module"),
        ("course/bad.py", "from actbook.figures import widgets", "may not import"),
        ("lab/bad.py", "from pathlib import Path\nR = Path(__file__).parents[2]", "paths"),
    ],
)
def test_a_wrong_import_is_caught(tmp_path, where, line, expected):
    fake = tmp_path / "actbook"
    (fake / where).parent.mkdir(parents=True)
    (fake / where).write_text(line + "\n")
    found = violations(fake)
    assert len(found) == 1 and expected in found[0], found
