"""Grading that a submission cannot cheat or sabotage: the student's code runs in a sandboxed
kernel, the tests in a trusted one that sees the answers only as data (actbook.course.sandbox,
bridge, plugins).

One small class of attackers goes once through the real nbgrader cycle (release, fetch,
submit, collect, autograde, feedback): each attack scores 0 where it attacks, the honest
students full marks, and the first student's graded notebook and marks are byte-for-byte the
same after every attacker was graded.
"""

from __future__ import annotations

import html
import json
import re
import socket
import subprocess
import sys
import time
import warnings

import numpy as np
import psutil
import pytest
from sqlalchemy.exc import SAWarning

from actbook.course import bridge, classroom, integrity, plugins, release, sandbox
from actbook.course import rehearsal as grading_demo

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
slow = pytest.mark.slow

AID = "ps01-classic"
MAX = 12.0
HONEST = ["control-a", "control-z"]
#: what the integrity report must name for each attack (at least)
ATTACKS = {
    "read-solutions": {"reads files"},
    "read-gradebook": {"reads files"},
    "read-other": {"reads files"},
    "read-home": {"reads files"},
    "network": set(),
    "write-gradebook": {"reads files"},
    "write-other": {"reads files"},
    "daemon": {"reads files"},
    "cheat-settrace": {"inspects the running notebook"},
    "cheat-assertion": {"patches the tests"},
    "cheat-equal": {"inspects the running notebook"},
    "cheat-fake-pass": {"inspects the running notebook"},
    "cheat-reads-solutions": {"reads files", "runs code from text"},
    "cheat-transformer": {"inspects the running notebook"},
    "cheat-numpy": {"patches the tests"},
    "cheat-checks": {"patches the tests"},
    "cheat-print": {"patches the tests"},
    "checks-edited": {"tampered file restored"},
    "tests-edited": {"tampered cell restored"},
}

needs_bwrap = pytest.mark.skipif(
    sandbox.bwrap_problem() is not None, reason=f"no sandbox here: {sandbox.bwrap_problem()}"
)


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("attacked").resolve()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        subs = grading_demo.attack_class(AID, workdir, listener.getsockname()[1])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", category=SAWarning)
            return grading_demo.rehearse(workdir, AID, subs, timeout=10)


@slow
@needs_bwrap
def test_the_class_holds_every_attack_of_the_catalogue(attacked):
    assert [s.student for s in attacked.submissions] == ["control-a", *ATTACKS, "control-z"]


@slow
@needs_bwrap
@pytest.mark.parametrize("student", ATTACKS)
def test_each_attack_scores_zero(attacked, student):
    g = attacked.grades[student]
    assert g.ok and (g.score, g.max_score) == (0.0, MAX), (g.cells, g.log[-2000:])


@slow
@needs_bwrap
@pytest.mark.parametrize("student", HONEST)
def test_honest_students_get_full_marks(attacked, student):
    g = attacked.grades[student]
    assert (g.score, g.max_score) == (MAX, MAX), (g.cells, g.log[-2000:])


@slow
@needs_bwrap
def test_the_first_students_notebook_and_marks_are_unchanged_by_every_attacker(attacked):
    w = attacked.witness
    assert w["student"] == "control-a"
    assert w["before"][1][0] == MAX
    assert w["before"] == w["after"]  # autograded notebook bytes and gradebook marks


@slow
@needs_bwrap
def test_nothing_a_submission_started_outlives_its_grading(attacked):
    assert attacked.survivors == []


@slow
@needs_bwrap
def test_every_notebook_records_that_it_ran_sandboxed_with_tests_apart(attacked):
    for sid in attacked.grades:
        path = attacked.course.root / "autograded" / sid / AID / f"{AID}.ipynb"
        meta = json.loads(path.read_text())["metadata"]["actbook_grading"]
        assert meta == {"sandbox": sandbox.BUBBLEWRAP, "tests": "trusted kernel"}
    assert "not sandboxed" not in {f.concern for f in attacked.report.findings}


@slow
@needs_bwrap
@pytest.mark.parametrize(("student", "concerns"), ATTACKS.items())
def test_the_integrity_report_still_names_what_was_tried(attacked, student, concerns):
    assert concerns <= attacked.report.concerns(student), attacked.report.by_student()[student]


