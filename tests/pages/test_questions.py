"""Problem set 6 (the Q&A of section VIII): every question is graded, every misconception
fails its hidden test, and no answer is readable in the release.

The misconception tests run the instructor notebook's cells in a fresh interpreter (the
exercises may not see ``actbook``), once, and then each test cell against a namespace in
which one answer was replaced by a plausible wrong one.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from actbook.catalog import numeric
from actbook.course import answers as questions

ROOT = Path(__file__).resolve().parents[2]
AID = "ps06-questions"
SOLUTION = ROOT / "solutions" / AID / f"{AID}.ipynb"
RELEASE = ROOT / "exercises" / AID / f"{AID}.ipynb"

AUTO = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q11", "q12", "diagnose"]
MANUAL = ["q2-explain", "q6-explain", "q10-explain", "q12-explain"]


def cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def meta(cell: dict) -> dict:
    return cell["metadata"].get("nbgrader", {})


def source(path: Path, gid: str) -> str:
    (cell,) = [c for c in cells(path) if meta(c).get("grade_id") == gid]
    return "".join(cell["source"])


def given(gid: str) -> dict:
    """Execute a locked 'given data' cell of the notebook and return its names."""
    ns: dict = {"np": np}
    exec(source(SOLUTION, gid), ns)
    return ns


# ------------------------------------------------------------------ structure


def test_every_question_has_a_graded_cell_with_visible_and_hidden_tests():
    by_id = {meta(c).get("grade_id"): c for c in cells(SOLUTION) if meta(c)}
    for q in AUTO:
        assert by_id[q]["cell_type"] == "code" and meta(by_id[q])["solution"], q
        test = by_id[f"test-{q}"]
        m = meta(test)
        assert m["grade"] and m["locked"] and m["points"] > 0, q
        visible, _, rest = "".join(test["source"]).partition("### BEGIN HIDDEN TESTS")
        hidden, end, _ = rest.partition("### END HIDDEN TESTS")
        assert end and len(visible.strip().splitlines()) >= 2 and len(hidden.strip()) > 50, q
    for c in cells(SOLUTION):
        if meta(c).get("grade_id"):
            assert c["id"] == meta(c)["grade_id"]


def test_explain_questions_have_manually_graded_answers_with_a_mark_scheme():
    by_id = {meta(c).get("grade_id"): c for c in cells(SOLUTION) if meta(c)}
    for gid in MANUAL:
        c = by_id[gid]
        m = meta(c)
        assert c["cell_type"] == "markdown" and m["solution"] and m["grade"] and m["points"] > 0
        text = "".join(c["source"])
        # the rubric lives inside the solution region, which the release replaces
        assert re.search(r"BEGIN SOLUTION.*Model answer.*Mark scheme.*END SOLUTION", text, re.S)
    released = {meta(c).get("grade_id"): c for c in cells(RELEASE) if meta(c)}
    for gid in MANUAL:
        assert "".join(released[gid]["source"]).strip() == "YOUR ANSWER HERE"


# ------------------------------------------------------------------ fingerprints


def notebook_fingerprint():
    """The notebook's own fingerprint function (it may not import actbook)."""
    tree = ast.parse(source(SOLUTION, "imports"))
    (fn,) = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "fingerprint"]
    import hashlib

    ns: dict = {"np": np, "hashlib": hashlib}
    exec(compile(ast.Module([fn], []), "imports", "exec"), ns)
    return ns["fingerprint"]


@pytest.mark.parametrize(
    "value", [0.25, -0.0, 4.771816049005278e-09, np.eye(2), np.array([1.0, -2.5]), 1e300]
)
def test_notebook_fingerprint_is_the_library_one(value):
    assert notebook_fingerprint()(value) == questions.fingerprint(value)


def visible_fingerprints() -> dict[str, str]:
    """'what' -> hash of every expect_fingerprint call of the release."""
    text = RELEASE.read_text()
    pairs = re.findall(r'expect_fingerprint\([^,]+, \\"([0-9a-f]{16})\\", \\"([^"\\]+)\\"\)', text)
    return {what: h for h, what in pairs}


