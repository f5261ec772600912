# The two commands: `make run` (demo app at http://127.0.0.1:5000) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint install install-dev clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "hiring needs Python 3.11 or newer: run make PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# axe-core for the browser tests, from the npm registry (they skip without npm, except in CI).
E2E := tests/e2e
$(E2E)/node_modules/.installed: $(E2E)/package-lock.json
	@if command -v npm >/dev/null; then \
		npm ci --prefix $(E2E) --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests will skip (.ci/run installs it)"; fi

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev $(E2E)/node_modules/.installed

run: $(VENV)/.installed
	$(BIN)/hiring db upgrade
	$(BIN)/hiring demo
	$(BIN)/hiring serve --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/pytest

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-results $(E2E)/node_modules
