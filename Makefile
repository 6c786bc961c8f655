# Two commands: `make run` serves the site with demo data; `make test` runs the tests.
# Nothing but Python 3.12+ is needed: the first run creates .venv and installs.

PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell for p in python3.12 python3.13 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && echo $$p && break; done)

.PHONY: run test install lint format messages bench clean icons css assets pwa-icons

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required."; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@# The message worker (notifications/) next to the web server; Ctrl-C stops both.
	@$(PY) manage.py db_worker --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the English catalogue after marking new strings (then translate them).
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=benchmarks --ignore=tests
	$(PY) manage.py compilemessages -l en -l id --ignore=.venv

# Static assets built from the vendored releases in assets/ (outputs committed):
# the Bootstrap Icons subset, Bootstrap without the rules no page uses, the app icons.
icons: install
	$(PY) tools/build_icons.py

CRISPY_TEMPLATES = $(shell $(PY) -c 'import crispy_bootstrap5, pathlib; print(pathlib.Path(crispy_bootstrap5.__file__).parent / "templates")')
css: install
	npm ci --no-audit --no-fund --ignore-scripts
	CRISPY_TEMPLATES="$(CRISPY_TEMPLATES)" node tools/purge_css.mjs

pwa-icons: install
	$(PY) tools/build_app_icons.py

assets: icons css pwa-icons

bench: install
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 node_modules
