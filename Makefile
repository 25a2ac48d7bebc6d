# The two commands a newcomer needs: `make demo` and `make test`. Both do all the set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: demo test check bench i18n install assets browser clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/reorg demo

test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 -q

# Debian's Chromium, which the browser tests (tests/browser) drive with Playwright (never `playwright install`)
browser:
	@sh scripts/ensure_chromium.sh

check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# regenerate src/reorg/i18n/messages.pot from the sources and update the vi and uk catalogues
i18n: $(STAMP)
	$(BIN)/python -m reorg.i18n.catalogue

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

# the vendored browser libraries (needs npm; their result is committed, so install does not)
assets:
	$(PYTHON) scripts/vendor_assets.py

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
