"""What the pages teach is sourced and connected (issue 14).

- no audit id (C1, C56...) and no mention of the private audit in a page or in a string the
  pages display;
- every internal link and ``{ref}`` of a page leads somewhere;
- every problem set links a chapter and is linked from one, and the two link each other;
- every activation of the catalog is presented on a page that derives its derivative with
  SymPy and checks it against finite differences;
- corrected statements are computed (glued), not typed;
- the course stands on its own (issue 19): no page sentence refers to a source document the
  reader does not have ("the text says", "section III", "lost in extraction").
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from pathlib import Path

import jupytext
import pytest

from actbook.catalog.comparison import finite_difference_error
from actbook.catalog.symbolic import CATALOG

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "chapters").glob("*.md"))
PAGES = [*CHAPTERS, ROOT / "intro.md"]
PROBLEM_SETS = sorted(p for p in (ROOT / "solutions").glob("*/*.ipynb"))

#: "C1", "C56, C62", "claims C50–C52": the audit's private claim numbers.
AUDIT_ID = re.compile(r"\bC\d{1,3}\b|(?i:\bclaims?\s+C\d|\baudit\b|claims\.md)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
REF = re.compile(r"\{(ref|numref)\}`(?:[^`<]*<)?([^`>]+)>?`")
LABEL = re.compile(r"^\(([\w-]+)\)=\s*$", re.M)


def code_cells(text: str) -> list[str]:
    return re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S)


def figure_names(text: str) -> set[str]:
    """The names of a page's figures (its code cells' ``mystnb.figure.name`` option)."""
    cells = jupytext.reads(text, fmt="md:myst").cells
    return {n for c in cells if (n := c.metadata.get("mystnb", {}).get("figure", {}).get("name"))}


def prose(text: str) -> str:
    """A page without its code cells and its jupytext header."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"```\{code-cell\}.*?```", "", text, flags=re.S)


def displayed_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that can reach a page (docstrings and comments left out)."""
    tree = ast.parse(path.read_text())
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docs.add(id(body[0].value))
    return [
        (n.lineno, n.value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


# ---------------------------------------------------------------- audit ids


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_audit_id_on_a_page(page):
    hits = [m.group(0) for m in AUDIT_ID.finditer(page.read_text())]
    assert not hits, f"{page.name} shows the private audit: {hits}"


DISPLAYING_MODULES = sorted(
    p
    for sub in ("catalog", "figures", "lab", "pages")
    for p in (ROOT / "src" / "actbook" / sub).glob("*.py")
)


@pytest.mark.parametrize("module", DISPLAYING_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_audit_id_in_a_string_the_pages_display(module):
    hits = [(line, s) for line, s in displayed_strings(module) if AUDIT_ID.search(s)]
    assert not hits, hits


def test_the_audit_id_pattern_catches_what_it_must():
    for text in ("(claims C56, C62)", "**Linearity trap** (C1):", "claims C50–C52", "the audit"):
        assert AUDIT_ID.search(text), text
    for text in ("C^\\infty", "$C^2$", "CIFAR-10", "a 1000-point grid"):
        assert not AUDIT_ID.search(text), text


#: "left"/"right" naming a figure's panels: on a phone the panels stack (site/panels.py), so
#: a caption, alt text or sentence says "first"/"second" instead.
PANEL_SIDE = re.compile(r"\((?:left|right)\)|\b(?:Left|Right)[,:] |; right[,:] |On the right, the")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_caption_places_a_panel_left_or_right(page):
    hits = [m.group(0) for m in PANEL_SIDE.finditer(page.read_text())]
    assert not hits, f"{page.name} places panels left or right: {hits}"


@pytest.mark.parametrize("module", DISPLAYING_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_displayed_string_places_a_panel_left_or_right(module):
    hits = [(line, s) for line, s in displayed_strings(module) if PANEL_SIDE.search(s)]
    assert not hits, hits


def test_the_panel_side_pattern_catches_what_it_must():
    for text in (
        "Mish (left) and its derivative (right)",
        "Two panels. Left, the",
        "; right, the",
        "Left: the plane; right: the loss",
    ):
        assert PANEL_SIDE.search(text), text
    for text in ("decays on the left", "the left branch", "gets right, and", "left symbolic"):
        assert not PANEL_SIDE.search(text), text


# ---------------------------------------------------------------- links


def targets(page: Path) -> list[str]:
    return [t for t in LINK.findall(prose(page.read_text())) if "://" not in t]


def all_labels() -> set[str]:
    labels: set[str] = set()
    for page in PAGES:
        text = page.read_text()
        labels |= set(LABEL.findall(text)) | figure_names(text)
    return labels


def slug(heading: str) -> str:
    """MyST's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {slug(h) for h in re.findall(r"^#{1,4} (.+)$", prose(path.read_text()), re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_internal_link_leads_somewhere(page):
    broken = []
    for target in targets(page):
        file, _, anchor = target.partition("#")
        dest = (page.parent / file).resolve() if file else page
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(target)
    assert not broken, f"{page.name}: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_ref_leads_somewhere(page):
    labels = all_labels()
    missing = [name for _, name in REF.findall(page.read_text()) if name not in labels]
    assert not missing, f"{page.name}: {missing}"


