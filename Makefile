# make demo: set up, then code the bundled example corpus and show what came out.
# make test: set up, then run the whole test suite.
# make install: the set-up alone (a venv with the pinned packages and the spaCy model).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NE := $(VENV)/bin/newsevents
STAMP := $(VENV)/.installed
DEMO_DB := demo.duckdb
WEB_ASSETS := newsevents/web/assets
WEB_STAMP := $(WEB_ASSETS)/node_modules/.installed

.PHONY: install demo test lint chromium clean screenshots docs bench dist

install: $(STAMP) $(WEB_STAMP)

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
	@echo
	@echo "Explore the events in your browser (then open http://127.0.0.1:8001/):"
	@echo "  $(NE) serve --db $(DEMO_DB)"

# The README's chart (docs/timeline-rus-jpn.png): the demo store's Russia-Japan timeline for 2016.
docs: install
	rm -f $(DEMO_DB)
	$(NE) ingest examples/corpus --db $(DEMO_DB) --quiet
	$(NE) timeline --db $(DEMO_DB) RUS JPN --by month --since 2016-01-01 --until 2016-12-31 \
		--no-background --title "Russia – Japan, 2016: events per month" \
		--plot docs/timeline-rus-jpn.png

# Browser tests drive Debian's chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

# The web UI's front-end libraries (d3, topojson-client, world-atlas, swagger-ui-dist) from npm,
# into a gitignored node_modules; re-run only when the lock file changes. Install scripts never run.
$(WEB_STAMP): $(WEB_ASSETS)/package.json $(WEB_ASSETS)/package-lock.json
	@command -v npm >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq npm >/dev/null; }
	cd $(WEB_ASSETS) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

# README screenshots (docs/screenshots/*.png), taken by the browser tests in real Chromium.
screenshots: install chromium
	NEWSEVENTS_SCREENSHOTS=docs/screenshots $(PY) -m pytest -q -p no:cacheprovider tests/test_web_browser.py

test: install chromium
	$(PY) -m pytest -q

# A wheel with the data files and the web front-end files (README: "Installing as a package"),
# built offline with the venv's pinned setuptools.
dist: install
	rm -rf dist
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist .

# Throughput and memory of `newsevents ingest` against a bare spaCy parse (docs/scale.md).
bench: install
	$(PY) bench/throughput.py

lint: install
	$(VENV)/bin/ruff check newsevents tests

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache build dist
