# Two commands: `make demo` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL used by the second test run (pytest-django creates test_<name> beside it).
PG_URL ?= postgres://postgres@127.0.0.1:5432/ettervern
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install chromium lint test-sqlite test-postgres check-postgres lock messages clean

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(BIN)/.installed

demo: install
	ETTERVERN_DEMO=1 $(BIN)/ettervern demo

# Debian's chromium for the browser tests; never a browser downloaded by a test tool.
chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || sudo -n sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'; }

lint: install
	$(BIN)/ruff check .
	ETTERVERN_TESTING=1 $(BIN)/mypy src

test: install chromium lint test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

# Under CI (CI=true) an unreachable PostgreSQL fails the run; elsewhere it is skipped with a warning.
check-postgres: install
	@$(BIN)/python scripts/check_postgres.py "$(PG_URL)"

test-postgres: check-postgres
	@if $(BIN)/python scripts/check_postgres.py --quiet "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not e2e"; \
	fi

# Regenerate the lock file after changing pyproject.toml.
lock:
	rm -rf /tmp/ettervern-lock && $(PYTHON) -m venv /tmp/ettervern-lock
	/tmp/ettervern-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/ettervern-lock/bin/pip freeze --exclude-editable > requirements.lock

messages: install
	cd src/ettervern && ../../$(BIN)/django-admin makemessages -l nb -l en --no-obsolete \
	  --ignore '*/migrations/*' && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
