"""Grading a class with nbgrader: every broken, tampering or cheating submission gets a fair
score, the run completes, nobody else's grade moves, what was tried is reported, and the
repository is left untouched. (The attacks on the grader itself: test_sandbox.py.)

One rehearsal of the whole class (one autograde pass, ps01-classic) serves every test; a
second, small one with nbgrader's stock settings shows what the course's plug-ins change.
"""

from __future__ import annotations

import csv
import html
import json
import re
import subprocess
import warnings
from pathlib import Path

import pytest
from jupyter_core.paths import jupyter_data_dir
from nbgrader.preprocessors import Execute
from sqlalchemy.exc import SAWarning

from actbook.course import integrity, plugins, sandbox
from actbook.course import rehearsal as grading_demo

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
slow = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
AID = "ps01-classic"  # 12 points: linear 2, sigmoid 3, sigmoid_grad 3, tanh 2, tanh_grad 2
MAX = 12.0
CACHE = Path(jupyter_data_dir()) / "nbgrader_cache"  # nbgrader's per-user record of submissions

# The fair score of each case, worked out by hand from the notebook (see the case list in
# actbook.course.rehearsal.fake_class): a broken function costs exactly the tests that call it.
EXPECTED = {
    "control-a": 12,
    "partial": 8,  # linear and sigmoid cells solved
    "blank": 0,
    "wrong": 0,
    "syntax-error": 8,  # the tanh cell does not run: both tanh tests fail
    "infinite-loop": 10,  # tanh_grad's test interrupted at the timeout
    "loop-ignores-sigint": 10,  # kernel restarted without tanh_grad's test
    "huge-allocation": 10,  # MemoryError in linear
    "sys-exit": 10,  # SystemExit in linear
    "os-exit": 4,  # sigmoid kills the kernel: its tests and tanh's identity test fail
    "segfault": 10,  # tanh_grad kills the kernel
    "import-error": 10,  # the linear cell stops at its import
    "tests-deleted": 12,
    "tests-edited": 0,
    "tests-moved": 12,
    "metadata-edited": 2,  # only linear solved; points 100 ignored
    "checks-edited": 0,
    "empty-notebook": 0,
    "invalid-json": 0,
    "other-assignment": 0,
    "renamed": 12,
    "cheat-numpy": 0,  # the tests run in another kernel
    "cheat-checks": 0,  # the tests run in another kernel
    "cheat-print": 0,
    "cheat-reads-solutions": 0,  # the sandbox hides the instructor's notebooks
    "cheat-transformer": 0,  # the tests run in another kernel
    "copier": 12,  # reported
    "control-z": 12,
}

# What the integrity report must say about each case (at least).
FLAGS = {
    "syntax-error": set(),
    "infinite-loop": {"timed out"},
    "loop-ignores-sigint": {"kernel hung", "controls the process"},
    "huge-allocation": {"memory limit"},
    "sys-exit": {"controls the process"},
    "os-exit": {"kernel died", "controls the process"},
    "segfault": {"kernel died", "controls the process"},
    "tests-deleted": {"tampered cell restored"},
    "tests-edited": {"tampered cell restored"},
    "tests-moved": {"tampered cell restored"},
    "metadata-edited": {"tampered cell restored"},
    "checks-edited": {"tampered file restored"},
    "invalid-json": {"unreadable notebook", "not graded"},
    "other-assignment": {"foreign cells ignored"},
    "cheat-numpy": {"patches the tests"},
    "cheat-checks": {"patches the tests"},
    "cheat-print": {"patches the tests"},
    "cheat-reads-solutions": {"reads files", "runs code from text"},
    "cheat-transformer": {"inspects the running notebook"},
    "copier": {"identical code"},
    "control-a": {"identical code"},
}
CLEAN = ["control-z", "partial", "blank", "wrong", "renamed"]  # nothing to report


