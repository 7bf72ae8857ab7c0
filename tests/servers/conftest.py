"""Fixtures for the server tests: a clean environment and `tlkit` commands that are always
stopped, even when a test fails halfway."""

from __future__ import annotations

import os

import pytest
from kit_processes import ROOT, TOKEN, Running


@pytest.fixture
def kit_env(tmp_path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(TLKIT_WORKSPACE=str(tmp_path / "workspace"), TLKIT_BUILD=str(tmp_path / "build"),
               JUPYTER_TOKEN=TOKEN, TLKIT_COURSE_ROOT=str(ROOT),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    return env


@pytest.fixture
def run_tlkit(tmp_path):
    """run_tlkit(args, env) -> Running; anything still running at the end is killed."""
    started: list[Running] = []

    def run(args: list[str], env: dict[str, str]) -> Running:
        running = Running(args, env, tmp_path / f"tlkit-{len(started)}.log")
        started.append(running)
        return running

    yield run
    for running in started:
        running.kill_everything()
