# Một Cửa — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MOTCUA_HOST ?= 127.0.0.1
export MOTCUA_PORT ?= 8000

.PHONY: run test install browser lint format migrate seed bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The demo: development mode (generated secret key, loopback names) with the sandbox gateway.
run: export MOTCUA_ENV ?= development
run: export MOTCUA_SANDBOX_GATEWAY ?= 1
run: install
	$(BIN)/motcua migrate
	$(BIN)/motcua seed-demo --if-empty
	$(BIN)/motcua serve

# Debian's Chromium drives the Playwright tests (Playwright's own download is not used).
browser:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	  else echo "Cần cài Chromium: sudo apt-get install chromium" >&2; exit 1; fi; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install browser lint
	$(BIN)/pytest -q

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var .pytest_cache
