# Two commands: `make run` serves the dashboard on the seed corpus, `make test` runs lint and tests.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
DATA ?= data
PORT ?= 8501
ADDRESS ?= localhost
# Who may add articles from the browser (see app/adding.py): open on localhost, off when served to others.
ADD_ARTICLES ?= $(if $(filter localhost 127.0.0.1,$(ADDRESS)),open,off)

.PHONY: run test lint data clean browser-deps fuzz quality

run: $(VENV)/.installed $(DATA)/manifest.json
	DASHBOARD_DATA=$(DATA) ADD_ARTICLES=$(ADD_ARTICLES) $(PY) -m streamlit run dashboard.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true --browser.gatherUsageStats false

test: $(VENV)/.installed-dev browser-deps
	$(PY) -m ruff check .
	$(PY) -m pytest

# Property tests with many new random examples (`make test` under CI=true draws the same ones every run).
fuzz: $(VENV)/.installed-dev
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest tests/extract/test_properties.py

# Extraction quality on the public development sets and the seed gold, as one table (needs ../shared).
quality: $(VENV)/.installed
	$(PY) -m benchmarks.quality

# The browser tests drive Debian's Chromium through Playwright (a dev extra); installed only when missing.
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium chromium-driver; \
	fi

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .

data: $(DATA)/manifest.json

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

# Rebuilt when the seeds or the pipeline change: every layer that makes the tables (lib/views/: the
# pages' derived tables, written with them).
PIPELINE_LAYERS := read nlp extract crossarticle run contract views
PIPELINE_FILES := lib/__init__.py lib/preprocess.py $(foreach layer,$(PIPELINE_LAYERS),$(wildcard lib/$(layer)/*.py))
$(DATA)/manifest.json: $(wildcard seeds/*) $(PIPELINE_FILES) $(wildcard lib/data/*) | $(VENV)/.installed
	$(PY) -m lib.preprocess seeds --out $(DATA)

clean:
	rm -rf $(DATA) .pytest_cache
