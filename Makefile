# One task file: the same commands run locally, in .ci/run and in the README.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
BIN    := $(VENV)/bin
PYTHON ?= python3
HOST   ?= 127.0.0.1
PORT   ?= 7860
Q      ?= Hoe kan de gemeenteraad grip houden op regionale samenwerking?

.PHONY: serve ask test test-fast lint eval bench load install install-dev clean-venv

$(VENV)/.installed-run: pyproject.toml constraints.txt
	@echo "Regiowijzer installeren in $(VENV) (eenmalig; enkele minuten)…"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -c constraints.txt -e ".[dev]"
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

## Run the product: build the index on first use (a no-op when nothing changed), then serve the
## app on http://$(HOST):$(PORT) (AUTH=gebruiker:wachtwoord to require a login).
serve: install
	$(BIN)/regiowijzer ingest; test $$? -le 1
	$(BIN)/regiowijzer serve --host $(HOST) --port $(PORT) $(if $(AUTH),--auth "$(AUTH)")

## Answer one question on the command line (no app): make ask Q="..."
ask: install
	$(BIN)/regiowijzer ingest --quiet; test $$? -le 1
	$(BIN)/regiowijzer ask "$(Q)"

## Measure: retrieval quality (dev + test split), speed and scaling, load on the app.
eval: install-dev
	$(BIN)/python -m evals eval --split every

bench: install-dev
	$(BIN)/python -m evals bench --scales 1,10

load: install-dev
	$(BIN)/python -m evals.load

## Run the tests (lint first).
test: install-dev lint
	$(BIN)/pytest -q

test-fast: install-dev
	$(BIN)/pytest -q -m "not slow and not browser"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean-venv:
	rm -rf $(VENV)
