# Petrasche: `make run` serves the site with its worker; `make test` checks everything.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/petrasche
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=site_core.settings.production \
	SECRET_KEY=check-deploy-$(shell printf '%064d' 0) ALLOWED_HOSTS=petrasche.example

.PHONY: run test install browser-deps lint checks test-sqlite test-postgres messages clean audit load

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	@if [ -n "$$SEARCH_URL" ]; then $(MANAGE) search_setup; fi
	$(MANAGE) seed_demo
	scripts/run.sh

# Chromium (with Korean fonts for readable screenshots) and axe-core for the browser tests;
# nothing is downloaded outside the package registries.
BROWSER_PACKAGES := chromium fonts-nanum
browser-deps:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }
	@[ -f node_modules/axe-core/axe.min.js ] || npm ci --no-audit --no-fund --silent

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r $(BANDIT_PATHS) -x '*/tests/*,*/migrations/*' -b ops/bandit-baseline.json

checks: install
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

test-sqlite: install
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -m "not browser and not faults and not fuzz" -q

test-postgres: install browser-deps
	@echo "=== test suite on PostgreSQL (with browser tests) ==="
	DATABASE_URL=$(PG_URL) $(PY) -m pytest -q --create-db

test: lint checks test-sqlite test-postgres

# Security scanners: bandit (findings reviewed in ops/bandit-baseline.json, see README "Production")
# and pip-audit (asks the PyPI advisory database about every pinned requirement).
BANDIT_PATHS := $(shell ls -d */ | grep -v -E '^(bench|locale|node_modules|ops|scripts|static|staticfiles|templates|var|media)/$$')
audit: install
	$(VENV)/bin/bandit -q -r $(BANDIT_PATHS) -x '*/tests/*,*/migrations/*' -b ops/bandit-baseline.json
	$(VENV)/bin/pip-audit -r requirements.txt

# The load scenario against the production-like stack on loopback (see bench/README.md).
load: install
	$(PY) bench/load.py

messages: install
	$(MANAGE) makemessages --locale ko --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore '*/tests/*' --ignore 'bench/*' --no-obsolete
	$(MANAGE) makemessages --domain djangojs --locale ko --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'var/*'
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache
