# PRIMA — the two commands a newcomer needs:
#
#   make demo    install, migrate, load demo data, serve at http://127.0.0.1:$(PORT)/
#   make test    install test tools, lint, type check, deploy check, the whole suite on
#                SQLite and on a private PostgreSQL server
#
# Other targets: lint, typecheck, fmt, messages, clean, distclean (see `make help`).
# Written for Debian 12 (Python 3.11); Debian packages are installed when running as root.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
MANAGE := $(BIN)/python manage.py
# What `make fmt` formats; e.g. make fmt FILES=prima/monitoring
FILES ?= .

# Debian packages the test suite needs (PostgreSQL server, browser, gettext, a font).
TEST_DEBS ?= postgresql chromium gettext fonts-dejavu-core
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=node_modules --ignore=build \
	--ignore=test-artifacts --ignore='*/tests/fixtures/*'

.DEFAULT_GOAL := help
.PHONY: help demo serve test test-deps lint typecheck fmt messages clean distclean

help:
	@echo "make demo      install, migrate, load demo data and serve on 127.0.0.1:$(PORT)"
	@echo "make test      lint, type check, deploy check, migrations check, tests on SQLite"
	@echo "               and PostgreSQL"
	@echo "make lint      ruff check (unused noqa included) and ruff format --check"
	@echo "make typecheck mypy with django-stubs (configuration in pyproject.toml)"
	@echo "make fmt       ruff check --fix and ruff format on FILES (default: everything)"
	@echo "make messages  extract, merge locale/id/fragments/*.po, compile Indonesian messages"
	@echo "make clean     remove caches and test artefacts (distclean: also .venv and var/)"

# --- Python environment ----------------------------------------------------------------
# The stamp files make repeated runs fast; they are redone when pyproject.toml changes.

$(BIN)/python:
	@if ! $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null; then \
		scripts/ensure-debs.sh python3-venv; fi
	$(PYTHON) -m venv $(VENV)

# pip first: Debian 12's pip 23.2 mishandles extras (trafilatura then cannot import
# lxml.html.clean).
$(VENV)/.installed-runtime: pyproject.toml | $(BIN)/python
	$(PIP) install -q -U pip
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-runtime
	$(PIP) install -q -e '.[test]'
	@touch $@

# --- Demo --------------------------------------------------------------------------------

demo: $(VENV)/.installed-runtime
	$(BIN)/prima migrate --no-input
	$(BIN)/prima demo
	@PORT=$(PORT) VENV=$(VENV) scripts/serve-demo.sh

# Serve what is there (no install, no migration): server + one background-task worker.
serve:
	@PORT=$(PORT) VENV=$(VENV) scripts/serve-demo.sh

# --- Tests -------------------------------------------------------------------------------

test-deps: $(VENV)/.installed-test
	@scripts/ensure-debs.sh $(TEST_DEBS)

test: test-deps
	@VENV=$(VENV) scripts/run-tests.sh

lint: $(VENV)/.installed-test
	@VENV=$(VENV) scripts/run-tests.sh lint

typecheck: $(VENV)/.installed-test
	@VENV=$(VENV) scripts/run-tests.sh typecheck

fmt: $(VENV)/.installed-test
	$(BIN)/ruff check --fix $(FILES)
	$(BIN)/ruff format $(FILES)

# --- Translations ------------------------------------------------------------------------
# Extract every string into locale/id/LC_MESSAGES/django.po, fill the empty ones from the
# fragments other apps deliver (locale/id/fragments/*.po), then compile django.mo (which
# is committed: `make demo` needs no gettext).

messages: $(VENV)/.installed-runtime
	@scripts/ensure-debs.sh gettext
	$(MANAGE) makemessages -l id --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	$(BIN)/python scripts/merge_translations.py
	$(MANAGE) compilemessages -l id --ignore=.venv --ignore=var --ignore=node_modules

# --- Cleaning ----------------------------------------------------------------------------

clean:
	rm -rf test-artifacts var/pgtest .ruff_cache .mypy_cache .pytest_cache .hypothesis build *.egg-info
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -f var/test-prima*.sqlite3*

# Also the virtual environment and the local database (demo data included).
distclean: clean
	rm -rf $(VENV) var
