"""``make lab``: the student's own work folder, the whole course in one JupyterLab workspace.

``work/`` (git-ignored) holds ``exercises/<id>/`` (the released notebooks and their
``checks.py``) and ``chapters/`` (each chapter as a text notebook whose Markdown reads as text
in JupyterLab: :func:`render_chapter`), side by side as in the repository, so that every
relative link between chapters and problem sets works. It is filled from the release on first
use and never overwritten: :func:`sync` adds what is new, replaces only a copy the student
never changed, and puts a changed release *beside* a changed copy (``ps01-classic
(updated).ipynb``). ``git pull``, ``git checkout .`` and ``make exercises`` touch only the
repository's files, never ``work/``.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from actbook.course import chapter_values, text_notebooks
from actbook.paths import CHAPTERS, EXERCISES, ROOT

WORK = ROOT / "work"
#: Chapters a student does not get (the instructor's).
STAFF_ONLY = frozenset({"instructor_guide", "course_performance"})
_MANIFEST = Path(".course") / "manifest.json"
#: The kernels' IPython startup file (make lab points IPYTHONDIR at .course/ipython).
KERNEL_STARTUP = ROOT / "jupyter" / "student" / "kernel_startup.py"
_STARTUP = Path(".course") / "ipython" / "profile_default" / "startup" / "00-course.py"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


# --- MyST -> Markdown that JupyterLab shows as text ---------------------------------------


@dataclass
class Book:
    """What the chapters refer to across pages: equation numbers, labelled sections, the
    bibliography, the table of contents, and the glued values of the last book build."""

    equations: dict[str, tuple[str, int]] = field(default_factory=dict)  # label -> (doc, n)
    sections: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (doc, title)
    references: dict[str, tuple[str, str, str]] = field(
        default_factory=dict
    )  # key -> who, year, title
    toc: dict[str, list[str]] = field(default_factory=dict)  # doc -> its children (paths)
    glue: dict[str, dict[str, dict]] = field(default_factory=dict)  # doc -> name -> mime bundle


_EQ_LABEL = re.compile(r"^\$\$[ \t]*\(([\w:-]+)\)[ \t]*$", re.M)
_TARGET = re.compile(r"^\(([\w:-]+)\)=\s*$", re.M)
_ROLE = re.compile(r"\{([a-z]+(?::[a-z]+)?)\}`([^`]*)`")


def _bib(path: Path) -> dict[str, tuple[str, str, str]]:
    from pybtex.database import parse_file

    out = {}
    for key, entry in parse_file(str(path)).entries.items():
        people = entry.persons.get("author", [])
        names = [" ".join(p.last_names) for p in people] or [entry.fields.get("author", key)]
        who = (
            names[0]
            if len(names) == 1
            else f"{names[0]} and {names[1]}"
            if len(names) == 2
            else f"{names[0]} et al."
        )
        title = entry.fields.get("title", "").replace("{", "").replace("}", "")
        out[key] = (who, entry.fields.get("year", "n.d."), title)
    return out


def _toc(path: Path) -> dict[str, list[str]]:
    import yaml

    out: dict[str, list[str]] = {}

    def walk(items):
        for item in items or []:
            if "file" in item:
                out[item["file"]] = [s["file"] for s in item.get("sections", []) if "file" in s]
                walk(item.get("sections"))
            walk(item.get("chapters"))

    data = yaml.safe_load(path.read_text())
    out[data["root"]] = []
    walk(data.get("parts"))
    walk(data.get("chapters"))
    return out


def load_book(root: Path = ROOT, run: bool = False) -> Book:
    """Read what :func:`render_chapter` needs from the course at ``root``; with ``run``, run
    the chapters whose values neither the book build nor an earlier run has
    (:mod:`actbook.course.chapter_values`)."""
    book = Book()
    for md in sorted((root / "chapters").glob("*.md")):
        doc, text = md.stem, md.read_text()
        for n, m in enumerate(_EQ_LABEL.finditer(text), 1):
            book.equations[m.group(1)] = (doc, n)
        for m in _TARGET.finditer(text):
            rest = text[m.end() :].lstrip("\n").splitlines()
            title = rest[0].lstrip("#").strip() if rest and rest[0].startswith("#") else doc
            book.sections[m.group(1)] = (doc, title)
    if (root / "references.bib").exists():
        book.references = _bib(root / "references.bib")
    if (root / "_toc.yml").exists():
        book.toc = _toc(root / "_toc.yml")
    students = [p for p in sorted((root / "chapters").glob("*.md")) if p.stem not in STAFF_ONLY]
    book.glue = chapter_values.values(students, root, run, say=lambda s: print(f"workspace: {s}"))
    return book


def _heading_anchor(title: str) -> str:
    """JupyterLab's id of a rendered heading: its text, spaces made hyphens."""
    return re.sub(r"\s", "-", title.strip())


