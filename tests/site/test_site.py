"""The website as a reader meets it, in a real browser (Debian's Chromium through Playwright).

Every page of ``_toc.yml`` is opened once, from a plain static file server, with the network
cut off, and audited (:func:`actbook.site.audit.audit_page`): it must be self-contained, free of
console errors, with typeset math, loading images with alt text, controls that do something,
no serious axe-core violation, legible figures in dark mode. Screenshots (light and dark) go to
``_build/screenshots/`` for a reviewer.

The tests build the book with ``make book`` (fixture ``built_site``). To check an existing build
instead, point ``ACTBOOK_SITE`` at its ``html`` folder.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import snowballstemmer
import yaml
from bs4 import BeautifulSoup

from actbook.course import release
from actbook.site import audit as site_check
from actbook.site import instructor_build
from actbook.site.audit import PageReport

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]
ROOT = Path(__file__).resolve().parents[2]
PAGES = site_check.toc_pages(ROOT)
NOTEBOOK_PAGES = [f + ".html" for f in site_check.toc_files(ROOT) if site_check.is_notebook(f)]
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]{2,}")
STEM = snowballstemmer.stemmer("porter").stemWord  # what Sphinx's English search index uses


@pytest.fixture(scope="module")
def site(request) -> Path:
    env = os.environ.get("ACTBOOK_SITE")
    return Path(env).resolve() if env else request.getfixturevalue("built_site")


@pytest.fixture(scope="module")
def chromium():
    try:
        with site_check.browser() as b:
            yield b
    except site_check.BrowserMissing as e:  # one line, not a Playwright trace
        pytest.skip(str(e))


@pytest.fixture(scope="module")
def served(site):
    with site_check.serve(site) as srv:
        yield srv


@pytest.fixture(scope="module")
def audit(site, chromium, served):
    """Audit each page once (lazily) and keep the report for every test that asks."""
    reports: dict[str, PageReport] = {}
    shots = site.parent / "screenshots"

    def get(page: str) -> PageReport:
        if page not in reports:
            seen = len(served.failures)
            report = site_check.audit_page(chromium, served.url, page, screenshots=shots)
            # what the server could not answer (the browser does not report a favicon miss)
            report.failed_requests += [f"server: {f}" for f in served.failures[seen:]]
            reports[page] = report
        return reports[page]

    return get


# ----------------------------------------------------------------------------- every page
@pytest.mark.parametrize("page", PAGES)
def test_page_is_self_contained(audit, page):
    r = audit(page)
    assert not r.external_requests, f"{page} asks other hosts: {r.external_requests}"
    assert not r.failed_requests, f"{page}: {r.failed_requests}"


@pytest.mark.parametrize("page", PAGES)
def test_page_has_no_console_errors(audit, page):
    assert not audit(page).console_errors


@pytest.mark.parametrize("page", PAGES)
def test_math_is_typeset(audit, site, page):
    r = audit(page)
    assert not r.raw_tex, f"raw TeX left in the text of {page}: {r.raw_tex}"
    assert not r.math_untypeset, f"math MathJax did not typeset on {page}: {r.math_untypeset}"
    html = (site / page).read_text()
    if re.search(r'class="math notranslate|class="output text_latex', html):
        assert r.math_sources > 0, f"{page} has math in its HTML but none was found in the page"


@pytest.mark.parametrize("page", PAGES)
def test_images_load_and_have_alt_text(audit, page):
    r = audit(page)
    assert not r.broken_images, f"images that do not load on {page}: {r.broken_images}"
    assert not r.images_without_alt, f"images without alt text on {page}: {r.images_without_alt}"


@pytest.mark.parametrize("page", PAGES)
def test_interactive_figures_respond(audit, site, page):
    r = audit(page)
    expected = (site / page).read_text().count('class="actbook-interactive"')
    assert len(r.interactive) == expected, "every precomputed control was moved"
    for fig in r.interactive:
        assert fig["frame_changed"], f"moving control {fig['index']} kept the same frame: {fig}"
        assert fig["label_changed"], f"the value shown next to control {fig['index']} is stale"
        assert fig["pixels_changed"], f"control {fig['index']} moved but the figure looks the same"


@pytest.mark.parametrize("page", PAGES)
def test_no_control_looks_live_but_does_nothing(audit, page):
    r = audit(page)
    assert not r.dead_controls, f"controls on {page} that change nothing: {r.dead_controls}"
    assert r.theme_controls > 0, "the theme's controls were found (the classification works)"


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violation(audit, page):
    assert not audit(page).axe_serious


@pytest.mark.parametrize("page", PAGES)
def test_dark_mode_keeps_figures_legible(audit, page):
    r = audit(page)
    assert r.dark_theme == "dark", "the site follows the reader's dark system setting"
    # The figures are drawn on white: on a dark page they must stay light cards (a figure
    # whose background went dark would measure far below 150 of 255).
    dim = [round(v) for v in r.dark_figure_luminance if v < 150]
    assert not dim, f"figures of {page} turned dark in dark mode (mean luminance {dim})"


@pytest.mark.parametrize("page", PAGES)
def test_screenshots_are_written(audit, page):
    shots = audit(page).screenshots
    assert {p.name.rsplit("-", 1)[-1] for p in shots} >= {"light.png", "dark.png"}
    assert all(p.stat().st_size > 5_000 for p in shots), "a blank screenshot"


# ----------------------------------------------------------------------------- how it reads
@pytest.mark.parametrize("page", PAGES)
def test_nothing_is_cut_off_on_a_phone_or_a_desktop(audit, page):
    """No element wider than the viewport, none clipped, no sideways page scroll at 390 and
    1400 px; what scrolls in its own box (long display equations) shows that it does."""
    r = audit(page)
    for width in site_check.READING_WIDTHS:
        assert not r.overflow[width], f"{page} at {width} px: {r.overflow[width][:8]}"
        assert not r.no_scroll_cue[width], f"{page} at {width} px: {r.no_scroll_cue[width][:8]}"


@pytest.mark.parametrize("page", PAGES)
def test_every_table_row_has_the_header_s_cells(audit, page):
    assert not audit(page).ragged_tables


@pytest.mark.parametrize("page", PAGES)
def test_outputs_are_written_for_people(audit, page):
    """No Python or SymPy repr in what a reader sees (the rule: audit.reader_reprs)."""
    reprs = audit(page).reprs
    assert not reprs, f"{page}: {len(reprs)} outputs with reprs, e.g. {reprs[:6]}"


@pytest.mark.parametrize("page", PAGES)
def test_numbers_in_prose_are_written_for_people(audit, page):
    """No e-notation, no hyphen for a minus, at most 4 significant digits in what a reader
    reads as text (the rule: audit.prose_numbers; the one formatter: tables.fmt)."""
    found = audit(page).prose_numbers
    assert not found, f"{page}: {len(found)} lines, e.g. {found[:6]}"


@pytest.mark.parametrize("page", PAGES)
def test_figure_text_is_legible_at_1400_px(audit, page):
    """Every figure's smallest text, as shown on a 1400 px window, is at least 9 px: its font
    size in the PNG (recorded by the library when it drew the figure) times the scale at which
    the page shows the PNG."""
    from actbook.figures.plotting import PNG_MIN_TEXT_PX

    small = []
    for fig in audit(page).figures:
        if fig.src.startswith("data:image/svg") or fig.src.endswith(".svg"):
            continue  # vector: scales with the page
        assert PNG_MIN_TEXT_PX in fig.meta, f"{fig.src}: a figure not drawn by actbook.figures"
        shown = float(fig.meta[PNG_MIN_TEXT_PX]) * fig.scale
        if shown < site_check.MIN_FIGURE_TEXT_PX:
            small.append(f"{fig.src[:40]}… text {shown:.1f} px (PNG {fig.natural_width} px shown"
                         f" at {fig.shown_width:.0f} px)")  # fmt: skip
    assert not small, f"{page}: {small}"


@pytest.mark.parametrize("page", PAGES)
def test_figures_fit_a_phone_and_stay_readable(audit, page):
    """At 390 px no figure scrolls sideways (a multi-panel figure stacks its panels instead)
    and every figure's smallest text, a panel's or a one-panel figure's, is at least
    MIN_PHONE_FIGURE_TEXT_PX tall, computed as at 1400 px (audit.MIN_PHONE_FIGURE_TEXT_PX
    says why 7 px; plotting.PANEL_WIDTH is the width that keeps a one-panel figure there)."""
    figures = audit(page).phone_figures
    scrolling = [f"{f.src[:40]}… shown {f.shown_width:.0f} px" for f in figures if f.scrolls]
    assert not scrolling, f"{page} at 390 px: figures that scroll sideways: {scrolling}"
    small = [
        f"{'panel' if f.panel else 'figure'} {f.src[:40]}… text {f.text_px():.1f} px (PNG"
        f" {f.natural_width} px shown at {f.shown_width:.0f} px)"
        for f in figures
        if f.text_px() is not None and f.text_px() < site_check.MIN_PHONE_FIGURE_TEXT_PX
    ]
    assert not small, f"{page} at 390 px: {small}"


def test_each_activation_has_one_colour_on_every_figure(audit):
    """Across every figure of the site, an activation is drawn in its catalog colour only."""
    from actbook.catalog.appearance import COLORS, TITLES
    from actbook.figures.plotting import PNG_ACTIVATIONS

    seen: dict[str, dict[str, list[str]]] = {}
    for page in PAGES:
        for fig in audit(page).figures:
            for name, colours in json.loads(fig.meta.get(PNG_ACTIVATIONS, "{}")).items():
                for c in colours:
                    seen.setdefault(name, {}).setdefault(c, []).append(page)
    assert seen, "the figures record which activations they draw"
    wrong = {
        TITLES[n]: {c: sorted(set(p))[:3] for c, p in by.items() if c != COLORS[n]}
        for n, by in seen.items()
        if set(by) != {COLORS[n]}
    }
    assert not wrong, f"activations drawn in another colour than the catalog's: {wrong}"


#: Lines of code a reader sees per page: the budget. Code is shown where it is the lesson (a
#: derivation, an experiment's core); plumbing lives in the library or in hidden cells. The
#: exercises are code by nature and are not budgeted.
CODE_BUDGET_DEFAULT = 35
CODE_BUDGET: dict[str, int] = {
    "chapters/foundations.html": 70,  # the derivations of backpropagation, in SymPy
    "chapters/softmax.html": 80,  # the Jacobian, the log-sum-exp trick, temperature
    "chapters/relu.html": 50,
}


@pytest.mark.parametrize("page", PAGES)
def test_no_cell_is_hidden_whole(audit, page):
    """A "Show code cell content" toggle hides a cell's code AND its output: the reader sees a
    bare toggle. Plumbing hides its input only (its output is the point) or is removed."""
    assert not audit(page).hidden_cells, f"{page}: {audit(page).hidden_cells} cells hidden whole"


@pytest.mark.parametrize("page", PAGES)
def test_code_lines_fit_their_box_on_a_desktop(audit, page):
    """At 1400 px no visible code box (a cell's input, a code block) is wider inside than
    outside: a reader never scrolls sideways within a cell to read a line (the rule:
    audit.CODE_FIT_WIDTH, CODE_BOXES). On a phone code may scroll."""
    r = audit(page)
    assert not r.wide_code, f"{page}: {r.wide_code_lines} lines wider than their box: {r.wide_code}"


def test_visible_code_stays_within_its_budget(audit, site):
    counts = {page: audit(page).code_lines for page in PAGES}
    wide = {page: audit(page).wide_code_lines for page in PAGES}
    report = site.parent / "reading-report.json"
    report.write_text(
        json.dumps({"visible_code_lines": counts, "code_lines_wider_than_box": wide}, indent=1)
    )
    print("visible code lines per page:", json.dumps(counts, indent=1), sep="\n")
    over = {
        p: n
        for p, n in counts.items()
        if not p.startswith("exercises/") and n > CODE_BUDGET.get(p, CODE_BUDGET_DEFAULT)
    }
    assert not over, f"pages over their code budget: {over}"


# ----------------------------------------------------------------------------- the site
def test_search_works_offline(chromium, served, site):
    """The search page runs from the site's own index and scripts."""
    title = BeautifulSoup((site / PAGES[1]).read_text(), "html.parser").h1.get_text()
    word = max(WORD.findall(title), key=len)
    ctx = chromium.new_context()
    ctx.route("**/*", lambda r: r.continue_() if site_check.is_local(r.request.url) else r.abort())
    try:
        page = ctx.new_page()
        page.goto(f"{served.url}search.html?q={word}")
        page.wait_for_selector("ul.search li", timeout=15_000)
        hits = page.locator("ul.search li a").evaluate_all("els => els.map(e => e.href)")
    finally:
        ctx.close()
    assert any(PAGES[1] in h for h in hits), f"searching {word!r} does not find {PAGES[1]}"


@pytest.mark.parametrize("page", NOTEBOOK_PAGES)
def test_notebook_download_and_launch_links(site, page):
    """Each chapter and exercise offers its notebook, and the launch links of _config.yml when
    a public repository is configured there (none otherwise)."""
    soup = BeautifulSoup((site / page).read_text(), "html.parser")
    downloads = [a["href"] for a in soup.select(".dropdown-download-buttons a[href]")]
    ipynb = [h for h in downloads if h.endswith(".ipynb")]
    assert ipynb, (
        f"{page} offers no .ipynb download (for a .md notebook the theme writes it only when"
        " a launch button is configured in _config.yml)"
    )
    for href in downloads:
        if href.endswith((".ipynb", ".md")):
            target = (site / page).parent / href
            assert target.is_file(), f"the download {href} of {page} is not in the build"
    nb = json.loads(((site / page).parent / ipynb[0]).read_text())
    assert nb["cells"], "the downloaded notebook has cells"

    urls = site_check.launch_urls(ROOT)
    launch = soup.select(".dropdown-launch-buttons a[href]")
    if not site_check.public_repository(ROOT):
        assert not launch and not urls, f"{page} has launch links but no public repository"
    for key, base in urls.items():
        hits = [a for a in launch if a["href"].startswith(base)]
        assert hits, f"{page} has no {key} launch link to {base}"
    # links only, never a script or a fetch: the audit records any request to these hosts
    assert not soup.select(".dropdown-launch-buttons script, .dropdown-launch-buttons iframe")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _index_terms(searchindex: Path) -> set[str]:
    text = searchindex.read_text()
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return set(index["terms"]) | set(index["titleterms"])


def _secret_only_stems(site: Path) -> dict[str, set[str]]:
    """Per assignment, the word stems that occur in its solutions and hidden tests and nowhere
    in what the site is made from: the toc's sources, the library and benchmark results the
    pages print from, and the executed notebooks with their glued values."""
    from tests.course.test_assignments import secret_lines

    made_from = [site_check.source_of(f, ROOT) for f in site_check.toc_files(ROOT)]
    made_from += [*(ROOT / "src" / "actbook").rglob("*.py"), *(ROOT / "benchmarks").glob("*.json")]
    made_from += [ROOT / "references.bib"]  # the bibliography page prints it
    made_from += [*(site.parent / "jupyter_execute").rglob("*.*")]
    public: set[str] = set()
    for path in made_from:
        if path.suffix in (".md", ".ipynb", ".py", ".json", ".bib"):
            public |= _words(path.read_text(errors="ignore"))
    public_stems = {STEM(w) for w in public}
    out = {}
    for aid in release.assignments():
        words = set().union(*(_words(line) for line in secret_lines(aid)))
        out[aid] = {STEM(w) for w in words} - public_stems
    return out


def test_search_index_holds_no_solution(site):
    text = (site / "searchindex.js").read_text()
    assert '"solutions/' not in text, "a solutions/ page was indexed"
    terms = _index_terms(site / "searchindex.js")
    secret = _secret_only_stems(site)
    # An assignment whose hidden tests are all numbers (the battery) and whose solutions are the
    # catalog's own code has no word of its own; the check stays able to fail on the others.
    assert any(secret.values()), "no word is unique to any solution: the check would be blind"
    for aid, stems in secret.items():
        leaked = sorted(stems & terms)
        assert not leaked, f"words only the solutions of {aid} use are searchable: {leaked}"


def test_only_pages_of_the_toc_are_published(site):
    """A page dropped from the table of contents (the instructor guide, once) must not stay
    published from an earlier build: `make book` starts from an empty html folder."""
    sphinx_own = {"index.html", "genindex.html", "search.html", "py-modindex.html"}
    published = {str(p.relative_to(site)) for p in site.rglob("*.html")}
    published = {p for p in published if not p.startswith("_")} - sphinx_own
    assert published <= set(PAGES), sorted(published - set(PAGES))


def _tree_digest(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_instructor_build_has_solutions_and_leaves_student_site_alone(site, tmp_path):
    """``make book-instructor`` shows the solutions, to a separate folder only."""
    from tests.course.test_assignments import secret_lines

    before = _tree_digest(site)
    out = instructor_build.build(tmp_path / "instructor" / "html")
    assert _tree_digest(site) == before, "the instructor build changed the student site"

    terms = _index_terms(out / "searchindex.js")
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    released = instructor_build.instructor_toc(toc, release.assignments())[1]
    assert released, "the toc lists at least one exercise with its solutions/ notebook"
    secret_stems = _secret_only_stems(site)
    found_in_index = set()
    for aid in released:
        stems = secret_stems[aid]
        page = out / "solutions" / aid / f"{aid}.html"
        assert page.is_file(), f"the instructor edition lacks the solutions of {aid}"
        # the text as read (the HTML splits highlighted code into spans)
        text = BeautifulSoup(page.read_text(), "html.parser").get_text()
        assert "BEGIN HIDDEN TESTS" in text
        shown = [line for line in secret_lines(aid) if line in text]
        assert len(shown) > len(secret_lines(aid)) // 2, "the solution lines are shown"
        found_in_index |= stems & terms
    # The student index check is not blind: the same words are found here. (Sphinx indexes
    # prose, not code, so only assignments with written answers can show it.)
    assert found_in_index, "the instructor index holds no solution word of any assignment"
    assert instructor_build.BANNER in (out / PAGES[0]).read_text(), "the edition says what it is"
    assert not (site / "solutions").exists()


# ----------------------------------------------------------------------------- the checker
BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>broken</title>
<link rel="icon" href="data:,"></head><body><article class="bd-article">
<p>Raw: $$\\frac{1}{2}$$</p>
<img src="https://example.org/remote.png" alt="remote">
<img src="missing.png">
<button id="dead">Press me</button>
<figure class="actbook-interactive"><img src="data:image/png;base64,{png}" alt="a">
<figcaption><label>p <input type="range" min="0" max="2" value="0"></label></figcaption></figure>
<script>undefinedFunction()</script>
<div id="scrolled" style="overflow-x:auto;width:100px">
<img src="data:image/png;base64,{png}" alt="a figure wider than its box" style="width:300px"></div>
<div id="wide" style="width:2000px">wide</div>
<div id="clip" style="overflow:hidden;width:100px"><span style="display:inline-block;width:300px">
clipped</span></div>
<div id="nocue" style="overflow-x:auto;width:100px;scrollbar-width:none">
<span style="display:inline-block;width:300px">scrolls</span></div>
<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td><td>3</td></tr>
</tbody></table>
<div class="cell_input"><pre>a = 1
b = 2</pre></div>
<div class="cell_input"><pre style="overflow-x:auto">x = 1
y = {wide}</pre></div>
<p>A difference of 5.8e-15.</p><ul><li>below -0.28</li></ul>
<details><summary>Worked answer</summary><p>minimum −0.308843</p></details>
<details><summary>Show code cell content</summary><pre>x = 1</pre></details>
<div class="cell_output"><pre>range: (-1.7581, oo)
equals max(0, z): True</pre></div>
<span class="actbook-panels">
<img src="data:image/png;base64,{png}" alt="tiny" style="width:30px"></span>
</article></body></html>"""


def test_the_audit_catches_each_defect(chromium, tmp_path):
    """A page with one defect of each kind: the audit must report every one (no blind test)."""
    import base64

    from matplotlib.figure import Figure

    from actbook.figures.widgets import render_png

    fig = Figure(figsize=(1, 1))
    fig.subplots().set_title("t")
    png = base64.b64encode(render_png(fig)).decode()
    page = BROKEN_PAGE.replace("{png}", png).replace("{wide}", "[" + "1.5, " * 200 + "]")
    (tmp_path / "broken.html").write_text(page)
    with site_check.serve(tmp_path) as srv:
        r = site_check.audit_page(chromium, srv.url, "broken.html")
        assert set(srv.failures) == {"404 /missing.png"}
    assert set(r.external_requests) == {"https://example.org/remote.png"}
    assert any("undefinedFunction" in e for e in r.console_errors)
    assert "$$" in r.raw_tex and "\\frac" in r.raw_tex
    assert len(r.broken_images) == 2 and len(r.images_without_alt) == 1
    assert any('id="dead"' in d for d in r.dead_controls)
    assert r.interactive and not r.interactive[0]["frame_changed"]
    assert r.axe_serious, "axe finds the unlabelled range input and the empty alt"
    for width in site_check.READING_WIDTHS:
        found = " ".join(r.overflow[width])
        assert "the page scrolls sideways" in found and "div spans" in found and "clips" in found
        assert any("scrolls with no visible cue" in c for c in r.no_scroll_cue[width])
    assert len(r.ragged_tables) == 1 and "has a row of 3" in r.ragged_tables[0]
    assert len(r.reprs) == 2, r.reprs
    assert r.code_lines == 4
    assert len(r.wide_code) == 1 and r.wide_code_lines == 1, r.wide_code  # y = [...], not x
    assert len(r.prose_numbers) == 3, r.prose_numbers  # and not the outputs' -1.7581
    assert r.hidden_cells == 1
    from actbook.figures.plotting import PNG_MIN_TEXT_PX

    tiny = [f for f in r.figures if f.shown_width < 40]
    assert tiny and float(tiny[0].meta[PNG_MIN_TEXT_PX]) * tiny[0].scale < 9
    phone = {f.shown_width: f for f in r.phone_figures}
    assert phone[300].scrolls and not phone[30].scrolls, "a figure in a scrolling box, at 390 px"
    assert phone[30].panel and phone[30].text_px() < site_check.MIN_PHONE_FIGURE_TEXT_PX
