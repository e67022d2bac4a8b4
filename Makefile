# The two commands: `make run` and `make test`. Each makes .venv and installs what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# torch is pinned in constraints.txt: 2.13.0 is a local CPU wheel; anything looser pulls a CUDA build.
PIP_INSTALL := $(BIN)/python -m pip install --disable-pip-version-check -q -c constraints.txt
ARGS ?=
# pytest-xdist workers for make test and make test-slow (0: one process, e.g. to update snapshots).
WORKERS ?= 2

.PHONY: run test test-slow lint bench classroom mutants screenshots install clean

$(BIN)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/perceptron-lab $(ARGS)

# The lint gate first: one format, ruff's checks, and the import contracts (pyproject.toml): core/
# never importing the app or a UI package, nor core.cli, and core's feature rooms never each other.
lint: $(BIN)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n $(WORKERS) $(ARGS)

# The slow suites (pytest -m slow): CI runs them after make test. The browser test is one of them
# (pytest -m browser runs it alone); .ci/chromium installs Debian's chromium for it.
test-slow: $(BIN)/.installed
	$(BIN)/python -m pytest -n $(WORKERS) -m slow $(ARGS)

$(BIN)/.bench-installed: $(BIN)/.installed
	$(PIP_INSTALL) -e '.[test,bench]'
	touch $@

# As root it also measures the app over an emulated SSH link (bench/link_bench.py), installing
# openssh-server and iptables with apt-get if they are missing; otherwise it says why it skips that.
bench: $(BIN)/.bench-installed
	$(BIN)/python bench/benchmarks.py $(ARGS)

# The classroom alone (bench/classroom_bench.py, also the last part of make bench): serve --ssh --web
# with LEARNERS real ssh clients, then as many websocket tabs. On 2 cores: about 70 s at LEARNERS=4,
# about 4 minutes at 30 (measured).
LEARNERS ?= 30
classroom: $(BIN)/.bench-installed
	$(BIN)/python bench/classroom_bench.py --learners $(LEARNERS) $(ARGS)

$(BIN)/.mutants-installed: $(BIN)/.installed
	$(PIP_INSTALL) -e '.[test,mutants]'
	touch $@

# Mutation testing (docs/mutants.md): a bench, not part of make test. mutmut puts its copy of the code
# in mutants/ (git-ignored), runs the tests once to learn which tests call which function, then each
# mutant against those tests. MODULES picks files (make mutants MODULES="core/history.py core/config.py";
# default: every module in [tool.mutmut] only_mutate), SAMPLE=N runs N evenly spaced mutants of each,
# MUTANT_JOBS the processes (1 on a shared machine), BATCH=k the modules of batch k of bench/mutants.py
# (make mutants BATCH=1 ... BATCH=9), RESUME=1 only the mutants with no verdict yet (after a stop):
# docs/mutants.md gives the times.
MODULES ?=
BATCH ?=
SAMPLE ?=
RESUME ?=
MUTANT_JOBS ?= 1
mutants: $(BIN)/.mutants-installed
	nice -n 10 $(BIN)/python bench/mutants.py --jobs $(MUTANT_JOBS) $(if $(BATCH),--batch $(BATCH)) $(if $(SAMPLE),--sample $(SAMPLE)) $(if $(RESUME),--resume) $(MODULES)

# SVGs of the snapshot scenarios (tests/scenarios.py), for the README, and screenshots/browser.png:
# the app served to Debian's headless chromium (a line says why not, where it is missing).
screenshots: $(BIN)/.installed
	$(BIN)/python bench/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
