"""nbgrader_config.py and tlkit.ops.release.prepare_workspace, on a small demo course in tmp.

The demo course (see nbgrader_run.write_demo_course) carries a facilitator note, a solution,
a hidden test and a data file, so these tests hold whatever the real modules contain.
"""

from __future__ import annotations

import datetime as dt

import nbformat
import pytest
from nbgrader_run import nbgrader, read_nb, write_demo_course

from tlkit.course.manifest import add_module
from tlkit.ops.release import ReleaseError, prepare_workspace


@pytest.fixture
def course(tmp_path, monkeypatch):
    monkeypatch.delenv("TLKIT_BUILD", raising=False)
    monkeypatch.delenv("TLKIT_WORKSPACE", raising=False)
    return write_demo_course(tmp_path / "course")


def _text(nb) -> str:
    return "\n".join(cell.source for cell in nb.cells)


def test_release_drops_facilitator_notes_solutions_and_hidden_tests(course, tmp_path, monkeypatch):
    build = tmp_path / "elsewhere" / "build"
    monkeypatch.setenv("TLKIT_BUILD", str(build))
    workspace = prepare_workspace(tmp_path / "ws", root=course)

    learner = read_nb(workspace / "demo" / "demo.ipynb")
    text = _text(learner)
    assert "Welcome to the demo module." in text
    assert "FACILITATOR-ONLY" not in text
    assert "45 - 30" not in text and "minutes_left * 3" not in text
    assert 'assert minutes_left == 15, "Subtract the minutes used from the slot"' in text
    assert (workspace / "demo" / "slots.csv").read_text() == "slot,minutes\nopening,10\n"
    # Everything nbgrader generated went to TLKIT_BUILD, nothing into the course folder.
    assert (build / "gradebook.db").is_file() and (build / "release" / "demo").is_dir()
    assert not (course / "build").exists() and not (course / "gradebook.db").exists()


def test_autograde_in_the_default_build_folder(course):
    build = course / "build"   # used when TLKIT_BUILD is not set
    nbgrader("generate_assignment", "demo", root=course, build=None)
    answer = read_nb(course / "modules" / "demo" / "demo.ipynb")
    answer.cells[2].source = "minutes_left = 10"   # the learner forgot the 5-minute opening
    (build / "submitted" / "ann" / "demo").mkdir(parents=True)
    nbformat.write(answer, build / "submitted" / "ann" / "demo" / "demo.ipynb")
    nbgrader("autograde", "demo", root=course, build=None)

    graded = read_nb(build / "autograded" / "ann" / "demo" / "demo.ipynb")
    check = graded.cells[3]
    assert "minutes_left * 3 == 45" in check.source   # hidden tests are back for grading
    assert any("Subtract the minutes used" in out.get("evalue", "") for out in check.outputs)


def test_learner_work_survives_a_new_release(course, tmp_path, capsys):
    workspace = tmp_path / "ws"
    prepare_workspace(workspace, root=course)
    mine = workspace / "demo" / "demo.ipynb"
    learner = read_nb(mine)
    learner.cells[1].source = "minutes_left = 45 - 30   # my answer"
    nbformat.write(learner, mine)
    typed = mine.read_bytes()

    prepare_workspace(workspace, root=course)          # same release: nothing to do
    assert mine.read_bytes() == typed
    assert sorted(p.name for p in (workspace / "demo").iterdir()) == ["demo.ipynb", "slots.csv"]
    capsys.readouterr()

    write_demo_course(course, intro="Welcome back: this part now starts with a warm-up.")
    prepare_workspace(workspace, root=course)
    assert mine.read_bytes() == typed
    beside = workspace / "demo" / f"demo (updated {dt.date.today().isoformat()}).ipynb"
    assert "now starts with a warm-up" in _text(read_nb(beside))
    assert beside.name in capsys.readouterr().out


def test_a_broken_module_gives_a_plain_message(course, tmp_path):
    broken = course / "modules" / "broken"
    broken.mkdir()
    (broken / "broken.ipynb").write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ReleaseError, match="course.yaml does not list it"):
        prepare_workspace(tmp_path / "ws", root=course)  # the manifest's rule comes first
    add_module("broken", "Broken", 10, root=course)
    with pytest.raises(ReleaseError) as err:
        prepare_workspace(tmp_path / "ws", root=course)
    message = str(err.value)
    assert "module 'broken'" in message and "modules/broken/" in message
    assert "not appear to be JSON" in message
    assert "Traceback" not in message and 'File "' not in message