def reference_values() -> dict[str, object]:
    """What each visible fingerprint stands for, computed by the course library."""
    q1 = given("q1-given")["LAYERS_Q1"]
    W, b = questions.collapse(q1)
    g12 = given("q12-given")
    return {
        "W_eff of LAYERS_Q1": W,
        "b_eff of LAYERS_Q1": b,
        "Q2_FACTOR": questions.chain_factor("sigmoid", given("q2-given")["ZS_Q2"]),
        "tanh_from_sigmoid([-2, 0.5, 3])": numeric.tanh(np.array([-2.0, 0.5, 3.0])),
        "Q11_FACTOR": questions.chain_factor("tanh", given("q11-given")["ZS_Q11"]),
        "Q12_MEANS['sigmoid']": float(np.mean(numeric.sigmoid(g12["Z_MEAN"]))),
        "Q12_MEANS['tanh']": float(np.mean(numeric.tanh(g12["Z_MEAN"]))),
        "single_sign_fraction for sigmoid inputs": questions.single_sign_fraction(
            numeric.sigmoid(g12["Z_Q12"]), g12["DELTA_Q12"]
        ),
    }


def test_visible_fingerprints_are_those_of_the_library_values():
    shown, refs = visible_fingerprints(), reference_values()
    assert set(shown) == set(refs)
    for what, value in refs.items():
        assert shown[what] == questions.fingerprint(value), what


def test_fingerprinted_values_are_far_from_a_rounding_boundary():
    # a correct answer that differs in the last bits must not round to other digits
    for what, value in reference_values().items():
        a = np.asarray(value, dtype=float)
        for eps in (1e-10, -1e-10):
            assert questions.canonical(a * (1 + eps)) == questions.canonical(a), what


def test_q3_dead_units_are_dead_by_a_margin():
    """Dead and alive units are far from z = 0, so any order of summation agrees."""
    g = given("q3-given")
    a = g["X_Q3"]
    for W, b in g["LAYERS_Q3"]:
        z = a @ W.T + b
        assert np.min(np.abs(z.max(axis=0))) > 0.1
        a = np.maximum(z, 0)
    assert [int(m.sum()) for m in questions.dead_units_of_layers(g["LAYERS_Q3"], g["X_Q3"])] == [
        3,
        1,
    ]


# ------------------------------------------------------------------ misconceptions

HARNESS = r"""
import json, linecache, os, sys, traceback
nb = json.load(open(sys.argv[1]))
sys.path.insert(0, os.getcwd())
cases = json.load(sys.stdin)

def run(src, name, ns):
    fn = f"<{name}>"
    linecache.cache[fn] = (len(src), None, src.splitlines(True), fn)
    exec(compile(src, fn, "exec"), ns)

def outcome(src, name, ns):
    try:
        run(src, name, ns)
        return "pass"
    except Exception as e:
        return f"{type(e).__name__}: {e}"[:300]

ns = {"__name__": "__main__"}
tests = {}
for c in nb["cells"]:
    if c["cell_type"] != "code":
        continue
    gid = c["metadata"].get("nbgrader", {}).get("grade_id", c["id"])
    src = "".join(c["source"])
    if gid.startswith("test-"):
        tests[gid] = src
    else:
        run(src, gid, ns)
result = {"baseline": {gid: outcome(src, gid, dict(ns)) for gid, src in tests.items()}}
result["answers"] = {
    "Q1_RANK": int(ns["Q1_RANK"]), "Q2_FACTOR": ns["Q2_FACTOR"], "Q2_LAYERS": ns["Q2_LAYERS"],
    "Q3_DEAD_FRACTION": ns["Q3_DEAD_FRACTION"], "Q11_FACTOR": ns["Q11_FACTOR"],
    "Q6_RATIO_METHOD": ns["time_ratio"](lambda x: sum(range(20000)), lambda x: None, [0], 5),
}
result["cases"] = []
for test_id, override in cases:
    trial = dict(ns)
    try:
        run(override, "override", trial)
    except Exception as e:
        result["cases"].append(f"override failed: {e}")
        continue
    result["cases"].append(outcome(tests[test_id], test_id, trial))
print(json.dumps(result))
"""

