"""Peer-observation scores on the course's look-for rubric, and calibration practice data.

The look-fors and levels are read from the rubric file the protocols module uses
(content/rubrics/student-led-discussion.yaml), so the data always matches the rubric a group
is practising with. Observers differ the way real ones do: most are close to the reference,
one is lenient, one is severe, one reads a quiet teacher as a facilitating one, and all of
them come closer to the reference in the second round, after talking through the first.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
from tlkit.content.loader import load
from tlkit.data import specs

RUBRIC = "student-led-discussion"
EPISODES_PER_ROUND, OBSERVERS = 6, 10
DISCUSSION_ORGS = ("ORG-03", "ORG-09")   # the social studies organizations
OBSERVED_TEACHERS = 160


def read_rubric(rubric_id: str = RUBRIC) -> tuple[list[str], list[int]]:
    """Look-for ids and the scale's levels, from the rubric file through the content loader."""
    data = load("rubric", rubric_id)
    return [lf["id"] for lf in data["look_fors"]], sorted(int(k) for k in data["scale"])


def _score(values: np.ndarray, levels: list[int]) -> np.ndarray:
    return np.clip(np.rint(values), levels[0], levels[-1]).astype(int)


def build_observations(rng: np.random.Generator, net: dict[str, pd.DataFrame]
                       ) -> dict[str, pd.DataFrame]:
    look_fors, levels = read_rubric()
    top = levels[-1]

    # Reference ("master") scores for 12 practice episodes, two rounds of six.
    episodes = []
    for round_ in (1, 2):
        for _ in range(EPISODES_PER_ROUND):
            quality = rng.uniform(1.3, top - .3)
            scores = _score(quality + rng.normal(0, .6, len(look_fors)), levels)
            episodes.append({"episode_id": f"EP-{len(episodes) + 1:02d}", "round": round_,
                             **dict(zip(look_fors, scores.tolist()))})
    reference = pd.DataFrame(episodes)

    # Observers: (general lean, spread, one look-for they misread).
    traits = []
    for k in range(OBSERVERS):
        lean = {2: .6, 6: -.55}.get(k, rng.normal(0, .15))
        misread = {look_fors[-2]: .9} if k == 8 else {}   # e.g. quiet teacher = stepping back
        traits.append((lean, rng.uniform(.35, .75), misread))
    rows = []
    for ep in episodes:
        tightening = 1.0 if ep["round"] == 1 else .6      # after the first round's debrief
        for k, (lean, spread, misread) in enumerate(traits):
            row = {"episode_id": ep["episode_id"], "round": ep["round"],
                   "observer_id": f"OBS-{k + 1:02d}"}
            for lf in look_fors:
                value = ep[lf] + tightening * (lean + misread.get(lf, 0)) + \
                    rng.normal(0, spread * tightening)
                row[lf] = None if rng.random() < .02 else int(_score(np.array(value), levels))
            rows.append(row)
    scores = pd.DataFrame(rows)

    # Field records: leaders in the discussion-focused organizations observe teachers in their
    # own cohort twice, in the fall and in the spring.
    teachers, cohorts = net["teachers"], net["cohorts"].set_index("cohort_id")
    pool = teachers[teachers["org_id"].isin(DISCUSSION_ORGS)]
    chosen = pool.iloc[np.sort(rng.choice(len(pool), OBSERVED_TEACHERS, replace=False))]
    records = []
    for t in chosen.itertuples(index=False):
        start = rng.normal(1.9, .45)
        observer = cohorts.loc[t.cohort_id, "lead_tl_id"]
        for cycle, (first, growth) in enumerate(((date(2016, 10, 17), 0), (date(2017, 3, 6), .55)),
                                                start=1):
            day = first + timedelta(days=int(rng.integers(0, 5)) + 7 * int(rng.integers(0, 3)))
            marks = _score(start + growth + rng.normal(0, .55, len(look_fors)), levels)
            record = {"org_id": t.org_id, "observer_id": observer, "teacher_id": t.teacher_id,
                      "cycle": cycle, "date": day.isoformat()}
            for lf, mark in zip(look_fors, marks.tolist()):
                record[lf] = None if rng.random() < .03 else mark
            records.append(record)
    field = pd.DataFrame(records).sort_values(["date", "teacher_id"], kind="stable")
    field.insert(0, "observation_id", [f"PO-{i:04d}" for i in range(1, len(field) + 1)])
    for frame in (scores, field):
        for lf in look_fors:
            frame[lf] = frame[lf].astype("Int64")
    return {"calibration_reference": reference, "calibration_scores": scores,
            "peer_observations": field.reset_index(drop=True)}


def codebooks(net: dict[str, pd.DataFrame]) -> dict[str, dict]:
    look_fors, levels = read_rubric()
    low, high = levels[0], levels[-1]

    def marks(meaning: str, missing: bool) -> list[dict]:
        return [specs.integer(lf, low, high, f"Level {low}-{high} for the look-for '{lf}' "
                              f"of the {RUBRIC} rubric. {meaning}", missing=missing)
                for lf in look_fors]

    episode = specs.ident("episode_id", r"^EP-\d{2}$", "Practice episode.")
    round_ = specs.integer("round", 1, 2, "Calibration round: 1 before the group compared "
                           "scores, 2 after talking the first round through.")
    return {
        "calibration_reference": specs.codebook(
            "calibration_reference", "Reference scores for calibration practice (synthetic)",
            "calibration_reference.csv",
            "The agreed reference ('master') scores for 12 practice episodes on the "
            f"{RUBRIC} rubric; look-for columns are read from the rubric file.",
            [specs.ident("episode_id", r"^EP-\d{2}$", "Practice episode.", unique=True), round_,
             *marks("The reference score.", missing=False)],
            row="one episode", rubric=RUBRIC),
        "calibration_scores": specs.codebook(
            "calibration_scores", "Observers' scores of the practice episodes (synthetic)",
            "calibration_scores.csv",
            f"{OBSERVERS} observers each score every episode; compare with "
            "calibration_reference by episode_id. Empty: the observer left it blank.",
            [episode, round_,
             specs.ident("observer_id", r"^OBS-\d{2}$", "Synthetic observer ID."),
             *marks("The observer's score; empty if left blank.", missing=True)],
            row="one observer's scores of one episode", rubric=RUBRIC),
        "peer_observations": specs.codebook(
            "peer_observations", "Peer observations of student-led discussion (synthetic)",
            "peer_observations.csv",
            "Teacher leaders in the two social studies organizations observe each teacher in "
            "their cohort in the fall (cycle 1) and the spring (cycle 2). Non-evaluative: the "
            "scores start a coaching conversation.",
            [specs.ident("observation_id", r"^PO-\d{4}$", "Synthetic ID.", unique=True),
             specs.category("org_id", DISCUSSION_ORGS, "Partner organization."),
             specs.ident("observer_id", r"^TL-\d{4}$", "Observing teacher leader.",
                         references="teacher_leaders.tl_id"),
             specs.ident("teacher_id", r"^T-\d{5}$", "Observed teacher.",
                         references="teachers.teacher_id"),
             specs.integer("cycle", 1, 2, "1: fall observation; 2: spring observation."),
             specs.date("date", "2016-08-15", "2017-06-16", "Day of the observation."),
             *marks("Empty if the observer did not see enough to score it.", missing=True)],
            row="one observation", rubric=RUBRIC),
    }
