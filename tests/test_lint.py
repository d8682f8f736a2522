"""The code style is part of the suite: `make lint` in one test."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["src", "tests", "benchmarks", "nbgrader_config.py"]


def test_ruff_check_and_format():
    ruff = [sys.executable, "-m", "ruff"]
    check = subprocess.run([*ruff, "check", *TARGETS], cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout[-3000:]
    fmt = subprocess.run([*ruff, "format", "--check", *TARGETS], cwd=ROOT, capture_output=True,
                         text=True)  # fmt: skip
    assert fmt.returncode == 0, fmt.stdout[-3000:]
