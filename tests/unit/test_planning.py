"""The year planner's arithmetic and every constraint, the calendar file's messages, the own
design's messages, the exports, and the widget driven from Python (saved, reloaded, faults)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from dataclasses import replace

from support import ROOT

from tlkit.course.checks import load_activity
from tlkit.course.forms import review_form
from tlkit.ops.form_scores import score_call
from tlkit.planning.calendar import CalendarError, parse_calendar, read_calendar, sample_text
from tlkit.planning.design import (FEATURES, SEED_DESIGNS, DesignError, components_csv,
                                   load_design, parse_components)
from tlkit.planning.planner import (Constraints, ConstraintsError, Site, parse_sites, plan_year,
                                    sessions_csv)
from tlkit.planning.report import calendar_html, handout_html, printable_html
from tlkit.store import JsonFileStore
from tlkit.store.records import YearPlanRecord

FALL = ("kind,name,start,end\n"
        "school year,Fall term,2025-09-02,2025-12-19\n"
        "closed,Thanksgiving break,2025-11-24,2025-11-28\n")


def _year(text=FALL):
    return parse_calendar(text)


# --- arithmetic -------------------------------------------------------------------------------

def _module_fall_term():
    """The designing-learning module's own calendar, cut to the fall term its activity counts."""
    year = read_calendar(ROOT / "modules" / "designing-learning" / "school-year.csv")
    return replace(year, first=date(2025, 9, 2), last=date(2025, 12, 19))


def test_the_fall_term_of_district_a_on_the_modules_calendar():
    plan = plan_year(load_design("every-other-week"), _module_fall_term())
    groups = [s for s in plan.sessions if s.component == "Group session"]
    # Veterans Day (a federal holiday in the calendar file) and Thanksgiving week.
    assert [s.day for s in groups if not s.held] == [date(2025, 11, 11), date(2025, 11, 25)]
    assert len([s for s in groups if s.held]) == 6
    assert len([s for s in plan.held() if s.component == "Video reflection"]) == 8
    assert plan.contact_hours == 16                       # 6 x 2 h + 8 x 0.5 h
    assert plan.shares()["Group session"] == pytest.approx(12 / 16 * 100)
    assert plan.features_missing() == ["coaching"]


def test_the_contact_hours_key_is_what_the_planner_counts_on_the_modules_calendar():
    """The answer key (the activity's digests and the grade cell's hidden test) agrees with the
    planner run on the calendar file beside the module."""
    plan = plan_year(load_design("every-other-week"), _module_fall_term())
    planned = {"contact_hours": plan.contact_hours,
               "group_share_percent": plan.shares()["Group session"]}
    module = ROOT / "modules" / "designing-learning"
    activity = load_activity("contact_hours", here=module)
    typed = {item: f"{value:g}" for item, value in planned.items()}    # as typed in the form
    assert review_form(activity, typed).all_right
    notebook = json.loads((module / "designing-learning.ipynb").read_text("utf-8"))
    [key] = [scored[1] for c in notebook["cells"]
             if c.get("metadata", {}).get("nbgrader", {}).get("grade")
             and (scored := score_call("".join(c["source"]))) and scored[0] == "contact_hours"]
    assert set(key) == set(planned)
    assert key == pytest.approx(planned)
    assert review_form(activity, typed, key=key).all_right


def test_monthly_sessions_fall_on_the_nth_weekday_and_coaching_counts_per_teacher():
    plan = plan_year(load_design("monthly-pair"), _year(), Constraints(cohort=14))
    monthly = [s.day for s in plan.sessions if s.component == "Monthly session"]
    assert monthly == [date(2025, 9, 10), date(2025, 10, 8), date(2025, 11, 12),
                       date(2025, 12, 10)]                # second Wednesday of each month
    assert plan.features_missing() == []
    coaching = [s for s in plan.held() if s.mode == "coaching"]
    assert plan.leader_minutes() == 4 * 180 + len(coaching) * 45 * 14


def test_a_session_on_a_federal_holiday_is_not_held_and_the_fix_names_the_next_school_day():
    year = _year("kind,name,start,end\nschool year,Y,2025-09-01,2025-09-30\n"
                 "federal holidays,US,,\n")
    assert year.closure_on(date(2025, 9, 1)).name == "Labor Day"
    design = parse_components("name,mode,frequency,weekday,week,minutes,after_school,features\n"
                              "Mondays,face-to-face,weekly,Monday,1,60,yes,sustained\n")
    plan = plan_year(design, year)
    closed = [v for v in plan.violations if v.rule == "closed"]
    assert len(closed) == 1 and "Labor Day" in closed[0].message
    assert "Tue 2 Sep 2025" in closed[0].fix
    assert plan.contact_minutes == 4 * 60                # five Mondays, one of them closed


