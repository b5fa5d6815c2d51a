# The two commands of the README: `make run` and `make test`. Both create .venv when missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast lint bench

$(VENV):
	@echo "== creating $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)
	@echo "== installing copmatch and its runtime dependencies (first time: about a minute, quiet)"
	@$(BIN)/pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)
	@echo "== installing copmatch with the test and evaluation tools (first time: a few minutes, quiet)"
	@$(BIN)/pip install --quiet -e '.[test,eval]'
	@touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	@echo "== 1/4 store schema"
	@$(BIN)/copmatch db upgrade
	@echo "== 2/4 demo organization (first time: a few seconds)"
	@$(BIN)/copmatch demo --if-empty
	@echo "== 3/4 search index (first time: one to two minutes, embedding every text; then seconds)"
	@$(BIN)/copmatch index
	@echo "== 4/4 query service and web app"
	@COPMATCH_WEB_DEMO_SIGNIN=true $(BIN)/copmatch serve --host $(HOST) --port $(PORT) --demo-key

# The gates, in CI's order (.ci/run runs `make test`): lint, formatting, types (pyproject's
# [tool.mypy]: strict on models/), then the whole suite with warnings as errors (pyproject's
# filterwarnings) and the coverage floor (pyproject's fail_under).
lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q --cov --cov-report=term:skip-covered

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# Encoder paths, full vs incremental indexing, /v1/experts on the demo and 1M (evaluation/benchmarks/suite.py);
# the demo and 1M homes are kept in var/bench between runs (docs/benchmarks.md: the first run costs more).
bench: $(TEST_STAMP)
	@$(BIN)/pip install --quiet -e '.[test,eval,bench]'
	$(BIN)/python -m evaluation.benchmarks.suite
