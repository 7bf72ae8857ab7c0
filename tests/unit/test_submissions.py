"""tlkit.ops.submissions.check_submission: plain messages for notebooks nbgrader cannot grade fairly."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tlkit.ops.submissions import check_submission


def _graded(grade_id, **flags):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False,
                         "grade": False, "solution": False, **flags}}


@pytest.fixture
def released(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Activity"),
        new_code_cell("answer = None", metadata=_graded("answer-a", solution=True)),
        new_code_cell("assert answer == 3", metadata=_graded("check-a", grade=True, points=1)),
        new_markdown_cell("YOUR ANSWER HERE", metadata=_graded("plan", grade=True, solution=True)),
    ])
    path = tmp_path / "release" / "protocols.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    return path


def test_a_complete_notebook_has_no_problems(released, tmp_path):
    nb = nbformat.read(released, as_version=4)
    nb.cells[1].source = "answer = 3"
    nbformat.write(nb, tmp_path / "protocols.ipynb")
    assert check_submission(tmp_path / "protocols.ipynb", released) == []


def test_deleted_cells_are_named(released, tmp_path):
    nb = nbformat.read(released, as_version=4)
    del nb.cells[2:4]
    nbformat.write(nb, tmp_path / "protocols.ipynb")
    problems = check_submission(tmp_path / "protocols.ipynb", released)
    assert len(problems) == 2
    assert "'check-a'" in problems[0] and "'plan'" in problems[1]
    assert all("fresh copy of protocols.ipynb" in p for p in problems)


@pytest.mark.parametrize(("text", "expected"), [
    ('{"cells": [', "damaged"),
    ("", "damaged"),
    ('{"cells": 3, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', "cannot be opened"),
    ("[]", "cannot be opened"),
])
def test_unreadable_files_get_a_message_not_a_crash(released, tmp_path, text, expected):
    broken = tmp_path / "protocols.ipynb"
    broken.write_text(text, encoding="utf-8")
    [message] = check_submission(broken, released)
    assert "protocols.ipynb" in message and expected in message
    assert "fresh copy" in message


def test_json_damage_says_where(released, tmp_path):
    broken = tmp_path / "protocols.ipynb"
    broken.write_text('{\n "cells": [\n  {oops}\n ]\n}', encoding="utf-8")
    [message] = check_submission(broken, released)
    assert "line 3" in message


def test_a_missing_file_is_reported(released, tmp_path):
    [message] = check_submission(tmp_path / "nope.ipynb", released)
    assert "no notebook" in message.lower() and "nope.ipynb" in message


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda path: path.unlink(), "no released notebook"),
    (lambda path: path.write_text('{"cells": [', encoding="utf-8"), "cannot be opened"),
    (lambda path: path.write_bytes(b"\xff\xfe not text"), "cannot be opened"),
])
def test_a_missing_or_damaged_released_notebook_is_named_not_raised(released, tmp_path,
                                                                    damage, expected):
    nbformat.write(nbformat.read(released, as_version=4), tmp_path / "protocols.ipynb")
    damage(released)
    [message] = check_submission(tmp_path / "protocols.ipynb", released)
    assert expected in message and str(released) in message
    assert "tlkit release" in message
