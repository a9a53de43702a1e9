# Two entry points, both self-bootstrapping on a fresh machine:
#   make demo   — the main job (allocations on the bundled demo data)
#   make test   — lint, type-check the core, run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

.PHONY: install demo test lint bench docs
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/intikhab demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/python -c "from intikhab.law.errors import catalogue_markdown as m; open('docs/errors.md','w').write(m())"
	$(BIN)/intikhab schema > docs/allocation-input.schema.json
