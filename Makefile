# Two commands for a newcomer: `make run` (embedded default, demo data, http://127.0.0.1:8000)
# and `make test` (the whole suite). Both create .venv and build the front end themselves.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup python-deps frontend browser lint check demo bench clean

run: setup demo
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: setup browser
	$(PY) -m pytest $(PYTEST_ARGS)

setup: python-deps frontend

python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

frontend:
	@mkdir -p static_build
	@if [ -f package.json ]; then \
		if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
			npm ci --no-audit --no-fund; fi; \
		npm run --silent build; \
	fi

browser:
	@bash scripts/ensure-chromium.sh

demo:
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py setup_demo

lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: python-deps
	DEBUG=true $(PY) manage.py check
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

bench: setup
	DEBUG=true $(PY) benchmarks/property_register.py
	DEBUG=true $(PY) benchmarks/scheduling_slots.py
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(PY) benchmarks/public_pages.py

clean:
	rm -rf $(VENV) node_modules static_build staticfiles db.sqlite3 test-db.sqlite3
