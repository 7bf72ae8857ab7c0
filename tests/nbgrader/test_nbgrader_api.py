"""tlkit.ops.nbgrader_api: nbgrader's Python API on a small demo course in tmp, run in this
process, with results that say what went wrong in plain words and a terminal left quiet."""

from __future__ import annotations

import logging
import os

import nbformat
import pytest
from nbgrader_run import read_nb, write_demo_course

from tlkit.ops.nbgrader_api import NbgraderResult, NbgraderSetupError, course_api


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    return write_demo_course(tmp_path / "course")


def test_a_new_gradebook_is_made_without_the_environment_on_path(course, tmp_path, monkeypatch,
                                                                  capfd):
    # As from a desktop launcher: the venv is not activated, so `alembic` is not on PATH.
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    result = course_api(course).generate_assignment("demo")

    assert result.success, result.summary()
    assert result.summary() == "nbgrader generate assignment for 'demo': done."
    learner = read_nb(tmp_path / "build" / "release" / "demo" / "demo.ipynb")
    assert "45 - 30" not in "\n".join(c.source for c in learner.cells)
    assert (tmp_path / "build" / "gradebook.db").is_file()
    assert os.environ["PATH"] == "/usr/bin:/bin"  # put back as it was
    # nbgrader's log is in the result, and none of it reached the terminal.
    assert "Converting notebook" in result.log
    out, err = capfd.readouterr()
    assert "Converting notebook" not in out + err and "[INFO]" not in out + err


def test_a_new_gradebook_is_stamped_as_nbgrader_s_alembic_would(course, tmp_path):
    """The kit reads the newest migration itself; `alembic heads` must name the same one."""
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    from nbgrader.dbutil import _temp_alembic_ini

    assert course_api(course).generate_assignment("demo").success
    with sqlite3.connect(tmp_path / "build" / "gradebook.db") as db:
        stamped = db.execute("SELECT version_num FROM alembic_version").fetchall()
    with _temp_alembic_ini(f"sqlite:///{tmp_path / 'heads.db'}") as ini:
        heads = subprocess.run([str(Path(sys.executable).parent / "alembic"), "-c", ini, "heads"],
                               capture_output=True, text=True, check=True).stdout.split()
    assert stamped == [(heads[0],)]


def test_nbgrader_logs_nowhere_but_the_result(course):
    class Seen(logging.Handler):
        records: list[logging.LogRecord] = []

        def emit(self, record):
            self.records.append(record)

    seen, root = Seen(), logging.getLogger()
    root.addHandler(seen)
    traitlets_level = logging.getLogger("traitlets").level
    try:
        result = course_api(course).generate_assignment("demo")
    finally:
        root.removeHandler(seen)
    assert "Converting notebook" in result.log
    assert not [r for r in seen.records if "Converting notebook" in r.getMessage()]
    assert logging.getLogger("traitlets").level == traitlets_level


def test_a_notebook_that_is_not_json_is_named_plainly(course):
    broken = course / "modules" / "broken"
    broken.mkdir()
    (broken / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    result = course_api(course).generate_assignment("broken")

    assert not result.success
    assert "Traceback" in result.error  # kept for whoever needs it ...
    summary = result.summary()          # ... but not in what a teacher reads
    assert "'broken'" in summary and "not appear to be JSON" in summary
    assert "Traceback" not in summary and 'File "' not in summary
    assert "Please see the" not in summary


def test_an_unknown_module_is_named_with_a_suggestion(course):
    result = course_api(course).generate_assignment("dmeo")
    assert not result.success
    problems = result.problems()
    assert any("No notebooks were matched" in p and "dmeo" in p for p in problems)
    assert any("Did you mean" in p and "demo" in p for p in problems)
    assert len(problems) == len(set(problems))


def test_autograde_one_learner_through_the_api(course, tmp_path):
    api = course_api(course)
    assert api.generate_assignment("demo").success
    answer = read_nb(course / "modules" / "demo" / "demo.ipynb")
    answer.cells[2].source = "minutes_left = 10"
    folder = tmp_path / "build" / "submitted" / "ann" / "demo"
    folder.mkdir(parents=True)
    nbformat.write(answer, folder / "demo.ipynb")

    result = api.autograde("demo", "ann")
    assert result.success, result.summary()
    graded = read_nb(tmp_path / "build" / "autograded" / "ann" / "demo" / "demo.ipynb")
    assert any("Subtract the minutes used" in out.get("evalue", "")
               for out in graded.cells[3].outputs)


def test_a_missing_or_broken_config_gets_a_plain_message(tmp_path):
    with pytest.raises(NbgraderSetupError, match="There is no nbgrader_config.py in"):
        course_api(tmp_path)
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Nope.x = undefined_name\n")
    with pytest.raises(NbgraderSetupError) as err:
        course_api(tmp_path)
    assert "NameError" in str(err.value) and "nbgrader_config.py" in str(err.value)


def test_the_kit_config_refusal_reaches_the_caller(course, tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "odd [folder]"))
    with pytest.raises(NbgraderSetupError, match="contains brackets"):
        course_api(course)


def test_problems_leave_out_tracebacks_and_exit_codes():
    log = ("[INFO] Converting notebook x\n"
           "[ERROR] There was an error processing assignment: x\n"
           "[ERROR] Traceback (most recent call last):\n"
           '      File "a.py", line 1, in f\n'
           "    ValueError: cell ids must be unique\n"
           "[ERROR] Please see the the above traceback for details\n")
    result = NbgraderResult("autograde", "x", False, log,
                            "Traceback (most recent call last):\nSystemExit: 1\n")
    assert result.problems() == ["There was an error processing assignment: x",
                                 "ValueError: cell ids must be unique"]
