"""The survey explorer's figures against tables worked out by hand, small groups hidden at and
around the threshold, a school's own export (bad files get their messages, the file is never
changed), the headline figures, and the widget driven from Python."""

from __future__ import annotations

import datetime
import hashlib

import numpy as np
import pandas as pd
import pytest

from tlkit.data import codebook
from tlkit.explore import ExploreError, explore, network_surveys, survey_from_frame
from tlkit.explore.charts import figure, level_colours
from tlkit.explore.own import own_survey
from tlkit.explore.trend import observation_trend

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]


def _survey(groups: dict[str, list[str | None]]):
    """A teacher_survey_spring-shaped survey: org -> the answers to q_sessions_relevant."""
    rows = [(org, answer) for org, answers in groups.items() for answer in answers]
    frame = pd.DataFrame(rows, columns=["org_id", "q_sessions_relevant"])
    return {"s": survey_from_frame("s", "Test survey", frame, codebook("teacher_survey_spring"))}


# Worked by hand: A has 12 people (one skipped), B 10 (at the threshold), C 9 (below it).
HAND = {
    "ORG-01": ["Strongly agree"] * 3 + ["Agree"] * 5 + ["Neither agree nor disagree"] * 2
              + ["Disagree"] + [None],
    "ORG-02": ["Agree"] * 4 + ["Disagree"] * 4 + ["Strongly disagree"] * 2,
    "ORG-03": ["Agree"] * 9,
}


def test_percent_agree_matches_the_hand_table_and_hides_the_group_of_nine():
    r = explore(_survey(HAND), "s", "q_sessions_relevant", "org", "percent")
    # ORG-01: 11 answered (the skip is left out), 8 agree -> 72.7%.
    assert r.numbers.loc["ORG-01", ["Answered", "Top two", "% top two"]].tolist() == [11, 8, 72.7]
    # ORG-03 (9 people) hidden; then one more group, or 9 = All - 11 - 10 would give it away.
    assert r.hidden == {"ORG-03": "Hidden: fewer than 10 people",
                        "ORG-02": "Hidden so that a small group nearby cannot be worked out "
                                  "from the totals"}
    assert r.table.loc["ORG-03", "% top two"] == "<10" and r.table.loc["ORG-02", "Answered"] == "—"
    assert np.isnan(r.numbers.loc["ORG-03", "% top two"])
    # The All row counts everyone who answered: 30, of whom 21 agree.
    assert r.numbers.loc["All", ["Answered", "Top two", "% top two"]].tolist() == [30, 21, 70.0]
    assert "1 person left this question empty" in " ".join(r.notes)


def test_distribution_matches_the_hand_table_and_every_row_adds_up():
    big = dict(HAND, **{"ORG-03": ["Agree"] * 9 + ["Strongly agree"]})   # 10: shown
    r = explore(_survey(big), "s", "q_sessions_relevant", "org", "distribution")
    assert not r.hidden
    assert r.numbers.loc["ORG-01", AGREE].tolist() == [0.0, 9.1, 18.2, 45.5, 27.3]
    assert r.numbers.loc["ORG-02", AGREE].tolist() == [20.0, 40.0, 0.0, 40.0, 0.0]
    assert r.numbers.loc["ORG-03", AGREE].tolist() == [0.0, 0.0, 0.0, 90.0, 10.0]
    assert r.numbers.loc["All", "Answered"] == 31
    sums = r.numbers[AGREE].sum(axis=1)
    assert ((sums - 100).abs() <= 0.2).all()


@pytest.mark.parametrize("size, hidden", [(9, True), (10, False), (11, False)])
def test_a_group_is_hidden_below_the_threshold_only(size, hidden):
    groups = {"ORG-01": ["Agree"] * 40, "ORG-02": ["Disagree"] * 30,
              "ORG-03": ["Agree"] * size}
    r = explore(_survey(groups), "s", "q_sessions_relevant", "org", "percent")
    assert ("ORG-03" in r.hidden) is hidden
    # A hidden group always has company, so the All row cannot reveal it.
    assert len(r.hidden) != 1