def page_title(path: Path) -> str:
    """The title a page shows: its first level-1 heading."""
    found = re.search(r"^# (.+)$", prose(path.read_text()), re.M)
    return found.group(1).strip() if found else ""


#: A link text this close to its target's title (difflib's ratio, case ignored) is meant as
#: the title ("Mathematical foundations" for "Mathematical foundation") and must be it. Texts
#: that do not name the page ("the [ReLU page](relu.md)", "[below](#anchor)") are far below.
TITLE_LIKE = 0.8
#: A link's text and target in prose: text without brackets, line breaks or math.
PAGE_LINK = re.compile(r"\[([^\]\n$]+)\]\(([^)\s]+\.md)(?:#[^)\s]*)?\)")


def misnamed_links(text: str, where: Path) -> list[str]:
    """Links to course pages whose hand-written text is nearly, but not, the page's title."""
    out = []
    for label, target in PAGE_LINK.findall(text):
        dest = (where.parent / target).resolve()
        if not dest.is_file() or not (title := page_title(dest)):
            continue
        close = difflib.SequenceMatcher(None, label.lower(), title.lower()).ratio()
        if close >= TITLE_LIKE and label.lower() != title.lower():
            out.append(f"[{label}]({target}) names {title!r}")
    return out


@pytest.mark.parametrize("page", [*PAGES, *PROBLEM_SETS], ids=lambda p: p.name)
def test_a_link_that_names_a_course_page_uses_its_title(page):
    text = markdown_of(page) if page.suffix == ".ipynb" else prose(page.read_text())
    assert not misnamed_links(text, page), misnamed_links(text, page)


def test_the_link_title_check_catches_a_near_miss(tmp_path):
    (tmp_path / "f.md").write_text("# Mathematical foundation\n")
    page = tmp_path / "p.md"
    text = (
        "[Mathematical foundations](f.md), [mathematical foundation](f.md#x), [gradient flow](f.md)"
    )
    assert misnamed_links(text, page) == [
        "[Mathematical foundations](f.md) names 'Mathematical foundation'"
    ]