# (test cell, code that replaces one answer by a plausible misconception)
MISCONCEPTIONS = {
    "collapse adds the biases without passing them through later layers": (
        "test-q1",
        "def collapse(layers):\n"
        "    W = np.asarray(layers[0][0], float)\n"
        "    for Wl, _ in layers[1:]:\n"
        "        W = np.asarray(Wl) @ W\n"
        "    return W, sum(np.asarray(b, float) for _, b in layers)",
    ),
    "linear hidden layers keep the full rank": ("test-q1", "Q1_RANK = 5"),
    "collapse borrowed from the course library": (
        "test-q1",
        "from actbook.course.answers import collapse",
    ),
    "the activation instead of its derivative": (
        "test-q2",
        "def chain_factor(kind, zs):\n"
        "    z = np.asarray(zs, float)\n"
        "    return float(np.prod(1 / (1 + np.exp(-z)) if kind == 'sigmoid' else np.tanh(z)))\n"
        "Q2_FACTOR = chain_factor('sigmoid', ZS_Q2)",
    ),
    "the best case 0.25**n taken as the factor": (
        "test-q2",
        "def chain_factor(kind, zs):\n"
        "    return float((0.25 if kind == 'sigmoid' else 1.0) ** len(zs))\n"
        "Q2_FACTOR = chain_factor('sigmoid', ZS_Q2)",
    ),
    "naive sigma(1 - sigma) overflows at z = -1000": (
        "test-q2",
        "def chain_factor(kind, zs):\n"
        "    z = np.asarray(zs, float)\n"
        "    s = 1 / (1 + np.exp(-z))\n"
        "    return float(np.prod(s * (1 - s) if kind == 'sigmoid' else 1 - np.tanh(z) ** 2))",
    ),
    "a factor of 0.1 per layer": ("test-q2", "Q2_LAYERS = 6"),
    "dead means zero on some example": (
        "test-q3",
        "def dead_units(layers, X):\n"
        "    a, out = np.asarray(X, float), []\n"
        "    for W, b in layers:\n"
        "        a = np.maximum(a @ W.T + b, 0)\n"
        "        out.append(np.any(a == 0, axis=0))\n"
        "    return out\n"
        "Q3_DEAD_FRACTION = float(np.concatenate(dead_units(LAYERS_Q3, X_Q3)).mean())",
    ),
    "dying blamed on the learning rate before any training": (
        "test-q3",
        "Q3_CAUSE = 'high_learning_rate'",
    ),
    "a higher learning rate revives dead units": (
        "test-q3",
        "Q3_FIXES = Q3_FIXES | {'higher_learning_rate'}",
    ),
    "He initialisation prevents dying": ("test-q3", "Q3_FIXES = Q3_FIXES | {'he_init'}"),
    "monitoring is a fix": ("test-q3", "Q3_FIXES = Q3_FIXES | {'monitor_activations'}"),
    "softmax for multi-label": (
        "test-q4",
        "Q4 = dict(Q4, instruments=('softmax', 'categorical_cross_entropy'))",
    ),
    "sigmoid for regression": (
        "test-q4",
        "Q4 = dict(Q4, temperature=('sigmoid', 'binary_cross_entropy'))",
    ),
    "softmax paired with binary cross-entropy": (
        "test-q4",
        "Q4 = dict(Q4, genre=('softmax', 'binary_cross_entropy'))",
    ),
    "tanh(z) = 2 sigma(z) - 1 (without the 2z)": (
        "test-q5",
        "def tanh_from_sigmoid(z):\n    return 2 * sigmoid(z) - 1",
    ),
    "tanh_from_sigmoid calls np.tanh": (
        "test-q5",
        "def tanh_from_sigmoid(z):\n    return np.tanh(np.asarray(z, float))",
    ),
    "peak ratio read off the ranges": ("test-q5", "Q5_PEAK_RATIO = 2.0"),
    "mean times instead of medians": (
        "test-q6",
        "def time_ratio(slow, fast, x, repeats=7, clock=time.perf_counter):\n"
        "    ts, tf = [], []\n"
        "    for _ in range(repeats):\n"
        "        t0 = clock(); slow(x); ts.append(clock() - t0)\n"
        "        t0 = clock(); fast(x); tf.append(clock() - t0)\n"
        "    return float(np.mean(ts) / np.mean(tf))",
    ),
    "timed with perf_counter instead of the clock it is given": (
        "test-q6",
        "def time_ratio(slow, fast, x, repeats=7, clock=time.perf_counter):\n"
        "    ts, tf = [], []\n"
        "    for _ in range(repeats):\n"
        "        t0 = time.perf_counter(); slow(x); ts.append(time.perf_counter() - t0)\n"
        "        t0 = time.perf_counter(); fast(x); tf.append(time.perf_counter() - t0)\n"
        "    return float(np.median(ts) / np.median(tf))",
    ),
    "ratio inverted (fast / slow)": (
        "test-q6",
        "_tr = time_ratio\n"
        "def time_ratio(slow, fast, x, repeats=7, clock=time.perf_counter):\n"
        "    return 1.0 / _tr(slow, fast, x, repeats, clock)",
    ),
    "the 6x is a per-operation speed-up against sigmoid": ("test-q6", "Q6_KRIZHEVSKY = 'a'"),
    "Leaky ReLU adds noise that regularises": ("test-q7", "Q10_TRUE = Q10_TRUE | {2}"),
    "sparsity is why ReLU learns better features": ("test-q7", "Q10_TRUE = Q10_TRUE | {6}"),
    "ELU is zero-centred": ("test-q7", "Q7_MEANS = dict(Q7_MEANS, elu=0.0)"),
    "ELU for a latency-bound microcontroller": (
        "test-q7",
        "RECTIFIER_CHOICE = dict(RECTIFIER_CHOICE, microcontroller='elu')",
    ),
    "ELU is the cheap fix for dead units": (
        "test-q7",
        "RECTIFIER_CHOICE = dict(RECTIFIER_CHOICE, dead_units='elu')",
    ),
    "linear hidden layers": ("test-q8", "Q8 = dict(Q8, cnn_hidden='linear')"),
    "sigmoid hidden layers in a 50-layer CNN": ("test-q8", "Q8 = dict(Q8, cnn_hidden='sigmoid')"),
    "ReLU in a transformer's feed-forward block": (
        "test-q8",
        "Q8 = dict(Q8, transformer_ffn='relu')",
    ),
    "softmax for several diseases at once": ("test-q8", "Q8 = dict(Q8, diseases='softmax')"),
    "ReLU gates in an LSTM": ("test-q8", "Q8 = dict(Q8, lstm_gates='relu')"),
    "sigmoid for a signed regression target": ("test-q8", "Q8 = dict(Q8, stock_change='sigmoid')"),
    "the blank is sigmoid's peak 0.25": ("test-q11", "Q11_BLANK = 0.25"),
    "ReLU's derivative is below 1 too": ("test-q11", "Q11_BELOW = {'sigmoid', 'tanh', 'relu'}"),
    "tanh' = 1 - tanh": (
        "test-q11",
        "Q11_FACTOR = float(np.prod(1 - np.tanh(ZS_Q11)))",
    ),
    "sigmoid is zero-centred": ("test-q12", "Q12_MEANS = dict(Q12_MEANS, sigmoid=0.0)"),
    "only all-positive gradients counted": (
        "test-q12",
        "def single_sign_fraction(A, delta, batch=None):\n"
        "    G = np.asarray(delta).reshape(-1, 1) * np.asarray(A)\n"
        "    return float(np.mean(np.all(G > 0, axis=1)))",
    ),
    "minibatches ignored": (
        "test-q12",
        "_ssf = single_sign_fraction\n"
        "def single_sign_fraction(A, delta, batch=None):\n"
        "    return _ssf(A, delta)",
    ),
    "ELU stops an exploding loss": (
        "test-diagnose",
        "DIAGNOSIS = dict(DIAGNOSIS, C=('exploding_gradients', 'use_elu'))",
    ),
    "dead units read as vanishing gradients": (
        "test-diagnose",
        "DIAGNOSIS = dict(DIAGNOSIS, A=('vanishing_gradients', 'relu_with_he_init'))",
    ),
    "a healthy run with 9% idle units called dead": (
        "test-diagnose",
        "DIAGNOSIS = dict(DIAGNOSIS, G=('dead_relu', 'leaky_relu_or_lower_lr'))",
    ),
    "multi-label softmax left as it is": (
        "test-diagnose",
        "DIAGNOSIS = dict(DIAGNOSIS, D=('softmax_multilabel', 'no_change'))",
    ),
}


