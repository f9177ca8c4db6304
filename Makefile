# One plain entry point per job. `make check-examples` and `make test` work on a fresh machine.
# Dependencies come from uv.lock (exact versions and hashes); uv itself is pinned and bootstrapped
# into .uv/ with the machine's Python, so only Python >= 3.11 and make are needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV := .uv/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: venv check-examples test test-latest lint typecheck rules-doc slow bench sweep fuzz dist smoke-dist clean

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Bytecode is compiled at install time (as pip does; uv does not by default): without it, a
# machine with PYTHONDONTWRITEBYTECODE=1 compiles every module, lsprotocol's included, on each
# start of the server or the CLI.
$(BIN)/param-lsp: pyproject.toml uv.lock $(UV)
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --quiet --frozen --compile-bytecode --extra dev --python $(PYTHON)
	$(BIN)/python -m compileall -q param_lsp
	touch $@

venv: $(BIN)/param-lsp

# The newest versions pyproject.toml allows, in a separate venv (the locked .venv is untouched):
# run it to notice an upgrade that breaks something before `uv lock --upgrade` adopts it.
test-latest: $(UV)
	rm -rf .venv-latest
	$(UV) venv --quiet --python $(PYTHON) .venv-latest
	VIRTUAL_ENV=.venv-latest $(UV) pip install --quiet --upgrade -e '.[dev]'
	VIRTUAL_ENV=.venv-latest $(UV) pip list
	.venv-latest/bin/ruff check param_lsp tests
	.venv-latest/bin/mypy
	.venv-latest/bin/pytest -q

# The wheel and the sdist (dist/), built in an isolated environment by the pinned uv.
dist: $(UV)
	rm -rf dist
	$(UV) build --quiet --out-dir dist

# Install the wheel and the sdist each into a clean venv (dependencies at their locked versions)
# and smoke-test them there: `--version`, `check` on examples/, `serve` answering `initialize`.
smoke-dist: dist
	$(UV) export --quiet --frozen --no-dev --no-emit-project --no-header --output-file dist/constraints.txt
	for kind in whl tar.gz; do \
		rm -rf dist/venv-$$kind && $(UV) venv --quiet --python $(PYTHON) dist/venv-$$kind && \
		VIRTUAL_ENV=dist/venv-$$kind $(UV) pip install --quiet --constraint dist/constraints.txt dist/*.$$kind && \
		dist/venv-$$kind/bin/python .ci/smoke_installed.py dist/venv-$$kind examples || exit 1; \
	done

# The main job: lint the bundled examples (clean ones exit 0), then show the mistakes.
check-examples: venv
	$(BIN)/param-lsp check examples/train.yaml examples/pipeline.yaml examples/sweep.yaml examples/components
	-$(BIN)/param-lsp check examples/mistakes

lint: venv
	$(BIN)/ruff check param_lsp tests scripts .ci
	$(BIN)/ruff format --check param_lsp tests scripts .ci

typecheck: venv
	$(BIN)/mypy

rules-doc: venv
	$(BIN)/param-lsp rules > docs/rules.md

# The whole default suite: style, types and tests (slow real-client jobs are separate).
test: lint typecheck
	$(BIN)/pytest -q

# Skipped tests say why (an editor or tool not installed: tests/editors/install-editors.sh).
slow: venv
	$(BIN)/pytest -q -rs -m slow

# Performance figures (not part of the tests): table on stdout, JSON in benchmarks/results/.
bench: venv
	$(BIN)/python -m benchmarks

# Every editor feature at every line of every real and public polyaxonfile and of five broken or
# restyled versions of each (tests/test_feature_sweep.py; the default suite takes every 12th file).
sweep: venv
	PARAM_LSP_SWEEP_ALL=1 $(BIN)/pytest -q -p no:cacheprovider tests/test_feature_sweep.py

# Long random-edit fuzzing of the real server (tests/fuzz/README.md); FUZZ_EXAMPLES sessions.
FUZZ_EXAMPLES ?= 10000
fuzz: venv
	mkdir -p benchmarks/results
	PARAM_LSP_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PARAM_LSP_FUZZ_LOG=benchmarks/results/fuzz-sessions.log \
		$(BIN)/pytest -q -p no:cacheprovider tests/test_robustness.py -k random_edits

clean:
	rm -rf $(VENV) .venv-latest .venv-editors .uv build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
