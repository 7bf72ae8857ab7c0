"""The learner's copy shows a teacher no code: every code cell (forms, boxes, widgets) has its
input folded away, and a form cell shows its form and nothing else."""

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
def test_no_code_shows(workspace, module):
    nb = read_nb(workspace / module / f"{module}.ipynb")
    shown = {cell.get("id"): visible_code_lines(cell) for cell in nb.cells
             if visible_code_lines(cell)}
    assert shown == {}, f"{module}: code lines a teacher sees, by cell: {shown}"
    assert not any(is_answer_cell(cell) for cell in nb.cells), "a cell asks for typed code"
    # A folded cell shows its first line beside the "…": that line is blank.
    previews = [placeholder_text(cell) for cell in nb.cells if cell.cell_type == "code"]
    assert previews and not any(text.strip() for text in previews), previews


def test_a_form_shows_itself_and_no_value(workspace, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = run_notebook(workspace / "start-here" / "start-here.ipynb", allow_errors=True)
    forms = [cell for cell in nb.cells if "activity_form(" in cell.source]
    assert len(forms) == 2
    for cell in forms:
        [shown] = cell.outputs       # the form itself, and no repr line or message under it
        assert "application/vnd.jupyter.widget-view+json" in shown["data"], shown
