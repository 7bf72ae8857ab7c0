"""The adult-learning module as learners meet it: Run All on a fresh learner copy, its checks'
messages for the likely slips, and its widget cells."""

from __future__ import annotations

from nbgrader_run import cells_by_grade_id, read_nb
from test_protocols_module import RUN_FIRST, _check_message, _run, _shown

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
    checks = cells_by_grade_id(nb)
    assert "S1, S2, S3, S4, S5 and S6 do not have a label yet" in _shown(
        checks["feature_match_tests"])
    assert "active_percent is not a number yet" in _shown(checks["active_minutes_tests"])
    widgets = [c for c in code if "SessionAudit(" in c.source]
    assert len(widgets) == 2
    for cell in widgets:       # each shows the audit itself, not a message instead of it
        assert any("application/vnd.jupyter.widget-view+json" in out.get("data", {})
                   for out in cell.outputs), cell.source


def test_the_feature_checks_before_and_after_an_answer(graded, monkeypatch):
    # The check reads its activity from activities/ beside the notebook, as in JupyterLab.
    monkeypatch.chdir(graded(MODULE).release.parent)
    release = read_nb(graded(MODULE).release)
    assert _check_message(release, "feature_match_tests", {}) == RUN_FIRST
    misspelt = _check_message(release, "feature_match_tests",
                              {"segment_features": {**LABELS, "S2": "activ"}})
    assert "S2 says 'activ'" in misspelt and "spelling" in misspelt
    # spellings people use are accepted: "models", "feedback", "content focus"
    spelled = {**LABELS, "S1": "models", "S4": "Feedback and reflection.", "S5": "content focus"}
    assert _check_message(release, "feature_match_tests", {"segment_features": spelled}) == ""
