"""The suite runs in a home of its own and proves it left the user's home as it was."""

from __future__ import annotations

import os
from pathlib import Path

from support import ROOT
from support.home import changes, snapshot

from tlkit import settings


def test_the_run_has_its_own_home_state_folder_and_workspace(monkeypatch):
    home = Path(os.environ["TLKIT_TEST_HOME"])
    assert Path.home() == home and home.is_dir()
    assert not home.is_relative_to(ROOT)
    monkeypatch.delenv("TLKIT_STATE_DIR")
    assert settings.state_dir().is_relative_to(home)         # the default lands in the run's home
    assert not settings.workspace_dir().is_relative_to(ROOT)


def test_a_used_home_reports_a_new_kit_file_and_ignores_other_programs(tmp_path):
    (tmp_path / ".bashrc").write_text("x")
    (tmp_path / ".cache" / "pip").mkdir(parents=True)
    (tmp_path / ".jupyter").mkdir()
    before = snapshot(tmp_path)
    (tmp_path / ".cache" / "pip" / "wheel").write_text("a package manager's cache")
    assert changes(before, tmp_path) == []
    (tmp_path / ".tlkit" / "state").mkdir(parents=True)
    (tmp_path / ".jupyter" / "lab.json").write_text("{}")
    (tmp_path / ".bashrc").write_text("changed!")
    found = changes(before, tmp_path)
    assert f"added   {tmp_path / '.tlkit'}" in found
    assert f"added   {tmp_path / '.jupyter' / 'lab.json'}" in found
    assert f"changed {tmp_path / '.bashrc'}" in found


def test_an_empty_home_reports_anything_that_appears(tmp_path):
    before = snapshot(tmp_path)
    assert changes(before, tmp_path) == []
    (tmp_path / ".cache" / "deep").mkdir(parents=True)
    (tmp_path / ".cache" / "deep" / "file").write_text("x")
    assert f"added   {tmp_path / '.cache' / 'deep' / 'file'}" in changes(before, tmp_path)


def test_tests_that_share_a_costly_fixture_share_a_worker():
    from support.workers import worker_group

    grading = "tests/nbgrader/test_module_grading.py::test_wrong_answer_scores_zero_with_its_message"
    assert worker_group(f"{grading}[adult-learning-feature_served]") == "graded-adult-learning"
    assert worker_group("tests/nbgrader/test_every_release_runs.py::test_x[data-use]") == \
        "graded-data-use"
    assert worker_group("tests/nbgrader/test_adult_learning_module.py::test_y") == \
        "graded-adult-learning"
    assert worker_group("tests/live/test_live_store.py::test_z[sqlite]") == "live"
    assert worker_group("tests/browser/test_front_page.py::test_a") == "tests/browser/test_front_page.py"
    spread = "tests/notebooks/test_notebooks_run.py::test_notebook_runs_top_to_bottom[modules/x]"
    assert worker_group(spread) == spread


def test_slow_layers_are_handed_out_before_the_quick_unit_tests():
    from support.workers import slow_first

    order = sorted(["tests/unit/test_a.py::t", "tests/notebooks/test_b.py::t",
                    "tests/servers/test_c.py::t", "tests/browser/test_d.py::t"], key=slow_first)
    assert order == ["tests/servers/test_c.py::t", "tests/browser/test_d.py::t",
                     "tests/notebooks/test_b.py::t", "tests/unit/test_a.py::t"]
