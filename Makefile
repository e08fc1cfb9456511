# Lineage: `make run` for a local site, `make test` for the whole suite.
#
# Everything runs from .venv, built with the first Python >= 3.12 found below.
# CI's PATH may lack pyenv's shims, so known install locations are tried too.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
VENDOR := static/vendor
VENDOR_JS := $(VENDOR)/cytoscape.min.js
CHROMIUM := /usr/bin/chromium
HOST_PORT ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# Test processes per pass (pytest-xdist): one per core by default; 0 runs in one.
# Tests marked xdist_group (the deploy test's servers) share one process.
TEST_WORKERS ?= auto

PYTHON_CANDIDATES = python3.13 python3.12 \
	$(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard /root/.pyenv/versions/3.12*/bin/python3) \
	python3

# Lazy (=): only looked for when the venv has to be created.
PYTHON = $(shell for p in $(PYTHON_CANDIDATES); do \
	  command -v "$$p" >/dev/null 2>&1 || continue; \
	  "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	    && { "$$p" -c 'import sys; print(sys.executable)'; break; }; \
	done)

.PHONY: help run serve test test-postgres test-sqlite lint format bench clean \
	install chromium nginx postgres-binaries lock redis-server worker soak

help:
	@echo "make run     migrate, load the seed, create demo accounts, serve on $(HOST_PORT)"
	@echo "make serve   the same, as in production: gunicorn, DEBUG off, static files"
	@echo "make test    whole suite on PostgreSQL (throwaway cluster), then on SQLite"
	@echo "make worker  run the task worker (LINEAGE_TASKS=database) on DATABASE_URL"
	@echo "make lint    ruff check + ruff format --check"
	@echo "make bench   scale benchmark: 100,000 pages, server times, wrk, the peers"
	@echo "             (BENCH_PAGES=5000 for a trial; see bench/scale.py)"
	@echo "make soak    load (60 s, 64 connections) and faults (PostgreSQL, Redis,"
	@echo "             worker restarted) against gunicorn; SOAK_SECONDS=20 in CI"
	@echo "             (see bench/soak.py)"
	@echo "make format  ruff format + ruff check --fix"
	@echo "make clean   remove .venv, caches and test artifacts"

$(VENV_PY):
	@py="$(PYTHON)"; \
	if [ -z "$$py" ]; then \
	  echo "error: Python >= 3.12 not found (tried: $(PYTHON_CANDIDATES))." >&2; \
	  echo "Install Python 3.13 (e.g. 'pyenv install 3.13.0') and run make again." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py ($$("$$py" -V))"; \
	"$$py" -m venv $(VENV)

# Re-install only when the dependencies or their pins change.
$(STAMP): pyproject.toml $(LOCK) | $(VENV_PY)
	@$(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "error: $(VENV) has Python < 3.12; run 'make clean' and try again." >&2; \
	  exit 1; }
	$(VENV_PY) -m pip install --quiet --quiet -c $(LOCK) -e '.[test]'
	@touch $@

install: $(STAMP) $(VENDOR_JS)

# Browser libraries from npm (frontend/package-lock.json), copied into
# static/vendor/ (ignored by git) for Django's static files to serve: built
# here, never committed, never from a CDN.
$(VENDOR_JS): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@mkdir -p $(VENDOR)
	cp frontend/node_modules/cytoscape/dist/cytoscape.min.js $@
	cp frontend/node_modules/cytoscape/LICENSE $(VENDOR)/cytoscape.LICENSE.txt

# After changing a pin: install without the old constraints, then freeze.
lock: | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet -e '.[test]'
	@{ echo "# Constraints for every install (pip install -c $(LOCK) -e '.[test]')."; \
	  echo "# Regenerate with 'make lock' after changing a pin in pyproject.toml."; \
	  $(VENV_PY) -m pip freeze --exclude-editable --exclude lineage; } > $(LOCK).new
	@mv $(LOCK).new $(LOCK)

run: install
	$(VENV_PY) manage.py migrate --no-input
	$(VENV_PY) manage.py load_seed
	$(VENV_PY) manage.py rebuild_search --if-empty
	$(VENV_PY) manage.py create_demo_accounts
	$(VENV_PY) manage.py runserver $(HOST_PORT)

# The site as in production, on this machine: DEBUG off, hashed and compressed
# static files (WhiteNoise), gunicorn as configured in deploy/gunicorn.conf.py
# (JSON access log on stdout).  Plain http on 127.0.0.1, so DJANGO_HTTPS=false:
# no Secure cookies (a browser never sends one back over http, and nobody could
# log in), no redirect to https, no HSTS.  Behind TLS leave it on.
# Mail goes to the console unless DJANGO_EMAIL_BACKEND says otherwise.
SECRET_KEY_FILE := var/secret_key
SERVE_ENV = DJANGO_DEBUG=false DJANGO_SECRET_KEY_FILE=$(SECRET_KEY_FILE) \
	DJANGO_HTTPS=$${DJANGO_HTTPS:-false} \
	DJANGO_EMAIL_BACKEND=$${DJANGO_EMAIL_BACKEND:-django.core.mail.backends.console.EmailBackend} \
	LINEAGE_SITE_URL=$${LINEAGE_SITE_URL:-http://$(HOST_PORT)}

# A secret key of this checkout's own, made once and kept in var/ (ignored
# by git, readable by its owner only); DJANGO_SECRET_KEY overrides it.
$(SECRET_KEY_FILE):
	@mkdir -p $(@D)
	@umask 077 && $(VENV_PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@echo "Made a secret key for make serve in $@"

serve: install $(SECRET_KEY_FILE)
	$(SERVE_ENV) $(VENV_PY) manage.py migrate --no-input
	$(SERVE_ENV) $(VENV_PY) manage.py load_seed
	$(SERVE_ENV) $(VENV_PY) manage.py rebuild_search --if-empty
	@# The demo accounts refuse DEBUG off (a guard for real deployments);
	@# this is a rehearsal on one's own machine, so they are made as for make run.
	$(SERVE_ENV) DJANGO_DEBUG=true $(VENV_PY) manage.py create_demo_accounts
	$(SERVE_ENV) $(VENV_PY) manage.py collectstatic --no-input --verbosity 0
	$(SERVE_ENV) GUNICORN_BIND=$(HOST_PORT) exec $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

# Debian's Chromium for the browser tests; never a browser download of
# Playwright's own (this machine's network only reaches package registries).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null; \
	  else \
	    echo "warning: $(CHROMIUM) is missing; browser tests will be skipped" \
	      "(they fail under CI)." >&2; \
	  fi; \
	fi

# Debian's Redis server for the scale-out test (tests/test_scale_out.py): the
# shared cache and sessions of two app servers.  Missing, that test fails under
# CI and is skipped elsewhere.
redis-server:
	@if ! command -v redis-server >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing redis-server with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends redis-server >/dev/null; \
	  else \
	    echo "warning: redis-server is missing; the scale-out test will be" \
	      "skipped (it fails under CI)." >&2; \
	  fi; \
	fi

# Debian's nginx, for the test of deploy/nginx.conf in front of two app
# servers (tests/test_deploy.py; skipped where nginx is missing).
nginx:
	@if [ ! -x /usr/sbin/nginx ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing nginx with apt-get"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends nginx >/dev/null; \
	  else \
	    echo "warning: /usr/sbin/nginx is missing; its test will be skipped" >&2; \
	  fi; \
	fi

# PostgreSQL server binaries for the throwaway test cluster.  CI must test on
# PostgreSQL, so there they are installed when missing; elsewhere they are
# optional and the suite falls back to SQLite.
postgres-binaries:
	@if [ -z "$${DATABASE_URL:-}" ] && [ -n "$${CI:-}" ] \
	    && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    && ! command -v initdb >/dev/null \
	    && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing the PostgreSQL server with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
	fi

# Both passes run even if the first fails; make fails if either did.
test: install chromium nginx postgres-binaries redis-server
	@status=0; \
	$(MAKE) --no-print-directory test-postgres || status=1; \
	$(MAKE) --no-print-directory test-sqlite || status=1; \
	exit $$status

# The whole suite, browser tests included, on PostgreSQL: a throwaway cluster
# when DATABASE_URL is unset, otherwise the database it names.
test-postgres: install
	@echo "== pytest: whole suite, on PostgreSQL unless DATABASE_URL names another database"
	$(VENV_PY) tests/pg_cluster.py -- $(VENV_PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Everything but the browser and PostgreSQL-only tests again on SQLite, the
# `make run` default.
# Exit code 5 (nothing selected) is fine here: the first pass ran everything.
test-sqlite: install
	@echo "== pytest: suite without browser tests on SQLite"
	@tmp=$$(mktemp -d); \
	trap 'rm -rf "$$tmp"' EXIT; \
	status=0; \
	DATABASE_URL="sqlite:///$$tmp/lineage.sqlite3" \
	  $(VENV_PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser and not postgres" $(PYTEST_ARGS) || status=$$?; \
	if [ $$status = 5 ]; then \
	  echo "(no tests outside tests/browser/ selected; the PostgreSQL pass ran them all)"; \
	  status=0; \
	fi; \
	exit $$status

# The task worker of production (LINEAGE_TASKS=database): runs the upkeep that
# publishes enqueue (re-rendering linking and citing pages, mail), with the
# app servers' environment (DATABASE_URL...).  Stop it with Ctrl-C or SIGTERM:
# it finishes the task it is running first.
worker: install
	LINEAGE_TASKS=database $(VENV_PY) manage.py db_worker --no-reload --queue-name '*'

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The scale benchmark (bench/scale.py): it starts and stops its own throwaway
# PostgreSQL, app server and peers, and stops itself after BENCH_TIMEOUT
# seconds; timeout(1) is the backstop should it hang while stopping.
BENCH_TIMEOUT ?= 3600
.PHONY: bench-history bench-diff bench-markdown
bench: install
	BENCH_TIMEOUT=$(BENCH_TIMEOUT) timeout --kill-after=60 $$(( $(BENCH_TIMEOUT) + 300 )) \
	  $(VENV_PY) bench/scale.py

# Load and faults (bench/soak.py): a throwaway PostgreSQL, redis-server, the
# task worker and gunicorn as in production; SOAK_SECONDS of mixed load at
# SOAK_CONNECTIONS, then PostgreSQL, Redis and the worker taken down under
# load.  Bounded by SOAK_TIMEOUT; timeout(1) is the backstop.
SOAK_SECONDS ?= 60
SOAK_CONNECTIONS ?= 64
SOAK_TIMEOUT ?= 900
soak: install postgres-binaries redis-server
	SOAK_SECONDS=$(SOAK_SECONDS) SOAK_CONNECTIONS=$(SOAK_CONNECTIONS) \
	  SOAK_TIMEOUT=$(SOAK_TIMEOUT) timeout --kill-after=30 $$(( $(SOAK_TIMEOUT) + 120 )) \
	  $(VENV_PY) bench/soak.py

bench-history: install
	$(VENV_PY) tests/pg_cluster.py -- $(VENV_PY) tests/bench_history.py

bench-diff: install
	$(VENV_PY) tests/bench_diff.py

bench-markdown: install
	$(VENV_PY) tests/bench_markdown.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts staticfiles *.egg-info \
	  $(VENDOR) frontend/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
