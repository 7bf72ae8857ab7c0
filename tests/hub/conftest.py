"""The hub tests share one real JupyterHub on 127.0.0.1 (tests/hub/hub_process.py)."""

from __future__ import annotations

import os

import pytest
from hub_process import FACILITATOR, LEARNERS, ROOT, MissingNpm, running_hub  # noqa: F401


@pytest.fixture(scope="session")
def hub(tmp_path_factory):
    try:
        manager = running_hub(tmp_path_factory.mktemp("hub"))
        started = manager.__enter__()
    except MissingNpm as missing:
        if os.environ.get("CI"):
            pytest.fail(f"npm is missing on CI; {missing}")
        pytest.skip(str(missing))
    try:
        yield started
    finally:
        manager.__exit__(None, None, None)
