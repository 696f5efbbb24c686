# The suite's commands. Each target creates .venv and installs what it needs on first use;
# later runs only reinstall when a requirements file changes.
#   make lab        open JupyterLab on the start page
#   make test       lint + unit tests + notebook validation + browser tests
#   make notebooks  re-execute every lesson in a fresh kernel and save its outputs
#   make present    serve the mechanism explorer as a Voila app
#   make html       render every lesson to static HTML in site/ (works offline)
#   make bench      measure speed against the budget in docs/performance.md

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP     := $(VENV)/.dev-installed
HOST ?= 127.0.0.1
PORT ?= 8888

.PHONY: lab test lint unit notebooks present html bench system-deps clean help

help:
	@sed -n 's/^#   //p' Makefile

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python 3.10 or newer is needed; found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(DEV_STAMP): requirements-dev.txt $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

lab: $(RUNTIME_STAMP)
	$(VENV)/bin/jupyter lab --ip=$(HOST) --port=$(PORT) notebooks/00_start_here.ipynb

system-deps:
	@bash scripts/system-deps.sh

lint: $(DEV_STAMP)
	$(PY) -m ruff check .

unit: $(DEV_STAMP)
	$(PY) -m pytest -n 2 --dist loadfile mechlib tests

test: $(DEV_STAMP) system-deps lint
	$(PY) -m pytest -n 2 --dist loadfile mechlib tests \
		--nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

notebooks: $(DEV_STAMP)
	$(PY) scripts/run_notebooks.py notebooks/*.ipynb

present: $(RUNTIME_STAMP)
	$(VENV)/bin/voila --Voila.ip=$(HOST) --port=$(PORT) --no-browser notebooks/08_mechanism_explorer.ipynb

html: $(DEV_STAMP)
	$(PY) -m mechlib.site notebooks site

bench: $(DEV_STAMP)
	$(PY) benchmarks/bench.py

clean:
	rm -rf site benchmarks/results.json .pytest_cache
