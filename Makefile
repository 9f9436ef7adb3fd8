# SSQS Portal. `make run` for a first look, `make test` for the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist; one test database per worker).
PYTEST_WORKERS ?= auto

.PHONY: run install migrate messages compilemessages test lint format worker beat check-deploy lock bench backup restore clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r requirements.lock
	touch $@

install: $(VENV)/.installed

compilemessages: install
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv --ignore=var >/dev/null

messages: install
	DEBUG=1 $(MANAGE) makemessages -l ms -l en --ignore=.venv --ignore=var --ignore=bench --ignore=tests --no-obsolete

migrate: install
	DEBUG=1 $(MANAGE) migrate --noinput

# make run PORT=8001 (or HOST=0.0.0.0) serves elsewhere; seed_demo prints that address.
run: install compilemessages migrate
	DEMO_URL=http://$(HOST):$(PORT)/ DEBUG=1 $(MANAGE) seed_demo
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

test: install compilemessages
	$(VENV)/bin/ruff check .
	DEBUG=0 $(MANAGE) makemigrations --check --dry-run --settings=tests.settings
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint:
	$(VENV)/bin/ruff check .

format:
	$(VENV)/bin/ruff format .

worker: install
	$(VENV)/bin/celery -A ssqs_portal worker --loglevel=info --concurrency=2

beat: install
	$(VENV)/bin/celery -A ssqs_portal beat --loglevel=info

check-deploy: install
	DEBUG=0 SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=ssqs.example.gov.my \
	DATABASE_URL=$${DATABASE_URL:-sqlite:///var/check.sqlite3} $(MANAGE) check --deploy --fail-level WARNING
	DEBUG=0 SECRET_KEY=collectstatic-check ALLOWED_HOSTS=x STATIC_ROOT=$$(mktemp -d) \
	$(MANAGE) collectstatic --noinput -v0

lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes -o requirements.lock

# Backups of the PostgreSQL database DATABASE_URL names (ssqs_portal/backup.py).
backup: install
	$(MANAGE) backup

# make restore FILE=var/backups/ssqs-....dump [FORCE=1]
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/ssqs-<time>.dump [FORCE=1]" >&2; exit 2; }
	$(MANAGE) restore "$(FILE)" $(if $(filter 1,$(FORCE)),--force)

clean:
	rm -rf var/ssqs.sqlite3 var/staticfiles
