# The task runner. Every target creates .venv from requirements.txt first when needed.
JOBS    ?= 2
.DEFAULT_GOAL := help
# the environment (.venv from requirements.txt) and `make book`, shared with the student edition
include edition/common.mk

.PHONY: help install book book-instructor student-edition test test-fast lab lab-instructor exercises grade grade-demo bench lint format clean formgrader feedback results

help:
	@echo "make install    create .venv with everything pinned in requirements.txt (other targets do it too)"
	@echo "make book       build the website into _build/html (strict: any warning fails)"
	@echo "make book-instructor  the book WITH solutions into _build/instructor/html (staff only)"
	@echo "make student-edition DEST=DIR  the public student edition (no solutions) into DIR"
	@echo "make test       run the whole test suite (fast and slow: book build, browser)"
	@echo "make test-fast  the fast tests only"
	@echo "make lab        JupyterLab on your work folder work/: the exercises and the chapters (your copies)"
	@echo "make lab-instructor  JupyterLab on the repository, with nbgrader's Formgrader"
	@echo "make exercises  regenerate exercises/ from solutions/ (nbgrader generate_assignment)"
	@echo "make grade A=ID [WORKERS=8] [SCHEDULER=tcp://host:8786]  autograde every submission"
	@echo "               of assignment ID, N at a time (more than 1 needs a PostgreSQL gradebook)"
	@echo "make grade-demo rehearse the grading of a fake class ([WORKERS=2]: in parallel)"
	@echo "make bench      run benchmarks/ and write benchmarks/results.json"
	@echo "make clean      remove what the builds made"
	@echo "make formgrader JupyterLab at the course root, on nbgrader's formgrader"
	@echo "make feedback A=ID  feedback for assignment ID, only when manual grading is complete"
	@echo "                (ALLOW_UNGRADED=1 goes on anyway, RELEASE=1 also releases it)"
	@echo "make results A=ID   per-question scores and item analysis into results/"

book-instructor: $(VENV)
	$(PY) -m actbook.site.instructor_build

# The public repository's tree: book sources, exercises, the library without instructor parts.
student-edition: $(VENV)
	@test -n "$(DEST)" || { echo "make student-edition DEST=DIR (a new or empty folder, or a previous edition)"; exit 2; }
	$(PY) -m actbook.site.edition "$(DEST)"

test: $(VENV)
	@.ci/system-packages
	$(PY) -m pytest -n $(JOBS) --dist loadgroup

test-fast: $(VENV)
	$(PY) -m pytest -m "not slow" -n $(JOBS)

lint: $(VENV)
	$(BIN)/ruff check src tests benchmarks nbgrader_config.py
	$(BIN)/ruff format --check src tests benchmarks nbgrader_config.py

# ruff on the code; the Markdown pages in the form JupyterLab saves them (actbook.course.text_notebooks);
# the exercises' visible code wrapped to the site's code box (actbook.course.code_width; then make exercises)
format: $(VENV)
	$(BIN)/ruff format src tests benchmarks nbgrader_config.py
	$(BIN)/ruff check --fix src tests benchmarks nbgrader_config.py
	$(PY) -m actbook.course.text_notebooks
	$(PY) -m actbook.course.code_width

exercises: $(VENV)
	$(PY) -m actbook.course.release

# The instructor's JupyterLab on the repository: nbgrader's Formgrader and Create Assignment.
lab-instructor: $(VENV)
	$(BIN)/jupyter lab --LabApp.app_settings_dir=$(CURDIR)/jupyter/lab-settings $(LAB_ROOT) $(LAB_ARGS)

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

# The instructor's side (actbook.course.feedback, actbook.course.results). The formgrader needs
# the server's file browser at the course root.
formgrader: $(VENV)
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.default_url=/formgrader $(if $(filter 0,$(shell id -u)),--allow-root)

feedback: $(VENV)
	$(PY) -m actbook.course.feedback $(A) $(if $(ALLOW_UNGRADED),--allow-ungraded) $(if $(RELEASE),--release)

results: $(VENV)
	$(PY) -m actbook.course.results $(A)