def hidden_lines(aid: str) -> set[str]:
    """Lines of the hidden tests of ``aid`` that appear nowhere in the released notebook."""
    source = json.loads((release.SOLUTIONS / aid / f"{aid}.ipynb").read_text())
    released = (release.EXERCISES / aid / f"{aid}.ipynb").read_text()
    released = json.loads(released)
    visible = "\n".join("".join(c["source"]) for c in released["cells"])
    out = set()
    for cell in source["cells"]:
        text = "".join(cell["source"])
        for block in re.findall(
            r"### BEGIN HIDDEN TESTS(.*?)(?:### END HIDDEN TESTS|\Z)", text, re.S
        ):
            out |= {ln.strip() for ln in block.splitlines() if len(ln.strip()) > 8}
    return {ln for ln in out if ln not in visible}


@slow
@needs_bwrap
def test_feedback_shows_no_hidden_test_but_each_failed_checks_message(attacked):
    secret = hidden_lines(AID)
    assert len(secret) > 20
    checked = 0
    for sid in attacked.grades:
        pages = attacked.feedback[sid]
        assert len(pages) == 1, sid
        text = html.unescape(re.sub(r"<[^>]+>", "", pages[0].read_text()))
        leaked = [ln for ln in secret if ln in text]
        assert not leaked, (sid, leaked[:3])
        graded = attacked.course.root / "autograded" / sid / AID / f"{AID}.ipynb"
        for cell in json.loads(graded.read_text())["cells"]:
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error" and out.get("evalue"):
                    assert out["evalue"] in text, (sid, out["evalue"])
                    checked += 1
    assert checked > 50


def test_hide_tests_keeps_the_visible_part():
    src = "a = 1\n### BEGIN HIDDEN TESTS\nassert secret\n### END HIDDEN TESTS\nb = 2\n"
    assert plugins.hide_tests(src) == "a = 1\n" + plugins.HIDDEN_NOTE + "b = 2\n"
    assert "secret" not in plugins.hide_tests("x\n### BEGIN HIDDEN TESTS\nsecret\n")


# -- the wire: plain data only --------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None, True, 3, 2.5, float("nan"), "text", (1, "a"), [1.0, [2]], {"k": (1, 2)}, {1, 3},
        np.arange(6.0).reshape(2, 3), np.array([1, 2], dtype=np.int32), np.float64(0.25),
        np.zeros((0, 3)), np.array(True),
    ],
)  # fmt: skip
def test_plain_data_crosses_unchanged(value):
    back = bridge.decode(json.loads(bridge.dumps(bridge.encode(value))))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    elif value == value:
        assert back == value


class EqualToAnything:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    "value", [EqualToAnything(), np.array(["a"]), np.array([object()]), object(), iter([1])]
)
def test_anything_but_data_is_refused(value):
    with pytest.raises(bridge.Ungradable):
        bridge.encode(value)


@pytest.mark.parametrize(
    "node",
    [
        {"t": "array", "dtype": "|O", "shape": [1], "b64": ""},
        {"t": "array", "dtype": "<f8", "shape": [3], "b64": "AAAAAAAAAAA="},  # 1 value, not 3
        {"t": "pickle", "v": "gASV"},
        {"t": "code", "code": ""},  # code is never decoded on the trusted side
        {"t": "dict", "v": [[{"t": "list", "v": []}, 1]]},  # unhashable key
        {"t": "rng", "bit": "os.system", "state": {}},
    ],
)
def test_the_trusted_side_rejects_malformed_answers(node, monkeypatch):
    monkeypatch.setattr(bridge, "SIDE", "trusted")
    with pytest.raises(bridge.Ungradable):
        bridge.decode(node)


def test_exceptions_cross_as_builtins_or_as_student_error():
    with pytest.raises(ValueError, match="bad"):
        bridge.raise_from({"type": "ValueError", "msg": "bad"})
    with pytest.raises(bridge.StudentError, match="SystemExit: 0"):
        bridge.raise_from({"type": "SystemExit", "msg": "0"})
    with pytest.raises(bridge.StudentError, match="Weird: x"):
        bridge.raise_from({"type": "Weird", "msg": "x"})


def test_the_names_a_test_reads_from_the_student():
    src = "out = call(sigmoid, Z)\ndef f(x):\n    return x + Q\nexpect_close(out, 1, 'm')\n"
    assert plugins.used_names(src) == ["Q", "Z", "call", "expect_close", "sigmoid"]


# -- no sandbox: refusal, or an explicit opt-in that every row reports ------------------------


@pytest.fixture
def no_bwrap(monkeypatch):
    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap is not installed (test)")
    monkeypatch.delenv(sandbox.UNSANDBOXED_ENV, raising=False)


