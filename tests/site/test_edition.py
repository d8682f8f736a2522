"""The public student edition (``make student-edition``, :mod:`actbook.site.edition`).

It holds no instructor material: no line of a hidden test or of a Q&A answer, no solutions/,
no gradebook, no grading machinery. Its book builds strictly from the edition alone (in a
sandbox that hides the instructor repository and the network) into the same pages as the
instructor repository's student site. The site's repository and launch buttons appear only
when a public repository is configured, and then lead to it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from actbook.course import release
from actbook.site import audit
from actbook.site import edition as ed

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SECRET_IDS = release.assignments()
QA = "ps06-questions"  # the Q&A of section VIII: every answer of it is graded
#: hosts of the launch services the theme knows (a link there is a launch link)
LAUNCH_HOSTS = {"mybinder.org", "colab.research.google.com", "deepnote.com"}
PUBLIC = "https://github.com/example-org/activation-functions-public"


# ----------------------------------------------------------------------------- the secrets
def _blocks(aid: str) -> tuple[set[str], set[str], set[str]]:
    """Stripped lines of the instructor notebook: (hidden tests, solutions, everything visible
    outside those regions)."""
    nb = json.loads((ROOT / "solutions" / aid / f"{aid}.ipynb").read_text())
    hidden: set[str] = set()
    solution: set[str] = set()
    visible: set[str] = set()
    for cell in nb["cells"]:
        answer_cell = cell["metadata"].get("nbgrader", {}).get("solution", False)
        where = None
        for line in "".join(cell["source"]).splitlines():
            if "BEGIN HIDDEN TESTS" in line:
                where = hidden
            elif "BEGIN SOLUTION" in line:
                where = solution
            elif "END HIDDEN TESTS" in line or "END SOLUTION" in line:
                where = None
            elif where is not None:
                where.add(line.strip())
            elif answer_cell and cell["cell_type"] == "markdown":
                solution.add(line.strip())  # a manually graded answer: its model answer
            else:
                visible.add(line.strip())
    return hidden, solution, visible


#: A loop over a plain name (``for W, b in layers:``) says nothing of an answer.
_TRIVIAL = re.compile(r"for [\w, ]+ in \w+:")


def _nontrivial(line: str) -> bool:
    """A line that says something: not a bracket, a keyword, a short name or a plain loop."""
    return (
        len(line) > 12 and bool(re.search(r"[A-Za-z0-9]{3}", line)) and not _TRIVIAL.fullmatch(line)
    )


def reference_lines() -> set[str]:
    """Lines of the solutions of problem sets 1-5: the reference implementations the chapters
    teach, which the edition ships on purpose (the instructor guide, "Two repositories")."""
    return set().union(*(_blocks(a)[1] for a in SECRET_IDS if a != QA))


def secret_lines() -> dict[str, set[str]]:
    """What may never be in the edition: every line of every hidden test, and every line of a
    Q&A answer (code and model answers) that is not one of the catalog's reference
    implementations; lines also shown outside those regions are the release's own."""
    refs = reference_lines()
    out = {}
    for aid in SECRET_IDS:
        hidden, solution, visible = _blocks(aid)
        secret = hidden | (solution - refs if aid == QA else set())
        out[aid] = {line for line in secret - visible if _nontrivial(line)}
    return out


def edition_texts(dest: Path) -> dict[str, str]:
    """Every file of the edition as text; a notebook as its decoded cell sources and outputs."""
    texts = {}
    for path in sorted(dest.rglob("*")):
        rel = path.relative_to(dest)
        if not path.is_file() or rel.parts[0] in (".git", "_build", ".venv"):
            continue
        text = path.read_text(errors="ignore")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            parts = ["".join(c["source"]) for c in nb["cells"]]
            for c in nb["cells"]:
                for o in c.get("outputs", []):
                    parts += ["".join(v) if isinstance(v, list) else str(v) for v in
                              [o.get("text", ""), *o.get("data", {}).values()]]  # fmt: skip
            text += "\n" + "\n".join(parts)
        texts[str(rel)] = text
    return texts


