# The two commands: `make run` serves the store, `make test` runs the whole suite.
# Both set everything up from nothing (virtualenv, packages, database, translations).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# Reinstall when requirements.txt changes.
INSTALLED := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
WEB_WORKERS ?= 2

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install setup run worker training-worker design-worker test lint format bench clean

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned to the local CPU build: a looser pin pulls gigabytes of CUDA packages.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

install: $(INSTALLED)

setup: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py compile_translations
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo --if-empty
	# The assistant's built-in intent model: fitted once (a minute or two), then only loaded.
	$(BIN)/python manage.py warm_up_assistant

# The demo login and the e-mails name the address actually served (unless SITE_URL is set).
run: export SITE_URL ?= http://$(HOST):$(PORT)
# The local store pays with the test gateway (test card numbers), allowed explicitly: with
# DEBUG off it refuses every charge otherwise (README: "Security: deployment").
run: export SHOP_ALLOW_TEST_GATEWAY ?= true
run: setup
	@echo "Serving the store on http://$(HOST):$(PORT)/ with three Celery workers (Ctrl-C stops all)."
	@cat "$${SHOP_VAR_DIR:-var}/demo-login.txt" 2>/dev/null || true
	@# The second worker takes only the training queue (fine-tuning the sentiment model, minutes
	@# to half an hour), one job at a time, so the main worker's queue never waits behind it.
	@# The third takes only the design queue (the design GAN: training runs and drafts): the one process that
	@# imports TensorFlow, one job at a time.
	@bash -c 'trap "kill 0" EXIT; \
	  $(BIN)/celery -A shop worker --beat --schedule var/celerybeat-schedule --loglevel=INFO --concurrency=1 & \
	  $(BIN)/celery -A shop worker -Q $${AI_SENTIMENT_TRAIN_QUEUE:-training} -n training@%h --loglevel=INFO --concurrency=1 & \
	  $(BIN)/celery -A shop worker -Q $${DESIGN_QUEUE:-design} -n design@%h --loglevel=INFO --concurrency=1 & \
	  $(BIN)/gunicorn shop.wsgi -c gunicorn.conf.py --bind $(HOST):$(PORT) --workers $(WEB_WORKERS) \
	    --access-logfile - --timeout 120'

worker: install
	$(BIN)/celery -A shop worker --loglevel=INFO

# The worker of the training queue (AI_SENTIMENT_TRAIN_QUEUE), when workers are started by hand.
training-worker: install
	$(BIN)/celery -A shop worker -Q $${AI_SENTIMENT_TRAIN_QUEUE:-training} -n training@%h --loglevel=INFO --concurrency=1

# The worker of the design queue (DESIGN_QUEUE: the design GAN's training and drafts, TensorFlow), by hand.
design-worker: install
	$(BIN)/celery -A shop worker -Q $${DESIGN_QUEUE:-design} -n design@%h --loglevel=INFO --concurrency=1

test: install
	$(BIN)/python manage.py compile_translations
	$(BIN)/pytest

# lint-imports: the one direction of dependencies between apps (pyproject.toml, docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Every benchmark (figures go to docs/benchmarks.md by hand); the AI ones read ../shared/data.
bench: setup
	$(BIN)/python bench/storefront.py
	$(BIN)/python bench/checkout.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/recommend.py
	$(BIN)/python bench/sentiment.py

clean:
	rm -rf $(VENV) var
