"""`make lab` as a student meets it: a real JupyterLab server on a fresh work folder, driven
by Chromium. One server and one page for the module (the tests run in order on it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actbook.course import workspace
from actbook.site import audit as site_check
from actbook.site import lab as L

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("lab")]

ROOT = Path(__file__).resolve().parents[2]
RAW_MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|:::\{|```\{|^\([\w:-]+\)=|\$\$ \(", re.M)
CHAPTERS = sorted(
    p.name for p in (ROOT / "chapters").glob("*.md") if p.stem not in workspace.STAFF_ONLY
)
#: A short chapter that runs in seconds: the one run top to bottom here.
RUN_CHAPTER = "summary.md"
#: At most this many lines for a failing check.
MAX_LINES = 3


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    with L.serve(tmp / "work", tmp / "lab.log") as server:
        yield server


@pytest.fixture(scope="module")
def page(lab):
    with site_check.browser() as b:
        p = b.new_page(viewport={"width": 1400, "height": 1000})
        L.open_lab(p, lab)
        yield p


def test_make_lab_opens_the_exercises_beside_the_chapters(lab, page):
    root = {c["name"] for c in lab.api("contents")["content"]}
    assert {"exercises", "chapters"} <= root
    # The exercises are what a student sees first.
    assert page.locator(".jp-BreadCrumbs").inner_text().strip("/ ").endswith("exercises")
    assert {"ps01-classic", "ps06-questions"} <= set(L.listing(page))
    L.go_to_folder(page, "chapters")
    assert set(CHAPTERS) <= set(L.listing(page))
    assert "instructor_guide.md" not in L.listing(page)


def test_students_see_student_tools_only(lab, page):
    # nbgrader's menu holds only instructor tools and the exchange's lists: not shown.
    menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
    assert "Nbgrader" not in menus and "File" in menus, menus
    assert lab.status("formgrader") == 404
    assert page.locator(".lm-TabBar-tab[title*='Create Assignment']").count() == 0


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_chapter_opens_as_a_notebook_and_shows_no_raw_myst(lab, page, name):
    L.dismiss_dialogs(page)  # e.g. the previous chapter's kernel, shut down under it
    L.go_to_folder(page, "chapters")
    L.double_click(page, name)  # the default viewer of a .md chapter is the notebook
    L.wait_until_rendered(page)
    text = "\n".join(
        page.locator(f"{L.PANEL} .jp-MarkdownCell .jp-RenderedMarkdown").all_inner_texts()
    )
    assert len(text) > 200
    raw = [m.group(0) for m in RAW_MYST.finditer(text)]
    assert not raw, f"{name} shows raw MyST: {raw[:5]}"
    # a clean clone, no book build: make lab ran the chapter for the values its text states
    missing = re.findall(r"«[\w.-]+»", text)
    assert not missing, f"{name} shows placeholders for its values: {missing[:5]}"
    L.close_current_tab(page)
    lab.stop_kernels()


def test_a_chapter_runs_all_cells_and_saving_it_unchanged_changes_no_byte(lab, page):
    path = lab.work / "chapters" / RUN_CHAPTER
    before = path.read_bytes()
    L.go_to_folder(page, "chapters")
    L.double_click(page, RUN_CHAPTER)
    L.wait_until_rendered(page)
    L.wait_kernel(page)
    page.wait_for_timeout(1000)  # the kernel's info reaches the notebook's metadata
    # opened, nothing changed: the tab is not marked unsaved (it was: the kernel's language_info)
    assert page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty").count() == 0
    L.run_all(page)
    code = page.locator(f"{L.PANEL} .jp-CodeCell")
    assert code.count() > 0
    errors = page.locator(
        f"{L.PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert "Error" not in "\n".join(errors.all_inner_texts())
    prompts = page.locator(f"{L.PANEL} .jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
    assert all(re.fullmatch(r"\[\d+\]:", p.strip()) for p in prompts), prompts
    # Outputs are not part of a text notebook: saving the run chapter leaves its text as it was.
    page.keyboard.press("Control+s")
    page.wait_for_timeout(2000)
    assert path.read_bytes() == before
    # JupyterLab shows Validate on every notebook: on a chapter it answers in one line
    page.locator(f"{L.PANEL} .jp-Toolbar").get_by_text("Validate").click()
    said = page.locator(".jp-Dialog").inner_text(timeout=60_000)
    assert f"chapters/{RUN_CHAPTER} is a chapter, not a problem set" in said, said
    lines = [line for line in said.splitlines() if line.strip()]  # title, message, Ok
    assert "Traceback" not in said and len(lines) <= 4, said
    L.dismiss_dialogs(page)
    L.close_current_tab(page)
    lab.stop_kernels()


def test_feedback_fits_on_one_screen_and_the_summary_lists_each_part(lab, page):
    L.go_to_folder(page, "exercises/ps01-classic")
    L.double_click(page, "ps01-classic.ipynb")
    L.wait_until_rendered(page)
    L.wait_kernel(page)
    assert page.locator(f"{L.PANEL} .jp-Toolbar").get_by_text("Validate").count() == 1
    # a fresh kernel (the next day, a restart): a test run before the notebook's imports
    first = L.run_cell(page, 4).strip().splitlines()
    assert first == [
        "NameError: `expect_close` is not defined yet: run the cells above this one first "
        "(Run \u2192 Run All Above Selected Cell), then this one."
    ], first
    assert "Run All Above Selected Cell" in L.menu_items(page, "Run")
    L.run_cell(page, 1)  # the imports
    before = L.run_cell(page, 4)  # the test of linear, before its function's cell
    assert (
        before.strip()
        .splitlines()[-1]
        .startswith("NameError: `linear` is not defined yet: run the cell")
    )
    assert len(before.strip().splitlines()) <= MAX_LINES
    unwritten = L.run_cell(page, 3) + L.run_cell(page, 4)
    assert "`linear` is not implemented yet" in unwritten.strip().splitlines()[-1]
    assert len(unwritten.strip().splitlines()) <= MAX_LINES
    L.set_source(
        page,
        6,
        "def sigmoid(z):\n    return np.asarray(z, dtype=float) * 0.0\n\n\n"
        "def sigmoid_grad(z):\n    return 0.25 + 0.0 * np.asarray(z, dtype=float)\n",
    )
    L.run_cell(page, 6)
    wrong = L.run_cell(page, 7).strip().splitlines()
    assert len(wrong) <= MAX_LINES, wrong
    assert wrong[-1] == "Test failed: sigmoid(0): expected 0.5, got 0.0"
    L.set_source(
        page,
        3,
        "def linear(z, m=1.0):\n    return m * np.asarray(z, dtype=float)\n\n\n"
        "def linear_grad(z, m=1.0):\n    z = np.asarray(z, dtype=float)\n"
        "    return np.where(np.isnan(z), np.nan, m * np.ones_like(z))\n",
    )
    L.run_cell(page, 3)
    assert L.run_cell(page, 4).strip() == "\u2714 passed"
    page.keyboard.press("Control+s")
    last = L.cells(page).count() - 1
    table = L.run_cell(page, last).strip().splitlines()
    rows = {line.split()[0]: line for line in table[1:-1]}
    assert set(rows) == {
        "test-linear",
        "test-sigmoid",
        "test-sigmoid-grad",
        "test-tanh",
        "test-tanh-grad",
    }
    assert rows["test-linear"].split()[1:3] == ["2", "pass"]
    assert rows["test-sigmoid"].split()[1:3] == ["3", "FAIL:"]
    assert "not defined yet" in rows["test-tanh"]
    assert table[-1].startswith("Visible tests pass for 2 of 12 auto-graded points")
    L.close_current_tab(page)
    lab.stop_kernels()


def test_a_slider_updates_its_figure(lab, page):
    out = L.run_scratch(
        page,
        lab,
        "explore.ipynb",
        "import ipywidgets.widgets.widget as w\nprint('echo', w.JUPYTER_WIDGETS_ECHO)\n"
        "from actbook.figures import explorers\nexplorers.explorer('relu').widget()",
    )
    assert "Error" not in out, out
    assert "echo False" in out, out  # make lab's kernels do not echo a slider's value back
    times = L.slider_latency(page, steps=2)
    assert all(t > 0 for t in times), "the figure did not change when the slider moved"
    L.close_current_tab(page)
    lab.stop_kernels()
