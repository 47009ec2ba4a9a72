# The whole set-up on a fresh machine with only Python and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

PG_BIN := /usr/lib/postgresql/15/bin

.PHONY: run test lint bench screenshots demo clean postgresql

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/provdesk $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check store tui tests bench
	$(VENV)/bin/mypy
	@! grep -rnE '^\s*(import|from) (textual|rich)\b' store || (echo 'store/ must not import textual or rich' && false)

# The tests and the bench start their own throwaway PostgreSQL: install the server when missing.
postgresql:
	@test -x $(PG_BIN)/initdb || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@test -x $(PG_BIN)/initdb || (echo 'PostgreSQL 15 is needed in $(PG_BIN) (apt-get install postgresql)' && false)

test: lint postgresql
	$(PY) -m pytest

bench: $(STAMP) postgresql
	$(PY) bench/run_all.py

screenshots: $(STAMP)
	$(PY) -m tui.screenshots screenshots

demo: $(STAMP)
	$(VENV)/bin/provdesk demo $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
