"""The session audit: active-minute arithmetic, the features each segment serves, what is
missing and the suggestions, read from typed rows; the widget driven from Python, with its
saved record and the store's faults."""

from __future__ import annotations

import html
import json

import pytest
import yaml

from tlkit.content import ContentError
from tlkit.course.checks import load_activity
from tlkit.course.forms import review_form
from tlkit.ops.form_scores import score_call
from tlkit.practice.session_audit import (Segment, active_share, audit, compare, feature_chart,
                                          load_audit_content, read_segments)
from tlkit.settings import CONTENT
from tlkit.store import JsonFileStore, RecordError, SessionAuditRecord
from tlkit.widgets import SessionAudit



@pytest.fixture(scope="module")
def info():
    return load_audit_content()


def _segments(*rows):
    return [Segment(title, minutes, fmt) for title, minutes, fmt in rows]


# The agenda of the module's Activity B, in the audit's own formats.
ACTIVITY_B = _segments(("Welcome", 10, "logistics"), ("Talk on feedback", 30, "presentation"),
                       ("Video", 10, "demonstration"), ("Pairs rehearse", 25, "rehearse-feedback"),
                       ("Teams plan", 30, "plan-together"), ("Write and tell", 15, "reflection"))


def test_active_minutes_count_only_segments_where_participants_do_something(info):
    assert active_share(ACTIVITY_B, info) == (70, 120)
    # a whole-group talk or a video is never active, however long
    assert active_share(_segments(("Talk", 60, "presentation"), ("Video", 30, "demonstration")),
                        info) == (0, 90)
    assert active_share([], info) == (0, 0)
    assert audit([], info).active_percent == 0 and "No segments" in audit([], info).active_line()


def test_the_module_activity_key_is_the_audits_own_arithmetic(root):
    module = root / "modules" / "adult-learning"
    activity = load_activity("active_minutes", module)
    active, total = active_share(ACTIVITY_B)
    assert review_form(activity, {"active_percent": f"{active / total * 100:.1f}"}).all_right
    # the grade cell's hidden key is the same arithmetic
    notebook = json.loads((module / "adult-learning.ipynb").read_text("utf-8"))
    [key] = [scored[1] for c in notebook["cells"]
             if (scored := score_call("".join(c["source"]))) and scored[0] == "active_minutes"]
    assert key["active_percent"] == pytest.approx(active / total * 100, abs=0.01)
    # the likely slip (the talk counted as active) gets the hint that names it
    slip = review_form(activity, {"active_percent": f"{(active + 30) / total * 100:.1f} %"})
    assert not slip.all_right
    assert "whole-group talk was counted as active" in " ".join(slip.reconsider)


@pytest.mark.parametrize(("typed", "words"), [
    ("66.7", "the video was counted as active"),
    ("91.7%", "the talk and the video were counted as active"),
    ("41.67", "share of minutes spent listening or watching"),
    ("70", "number of active minutes, not a percent"),
    ("0.5833", "That looks like a fraction"),
    ("120", "a percent is between 0 and 100"),
])
def test_each_likely_slip_in_the_active_share_is_named(root, typed, words):
    activity = load_activity("active_minutes", root / "modules" / "adult-learning")
    result = review_form(activity, {"active_percent": typed})
    assert not result.all_right
    assert words in " ".join(result.reconsider + result.missing)


def test_an_example_session_is_audited_feature_by_feature(info):
    workshop = audit(info.example("after-school-workshop").segments, info)
    assert (workshop.active_minutes, workshop.total_minutes) == (10, 90)
    assert round(workshop.active_percent) == 11
    assert [f.id for f in workshop.missing] == ["content-focused", "active-learning",
                                                "collaboration", "coaching", "sustained"]
    minutes = {f.id: m for f, m in workshop.minutes_by_feature}
    assert minutes["modelling"] == 10 and minutes["feedback-reflection"] == 10
    first, second = workshop.suggestions[:2]
    assert "10 of 90 minutes (11%)" in first and '"Slides on the new programme" (45 min)' in first
    assert "45 minutes of listening" in second
    for feature in workshop.missing:       # a concrete change for every missing feature
        assert any(s.startswith(f"Missing {feature.name.lower()}: {feature.suggestion}")
                   for s in workshop.suggestions)
    row = workshop.rows[2]
    assert row.segment.title == "Video of a model lesson" and not row.format.active
    assert [f.id for f in row.features] == ["modelling"]


