# The README names two targets: `make run` and `make test`. The others are conveniences.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --disable-pip-version-check --quiet

.PHONY: run test lint bench clean

run: $(VENV)/.installed
	$(BIN)/ulinzi run

test: $(VENV)/.installed-test
	scripts/test

lint: $(VENV)/.installed-test
	scripts/test lint

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py
	$(BIN)/python bench/geo_lookup.py
	$(BIN)/python -m bench.masking
	$(BIN)/python bench/geocode.py
	$(BIN)/python bench/control_share.py
	$(BIN)/python bench/acled_import.py
	$(BIN)/python bench/events_store.py --rows 20000 --database sqlite
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/dashboard.py --rows 1000000
	$(BIN)/python -m bench.patrol_tracks --points 1000000 --baseline --store 1000000

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --editable .
	touch $@

$(VENV)/.installed-test: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) --editable '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) var/test build *.egg-info src/*.egg-info
