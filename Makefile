# Two entry points (see README.md): `make train` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DATA := /usr/share/datasets/fashion-mnist
EPOCHS ?= 6

.PHONY: setup data train test lint conformance bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"

setup: $(PY)

data:
	@if [ ! -f $(DATA)/train-images-idx3-ubyte.gz ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && apt-get install -y -qq dataset-fashion-mnist; \
	  else \
	    echo "Fashion-MNIST is missing: run 'sudo apt-get install dataset-fashion-mnist'"; \
	  fi; \
	fi

train: setup data
	$(PY) -m tensorflux train --epochs $(EPOCHS)

test: setup
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check tensorflux tests tools benchmarks examples

conformance: setup
	$(PY) ../shared/conformance/run.py --python $(abspath $(PY))

bench: setup
	$(PY) benchmarks/run.py