def test_the_threshold_can_be_raised_and_a_group_with_no_answers_is_left_out():
    groups = {"ORG-01": ["Agree"] * 25, "ORG-02": ["Disagree"] * 35, "ORG-04": [None] * 3}
    r = explore(_survey(groups), "s", "q_sessions_relevant", "org", "percent", threshold=30)
    assert "ORG-01" in r.hidden and "ORG-04" not in r.numbers.index
    assert r.table.loc["ORG-01", "Answered"] == "<30"


def test_headline_figures_and_the_end_of_year_survey_from_the_network():
    surveys = network_surveys()
    conf = explore(surveys, "tl_survey_spring", "q_confident_standards", "org", "percent")
    mats = explore(surveys, "tl_survey_spring", "q_find_materials", "setting", "percent")
    assert conf.numbers.loc["All", ["Answered", "Top two", "% top two"]].tolist() == [503, 458,
                                                                                       91.1]
    assert mats.numbers.loc["All", ["Answered", "Top two", "% top two"]].tolist() == [499, 464,
                                                                                       93.0]
    assert surveys["teacher_survey_eoy"].rows == 1921
    coach = explore(surveys, "teacher_survey_eoy", "q_coaching_helped", "org", "percent")
    assert coach.numbers.loc["ORG-13", "% top two"] == 92.2
    assert coach.numbers.drop(["ORG-13", "All"])["% top two"].between(55, 73).all()
    # Every grouping works on every survey and puts each answered person in one group.
    for name, survey in surveys.items():
        for grouping in survey.groupings:
            item = next(iter(survey.items))
            r = explore(surveys, name, item, grouping, "distribution")
            groups = r.numbers.drop("All")["Answered"]
            assert groups.sum() == r.numbers.loc["All", "Answered"], (name, grouping)


def test_change_pairs_the_teacher_surveys_and_checks_with_plain_pandas():
    from tlkit.data import load

    r = explore(network_surveys(), "teacher_survey_spring", "q_confident_standards", "setting",
                "change")
    spring, eoy = load("teacher_survey_spring"), load("teacher_survey_eoy")
    for setting in ("urban", "rural"):
        before = spring.loc[spring.setting == setting, "q_confident_standards"].dropna()
        after = eoy.loc[eoy.setting == setting, "q_confident_using_standards"].dropna()
        b, a = (before >= "More confident").mean() * 100, (after >= "Agree").mean() * 100
        row = r.numbers.loc[setting]
        assert row["Before answered"] == len(before) and row["After answered"] == len(after)
        assert row["Before %"] == round(b, 1) and row["After %"] == round(a, 1)
        assert row["Change (points)"] == round(round(a, 1) - round(b, 1), 1)
    assert any("different questions" in n for n in r.notes)


def test_choices_that_cannot_be_shown_get_a_sentence():
    surveys = network_surveys()
    with pytest.raises(ExploreError, match="compares the spring and end-of-year teacher"):
        explore(surveys, "tl_survey_spring", "q_find_materials", "org", "change")
    with pytest.raises(ExploreError, match="has no partner"):
        explore(surveys, "teacher_survey_eoy", "q_coaching_helped", "org", "change")
    with pytest.raises(ExploreError, match="cannot be grouped by content area"):
        explore(_survey(HAND), "s", "q_sessions_relevant", "content", "percent")
    with pytest.raises(ExploreError, match="has no question 'q_nope'"):
        explore(surveys, "tl_survey_spring", "q_nope", "org", "percent")


def test_chart_text_and_exports_carry_the_figures_and_the_reasons():
    r = explore(_survey(HAND), "s", "q_sessions_relevant", "org", "percent")
    text = r.text()
    assert "ORG-01: 73% of 11." in text and "ORG-03: hidden: fewer than 10 people." in text
    csv = r.csv()
    assert csv.splitlines()[0].startswith("Organization,Answered,Top two,% top two")
    assert "ORG-03,<10,<10,<10" in csv and "Hidden: fewer than 10 people" in csv
    fig = figure(r)
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "73%" in labels and "Hidden: fewer than 10 people" in labels
    assert level_colours(5)[2] == "#BBBBBB" and len(set(level_colours(4))) == 4