def test_the_link_checks_catch_a_broken_link(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("# A page\n\n[gone](missing.md) and [here](#a-page) and [bad](#nowhere)\n")
    assert targets(page) == ["missing.md", "#a-page", "#nowhere"]
    assert "a-page" in anchors(page) and "nowhere" not in anchors(page)
    assert slug("Symptom 3: slow convergence") == "symptom-3-slow-convergence"


# ---------------------------------------------------------------- problem sets


def pset_links(nb: Path) -> set[str]:
    """Chapters a problem set links, by file name."""
    out = set()
    for c in json.loads(nb.read_text())["cells"]:
        if c["cell_type"] == "markdown":
            out |= {Path(t).name for t in LINK.findall("".join(c["source"])) if "chapters/" in t}
    return out


def chapter_links(page: Path) -> set[str]:
    """Problem sets a chapter links, by assignment id."""
    return {m for m in re.findall(r"exercises/([\w-]+)/", prose(page.read_text()))}


@pytest.mark.parametrize("nb", PROBLEM_SETS, ids=lambda p: p.parent.name)
def test_problem_set_links_a_chapter_and_is_linked_from_one(nb):
    assert pset_links(nb), f"{nb.parent.name} links no chapter"
    linked_from = [p.name for p in CHAPTERS if nb.parent.name in chapter_links(p)]
    linked_from = [n for n in linked_from if n not in ("catalog.md", "exercises.md")]
    assert linked_from, f"{nb.parent.name} is linked from no chapter (but the index)"


#: Chapter -> problem-set links the problem set cannot yet return: solutions/ps01-05 belong to
#: issue 20. Strict: the test fails as soon as the problem set links back, to be removed then.


def pairs() -> list[tuple[str, str]]:
    out = set()
    for nb in PROBLEM_SETS:
        out |= {(chapter, nb.parent.name) for chapter in pset_links(nb)}
    for page in CHAPTERS:
        if page.name not in ("catalog.md", "exercises.md", "summary.md", "instructor_guide.md"):
            out |= {(page.name, ps) for ps in chapter_links(page)}
    return sorted(out)


@pytest.mark.parametrize(
    ("chapter", "pset"),
    [pytest.param(*pair) for pair in pairs()],
)
def test_chapter_and_problem_set_link_each_other(chapter, pset):
    nb = ROOT / "solutions" / pset / f"{pset}.ipynb"
    assert (ROOT / "chapters" / chapter).exists(), chapter
    assert pset in chapter_links(ROOT / "chapters" / chapter), f"{chapter} does not link {pset}"
    assert chapter in pset_links(nb), f"{pset} does not link {chapter}"


# ---------------------------------------------------------------- derivatives


def presenting_pages(name: str) -> list[str]:
    """Chapters whose code derives ``name``'s derivative with SymPy, checks it symbolically
    against the form the page writes (each formula is shown once: the page's numbered
    equation, or SymPy's display) and against finite differences."""
    found = []
    for page in CHAPTERS:
        code = "\n".join(code_cells(page.read_text()))
        derives = re.search(rf"derivative\(\s*[\"']{name}[\"']\s*\)", code)
        checks = re.search(rf"finite_difference_error\(\s*[\"']{name}[\"']", code)
        if derives and checks and ("is_zero(" in code or "display(Math(" in code):
            found.append(page.name)
    return found


@pytest.mark.parametrize("name", list(CATALOG))
def test_every_activation_has_a_page_deriving_and_checking_its_derivative(name):
    assert presenting_pages(name), (
        f"no chapter derives {name}'s derivative with derivative({name!r}), checks it against "
        f"its written form and with finite_difference_error({name!r})"
    )
    assert finite_difference_error(name) < 1e-7


def test_finite_difference_check_catches_a_wrong_derivative(monkeypatch):
    import actbook.catalog.symbolic as symbolic

    wrong = symbolic.CATALOG["sigmoid"].expr * 2
    monkeypatch.setattr(symbolic, "derivative", lambda name: wrong)
    assert finite_difference_error("sigmoid") > 0.1


# ---------------------------------------------------------------- typed numbers

#: Statements that were typed and are now computed: page -> phrases that must not return.
TYPED = {
    "sigmoid.md": ["$z = 17$", "rounds to 2.7%", r"$|z_0| \approx 4$"],
    "gelu.md": ["sits between the two fits", "below $10^{-15}$", "near $-0.75$"],
    "mish.md": ["slope exactly 3/5", "exactly $3/5$", "slope 3/5"],
    "swish.md": ["$0.278/\\beta$", "The text's form"],
    "performance.md": ["lands near the text's"],
    "foundations.md": ["starting with the\n[sigmoid]"],
    "debugging.md": ["multiplies the loss by $2^{16}$"],
}


@pytest.mark.parametrize("page", list(TYPED))
def test_corrected_statements_are_not_typed_again(page):
    text = (ROOT / "chapters" / page).read_text()
    back = [p for p in TYPED[page] if p in text]
    assert not back, back


#: A glued number formatted by a Python format spec in the page ("{glue:text}`x:.1e`" prints
#: 5.8e-15, "`:.2f`" prints -0.28 with a hyphen, "`:.6f`" six digits): the page glues the
#: value written by actbook.figures.tables.fmt instead, and the role has no spec.
FORMAT_SPEC_ROLE = re.compile(
    r"\{glue:text\}`(?:[^`:]*::)?[\w-]+:[+\- #0]*\d*[,_]?(?:\.\d+)?[bdeEfFgGn%]`"
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_glued_number_is_formatted_by_a_python_format_spec(page):
    found = FORMAT_SPEC_ROLE.findall(page.read_text())
    assert not found, f"{page.name}: {len(found)} roles, e.g. {found[:5]}"


def test_the_format_spec_pattern_catches_what_it_must():
    for role in (
        "{glue:text}`a:.1e`",
        "{glue:text}`b_2:+.1f`",
        "{glue:text}`c:g`",
        "{glue:text}`d:,.0f`",
    ):
        assert FORMAT_SPEC_ROLE.search(role), role
    for role in ("{glue:text}`a`", "{glue:md}`b`", "{glue:text}`doc::c`"):
        assert not FORMAT_SPEC_ROLE.search(role), role


#: A count typed next to what it counts ("Six of them", "seven mistakes"): glue the count of
#: the list instead (tables.number_word(len(...))).
TYPED_COUNT = re.compile(
    r"\b(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?:of\s+them\b|mistakes\b|tanh\s+layers\b)|\bafter\s+(?:six|seven)\b"
)


def test_the_mistakes_page_counts_its_list():
    """Every count of chapters/mistakes.md comes from ``pages.mistakes.MISTAKES``: the list is
    the page's sections, a mistake counts as made on purpose when its section runs code, and
    the prose types no count of them."""
    from actbook.pages.mistakes import MISTAKES

    text = (ROOT / "chapters" / "mistakes.md").read_text()
    sections = re.split(r"^## (.+)$", text, flags=re.M)[1:]
    runs_code = {
        slug(title): "```{code-cell}" in body
        for title, body in zip(sections[::2], sections[1::2], strict=True)
    }
    runs_code.pop("practise")
    assert [m.section for m in MISTAKES] == list(runs_code), "the list is the page's sections"
    assert {m.section: m.demonstrated for m in MISTAKES} == runs_code
    assert "{glue:text}`n_mistakes`" in text and "{glue:text}`n_demonstrated`" in text
    typed = [m.group(0) for m in TYPED_COUNT.finditer(prose(text))]
    assert not typed, typed


def test_the_typed_count_pattern_catches_what_it_must():
    for text in ("Six of them can be", "Seven mistakes come up", "Six tanh layers", "after six."):
        assert TYPED_COUNT.search(text), text
    for text in ("{glue:text}`n_demonstrated` of them", "the two steps", "sixty of them"):
        assert not TYPED_COUNT.search(text), text


@pytest.mark.parametrize("page", ["gelu.md", "swish.md", "mish.md"])
def test_no_derivative_is_called_the_texts_where_the_text_gives_none(page):
    assert "text's form" not in (ROOT / "chapters" / page).read_text()


# ---------------------------------------------------------------- demonstrations that must hold


@pytest.mark.slow
def test_the_overfitting_demonstration_overfits_and_weight_decay_cures_it():
    from actbook.pages.debugging import overfitting_demo

    plain = overfitting_demo(("relu",), seeds=range(1))["relu"]
    cured = overfitting_demo(("relu",), seeds=range(1), weight_decay=3e-3)["relu"]
    assert plain["gap"] > 0.05, plain
    assert cured["gap"] < plain["gap"] - 0.05 and cured["test"] > plain["test"], (plain, cured)


def test_noisy_spirals_have_the_announced_share_of_wrong_labels():
    from actbook.lab.datasets import spirals
    from actbook.pages.debugging import noisy_spirals

    X, y = noisy_spirals()
    X0, y0 = spirals(n_per_class=50, seed=0)
    assert (X == X0).all()
    assert 0.15 < (y != y0).mean() < 0.35


def test_selection_cost_columns_say_what_to_do_without_measurements():
    from actbook.pages import selection

    table = selection.comparison_table(None)
    assert "nan" not in table.lower() and "make bench" in table
    page = (ROOT / "chapters" / "selection.md").read_text()
    assert "{glue:text}`cost_" not in page  # cost sentences are glued as text that can say so


# ---------------------------------------------------------------- a course that stands on its own

#: Phrases that point at a document the reader never sees: the text the course was made from,
#: its numbered sections, its extraction. A corrected claim is stated as a common claim instead.
UNSEEN_SOURCE = re.compile(
    r"\b(?i:the)\s+text\b(?!book)"  # "the text says", "the text's 18%"
    r"|\b(?i:the)\s+(?:source|original|seed)(?:\s+(?:text|page|article|document))?\b"
    r"(?!\s+(?:code|file|paper|tree|of\b))"
    r"|\b(?i:sections?)\s+(?:[IVX]+)\b(?:\.\d)?"  # "section III", "sections III and V"
    r"|(?i:\bin\s+(?:the\s+)?extraction\b|\bgarbled\b|\bthe\s+author\b)"
    r"|\b(?i:text)(?:'|’)s\b|\[(?i:text):"  # a table's "text's cost" column, "[text: 'Medium']"
)


def unseen_source_sentences(text: str) -> list[str]:
    """Each place where ``text`` refers to an unseen source, with some words around it (a
    phrase may span a line break)."""
    return [
        " ".join(text[max(m.start() - 60, 0) : m.end() + 20].split())
        for m in UNSEEN_SOURCE.finditer(text)
    ]


def markdown_of(nb: Path) -> str:
    cells = json.loads(nb.read_text())["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def readable(text: str) -> str:
    """What a reader reads of a page: its prose, and the captions and alt texts of its cells."""
    # a figure option as a `:caption:` line or in jupytext's YAML block
    shown = re.findall(r"^(?::|\s)\s*(?:caption|alt):(.*)$", text, re.M)
    return "\n".join([prose(text), *shown])


#: What a reader, a student or a visitor of the public edition reads.
READ = [*PAGES, ROOT / "README.md", ROOT / "edition" / "README.md"]


@pytest.mark.parametrize("page", READ, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_sentence_assumes_an_unseen_source(page):
    hits = unseen_source_sentences(readable(page.read_text()))
    assert not hits, f"{page.name} refers to a document the reader does not have: {hits}"


def code_strings(text: str) -> list[str]:
    """The string literals of a page's code cells: what its code prints or draws."""
    out = []
    for cell in re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, flags=re.S):
        body = re.sub(r"\A---\n.*?\n---\n", "", cell, flags=re.S)  # the cell's options
        body = "\n".join(line for line in body.splitlines() if not line.startswith(("%", ":")))
        tree = ast.parse(body)
        out += [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
    return out


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_printed_string_assumes_an_unseen_source(page):
    hits = [s for s in code_strings(page.read_text()) if UNSEEN_SOURCE.search(s)]
    assert not hits, f"{page.name} prints a reference to a document the reader lacks: {hits}"


@pytest.mark.parametrize("nb", PROBLEM_SETS, ids=lambda p: p.parent.name)
def test_no_problem_set_sentence_assumes_an_unseen_source(nb):
    hits = unseen_source_sentences(markdown_of(nb))
    assert not hits, f"{nb.parent.name} refers to a document the reader does not have: {hits}"


@pytest.mark.parametrize("module", DISPLAYING_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_displayed_string_assumes_an_unseen_source(module):
    hits = [(line, s) for line, s in displayed_strings(module) if UNSEEN_SOURCE.search(s)]
    assert not hits, hits


def test_the_unseen_source_pattern_catches_what_it_must():
    for text in (
        "The text says softmax is only for the output layer.",
        "the text's 18% is right",
        "The threshold was lost in extraction; computed, it is 2.65.",
        "The text's sentence is garbled: Leaky ReLU does output negative values.",
        "is the\n  text's forecast, not a measured trend.",
        "section III says 20–40%",
        "sections III and V say",
        "the order of the text's section II.2",
        "as the source text puts it",
        "the original article lists three",
        "The author calls Mish unbounded.",
        "Softmax here is a common mistake (section V).",
        "| activation | formula | range | text's cost |",
        "Costs at least a sigmoid [text: 'Medium' vs sigmoid 'High']",
    ):
        assert UNSEEN_SOURCE.search(text), text
    for text in (
        "{glue:text}`pct5:.2f`%: 18% is right",
        "the textbook formula overflows",
        "relative accuracy is lost",
        "The original paper, {cite:t}`xu2015empirical`, writes",
        "A common claim is that ReLU is ~6× faster; in fact",
        "the source code of the library",
        "Section 3 of the paper",
    ):
        assert not UNSEEN_SOURCE.search(text), text
