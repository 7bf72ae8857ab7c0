"""The evaluation page's view driven from Python: the demo where a course has no cohort, the
four levels with n and what was hidden, and actions that say what they did."""

from __future__ import annotations

import base64
import re

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


def test_a_learners_follow_up_file_is_added_on_the_page_and_bad_files_lose_nothing(
        tmp_path, monkeypatch):
    from tlkit.widgets import FollowUpForm

    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    form = FollowUpForm()
    assert _unnamed(form) == []
    assert form.make() is None and "at least one" in form.message.value
    form.answers["coached"].value = "Regularly"
    assert form.make() is None and "Type your name" in form.message.value
    form.name.value = "=HYPERLINK(\"x\") Ana"
    text = form.make()
    assert text and "download=" in form.message.value

    view = EvaluationView(source=DEMO)
    view.kind.value = "follow_up"
    assert view.add_file(text.encode("utf-8"))
    saved = tmp_path / "build" / "evaluation" / "follow_up.csv"
    assert "'=HYPERLINK" in saved.read_text("utf-8") and "1 rows" in view.message.value
    form.answers["coached"].value = "Once"                  # answered again: replaces
    assert view.add_file(form.make().encode("utf-8"))
    assert "1 rows" in view.message.value and ",Once," in saved.read_text("utf-8")
    before = saved.read_text("utf-8")
    view.kind.value = "readiness"
    assert not view.add_file(b"cohort,learner,time,condition,rating\nA,L,7,time,2\n")
    assert "row 2, time" in view.message.value and not (saved.parent / "readiness.csv").exists()
    assert saved.read_text("utf-8") == before


def test_the_form_also_offers_the_self_assessment_first_and_again(tmp_path):
    from tlkit.evaluation.inputs import read_table
    from tlkit.portfolio.parts import FIRST_SELF_ASSESSMENT, SELF_ASSESSMENT_AGAIN
    from tlkit.store import JsonFileStore, SelfAssessmentRecord
    from tlkit.widgets import FollowUpForm

    store = JsonFileStore(tmp_path / "state")
    form = FollowUpForm(store=store)
    form.name.value = "Ana Pérez"
    form.answers["ran_protocol"].value = "Once"
    form.make()
    assert "self-assessment-ratings.csv" not in form.message.value      # none saved yet
    store.put(FIRST_SELF_ASSESSMENT, SelfAssessmentRecord({"run-a-protocol": 2,
                                                           "build-trust": 3}, {}, {}))
    store.put(SELF_ASSESSMENT_AGAIN, SelfAssessmentRecord({"run-a-protocol": 4}, {}, {}))
    form.make()
    assert "self-assessment-ratings.csv" in form.message.value
    link = re.search(r"download='self-assessment-ratings.csv' "
                     r"href='data:text/csv;charset=utf-8;base64,([^']+)'", form.message.value)
    rows = read_table("self_assessment", base64.b64decode(link.group(1)))
    assert sorted(zip(rows["time"], rows["item"], rows["rating"])) == [
        ("end", "run-a-protocol", 4), ("start", "build-trust", 3), ("start", "run-a-protocol", 2)]
