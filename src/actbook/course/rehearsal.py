"""``make grade-demo``: rehearse the grading of a class, on this machine, in a temporary course.

A class of fake students (correct, partial, wrong, broken, tampering and cheating
submissions, and submissions that attack the grader: read the instructor's files, the
gradebook or a classmate's work, open a connection, overwrite marks, leave a process behind,
tamper with the interpreter) goes through nbgrader's real exchange: the instructor releases,
each student fetches and submits, the instructor collects, autogrades (with a progress line
per student), generates and releases feedback, and exports the grades to CSV. Then a table
per student, a verdict (every cheat at 0, the first student's marks untouched by all the
others) and the integrity report are printed. Everything happens under a temporary
directory: the repository is left exactly as it was (``--keep DIR`` keeps the course).

    python -m actbook.course.rehearsal [--assignment ID|all] [--timeout S] [--keep DIR]
                                       [--no-attacks]
"""

from __future__ import annotations

import argparse
import ast
import atexit
import copy
import json
import math
import os
import shutil
import socket
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from actbook.course import classroom, integrity, parallel, plugins, release

BIN = Path(sys.executable).parent


@dataclass
class Submission:
    """One fake student: what they hand in, as files of their assignment folder."""

    student: str
    case: str
    files: dict[str, bytes | None] = field(default_factory=dict)  # None: delete the file


# ---------------------------------------------------------------------------------------------
# Building submissions from the instructor's notebook
# ---------------------------------------------------------------------------------------------


def _nbg(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _src(cell) -> str:
    s = cell["source"]
    return "".join(s) if isinstance(s, list) else s


def solution_code(source_nb: dict) -> dict[str, str]:
    """grade_id -> the instructor's answer of each code solution cell, markers removed."""
    out = {}
    for cell in source_nb["cells"]:
        if cell["cell_type"] == "code" and _nbg(cell).get("solution"):
            lines = [ln for ln in _src(cell).splitlines() if "### BEGIN" not in ln]
            out[_nbg(cell)["grade_id"]] = "\n".join(ln for ln in lines if "### END" not in ln)
    return out


def _edit_function(code: str, which: int, stmt: str) -> str:
    """Put ``stmt`` at the start of the ``which``-th top-level function (or of the cell)."""
    tree = ast.parse(code)
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if not funcs:
        return stmt + "\n" + code
    f = funcs[which]
    doc = int(bool(ast.get_docstring(f)))
    f.body[doc:doc] = ast.parse(stmt).body
    return ast.unparse(tree)


def _negate_returns(code: str) -> str:
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.Return) and node.value is not None:
            node.value = ast.UnaryOp(ast.USub(), node.value)
    return ast.unparse(ast.fix_missing_locations(tree))


def _fake_answers(code: str) -> str:
    """Every function returns zeros of its first argument's shape: right shape, wrong values."""
    tree = ast.parse(code)
    for f in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        arg = f.args.args[0].arg if f.args.args else None
        ret = f"return np.zeros(np.shape({arg}), dtype=float)" if arg else "return 0.0"
        f.body = ast.parse(ret).body
    return ast.unparse(tree)