def one_student(tmp_path):
    """Grade the instructor's answers of AID for one student; (grade, integrity report)."""
    sub = next(s for s in grading_demo.fake_class(AID, False) if s.student == "control-a")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        course = classroom.Course(tmp_path, [AID], timeout=10)
        course.generate(AID)
        course.release(AID)
        folder = course.fetch(AID, sub.student)
        (folder / f"{AID}.ipynb").write_bytes(sub.files[f"{AID}.ipynb"])
        course.submit(AID, sub.student)
        course.collect(AID)
        grades = course.autograde(AID, [sub.student])
    return grades[sub.student], integrity.integrity_report(course.root, AID, grades), course


@slow
def test_without_a_sandbox_grading_refuses(tmp_path, no_bwrap):
    g, report, _ = one_student(tmp_path)
    assert not g.ok and g.score == 0.0
    assert "grading refused: no sandbox" in g.log
    assert sandbox.UNSANDBOXED_ENV in g.log
    assert "not graded" in report.concerns("control-a")


@slow
def test_an_explicit_opt_in_grades_unsandboxed_and_the_report_says_so(
    tmp_path, no_bwrap, monkeypatch
):
    monkeypatch.setenv(sandbox.UNSANDBOXED_ENV, "1")
    g, report, course = one_student(tmp_path)
    assert g.score == MAX
    assert "not sandboxed" in report.concerns("control-a")
    graded = course.root / "autograded" / "control-a" / AID / f"{AID}.ipynb"
    assert json.loads(graded.read_text())["metadata"]["actbook_grading"]["sandbox"] == sandbox.NONE


# -- nothing legitimate is blocked: every assignment's instructor answers at full marks --------


@slow
@needs_bwrap
@pytest.mark.parametrize("aid", release.assignments())
def test_instructor_answers_get_every_autograded_mark_in_the_sandbox(tmp_path, aid):
    from nbgrader.api import Gradebook

    subs = [s for s in grading_demo.fake_class(aid, False) if s.student == "control-a"]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=SAWarning)
        r = grading_demo.rehearse(tmp_path, aid, subs, timeout=30)
    assert r.grades["control-a"].ok, r.grades["control-a"].log[-2000:]
    with Gradebook(r.course.config.CourseDirectory.db_url) as gb:
        sub = gb.find_submission(aid, "control-a")
        tests = [g for nb in sub.notebooks for g in nb.grades if g.cell.cell_type == "code"]
        assert tests
        lost = {g.name: (g.auto_score, g.max_score) for g in tests if g.auto_score != g.max_score}
    assert not lost, lost
    assert integrity.integrity_report(r.course.root, aid).concerns("control-a") <= {
        "identical code"
    }


def two_sides(student_code: str):
    """The bridge as a student's kernel and a trusted one, wired in one process (no kernels):
    (the trusted side's namespace after binding ``names``, the trusted module)."""
    import time
    import types

    source = bridge.__loader__.get_source(bridge.__name__)

    def side(name):
        m = types.ModuleType(name)
        exec(compile(source, name, "exec"), m.__dict__)
        return m

    student, trusted = side("_student"), side("_trusted")
    student_ns, trusted_ns = {"np": np, "time": time}, {}
    exec(student_code, student_ns)
    student.get_ipython = lambda: types.SimpleNamespace(user_ns=student_ns)
    trusted.get_ipython = lambda: types.SimpleNamespace(user_ns=trusted_ns)
    trusted.SIDE = "trusted"

    class Link:  # what the kernels' messages carry: JSON text both ways
        def request(self, request):
            request["id"] = "r1"
            student.serve(json.dumps(request))
            return json.loads(student.OUT)

    trusted._link = Link()
    return trusted_ns, trusted


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class Costly:
    def __init__(self, clock, cost):
        self.clock, self.cost, self.calls = clock, cost, 0

    def __call__(self, x):
        self.calls += 1
        self.clock.now += self.cost
        return x


