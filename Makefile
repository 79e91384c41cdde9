# The two set-up commands of the README:
#   make demo   install kb and run it on the bundled sample content
#   make test   install what the tests need (Chromium included) and run them all
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	scripts/install-chromium.sh
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/kb lint --fail-on error
	$(BIN)/kb index
	$(BIN)/kb build
	@scripts/demo-summary.sh

test: install-test
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q
