# Prozessatlas — `make install`, then `make run`; `make test` runs everything.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432

.PHONY: install python frontend schemas run test test-sqlite test-postgresql test-deps bench-deps lint fmt typecheck migrate revision bench clean

install: python frontend schemas  ## everything needed to run: Python env, frontend bundle, OMG schemas

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

python: $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev]"

frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run build

schemas: frontend
	$(BIN)/python scripts/install_schemas.py

run:  ## serve on http://127.0.0.1:8000 (SQLite under ./data, demo catalogue on first start)
	$(BIN)/prozessatlas serve

migrate:
	$(BIN)/prozessatlas migrate

test: test-deps test-sqlite test-postgresql  ## the whole suite on SQLite, then on PostgreSQL

test-sqlite:
	PROZESSATLAS_TEST_DB=sqlite $(BIN)/pytest -q $(PYTEST_ARGS)

test-postgresql:  # browser tests run once, on SQLite
	PROZESSATLAS_TEST_DB=postgresql PROZESSATLAS_TEST_PG=$(PG_URL) $(BIN)/pytest -q -m "not browser" $(PYTEST_ARGS)

test-deps:  ## Debian's chromium for the browser tests (Playwright cannot download browsers here)
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check app tests bench scripts migrations
	$(BIN)/mypy app

fmt:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format app tests bench scripts migrations

typecheck:
	$(BIN)/mypy app

revision:  ## make revision m="what changed"
	$(BIN)/alembic revision --autogenerate -m "$(m)"

bench-deps: test-deps  ## wrk, the load generator of bench/api_reads.py (an httpx client needs a core of its own)
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: bench-deps
	$(BIN)/python bench/import_corpus.py
	$(BIN)/python bench/analysis_quality.py
	$(BIN)/python bench/analysis_speed.py
	$(BIN)/python bench/api_reads.py
	$(BIN)/python bench/browser_open.py

clean:
	rm -rf $(VENV) frontend/node_modules app/static/dist bpmn_schemas/*.xsd
