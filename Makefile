# The two commands a newcomer runs (README): `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint format system-deps messages clean audit

$(BIN)/python:
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { \
	  echo "$(PYTHON) cannot create a virtualenv: install python3-venv (Debian/Ubuntu:" \
	  "sudo apt-get install python3-venv) or run 'make system-deps'." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

## Install, migrate, load the demo workspace on first run, serve web + worker on :8000.
run: $(VENV)/.installed
	$(BIN)/destek migrate --no-input -v 0
	$(BIN)/destek demo --if-empty
	exec $(BIN)/destek run

## Install everything (system packages too, when missing) and run the whole suite.
test: system-deps $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

## Debian packages the tests drive for real: Chromium (browser tests), Dovecot (IMAP tests).
system-deps:
	@PYTHON="$(PYTHON)" sh scripts/system-deps.sh

## Known vulnerabilities in the installed dependency set (pip-audit asks the package index's
## advisory data, so it needs the network). Fails when one is found; a package the index has
## no advisory data for is listed as skipped.
audit: $(VENV)/.installed
	$(BIN)/pip-audit --skip-editable --progress-spinner off

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Regenerate the translation catalogues after changing UI strings (needs gettext).
## Run inside destek/ (so tests/ and bench/ are not scanned) with the data directory kept in ./var.
messages: $(VENV)/.installed
	cd destek && DESTEK_DATA_DIR="$${DESTEK_DATA_DIR:-$(CURDIR)/var}" \
	  ../$(BIN)/destek makemessages -l en -l tr --no-obsolete
	cd destek && DESTEK_DATA_DIR="$${DESTEK_DATA_DIR:-$(CURDIR)/var}" ../$(BIN)/destek compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
