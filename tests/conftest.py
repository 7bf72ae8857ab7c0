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

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_LAYER_MARKS = {"notebooks": "notebooks", "nbgrader": "nbgrader", "servers": "servers",
                "browser": "browser", "course": "course", "live": "live", "hub": "hub"}


def pytest_collection_modifyitems(items):
    # Mark each test by its folder, so `pytest -m "not browser"` etc. select a layer.
    for item in items:
        layer = Path(str(item.fspath)).relative_to(ROOT / "tests").parts[0]
        if layer in _LAYER_MARKS:
            item.add_marker(getattr(pytest.mark, _LAYER_MARKS[layer]))


@pytest.fixture(autouse=True)
def _isolated_state(tmp_path_factory, monkeypatch):
    """Widgets save state under TLKIT_STATE_DIR; keep each test's state apart from the user's."""
    monkeypatch.setenv("TLKIT_STATE_DIR", str(tmp_path_factory.mktemp("state")))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