# (test cell, code that replaces one answer by another the course supports): these must pass
ALTERNATIVES = {
    "SiLU/Swish in a deep CNN (EfficientNet)": ("test-q8", "Q8 = dict(Q8, cnn_hidden='swish')"),
    "GELU in a deep CNN (ConvNeXt)": ("test-q8", "Q8 = dict(Q8, cnn_hidden='gelu')"),
    "Swish, the gate of SwiGLU, in a transformer": (
        "test-q8",
        "Q8 = dict(Q8, transformer_ffn='swish')",
    ),
}


@pytest.fixture(scope="module")
def trial_runs() -> dict:
    cases = list(MISCONCEPTIONS.values()) + list(ALTERNATIVES.values())
    proc = subprocess.run(
        [sys.executable, "-c", HARNESS, SOLUTION.name],
        input=json.dumps(cases),
        cwd=SOLUTION.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env={"OPENBLAS_NUM_THREADS": "1", "PATH": str(Path(sys.executable).parent)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    names = list(MISCONCEPTIONS) + list(ALTERNATIVES)
    out["cases"] = dict(zip(names, out["cases"], strict=True))
    return out


def test_instructor_answers_pass_every_test_cell(trial_runs):
    assert set(trial_runs["baseline"]) == {f"test-{q}" for q in AUTO}
    assert all(v == "pass" for v in trial_runs["baseline"].values()), trial_runs["baseline"]


def test_instructor_answers_agree_with_the_library(trial_runs):
    ans = trial_runs["answers"]
    layers = given("q1-given")["LAYERS_Q1"]
    assert ans["Q1_RANK"] == np.linalg.matrix_rank(questions.collapse(layers)[0]) == 2
    zs2, zs11 = given("q2-given")["ZS_Q2"], given("q11-given")["ZS_Q11"]
    assert ans["Q2_FACTOR"] == pytest.approx(questions.chain_factor("sigmoid", zs2), rel=1e-12)
    assert ans["Q11_FACTOR"] == pytest.approx(questions.chain_factor("tanh", zs11), rel=1e-12)
    assert 0.25 ** ans["Q2_LAYERS"] < 1e-6 <= 0.25 ** (ans["Q2_LAYERS"] - 1)
    g = given("q3-given")
    masks = questions.dead_units_of_layers(g["LAYERS_Q3"], g["X_Q3"])
    assert ans["Q3_DEAD_FRACTION"] == pytest.approx(np.concatenate(masks).mean(), rel=1e-12)
    # the instructor's timer ranks a busy function above an empty one
    assert ans["Q6_RATIO_METHOD"] > 1


@pytest.mark.parametrize("name", list(MISCONCEPTIONS))
def test_misconception_fails_its_test(trial_runs, name):
    result = trial_runs["cases"][name]
    assert result != "pass", f"{name!r} passes {MISCONCEPTIONS[name][0]}"
    assert not result.startswith("override failed"), result


@pytest.mark.parametrize("name", list(ALTERNATIVES))
def test_answer_the_course_supports_passes(trial_runs, name):
    assert trial_runs["cases"][name] == "pass", (name, trial_runs["cases"][name])


def test_no_test_cell_depends_on_the_machine_clock():
    """A grade must not depend on the grading machine's speed or load: no test cell sleeps,
    reads a real clock or bounds a measured time."""
    for c in cells(SOLUTION):
        if not meta(c).get("grade") or c["cell_type"] != "code":
            continue
        src = "".join(c["source"])
        for word in (
            "time.sleep",
            "perf_counter",
            "timeit",
            "time.time",
            "Q6_RATIO <",
            "< Q6_RATIO",
        ):
            assert word not in src, (meta(c)["grade_id"], word)


# ------------------------------------------------------------------ no leak


def hidden_literals() -> set[str]:
    """Long numeric literals and answer strings of the hidden tests of the instructor copy."""
    found: set[str] = set()
    for c in cells(SOLUTION):
        text = "".join(c["source"])
        for block in re.findall(r"BEGIN HIDDEN TESTS(.*?)END HIDDEN TESTS", text, re.S):
            found |= set(re.findall(r"\d\.\d{8,}(?:e-?\d+)?", block))
            found |= set(re.findall(r"\(\"\w+\", \"\w+\"\)", block))
    return found


def test_release_shows_no_expected_value():
    released = RELEASE.read_text()
    literals = hidden_literals()
    assert len(literals) > 10
    leaked = sorted(s for s in literals if s in released)
    assert not leaked, leaked[:5]
    for marker in ("Model answer", "Mark scheme", "BEGIN SOLUTION", "HIDDEN TESTS"):
        assert marker not in released
    # choice answers are assigned only in solution regions: no answer dict in the release
    for name in ("Q4 = {", "Q8 = {", "DIAGNOSIS = {", "RECTIFIER_CHOICE = {", "Q10_TRUE ="):
        assert name not in released, name


# ------------------------------------------------------------------ nbgrader itself


def validate(path: Path) -> dict:
    from nbgrader.validator import Validator

    v = Validator()
    v.validate_failed_tests = True
    return v.validate(str(path))


@pytest.mark.slow
def test_instructor_notebook_validates_within_30_seconds():
    t0 = time.perf_counter()
    result = validate(SOLUTION)
    elapsed = time.perf_counter() - t0
    assert not result.get("failed"), [f["source"][:200] for f in result["failed"]][:3]
    assert elapsed < 30, f"validation took {elapsed:.1f} s"


@pytest.mark.slow
def test_release_fails_every_graded_cell_unmodified():
    nb = cells(RELEASE)
    graded = {meta(c)["grade_id"] for c in nb if meta(c).get("grade")}
    assert graded == {f"test-{q}" for q in AUTO} | set(MANUAL)
    failed = validate(RELEASE).get("failed", [])
    # nbgrader reports an unanswered manual cell as failed, beside every test cell
    assert len(failed) == len(graded)


@pytest.mark.parametrize(
    "path", [ROOT / "chapters" / "questions.md", RELEASE, SOLUTION], ids=lambda p: p.parent.name
)
def test_the_count_of_questions_in_the_first_sentence_is_the_count_of_questions(path):
    """The opening sentence names how many questions follow; the headings number them (one
    heading may answer several: "Q9 and Q10")."""
    from actbook.figures.tables import number_word

    text = (
        path.read_text()
        if path.suffix == ".md"
        else "".join(
            "".join(c["source"]) + "\n" for c in cells(path) if c["cell_type"] == "markdown"
        )
    )
    headings = re.findall(r"^## (Q\d+.*?)[.:]", text, re.MULTILINE)
    numbers = {int(n) for h in headings for n in re.findall(r"Q(\d+)", h)}
    assert numbers == set(range(1, len(numbers) + 1)), headings
    opening = re.search(r"^(\w+) interview-style questions", text, re.MULTILINE)
    assert opening and opening[1] == number_word(len(numbers), capital=True), opening