def _glue_value(book: Book, doc: str, spec: str, mime: str = "text/plain") -> str:
    name, _, fmt = spec.partition(":")
    bundle = book.glue.get(doc, {}).get(name.strip())
    if bundle is None:
        return f"«{name.strip()}»"
    text = bundle.get("data", {}).get(mime) or bundle.get("data", {}).get("text/plain", "")
    if fmt:
        try:
            return format(ast.literal_eval(text), fmt)
        except (ValueError, SyntaxError, TypeError):
            return text
    if mime == "text/plain" and text[:1] in "'\"":  # a glued str (tables.fmt): as MyST-NB, unquoted
        try:
            return str(ast.literal_eval(text))
        except (ValueError, SyntaxError):
            return text
    return text


def _cite(book: Book, kind: str, keys: str) -> str:
    parts = []
    for key in (k.strip() for k in keys.split(",")):
        who, year, _ = book.references.get(key, (key, "", ""))
        parts.append((who, year))
    if kind == "cite:t":
        return "; ".join(f"{who} ({year})" for who, year in parts)
    return "(" + "; ".join(f"{who}, {year}" for who, year in parts) + ")"


def _role(book: Book, doc: str, m: re.Match) -> str:
    role, arg = m.group(1), m.group(2)
    if role in ("glue", "glue:text"):
        return _glue_value(book, doc, arg)
    if role.startswith("cite"):
        return _cite(book, role, arg)
    if role == "eq":
        where, n = book.equations.get(arg, (doc, 0))
        return f"({n})" if where == doc else f"({n}) in [{where}]({where}.md)"
    if role in ("ref", "numref", "doc"):
        text, _, label = arg.rpartition("<") if "<" in arg else ("", "", arg)
        label, text = label.rstrip(">").strip(), text.strip()
        if role == "doc":
            target = Path(label).name
            return f"[{text or target}]({target}.md)"
        where, title = book.sections.get(label, (doc, label))
        anchor = "" if title == where else "#" + _heading_anchor(title)
        return f"[{text or title}]({'' if where == doc else where + '.md'}{anchor})"
    if role == "math":
        return f"${arg}$"
    return arg


def _directive(book: Book, doc: str, name: str, arg: str, body: list[str]) -> list[str]:
    options = [b for b in body if b.startswith(":")]
    body = [b for b in body if not b.startswith(":")]
    if name == "glue:md":
        return [_glue_value(book, doc, arg.strip(), "text/markdown")]
    if name == "tableofcontents":
        items = [p for p in book.toc.get(f"chapters/{doc}", []) if p]
        return [f"- [{Path(p).name}]({_relative(doc, p)})" for p in items] or [""]
    if name == "bibliography":
        keys = sorted(book.references, key=lambda k: (book.references[k][0], book.references[k][1]))
        return [
            f"- {book.references[k][0]} ({book.references[k][1]}). *{book.references[k][2]}*."
            for k in keys
        ]
    if name in ("dropdown", "admonition", "note", "tip", "warning", "important", "caution"):
        title = arg.strip() or name.capitalize()
        open_ = " open" if ":open:" in options or name != "dropdown" else ""
        return [f"<details{open_}><summary><b>{title}</b></summary>", "", *body, "", "</details>"]
    return body


def _relative(doc: str, toc_path: str) -> str:
    """A link from ``chapters/<doc>.md`` to a page of the table of contents."""
    if toc_path.startswith("chapters/"):
        return toc_path.removeprefix("chapters/") + ".md"
    suffix = ".ipynb" if toc_path.startswith("exercises/") else ".md"
    return "../" + toc_path + suffix


_FENCE = re.compile(r"^(`{3,}|:{3,})\{([\w:-]+)\}(.*)$")


