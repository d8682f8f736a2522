# The task runner. Every target creates .venv from requirements.txt first when needed.
PY      := .venv/bin/python
VENV    := .venv/.installed
BIN     := .venv/bin
JOBS    ?= 2
# Small matrix products: OpenBLAS threads only spin against each other on 2 cores.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: help install book book-instructor test test-fast lab exercises grade grade-demo bench lint format clean

help:
	@echo "make install    create .venv with everything pinned in requirements.txt (other targets do it too)"
	@echo "make book       build the website into _build/html (strict: any warning fails)"
	@echo "make book-instructor  the book WITH solutions into _build/instructor/html (staff only)"
	@echo "make test       run the whole test suite (fast and slow: book build, browser)"
	@echo "make test-fast  the fast tests only"
	@echo "make lab        JupyterLab on the exercises, with nbgrader and widgets"
	@echo "make exercises  regenerate exercises/ from solutions/ (nbgrader generate_assignment)"
	@echo "make grade A=ID [WORKERS=8] [SCHEDULER=tcp://host:8786]  autograde every submission"
	@echo "               of assignment ID, N at a time (more than 1 needs a PostgreSQL gradebook)"
	@echo "make grade-demo rehearse the grading of a fake class ([WORKERS=2]: in parallel)"
	@echo "make bench      run benchmarks/ and write benchmarks/results.json"
	@echo "make clean      remove what the builds made"

$(VENV): requirements.txt pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)

# jupyter-cache keys a notebook on its own text only: when any module of actbook or the
# measured results change, every chapter must run again, so the cache is dropped.
ACTBOOK_SOURCES := $(shell find src/actbook -name '*.py')
_build/.actbook-stamp: $(ACTBOOK_SOURCES) benchmarks/results.json
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

book: $(VENV) _build/.actbook-stamp
	$(BIN)/jupyter-book build . --all -W -n --keep-going

book-instructor: $(VENV)
	$(PY) -m actbook.site.instructor_build

test: $(VENV)
	$(PY) -m pytest -n $(JOBS) --dist loadgroup

test-fast: $(VENV)
	$(PY) -m pytest -m "not slow" -n $(JOBS)

lint: $(VENV)
	$(BIN)/ruff check src tests benchmarks nbgrader_config.py
	$(BIN)/ruff format --check src tests benchmarks nbgrader_config.py

format: $(VENV)
	$(BIN)/ruff format src tests benchmarks nbgrader_config.py
	$(BIN)/ruff check --fix src tests benchmarks nbgrader_config.py

exercises: $(VENV)
	$(PY) -m actbook.course.release

lab: $(VENV)
	$(BIN)/jupyter lab --notebook-dir=exercises $(if $(filter 0,$(shell id -u)),--allow-root)

# Parallel autograde (actbook.course.parallel): every submission in its own nbgrader process.
WORKERS ?= 1
grade: $(VENV)
	@test -n "$(A)" || { echo "usage: make grade A=<assignment id> [WORKERS=8] [SCHEDULER=tcp://host:8786]"; exit 2; }
	$(PY) -m actbook.course.parallel $(A) --workers $(WORKERS) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

grade-demo: $(VENV)
	$(PY) -m actbook.course.rehearsal $(if $(filter-out 1,$(WORKERS)),--workers $(WORKERS))

bench: $(VENV)
	$(PY) benchmarks/run.py

clean:
	rm -rf _build .pytest_cache .ruff_cache submitted autograded feedback gradebook.db
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +
