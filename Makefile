# Two commands matter (see README): `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint system-deps bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	./scripts/system-deps.sh

demo: $(STAMP)
	$(BIN)/xephang demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Two workers, each taking whole test files (module fixtures such as a live server stay shared).
test: $(STAMP) system-deps lint
	$(BIN)/pytest -n 2 --dist loadfile

# Rewrites the tracked pictures in docs/screenshots/ (a plain `make test` leaves them alone).
screenshots: $(STAMP) system-deps
	XEPHANG_SCREENSHOTS=1 $(BIN)/pytest -q tests/screens

bench: $(STAMP)
	$(BIN)/python bench/core.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
