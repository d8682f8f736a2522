"""The nbgrader contract of every assignment: the instructor copy passes, the release fails
every test unmodified, `make exercises` is reproducible, and nothing secret is released."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.validator import Validator

from actbook.course import release

ROOT = Path(__file__).resolve().parents[2]
IDS = release.assignments()
SECRET_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def notebook(folder: str, aid: str) -> Path:
    return ROOT / folder / aid / f"{aid}.ipynb"


def secret_lines(aid: str) -> set[str]:
    """Every non-trivial line inside a solution or hidden-test block of the instructor copy
    that does not also stand, visible, outside such a block (a loop header, say)."""
    nb = json.loads(notebook("solutions", aid).read_text())
    inside_lines: set[str] = set()
    outside_lines: set[str] = set()
    for cell in nb["cells"]:
        inside = False
        for line in "".join(cell["source"]).splitlines():
            if any(m in line for m in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")):
                inside = True
            elif any(m in line for m in ("END SOLUTION", "END HIDDEN TESTS")):
                inside = False
            elif len(line.strip()) > 12:
                (inside_lines if inside else outside_lines).add(line.strip())
    return inside_lines - outside_lines


def released_text(aid: str) -> str:
    """The released notebooks' cell sources, decoded (not JSON-escaped)."""
    texts = []
    for path in (ROOT / "exercises" / aid).rglob("*.ipynb"):
        texts += ["".join(c["source"]) for c in json.loads(path.read_text())["cells"]]
    return "\n".join(texts)


def validate(path: Path) -> dict:
    v = Validator()
    v.validate_failed_tests = True
    return v.validate(str(path))


def test_there_are_assignments():
    assert "ps01-classic" in IDS


@pytest.mark.slow
@pytest.mark.parametrize("aid", IDS)
def test_instructor_copy_passes_every_test(aid):
    result = validate(notebook("solutions", aid))
    assert not result.get("failed"), [f["source"][:200] for f in result.get("failed", [])][:3]


@pytest.mark.slow
@pytest.mark.parametrize("aid", IDS)
def test_release_fails_every_test_unmodified(aid):
    nb = json.loads(notebook("exercises", aid).read_text())
    graded = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    # Hand-graded answer cells count too: the Validator scores an unchanged answer 0.
    result = validate(notebook("exercises", aid))
    assert len(result.get("failed", [])) == len(graded) > 0


@pytest.mark.parametrize("aid", IDS)
def test_release_holds_no_secret(aid):
    released = released_text(aid)
    assert secret_lines(aid), "no secret line found: the check would be blind"
    for marker in SECRET_MARKERS:
        assert marker not in released
    leaked = [line for line in secret_lines(aid) if line in released]
    assert not leaked, leaked[:5]


@pytest.mark.parametrize("aid", IDS)
def test_visible_tests_read_like_a_spec(aid):
    """A student reads the released test cells as the specification: expected values with a
    few digits and an explicit tolerance (``0.26894``, ``rtol=1e-4``), not 17-digit literals.
    The hidden tests keep the full digits (tests/course/test_mutations.py holds their strength)."""
    from actbook.site.audit import long_floats

    nb = json.loads(notebook("exercises", aid).read_text())
    tests = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]
    long = {
        c["metadata"]["nbgrader"]["grade_id"]: found
        for c in tests
        if c["cell_type"] == "code" and (found := long_floats("".join(c["source"])))
    }
    assert not long, f"{aid}: visible tests with more than 6 significant digits: {long}"


@pytest.mark.parametrize("aid", IDS)
def test_released_checks_are_the_module_verbatim(aid):
    expected = (ROOT / "src" / "actbook" / "course" / "checks.py").read_bytes()
    assert (ROOT / "exercises" / aid / "checks.py").read_bytes() == expected


def test_checks_are_not_committed_beside_the_instructor_notebooks():
    tracked = subprocess.run(
        ["git", "ls-files", "solutions"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked and not [f for f in tracked if f.endswith("checks.py")]


@pytest.mark.slow
def test_regenerating_exercises_gives_no_diff(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "solutions", course / "solutions")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    for aid in IDS:
        subprocess.run(
            [sys.executable, "-m", "nbgrader", "generate_assignment", aid, "--force",
             f"--CourseDirectory.root={course}",
             f"--CourseDirectory.db_url=sqlite:///{course / 'gradebook.db'}"],
            cwd=course, check=True, capture_output=True,
        )  # fmt: skip
    for path in sorted((course / "exercises").rglob("*")):
        if path.is_file():
            committed = ROOT / "exercises" / path.relative_to(course / "exercises")
            assert committed.exists(), f"{committed} is missing: run make exercises"
            assert path.read_bytes() == committed.read_bytes(), f"{committed} is stale"
