# PEP Portal: `make run` and `make test` do all set-up on a fresh machine.
PY := .venv/bin/python
PIP := .venv/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# A local, plain-HTTP run: debug pages on, HTTPS-only cookies and redirects off, and invitation
# emails sent from a command link to the address `make run` serves on.
RUN_ENV := DEBUG=$${DEBUG:-true} HTTPS=$${HTTPS:-false} SITE_ROOT=$${SITE_ROOT:-http://$(HOST):$(PORT)}
TEST_ENV := HTTPS=false DJANGO_ALLOW_ASYNC_UNSAFE=true

.PHONY: run test lint setup venv assets migrate demo bench clean chromium report-libs

setup: .stamp-venv .stamp-npm static/dist/pep.css

.stamp-venv: requirements.txt
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

.stamp-npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error >&2
	touch $@

static/dist/pep.css: .stamp-npm static/src/pep.scss scripts/copy-assets.mjs
	npm run --silent build >&2

assets: .stamp-npm
	npm run --silent build >&2

migrate: setup
	$(RUN_ENV) $(MANAGE) migrate --noinput
	$(RUN_ENV) $(MANAGE) createcachetable

demo: migrate
	$(RUN_ENV) $(MANAGE) load_demo

run: demo report-libs
	@echo "Serving the portal at http://$(HOST):$(PORT)/"
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

chromium:
	@test -x /usr/bin/chromium || (echo "Installing Debian's chromium for the browser tests"; \
		(apt-get update -qq && apt-get install -y -qq chromium) >/dev/null)

# WeasyPrint (PDF reports and board packs) needs Pango and HarfBuzz; Liberation Sans stands in for
# Arial in the PDFs; poppler-utils gives pdftotext, which the tests read the PDFs' text with.
REPORT_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils

report-libs:
	@dpkg -s $(REPORT_LIBS) >/dev/null 2>&1 || (echo "Installing the PDF libraries WeasyPrint needs"; \
		(apt-get update -qq && apt-get install -y -qq --no-install-recommends $(REPORT_LIBS)) >/dev/null)

test: setup chromium report-libs
	$(TEST_ENV) .venv/bin/pytest $(PYTEST_ARGS)

lint: setup
	.venv/bin/ruff check .

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf .venv node_modules static/dist staticfiles .stamp-* test-output
