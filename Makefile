# One plain entry point per job. `make check-examples` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: venv check-examples test lint typecheck rules-doc slow bench fuzz clean

$(BIN)/param-lsp: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

venv: $(BIN)/param-lsp

# The main job: lint the bundled examples (clean ones exit 0), then show the mistakes.
check-examples: venv
	$(BIN)/param-lsp check examples/train.yaml examples/pipeline.yaml examples/sweep.yaml examples/components
	-$(BIN)/param-lsp check examples/mistakes

lint: venv
	$(BIN)/ruff check param_lsp tests
	$(BIN)/ruff format --check param_lsp tests

typecheck: venv
	$(BIN)/mypy

rules-doc: venv
	$(BIN)/param-lsp rules > docs/rules.md

# The whole default suite: style, types and tests (slow real-client jobs are separate).
test: lint typecheck
	$(BIN)/pytest -q

slow: venv
	$(BIN)/pytest -q -m slow

# Performance figures (not part of the tests): table on stdout, JSON in benchmarks/results/.
bench: venv
	$(BIN)/python -m benchmarks

# Long random-edit fuzzing of the real server (tests/fuzz/README.md); FUZZ_EXAMPLES sessions.
FUZZ_EXAMPLES ?= 10000
fuzz: venv
	mkdir -p benchmarks/results
	PARAM_LSP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PARAM_LSP_FUZZ_LOG=benchmarks/results/fuzz-sessions.log \
		$(BIN)/pytest -q -p no:cacheprovider tests/test_robustness.py -k random_edits

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
