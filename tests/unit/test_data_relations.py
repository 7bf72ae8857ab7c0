"""Row counts and the relations between the datasets hold, as a learner would join them."""

from __future__ import annotations

import pandas as pd
import pytest

from tlkit.data import codebook, load, names
from tlkit.practice.observation import load_rubric


@pytest.fixture(scope="module")
def d():
    return {name: load(name) for name in names()}


def test_the_network_is_at_the_scale_of_the_real_one(d):
    assert len(d["organizations"]) == 13
    assert 760 <= len(d["teacher_leaders"]) <= 840
    assert 11_500 <= len(d["teachers"]) <= 12_500
    assert len(d["tl_survey_spring"]) > 500
    assert len(d["teacher_survey_spring"]) >= 2_600
    assert 1_850 <= len(d["teacher_survey_eoy"]) <= 1_950
    assert set(d["organizations"]["setting"]) == {"urban", "suburban", "rural"}


def test_every_teacher_is_in_a_cohort_led_by_an_existing_teacher_leader(d):
    teachers, cohorts, leaders = d["teachers"], d["cohorts"], d["teacher_leaders"]
    assert set(teachers["cohort_id"]) <= set(cohorts["cohort_id"])
    assert set(cohorts["lead_tl_id"]) <= set(leaders["tl_id"])
    assert set(cohorts["co_lead_tl_id"].dropna()) <= set(leaders["tl_id"])
    # Each leader's cohort names them as its lead or co-lead.
    led = cohorts.melt("cohort_id", ["lead_tl_id", "co_lead_tl_id"], value_name="tl_id").dropna()
    pairs = set(zip(led["tl_id"], led["cohort_id"]))
    assert pairs == set(zip(leaders["tl_id"], leaders["cohort_id"]))
    # Enrolment is the number of teachers in the cohort.
    counted = teachers.groupby("cohort_id").size()
    assert (cohorts.set_index("cohort_id")["enrolled"] == counted).all()


def test_cohorts_are_mostly_12_to_15_with_co_led_and_larger_groups(d):
    cohorts = d["cohorts"]
    small = cohorts[cohorts["cohort_type"] == "small cohort"]
    assert small["enrolled"].between(12, 15).all()
    assert len(small) / len(cohorts) > 0.5
    assert cohorts["co_lead_tl_id"].notna().sum() == (cohorts["cohort_type"] == "co-led").sum() > 0
    assert (cohorts.loc[cohorts["cohort_type"] == "site-based group", "enrolled"] > 15).all()


def test_sessions_fall_in_the_school_year_with_attendance_at_most_enrolment(d):
    s = d["sessions"]
    spec = codebook("sessions").column("date")
    assert s["date"].min() >= pd.Timestamp(spec.minimum)
    assert s["date"].max() <= pd.Timestamp(spec.maximum)
    assert (s["date"].dt.dayofweek < 5).all()
    winter_break = s["date"].between("2016-12-19", "2017-01-02")
    assert not winter_break.any()
    assert (s["attended"] <= s["enrolled"]).all()
    assert set(s["cohort_id"]) <= set(d["cohorts"]["cohort_id"])


def test_sessions_follow_the_two_designs(d):
    s = d["sessions"].merge(d["cohorts"][["cohort_id", "design"]], on="cohort_id")
    group = s[s["format"] == "face-to-face"]
    assert set(group.loc[group["design"] == "monthly-co-led", "minutes"]) == {180}
    assert set(group.loc[group["design"] == "biweekly-with-virtual", "minutes"]) <= {90, 120}
    coaching = s[s["format"] == "1:1 coaching"]
    assert set(coaching["design"]) == {"monthly-co-led"}
    assert (coaching["enrolled"] == 1).all()
    # A coached teacher belongs to the cohort of the session, and its leader coached them.
    where = d["teachers"].set_index("teacher_id")["cohort_id"]
    assert (coaching["teacher_id"].map(where) == coaching["cohort_id"]).all()
    leaders = d["teacher_leaders"].set_index("tl_id")["cohort_id"]
    assert (coaching["led_by"].map(leaders) == coaching["cohort_id"]).all()


def test_survey_respondents_exist_once_each_in_their_own_organization(d):
    for survey, people, key in (("tl_survey_spring", "teacher_leaders", "tl_id"),
                                ("teacher_survey_spring", "teachers", "teacher_id"),
                                ("teacher_survey_eoy", "teachers", "teacher_id")):
        answers = d[survey]
        assert answers[key].is_unique
        org_of = d[people].set_index(key)["org_id"].astype(str)
        assert (answers[key].map(org_of) == answers["org_id"].astype(str)).all()


def test_readiness_has_one_row_per_district(d):
    assert sorted(d["district_readiness"]["district_id"]) == sorted(d["districts"]["district_id"])


def test_observation_data_uses_the_rubric_look_fors_and_scale(d):
    rubric = load_rubric("student-led-discussion")
    for name in ("peer_observations", "calibration_reference", "calibration_scores"):
        frame = d[name]
        assert set(rubric.look_for_ids) <= set(frame.columns), name
        values = frame[list(rubric.look_for_ids)].stack().dropna()
        assert set(values) <= set(rubric.levels), name
    scores, ref = d["calibration_scores"], d["calibration_reference"]
    assert set(scores["episode_id"]) == set(ref["episode_id"])
    assert scores.groupby("episode_id")["observer_id"].nunique().min() >= 5
    # Observers observe teachers in the cohort they lead.
    obs = d["peer_observations"]
    cohort_of_teacher = d["teachers"].set_index("teacher_id")["cohort_id"]
    cohort_of_leader = d["teacher_leaders"].set_index("tl_id")["cohort_id"]
    assert (obs["teacher_id"].map(cohort_of_teacher) == obs["observer_id"].map(cohort_of_leader)).all()


def test_names_are_plainly_synthetic_and_answers_carry_no_identifiers(d):
    assert d["organizations"]["org_name"].str.endswith("(synthetic)").all()
    assert d["districts"]["district_name"].str.endswith("(synthetic)").all()
    for name in ("tl_survey_spring", "teacher_survey_spring", "teacher_survey_eoy"):
        text_columns = [c.name for c in codebook(name).columns if c.type == "string"]
        # Only synthetic IDs, each matching its codebook pattern (no names, no e-mails).
        assert all(codebook(name).column(c).pattern for c in text_columns), name