def test_a_tests_objects_go_with_the_call_and_come_back_shared(monkeypatch):
    code = (
        "def ratio(slow, fast, x, clock):\n"
        "    t0 = clock(); slow(x); t1 = clock(); fast(x); t2 = clock()\n"
        "    x[0] = 99.0\n"
        "    return float((t1 - t0) / (t2 - t1))\n"
    )
    ns, trusted = two_sides(code)
    trusted.bind(["ratio"])
    for cls in (FakeClock, Costly):  # as if defined in a test cell
        monkeypatch.setattr(cls, "__module__", "__main__")
    clock = FakeClock()
    slow, fast, x = Costly(clock, 3.0), Costly(clock, 1.0), np.zeros(2)
    r = ns["ratio"](slow, fast, x, clock)
    assert (type(r), r) == (float, 3.0)
    assert (slow.calls, fast.calls, clock.now) == (1, 1, 4.0)  # one clock, shared, came back
    assert x[0] == 99.0  # an argument the student's code changed, as the test sees it
    assert ns["ratio"].__name__ == "ratio"


def test_a_student_value_that_is_not_data_fails_only_its_test():
    ns, trusted = two_sides("class Any:\n    def __eq__(self, o): return True\nQ = Any()\nN = 3\n")
    trusted.bind(["Q", "N", "missing"])
    assert ns["N"] == 3 and "missing" not in ns
    with pytest.raises(AssertionError, match="Q cannot be graded"):
        assert ns["Q"] == 1


def test_a_battery_crosses_in_one_round_trip_with_each_calls_outcome():
    from actbook.course import checks

    code = (
        "def relu(z):\n"
        "    z = np.asarray(z, dtype=float)\n"
        "    return np.maximum(z, 0.0)\n"
        "def relu_in_place(z):\n"
        "    z[z < 0] = 0.0\n"
        "    return z\n"
        "def relu_warns(z):\n"
        "    return np.exp(np.asarray(z, dtype=float)) * 0 + np.maximum(z, 0.0)\n"
    )
    ns, trusted = two_sides(code)
    trusted.bind(["relu", "relu_in_place", "relu_warns"])
    requests = []
    request = trusted._link.request
    trusted._link.request = lambda r: requests.append(r["op"]) or request(r)
    cases = [
        ("python-scalars", (-2.0,), {}, np.array(0.0)),
        (
            "nd-nan-inf",
            (np.array([[-1.0, np.nan], [3.0, 4.0]]),),
            {},
            np.array([[0, np.nan], [3, 4]]),
        ),
        ("float-range", (np.array([-1e308, 1e308]),), {}, np.array([0.0, 1e308])),
    ]
    checks.expect_battery(ns["relu"], cases)
    assert requests == ["calls"]  # the three cases, one request
    with pytest.raises(AssertionError, match="input classes: unchanged"):
        checks.expect_battery(ns["relu_in_place"], cases[1:])
    with pytest.raises(AssertionError, match="float-range.*floating-point warning"):
        checks.expect_battery(ns["relu_warns"], cases)
    assert requests == ["calls"] * 3


def test_the_kernel_command_names_no_path_through_a_hidden_folder(tmp_path):
    # sys.executable of `cd benchmarks && ../.venv/bin/python ...`: inside the sandbox the
    # course is hidden, so "benchmarks/.." is not there and bwrap could not start the kernel.
    python = f"{sandbox.ROOT}/benchmarks/../.venv/bin/python"
    folders = [tmp_path / f for f in ("run", "work", "scratch", "course")]
    argv = sandbox.bwrap_argv([python, "-m", "ipykernel_launcher"], *folders)
    kernel = argv[argv.index("--") + 1 :]
    assert kernel == [f"{sandbox.ROOT}/.venv/bin/python", "-m", "ipykernel_launcher"]


def test_a_kernel_dies_with_its_launcher_even_one_killed_while_launching_it():
    # A grading process killed (the OOM killer) just after it forked a kernel, before bwrap set
    # --die-with-parent, left that kernel running (CI: test_parallel found it after 2 s).
    refused = subprocess.run(sandbox.orphan_guard(["echo", "ran"], parent=1), capture_output=True)
    assert refused.returncode != 0 and b"ran" not in refused.stdout  # its launcher is gone
    code = (
        "import subprocess, time\n"
        "from actbook.course import sandbox\n"
        "p = subprocess.Popen(sandbox.orphan_guard(['sleep', '300']))\n"
        "print(p.pid, flush=True)\n"
        "time.sleep(300)\n"
    )
    launcher = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    kernel = psutil.Process(int(launcher.stdout.readline()))
    end = time.monotonic() + 10
    while kernel.cmdline()[:1] != ["sleep"] and time.monotonic() < end:
        time.sleep(0.01)
    assert kernel.cmdline() == ["sleep", "300"], "the guard did not become the kernel"
    launcher.kill()
    launcher.wait()
    assert psutil.wait_procs([kernel], timeout=5)[1] == [], "the kernel outlived its launcher"
