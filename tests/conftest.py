"""Shared fixtures. Each test layer lives in its own folder:

unit/       plain logic, no kernel, no browser (fast)
notebooks/  every notebook in modules/ and facilitator/ run top to bottom on a fresh kernel
nbgrader/   nbgrader's own commands: generate_assignment, autograde, release contents
servers/    what `make start` and `make facilitate` start, fetched over 127.0.0.1
browser/    Voila pages in headless Chromium driven by Playwright
course/     course operations for a cohort: roster, grading that survives, reports
live/       live sessions over the shared database, on SQLite and a real PostgreSQL
hub/        a real JupyterHub on 127.0.0.1: a facilitator and two learners through nbgrader
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from support import ROOT
from support.home import changes, snapshot
from support.workers import slow_first, worker_group

# Folders a run must leave as it found them: the user's home and the checkout's workspace/.
_WATCHED: dict[Path, dict] = {}


def pytest_configure(config):
    """The whole run gets a home, a state folder and a workspace of its own.

    Set before any test or server starts (and inherited by xdist's workers and every process
    a test starts), so nothing reads a user's saved state or writes into their home."""
    if os.environ.get("TLKIT_TEST_HOME"):
        return                                   # an xdist worker: its controller did this
    run = Path(tempfile.mkdtemp(prefix="tlkit-tests-"))
    real_home = Path(os.environ.get("HOME") or Path.home())
    for watched in (real_home, ROOT / "workspace"):
        _WATCHED[watched] = snapshot(watched)
    home = run / "home"
    home.mkdir()
    os.environ.update(HOME=str(home), TLKIT_TEST_HOME=str(home),
                      TLKIT_STATE_DIR=str(run / "state"), TLKIT_WORKSPACE=str(run / "workspace"))
    # Where Jupyter, IPython and XDG programs write is found from HOME once these are unset.
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                 "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR",
                 "MPLCONFIGDIR", "TLKIT_BUILD", "TLKIT_LIVE_DB", "TLKIT_LIVE_JOIN_URL"):
        os.environ.pop(name, None)
    config._tlkit_run_folder = run


def pytest_sessionfinish(session, exitstatus):
    if not _WATCHED:
        return                                   # an xdist worker
    touched = [line for folder, before in _WATCHED.items() for line in changes(before, folder)]
    if touched:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        text = ("The tests changed files outside their own folders (the user's home or the "
                "checkout's workspace/):\n  " + "\n  ".join(touched[:40]))
        if reporter:
            reporter.write_line(text, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    run = getattr(session.config, "_tlkit_run_folder", None)
    if run:
        shutil.rmtree(run, ignore_errors=True)

_LAYER_MARKS = {"notebooks": "notebooks", "nbgrader": "nbgrader", "servers": "servers",
                "browser": "browser", "course": "course", "live": "live", "hub": "hub"}


def pytest_collection_modifyitems(items):
    # Mark each test by its folder, so `pytest -m "not browser"` etc. select a layer.
    for item in items:
        layer = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if layer in _LAYER_MARKS:
            item.add_marker(getattr(pytest.mark, _LAYER_MARKS[layer]))
    # The slow layers first and the many quick unit tests last, so the two workers end
    # together instead of one waiting minutes while the other runs a server test.
    items.sort(key=lambda item: slow_first(item.nodeid))


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's scope scheduling with the scopes above (its own loadgroup marks are not read
    under this pytest version)."""
    from xdist.scheduler import LoadScopeScheduling

    # Work goes out in the order of the collection above, not by the size of each group.
    config.option.loadscopereorder = False

    class ByWorkerGroup(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return worker_group(nodeid)

    return ByWorkerGroup(config, log)


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    """Widgets save state under TLKIT_STATE_DIR; keep each test's state apart from the user's."""
    monkeypatch.setenv("TLKIT_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(autouse=True)
def _grading_leaves_nothing_set():
    """nbgrader marks a notebook it grades with NBGRADER_EXECUTION; left set in this process,
    every later form, and every server a test starts, would act as if it were being graded."""
    yield
    assert "NBGRADER_EXECUTION" not in os.environ, "a test left NBGRADER_EXECUTION set"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