def render_markdown(text: str, doc: str, book: Book) -> str:
    """One Markdown cell of ``chapters/<doc>.md`` with its MyST roles and directives made
    plain Markdown (and ``<details>`` for dropdowns)."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _FENCE.match(line)
        if m:
            fence, name, arg = m.group(1), m.group(2), m.group(3)
            j, depth, body = i + 1, 0, []
            while j < len(lines):
                inner = _FENCE.match(lines[j])
                if inner and inner.group(1)[0] == fence[0] and len(inner.group(1)) == len(fence):
                    depth += 1
                elif lines[j].strip() == fence and depth == 0:
                    break
                elif lines[j].strip() == fence:
                    depth -= 1
                body.append(lines[j])
                j += 1
            inner_text = render_markdown("\n".join(body), doc, book) if body else ""
            out.extend(_directive(book, doc, name, arg, inner_text.splitlines()))
            i = j + 1
            continue
        if _TARGET.match(line):
            i += 1
            while i < len(lines) and not lines[i].strip() and out and not out[-1].strip():
                i += 1
            continue
        eq_m = _EQ_LABEL.match(line)
        if eq_m:
            _, n = book.equations.get(eq_m.group(1), (doc, 0))
            out.extend([rf"\tag{{{n}}}", "$$"])
            i += 1
            continue
        out.append(_ROLE.sub(lambda m: _role(book, doc, m), line))
        i += 1
    return "\n".join(out).strip("\n")


def _language_info() -> dict:
    """The language_info of this Python's kernel (``make lab`` runs the kernel's Python)."""
    from ipykernel.ipkernel import IPythonKernel

    return json.loads(json.dumps(IPythonKernel.language_info))


def render_chapter(path: Path, book: Book) -> str:
    """The student's copy of a chapter: the same text notebook (same code cells, same
    links), its Markdown cells rendered by :func:`render_markdown`, written as JupyterLab's
    jupytext writes it (:func:`actbook.course.text_notebooks.write`), so that saving it
    unchanged leaves it byte for byte."""
    import jupytext
    import nbformat

    doc = path.stem
    nb = jupytext.read(path, fmt="md:myst")
    if not nb.metadata.get("kernelspec", {}).get("name"):
        # A page without code still opens as a notebook: with the course's kernel, not a
        # "select a kernel" dialog.
        nb.metadata["kernelspec"] = dict(KERNELSPEC)
    # What the kernel reports as it starts, which JupyterLab writes into the notebook: the
    # same already, so that a chapter just opened is not marked as changed. Kept on save.
    nb.metadata["language_info"] = _language_info()
    nb.metadata.setdefault("jupytext", {})["notebook_metadata_filter"] = (
        f"language_info,{text_notebooks.VERSIONLESS}"
    )
    missing = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = render_markdown(cell.source, doc, book)
            missing = missing or "«" in cell.source
    if missing:
        note = (
            "*The values in guillemets, such as «name», are computed by this page's code, "
            "which did not run when `make lab` prepared this copy (it said why). Run the "
            "notebook to see them in its outputs; the next `make lab` tries again.*"
        )
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(note))
    return text_notebooks.write(nb)


# --- the work folder ----------------------------------------------------------------------


def released_files(root: Path = ROOT, book: Book | None = None) -> dict[str, bytes]:
    """Relative path in the work folder -> the content the course delivers there now."""
    files: dict[str, bytes] = {}
    for path in sorted((root / "exercises").glob("*/*")):
        if path.is_file() and path.suffix in (".ipynb", ".py"):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    book = book if book is not None else load_book(root)
    for path in sorted((root / "chapters").glob("*.md")):
        if path.stem not in STAFF_ONLY:
            files[f"chapters/{path.name}"] = render_chapter(path, book).encode()
    files["jupytext.toml"] = (root / "jupytext.toml").read_bytes()
    return files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(path)


def _beside(work: Path, rel: str, manifest: dict[str, str]) -> str:
    """A free name beside ``rel`` for a newer release: ``<stem> (updated)<suffix>``, or a
    numbered one when the student has edited that one too."""
    p = Path(rel)
    for k in range(1, 1000):
        tag = "updated" if k == 1 else f"updated {k}"
        cand = (p.parent / f"{p.stem} ({tag}){p.suffix}").as_posix()
        target = work / cand
        if not target.exists() or _sha(target.read_bytes()) == manifest.get(cand):
            return cand
    raise RuntimeError(f"no free name beside {rel}")  # pragma: no cover


def sync(work: Path = WORK, files: dict[str, bytes] | None = None) -> list[str]:
    """Bring the work folder up to the course's current release without losing anything.

    Returns one line per change: ``added <path>``, ``updated <path>`` (a copy the student had
    never changed), ``offered <new> beside <path>`` (the student's copy is kept as it is).
    """
    files = files if files is not None else released_files()
    manifest_path = work / _MANIFEST
    manifest: dict[str, str] = (
        json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    )
    done = []
    for rel, data in files.items():
        target, new = work / rel, _sha(data)
        if not target.exists():
            _write(target, data)
            done.append(f"added {rel}")
        else:
            current = _sha(target.read_bytes())
            if current == new or manifest.get(rel) == new:
                pass  # up to date, or the student's edit of the current release
            elif current == manifest.get(rel):
                _write(target, data)
                done.append(f"updated {rel}")
            else:
                alt = _beside(work, rel, manifest)
                _write(work / alt, data)
                manifest[alt] = new
                done.append(f"offered {alt} beside {rel}")
        manifest[rel] = new
    _write(manifest_path, (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode())
    _write(work / _STARTUP, KERNEL_STARTUP.read_bytes())  # the course's, never the student's
    return done


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    work = Path(argv[0]).resolve() if argv else WORK
    if not (EXERCISES.is_dir() and CHAPTERS.is_dir()):
        print(f"workspace: no course at {ROOT} (exercises/ and chapters/ are missing)")
        return 1
    done = sync(work, released_files(book=load_book(run=True)))
    for line in done:
        print(f"workspace: {line}")
    print(f"workspace: {work} is up to date ({len(done)} change(s)); your own edits are kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
