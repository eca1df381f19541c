# make demo: set up, then code the bundled example corpus and show what came out.
# make test: set up, then run the whole test suite.
# make install: the set-up alone (a venv with the pinned packages and the spaCy model).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NE := $(VENV)/bin/newsevents
STAMP := $(VENV)/.installed
DEMO_DB := demo.duckdb

.PHONY: install demo test lint chromium clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

demo: install
	rm -f $(DEMO_DB)
	$(NE) ingest examples/corpus --db $(DEMO_DB)
	$(NE) events --db $(DEMO_DB) --dyad RUS JPN
	$(NE) timeline --db $(DEMO_DB) RUS JPN --by month --no-background

# Browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: install chromium
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check newsevents tests

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache
