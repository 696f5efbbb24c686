# The suite's commands. Each target creates .venv and installs what it needs on first use;
# later runs only reinstall when a requirements file changes.
#   make lab        open JupyterLab on the start page
#   make test       lint + unit tests + notebook validation + browser tests
#   make notebooks  re-execute every lesson in a fresh kernel and save its outputs
#   make present    serve the mechanism explorer as a Voila app
#   make html       build the offline course site in site/ (open site/index.html; no network needed)
#   make bench      measure speed against the budget in docs/performance.md
#   make grading    install nbgrader for the instructor (docs/instructor-guide.md)
#   make classroom  load-test a JupyterHub on 127.0.0.1 with N learners (make classroom N=30)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
SITE_STAMP    := $(VENV)/.site-installed
GRADING_STAMP := $(VENV)/.grading-installed
HUB_STAMP     := $(VENV)/.hub-installed
# make classroom: learners, and the window (s) over which they log in
N      ?= 30
WINDOW ?= 120
HOST ?= 127.0.0.1
PORT ?= 8888
# JupyterLab and Voila refuse to run as root unless told; containers and CI often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test lint unit notebooks present html bench grading classroom system-deps clean help

help:
	@sed -n 's/^#   //p' Makefile

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# JupyterLab's news feed and update check would reach the network; the suite works offline.
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

$(RUNTIME_STAMP): requirements.txt pyproject.toml scripts/jupyterlab-overrides.json | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@mkdir -p $(dir $(LAB_OVERRIDES))
	cp scripts/jupyterlab-overrides.json $(LAB_OVERRIDES)
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# The site generator (Sphinx, MyST-NB, the book theme), for `make html` and its browser tests.
$(SITE_STAMP): requirements-site.txt $(DEV_STAMP)
	$(PY) -m pip install --quiet -r requirements-site.txt
	@touch $@

# nbgrader (grading) and JupyterHub + nbgitpuller (the classroom load test), each in its own file.
$(GRADING_STAMP): requirements-grading.txt $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -r requirements-grading.txt
	@touch $@

$(HUB_STAMP): requirements-hub.txt $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -r requirements-hub.txt
	@touch $@

lab: $(RUNTIME_STAMP)
	$(VENV)/bin/jupyter lab --ip=$(HOST) --port=$(PORT) $(ROOT_FLAG) notebooks/00_start_here.ipynb

system-deps:
	@bash scripts/system-deps.sh

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

# The nbgrader round trip and the N=3 classroom test run in both.
TEST_DEPS := $(DEV_STAMP) $(GRADING_STAMP) $(HUB_STAMP) node_modules/.package-lock.json

unit: $(TEST_DEPS)
	$(PY) -m pytest -n 2 --dist loadfile mechlib tests

test: system-deps $(SITE_STAMP) $(TEST_DEPS) lint
	$(PY) -m pytest -n 2 --dist loadfile mechlib tests \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

notebooks: $(DEV_STAMP)
	$(PY) scripts/run_notebooks.py notebooks/*.ipynb

present: $(RUNTIME_STAMP)
	JUPYTER_PATH=$(CURDIR)/share/jupyter $(VENV)/bin/voila --template=mechlib --Voila.ip=$(HOST) \
		--port=$(PORT) --no-browser notebooks/08_mechanism_explorer.ipynb

# MathJax, the widget renderer and require.js for the offline site, axe-core for its
# accessibility test, and the hub's configurable-http-proxy, pinned in package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make html, make test and make classroom need npm once (make system-deps, or apt-get install npm), or a node_modules/ folder copied from another machine" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund

html: $(SITE_STAMP) node_modules/.package-lock.json
	$(PY) scripts/build_site.py --notebooks notebooks --out site --jobs 2

grading: $(GRADING_STAMP)
	@$(VENV)/bin/nbgrader --version

# Loopback only; tears down every process it starts. Figures in docs/performance.md.
classroom: $(HUB_STAMP) node_modules/.package-lock.json
	$(PY) scripts/classroom.py --students $(N) --window $(WINDOW) --out benchmarks/classroom.json

bench: $(DEV_STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf site benchmarks/results.json .pytest_cache tests/browser/artifacts