def test_testing_windows_contract_limits_travel_and_cohort_are_each_explained_with_a_fix():
    year = _year(FALL + "testing,Benchmark window,2025-09-15,2025-09-19\n")
    constraints = Constraints(limit_minutes=100, limit_period="week",
                              sites=(Site("Pine Hollow", 70), Site("Near", 20)), cohort=40)
    plan = plan_year(load_design("every-other-week"), year, constraints)
    rules = [v.rule for v in plan.violations]
    testing = [v for v in plan.violations if v.rule == "testing"]
    assert [v.day for v in testing] == [date(2025, 9, 16)]
    assert "Mon 22 Sep 2025" in testing[0].fix
    assert rules.count("contract") == 7                  # every held 120-minute week over 100
    contract = next(v for v in plan.violations if v.rule == "contract")
    assert "120 minutes after school" in contract.message and "cut 20 minutes" in contract.fix
    travel = [v for v in plan.violations if v.rule == "travel"]
    assert len(travel) == 1 and "Pine Hollow travel 140 minutes" in travel[0].message
    assert "cohort" in rules and "3 cohorts" in plan.violations[rules.index("cohort")].fix
    assert all(v.sentence().count("Fix:") == 1 for v in plan.violations)


def test_a_monthly_limit_adds_the_month_and_no_limit_means_no_contract_clash():
    design = load_design("every-other-week")
    assert not [v for v in plan_year(design, _year()).violations if v.rule == "contract"]
    monthly = plan_year(design, _year(), Constraints(limit_minutes=300, limit_period="month"))
    over = [v for v in monthly.violations if v.rule == "contract"]
    assert [v.message.split(" the plan")[0] for v in over] == ["In September 2025"]  # 3 x 120


def test_bad_constraints_say_why():
    with pytest.raises(ConstraintsError, match="at least one teacher"):
        plan_year(load_design("monthly-pair"), _year(), Constraints(cohort=0))
    with pytest.raises(ConstraintsError, match="per week or per month"):
        plan_year(load_design("monthly-pair"), _year(), Constraints(limit_period="day"))
    assert parse_sites("Pine Hollow, 55\n\n# note\n") == (Site("Pine Hollow", 55),)
    with pytest.raises(ConstraintsError, match="Site line 1"):
        parse_sites("Pine Hollow fifty")


# --- the calendar file ------------------------------------------------------------------------

def test_the_sample_calendar_reads_with_federal_holidays_and_its_testing_windows():
    year = parse_calendar(sample_text())
    names = {p.name for p in year.closed}
    assert {"Thanksgiving Day", "Winter break", "Labor Day"} <= names
    assert len(year.testing) == 3 and 150 < year.school_days() < 190


@pytest.mark.parametrize("text, words", [
    ("kind,name,start,end\nschool year,Y,2025-13-01,2026-06-01\n", "Row 2 (Y): '2025-13-01' is not a date"),
    ("kind,name,start,end\nschool year,Y,2025-09-01,2026-06-01\nclosed,Break,2025-12-31,2025-12-20\n",
     "Row 3 (Break) ends (2025-12-20) before it starts (2025-12-31). Swap"),
    ("kind,name,start,end\nclosed,Break,2025-12-20,\n", "no 'school year' row"),
    ("kind,name,start,end\nschool year,Y,2025-09-01,2026-06-01\nvacation,V,2025-10-01,\n",
     "the kind 'vacation' is not one the planner knows"),
    ("kind,name,start,end\nschool year,Y,2025-09-01,2026-06-01\ntesting,T,2027-04-01,2027-04-03\n",
     "falls outside the school year"),
    ("date,what\n", "should name the columns"),
    ("", "The calendar is empty"),
])
def test_a_bad_calendar_is_explained_in_a_sentence(text, words):
    with pytest.raises(CalendarError) as info:
        parse_calendar(text)
    assert any(words in p for p in info.value.problems), info.value.problems


