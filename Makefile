# Two commands do all the set-up: `make start` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.tlkit-installed

.PHONY: start facilitate test release lock bench clean

# Create .venv if missing, install the pinned set, then the kit itself (editable).
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

start: $(STAMP)  ## the learner's course in JupyterLab, facilitator views in Voila
	$(BIN)/tlkit start

facilitate: $(STAMP)  ## facilitator views alone, in Voila
	$(BIN)/tlkit facilitate

test: $(STAMP)  ## the whole suite
	$(BIN)/python -m pytest

release: $(STAMP)  ## build the learner's copy of the course (nbgrader release)
	$(BIN)/tlkit release

bench: $(STAMP)  ## print performance figures (not part of the tests)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/datasets.py

lock:  ## re-resolve the pinned set and environment.yml from pyproject.toml
	$(PYTHON) tools/update_lock.py

clean:
	rm -rf build workspace .pytest_cache