def test_a_design_with_every_feature_and_active_minutes_says_so(info):
    full = audit(_segments(("See it", 10, "analyse-example"), ("Plan", 30, "plan-together"),
                           ("Rehearse", 20, "rehearse-feedback"), ("Coach", 20, "coaching"),
                           ("Bring back", 10, "follow-up")), info)
    assert full.missing == () and full.active_percent == 100
    assert full.suggestions == ("This design serves all seven features and keeps participants "
                                "active. Check that each segment has enough time to do what "
                                "it promises.",)


def test_typed_rows_become_segments_or_plain_sentences(info):
    segments, problems = read_segments([
        ("  Plan   the unit ", "25", "plan-together"), ("Talk", "15 min", "presentation"),
        ("", "10", "reflection"), ("Video", "ten", "demonstration"), ("Video", "0", "demonstration"),
        ("Video", True, "demonstration"), ("Tea", "10", ""), ("Coach", 20, "coaching")], info)
    assert segments == _segments(("Plan the unit", 25, "plan-together"),
                                 ("Talk", 15, "presentation"), ("Coach", 20, "coaching"))
    assert problems == [
        "Segment 3 has no title yet: say in a few words what happens in it.",
        "Segment 4 (Video): the minutes should be a whole number above 0, such as 15 (it says "
        "'ten').",
        "Segment 5 (Video): the minutes should be a whole number above 0, such as 15 (it says "
        "'0').",
        "Segment 6 (Video): the minutes should be a whole number above 0, such as 15 (it says "
        "'True').",
        "Segment 7 (Tea): choose what kind of segment it is from the list."]


def test_before_and_after_are_compared(info):
    before = audit(info.example("after-school-workshop").segments, info)
    after = audit(info.example("fractions-team-meeting").segments, info)
    rows = {measure: (b, a) for measure, b, a in compare(before, after)}
    assert rows["Share of active minutes"] == ("11%", "83%")
    assert rows["Features served"] == ("2 of 7", "4 of 7")
    assert rows["Features added"][0] == ("Content focus, Active learning, Collaboration, "
                                         "Sustained duration")
    assert rows["Features lost"][0] == "Models of effective practice, Feedback and reflection"


def test_the_chart_carries_its_figures_in_words(info):
    result = audit(info.example("after-school-workshop").segments, info)
    fig, alt, table, header = feature_chart(result)
    assert "Models of effective practice: 10 minutes" in alt and "Content focus: 0 minutes" in alt
    assert "No minutes for: Content focus, Active learning" in alt
    assert len(table) == 7 and table[3] == ("Models of effective practice", 10, "11%")
    assert header[0] == "Feature" and fig.axes


