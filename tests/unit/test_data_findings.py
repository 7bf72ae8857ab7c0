"""The published headline figures and the documented differences come out of plain pandas.

Each computation is the one datasets/README.md tells a learner to do.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tlkit.data import load
from tlkit.practice.observation import load_rubric

# Spring 2017 teacher-leader survey (WestEd, Teacher Practice Networks): 91% and 93%.
PUBLISHED = {"q_confident_standards": (91, ["More confident", "Much more confident"]),
             "q_find_materials": (93, ["Agree", "Strongly agree"])}


@pytest.mark.parametrize("column", sorted(PUBLISHED))
def test_headline_figure_within_one_point(column):
    target, counted = PUBLISHED[column]
    answered = load("tl_survey_spring")[column].dropna()     # missing answers left out
    percent = 100 * answered.isin(counted).sum() / len(answered)
    assert abs(percent - target) <= 1
    # The ordered scale gives the same count as listing the answers.
    assert (answered >= counted[0]).sum() == answered.isin(counted).sum()


def percent_agree(frame: pd.DataFrame, column: str, by: str) -> pd.Series:
    answered = frame[frame[column].notna()]
    return answered.groupby(by, observed=True)[column].apply(
        lambda s: 100 * (s >= "Agree").mean())


def test_rural_cohorts_spend_a_larger_share_of_minutes_online():
    s = load("sessions")
    share = pd.crosstab(s["setting"], s["format"], values=s["minutes"], aggfunc="sum",
                        normalize="index")["virtual"]
    assert share["rural"] > 1.5 * share["urban"]
    assert share["rural"] > 1.5 * share["suburban"]


def test_one_organizations_teachers_rate_coaching_higher():
    agree = percent_agree(load("teacher_survey_eoy"), "q_coaching_helped", "org_id")
    assert agree.idxmax() == "ORG-13"
    assert agree["ORG-13"] - agree.drop("ORG-13").max() >= 10


def test_site_based_groups_attend_face_to_face_sessions_less():
    s = load("sessions")
    f2f = s[s["format"] == "face-to-face"].groupby("cohort_type", observed=True)[
        ["attended", "enrolled"]].sum()
    rate = f2f["attended"] / f2f["enrolled"]
    assert rate["site-based group"] < rate["small cohort"] - 0.08
    assert rate["site-based group"] < rate["co-led"] - 0.08


def test_rural_teacher_leaders_report_less_protected_time():
    agree = percent_agree(load("tl_survey_spring"), "q_protected_time", "setting")
    assert agree["rural"] < agree["urban"] - 15
    assert agree["rural"] < agree["suburban"] - 15


def test_observed_practice_and_calibration_improve_in_the_second_round():
    obs = load("peer_observations")
    look_fors = list(load_rubric("student-led-discussion").look_for_ids)
    means = obs.groupby("cycle")[look_fors].mean()
    assert (means.loc[2] - means.loc[1] > 0.25).all()

    scores, ref = load("calibration_scores"), load("calibration_reference")
    both = scores.merge(ref, on=["episode_id", "round"], suffixes=("", "_ref"))
    # A blank score counts as no agreement.
    exact = {r: pd.concat([g[c].eq(g[f"{c}_ref"]).fillna(False) for c in look_fors]).mean()
             for r, g in both.groupby("round")}
    assert exact[2] > exact[1] + 0.1
