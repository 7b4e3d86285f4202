# 责任链: `make run` starts the demo, `make test` runs the suite, `make bench` prints the benchmarks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs over plain http on this machine, with the demo accounts' public passwords (README, 演示账号).
DEMO_MODE ?= true
HTTPS ?= false

WHEELHOUSE ?= wheelhouse
.PHONY: run test bench install install-dev migrate seed messages clean wheelhouse upgrade smoke

# OFFLINE=1: install only from the wheelhouse folder of an offline bundle (`make wheelhouse`), never from an index.
ifeq ($(OFFLINE),1)
PIP_INSTALL := $(PY) -m pip install --quiet --isolated --no-index --find-links $(WHEELHOUSE)
else
PIP_INSTALL := $(PY) -m pip install --quiet
endif

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(if $(filter 1,$(OFFLINE)),,$(PY) -m pip install --quiet --upgrade pip)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# A random SECRET_KEY for this checkout, kept in .env (never committed).
.env:
	@$(PY) -c "import secrets; print('SECRET_KEY=' + secrets.token_urlsafe(50))" > .env

migrate: install .env
	$(PY) manage.py migrate --no-input -v 0

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@$(PY) manage.py send_reminders --queue  # the worker delivers today's demo reminders as soon as it starts
	@echo ""
	@echo "责任链 演示环境: http://$(HOST):$(PORT)/   (Ctrl-C 停止 web、Celery worker 与 beat)"
	@echo ""
	HOST=$(HOST) PORT=$(PORT) DEMO_MODE=$(DEMO_MODE) HTTPS=$(HTTPS) $(VENV)/bin/honcho start -f Procfile

# Lint, migrations in step with the models, then the suite. A skipped test fails the run (tests/conftest.py).
test: install-dev
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest $(PYTEST_ARGS)

# The offline bundle for an intranet server: the source (static/ front-end assets are vendored in it) and every
# pinned wheel, in dist/zerenlian-offline.tar.gz. On the server: tar xzf …; cd zerenlian; make install OFFLINE=1.
wheelhouse: install
	rm -rf dist/bundle && mkdir -p dist/bundle/zerenlian/$(WHEELHOUSE)
	git archive --format=tar HEAD | tar -x -C dist/bundle/zerenlian
	$(PY) -m pip wheel --quiet --wheel-dir dist/bundle/zerenlian/$(WHEELHOUSE) -r requirements.txt
	tar -czf dist/zerenlian-offline.tar.gz -C dist/bundle zerenlian
	rm -rf dist/bundle
	@echo "dist/zerenlian-offline.tar.gz"

# A new release on a running server: the new release's pinned packages (always: the unpacked files are older than
# the last install, so make would think it current), a backup, then migrate and collect static files.
upgrade: | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $(VENV)/.installed
	$(PY) manage.py backup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input -v 0

# The production smoke test: nginx, gunicorn, two Celery workers and beat on PostgreSQL and a Redis of its own.
smoke: install
	$(PY) deploy/smoke.py

# Regenerate the English catalogue after changing translatable text (needs GNU gettext).
messages: install-dev .env
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l en -l zh_Hans --ignore=.venv

clean:
	rm -rf var

# City-scale timings in PostgreSQL (DATABASE_URL; default postgres://postgres@127.0.0.1:5432/postgres).
# BENCH_SCALES=1,10 runs 600 and then 6,000 organisations.
bench: install-dev
	$(PY) -m bench
