# HARMONY Catalogue — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PG_URL = $(shell bash scripts/postgres.sh url)
ES_URL ?= http://127.0.0.1:9200
PYTEST_ARGS ?=
PORT ?= 8000
DEMO_VAR := $(or $(HARMONY_VAR_DIR),var)

.PHONY: demo demo-reset serve test install lint format services postgres elasticsearch oidc browser messages messages-update test-sqlite test-postgres bench bench-relevance bench-embeddings bench-load screenshots clean

$(STAMP): requirements.txt requirements-dev.txt requirements-semantic.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_governance_demo
	$(PY) manage.py search_reindex
	@echo
	@echo "Demo logins (password for all: harmony-demo):"
	@$(PY) manage.py seed_demo --print-logins
	@$(PY) manage.py seed_governance_demo --print-logins
	@echo
	@echo "Serving on http://127.0.0.1:$(PORT) with the outbox and job workers (Ctrl-C stops all three)"
	@$(PY) manage.py outbox_worker & outbox=$$!; \
	$(PY) manage.py db_worker --no-reload --queue-name '*' -v 0 & jobs=$$!; \
	trap 'kill $$outbox $$jobs 2>/dev/null' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Start the demo over: delete its SQLite database and the rest of its var/ state (uploaded files, audit anchors,
# signing keys), then run the demo. Refuses when DATABASE_URL points elsewhere, since it would wipe only half.
demo-reset:
	@case "$${DATABASE_URL:-}" in ""|sqlite:*) ;; \
	  *) echo "make demo-reset starts over the demo's SQLite database only: unset DATABASE_URL"; exit 1;; esac
	rm -rf $(DEMO_VAR)
	$(MAKE) demo PORT=$(PORT)

# The production web server: gunicorn (harmony/gunicorn_conf.py, configured by the environment) with
# WhiteNoise serving the collected static files. Run the worker and the scheduled commands beside it
# (README "Deployment").
serve: install messages
	$(PY) manage.py collectstatic --noinput -v 0
	PORT=$(PORT) $(VENV)/bin/gunicorn -c harmony/gunicorn_conf.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The interface translations: compile locale/*/LC_MESSAGES/django.po (make demo, serve and test do it), or, after
# marking new strings, re-extract them into every .po (`make messages-update`) and translate the new entries.
messages:
	PY=$(PY) bash scripts/messages.sh

messages-update: install
	PY=$(PY) bash scripts/messages.sh update

postgres:
	bash scripts/postgres.sh

elasticsearch:
	bash scripts/elasticsearch.sh

# The test OpenID Connect providers (django-oauth-toolkit, scripts/oidc_provider/) on 127.0.0.1:9830-9832.
oidc: install
	bash scripts/oidc.sh

browser:
	bash scripts/browser.sh

services: postgres elasticsearch oidc

# The whole suite twice: SQLite (every marker but postgres) and PostgreSQL (every marker but browser and oidc), the two
# passes side by side (one per core; each prints its output when it ends).
test: install lint messages services browser
	$(MAKE) -j2 --output-sync=target test-sqlite test-postgres

test-sqlite: install messages
	ELASTICSEARCH_URL=$(ES_URL) $(PY) -m pytest -m "not postgres and not escluster" $(PYTEST_ARGS)

test-postgres: install messages
	DATABASE_URL=$(PG_URL) ELASTICSEARCH_URL=$(ES_URL) $(PY) -m pytest -m "not browser and not oidc" $(PYTEST_ARGS)

# Schemathesis over every API operation as anonymous, researcher and curator (tests/schemathesis_api.py).
schemathesis: install services
	SCHEMATHESIS_MAX_EXAMPLES=$${SCHEMATHESIS_MAX_EXAMPLES:-3} ELASTICSEARCH_URL=$(ES_URL) $(PY) -m pytest -p no:logging tests/schemathesis_api.py $(PYTEST_ARGS)

# Every figure of BENCHMARKS.md against its floor in the same run: search (indexing, queries; both backends),
# the statistics figures on the catalogue run.py seeded, and the dictionary import on SQLite and on PostgreSQL.
bench: install services
	DATABASE_URL=$(PG_URL) ELASTICSEARCH_URL=$(ES_URL) $(PY) scripts/bench/run.py
	DATABASE_URL=$(PG_URL) $(PY) scripts/bench/statistics_pages.py
	$(PY) scripts/bench/import_dictionary.py
	DATABASE_URL=$(PG_URL) DATABASE_TEST_NAME=bench_import $(PY) scripts/bench/import_dictionary.py

# Judged researcher queries (scripts/bench/relevance/) against SQLite, PostgreSQL and Elasticsearch, each seeded
# into a throwaway database: hit@10, MRR and nDCG@10 per backend and language, dev and held-out apart.
bench-relevance: install services
	CI=$${CI:-true} DATABASE_URL=$(PG_URL) ELASTICSEARCH_URL=$(ES_URL) $(PY) scripts/bench/relevance/run.py < /dev/null

# The production server under load (scripts/bench/load/): locust headless, 200 users for 10 minutes, against
# `make serve` on PostgreSQL (LOAD_DATABASE_URL) and a 3-node Elasticsearch cluster on ports 9290-9292.
bench-load: install postgres
	$(PY) scripts/bench/load/run.py

# Embedding cost of the catalogue in PostgreSQL (seed it first, e.g. manage.py seed_demo --scale 20).
bench-embeddings: install services
	DATABASE_URL=$(PG_URL) ELASTICSEARCH_URL=$(ES_URL) $(PY) scripts/bench/embeddings.py

screenshots: install messages browser
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) var staticfiles
