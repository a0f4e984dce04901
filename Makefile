# rapport: `make run` installs, migrates, seeds demo data when empty and serves on :8000;
# `make test` installs and runs the whole suite (lint, types, tests on SQLite and PostgreSQL).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
VENDOR := src/rapport/web/static/vendor
ASSETS := $(VENDOR)/.copied-stamp

.PHONY: install system-deps run test lint bench clean

# Debian packages rapport uses when present: LibreOffice headless renders hard copies to PDF
# (without it letters are delivered as .docx), with metric-compatible fonts for Word letters.
DEBIAN_PACKAGES := libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation2

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip setuptools wheel
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Front-end libraries come from the npm registry (package-lock.json), copied into a git-ignored
# static folder: htmx for the pages, axe-core for the accessibility tests.
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/axe-core/axe.min.js $(VENDOR)/
	touch $(ASSETS)

install: $(STAMP) $(ASSETS)

system-deps:
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $(DEBIAN_PACKAGES)

# The web session key is kept in the git-ignored .env (made once), so that browsers stay signed
# in when `make run` is restarted.
run: install
	@grep -qs '^RAPPORT_SECRET_KEY=' .env || { umask 077; [ ! -s .env ] || [ -z "$$(tail -c1 .env)" ] || echo >> .env; \
	  $(BIN)/python -c 'import secrets; print("RAPPORT_SECRET_KEY=" + secrets.token_urlsafe(32))' >> .env; \
	  echo "Made the web session key in .env (RAPPORT_SECRET_KEY, kept across restarts)"; }
	$(BIN)/rapport db upgrade
	$(BIN)/rapport demo --if-empty
	$(BIN)/rapport serve

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# The tests spend most of their time waiting for the databases, so mypy checks the types beside
# them (its report follows theirs); `make test` fails if ruff, mypy or a test fails. With a warm
# cache (.mypy_cache) mypy takes seconds, a cold one about 20 s of CPU.
# `make test TESTS=tests/unit` runs part of the suite.
WORKERS ?= 2
TESTS   ?=
test: install
	$(BIN)/ruff check src tests bench
	@echo "$(BIN)/mypy (beside the tests) & $(BIN)/pytest -n $(WORKERS) ..."
	@$(BIN)/mypy > $(VENV)/mypy-report.txt 2>&1 & types=$$!; \
	$(BIN)/pytest -n $(WORKERS) -p no:cacheprovider --durations=15 $(TESTS); tests=$$?; \
	wait $$types; typed=$$?; echo "mypy:"; cat $(VENV)/mypy-report.txt; \
	test $$tests -eq 0 && test $$typed -eq 0

bench: install
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) node_modules $(VENDOR) test-output rapport.db rapport.db-wal rapport.db-shm .pytest_cache .mypy_cache .ruff_cache
