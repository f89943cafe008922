# Two commands: `make demo` (flagship analysis) and `make test` (every check).
# Both create the local environment .venv on first use.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= out/ukraine-ceasefire-2026

.PHONY: demo serve test lint typecheck pytest install clean schema docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@echo "compiling the model kernels (once; cached in src/zopa/models/kernels/__pycache__)"
	$(BIN)/python -m zopa.models.kernels
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/zopa report scenarios/ukraine-ceasefire-2026.yaml --out $(OUT) \
		--table bilateral=US,RU --table with-ukraine=US,RU,UA \
		--table with-europe=US,RU,UA,UK,FR,DE,IT,PL,NB,EU --advise EU,UK,UA --xlsx

# The web app on http://127.0.0.1:8000/ with the flagship loaded (Ctrl-C stops it).
serve: $(STAMP)
	$(BIN)/zopa serve --scenario scenarios/ukraine-ceasefire-2026.yaml

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples
	$(BIN)/ruff format --check src tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

schema: $(STAMP)
	$(BIN)/python -m zopa.io.schema_export schema/scenario.schema.json

docs: $(STAMP)
	$(BIN)/python -m zopa.cli.reference docs/cli.md

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
