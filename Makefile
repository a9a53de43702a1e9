# Two entry points, both self-bootstrapping on a fresh machine:
#   make demo   — the main job (allocations on the bundled demo data)
#   make test   — lint, type-check the core, run the whole test suite (what CI runs)
# and, while working:
#   make test-fast — the suite without the slow tests and PostgreSQL, under a minute
#   make contract  — the layer contract (import-linter, [tool.importlinter] in pyproject.toml)
#   make docs      — regenerate the generated docs (errors, schema, state machines)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

.PHONY: install demo test test-fast lint contract bench docs
install: $(STAMP)

demo: $(STAMP)
	$(BIN)/intikhab demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

contract: $(STAMP)
	$(BIN)/lint-imports --no-logo

test: lint
	$(BIN)/pytest

# the slow tests (subprocesses, SIGKILL, schemathesis, the browser, national data) and the
# PostgreSQL half of the database tests left out; cheap password hashes, fewer examples
# (tests/conftest.py)
test-fast: $(STAMP)
	INTIKHAB_TEST_FAST=1 $(BIN)/pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/python -c "from intikhab.law.errors import catalogue_markdown as m; open('docs/errors.md','w').write(m())"
	$(BIN)/intikhab schema > docs/allocation-input.schema.json
	$(BIN)/python -c "from pathlib import Path; from intikhab.formats.mermaid import refresh; p = Path('docs/architecture.md'); p.write_text(refresh(p.read_text(encoding='utf-8')), encoding='utf-8')"
