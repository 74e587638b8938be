# The two set-up commands of the README: `make demo` and `make test`.
# Both create .venv when it is missing and install the library and every rule pack
# under plugins/ in editable mode; `make demo` installs the runtime dependencies
# only, `make test` adds the test extras.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PLUGINS := $(sort $(dir $(wildcard plugins/*/pyproject.toml)))
STAMP := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
JS := tests/js
JS_STAMP := $(JS)/node_modules/.installed
EXAMPLES := $(sort $(wildcard examples/*/inventory.toml))
# The Nautobot the importer's real-server test starts, in a venv of its own: Django
# and its dependencies never mix with maintlib's.
NAUTOBOT_VERSION := 3.2.7
NAUTOBOT_VENV := .nautobot-venv
NAUTOBOT_STAMP := $(NAUTOBOT_VENV)/.installed-$(NAUTOBOT_VERSION)

.PHONY: demo test lint typecheck unit bench clean browser nautobot i18n

$(RUNTIME_STAMP): pyproject.toml $(wildcard plugins/*/pyproject.toml) Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . $(foreach p,$(PLUGINS),-e $(p))
	touch $@

$(STAMP): $(RUNTIME_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# ical.js, the reader the feed tests check VTIMEZONEs with (pinned by package-lock.json).
$(JS_STAMP): $(JS)/package.json $(JS)/package-lock.json
	npm ci --prefix $(JS) --no-audit --no-fund
	touch $@

demo: $(RUNTIME_STAMP)
	@mkdir -p out
	@set -e; for inv in $(EXAMPLES); do \
		name=$$(basename $$(dirname $$inv)); \
		$(BIN)/maintlib check $$inv; \
		$(BIN)/maintlib plan $$inv --start 2027-01-01 --months 12 \
			--json out/$$name.json --ics out/$$name.ics --report out/$$name.md; \
		$(BIN)/maintlib report $$inv --start 2027-01-01 --months 12 --out out/$$name.html; \
	done

LINTED := $(wildcard src tests benchmarks plugins)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy --strict src $(foreach p,$(PLUGINS),$(p)src)

# The report's browser test needs Debian's headless Chromium (CI: root on a fresh machine).
browser:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

$(NAUTOBOT_STAMP):
	test -x $(NAUTOBOT_VENV)/bin/python || $(PYTHON) -m venv $(NAUTOBOT_VENV)
	$(NAUTOBOT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(NAUTOBOT_VENV)/bin/python -m pip install --quiet 'nautobot==$(NAUTOBOT_VERSION)'
	touch $@

# tests/test_nautobot_server.py: Debian's PostgreSQL and Redis (it starts its own
# throwaway cluster and redis-server; the packages' services are not used), and nautobot.
nautobot: $(NAUTOBOT_STAMP)
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || (apt-get update && apt-get install -y postgresql)
	command -v redis-server >/dev/null || (apt-get update && apt-get install -y redis-server)

# In parallel on every core (pytest-xdist), the 15 slowest tests listed at the end.
unit: $(STAMP) $(JS_STAMP) browser nautobot
	$(BIN)/pytest -q -n auto --durations=15

# After changing a report message: extract, merge into the Dutch catalogue, translate
# (no fuzzy or empty entries: tests/test_report_i18n.py), then compile the .mo that ships.
i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
		--project maintlib -o src/maintlib/outputs/locale/maintlib.pot .
	$(BIN)/pybabel update -D maintlib -i src/maintlib/outputs/locale/maintlib.pot \
		-d src/maintlib/outputs/locale --no-fuzzy-matching --ignore-pot-creation-date
	$(BIN)/pybabel compile -D maintlib -d src/maintlib/outputs/locale --statistics

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_plan.py

clean:
	rm -rf $(VENV) $(NAUTOBOT_VENV) out .pytest_cache .mypy_cache .ruff_cache .hypothesis $(JS)/node_modules
