# Two commands for a fresh machine (Python 3.11, pip, git, make):
#   make run    install into .venv, build the decks, start the app on SQLite
#   make test   install and run the whole test suite (lint included)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: install run build look test lint format bench bench-room clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: install
	$(BIN)/coopkit build

# Decks rendered by LibreOffice as contact sheets in build/look/, and their words per slide.
look: install
	$(BIN)/coopkit look

run: build
	$(BIN)/coopkit serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python -m bench

bench-room: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python -m bench room

clean:
	rm -rf build .pytest_cache .ruff_cache
