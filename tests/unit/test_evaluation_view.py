"""The evaluation page's view driven from Python: the demo where a course has no cohort, the
four levels with n and what was hidden, and actions that say what they did."""

from __future__ import annotations

from test_widget_names import _unnamed

from tlkit.widgets import EvaluationView
from tlkit.widgets.planning.evaluation_view import COURSE, DEMO


def test_a_course_without_a_cohort_shows_the_demo_and_writes_the_report(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    view = EvaluationView()
    assert view.source.value == DEMO and "no cohort yet" in view.message.value
    assert _unnamed(view) == []
    page = view.body.value
    for words in ("1. Reactions", "2. Learning", "3. Organisational support",
                  "4. Use of new practice", "5. Student outcomes", "n = ", "&lt;10",
                  "What was hidden", "data-use module"):
        assert words in page, words
    assert "Traceback" not in page
    view.make_certificates()
    assert "choose" in view.message.value and not (tmp_path / "build").exists()
    written = view.write_report()
    assert [p.name for p in written] == ["evaluation.html", "evaluation.csv"]
    assert written[0].parent == tmp_path / "build" / "evaluation" / "report"
    assert "download=" in view.message.value
    view.source.value = COURSE
    assert "no cohort yet" in view.message.value and view.body.value == ""
    assert not (tmp_path / "build" / "gradebook.db").exists()      # never made by looking
