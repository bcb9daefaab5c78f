# The Sales Blueprint System. `make run` serves it, `make test` proves it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run dev test lint bench lock audit clean

$(BIN)/.installed-base: requirements/base.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed-base requirements/dev.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# The locks (requirements/*.txt, every version pinned with its hashes) from the ranges in
# requirements/*.in. `make lock` keeps each locked version the ranges still allow (run it after
# editing a .in file); `make lock UPGRADE=1` moves every package to the newest its range allows.
LOCK := $(BIN)/uv pip compile --quiet --universal --generate-hashes --python-version 3.11 --custom-compile-command "make lock"
lock: $(BIN)/.installed-dev
	$(LOCK) $(if $(UPGRADE),--upgrade) requirements/base.in -o requirements/base.txt
	$(LOCK) $(if $(UPGRADE),--upgrade) requirements/dev.in -o requirements/dev.txt

run: $(BIN)/.installed-base
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py import_modules content/
	$(BIN)/python manage.py prune_versions --verbosity 0
	@command -v nginx >/dev/null || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; } || true
	PORT=$(PORT) WEB_CONCURRENCY=$(WORKERS) $(BIN)/python -m config.serve

dev: $(BIN)/.installed-dev
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_modules content/
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# extwee, the independent Twee parser the scenario tests check ours against.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --silent --no-audit --no-fund

test: lint node_modules/.package-lock.json
	$(BIN)/pytest

# Loopback only, bounded in time (about 5 minutes); writes docs/benchmarks.md. BENCH_ARGS="--help" for options.
bench: $(BIN)/.installed-base
	command -v wrk >/dev/null && command -v nginx >/dev/null || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light >/dev/null; }
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# Lighthouse (audit/package.json), kept apart from the root package.json so that make test's npm ci stays small.
audit/node_modules/.package-lock.json: audit/package.json audit/package-lock.json
	npm ci --prefix audit --silent --no-audit --no-fund

# Lighthouse and axe on the learner's pages as `make run` serves them (about 5 minutes); fails below 100 or
# on any axe violation; writes docs/audit.md and screenshots to var/audit/. AUDIT_ARGS="--help" for options.
audit: $(BIN)/.installed-dev audit/node_modules/.package-lock.json
	$(BIN)/python -m audit.run $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) var node_modules audit/node_modules
