# The whole set-up on a fresh machine with only Python and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz screenshots demo clean tools postgresql
DURATION ?= 5m

PG_BIN := /usr/lib/postgresql/15/bin

# The re-signer's tests link Mach-O files with clang-14 + ld64.lld-14 and check them with
# llvm-otool-14 and openssl; a fresh machine gets them from apt (a missing tool fails a test).
TOOLS := clang-14 ld64.lld-14 llvm-otool-14 openssl zip
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

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
	@test -x $(PG_BIN)/initdb || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
	@test -x $(PG_BIN)/initdb || (echo 'PostgreSQL 15 is needed in $(PG_BIN) (apt-get install postgresql)' && false)

tools:
	@for tool in $(TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q clang-14 lld-14 llvm-14 openssl zip; \
	fi

test: lint tools postgresql
	$(PY) -m pytest

# Byte-compiled first, as pip installs a release: with PYTHONDONTWRITEBYTECODE set (as on
# these machines) every process of a CLI figure would otherwise compile provdesk anew.
bench: $(STAMP) tools postgresql
	$(PY) -m compileall -q store tui bench
	$(PY) bench/run_all.py

# Seeded mutation fuzzing of every reader over the real fixtures (tests/fuzz); findings join
# tests/fuzz/corpus.json, which make test replays. make fuzz DURATION=30m for a longer run.
fuzz: $(STAMP)
	nice -n 19 $(PY) -m tests.fuzz --duration $(DURATION)

screenshots: $(STAMP)
	$(PY) -m tui.screenshots screenshots

demo: $(STAMP)
	$(VENV)/bin/provdesk demo $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