def leaks(dest: Path) -> list[str]:
    found = []
    texts = edition_texts(dest)
    for aid, lines in secret_lines().items():
        for line in lines:
            found += [f"{aid}: {line!r} in {rel}" for rel, text in texts.items() if line in text]
    return found


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("edition") / "public"
    ed.write(dest)
    return dest


def test_the_secrets_are_many_and_the_scan_finds_a_planted_one(edition, tmp_path):
    secrets = secret_lines()
    assert all(len(lines) >= 5 for lines in secrets.values()), {
        a: len(s) for a, s in secrets.items()
    }
    planted = tmp_path / "planted"
    shutil.copytree(edition, planted)
    line = sorted(secrets[QA])[0]
    (planted / "src" / "actbook" / "lab" / "extra.py").write_text(f"    {line}\n")
    assert any(QA in f and "extra.py" in f for f in leaks(planted))


def test_no_line_of_a_hidden_test_or_of_a_qa_answer(edition):
    found = leaks(edition)
    assert not found, found[:5]


#: Where a line of a solution of problem sets 1-5 may stand in the edition: the catalog's
#: reference implementations, which the chapters teach (the instructor guide's judgement).
REFERENCE_IMPLEMENTATIONS = {"src/actbook/catalog/numeric.py"}


def test_solution_lines_of_problem_sets_1_to_5_only_in_the_reference_implementations(edition):
    texts = edition_texts(edition)
    found = {
        rel
        for aid in SECRET_IDS
        if aid != QA
        for line in _blocks(aid)[1] - _blocks(aid)[2]
        if _nontrivial(line)
        for rel, text in texts.items()
        if line in text
    }
    assert found <= REFERENCE_IMPLEMENTATIONS, found - REFERENCE_IMPLEMENTATIONS


def test_no_solutions_no_gradebook_no_instructor_machinery(edition):
    files = {str(p.relative_to(edition)) for p in edition.rglob("*") if p.is_file()}
    assert not any("solutions" in Path(f).parts for f in files)
    assert not any(Path(f).name.startswith("gradebook") for f in files)
    for out in ed.LEFT_OUT:  # only the student's work folder of `make lab` is kept
        shipped = {str(p.relative_to(edition)) for p in (edition / out).rglob("*") if p.is_file()}
        assert (edition / out).is_dir() or not (edition / out).exists(), out
        assert shipped <= ed.STUDENT_MODULES, (out, shipped - ed.STUDENT_MODULES)
    course = edition / "src" / "actbook" / "course"
    assert not [
        m for m in ("answers", "plugins", "parallel", "release") if (course / f"{m}.py").exists()
    ]
    assert not (edition / "nbgrader_config.py").exists(), "the grading configuration"
    assert not (edition / "tests").exists(), "the instructor's test suite"
    assert not [f for f in files if f.startswith("benchmarks/") and f.endswith(".py")]
    assert ed.check(edition) == []


def test_it_holds_what_readers_students_and_binder_need(edition):
    for aid in release.assignments():
        assert (edition / "exercises" / aid / f"{aid}.ipynb").is_file()
        assert (edition / "exercises" / aid / "checks.py").read_text() == (
            ROOT / "exercises" / aid / "checks.py"
        ).read_text()
    for f in audit.toc_files(ROOT):
        assert audit.source_of(f, edition), f
    for name in ("README.md", "Makefile", "requirements.txt", "runtime.txt", "postBuild",
                 "pyproject.toml", "_config.yml", "_toc.yml", "references.bib"):  # fmt: skip
        assert (edition / name).is_file(), name
    assert os.access(edition / "postBuild", os.X_OK), "repo2docker runs postBuild"
    readme = (edition / "README.md").read_text()
    for words in ("make book", "make lab", "Validate", "Binder"):
        assert words in readme
    makefile = (edition / "Makefile").read_text() + (edition / "common.mk").read_text()
    assert re.search(r"^book:", makefile, re.M) and re.search(r"^lab:", makefile, re.M)
    summary = json.loads((edition / ed.MARKER).read_text())
    assert set(ed.LEFT_OUT) <= set(summary["left_out"])


