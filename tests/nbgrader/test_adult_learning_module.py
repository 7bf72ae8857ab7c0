"""The adult-learning module as learners meet it: Run All on a fresh learner copy, its forms'
messages for the likely slips, and its widget cells."""

from __future__ import annotations

from nbgrader_run import cells_by_grade_id
from test_protocols_module import _run

from tlkit.course.checks import load_activity
from tlkit.course.forms import review_form

MODULE = "adult-learning"
LABELS = {"S1": "modelling", "S2": "active-learning", "S3": "collaboration",
          "S4": "feedback-reflection", "S5": "content-focused", "S6": "coaching"}


def test_run_all_on_a_fresh_learner_copy_reaches_the_end(graded, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = _run(graded(MODULE).release)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "Run All stopped before the last cell"
    errors = [(c.source[:60], out) for c in code for out in c.outputs if out.output_type == "error"]
    assert not errors, errors
    forms = cells_by_grade_id(nb)
    for grade_id in ("feature_match_tests", "active_minutes_tests"):
        assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                   for out in forms[grade_id].outputs), grade_id
    widgets = [c for c in code if "SessionAudit(" in c.source]
    assert len(widgets) == 2
    for cell in widgets:       # each shows the audit itself, not a message instead of it
        assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                   for out in cell.outputs), cell.source


def test_the_feature_form_before_and_after_an_answer(graded):
    # The form reads its activity from activities/ beside the notebook, as in JupyterLab.
    activity = load_activity("feature_match", here=graded(MODULE).release.parent)
    assert review_form(activity, {}).lines()[0] == "S1, S2, S3, S4, S5 and S6 have no answer yet."
    assert review_form(activity, LABELS).all_right
    wrong = review_form(activity, {**LABELS, "S4": "collaboration"})
    assert wrong.right == 5 and wrong.reconsider[0].startswith("S4:")


def test_the_likely_slips_in_the_percent_get_their_own_hint(graded):
    activity = load_activity("active_minutes", here=graded(MODULE).release.parent)
    for typed, hint in (("83.3 %", "whole-group talk was counted as active"),
                        ("70", "number of active minutes, not a percent"),
                        ("0.58", "fraction")):
        result = review_form(activity, {"active_percent": typed})
        assert result.right == 0 and hint in result.reconsider[0], (typed, result.reconsider)
    assert review_form(activity, {"active_percent": "58%"}).all_right
