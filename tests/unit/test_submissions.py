"""tlkit.ops.submissions: plain messages for notebooks nbgrader cannot grade fairly, before
grading (check_submission, inspect_submission) and after it (findings_after_grading)."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tlkit.ops.submissions import check_submission, findings_after_grading, inspect_submission


def _graded(grade_id, **flags):
    return {"nbgrader": {"grade_id": grade_id, "schema_version": 3, "locked": False,
                         "grade": False, "solution": False, **flags}}


@pytest.fixture
def released(tmp_path):
    nb = new_notebook(cells=[
        new_markdown_cell("# Activity"),
        new_code_cell("answer = None", metadata=_graded("answer-a", solution=True)),
        new_code_cell("assert answer == 3",
                      metadata=_graded("check-a", grade=True, locked=True, points=1)),
        new_markdown_cell("YOUR ANSWER HERE", metadata=_graded("plan", grade=True, solution=True)),
        # A reflection: its question is a task cell, graded by hand; the box below it is not.
        new_markdown_cell("## Reflection\n\nWhich protocol would you try first, and why?",
                          metadata=_graded("plan_reflection_task", task=True, locked=True,
                                           points=2)),
        new_code_cell('ReflectionBox("plan_reflection")'),
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


def test_a_deleted_reflection_question_is_named_like_any_graded_cell(released, tmp_path):
    nb = nbformat.read(released, as_version=4)
    del nb.cells[4]
    nbformat.write(nb, tmp_path / "protocols.ipynb")
    [problem] = check_submission(tmp_path / "protocols.ipynb", released)
    assert "missing the cell 'plan_reflection_task' (a reflection's question" in problem
    assert "copy that cell back" in problem and "fresh copy of protocols.ipynb" in problem
    findings, graded = inspect_submission(tmp_path / "protocols.ipynb", released)
    [finding] = findings
    assert finding.kind == "cell-deleted" and graded is not None
    assert "'plan_reflection_task' (a reflection's question, graded by hand;" in finding.message
    assert "it scores nothing until it is back" in finding.message


def test_a_changed_reflection_question_is_not_called_a_check(released, tmp_path):
    nb = nbformat.read(released, as_version=4)
    nb.cells[4].source += "\n\nI think the first one."      # written in the question itself
    nb.cells[2].source = "assert True"                     # and a check changed
    nbformat.write(nb, tmp_path / "protocols.ipynb")
    findings, _ = inspect_submission(tmp_path / "protocols.ipynb", released)
    assert [f.kind for f in findings] == ["cell-edited", "cell-edited"]
    check, question = sorted((f.message for f in findings), key=lambda m: "plan_" in m)
    assert "the check cell 'check-a' was changed" in check
    assert "the reflection's question 'plan_reflection_task' was changed" in question
    assert "check" not in question and "the box below it" in question


def _ran(released, tmp_path, errors):
    """The released notebook as autograding leaves it, with an error in the cells named."""
    nb = nbformat.read(released, as_version=4)
    for index in errors:
        nb.cells[index].outputs = [nbformat.v4.new_output(
            "error", ename="SyntaxError", evalue="invalid syntax (1234.py, line 2)",
            traceback=[])]
    path = tmp_path / "protocols.ipynb"
    nbformat.write(nb, path)
    return path


def test_an_error_in_an_answer_cell_keeps_the_answers(released, tmp_path):
    [finding] = findings_after_grading(_ran(released, tmp_path, [1]))
    assert ("the answer cell under 'Activity' (cell 2) could not run: Python could not read "
            "line 2") in finding.message
    assert "Fix line 2 of that cell (the answers in it stay)" in finding.message


def test_an_error_in_another_code_cell_is_not_called_an_answer_cell(released, tmp_path):
    # The reflection box's cell is not graded and holds no answer: the words are in the box.
    [finding] = findings_after_grading(_ran(released, tmp_path, [5, 2]))    # 2 is a check
    assert "the code cell under 'Reflection' (cell 6) could not run" in finding.message
    assert "answer cell" not in finding.message and "answers in it stay" not in finding.message
    assert "copy it back from a fresh copy of protocols.ipynb" in finding.message
