# Civitas: `make run` serves the site on http://127.0.0.1:8000, `make test` runs every test.
# Every target is safe to repeat and does nothing when nothing changed.

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Front-end files copied from node_modules into the static tree (which git ignores).
VENDOR := civitas/static/vendor
ASSETS := $(VENDOR)/htmx/htmx.min.js $(VENDOR)/pico/pico.min.css \
	$(VENDOR)/cytoscape/cytoscape.min.js

.PHONY: run bootstrap install install-dev assets chromium test test-e2e test-unit lint format \
	typecheck check clean distclean

run: install assets
	@echo "==> civitas bootstrap"
	CIVITAS_HTTPS=false $(BIN)/civitas bootstrap --url http://$(HOST):$(PORT)
	@echo "==> civitas serve"
	CIVITAS_HTTPS=false exec $(BIN)/civitas serve --host $(HOST) --port $(PORT)

bootstrap: install assets
	$(BIN)/civitas bootstrap --url http://$(HOST):$(PORT)

# --- Python -----------------------------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

# --- Front end --------------------------------------------------------------------------------

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: $(ASSETS)

$(VENDOR)/htmx/htmx.min.js: node_modules/.package-lock.json
	install -D -m 644 node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/pico/pico.min.css: node_modules/.package-lock.json
	install -D -m 644 node_modules/@picocss/pico/css/pico.min.css $@

$(VENDOR)/cytoscape/cytoscape.min.js: node_modules/.package-lock.json
	install -D -m 644 node_modules/cytoscape/dist/cytoscape.min.js $@

# --- Tests and checks -------------------------------------------------------------------------

# Playwright drives Debian's chromium: its own browser download cannot work here.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		echo "==> installing Debian's chromium for the browser tests"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

# Browser tests run on their own without xdist (each starts a live server); "no tests
# collected" (exit 5) is fine there. The main suite runs last so that its summary closes.
test: install-dev assets chromium
	@status=0; \
	echo "==> pytest -m e2e (browser tests)"; \
	$(BIN)/pytest -m e2e -p no:xdist || { rc=$$?; [ $$rc -eq 5 ] || status=$$rc; }; \
	echo "==> pytest -n auto -m 'not e2e'"; \
	$(BIN)/pytest -n auto -m "not e2e" || status=$$?; \
	exit $$status

test-unit: install-dev assets
	$(BIN)/pytest -n auto -m "not e2e"

test-e2e: install-dev assets chromium
	$(BIN)/pytest -m e2e -p no:xdist

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install-dev
	$(BIN)/mypy civitas

# Production settings (DEBUG off, HTTPS on) with a throwaway key and data directory.
check: install-dev assets
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	export DJANGO_SETTINGS_MODULE=civitas.settings DEBUG=false CIVITAS_DATA_DIR="$$tmp"; \
	export SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')"; \
	unset DATABASE_URL CIVITAS_HTTPS; \
	set -e; \
	echo "==> civitas makemigrations --check --dry-run"; \
	$(BIN)/civitas makemigrations --check --dry-run; \
	echo "==> civitas check --deploy (production settings)"; \
	$(BIN)/civitas check --deploy --fail-level WARNING

clean:
	rm -rf node_modules $(VENDOR) .mypy_cache .ruff_cache .pytest_cache .hypothesis test-results \
		build dist *.egg-info $(VENV)/.installed $(VENV)/.installed-dev
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

# Also removes the virtualenv. The data directory (./var: database, keys) is never touched.
distclean: clean
	rm -rf $(VENV)
