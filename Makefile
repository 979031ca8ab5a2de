# Open12348: `make run` serves the platform on an embedded database; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= config.settings.local

.PHONY: run test test-browser lint messages makemessages migrations-check bench clean-venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

# Translations are compiled with Babel (pure Python), so no system gettext is needed.
messages: $(VENV)/.base-installed
	@$(BIN)/pybabel --quiet compile -d open12348/locale -D django

run: $(VENV)/.base-installed messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --scale city --if-empty
	-$(BIN)/python manage.py send_reminders
	@echo "Open12348 is at http://$(HOST):$(PORT)/  (staff console: /console/, API docs: /api/docs/)"
	$(BIN)/uvicorn config.asgi:application --host $(HOST) --port $(PORT) --lifespan off

# The browser tests (portal journeys in Debian's Chromium) run on their own, after the rest: they
# skip with a message where Chromium is missing (scripts/install-browser.sh installs it).
test: $(VENV)/.dev-installed messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -n 2 -p no:cacheprovider -m "not browser"
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -p no:cacheprovider -m browser -rs

test-browser: $(VENV)/.dev-installed messages
	scripts/install-browser.sh
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/pytest -p no:cacheprovider -m browser -rs

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Extract new strings into the catalogues (needs GNU gettext's xgettext).
makemessages: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore '.venv/*' --ignore 'var/*'

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/run_all.py