def test_every_problem_is_listed_at_once_and_us_spreadsheet_dates_are_read(tmp_path):
    with pytest.raises(CalendarError) as info:
        parse_calendar("kind,name,start,end\nschool year,Y,9/2/2025,6/5/2026\n"
                       "closed,A,2025-02-30,\ntesting,B,,\n")
    assert len(info.value.problems) == 2 and str(info.value).startswith("The calendar has 2")
    path = tmp_path / "year.csv"
    path.write_bytes(("\ufeff" + FALL).encode("utf-8"))
    assert read_calendar(path).first == date(2025, 9, 2)
    with pytest.raises(CalendarError, match="could not be opened"):
        read_calendar(tmp_path / "missing.csv")


# --- designs ----------------------------------------------------------------------------------

def test_seed_designs_round_trip_through_the_own_design_format():
    for design_id in SEED_DESIGNS:
        seed = load_design(design_id)
        own = parse_components(components_csv(seed)).components
        assert own == tuple(replace(c, description="") for c in seed.components)


def test_an_own_design_with_mistakes_lists_each_line():
    with pytest.raises(DesignError) as info:
        parse_components("name,mode,frequency,weekday,week,minutes,after_school,features\n"
                         "A,in person,weekly,Monday,1,60,yes,sustained\n"
                         "B,virtual,daily,Sunday,9,0,maybe,teamwork\n")
    problems = info.value.problems
    assert problems[0].startswith("Line 2 (A): the mode 'in person'")
    assert len([p for p in problems if p.startswith("Line 3 (B)")]) == 6
    assert "'teamwork' is not one" in problems[-1]


# --- exports ----------------------------------------------------------------------------------

def test_the_csv_the_chart_and_the_printable_page_carry_the_same_sessions():
    plan = plan_year(load_design("every-other-week"), _year())
    rows = list(csv.DictReader(io.StringIO(sessions_csv(plan))))
    assert len(rows) == len(plan.sessions) == 16
    assert rows[12] == {"date": "2025-11-25", "weekday": "Tuesday", "component": "Group session",
                        "mode": "face-to-face", "minutes": "120", "held": "no",
                        "note": "Thanksgiving break"}
    chart = calendar_html(plan)
    assert "alt='Calendar of the school year" in chart and "15 sessions held" in chart
    assert chart.count("<tr>") == 17 and "not held: Thanksgiving break" in chart
    page = printable_html(plan)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "Contact hours per teacher: 18" in page
    assert "src='http" not in page and 'href="http' not in page    # nothing fetched
    handout = handout_html([load_design(d) for d in SEED_DESIGNS])
    assert handout.count("<h3>") == 3 and FEATURES["coaching"] in handout


# --- the record and the widget ----------------------------------------------------------------

def test_the_record_keeps_typed_text_and_merges_field_by_field():
    base = YearPlanRecord(calendar="a", cohort=12)
    mine = YearPlanRecord(calendar="b", cohort=12)
    theirs = YearPlanRecord(calendar="a", cohort=20)
    merged = mine.merged(base, theirs)
    assert (merged.calendar, merged.cohort) == ("b", 20)
    assert YearPlanRecord.from_dict(merged.to_dict()) == merged
    with pytest.raises(Exception, match="cohort size"):
        YearPlanRecord.from_dict({"kind": "year-plan", "version": 1, "cohort": "many"})


def test_the_widget_updates_saves_and_comes_back_with_a_mistake_kept(tmp_path):
    from tlkit.widgets import YearPlanner

    store = JsonFileStore(tmp_path / "state")
    view = YearPlanner(state_key="p", store=store, sites="Pine Hollow, 70", limit_minutes=120)
    assert "Contact hours per teacher: 48.5" in view.summary.value
    assert "Pine Hollow travel 140 minutes" in view.violations.value
    view.design.value = "monthly-pair"
    assert "Contact hours per teacher: 33" in view.summary.value
    assert "the contract allows 120 a week" in view.violations.value
    assert "download='year-plan.csv'" in view.exports.value
    before = view.chart.value
    view.calendar.value = view.calendar.value.replace("2025-12-22", "2025-12-32")
    assert "Entry 5 (Winter break)" in view.message.value and "Nothing you typed is lost" in view.message.value
    assert view.chart.value == before                      # the last good plan stays on show
    again = YearPlanner(state_key="p", store=store)
    assert "2025-12-32" in again.calendar.value and again.design.value == "monthly-pair"
    assert again.limit.value == "120" and again.problems
    again.limit.value = "lots"
    assert "lots&#x27; is not a whole number" in again.message.value
    view.close()
    again.close()


