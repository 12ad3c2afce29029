# The two commands of the README: `make run` (demo site) and `make test` (whole suite).
# Each sets up what it needs: a virtual environment from the hash-pinned lock file,
# migrations, compiled translations, seeds.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run run-pair test setup venv messages migrate seeds demo worker beat bench summary lint format lock makemessages check-deploy clean

run: setup demo
	$(MANAGE) runserver $(HOST):$(PORT)

# A Russian and a Chinese node on ports 8000 and 8001, exchanging (see README).
run-pair: venv messages
	$(PY) bin/run_pair.py

test: venv messages
	$(PY) -m pytest $(PYTEST_ARGS)

setup: venv messages migrate seeds

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	touch $@

# Compile the gettext catalogs with Babel (no GNU gettext needed on a fresh machine).
messages: venv
	$(PY) -m babel.messages.frontend compile -d locale -D django --statistics

migrate: venv
	$(MANAGE) migrate --noinput

seeds: migrate
	$(MANAGE) load_seeds

demo: seeds
	$(MANAGE) load_demo_data

# A sample population-status summary from the demo data (README "Population-status
# summaries"): the PDFs and HTML files go to var/summaries/.
SPECIES ?= panthera-tigris-altaica
YEAR ?= $(shell date -d "last year" +%Y 2>/dev/null || expr $$(date +%Y) - 1)
summary: setup demo
	$(MANAGE) make_summary --species $(SPECIES) --year $(YEAR) --scope joint --out var/summaries

worker: setup
	$(VENV)/bin/celery -A config worker --loglevel=INFO

beat: setup
	$(VENV)/bin/celery -A config beat --loglevel=INFO

bench: venv messages
	$(PY) -m bench

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Regenerate the lock file after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv lock
	uv export --format requirements-txt --no-emit-project --all-groups --no-header -q -o requirements.lock

# Extract new strings into the catalogs (needs GNU gettext's xgettext).
makemessages: venv
	$(MANAGE) makemessages -l ru -l zh_Hans --no-obsolete --no-location

check-deploy: venv
	DEBUG=false SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-secret-value-for-checking ALLOWED_HOSTS=example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
