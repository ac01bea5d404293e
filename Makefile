# Memorandum — the front door. `make demo` and `make test` are all a fresh machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
APT_PACKAGES := chromium poppler-utils libreoffice-writer-nogui gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test fuzz install install-test system-packages messages compilemessages migrate serve lint format bench bench-quick clean

## demo: install, migrate the embedded SQLite database, load the demo edition, serve it
# Development is chosen explicitly: production (DEBUG off, real key required) is the default.
demo: export MEMORANDUM_ENV := development
demo: export SITE_URL ?= http://127.0.0.1:$(PORT)
demo: install compilemessages migrate
	$(BIN)/python manage.py load_demo
	@echo
	@echo "Demo accounts (password: demo): secretariat, chief, coordinator, assembly, partner"
	@echo "Serving on http://127.0.0.1:$(PORT)/ with a background worker  (Ctrl+C to stop both)"
	@# No worker runs yet: what a stopped worker left half-done is queued again first.
	$(BIN)/python manage.py recover_jobs --minutes 0 -v0
	@trap 'kill 0' EXIT; \
	$(BIN)/python manage.py db_worker --no-reload --interval 1 --verbosity 0 & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: the whole test suite (on SQLite, or on DATABASE_URL when set), one process per core
# (pytest-xdist; a test class stays in one process, so its set-up runs once). TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
test: install-test compilemessages
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

## fuzz: the fuzzing suite in full mode (FUZZ_EXAMPLES cases per form and role); figures in bench/fuzz.json
fuzz: export FUZZ_EXAMPLES ?= 200
fuzz: install-test compilemessages
	FUZZ_REPORT=bench/fuzz.json $(BIN)/python -m pytest memorandum/tests/test_fuzz_forms.py memorandum/tests/test_fuzz_imports.py memorandum/tests/test_hostile_files.py

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The lock files pin every version; the project itself is installed without touching them.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements-test.lock pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-test.lock
	touch $@

install: system-packages $(VENV)/.installed
install-test: system-packages $(VENV)/.installed-test

## system-packages: Debian packages for PDF rendering, translations and browser tests
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

migrate: export MEMORANDUM_ENV ?= development
migrate: install
	$(BIN)/python manage.py migrate --noinput -v0

## messages: extract the translatable strings of every app into its .po files
messages: install
	# Each app keeps its own catalogue (memorandum/<app>/locale); the project package's
	# catalogue covers the base templates and shared code only.
	apps=$$(for d in memorandum/*/locale; do basename $$(dirname $$d); done); \
	for dir in memorandum $$(for a in $$apps; do echo memorandum/$$a; done); do \
	  ignores="--ignore=tests/* --ignore=migrations/*"; \
	  [ $$dir = memorandum ] && for a in $$apps; do ignores="$$ignores --ignore=$$a/*"; done; \
	  (cd $$dir && $(CURDIR)/$(BIN)/python $(CURDIR)/manage.py makemessages -l nl -l fr -l en --no-obsolete $$ignores -v0); \
	done

## compilemessages: build the .mo files (run by demo and test)
compilemessages: install
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy --strict ranking

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install-test
	$(BIN)/python bench/ranking.py --quick
	$(BIN)/python bench/publication.py --repeat 1
	$(BIN)/python bench/survey.py --requests 500
	$(BIN)/python bench/duplicates.py

## bench-quick: a smoke run of the survey benchmark (CI runs it so it cannot rot)
bench-quick: install-test
	$(BIN)/python bench/survey.py --quick

clean:
	rm -rf $(VENV) var build *.egg-info
