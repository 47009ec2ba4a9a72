# The whole set-up on a fresh machine with only Python and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots demo clean tools

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

tools:
	@for tool in $(TOOLS); do command -v $$tool >/dev/null || missing=1; done; \
	if [ -n "$$missing" ]; then \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q clang-14 lld-14 llvm-14 openssl zip; \
	fi

test: lint tools
	$(PY) -m pytest

bench: $(STAMP) tools
	$(PY) bench/run_all.py

screenshots: $(STAMP)
	$(PY) -m tui.screenshots screenshots

demo: $(STAMP)
	$(VENV)/bin/provdesk demo $(ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
