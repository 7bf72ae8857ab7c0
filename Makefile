# Two commands do all the set-up: `make start` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tlkit-installed

.PHONY: start facilitate test release lock bench clean

# Create .venv if missing, install the pinned set, then the kit itself (editable). The lock is
# complete, so --no-deps; what it leaves out on purpose is removed (tools/update_lock.py says why).
$(STAMP): requirements.lock pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The kit needs Python 3.11 or newer; this python3 is " + sys.version.split()[0] + ". Install a newer Python, or run: make PYTHON=python3.12 start")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { echo "Could not create .venv. On Debian or Ubuntu, install the venv module first: sudo apt-get install python3-venv"; exit 1; }
	@echo "Installing the kit and its packages into .venv (a few minutes the first time)..."
	@# pip's and the build's messages go to a log, shown only if something fails.
	@{ $(BIN)/python -m pip install --quiet --upgrade pip \
	  && $(BIN)/python -m pip install --quiet --no-deps -r requirements.lock \
	  && $(BIN)/python -m pip uninstall --quiet --yes rfc3987-syntax lark \
	  && $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . ; \
	} > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; echo "Installing failed (the messages above say why; they are also in $(VENV)/install.log)."; exit 1; }
	@touch $(STAMP)

start: $(STAMP)  ## the learner's course in JupyterLab, facilitator views in Voila
	@$(BIN)/tlkit start

facilitate: $(STAMP)  ## facilitator views alone, in Voila
	@$(BIN)/tlkit facilitate

test: $(STAMP)  ## the whole suite
	$(BIN)/python -m pytest -n 2 --dist loadscope --durations=25

release: $(STAMP)  ## build the learner's copy of the course (nbgrader release)
	$(BIN)/tlkit release

bench: $(STAMP)  ## print performance figures (not part of the tests)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/preheat_memory.py
	$(BIN)/python benchmarks/datasets.py
	$(BIN)/python benchmarks/live_load.py
	$(BIN)/python benchmarks/planner.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/hub.py

lock:  ## re-resolve the pinned set and environment.yml from pyproject.toml
	$(PYTHON) tools/update_lock.py

clean:  ## remove generated files; never the learner's workspace/
	rm -rf build .pytest_cache
