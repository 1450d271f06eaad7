# Two commands on a fresh machine: `make play` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test lint bench build clean lock

# Every package at the version pinned in constraints.txt (build tools included: the package is
# built without isolation so the pins hold for them too).
$(STAMP): pyproject.toml setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt pip setuptools wheel
	WARGAME_PURE=1 $(BIN)/python -m pip install --quiet --no-build-isolation -c constraints.txt \
		-e '.[test,native]'
	touch $(STAMP)

# Re-pin every package to the newest release the ranges in pyproject.toml allow. Commit the
# result on its own: snapshot tests depend on the exact Textual release.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	.venv-lock/bin/python -m pip install --quiet '.[test,native]'
	{ sed -n '1,2p' constraints.txt; .venv-lock/bin/python -m pip freeze --all --exclude wargame \
		| sort -f; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-lock

# The engine compiled with mypyc (about twice as fast); rebuilt when a compiled source changes.
# Without a C compiler this warns and the pure-Python engine is used.
NATIVE_SOURCES := wargame/compiled.py wargame/tables.py wargame/state.py wargame/evaluate.py wargame/effects.py \
	wargame/flow.py wargame/rules.py wargame/observe.py wargame/chance.py \
	wargame/bots/random_bot.py wargame/bots/greedy.py wargame/derived.py \
	wargame/bots/naming.py wargame/bots/lookahead.py wargame/bots/soft.py \
	wargame/bots/valuation.py wargame/bots/determinise.py \
	wargame/bots/planner.py
NATIVE_STAMP := $(VENV)/.native

$(NATIVE_STAMP): $(STAMP) $(NATIVE_SOURCES) setup.py
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $(NATIVE_STAMP)

build: $(NATIVE_STAMP)

play: $(NATIVE_STAMP)
	$(BIN)/wargame play

test: $(NATIVE_STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check wargame tests benchmarks setup.py
	$(BIN)/ruff format --check wargame tests benchmarks setup.py
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(NATIVE_STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) build *.egg-info wargame/_native_sources.json
	find wargame -name '*.so' -delete
