# Two commands from a fresh clone (only Python 3.11+ and make needed):
#   make run   - install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)
#   make test  - install with test extras, run the whole suite
#   make test-fast - the same without the browser tests (the inner loop)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Two workers: the suite is mostly waiting on databases, browsers and live servers.
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1
FLASK := $(BIN)/flask --app wsgi

.PHONY: run worker test test-fast install install-test translations translations-extract migrate demo lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,pdf]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The one message catalogue. What extraction looks for: babel.cfg and pyproject.toml
# [tool.babel.extract_messages] (pybabel reads both from the repository root).
CATALOGUE := app/translations

translations: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d $(CATALOGUE)

# After changing user-facing text: strings into the .pot, then into the pl/en/uk catalogues
# (new ones empty, removed ones kept as obsolete). Translate what
# `flask --app wsgi translations check` lists.
translations-extract: $(VENV)/.installed
	$(BIN)/pybabel -q extract -o $(CATALOGUE)/messages.pot .
	$(BIN)/pybabel -q update -i $(CATALOGUE)/messages.pot -d $(CATALOGUE) --no-wrap --no-fuzzy-matching

migrate: $(VENV)/.installed
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo-data

# The job worker (mail delivery, periodic jobs) runs beside the web server and stops with it.
run: translations demo
	@echo "Serving Wspólnie on http://$(HOST):$(PORT) (with the job worker)"
	@$(FLASK) jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

worker: migrate
	$(FLASK) jobs worker

# --dist loadgroup: tests sharing one expensive browser crawl (xdist_group) run on one worker.
test: install-test translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

test-fast: install-test translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup -m "not browser" $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) instance .pytest_cache
	find app -name '*.mo' -delete