def test_the_widget_reloads_its_calendar_file_and_survives_an_unwritable_store(tmp_path):
    from tlkit.widgets import YearPlanner

    calendar = tmp_path / "school-year.csv"
    calendar.write_text(FALL, encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the state folder should be")
    view = YearPlanner(state_key="p", store=JsonFileStore(blocked / "state"),
                       calendar_file=calendar)
    assert "cannot be saved" in view.save_status.value
    assert "Contact hours per teacher: 18" in view.summary.value
    calendar.write_text(FALL.replace("2025-12-19", "2025-12-05"), encoding="utf-8")
    view.reload_button.click()
    assert "2025-12-05" in view.calendar.value and "Contact hours per teacher: 15.5" in view.summary.value
    calendar.unlink()
    view.reload_button.click()
    assert "could not be read" in view.message.value and "2025-12-05" in view.calendar.value
    view.close()


def test_a_huge_pasted_calendar_is_cut_in_the_saved_copy_and_said(tmp_path):
    from tlkit.widgets import YearPlanner
    from tlkit.widgets.planning.year_planner import KEEP_CHARS

    store = JsonFileStore(tmp_path)
    view = YearPlanner(state_key="p", store=store)
    huge = view.calendar.value.replace("Winter break", "W" * (KEEP_CHARS + 1000))
    view.calendar.value = huge
    assert len(view.calendar.value) > KEEP_CHARS          # the page keeps it all while open
    assert "only its first 256 KB are saved" in view.save_status.value
    assert len(store.get("p", YearPlanRecord).calendar) == KEEP_CHARS
    again = YearPlanner(state_key="p", store=store)         # opens again, the cut text in it
    assert "longer than 64 KB" in again.message.value
    again.close()
    big_file = tmp_path / "big.csv"
    big_file.write_text("x" * (KEEP_CHARS + 1), encoding="utf-8")
    view.calendar_file = big_file
    view.reload_calendar()
    assert "is 0.3 MB" in view.message.value and "unchanged" in view.message.value
    view.close()


def test_a_saved_plan_of_the_wrong_shape_is_set_aside_not_lost(tmp_path):
    from tlkit.widgets import YearPlanner

    store = JsonFileStore(tmp_path)
    first = YearPlanner(state_key="p", store=store)
    first.cohort.value = 15
    first.close()
    path = next(tmp_path.rglob("*.json"))
    path.write_text(json.dumps({"kind": "year-plan", "version": 1, "cohort": "x"}))
    view = YearPlanner(state_key="p", store=store)
    assert "could not be read" in view.save_status.value and "Contact hours" in view.summary.value
    view.close()


def test_own_design_is_built_with_controls_not_typed_as_csv(tmp_path):
    import ipywidgets as widgets

    from tlkit.widgets import YearPlanner

    store = JsonFileStore(tmp_path / "state")
    view = YearPlanner("own", state_key="own", store=store, calendar_file=None)
    editor = view.own_design
    assert editor.layout.display != "none" and view.own_note.layout.display == "none"
    assert [r.name.value for r in editor.rows] == ["Group session", "Video reflection"]
    assert not any(isinstance(c, widgets.Textarea) for c in _controls(editor))
    first = editor.rows[0]
    assert first.name.description == "Name of part 1" and first.mode.value == "face-to-face"
    assert first.features["collaboration"].value and not first.features["coaching"].value

    editor.add_button.click()
    new = editor.rows[2]
    assert new.remove_button.description == "Remove part 3"
    assert "Part 3 has no name yet" in view.message.value          # said in words, not CSV
    new.name.value = "Coaching visit"
    assert "Part 3 serves no feature yet" in view.message.value
    new.mode.value, new.frequency.value, new.weekday.value = "coaching", "monthly", "Wednesday"
    new.week.value, new.minutes.value = 2, 45
    new.features["coaching"].value = True
    assert view.problems == [] and view.plan.features_missing() == []
    assert "Coaching visit" in view.summary.value

    editor.rows[1].remove_button.click()                            # no more video reflection
    assert [r.name.value for r in editor.rows] == ["Group session", "Coaching visit"]
    assert editor.rows[1].name.description == "Name of part 2"
    saved = store.get("own", YearPlanRecord).own_design
    assert parse_components(saved).components[1].frequency == "monthly"

    again = YearPlanner("own", state_key="own", store=store)        # a restart
    assert [r.fields() for r in again.own_design.rows] == [r.fields() for r in editor.rows]
    again.design.value = "every-other-week"
    assert again.own_design.layout.display == "none" and again.own_note.layout.display == ""
    view.close()
    again.close()


def test_travel_times_are_rows_of_a_name_and_minutes(tmp_path):
    from tlkit.widgets import YearPlanner

    view = YearPlanner(state_key="s", store=JsonFileStore(tmp_path), sites="Pine Hollow, 70")
    [row] = view.sites.rows
    assert (row.name.value, row.minutes.value, row.name.description) == ("Pine Hollow", 70,
                                                                         "School 1")
    assert "Pine Hollow travel 140 minutes" in view.violations.value
    view.sites.add_button.click()
    view.sites.rows[1].name.value = "Cedar Creek"
    view.sites.rows[1].minutes.value = 80
    assert "Cedar Creek travel 160 minutes" in view.violations.value
    view.sites.rows[0].remove_button.click()
    assert "Pine Hollow" not in view.violations.value
    assert YearPlanner(state_key="s", store=JsonFileStore(tmp_path)).sites.value == (
        "Cedar Creek, 80\n")
    view.close()


def test_no_label_in_the_planner_is_cut_off():
    from ipywidgets.widgets.widget_description import DescriptionWidget

    from tlkit.widgets import YearPlanner

    view = YearPlanner("own")
    for control in _controls(view):
        width = getattr(getattr(control, "style", None), "description_width", None)
        if isinstance(control, DescriptionWidget) and control.description and width is not None:
            assert width in ("", "initial"), control.description
    view.close()


def _controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _controls(child)


def test_the_calendar_is_rows_of_a_kind_a_name_and_dates(tmp_path):
    from tlkit.widgets import YearPlanner

    store = JsonFileStore(tmp_path / "state")
    view = YearPlanner(state_key="c", store=store, calendar_file=None)
    rows = view.calendar.rows
    assert [r.kind.value for r in rows[:2]] == ["school year", "federal holidays"]
    assert rows[0].start.value == date(2025, 8, 25) and rows[1].start.disabled
    assert rows[3].name.description == "Name of entry 4"
    before = view.plan.contact_hours
    view.calendar.add_button.click()
    new = view.calendar.rows[-1]
    new.name.value = "Snow make-up day"
    new.start.value = date(2025, 9, 9)                        # a Tuesday group session
    assert view.plan.contact_hours == before - 2
    assert "Snow make-up day" in view.violations.value
    assert "closed,Snow make-up day,2025-09-09," in store.get("c", YearPlanRecord).calendar
    new.remove_button.click()
    assert view.plan.contact_hours == before

    # A date in the file that is not a day is kept as written and named, until one is picked.
    text = view.calendar.value.replace("2025-12-22", "2025-12-32")
    view.calendar.value = text
    broken = next(r for r in view.calendar.rows if r.name.value == "Winter break")
    assert broken.start.value is None and "2025-12-32" in view.calendar.value
    assert "Entry 5 (Winter break): &#x27;2025-12-32&#x27; is not a date" in view.message.value
    broken.start.value = date(2025, 12, 22)
    assert view.problems == [] and "2025-12-32" not in view.calendar.value
    view.close()


def test_numbers_out_of_range_are_said_and_kept_as_typed(tmp_path):
    from tlkit.widgets import YearPlanner

    view = YearPlanner("own", state_key="n", store=JsonFileStore(tmp_path), sites="Far, 70")
    part = view.own_design.rows[0]
    part.minutes.value = 600
    assert part.minutes.value == 600                                 # never changed silently
    assert "Part 1, minutes: 600 is not a length the planner takes" in view.message.value
    assert "Type a number from 5 to 480" in view.message.value
    part.minutes.value = 90
    part.week.value = 7
    assert "Part 1, which week it starts: 7 is not a week" in view.message.value
    part.week.value = 1
    view.sites.rows[0].minutes.value = 700
    assert "School 1, minutes one way: 700 is not a travel time" in view.message.value
    view.sites.rows[0].minutes.value = 70
    view.cohort.value = 5000
    assert view.cohort.value == 5000
    assert "Teachers in the cohort: 5000 is not a number of teachers" in view.message.value
    view.cohort.value = 14
    assert view.problems == [] and view.message.value == ""
    view.close()
