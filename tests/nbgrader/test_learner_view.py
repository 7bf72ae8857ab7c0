"""The learner's copy shows a teacher no code but the answers they type: widget and check cells
have their input folded away, and a check shows its box and nothing else."""

from __future__ import annotations

import pytest
from nbgrader_run import ROOT, read_nb
from support.notebooks import run_notebook

from tlkit.course.manifest import module_ids
from tlkit.ops.learner_view import is_answer_cell, placeholder_text, visible_code_lines
from tlkit.ops.release import prepare_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    """The real course released as `make start` does, into a workspace of its own."""
    tmp = tmp_path_factory.mktemp("learner")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TLKIT_BUILD", str(tmp / "build"))
        return prepare_workspace(tmp / "workspace", root=ROOT)


@pytest.mark.parametrize("module", module_ids())
def test_no_code_shows_but_the_answer_cells(workspace, module):
    nb = read_nb(workspace / module / f"{module}.ipynb")
    shown = {cell.get("id"): visible_code_lines(cell) for cell in nb.cells
             if not is_answer_cell(cell) and visible_code_lines(cell)}
    assert shown == {}, f"{module}: code lines a teacher sees, by cell: {shown}"
    # A folded cell shows its first line beside the "…": that line is blank.
    previews = [placeholder_text(cell) for cell in nb.cells
                if cell.cell_type == "code" and not is_answer_cell(cell)]
    assert previews and not any(text.strip() for text in previews), previews
    answers = [cell for cell in nb.cells if cell.cell_type == "code" and is_answer_cell(cell)]
    assert all(visible_code_lines(cell) for cell in answers), "an answer cell was folded away"


def test_a_check_shows_its_box_and_no_value(workspace, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = run_notebook(workspace / "start-here" / "start-here.ipynb", allow_errors=True)
    checks = [cell for cell in nb.cells if "check_activity(" in cell.source]
    assert checks
    for cell in checks:
        kinds = [out.output_type for out in cell.outputs]
        assert kinds == ["display_data"], kinds       # the box, and no "Review(...)" result