def test_a_format_naming_an_unknown_feature_is_refused(tmp_path):
    data = yaml.safe_load((CONTENT / "audits" / "session-formats.yaml").read_text())
    data["formats"][2]["features"] = ["modeling"]
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_audit_content("broken", tmp_path)
    assert "formats[3].features[1]" in str(info.value) and "'modeling' is not a feature" in str(
        info.value) and "Fix: use one of: content-focused" in str(info.value)
    data["formats"][2]["features"] = []
    data["examples"][0]["segments"][0]["format"] = "lecture"
    (tmp_path / "broken2.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError, match=r"'lecture' is not one of the formats"):
        load_audit_content("broken2", tmp_path)


# --- the record -----------------------------------------------------------------------------

def test_the_record_keeps_rows_as_typed_and_refuses_other_shapes():
    record = SessionAuditRecord([("Talk", "ten", "presentation")], [("Plan", "20", "")])
    again = SessionAuditRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert again == record and record.to_dict()["kind"] == "session-audit"
    with pytest.raises(RecordError, match="Segment 1 of 'before'"):
        SessionAuditRecord.from_dict({"kind": "session-audit", "before": [["Talk", 10, "x"]]})
    with pytest.raises(RecordError, match="should be a list of segments"):
        SessionAuditRecord.from_dict({"after": "oops"})


# --- the widget, driven from Python ---------------------------------------------------------

def test_the_widget_audits_an_example_and_keeps_what_is_typed(tmp_path):
    store = JsonFileStore(tmp_path)
    view = SessionAudit("after-school-workshop", state_key="audit", store=store)
    assert len(view.before.rows) == 5
    view.audit_button.click()
    shown = html.unescape(view.result.value)
    assert "Participants are active in 10 of 90 minutes (11%)." in shown
    assert "alt='Bar chart of minutes per feature" in shown and "<th scope='col'>" in shown
    # a half-typed row is kept, reported, and left out of the audit
    view.before.add_button.click()
    title, minutes, kind, _remove = view.before.rows[-1]
    title.value, minutes.value = "Pairs try it", "twenty"
    view.audit_button.click()
    assert "Segment 6 (Pairs try it): the minutes should be a whole number" in html.unescape(
        view.result.value)
    again = SessionAudit(state_key="audit", store=store)          # a reload or a restart
    assert again.before.values()[-1] == ("Pairs try it", "twenty", "")
    assert len(again.before.rows) == 6


def test_the_redesign_is_compared_and_survives_a_reload(tmp_path):
    store = JsonFileStore(tmp_path)
    view = SessionAudit("after-school-workshop", state_key="r", store=store)
    view.copy_button.click()
    view.after.rows[1][2].value = "plan-together"        # the slides become team planning
    view.compare_button.click()
    shown = html.unescape(view.comparison.value)
    assert "<td>Share of active minutes</td><td>11%</td><td>61%</td>" in shown
    assert "Content focus, Active learning, Collaboration" in shown
    again = SessionAudit(state_key="r", store=store)
    assert again.after.values()[1] == ("Slides on the new programme", "45", "plan-together")
    # removing a row renumbers the rest and saves
    again.after.rows[0][3].click()
    assert [t.description for t, *_ in again.after.rows][:2] == ["Segment 1", "Segment 2"]
    assert len(store.get("r", SessionAuditRecord).after) == 4


def test_loading_over_typed_rows_asks_first(tmp_path):
    view = SessionAudit(state_key="own", store=JsonFileStore(tmp_path))
    view.before.rows[0][0].value = "My workshop"
    view.picker.value = "fractions-team-meeting"
    view.load_button.click()
    assert view.before.values()[0][0] == "My workshop"            # nothing replaced yet
    assert "Press Load this session again" in view.load_note.value
    view.load_button.click()
    assert view.before.values()[0][0] == "How students come to compare fractions"


def test_every_control_has_a_name():
    view = SessionAudit("after-school-workshop")
    for title, minutes, kind, remove in [*view.before.rows]:
        assert title.description and minutes.description == "Minutes"
        assert kind.description == "Kind" and remove.tooltip.startswith("Remove segment")
    assert view.picker.description == "Start from"


def test_store_faults_are_said_in_a_sentence_and_lose_nothing(tmp_path):
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    view = SessionAudit("after-school-workshop", state_key="w",
                        store=JsonFileStore(tmp_path / "blocker" / "state"))
    assert "Your work on this page cannot be saved" in html.unescape(view.save_status.value)
    view.before.rows[0][0].value = "Hello"
    assert view.before.values()[0][0] == "Hello"
    store = JsonFileStore(tmp_path / "s")
    store.path("w").parent.mkdir(parents=True, exist_ok=True)
    store.path("w").write_text(json.dumps({"kind": "session-audit", "before": "oops"}),
                               encoding="utf-8")
    view = SessionAudit("after-school-workshop", state_key="w", store=store)
    text = html.unescape(view.save_status.value)
    assert "Your earlier session audit could not be read" in text and "nothing was deleted" in text
    assert len(view.before.rows) == 5                 # starts from the example instead


# --- the guide's pieces ---------------------------------------------------------------------

def test_the_audit_sheet_prints_the_seven_features_and_fetches_nothing():
    from tlkit.practice.features import load_features
    from tlkit.printables.audit_sheet import ROWS, audit_sheet

    page = audit_sheet()
    for feature in load_features().features:
        assert html.escape(feature.name) in page and html.escape(feature.looks_like) in page
    assert page.count("<td class='blank'></td>") == 4 * ROWS
    assert "http" not in page.replace("Darling-Hammond", "") and "<script" not in page


def test_the_guide_lists_each_sections_features(root):
    from tlkit.course.module import load_module
    from tlkit.widgets.course.features import audit_sheet_link_html, features_table_html

    table = html.unescape(features_table_html(load_module("adult-learning")))
    assert "<td>How adults learn</td><td>15</td><td>Active learning, Models of effective " \
           "practice, Collaboration</td>" in table
    assert "Every one of the seven features is used" in table
    link = audit_sheet_link_html()
    assert "download='session-audit-sheet.html'" in link and "data:text/html" in link