def test_student_requirements_drop_only_tools_nothing_else_needs():
    from importlib import metadata

    text = ed.student_requirements((ROOT / "requirements.txt").read_text())
    kept = {ed._name(line) for line in text.splitlines() if "==" in line}
    instructor = {ed._name(line) for line in (ROOT / "requirements.txt").read_text().splitlines()
                  if "==" in line}  # fmt: skip
    assert ed.DEV_ONLY <= instructor | {"pyee"}, "a dropped name no longer in requirements.txt"
    assert {"nbgrader", "jupyter-book", "jupyterlab", "jupytext", "numpy"} <= kept
    assert "-e ." in text.splitlines(), "the library is installed from the edition's src/"
    for name in kept:
        for dep in metadata.requires(name) or []:
            if "extra ==" not in dep:
                assert ed._name(dep) not in ed.DEV_ONLY, f"{name} needs {dep}"


def test_a_folder_that_is_not_an_edition_is_never_overwritten(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "thesis.tex").write_text("months of work")
    with pytest.raises(ed.EditionError, match="refusing"):
        ed.write(work)
    assert (work / "thesis.tex").read_text() == "months of work"
    with pytest.raises(ed.EditionError, match="instructor repository"):
        ed.write(ROOT)
    proc = subprocess.run([sys.executable, "-m", "actbook.site.edition", str(work)],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_a_previous_edition_is_replaced_keeping_its_history(tmp_path):
    dest = tmp_path / "public"
    ed.write(dest)
    (dest / ".git").mkdir()
    (dest / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (dest / "chapters" / "stale.md").write_text("a page the course no longer has")
    ed.write(dest)
    assert (dest / ".git" / "HEAD").is_file()
    assert not (dest / "chapters" / "stale.md").exists()


def test_the_check_catches_an_import_of_what_the_edition_lacks(edition, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(edition, copy)
    page = copy / "chapters" / "summary.md"
    page.write_text(
        page.read_text() + "\n```{code-cell} ipython3\n:tags: [hide-input]\n\n"
        "from actbook.course import answers\n```\n"
    )
    assert ed.check(copy) == [
        "chapters/summary.md imports actbook.course.answers, which the edition does not hold",
    ]


# ----------------------------------------------------------------------------- the browser
def test_a_missing_browser_is_one_line_that_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.delenv("ACTBOOK_CHROMIUM", raising=False)
    assert audit.find_chromium() is None
    with pytest.raises(audit.BrowserMissing) as e, audit.browser():
        pass
    assert "apt-get install chromium" in str(e.value) and "\n" not in str(e.value)


def test_the_browser_is_found_by_name(monkeypatch, tmp_path):
    fake = tmp_path / "google-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("ACTBOOK_CHROMIUM", raising=False)
    assert audit.find_chromium() == str(fake)


# ----------------------------------------------------------------------------- buttons
def header_links(html: str) -> list[str]:
    """The links of a page's header buttons (repository, issues, launch, download)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [a["href"] for a in soup.select(".article-header-buttons a[href]")]


def outside_links(html: str) -> list[str]:
    """Every link of a page to another host."""
    return [h for h in re.findall(r'href="(https?://[^"]+)"', html) if not audit.is_local(h)]


def unconfigured_problems(site: Path) -> list[str]:
    problems = []
    for page in sorted(site.rglob("*.html")):
        html = page.read_text()
        for href in outside_links(html):
            host = urlsplit(href).hostname or ""
            if host in LAUNCH_HOSTS or "git-pull" in href or "/issues" in href:
                problems.append(f"{page.relative_to(site)} links {href}")
        for href in header_links(html):
            if not audit.is_local(href) and not href.startswith(("../", "_", "#")):
                problems.append(f"{page.relative_to(site)}: header button to {href}")
        if "activation-functions-course/activation-functions" in html:
            problems.append(f"{page.relative_to(site)} names the old, non-existent repository")
    return problems


def configured_problems(site: Path, public: str, hub: str) -> tuple[list[str], int]:
    """Links to a repository or a launch service that do not lead to ``public``."""
    owner_repo = urlsplit(public).path.strip("/")
    problems, seen = [], 0
    for page in sorted(site.rglob("*.html")):
        for href in header_links(page.read_text()):
            parts = urlsplit(href)
            if audit.is_local(href) or not parts.scheme:
                continue
            seen += 1
            repo = parse_qs(parts.query).get("repo", [""])[0]  # nbgitpuller: ?repo=<url>
            if not (href.startswith(public) or owner_repo in unquote(parts.path) or repo == public):
                problems.append(f"{page.relative_to(site)}: {href}")
            if hub and href.startswith(hub) and repo != public:
                problems.append(f"{page.relative_to(site)}: hub link to {repo}")
    return problems, seen


MINI_CHAPTER = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3 (ipykernel), language: python, name: python3}
---

# A page

```{code-cell} ipython3
print(1 + 1)
```
"""


def mini_book(tmp: Path, public: str, hub: str = "") -> Path:
    """A two-page book with the course's _config.yml and a repository of one's choosing,
    built strictly without executing anything; returns its html folder."""
    conf = yaml.safe_load((ROOT / "_config.yml").read_text())
    conf["repository"]["url"] = public
    conf["launch_buttons"]["jupyterhub_url"] = hub
    conf["launch_buttons"]["colab_url"] = "https://colab.research.google.com" if public else ""
    conf["execute"] = {"execute_notebooks": "off"}
    (tmp / "chapters").mkdir(parents=True)
    (tmp / "_config.yml").write_text(yaml.safe_dump(conf))
    # The chapters the exercise links to, so that its links resolve in a strict build.
    exercise = ROOT / "exercises" / "ps01-classic" / "ps01-classic.ipynb"
    linked = sorted(set(re.findall(r"\.\./\.\./chapters/(\w+)\.md", exercise.read_text())))
    (tmp / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n"
        + "".join(f"  - file: chapters/{name}\n" for name in linked)
        + "  - file: exercises/ps01-classic/ps01-classic\n"
    )
    (tmp / "intro.md").write_text("# The mini book\n")
    for name in linked:
        (tmp / "chapters" / f"{name}.md").write_text(MINI_CHAPTER)
    shutil.copy2(ROOT / "references.bib", tmp)
    shutil.copytree(ROOT / "_static", tmp / "_static")
    shutil.copytree(ROOT / "exercises" / "ps01-classic", tmp / "exercises" / "ps01-classic")
    proc = subprocess.run(
        [str(VENV_BIN / "jupyter-book"), "build", str(tmp), "-W", "-n", "--keep-going"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return tmp / "_build" / "html"


HUB = "https://hub.example.edu"


@pytest.fixture(scope="module")
def mini_sites(tmp_path_factory) -> dict[str, Path]:
    """The mini book without and with a public repository (and a JupyterHub)."""
    tmp = tmp_path_factory.mktemp("mini")
    return {"off": mini_book(tmp / "off", ""), "on": mini_book(tmp / "on", PUBLIC, HUB)}


@pytest.mark.slow
def test_repository_and_launch_buttons_follow_the_one_setting(mini_sites):
    hub, off, on = HUB, mini_sites["off"], mini_sites["on"]
    assert unconfigured_problems(off) == []
    page = (off / "chapters" / "sigmoid.html").read_text()
    assert "_sources/chapters/sigmoid.ipynb" in page, "the .ipynb download stays"
    assert (off / "_sources" / "chapters" / "sigmoid.ipynb").is_file()

    problems, seen = configured_problems(on, PUBLIC, hub)
    assert problems == [] and seen >= 8, (problems, seen)
    links = header_links((on / "chapters" / "sigmoid.html").read_text())
    assert any(h.startswith("https://mybinder.org/v2/gh/example-org/") for h in links)
    assert any(h.startswith(hub) for h in links)
    assert f"{PUBLIC}/issues" in str(links) and PUBLIC in links


def test_an_address_that_is_not_a_repository_is_one_clear_error():
    from actbook.site.sphinx_ext import EditionConfigError, edition_options

    with pytest.raises(EditionConfigError, match="repository.url must be"):
        edition_options({"repository_url": "github.com/just-a-name"})
    # Jupyter Book's own placeholder counts as "not configured"
    off = edition_options({"repository_url": "https://github.com/executablebooks/jupyter-book"})
    assert off["repository_url"] == "" and not off["use_repository_button"]


# ------------------------------------------------------------------- the edition's own book
BUILD_STAMP = re.compile(r"\?digest=[0-9a-f]+|\?v=[0-9a-f]+")
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)?")
#: Pages that time code while they build: only their numbers may differ between two builds.
TIMED_PAGES = {"chapters/questions.html": 8}


def normalised(html: str) -> str:
    return BUILD_STAMP.sub("", html)


def page_differences(ours: Path, theirs: Path) -> list[str]:
    """How the edition's site differs from the instructor repository's student site."""
    pages = {str(p.relative_to(ours)) for p in ours.rglob("*.html")}
    others = {str(p.relative_to(theirs)) for p in theirs.rglob("*.html")}
    out = [f"only in the edition: {p}" for p in sorted(pages - others)]
    out += [f"only in the student site: {p}" for p in sorted(others - pages)]
    for rel in sorted(pages & others):
        a, b = normalised((ours / rel).read_text()), normalised((theirs / rel).read_text())
        if a == b:
            continue
        allowed = TIMED_PAGES.get(rel, 0)
        # whitespace aside: a kernel's printed output may reach the page in pieces
        ta, tb = (re.split(r"\s+|(<|>)", h) for h in (a, b))
        ta, tb = ([x for x in tokens if x] for tokens in (ta, tb))
        if len(ta) == len(tb):
            differing = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
            if all(NUMBER.search(x) and NUMBER.search(y) for x, y in differing):
                if len(differing) <= allowed:
                    continue
            out.append(f"{rel}: {len(differing)} tokens differ, e.g. {differing[:3]}")
        else:
            out.append(f"{rel}: differs in length ({len(ta)} vs {len(tb)} tokens)")
    return out


def sandboxed(cmd: list[str], folder: Path) -> list[str]:
    """``cmd`` run in ``folder`` by bubblewrap: the instructor repository (and everything
    beside it) hidden, only the Python environment and ``folder`` visible, no network."""
    venv = VENV_BIN.parent
    return [
        # /tmp first: a checkout under /tmp keeps its environment visible
        "bwrap", "--ro-bind", "/", "/", "--tmpfs", "/tmp", "--tmpfs", str(ROOT.parent),
        "--ro-bind", str(venv), str(venv), "--dir", "/tmp/home",
        "--bind", str(folder), str(folder), "--dev", "/dev", "--proc", "/proc",
        "--unshare-net", "--unshare-pid", "--die-with-parent",
        "--setenv", "HOME", "/tmp/home", "--setenv", "PYTHONPATH", str(folder / "src"),
        "--chdir", str(folder), *cmd,
    ]  # fmt: skip


@pytest.mark.slow
def test_the_editions_make_lab_fills_the_students_work_folder(edition, tmp_path):
    """The edition's `make lab` is the repository's (one recipe, edition/common.mk): it fills
    work/ with the exercises and the chapters and serves it with the student settings, from
    the edition's own files alone."""
    if shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is missing (it isolates the edition): apt-get install bubblewrap")
    copy = tmp_path / "public"
    shutil.copytree(edition, copy)
    make = ["make", "-s", "-o", ".venv/.installed", "lab", f"BIN={VENV_BIN}",
            f"PY={sys.executable}", "LAB_ARGS=--show-config"]  # fmt: skip
    proc = subprocess.run(sandboxed(make, copy), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    work = copy / "work"
    for aid in release.assignments():
        assert (work / "exercises" / aid / f"{aid}.ipynb").is_file(), aid
    assert (work / "chapters" / "relu.md").is_file()
    assert not (work / "chapters" / "instructor_guide.md").exists()
    # no book build in the edition: make lab ran the chapters for the values their text states
    assert "computing the values of" in proc.stdout
    placeholders = [p.name for p in (work / "chapters").glob("*.md") if "«" in p.read_text()]
    assert placeholders == []
    assert "NoDelayConnection" in proc.stdout, "the student server's settings"
    server = subprocess.run(
        sandboxed([sys.executable, "-c", "import actbook.course.lab_server"], copy),
        capture_output=True, text=True,
    )  # fmt: skip
    assert server.returncode == 0, server.stderr[-2000:]


@pytest.fixture(scope="module")
def edition_site(edition, tmp_path_factory) -> Path:
    """The edition's own `make book`, run in a copy with nothing else visible.

    To check an edition built that way already, point ``ACTBOOK_EDITION_SITE`` at its html.
    """
    if env := os.environ.get("ACTBOOK_EDITION_SITE"):
        return Path(env).resolve()
    if shutil.which("bwrap") is None:
        pytest.skip(
            "bubblewrap is missing (it isolates the edition's build): apt-get install bubblewrap"
        )
    copy = tmp_path_factory.mktemp("edition-build") / "public"
    shutil.copytree(edition, copy)
    where = subprocess.run(
        sandboxed([sys.executable, "-c", "import actbook, os; print(actbook.__file__);"
                   f"print(os.path.exists({str(ROOT / 'solutions')!r}))"], copy),
        capture_output=True, text=True,
    )  # fmt: skip
    assert where.stdout.split() == [str(copy / "src" / "actbook" / "__init__.py"), "False"], where
    # the edition's Makefile, with this environment as its .venv (no network to install one)
    make = ["make", "-o", ".venv/.installed", "book", f"BIN={VENV_BIN}"]
    proc = subprocess.run(sandboxed(make, copy), capture_output=True, text=True)
    log = proc.stdout + proc.stderr
    (ROOT / "_build").mkdir(exist_ok=True)
    (ROOT / "_build" / "edition-build.log").write_text(log)
    assert proc.returncode == 0, "the edition's strict build failed:\n" + log[-5000:]
    return copy / "_build" / "html"


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_the_edition_builds_alone_into_the_student_site(edition_site, built_site):
    assert page_differences(edition_site, built_site) == []


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_no_page_links_a_repository_or_launch_service_when_none_is_configured(edition_site):
    assert not audit.public_repository(ROOT), "this test reads the unconfigured default"
    assert unconfigured_problems(edition_site) == []
    downloads = header_links((edition_site / "chapters" / "sigmoid.html").read_text())
    assert any(h.endswith("sigmoid.ipynb") for h in downloads), "the download stays"


@pytest.mark.slow
def test_a_page_with_and_without_a_public_repository_in_chromium(mini_sites):
    """Screenshots for a reviewer: _build/screenshots/edition-{off,on}.png."""
    shots = ROOT / "_build" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        with audit.browser() as b:
            for name, site in mini_sites.items():
                with audit.serve(site) as srv:
                    page = b.new_page(viewport=audit.VIEWPORT)
                    page.goto(srv.url + "chapters/sigmoid.html", wait_until="load")
                    launch = page.locator(".dropdown-launch-buttons").count()
                    repo = page.locator(f'a[href="{PUBLIC}"]').count()
                    if launch:  # open the launch menu for the screenshot
                        page.locator(".dropdown-launch-buttons button").first.click()
                    page.screenshot(path=shots / f"edition-{name}.png")
                    page.close()
                assert (launch > 0, repo > 0) == ((True, True) if name == "on" else (False, False))
    except audit.BrowserMissing as e:
        pytest.skip(str(e))


def test_the_link_checks_catch_a_button_to_another_repository(tmp_path):
    old = "https://github.com/activation-functions-course/activation-functions"
    (tmp_path / "page.html").write_text(
        f'<div class="article-header-buttons"><a href="{old}">repo</a>'
        f'<a href="https://mybinder.org/v2/gh/activation-functions-course/activation-functions/main">'
        f'launch</a><a href="_sources/page.ipynb">.ipynb</a></div>'
    )
    assert len(unconfigured_problems(tmp_path)) == 4  # two buttons, the launch host, the name
    problems, seen = configured_problems(tmp_path, PUBLIC, "")
    assert seen == 2 and len(problems) == 2