def git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def repo_state() -> dict:
    db = ROOT / "gradebook.db"
    return {
        "git": git_status(),
        "grading folders": sorted(
            p.name for p in ROOT.iterdir() if p.name in {"submitted", "autograded", "feedback"}
        ),
        "gradebook": (db.stat().st_mtime_ns, db.stat().st_size) if db.exists() else None,
        "submission cache": sorted(p.name for p in CACHE.glob("*/*")),
    }


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    if problem := sandbox.bwrap_problem():
        pytest.skip(f"no sandbox for grading here: {problem}")
    before = repo_state()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        r = grading_demo.rehearse(tmp_path_factory.mktemp("course"), AID, timeout=10)
    return r, before


@slow
def test_the_class_covers_every_case(rehearsal):
    r, _ = rehearsal
    expected = set(EXPECTED) - (set() if plugins.MEMORY_LIMIT_SUPPORTED else {"huge-allocation"})
    assert {s.student for s in r.submissions} == expected
    assert set(r.grades) == expected


@slow
@pytest.mark.parametrize(("student", "score"), EXPECTED.items())
def test_each_submission_gets_its_fair_score(rehearsal, student, score):
    r, _ = rehearsal
    if student not in r.grades:
        pytest.skip("no memory limit on this platform")
    g = r.grades[student]
    assert (g.score, g.max_score) == (score, MAX), (g.cells, g.warnings, g.log[-3000:])


@slow
def test_working_students_graded_before_and_after_the_broken_ones_are_unaffected(rehearsal):
    r, _ = rehearsal
    order = [s.student for s in r.submissions]
    assert order[0] == "control-a" and order[-1] == "control-z"
    for sid in ("control-a", "control-z"):
        assert r.grades[sid].ok
        assert set(r.grades[sid].cells.values()) == {2.0, 3.0}  # every test cell at full marks


@slow
def test_the_run_completes_and_only_the_unreadable_notebook_fails(rehearsal):
    r, _ = rehearsal
    assert [sid for sid, g in r.grades.items() if not g.ok] == ["invalid-json"]


@slow
def test_renamed_notebook_is_found(rehearsal):
    r, _ = rehearsal
    assert r.renamed == {"renamed": f"{AID}-Copy1.ipynb -> {AID}.ipynb"}


@slow
def test_csv_export_has_every_student_with_the_gradebook_score(rehearsal):
    r, _ = rehearsal
    rows = {row["student_id"]: row for row in csv.DictReader(r.csv.open())}
    assert set(rows) == set(r.grades)
    for sid, g in r.grades.items():
        assert float(rows[sid]["raw_score"]) == g.score
        assert float(rows[sid]["max_score"]) == MAX


@slow
def test_every_graded_student_fetched_html_feedback(rehearsal):
    r, _ = rehearsal
    got = {sid: len(r.feedback[sid]) for sid, g in r.grades.items() if g.ok}
    # Their own feedback, nobody else's. nbgrader finds it through the student's record of
    # what they submitted, so the renamed notebook's feedback stays with the instructor.
    assert got.pop("renamed") == 0
    assert set(got.values()) == {1}, got
    for sid in ("control-a", "partial"):  # the student's own score, not the hidden tests
        page = text_of(r.feedback[sid][0])
        assert f"Score: {r.grades[sid].score:.1f} / {MAX:.1f}" in page
        assert "expect_battery(sigmoid" not in page  # a hidden test's code
        assert plugins.HIDDEN_NOTE.strip() in page
    # the failed checks' messages stay
    assert "`tanh_grad` is not implemented yet" in text_of(r.feedback["partial"][0])