def test_the_observation_trend_is_a_share_at_level_three_or_four():
    obs = pd.DataFrame({"cycle": [1] * 10 + [2] * 10, **{lf: [1] * 10 + [3] * 5 + [4] * 5
                        for lf in ("text-evidence", "build-challenge", "distributed-talk",
                                   "student-questions", "teacher-steps-back", "norms-in-use")}})
    obs.loc[0, "norms-in-use"] = None     # 9 scored in the fall: hidden
    trend = observation_trend(obs)
    assert trend.table.loc["text-evidence"].tolist() == [0.0, 100.0]
    assert np.isnan(trend.table.loc["norms-in-use"].iloc[0])
    network = observation_trend()
    assert (network.table.iloc[:, 1] > network.table.iloc[:, 0]).all()


def test_the_trend_view_shows_the_chart_and_its_table_and_grading_skips_it():
    from tlkit.ops.autograde_skip import widget_only
    from tlkit.widgets import ObservationTrend

    obs = pd.DataFrame({"cycle": [1] * 10 + [2] * 10, **{lf: [2] * 10 + [4] * 10
                        for lf in ("text-evidence", "build-challenge", "distributed-talk",
                                   "student-questions", "teacher-steps-back", "norms-in-use")}})
    view = ObservationTrend(obs)
    assert "<table" in view.value and "<img" in view.value and "100%" in view.value
    assert widget_only("from tlkit.widgets import ObservationTrend\n\nObservationTrend()")


# --- a school's own export ---------------------------------------------------------------

GOOD = ("Timestamp,Email address,Our sessions connect to what I teach.,org_id\n"
        + "".join(f"4/{d}/2025 10:00:00,t{d}@school.org,{a},ORG-01\n"
                  for d, a in zip(range(1, 13), ["Agree", "strongly agree ", "Disagree"] * 4)))
BAD = ("Timestamp,Our sessions connect to what I teach.,I can share what is not working in my "
       "group without worry.\n"
       "4/1/2025 10:00:00,Agree,Sometimes\n"
       "not a date,Agree,Agree\n"
       "4/3/2025 10:00:00,4,Agree\n")