OTHER_ASSIGNMENT = {
    "cells": [
        {
            "cell_type": "code",
            "id": "other-answer",
            "metadata": {"nbgrader": {"grade": False, "grade_id": "other-answer", "locked": False,
                                      "schema_version": 3, "solution": True, "task": False}},
            "source": "def softmax(z):\n    return z / z.sum()",
            "outputs": [], "execution_count": None,
        },
        {
            "cell_type": "code",
            "id": "test-other",
            "metadata": {"nbgrader": {"grade": True, "grade_id": "test-other", "locked": True,
                                      "points": 50, "schema_version": 3, "solution": False,
                                      "task": False}},
            "source": "assert True",
            "outputs": [], "execution_count": None,
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}  # fmt: skip

STEAL = """def _steal(cell_id):
    import json, pathlib
    for folder in pathlib.Path.cwd().parents:
        for path in folder.glob("*/{aid}/*.ipynb"):
            text = path.read_text()
            if "### BEGIN" + " SOLUTION" in text:  # spelt so as not to match itself
                for cell in json.loads(text)["cells"]:
                    if cell["metadata"].get("nbgrader", {{}}).get("grade_id") == cell_id:
                        exec("".join(cell["source"]), globals())
                return
"""

PATCH_CHECKS = """expect_close = expect_shape = expect_float = not_borrowed = lambda *a, **k: None
expect_battery = expect_close
def call(f, *args, **kwargs):
    return f(*args, **kwargs)
unchanged = call
import checks
checks.expect_close = expect_close
checks.expect_battery = expect_battery"""


def fake_class(aid: str, memory_limit: bool = True) -> list[Submission]:
    """The rehearsal's class for assignment ``aid``: one student per case, two controls.

    The cases are generic (they edit the instructor's answers by syntax tree), so every
    assignment of ``solutions/`` gets the same class.
    """
    src = json.loads((release.SOLUTIONS / aid / f"{aid}.ipynb").read_text())
    rel = json.loads((release.EXERCISES / aid / f"{aid}.ipynb").read_text())
    answers = solution_code(src)
    ids = list(answers)
    name = f"{aid}.ipynb"

    def notebook(sid: str, code: dict[str, str], edit: Callable | None = None) -> bytes:
        nb = copy.deepcopy(rel)
        for cell in nb["cells"]:
            gid = _nbg(cell).get("grade_id")
            if gid in code:
                cell["source"] = code[gid]
            if cell["cell_type"] == "code" and gid == ids[0]:
                # each student's own line: without it every correct answer would be identical
                cell["source"] = f'_author = "{sid}"\n' + _src(cell)
        if edit:
            edit(nb)
        return json.dumps(nb, indent=1).encode()

    def solved(n: int | None = None, **changes: str) -> dict[str, str]:
        code = {k: answers[k] for k in ids[: len(ids) if n is None else n]}
        code.update(changes)
        return code

    first, second, last = ids[0], ids[min(1, len(ids) - 1)], ids[-1]

    def drop_tests(nb):
        nb["cells"] = [c for c in nb["cells"] if not _nbg(c).get("grade")]

    def edit_tests(nb):
        for c in nb["cells"]:
            if _nbg(c).get("grade"):
                c["source"] = "pass"

    def move_tests(nb):
        graded = [c for c in nb["cells"] if _nbg(c).get("grade")]
        nb["cells"] = graded + [c for c in nb["cells"] if not _nbg(c).get("grade")]

    def edit_metadata(nb):
        graded = [c for c in nb["cells"] if _nbg(c).get("grade")]
        edits = [("points", 100), ("grade", False), ("schema_version", 99)]
        for cell, (key, value) in zip(graded, edits, strict=False):
            cell["metadata"]["nbgrader"][key] = value

    steal = {k: f'_steal("{k}")' for k in ids}
    steal[first] = STEAL.format(aid=aid) + steal[first]
    fakes = {k: _fake_answers(answers[k]) for k in ids}

    cases: list[tuple[str, str, dict[str, bytes | None] | Callable]] = [
        ("control-a", "correct answers (graded first)", {}),
        ("partial", "the first half of the answers", {}),
        ("blank", "hands in the release unchanged", {}),
        ("wrong", "every return value negated", {}),
        ("syntax-error", "a syntax error in the last answer cell", {}),
        ("infinite-loop", "an infinite loop in the last function", {}),
        ("loop-ignores-sigint", "an infinite loop that ignores the interrupt", {}),
        ("huge-allocation", "allocates 16 GiB in the first function", {}),
        ("sys-exit", "sys.exit() in the first function", {}),
        ("os-exit", "os._exit() in the second answer cell", {}),
        ("segfault", "a segfault (ctypes) in the last function", {}),
        ("import-error", "imports a package that does not exist", {}),
        ("tests-deleted", "deletes every test cell", {}),
        ("tests-edited", "blank answers, every test replaced by `pass`", {}),
        ("tests-moved", "moves every test cell to the top", {}),
        ("metadata-edited", "one answer; points 100, grade off, schema 99", {}),
        ("checks-edited", "blank answers, a checks.py that never fails", {}),
        ("empty-notebook", "a notebook without cells", {}),
        ("invalid-json", "a truncated file", {}),
        ("other-assignment", "the notebook of another assignment", {}),
        ("renamed", "correct answers in a renamed notebook", {}),
        ("cheat-numpy", "fake answers, np.allclose patched to True", {}),
        ("cheat-checks", "fake answers, test helpers redefined", {}),
        ("cheat-print", "fake answers, print and np.testing patched", {}),
        ("cheat-reads-solutions", "reads the instructor's notebook at run time", {}),
        ("cheat-transformer", "an IPython input transformer that empties later cells", {}),
        ("copier", "copies control-a's notebook", {}),
        ("control-z", "correct answers (graded last)", {}),
    ]
    if not memory_limit:
        cases = [c for c in cases if c[0] != "huge-allocation"]
    out = []
    for sid, case, _ in cases:
        files: dict[str, bytes | None]
        match sid:
            case "control-a" | "control-z":
                files = {name: notebook(sid, solved())}
            case "partial":
                files = {name: notebook(sid, solved(math.ceil(len(ids) / 2)))}
            case "blank":
                files = {name: notebook(sid, {})}
            case "wrong":
                files = {name: notebook(sid, {k: _negate_returns(v) for k, v in answers.items()})}
            case "syntax-error":
                files = {name: notebook(sid, solved(**{last: answers[last] + "\ndef oops(:\n"}))}
            case "infinite-loop":
                loop = _edit_function(answers[last], -1, "while True:\n    pass")
                files = {name: notebook(sid, solved(**{last: loop}))}
            case "loop-ignores-sigint":
                stmt = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
                stmt += "while True:\n    pass"
                files = {
                    name: notebook(sid, solved(**{last: _edit_function(answers[last], -1, stmt)}))
                }
            case "huge-allocation":
                big = _edit_function(answers[first], 0, "_big = np.ones(1 << 31)")
                files = {name: notebook(sid, solved(**{first: big}))}
            case "sys-exit":
                ex = _edit_function(answers[first], 0, "import sys\nsys.exit(0)")
                files = {name: notebook(sid, solved(**{first: ex}))}
            case "os-exit":
                ex = _edit_function(answers[second], 0, "import os\nos._exit(1)")
                files = {name: notebook(sid, solved(**{second: ex}))}
            case "segfault":
                seg = _edit_function(answers[last], -1, "import ctypes\nctypes.string_at(0)")
                files = {name: notebook(sid, solved(**{last: seg}))}
            case "import-error":
                bad = "import a_package_that_does_not_exist\n" + answers[first]
                files = {name: notebook(sid, solved(**{first: bad}))}
            case "tests-deleted":
                files = {name: notebook(sid, solved(), drop_tests)}
            case "tests-edited":
                files = {name: notebook(sid, {}, edit_tests)}
            case "tests-moved":
                files = {name: notebook(sid, solved(), move_tests)}
            case "metadata-edited":
                files = {name: notebook(sid, solved(1), edit_metadata)}
            case "checks-edited":
                fake = "def call(f, *a, **k):\n    return None\n\n"
                fake += "expect_close = expect_shape = expect_float = not_borrowed = call\n"
                fake += "unchanged = plot_against = call\n"
                files = {name: notebook(sid, {}), "checks.py": fake.encode()}
            case "empty-notebook":
                nb = {"cells": [], "metadata": rel["metadata"], "nbformat": 4, "nbformat_minor": 5}
                files = {name: json.dumps(nb).encode()}
            case "invalid-json":
                files = {name: notebook(sid, solved())[:200]}
            case "other-assignment":
                files = {name: json.dumps(OTHER_ASSIGNMENT).encode()}
            case "renamed":
                files = {name: None, f"{aid}-Copy1.ipynb": notebook(sid, solved())}
            case "cheat-numpy":
                fake = dict(fakes)
                fake[first] = "np.allclose = lambda *a, **k: True\n" + fake[first]
                files = {name: notebook(sid, fake)}
            case "cheat-checks":
                fake = dict(fakes)
                fake[first] = PATCH_CHECKS + "\n" + fake[first]
                files = {name: notebook(sid, fake)}
            case "cheat-print":
                fake = dict(fakes)
                patch = "print = lambda *a, **k: None\n"
                patch += "np.testing.assert_allclose = lambda *a, **k: None\n"
                fake[first] = patch + fake[first]
                files = {name: notebook(sid, fake)}
            case "cheat-reads-solutions":
                files = {name: notebook(sid, steal)}
            case "cheat-transformer":
                hack = "get_ipython().input_transformers_cleanup.append(lambda lines: [])\n"
                files = {name: notebook(sid, {first: hack + fakes[first]})}
            case "copier":
                files = {name: out[0].files[name]}
            case _:
                raise AssertionError(sid)
        out.append(Submission(sid, case, files))
    return out


# ---------------------------------------------------------------------------------------------
# Attacks on the grader: each probe earns the instructor's answers only if the attack works
# ---------------------------------------------------------------------------------------------

#: marks the processes an attack starts, so that a test can look for survivors
DAEMON_MARK = "actbook-grading-daemon"

_PROBE = """def _probe():
    try:
{body}
        return True
    except Exception:
        return False
if _probe():
{answers}
"""

_ATTACKS = {  # student -> (case, code run before the answers: sets _gain() when it worked)
    "read-solutions": ("reads the instructor's notebook in solutions/",
                       "open({solutions!r}).read(1)"),
    "read-gradebook": ("reads the gradebook", "assert open({gradebook!r}, 'rb').read(16)"),
    "read-other": ("reads another student's submission", "open({other!r}).read(1)"),
    "read-home": ("reads a file of the grader's home folder",
                  "import os\n"
                  "_files = [e.path for e in os.scandir({home!r}) if e.is_file()]\n"
                  "open(_files[0], 'rb').read(1)"),
    "network": ("connects to a port the grader opened on localhost",
                "__import__('socket').create_connection(('127.0.0.1', {port}), timeout=3)"),
}  # fmt: skip

_SABOTAGE = {
    "write-gradebook": (
        "zeroes every mark in the gradebook",
        "import sqlite3\n"
        "_db = sqlite3.connect({gradebook!r})\n"
        "_db.execute('UPDATE grade SET auto_score = 0, manual_score = 0')\n"
        "_db.commit()\n"
        "open({gradebook!r}, 'ab').write(b'x' * 4096)",
    ),
    "write-other": (
        "overwrites another student's graded notebook",
        "open({other_graded!r}, 'w').write('{{}}')",
    ),
    "daemon": (
        "starts a process that outlives the kernel and edits files later",
        "import subprocess, sys\n"
        "_code = ('import time, sys\\n'\n"
        "         'while True:\\n'\n"
        "         '    time.sleep(0.5)\\n'\n"
        "         '    for p in sys.argv[2:]:\\n'\n"
        '         \'        try: open(p, "a").write("x")\\n\'\n'
        "         '        except OSError: pass\\n')\n"
        "subprocess.Popen([sys.executable, '-c', _code, {mark!r}, {gradebook!r},"
        " {other_graded!r}], start_new_session=True, stdin=subprocess.DEVNULL,"
        " stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)",
    ),
}

_INTERPRETER = {  # cheats on the interpreter, with wrong answers (zeros of the right shape)
    "cheat-settrace": (
        "sys.settrace makes every expect_close compare the expected value with itself",
        "import sys, ctypes, threading\n"
        "def _trace(frame, event, arg):\n"
        "    if event == 'call' and frame.f_code.co_name == 'expect_close':\n"
        "        frame.f_locals['got'] = frame.f_locals['expected']\n"
        "        ctypes.pythonapi.PyFrame_LocalsToFast(ctypes.py_object(frame), ctypes.c_int(0))\n"
        "    return None\n"
        "sys.settrace(_trace)\n"
        "threading.settrace(_trace)",
    ),
    "cheat-assertion": (
        "replaces AssertionError and swallows it",
        "import builtins\n"
        "class AssertionError(BaseException):\n"
        "    pass\n"
        "builtins.AssertionError = AssertionError\n"
        "get_ipython().set_custom_exc((BaseException,), lambda *a, **k: None)",
    ),
    "cheat-equal": (
        "answers with objects equal to anything",
        "class _Any(float):\n"
        "    def __eq__(self, other): return True\n"
        "    __le__ = __ge__ = __eq__\n"
        "    def __ne__(self, other): return False\n"
        "    def __array__(self, *a, **k):\n"
        "        import inspect\n"
        "        f = inspect.currentframe().f_back\n"
        "        while f is not None and 'expected' not in f.f_locals:\n"
        "            f = f.f_back\n"
        "        return np.asarray(f.f_locals['expected'] if f else 0.0, dtype=float)\n"
        "_ANY = _Any(0.0)",
    ),
    "cheat-fake-pass": (
        "hides every error and prints that the tests passed",
        "def _quiet(*args, **kwargs):\n"
        "    print('All tests passed')\n"
        "get_ipython().showtraceback = _quiet\n"
        "get_ipython().showsyntaxerror = _quiet",
    ),
}


#: the cheats of :func:`fake_class`, which the attack class repeats
FAKE_CLASS_CHEATS = ("cheat-reads-solutions", "cheat-transformer", "cheat-numpy", "cheat-checks",
                     "cheat-print", "checks-edited", "tests-edited")  # fmt: skip
#: every submission that cheats or sabotages: each must score 0
CHEATS = (*_ATTACKS, *_SABOTAGE, *_INTERPRETER, *FAKE_CLASS_CHEATS)


def attack_class(aid: str, course_root: Path, port: int) -> list[Submission]:
    """Submissions that attack the grader itself, for the course built in ``course_root``;
    ``port``: a port the grader listens on at 127.0.0.1. Each read or connection probe gets
    the instructor's answers only when it succeeds; each sabotage aims at ``control-a``, who
    must be graded first; each interpreter cheat comes with wrong answers."""
    base = {s.student: s for s in fake_class(aid, memory_limit=False)}
    src = json.loads((release.SOLUTIONS / aid / f"{aid}.ipynb").read_text())
    rel = json.loads((release.EXERCISES / aid / f"{aid}.ipynb").read_text())
    answers = solution_code(src)
    ids = list(answers)
    name = f"{aid}.ipynb"
    where = {
        "solutions": str(course_root / "solutions" / aid / name),
        "gradebook": str(course_root / "gradebook.db"),
        "other": str(course_root / "submitted" / "control-a" / aid / name),
        "other_graded": str(course_root / "autograded" / "control-a" / aid / name),
        "home": str(Path.home()),
        "port": port,
        "mark": DAEMON_MARK,
    }

    def notebook(sid: str, code: dict[str, str]) -> bytes:
        nb = copy.deepcopy(rel)
        for cell in nb["cells"]:
            gid = _nbg(cell).get("grade_id")
            if gid in code:
                cell["source"] = f'_author = "{sid}"\n' + code[gid]
        return json.dumps(nb, indent=1).encode()

    fakes = {k: _fake_answers(answers[k]) for k in ids}
    out = [base["control-a"]]
    for sid, (case, probe) in _ATTACKS.items():
        body = textwrap.indent(probe.format(**where), " " * 8)
        code = dict(fakes)
        for k in ids:  # each answer cell: the instructor's answer if the probe succeeds
            code[k] = (
                fakes[k]
                + "\n"
                + _PROBE.format(body=body, answers=textwrap.indent(answers[k], "    "))
            )
        out.append(Submission(sid, case, {name: notebook(sid, code)}))
    for sid, (case, attack) in _SABOTAGE.items():
        code = dict(fakes)
        code[ids[0]] = "try:\n" + textwrap.indent(attack.format(**where), "    ")
        code[ids[0]] += "\nexcept Exception:\n    pass\n" + fakes[ids[0]]
        out.append(Submission(sid, case, {name: notebook(sid, code)}))
    for sid, (case, attack) in _INTERPRETER.items():
        code = dict(fakes)
        if sid == "cheat-equal":
            code = {k: _any_answers(answers[k]) for k in ids}
        code[ids[0]] = attack + "\n" + code[ids[0]]
        out.append(Submission(sid, case, {name: notebook(sid, code)}))
    out += [base[sid] for sid in FAKE_CLASS_CHEATS]
    out.append(base["control-z"])
    return out


def _any_answers(code: str) -> str:
    """Every function returns an object equal to anything."""
    tree = ast.parse(code)
    for f in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        f.body = ast.parse("return _ANY").body
    return ast.unparse(tree)


# ---------------------------------------------------------------------------------------------
# The rehearsal
# ---------------------------------------------------------------------------------------------


@dataclass
class Rehearsal:
    course: classroom.Course
    aid: str
    submissions: list[Submission]
    grades: dict[str, classroom.GradeResult]
    report: integrity.IntegrityReport
    renamed: dict[str, str]
    csv: Path
    feedback: dict[str, list[Path]]
    seconds: dict[str, float]
    #: the first student's graded notebook and marks, taken right after they were graded and
    #: again at the end (every other submission graded since): equal when nobody touched them
    witness: dict[str, tuple] = field(default_factory=dict)
    #: processes a submission started that were still alive after the grading
    survivors: list[str] = field(default_factory=list)

    def others_unchanged(self) -> bool:
        return bool(self.witness) and self.witness["before"] == self.witness["after"]


def rehearse(
    workdir: Path,
    aid: str,
    submissions: list[Submission] | None = None,
    *,
    timeout: int | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int = 1,
    attacks: bool = False,
    **settings,
) -> Rehearsal:
    """Run the whole cycle for ``aid`` in ``workdir`` (an empty folder) and return the results.

    ``attacks``: add the submissions of :func:`attack_class` (for the grader listens on a
    port of 127.0.0.1 meanwhile); with ``submissions`` given, those replace the fake class.
    """
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # alembic, jupyter
    say = progress or (lambda _: None)
    limited = plugins.MEMORY_LIMIT_SUPPORTED
    listener = socket.create_server(("127.0.0.1", 0)) if attacks else None
    try:
        if submissions is None:
            submissions = fake_class(aid, limited)
            if attacks:
                known = {s.student for s in submissions}
                port = listener.getsockname()[1]
                extra = attack_class(aid, Path(workdir).resolve(), port)
                submissions += [s for s in extra if s.student not in known]
                submissions.sort(key=lambda s: s.student == "control-z")  # stays last
        return _rehearse(workdir, aid, submissions, timeout, say, settings, workers)
    finally:
        if listener is not None:
            listener.close()


def _witness(course: classroom.Course, aid: str, sid: str) -> tuple:
    graded = course.root / "autograded" / sid / aid
    files = tuple(sorted((p.name, p.read_bytes()) for p in graded.glob("*.ipynb")))
    return files, course.scores(aid, sid)


def survivors(mark: str = DAEMON_MARK) -> list[str]:
    """Command lines of running processes that carry ``mark``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if mark in text and str(os.getpid()) != cmdline.parent.name:
            found.append(text.strip())
    return found


def _rehearse(workdir, aid, submissions, timeout, say, settings, workers=1) -> Rehearsal:
    seconds = {}
    t = time.perf_counter()
    course = classroom.Course(workdir, [aid], timeout=timeout, **settings)
    course.generate(aid)
    course.release(aid)
    seconds["generate + release"] = time.perf_counter() - t
    say(f"released {aid} into the exchange {course.exchange}")

    t = time.perf_counter()
    for sub in submissions:
        folder = course.fetch(aid, sub.student)
        for fname, data in sub.files.items():
            if data is None:
                (folder / fname).unlink()
            else:
                (folder / fname).write_bytes(data)
        course.submit(aid, sub.student)
    course.collect(aid)
    students = [s.student for s in submissions]
    assert sorted(course.submitted(aid)) == sorted(students), "collect lost a submission"
    seconds["fetch + submit + collect"] = time.perf_counter() - t
    say(f"{len(students)} students fetched and submitted; collected {len(students)} submissions")

    notebooks = [p.stem for p in (course.root / "exercises" / aid).glob("*.ipynb")]
    renamed = classroom.restore_renamed(course.root, aid, notebooks)
    for sid, what in renamed.items():
        say(f"renamed notebook of {sid}: {what}")

    width = max(map(len, students))

    witness = {}

    def line(i, n, r: classroom.GradeResult):
        if i == 1:
            witness["student"] = r.student
            witness["before"] = _witness(course, aid, r.student)
        status = "" if r.ok else "  (not graded: see report)"
        score = f"{r.score:5.1f}/{r.max_score:g}"
        say(f"[{i:>2}/{n}] {r.student:<{width}} {score}  {r.seconds:5.1f} s{status}")

    t = time.perf_counter()
    timeout = course.config.Execute.timeout
    say(f"autograding {len(students)} submissions (per-cell timeout {timeout} s)")
    if workers > 1:  # issue 18: one nbgrader process per submission, `workers` at a time
        grades = parallel.grade_course(course, aid, students, workers, progress=line)
    else:
        grades = course.autograde(aid, students, progress=line)
    seconds["autograde"] = time.perf_counter() - t
    alive = survivors()
    if witness:
        witness["after"] = _witness(course, aid, witness["student"])

    t = time.perf_counter()
    course.generate_feedback(aid)
    course.release_feedback(aid)
    feedback = {sid: course.fetch_feedback(aid, sid) for sid in students}
    csv = course.export_csv(course.root / "grades.csv")
    seconds["feedback + export"] = time.perf_counter() - t
    report = integrity.integrity_report(course.root, aid, grades)
    return Rehearsal(
        course, aid, submissions, grades, report, renamed, csv, feedback, seconds, witness, alive
    )


def table(r: Rehearsal) -> str:
    cells = list(next((g.cells for g in r.grades.values() if g.cells), {}))
    short = {c: c.removeprefix("test-") for c in cells}
    head = ["student", "case", "score", *short.values(), "time", "integrity report"]
    rows = []
    for sub in r.submissions:
        g = r.grades[sub.student]
        concerns = ", ".join(sorted(r.report.concerns(sub.student))) or "-"
        per = [f"{g.cells[c]:g}" if c in g.cells else "-" for c in cells]
        rows.append([sub.student, sub.case, f"{g.score:g}/{g.max_score:g}", *per,
                     f"{g.seconds:.1f}s", concerns])  # fmt: skip
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    return "\n".join([*lines, *(fmt.format(*row) for row in rows)])


def verdict(r: Rehearsal) -> str:
    """What the rehearsal proves, in a few lines: cheats at 0, others untouched, sandbox."""
    cheats = [s.student for s in r.submissions if s.student in CHEATS]
    won = [f"{sid} {r.grades[sid].score:g}" for sid in cheats if r.grades[sid].score > 0]
    sandboxes = {
        f.detail.split(": ", 1)[-1] for f in r.report.findings if f.concern == "not sandboxed"
    }
    first = r.witness.get("student", "-")
    lines = [
        f"cheats and sabotage: {len(cheats)}, "
        + ("every one scored 0" if not won else f"NOT ALL AT 0: {', '.join(won)}"),
        f"{first}'s graded notebook and marks after the {len(r.grades) - 1} other submissions: "
        + ("byte-for-byte unchanged" if r.others_unchanged() else "CHANGED"),
        f"processes a submission left running: {len(r.survivors)}",
        "students' code ran in: "
        + (", ".join(sorted(sandboxes)) if sandboxes else "the bubblewrap sandbox")
        + "; the tests in a trusted kernel",
    ]
    return "\n".join(lines)


def _say(message: str) -> None:
    print(message, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--assignment", default=release.assignments()[0],
                    help="an assignment id of solutions/, or 'all'")  # fmt: skip
    ap.add_argument("--timeout", type=int, default=10,
                    help="per-cell timeout of the rehearsal, s (the course's setting is "
                         "nbgrader_config.py's)")  # fmt: skip
    ap.add_argument("--keep", type=Path, help="build the course in this (new) folder and keep it")
    ap.add_argument("--workers", type=int, default=1,
                    help="grade N at once (a temporary PostgreSQL gradebook)")  # fmt: skip
    ap.add_argument("--no-attacks", dest="attacks", action="store_false",
                    help="leave out the submissions that attack the grader itself")  # fmt: skip
    args = ap.parse_args(argv)
    aids = release.assignments() if args.assignment == "all" else [args.assignment]
    server = None
    if args.workers > 1:  # issue 18: SQLite takes one writer; PostgreSQL takes many
        if parallel.pg_bin() is None:
            print(f"grade-demo --workers: {parallel.INSTALL_HINT}")
            return 2
        server = parallel.TemporaryPostgres()
        atexit.register(server.stop)
    for aid in aids:
        with tempfile.TemporaryDirectory(prefix="grade-demo-") as tmp:
            work = args.keep / aid if args.keep else Path(tmp)
            db = (
                {"CourseDirectory__db_url": server.database(aid.replace("-", "_"))}
                if server
                else {}
            )
            r = rehearse(
                work, aid, timeout=args.timeout, progress=_say, workers=args.workers,
                attacks=args.attacks, **db,
            )  # fmt: skip
            print()
            print(table(r))
            print()
            print(verdict(r))
            print(f"\nIntegrity report ({len(r.report.findings)} findings):")
            for sid, found in r.report.by_student().items():
                for f in found:
                    print(f"  {sid:<22} {f.concern:<30} {f.detail}")
            n_fb = sum(bool(v) for v in r.feedback.values())
            print(f"\nfeedback: {n_fb} students fetched their HTML feedback")
            print(f"grades: {r.csv} ({len(r.csv.read_text().splitlines()) - 1} rows)")
            if not args.keep:
                shutil.copy(r.csv, Path(tempfile.gettempdir()) / f"grade-demo-{aid}.csv")
                print(
                    f"        (copied to {Path(tempfile.gettempdir()) / f'grade-demo-{aid}.csv'})"
                )
            times = ", ".join(f"{k} {v:.1f} s" for k, v in r.seconds.items())
            print(f"time: {times}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
