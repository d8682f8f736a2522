# The task runner. Every target creates .venv from requirements.txt first when needed.
PY      := .venv/bin/python
VENV    := .venv/.installed
BIN     := .venv/bin
JOBS    ?= 2
# Small matrix products: OpenBLAS threads only spin against each other on 2 cores.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: help install book book-instructor test test-fast lab exercises grade-demo bench lint format clean formgrader feedback results

help:
	@echo "make install    create .venv with everything pinned in requirements.txt (other targets do it too)"
	@echo "make book       build the website into _build/html (strict: any warning fails)"
	@echo "make book-instructor  the book WITH solutions into _build/instructor/html (staff only)"
	@echo "make test       run the whole test suite (fast and slow: book build, browser)"
	@echo "make test-fast  the fast tests only"
	@echo "make lab        JupyterLab on the exercises, with nbgrader and widgets"
	@echo "make exercises  regenerate exercises/ from solutions/ (nbgrader generate_assignment)"
	@echo "make grade-demo rehearse the grading of a fake class"
	@echo "make bench      run benchmarks/ and write benchmarks/results.json"
	@echo "make clean      remove what the builds made"
	@echo "make formgrader JupyterLab at the course root, on nbgrader's formgrader"
	@echo "make feedback A=ID  feedback for assignment ID, only when manual grading is complete"
	@echo "                (ALLOW_UNGRADED=1 goes on anyway, RELEASE=1 also releases it)"
	@echo "make results A=ID   per-question scores and item analysis into results/"

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

grade-demo: $(VENV)
	$(PY) -m actbook.course.rehearsal

bench: $(VENV)
	$(PY) benchmarks/run.py

clean:
	rm -rf _build .pytest_cache .ruff_cache submitted autograded feedback gradebook.db
	find . -name __pycache__ -not -path "./.venv/*" -prune -exec rm -rf {} +

# The instructor's side (actbook.course.feedback, actbook.course.results). The formgrader needs
# the server's file browser at the course root.
formgrader: $(VENV)
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.default_url=/formgrader $(if $(filter 0,$(shell id -u)),--allow-root)

feedback: $(VENV)
	$(PY) -m actbook.course.feedback $(A) $(if $(ALLOW_UNGRADED),--allow-ungraded) $(if $(RELEASE),--release)

results: $(VENV)
	$(PY) -m actbook.course.results $(A)
