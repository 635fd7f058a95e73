# Leerbrug: `make run` starts everything on embedded defaults, `make test` runs every check.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# The first Python 3.12+ on the PATH (pyenv honours .python-version).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
PORT ?= 8000

.PHONY: run install setup test lint format messages check-deploy clean lock

# Two hash-pinned locks: requirements/prod.txt (what the production image installs)
# and requirements/dev.txt (prod + test and lint tools, constrained to prod's pins).
$(VENV)/.installed: requirements/dev.txt
	@test -n "$(PYTHON)" || { echo "Leerbrug needs Python 3.12 or newer (python3.12 / python3.13)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed

setup: install
	mkdir -p var/mail
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo

run: setup
	PORT=$(PORT) bin/run-dev

test: install
	bin/run-tests

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install
	$(PY) manage.py makemessages -l nl -l en --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -d '/+=') \
		ALLOWED_HOSTS=leerbrug.example LEERBRUG_BASE_URL=https://leerbrug.example $(PY) manage.py check --deploy --fail-level WARNING

lock: install
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --python-version 3.12 \
		--custom-compile-command "make lock" -o requirements/prod.txt
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes --python-version 3.12 \
		--custom-compile-command "make lock" -c requirements/prod.txt -o requirements/dev.txt

clean:
	rm -rf var/celery var/test-media .pytest_cache .mypy_cache .coverage
