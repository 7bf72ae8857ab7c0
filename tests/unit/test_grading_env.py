"""A notebook whose grading fails leaves no trace in the grading process's environment."""

import os

import nbgrader.utils
import pytest

from tlkit.ops.nbgrader_api import restore_env_after_grading


def test_a_failed_grading_does_not_leave_the_process_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr(nbgrader.utils, "setenv", nbgrader.utils.setenv)  # undone after the test
    restore_env_after_grading()
    with pytest.raises(RuntimeError):
        with nbgrader.utils.setenv(NBGRADER_EXECUTION="autograde"):
            assert os.environ["NBGRADER_EXECUTION"] == "autograde"
            raise RuntimeError("a cell stopped")
    assert "NBGRADER_EXECUTION" not in os.environ
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    with nbgrader.utils.setenv(NBGRADER_EXECUTION="autograde"):
        pass
    assert os.environ["NBGRADER_EXECUTION"] == "validate"
    monkeypatch.delenv("NBGRADER_EXECUTION")


def test_the_course_config_makes_nbgraders_setenv_restore(monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader
    from support import ROOT

    def nbgraders_own(**values):
        raise AssertionError("not replaced")

    monkeypatch.setattr(nbgrader.utils, "setenv", nbgraders_own)
    PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert nbgrader.utils.setenv is not nbgraders_own
