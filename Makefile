# Two commands on a fresh machine: `make play` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: play test test-slow lint bench build clean lock continue demo replay report example verify validate simulate sweep docs

# Settings of the user-facing targets, e.g. `make replay SAVE=saves/x.jsonl` (see README.md).
SAVES ?= saves
SAVE ?=
SCENARIO ?= decks/circle-of-friends
GAMES ?= 200
BOT ?= greedy
SPEC ?= decks/circle-of-friends/sweeps/example.yaml
OUT ?= debrief.html

# Every package at the version pinned in constraints.txt (build tools included: the package is
# built without isolation so the pins hold for them too).
$(STAMP): pyproject.toml setup.py constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -c constraints.txt pip setuptools wheel
	WARGAME_PURE=1 $(BIN)/python -m pip install --quiet --no-build-isolation -c constraints.txt \
		-e '.[test,native,cluster]'
	touch $(STAMP)

# Re-pin every package to the newest release the ranges in pyproject.toml allow. Commit the
# result on its own: snapshot tests depend on the exact Textual release.
lock:
	rm -rf .venv-lock
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	.venv-lock/bin/python -m pip install --quiet '.[test,native,cluster]'
	{ sed -n '1,2p' constraints.txt; .venv-lock/bin/python -m pip freeze --all --exclude wargame \
		| sort -f; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .venv-lock

# The engine compiled with mypyc (see setup.py); rebuilt when a compiled source changes. A type
# error in a compiled module fails the build; without a C compiler it warns and the pure-Python
# engine is used.
NATIVE_LIST := wargame/native_modules.txt
NATIVE_SOURCES := $(shell grep -v '^\#' $(NATIVE_LIST))
NATIVE_STAMP := $(VENV)/.native

$(NATIVE_STAMP): $(STAMP) $(NATIVE_SOURCES) $(NATIVE_LIST) setup.py
	$(BIN)/python setup.py --quiet build_ext --inplace
	touch $(NATIVE_STAMP)

build: $(NATIVE_STAMP)

play: $(NATIVE_STAMP)
	$(BIN)/wargame play --saves $(SAVES) $(ARGS)

# Resume a save where it stopped: the latest in $(SAVES), or SAVE=path.
continue: $(NATIVE_STAMP)
	$(BIN)/wargame play --saves $(SAVES) --continue $(SAVE)

# Bots play a whole game without the UI and print a summary (journaled in $(SAVES)).
demo: $(NATIVE_STAMP)
	$(BIN)/wargame play --headless --seed 7 --bots all=random --saves $(SAVES)

# Step through a save (the latest in $(SAVES), or SAVE=path) for a debrief.
replay: $(NATIVE_STAMP)
	$(BIN)/wargame replay --saves $(SAVES) $(SAVE)

# A debrief report of a save (the latest in $(SAVES), or SAVE=path) written to OUT (default
# debrief.html; .md, .csv and .json give the other formats).
report: $(NATIVE_STAMP)
	$(BIN)/wargame report --saves $(SAVES) -o $(OUT) $(SAVE)

# Remake the bundled example save, saves/example-circle-of-friends.jsonl (deterministic).
example: $(NATIVE_STAMP)
	$(BIN)/python scripts/make_example.py

# Check a save's hash chain and replay it (every save in $(SAVES), or SAVE=path).
verify: $(NATIVE_STAMP)
	$(BIN)/wargame verify --saves $(SAVES) $(SAVE)

# Check a scenario folder and list every problem (SCENARIO=path, default the bundled one).
validate: $(STAMP)
	$(BIN)/wargame validate $(SCENARIO)

# The scenario language reference and the editor schemas, remade from the models in
# wargame/schema/ (a test fails while the committed copies differ).
docs: $(STAMP)
	$(BIN)/wargame schema -o docs/schema --reference docs/REFERENCE.md

# Monte Carlo balance report (GAMES=n, BOT=random|greedy|planner:easy...).
simulate: $(NATIVE_STAMP)
	$(BIN)/wargame simulate --games $(GAMES) --bot $(BOT)

sweep: $(NATIVE_STAMP)
	$(BIN)/wargame sweep $(SPEC) --html sweep.html

test: $(NATIVE_STAMP)
	$(BIN)/python -m pytest

# The long fault-injection runs (200 games killed with SIGKILL at random moments).
test-slow: $(NATIVE_STAMP)
	$(BIN)/python -m pytest -m slow

lint: $(STAMP)
	$(BIN)/ruff check wargame tests benchmarks scripts setup.py
	$(BIN)/ruff format --check wargame tests benchmarks scripts setup.py
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(NATIVE_STAMP)
	$(BIN)/python benchmarks/bench_engine.py
	$(BIN)/python benchmarks/bench_replay.py

clean:
	rm -rf $(VENV) build *.egg-info wargame/_native_sources.json
	find wargame -name '*.so' -delete