def text_of(page: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


@slow
def test_hidden_tests_ran_in_the_autograded_notebook(rehearsal):
    r, _ = rehearsal
    nb = json.loads(
        (r.course.root / "autograded" / "tests-edited" / AID / f"{AID}.ipynb").read_text()
    )
    sources = ["".join(c["source"]) for c in nb["cells"]]
    assert any("expect_battery(sigmoid" in s for s in sources)  # restored from the gradebook
    assert nb["metadata"]["actbook_grading"]["tests"] == "trusted kernel"


@slow
@pytest.mark.parametrize(("student", "concerns"), FLAGS.items())
def test_integrity_report_flags(rehearsal, student, concerns):
    r, _ = rehearsal
    if student not in r.grades:
        pytest.skip("no memory limit on this platform")
    found = r.report.concerns(student)
    assert concerns <= found, r.report.by_student().get(student)


@slow
def test_integrity_report_pairs_the_copier_with_the_original(rehearsal):
    r, _ = rehearsal
    details = [f.detail for f in r.report.findings if f.student == "copier"]
    assert any("same as control-a" in d for d in details)


@slow
@pytest.mark.parametrize("student", CLEAN)
def test_integrity_report_is_quiet_about_honest_work(rehearsal, student):
    r, _ = rehearsal
    assert not r.report.concerns(student), r.report.by_student().get(student)


@slow
def test_repository_is_left_as_it_was(rehearsal):
    # (git status also moves if someone else edits the tree meanwhile: run it alone)
    r, before = rehearsal
    assert repo_state() == before
    assert ROOT not in r.course.root.parents


@slow
def test_the_course_settings_are_the_ones_graded_with(rehearsal):
    r, _ = rehearsal
    cfg = plugins.load_config()
    assert cfg.OverwriteCells.add_missing_cells is True
    assert cfg.Execute.timeout > 0 and cfg.LimitedKernelManager.memory_limit > 0
    assert cfg.LimitedKernelManager.sandbox is True and cfg.ResilientExecute.split is True
    assert plugins.HideTests in cfg.GenerateFeedback.preprocessors
    assert plugins.ResilientExecute in cfg.Autograde.autograde_preprocessors
    assert plugins.RestoreLayout in cfg.Autograde.sanitize_preprocessors
    assert (
        r.course.config.Autograde.autograde_preprocessors == cfg.Autograde.autograde_preprocessors
    )


STOCK = {  # nbgrader's own pipeline, with our ResilientExecute (sandbox, tests apart) out
    "Autograde__sanitize_preprocessors": [
        p for p in plugins.SANITIZE_PREPROCESSORS if p is not plugins.RestoreLayout
    ],
    "Autograde__autograde_preprocessors": [
        Execute if p is plugins.ResilientExecute else p for p in plugins.AUTOGRADE_PREPROCESSORS
    ],
}


@slow
def test_without_the_course_plugins_nbgrader_alone_is_unfair(tmp_path):
    """The same submissions under stock nbgrader: a cheat passes, crashes lose everything.

    Patching np.allclose fails even here: checks.py keeps its own references to NumPy's
    functions, taken at import. Redefining the helpers themselves works when the tests run
    in the student's kernel."""
    pick = {"cheat-numpy", "cheat-checks", "tests-moved", "os-exit"}
    subs = [s for s in grading_demo.fake_class(AID) if s.student in pick]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        r = grading_demo.rehearse(tmp_path, AID, subs, timeout=10, **STOCK)
    scores = {sid: (g.ok, g.score) for sid, g in r.grades.items()}
    assert scores == {
        "cheat-numpy": (True, 0.0),  # np.allclose patched: checks.py's own copy is used
        "cheat-checks": (True, 12.0),  # expect_close redefined: every test "passes"
        "tests-moved": (True, 0.0),  # tests run before the answers are defined
        "os-exit": (False, 0.0),  # the dead kernel fails the whole submission
    }


def test_scan_code_sees_through_ipython_syntax():
    tree = integrity.parse_python("!cat ../../solutions/*/*.ipynb\nx = 1")
    found = integrity.scan_code(tree, set(), set())
    assert ("inspects the running notebook", "line 1: uses get_ipython") in found


def test_fingerprint_ignores_comments_and_spacing_but_not_code():
    a = [{"cell_type": "code", "source": "def f(z):\n    return z  # mine\n"}]
    b = [{"cell_type": "code", "source": "def f(z):\n\n    return   z\n"}]
    c = [{"cell_type": "code", "source": "def f(z):\n    return -z\n"}]
    assert integrity.code_fingerprint(a) == integrity.code_fingerprint(b)
    assert integrity.code_fingerprint(a) != integrity.code_fingerprint(c)
