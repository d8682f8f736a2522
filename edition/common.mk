# Shared by the instructor repository's Makefile (which includes edition/common.mk) and the
# student edition's (common.mk beside it): the environment, the strict book build and the
# student's JupyterLab.
PY      := .venv/bin/python
VENV    := .venv/.installed
BIN     := .venv/bin
# Small matrix products: OpenBLAS threads only spin against each other on 2 cores.
export OPENBLAS_NUM_THREADS ?= 1

$(VENV): requirements.txt pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)

# jupyter-cache keys a notebook on its own text only: when any module of actbook or the
# measured results change, every chapter must run again, so the cache is dropped.
ACTBOOK_SOURCES := $(shell find src/actbook -name '*.py')
_build/.actbook-stamp: $(ACTBOOK_SOURCES) $(wildcard benchmarks/results*.json)
	rm -rf _build/.jupyter_cache
	mkdir -p _build && touch $@

# From an empty html folder: a page dropped from the table of contents must not stay published.
book: $(VENV) _build/.actbook-stamp
	rm -rf _build/html
	$(BIN)/jupyter-book build . --all -W -n --keep-going

# `make lab`: the student's work folder (git-ignored), filled from the release and never
# overwritten (actbook.course.workspace), served with the student settings of jupyter/.
# JUPYTER_WIDGETS_ECHO=0: a kernel does not echo a slider's value back to the one browser
# that sent it; on 2 cores the browser's handling of the echo slowed the figure that follows
# (measured by benchmarks/lab.py). IPYTHONDIR: the kernels' startup file (jupyter/student/
# kernel_startup.py: a name not defined yet says which cells to run) and their history.
WORK     ?= work
LAB_ARGS ?=
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(VENV)
	$(abspath $(PY)) -m actbook.course.workspace $(WORK)
	cd $(WORK) && JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter/student JUPYTER_WIDGETS_ECHO=0 \
	  IPYTHONDIR=$(abspath $(WORK))/.course/ipython \
	  $(abspath $(BIN))/jupyter lab \
	  --LabApp.app_settings_dir=$(CURDIR)/jupyter/lab-settings \
	  --LabApp.user_settings_dir=.jupyter/settings --LabApp.workspaces_dir=.jupyter/workspaces \
	  $(LAB_ROOT) $(LAB_ARGS)
