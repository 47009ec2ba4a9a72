# The whole set-up on a fresh machine with only Python and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench fuzz screenshots demo clean
DURATION ?= 5m

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

test: lint
	$(PY) -m pytest

bench: $(STAMP)
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
