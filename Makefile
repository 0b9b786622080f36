# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
TEST_ENV := DJANGO_SETTINGS_MODULE=config.test_settings

.PHONY: run test venv lint format migrate demo worker clean bench

venv: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# `make run` installs only what serving needs; the test and lint tools come with `make test`.
$(RUN_STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(RUN_STAMP)

## Set up and serve on http://127.0.0.1:8000 with demo data (SQLite, debug on).
run: $(RUN_STAMP)
	DJANGO_DEBUG=on $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=on $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=on $(BIN)/python manage.py runserver 127.0.0.1:8000

## Lint, check the app layers, migrations and the schema, then run the whole suite.
test: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/python manage.py spectacular --validate --fail-on-warn --file /dev/null
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

## Side-by-side benchmark on loopback: gunicorn + PostgreSQL + Redis, wrk (not part of `test`).
## BENCH_DATABASE_URL / BENCH_REDIS_URL choose the stores; BENCH_ARGS e.g. "--rounds 1 --only catalog".
bench: venv
	@command -v wrk >/dev/null || { echo "make bench needs wrk, the load generator: apt-get install -y wrk"; exit 2; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv
	$(BIN)/celery -A config worker --loglevel=info

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
