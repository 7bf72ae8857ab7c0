"""The course map, the cohort schedule, Start here's pace box and the facilitators' front page
views, driven from Python."""

from __future__ import annotations

import datetime as dt
import html
import json
import shutil

import pytest

from tlkit.course import course_map as cm
from tlkit.course.manifest import load_manifest
from tlkit.course.module import load_module
from tlkit.store import JsonFileStore, PaceRecord, RecordError
from tlkit.widgets import CourseMapView, EnvironmentCheck, ScheduleView
from tlkit.course.environment_check import Check, OK, PROBLEM
from support import ROOT

PD_FEATURES = {"content-focused", "active-learning", "collaboration", "modelling", "coaching",
               "feedback-reflection", "sustained"}


def _row(id, minutes, sections, study=10):
    return cm.MapRow(0, id, id.title(), minutes, study, tuple(sections))


# --- the map --------------------------------------------------------------------------------

def test_the_map_follows_the_manifest_and_the_module_notebooks():
    rows = cm.course_map(ROOT)
    entries = load_manifest(ROOT)
    assert [r.id for r in rows] == [e.id for e in entries]
    assert rows[0].id == "start-here" and rows[0].number == 0
    for row, entry in zip(rows, entries):
        module = load_module(entry.id, ROOT)
        assert row.session_minutes == entry.session_minutes
        assert row.self_study_minutes == module.self_study_minutes
        assert sum(m for _t, m in row.sections) == entry.session_minutes
    protocols = next(r for r in rows if r.id == "protocols")
    assert protocols.guide == "protocols.ipynb"
    assert any(p.startswith("Handouts. Print one copy") for p in protocols.prepare)
    assert not any("**" in p for r in rows for p in r.prepare)


def test_a_broken_module_still_appears_on_the_map_with_the_reason(tmp_path):
    for folder in ("modules", "facilitator"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "modules" / "protocols" / "protocols.ipynb").write_text("{ not json")
    rows = cm.course_map(tmp_path)
    broken = next(r for r in rows if r.id == "protocols")
    assert broken.self_study_minutes is None and "not a readable notebook" in broken.problem
    assert broken.session_minutes == 120 and broken.guide == "protocols.ipynb"
    view = CourseMapView(tmp_path, for_facilitators=True)
    assert "could not be read" in view.table.value and "not known" in view.table.value


def test_start_here_names_at_least_five_pd_features_all_known():
    cells = json.loads((ROOT / "modules/start-here/start-here.ipynb").read_text("utf-8"))["cells"]
    used = set()
    for cell in cells:
        info = cell["metadata"].get("tlkit", {})
        if "section" in info:
            assert info.get("pd_features"), info["section"]
            assert set(info["pd_features"]) <= PD_FEATURES, info["pd_features"]
            used |= set(info["pd_features"])
    assert len(used) >= 5, used


# --- the schedule ---------------------------------------------------------------------------

def test_intervals_keep_the_weekday_or_the_day_of_the_month():
    assert cm.add_interval(dt.date(2025, 1, 6), "2 weeks", 3) == dt.date(2025, 2, 17)
    assert cm.add_interval(dt.date(2025, 1, 31), "1 month", 1) == dt.date(2025, 2, 28)
    assert cm.add_interval(dt.date(2024, 1, 31), "1 month", 1) == dt.date(2024, 2, 29)
    assert cm.add_interval(dt.date(2025, 11, 15), "1 month", 3) == dt.date(2026, 2, 15)
    with pytest.raises(ValueError, match="2 weeks"):
        cm.add_interval(dt.date(2025, 1, 1), "fortnightly", 1)


def test_modules_that_fit_share_a_session_and_others_start_the_next():
    rows = [_row("intro", 45, [("a", 20), ("b", 25)], study=30),
            _row("roles", 120, [("c", 60), ("d", 60)], study=90),
            _row("data", 90, [("e", 90)], study=40)]
    monthly = cm.schedule(rows, cm.design("monthly"), dt.date(2025, 9, 10))
    assert [[p.module_id for p in s.parts] for s in monthly] == [["intro", "roles"], ["data"]]
    assert [s.date for s in monthly] == [dt.date(2025, 9, 10), dt.date(2025, 10, 10)]
    assert [s.used for s in monthly] == [165, 90]
    assert [s.self_study_before for s in monthly] == [120, 40]
    fortnightly = cm.schedule(rows, cm.design("fortnightly"), dt.date(2025, 9, 10))
    assert [[p.module_id for p in s.parts] for s in fortnightly] == [["intro"], ["roles"],
                                                                     ["data"]]
    assert fortnightly[2].date == dt.date(2025, 10, 8)


def test_a_module_longer_than_a_session_is_split_at_section_breaks():
    rows = [_row("long", 200, [("a", 50), ("b", 50), ("c", 60), ("d", 40)], study=70)]
    sessions = cm.schedule(rows, cm.design("fortnightly"), dt.date(2025, 1, 6))
    assert [[p.sections for p in s.parts] for s in sessions] == [[["a", "b"]], [["c", "d"]]]
    first, second = sessions[0].parts[0], sessions[1].parts[0]
    assert first.starts_module and first.continues
    assert not second.starts_module and not second.continues
    assert [s.self_study_before for s in sessions] == [70, 0]