def test_a_good_export_is_explored_the_same_way(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(GOOD, encoding="utf-8")
    own = own_survey(path, "teacher_survey_spring")
    assert own.problems == [] and "12 responses" in own.summary
    assert any("e-mail" in n for n in own.notes)
    r = explore({"own": own.survey}, "own", "q_sessions_relevant", "org", "percent")
    assert r.numbers.loc["ORG-01", ["Answered", "Top two"]].tolist() == [12, 8]


def test_a_bad_export_gets_row_and_column_messages_and_is_not_changed(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(BAD, encoding="utf-8")
    before = (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
    listing = sorted(p.name for p in tmp_path.iterdir())
    own = own_survey(path, "teacher_survey_spring")
    problems = "\n".join(own.problems)
    assert "row 2, column 'I can share what is not working in my group without worry.'" in problems
    assert "'Sometimes'" in problems
    assert "row 3, column 'Timestamp'" in problems and "not a date" in problems
    assert "row 4, column 'Our sessions connect to what I teach.'" in problems
    assert "seems to record numbers" in problems
    assert "3 problem(s)" in own.summary or f"{len(own.problems)} problem(s)" in own.summary
    assert (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing


def test_an_unreadable_export_says_what_to_do(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    own = own_survey(empty, "teacher_survey_spring")
    assert own.survey is None and "empty" in own.summary
    book = tmp_path / "answers.xlsx"
    book.write_bytes(b"PK\x03\x04")
    own = own_survey(book, "teacher_survey_spring")
    assert own.survey is None and "Save it as CSV" in own.summary
    assert "no codebook" in own_survey(empty, "nope").summary


def _export(rows: int, org: str = "ORG-01", answer: str = "Agree") -> str:
    return "Timestamp,org_id,Our sessions connect to what I teach.\n" + "".join(
        f"4/1/2025 10:00:00,{org},{answer}\n" for _ in range(rows))


def test_a_file_too_large_or_too_long_is_refused_with_a_sentence(tmp_path, monkeypatch):
    import io

    from tlkit.data import forms

    monkeypatch.setattr(forms, "MAX_BYTES", 2_000)
    monkeypatch.setattr(forms, "MAX_ROWS", 30)
    path = tmp_path / "big.csv"
    path.write_text(_export(200), encoding="utf-8")          # about 9 kB
    for source in (path, io.BytesIO(path.read_bytes()), path.read_bytes()):
        own = own_survey(source, "teacher_survey_spring")
        assert own.survey is None and "a survey export can be at most 2 kB" in own.summary
        assert "split the file" in own.summary
    path.write_text(_export(31), encoding="utf-8")           # under 2 kB, one row too many
    own = own_survey(path, "teacher_survey_spring")
    assert own.survey is None and "more than 30 rows" in own.summary
    path.write_text(_export(30), encoding="utf-8")
    assert own_survey(path, "teacher_survey_spring").survey.rows == 30


def test_the_caps_fit_a_districts_survey():
    from tlkit.data import forms

    # 20,000 responses to 30 questions of about 15 characters each fit under the size cap.
    assert forms.MAX_ROWS >= 20_000 and 20_000 * 30 * 15 < forms.MAX_BYTES


def test_many_problems_come_back_as_counts_and_the_first_few(tmp_path):
    from tlkit.explore.own import FIRST_PROBLEMS

    path = tmp_path / "bad.csv"
    path.write_text(_export(400, answer="Sometimes"), encoding="utf-8")
    own = own_survey(path, "teacher_survey_spring")
    assert own.problem_count == 400
    assert len(own.problems) == FIRST_PROBLEMS + 1
    assert all("'Sometimes'" in line for line in own.problems[:FIRST_PROBLEMS])
    assert own.problems[-1].startswith("… and 390 more")
    assert "'Our sessions connect to what I teach.': 400" in own.problems[-1]
    assert "400 problem(s)" in own.summary and f"the first {FIRST_PROBLEMS} are listed" in own.summary


@pytest.mark.parametrize("org", ["Springfield High", "Total", "All"])
def test_group_values_the_codebook_does_not_know_never_crash_the_explorer(tmp_path, org):
    path = tmp_path / "staff.csv"
    path.write_text(_export(20, org=org), encoding="utf-8")
    own = own_survey(path, "teacher_survey_spring")
    assert own.problem_count == 20 and org in own.problems[0]
    for view in ("distribution", "percent"):
        with pytest.raises(ExploreError, match="nothing to show"):
            explore({"own": own.survey}, "own", "q_sessions_relevant", "org", view)
        # Grouped otherwise, the answers are all there.
        r = explore({"own": own.survey}, "own", "q_sessions_relevant", "everyone", view)
        assert "All respondents" in r.numbers.index


def test_answers_that_are_all_unreadable_never_crash_the_explorer(tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(_export(20, answer="maybe"), encoding="utf-8")
    own = own_survey(path, "teacher_survey_spring")
    with pytest.raises(ExploreError, match="nothing to show"):
        explore({"own": own.survey}, "own", "q_sessions_relevant", "everyone", "distribution")


# --- the widget ----------------------------------------------------------------------------

def test_the_explorer_widget_shows_saves_exports_and_loads_an_own_file(tmp_path):
    from tlkit.store import JsonFileStore
    from tlkit.widgets import SurveyExplorer

    store = JsonFileStore(tmp_path / "state")
    w = SurveyExplorer(state_key="explorer", store=store)
    assert "<img" in w.chart.value and "alt=" in w.chart.value and "<table" in w.chart.value
    assert "ORG-13" in w.chart.value and w.downloads.value == ""
    w.download_button.click()
    assert "data:text/csv;base64," in w.downloads.value and "data:image/svg+xml" in w.downloads.value
    for menu in (w.survey_menu, w.item_menu, w.grouping_menu, w.view_menu, w.threshold_menu,
                 w.codebook_menu):
        assert menu.description, "every menu has an accessible name"
    w.threshold_menu.value = 30
    assert "Hidden: fewer than 30 people" in w.chart.value
    w.survey_menu.value = "teacher_survey_eoy"
    w.item_menu.value = "q_coaching_helped"
    w.view_menu.value = "change"
    assert "has no partner" in w.message.value and w.chart.value == ""
    w.item_menu.value = "q_confident_using_standards"
    assert "Spring" in w.chart.value or "Before" in w.chart.value
    files = w.exports()
    assert sorted(name.rsplit(".", 1)[1] for name in files) == ["csv", "png", "svg"]
    assert files[next(n for n in files if n.endswith(".png"))].startswith(b"\x89PNG")

    again = SurveyExplorer(state_key="explorer", store=store)
    assert again.choices() == {"survey": "teacher_survey_eoy",
                               "item": "q_confident_using_standards", "grouping": "org",
                               "view": "change", "threshold": 30}

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    w.load_own(bad, "teacher_survey_spring")
    assert "row 3, column &#x27;Timestamp&#x27;" in w.own_report.value
    assert w.survey_menu.value == "own" and w.view_menu.value == "percent"
    assert "q_sessions_relevant" == w.item_menu.value


def test_the_explorer_widget_reports_a_bad_upload_in_sentences(tmp_path, monkeypatch):
    from tlkit.data import forms
    from tlkit.store import JsonFileStore
    from tlkit.widgets import SurveyExplorer

    w = SurveyExplorer(state_key="explorer", store=JsonFileStore(tmp_path / "state"))
    w.codebook_menu.value = "teacher_survey_spring"
    assert w.upload.description and "Choose" in w.upload.description

    def upload(name: str, text: str) -> None:
        content = memoryview(text.encode("utf-8"))
        w.upload.value = ({"name": name, "type": "text/csv", "size": len(content),
                           "content": content,
                           "last_modified": datetime.datetime(2025, 4, 1)},)

    # Group values the codebook does not know: counts and the first few, and a sentence where
    # the chart would be, never an error.
    upload("staff.csv", _export(300, org="Springfield High"))
    report = w.own_report.value
    assert "300 problem(s)" in report and report.count("<li") <= 12
    assert "… and 290 more" in report
    assert w.survey_menu.value == "own" and w.grouping_menu.value == "org"
    assert "nothing to show" in w.message.value and w.chart.value == ""
    assert "Traceback" not in report + w.message.value
    w.grouping_menu.value = "everyone"
    assert "<table" in w.chart.value

    monkeypatch.setattr(forms, "MAX_BYTES", 1_000)
    upload("district.csv", _export(100))
    assert "a survey export can be at most" in w.own_report.value
    assert w.upload.value == ()   # cleared, so a smaller file can be chosen next



def test_the_saved_choices_record_reads_back_and_refuses_a_wrong_shape():
    from tlkit.store import ExplorerRecord, RecordError

    record = ExplorerRecord({"survey": "tl_survey_spring", "threshold": 20})
    assert ExplorerRecord.from_dict(record.to_dict()) == record
    assert record.to_dict()["kind"] == "survey-explorer"
    with pytest.raises(RecordError, match="menu the kit does not know"):
        ExplorerRecord.from_dict({"kind": "survey-explorer", "choices": {"colour": "red"}})
    with pytest.raises(RecordError, match="'twenty' for 'threshold'"):
        ExplorerRecord.from_dict({"kind": "survey-explorer", "choices": {"threshold": "twenty"}})
