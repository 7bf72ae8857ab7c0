"""How long one survey-explorer interaction takes on the full network data, next to plain
pandas doing the same aggregation.

    .venv/bin/python benchmarks/explorer.py

One interaction = one view (distribution, percent agree or change) of one question by one
grouping, with small groups hidden: what the explorer computes each time a menu changes.
Plain pandas = a groupby/value_counts over the same rows giving the same counts and percents
(no suppression). Drawing the chart (matplotlib, PNG) is timed on its own line. Besides the
surveys as generated (512 + 2,613 + 1,921 responses), a scaled run gives every one of the
12,045 teachers an answer (drawn with replacement). Times are medians; shared machines are
noisy, so read the ratios. The issue's bar: each interaction <= 50 ms and <= 2x plain pandas.
This prints figures only: it asserts nothing.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from timing import median_seconds

from tlkit.charts import to_png
from tlkit.data import codebook, load
from tlkit.explore import explore, network_surveys, survey_from_frame
from tlkit.explore.charts import figure

REPEAT = 15
CASES = (  # survey, question, grouping, view
    ("tl_survey_spring", "q_confident_standards", "org", "percent"),
    ("tl_survey_spring", "q_protected_time", "setting", "distribution"),
    ("teacher_survey_eoy", "q_coaching_helped", "org", "percent"),
    ("teacher_survey_eoy", "q_coaching_helped", "content", "distribution"),
    ("teacher_survey_spring", "q_confident_standards", "cohort", "change"),
)


def plain(frames: dict[str, pd.DataFrame], survey: str, column: str, group: str, view: str):
    """The same counts and percents with plain pandas on a joined frame."""
    def one(frame, col):
        counts = frame.groupby(group, observed=True)[col].value_counts().unstack(fill_value=0)
        answered = counts.sum(axis=1)
        top = counts.iloc[:, -2:].sum(axis=1)
        table = counts.div(answered, axis=0).mul(100).round(1)
        table["answered"], table["pct"] = answered, (top / answered * 100).round(1)
        return table
    if view == "change":
        return (one(frames["teacher_survey_spring"], "q_confident_standards"),
                one(frames["teacher_survey_eoy"], "q_confident_using_standards"))
    return one(frames[survey], column)


GROUP_COLUMN = {"org": "org_id", "setting": "setting", "content": "content_focus",
                "cohort": "cohort_type"}


def joined_frames() -> dict[str, pd.DataFrame]:
    orgs = load("organizations").set_index("org_id")["content_focus"].astype(object)
    leaders = load("teacher_leaders").set_index("tl_id")
    kinds = load("cohorts").set_index("cohort_id")["cohort_type"].astype(object)
    frames = {}
    for name in ("tl_survey_spring", "teacher_survey_spring", "teacher_survey_eoy"):
        frame = load(name)
        frame["content_focus"] = frame["org_id"].astype(object).map(orgs)
        if "tl_id" in frame:
            frame["cohort_type"] = frame["tl_id"].astype(object).map(
                leaders["cohort_id"].astype(object)).map(kinds)
        frames[name] = frame
    return frames


def scaled(frames, rows: int, seed: int = 2017):
    """Every teacher answers: each survey resampled to `rows` responses."""
    rng = np.random.default_rng(seed)
    out = {}
    for name, frame in frames.items():
        out[name] = frame.iloc[rng.integers(0, len(frame), rows)].reset_index(drop=True)
    surveys = {}
    for name, frame in out.items():
        groups = {g: frame[c].reset_index(drop=True) for g, c in GROUP_COLUMN.items()
                  if c in frame}
        surveys[name] = survey_from_frame(name, name, frame, codebook(name), groups)
    return out, surveys


def report(label: str, frames, surveys) -> None:
    print(f"\n{label}")
    print(f"{'interaction':62} {'kit ms':>7} {'pandas ms':>9} {'ratio':>6}")
    for survey, column, group, view in CASES:
        if group not in surveys[survey].groupings:
            continue
        kit = median_seconds(lambda: explore(surveys, survey, column, group, view), REPEAT) * 1000
        base = median_seconds(lambda: plain(frames, survey, column, GROUP_COLUMN[group], view), REPEAT) * 1000
        name = f"{view}: {survey}.{column} by {group}"
        print(f"{name:62} {kit:7.1f} {base:9.1f} {kit / base:6.2f}")


def main() -> None:
    start = time.perf_counter()
    network_surveys.cache_clear()
    surveys = network_surveys()
    print(f"preparing the three surveys once per kernel (load + join): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")
    frames = joined_frames()
    report("The surveys as generated (512 + 2,613 + 1,921 responses)", frames, surveys)
    big_frames, big_surveys = scaled(frames, 12045)
    report("Scaled: 12,045 responses in each survey", big_frames, big_surveys)
    result = explore(surveys, *CASES[3])
    draw = median_seconds(lambda: to_png(figure(result)), 5) * 1000
    print(f"\ndrawing one chart (matplotlib figure + PNG), not part of the computation: "
          f"{draw:.0f} ms")


if __name__ == "__main__":
    main()