def test_a_section_longer_than_a_session_is_flagged():
    rows = [_row("huge", 150, [("workshop", 150)])]
    [session] = cm.schedule(rows, cm.design("fortnightly"), dt.date(2025, 1, 6))
    assert session.too_long == ["workshop"]


def test_an_unknown_design_names_the_known_ones():
    with pytest.raises(ValueError, match="fortnightly, monthly"):
        cm.design("weekly")


def test_the_pace_sentence():
    assert "about 3 weeks" in cm.pace_sentence(130, 60)
    assert "about 1 week," in cm.pace_sentence(60, 60)
    assert "Type the minutes" in cm.pace_sentence(130, None)
    assert "never ends" in cm.pace_sentence(130, 0)


# --- the record and the views ---------------------------------------------------------------

def test_the_pace_record_round_trips_and_refuses_nonsense():
    assert PaceRecord.from_dict(PaceRecord(45).to_dict()) == PaceRecord(45)
    with pytest.raises(RecordError, match="whole number"):
        PaceRecord.from_dict({"kind": "course-pace", "version": 1, "minutes_per_week": "lots"})


def test_the_learner_map_keeps_the_weekly_minutes_across_a_restart(tmp_path):
    store = JsonFileStore(tmp_path / "state")
    view = CourseMapView(ROOT, state_key="pace", store=store)
    for row in cm.course_map(ROOT):
        assert row.title in view.table.value
    assert "Guide for" not in view.table.value        # learners get no guide links
    view.pace.value = "60"
    assert "60 minutes a week" in view.pace_message.value
    again = CourseMapView(ROOT, state_key="pace", store=JsonFileStore(tmp_path / "state"))
    assert again.pace.value == "60" and "60 minutes a week" in again.pace_message.value


@pytest.mark.parametrize(("typed", "says"), [
    ("5000", "5000 minutes a week is more than this box takes: up to 2000"),
    ("sixty", "'sixty' is not a number of minutes. Type it in figures"),
    ("-5", "'-5' is not a number of minutes"),
])
def test_weekly_minutes_out_of_range_or_not_a_number_are_said_and_kept(tmp_path, typed, says):
    store = JsonFileStore(tmp_path / "state")
    view = CourseMapView(ROOT, state_key="pace", store=store)
    view.pace.value = "45"
    view.pace.value = typed
    assert view.pace.value == typed                      # what was typed stays in the box
    assert says in html.unescape(view.pace_message.value)
    assert store.get("pace", PaceRecord).minutes_per_week == 45   # the last good number


def test_weekly_minutes_are_read_from_plain_typing():
    assert cm.read_weekly_minutes(" 90 minutes ") == (90, "")
    assert cm.read_weekly_minutes("1,500") == (1500, "")
    assert cm.read_weekly_minutes("") == (None, "")
    assert cm.read_weekly_minutes("2000") == (2000, "")


def test_a_pace_that_cannot_be_saved_stays_on_the_page_with_a_sentence(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    view = CourseMapView(ROOT, state_key="pace", store=JsonFileStore(blocker / "state"))
    view.pace.value = "30"
    assert "30 minutes a week" in view.pace_message.value
    assert "cannot be saved" in view.save_status.value


def test_the_facilitator_map_links_every_guide_there_is():
    view = CourseMapView(ROOT, for_facilitators=True)
    assert view.pace is None
    for row in cm.course_map(ROOT):
        if row.guide:
            assert f"href='{row.guide}'" in view.table.value


def test_no_course_folder_gives_a_sentence_not_a_traceback(tmp_path):
    view = CourseMapView(tmp_path)
    assert "cannot be shown" in view.table.value and "Traceback" not in view.table.value
    schedule = ScheduleView(tmp_path)
    assert "No schedule can be made" in schedule.message.value


def test_the_schedule_view_follows_the_design_and_the_date():
    view = ScheduleView(ROOT, first=dt.date(2025, 9, 1))
    assert "Two hours every other week" in view.table.value
    view.design.value = "monthly"
    assert "Three hours once a month" in view.table.value
    assert "observe and coach" in view.table.value
    view.first.value = dt.date(2025, 10, 6)
    assert "Mon 06 Oct 2025" in view.table.value
    view.first.value = None
    assert "Pick the date" in view.message.value and "06 Oct 2025" in view.table.value
    assert view.design.description and view.first.description   # accessible names


def test_the_setup_check_view_says_what_to_do_and_survives_a_failing_check():
    results = [[Check("Widgets", PROBLEM, "They do not match.", "Run make start again.")],
               [Check("Widgets", OK, "They match.")]]
    view = EnvironmentCheck(run=lambda: results.pop(0))
    assert "Needs fixing" in view.result.value and "Run make start again." in view.result.value
    view.button.click()
    assert "Everything is in place" in view.result.value
    broken = EnvironmentCheck(run=lambda: 1 / 0)
    assert "could not finish" in broken.result.value and "Traceback" not in broken.result.value
