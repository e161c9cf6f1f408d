# Two commands: `make demo` and `make test`. Everything they need is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The PostgreSQL used by the second test run (pytest-django creates test_<name> beside it).
PG_URL ?= postgres://postgres@127.0.0.1:5432/ettervern
CHROMIUM ?= /usr/bin/chromium

OIDC_DIR := devtools/oidc-provider

.PHONY: demo test install chromium oidc-deps lint test-sqlite test-postgres check-postgres lock messages clean \
  bench bench-chart

$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

install: $(BIN)/.installed

# `make demo OIDC=1` also starts the local HelseID and ID-porten test providers (docs/sign-in.md).
demo: install
ifeq ($(OIDC),1)
	$(MAKE) oidc-deps
	$(BIN)/python $(OIDC_DIR)/demo.py & trap "kill $$! 2>/dev/null" EXIT; \
	  for i in $$(seq 1 60); do test -f var/oidc-demo/providers.json && break; sleep 0.5; done; \
	  ETTERVERN_DEMO=1 ETTERVERN_OIDC_PROVIDERS=var/oidc-demo/providers.json \
	  ETTERVERN_CSP_FORM_ACTION_EXTRA=http://127.0.0.1:9100,http://127.0.0.1:9101 \
	  $(BIN)/ettervern demo
else
	ETTERVERN_DEMO=1 $(BIN)/ettervern demo
endif

# The local OpenID Connect provider for the sign-in tests: node's oidc-provider, from the lockfile.
oidc-deps: $(OIDC_DIR)/node_modules/.package-lock.json

$(OIDC_DIR)/node_modules/.package-lock.json: $(OIDC_DIR)/package-lock.json
	cd $(OIDC_DIR) && npm ci --no-audit --no-fund

# Debian's chromium for the browser tests; never a browser downloaded by a test tool.
chromium:
	@test -x $(CHROMIUM) || { echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || sudo -n sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'; }

lint: install
	$(BIN)/ruff check .
	ETTERVERN_TESTING=1 $(BIN)/mypy src

test: install chromium oidc-deps lint test-sqlite test-postgres

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

# Under CI (CI=true) an unreachable PostgreSQL fails the run; elsewhere it is skipped with a warning.
check-postgres: install
	@$(BIN)/python scripts/check_postgres.py "$(PG_URL)"

test-postgres: check-postgres
	@if $(BIN)/python scripts/check_postgres.py --quiet "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not e2e"; \
	fi

# The benchmark (docs/performance.md): `make bench [SCALE=50k] [QUICK=1] [RESET=1] [ONLY=case,…]`.
# SCALE: tiny, 50k (the default), national. Needs PostgreSQL (BENCH_DATABASE_URL,
# default postgres://postgres@127.0.0.1:5432/ettervern_bench[_<scale>]).
bench: install
	$(BIN)/python -m bench.run $(if $(SCALE),--scale $(SCALE)) $(if $(filter 1,$(QUICK)),--quick) \
	  $(if $(filter 1,$(RESET)),--reset) $(if $(ONLY),--only $(ONLY))

# The latency-against-data-size chart in docs/performance.md, from the newest full run of each scale.
bench-chart: install
	$(BIN)/python -m bench.chart

# Regenerate the lock file after changing pyproject.toml.
lock:
	rm -rf /tmp/ettervern-lock && $(PYTHON) -m venv /tmp/ettervern-lock
	/tmp/ettervern-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/ettervern-lock/bin/pip freeze --exclude-editable > requirements.lock

# Translations: the project catalogue (src/ettervern/locale/) and, for the apps that keep their
# own (APP_CATALOGUES, in <app>/locale/), theirs. The project's wins where both have a msgid
# (LOCALE_PATHS is read first), so an app gives a word another meaning with a msgctxt.
APP_CATALOGUES := discharge meetings messaging tasks
messages: install
	cd src/ettervern && ../../$(BIN)/django-admin makemessages -l nb -l en --no-obsolete \
	  --ignore '*/migrations/*' $(foreach app,$(APP_CATALOGUES),--ignore '$(app)/*')
	for app in $(APP_CATALOGUES); do (cd src/ettervern/$$app && ../../../$(BIN)/django-admin \
	  makemessages -l nb -l en --no-obsolete --ignore 'migrations/*') || exit 1; done
	cd src/ettervern && ../../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
