# Petrasche: `make run` serves the site with its worker; `make test` checks everything
# (`make test-fast` is the quick loop).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/petrasche
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=site_core.settings.production \
	SECRET_KEY=check-deploy-$(shell printf '%064d' 0) ALLOWED_HOSTS=petrasche.example

.PHONY: run test test-fast install browser-deps lint checks preflight test-smoke test-main test-browser \
	test-faults test-fuzz test-scale scale-deps coverage-report messages clean audit load vendor

# The pinned requirements are installed by uv (from PyPI, like the rest): a fresh checkout's
# environment takes about 30 s against pip's 90 s. Compiled to bytecode at install, as pip does:
# where PYTHONDONTWRITEBYTECODE is set (CI) every test process would otherwise compile every
# import again (the checks stage took 12 s instead of 5).
UV_VERSION := 0.9.30

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	@if [ -n "$$SEARCH_URL" ]; then $(MANAGE) search_setup; fi
	$(MANAGE) seed_demo
	scripts/run.sh

# Chromium (with Korean fonts for readable screenshots), and the npm packages: axe-core for the
# browser tests, the vendored libraries for their check; nothing is downloaded outside the package
# registries. npm writes node_modules/.package-lock.json on each install.
BROWSER_PACKAGES := chromium fonts-nanum
browser-deps:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --silent

# The front-end libraries member pages load, copied from node_modules into static/vendor/ and
# committed (the Docker build has no npm); after changing package.json, run this and commit.
vendor:
	npm install --no-audit --no-fund --silent
	$(PY) scripts/vendor.py

# nginx for the scale tier (the proxy in front of two nodes, with its own prefix and config).
SCALE_PACKAGES := nginx-light
scale-deps:
	@[ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SCALE_PACKAGES) >/dev/null; }

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -q -r $(BANDIT_PATHS) -x '*/tests/*,*/migrations/*' -b ops/bandit-baseline.json

checks: install
	$(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

# `make test`: every stage prints its time (scripts/stage.sh) and the summary comes last. The full
# suite runs once, on PostgreSQL, in parallel (pytest-xdist, a test database per worker); the
# tiers (browser, faults, fuzz) are markers with a stage and a time budget of their own; a marked
# smoke set proves the embedded default on SQLite. Missing servers fail the run
# (PETRASCHE_TEST_STRICT, site_core/tests/requirements.py) instead of skipping tests.
PYTEST_WORKERS ?= auto
TIERS := browser or faults or fuzz or scale
PYTEST := env PETRASCHE_TEST_STRICT=1 $(PY) -m pytest -p no:cacheprovider -q --durations=25
PG_PYTEST := env DATABASE_URL=$(PG_URL) $(PYTEST)
COV := --cov --cov-report= --cov-append --cov-fail-under=0
STAGE := scripts/stage.sh

preflight: install browser-deps scale-deps
	@scripts/test-preflight.sh

test-smoke: install
	@$(STAGE) smoke 90 env -u DATABASE_URL -u REDIS_URL $(PYTEST) -m smoke

# --create-db makes the workers' databases afresh; --reuse-db keeps them for the tiers after
# (pytest-django drops them at the end otherwise, and the browser stage migrated them again).
# --dist worksteal: a worker that runs out takes tests queued on the other, so the stage no longer
# ends with one core idle behind the other's last long tests (407 s -> 396 s, one run each).
test-main: install
	@$(STAGE) main 300 $(PG_PYTEST) -n $(PYTEST_WORKERS) --dist worksteal --create-db --reuse-db -m "not ($(TIERS))" $(COV)

test-browser: install browser-deps
	@$(STAGE) browser 240 $(PG_PYTEST) -n $(PYTEST_WORKERS) --reuse-db -m browser

test-faults: install
	@$(STAGE) faults 90 $(PG_PYTEST) -n $(PYTEST_WORKERS) --reuse-db -m faults $(COV)

test-fuzz: install
	@$(STAGE) fuzz 60 $(PG_PYTEST) -n $(PYTEST_WORKERS) --reuse-db -m fuzz $(COV)

# Two nodes behind nginx with a PostgreSQL replica, Redis and S3 (moto), all on loopback; one
# stack for the whole tier, so one process.
test-scale: install scale-deps
	@$(STAGE) scale 120 $(PG_PYTEST) -n 0 --reuse-db -m scale $(COV)

# Coverage of the apps' lines (tests, migrations and bench/ excluded: [tool.coverage] in
# pyproject.toml), with the floor set there, measured in the main, faults, fuzz and scale stages:
# smoke runs a subset of main's tests again, and the browser stage's pages are served by code
# main's tests run; tracing those two would add about a third to their time (README, "Tests").
coverage-report: install
	@$(STAGE) coverage 0 $(VENV)/bin/coverage report

# Smoke and scale each keep about one of the two cores busy (one SQLite process; servers that
# mostly wait), so they run side by side, each printed whole when it ends.
test: preflight
	@rm -f var/test-stages.txt var/.coverage
	@$(STAGE) lint 120 $(MAKE) --no-print-directory lint
	@$(STAGE) checks 60 $(MAKE) --no-print-directory checks
	@$(MAKE) --no-print-directory test-main test-browser test-faults test-fuzz
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-smoke test-scale
	@$(MAKE) --no-print-directory coverage-report
	@echo "=== stages ===" && cat var/test-stages.txt

# The edit-test loop: everything but the tiers, on PostgreSQL, in parallel.
test-fast: install
	@$(STAGE) fast 300 $(PG_PYTEST) -n $(PYTEST_WORKERS) --create-db -m "not ($(TIERS))"

# Security scanners: bandit (findings reviewed in ops/bandit-baseline.json, see README "Production")
# and pip-audit (asks the PyPI advisory database about every pinned requirement).
BANDIT_PATHS := $(shell ls -d */ | grep -v -E '^(bench|locale|node_modules|ops|scripts|static|staticfiles|templates|var|media)/$$')
audit: install
	$(VENV)/bin/bandit -q -r $(BANDIT_PATHS) -x '*/tests/*,*/migrations/*' -b ops/bandit-baseline.json
	$(VENV)/bin/pip-audit -r requirements.txt

# The load scenario against the production-like stack on loopback (see bench/README.md).
load: install scale-deps
	$(PY) bench/load.py

messages: install
	$(MANAGE) makemessages --locale ko --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore '*/tests/*' --ignore 'bench/*' --no-obsolete
	$(MANAGE) makemessages --domain djangojs --locale ko --locale en --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'static/vendor/*' --ignore 'var/*'
	$(MANAGE) compilemessages --ignore '.venv/*' --ignore 'node_modules/*'

clean:
	rm -rf $(VENV) node_modules staticfiles var .pytest_cache
