"""Synthetic evaluation data for a network's cohorts of the course: exit tickets, the
self-assessment at the start and the end, module results, checked activities at the first try
and as handed in, the school-conditions readiness
check at two times and the follow-up survey, for the ~800 teacher leaders of the synthetic
network (one cohort per partner organisation). Seeded: the same seed gives the same tables.

Kept in memory (tests, `tlkit course evaluate --demo` and the evaluation page's demo), not in
datasets/: it is drawn from the network's teacher leaders, and is re-drawn the same each time.
The differences are built in so a reader can find them: learning grows most in the domains
rated lowest at the start, one organisation's readiness barely moves, and one organisation's
follow-up is answered by too few people to show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tlkit.content.loader import load

DEFAULT_SEED = 2017
FEW_ANSWER = "ORG-06"       # its follow-up answered by a handful: hidden in the report
STALLED = "ORG-10"          # its schools' conditions barely change


def _clip(values, low: int, high: int) -> np.ndarray:
    return np.clip(np.rint(values), low, high).astype(int)


def build(modules: list[str], seed: int = DEFAULT_SEED,
          learners: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The evaluation tables (see tlkit.evaluation.inputs.TABLES for their columns).
    modules: the course's module ids, in order; learners: tl_id and org_id (default: the
    network's teacher leaders)."""
    if learners is None:
        from tlkit.data import load as load_dataset
        learners = load_dataset("teacher_leaders")[["tl_id", "org_id"]]
    rng = np.random.default_rng(seed)
    people = pd.DataFrame({"learner": learners["tl_id"].astype(str).to_numpy(),
                           "cohort": learners["org_id"].astype(str).to_numpy()})
    n = len(people)
    cohorts = sorted(people["cohort"].unique())
    lean = dict(zip(cohorts, rng.normal(0, .25, len(cohorts))))
    people["lean"] = people["cohort"].map(lean).astype(float) + rng.normal(0, .4, n)

    parts = []
    for module in modules:
        answered = (rng.random(n) < .88) & (rng.random(n) < .8)   # came, then answered
        parts.append(pd.DataFrame({
            "cohort": people["cohort"], "session": module,
            "useful": _clip(3.9 + people["lean"].to_numpy() + rng.normal(0, .8, n), 1, 5),
            "tried": rng.random(n) < .7})[answered])
    exit_tickets = pd.concat(parts, ignore_index=True)

    sa = load("self-assessment", "teacher-leader")
    items = [(item["id"], d) for d in (x["id"] for x in sa["domains"])
             for item in sa["items"] if item["domain"] == d]
    start_level = {d["id"]: 2.2 + .35 * k for k, d in enumerate(sa["domains"])}
    finished = rng.random(n) < .9
    grows = rng.normal(.25, .45, n)         # some learners grow, some not at all
    parts = []
    for item, domain in items:
        first = start_level[domain] + people["lean"].to_numpy() * .3 + rng.normal(0, .6, n)
        gain = grows + .35 - .25 * (start_level[domain] - 2.2) + rng.normal(0, .5, n)
        for time, values, keep in (("start", first, slice(None)), ("end", first + gain,
                                                                   finished)):
            parts.append(pd.DataFrame({"cohort": people["cohort"], "learner": people["learner"],
                                       "time": time, "item": item,
                                       "rating": _clip(values, 1, 5)})[keep])
    self_assessment = pd.concat(parts, ignore_index=True)

    parts = []
    for module in modules:
        done = finished & (rng.random(n) < .95)
        final = np.clip(82 + 8 * people["lean"].to_numpy() + rng.normal(0, 9, n), 0, 100)
        parts.append(pd.DataFrame({"cohort": people["cohort"], "learner": people["learner"],
                                   "module": module, "final_percent": final.round(0)})[done])
    module_results = pd.concat(parts, ignore_index=True)
    parts = []
    for module in modules:
        done = finished & (rng.random(n) < .95)
        first = np.clip(62 + 8 * people["lean"].to_numpy() + rng.normal(0, 14, n), 0, 100)
        final = np.clip(first + rng.normal(12, 10, n), 0, 100)
        parts.append(pd.DataFrame({"cohort": people["cohort"], "learner": people["learner"],
                                   "module": module, "first_percent": first.round(0),
                                   "final_percent": final.round(0)})[done])
    activity_results = pd.concat(parts, ignore_index=True)

    tool = load("readiness", "school-conditions")
    levels = 4          # the readiness scale: Not yet in place ... Fully in place
    parts = []
    again = rng.random(n) < .75
    change = np.where(people["cohort"] == STALLED, rng.normal(0, .25, n), rng.normal(.3, .5, n))
    for condition in (c["id"] for c in tool["conditions"]):
        first = 2.0 + rng.normal(0, .7, n)
        moved = change + rng.normal(0, .45, n)
        for time, values, keep in ((1, first, slice(None)), (2, first + moved, again)):
            parts.append(pd.DataFrame({"cohort": people["cohort"], "learner": people["learner"],
                                       "time": time, "condition": condition,
                                       "rating": _clip(values, 1, levels)})[keep])
    readiness = pd.concat(parts, ignore_index=True)

    survey = load("instrument", "follow-up")
    scale = survey["scale"]
    answers = np.where(people["cohort"] == FEW_ANSWER, .2, .62)
    responded = rng.random(n) < answers
    use = {item["id"]: rng.normal(0, .5) for item in survey["items"]}
    rows = []
    for i in np.flatnonzero(responded):
        row = {"cohort": people.at[i, "cohort"], "learner": people.at[i, "learner"],
               "weeks_after": int(survey.get("weeks_after", 8) + rng.integers(-1, 3))}
        for item, shift in use.items():
            level = _clip(1.7 + shift + people.at[i, "lean"] + rng.normal(0, .9), 0,
                          len(scale) - 1)
            row[item] = scale[int(level)] if rng.random() > .04 else ""   # a few left blank
        rows.append(row)
    follow_up = pd.DataFrame(rows, columns=["cohort", "learner", "weeks_after",
                                            *[item["id"] for item in survey["items"]]])
    return {"exit_tickets": exit_tickets, "self_assessment": self_assessment,
            "module_results": module_results, "activity_results": activity_results,
            "readiness": readiness, "follow_up": follow_up}
