"""The course's evaluation at Guskey's levels of professional-development evaluation, per cohort
and across cohorts, each figure with its instrument and n, every people-level figure through
the kit's small-cell suppression (tlkit.data.suppression).

- Reactions: the live sessions' exit tickets (how useful, one thing to try).
- Learning: the self-assessment at the start and the end (change per domain), each module's
  graded result, and the checked activities at the first try and as handed in.
- Organisational support: the school-conditions readiness check at two times (change per area).
- Use of new practice: the follow-up survey (content/instruments/follow-up.yaml) and peer
  observations over time, where a network keeps them.
- Student outcomes are beyond the kit's data: STUDENT_OUTCOMES says so and where to go.

A cohort's row is hidden when fewer than the threshold of people stand behind it; when exactly
one cohort is hidden, the smallest shown cohort is hidden too, so the "All cohorts" row cannot
give the hidden one away.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from tlkit.content.loader import load
from tlkit.data.suppression import COMPLEMENT_REASON, DEFAULT_THRESHOLD, suppress_groups

ALL = "All cohorts"
STUDENT_OUTCOMES = (
    "Student outcomes (Guskey's fifth level) are beyond what the kit collects: it holds no "
    "student results. Work with your district's own data the way the data-use module does: "
    "agree the question and the measure before the course starts, keep small groups hidden, "
    "and compare the classrooms of teachers the teacher leaders worked with over time.")
LEVELS = (("reactions", "Reactions", "Did they find the sessions useful?"),
          ("learning", "Learning", "Did they learn what the course sets out to teach?"),
          ("support", "Organisational support", "Did their schools' conditions for teacher "
                                                "leadership change?"),
          ("practice", "Use of new practice", "Are they using what they learned?"))


@dataclass
class Part:
    title: str
    instrument: str
    headline: str              # a sentence with the headline percentage, or why there is none
    percent: float | None      # the headline figure across cohorts (None: not shown)
    n: int | None              # people behind it (None: hidden or no data)
    table: pd.DataFrame        # cohorts (and ALL) by n and measures, hidden cells marked
    hidden: list[str]          # what was hidden and why, in sentences
    chart_title: str = ""
    chart: list[tuple[str, float]] = field(default_factory=list)   # label, value (ALL)
    chart_unit: str = "%"
    notes: list[str] = field(default_factory=list)


@dataclass
class Level:
    key: str
    title: str
    question: str
    parts: list[Part]


def _by_cohort(rows: pd.DataFrame, values: list[str], agg: str,
               threshold: int, decimals: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """Per cohort and for all cohorts together: n and each value, hidden where too few."""
    per = suppress_groups(rows, "cohort", values, agg=agg, threshold=threshold,
                          decimals=decimals)
    whole = suppress_groups(rows.assign(cohort=ALL), "cohort", values, agg=agg,
                            threshold=threshold, decimals=decimals)
    display, mask = per.display.copy(), per.mask.copy()
    hidden = []
    for cohort in display.index[mask["n"]]:
        hidden.append(f"{cohort}: fewer than {threshold} people answered, so its row is hidden.")
    shown = [c for c in display.index if not mask.at[c, "n"]]
    if len(hidden) == 1 and shown and not whole.mask.iloc[0]["n"]:
        smallest = min(shown, key=lambda c: int(per.display.at[c, "n"]))
        display.loc[smallest] = "—"
        mask.loc[smallest] = True
        hidden.append(f"{smallest}: {COMPLEMENT_REASON.lower()} (its row is hidden too).")
    for cohort in display.index:
        if not mask.at[cohort, "n"]:
            for column in values:
                if mask.at[cohort, column]:
                    hidden.append(f"{cohort}, {column}: fewer than {threshold} answers, so it "
                                  "is hidden.")
    for column in values:
        if whole.mask.iloc[0][column] and not whole.mask.iloc[0]["n"]:
            hidden.append(f"{ALL}, {column}: fewer than {threshold} answers, so it is hidden.")
    table = pd.concat([display, whole.display.set_axis([ALL])])
    table.index.name = "cohort"
    return table, hidden


def _headline(table: pd.DataFrame, column: str) -> tuple[float | None, int | None]:
    value, n = table.at[ALL, column], table.at[ALL, "n"]
    if isinstance(value, (int, float)) and not isinstance(n, str) and not pd.isna(value):
        return float(value), int(n)
    return None, None


def _no_data(title: str, instrument: str, what: str) -> Part:
    return Part(title, instrument, f"No {what} yet.", None, None, pd.DataFrame(), [])


def reactions(exits: pd.DataFrame | None, threshold: int = DEFAULT_THRESHOLD) -> Part:
    instrument = "Live sessions' exit tickets (how useful, 1 to 5; one thing to try)"
    if exits is None or exits.empty:
        return _no_data("Exit tickets", instrument, "exit tickets")
    rows = pd.DataFrame({"cohort": exits["cohort"],
                         "% very or extremely useful": exits["useful"] >= 4,
                         "% named one thing to try": exits["tried"].astype(bool)})
    table, hidden = _by_cohort(rows, list(rows.columns[1:]), "percent", threshold, 0)
    percent, n = _headline(table, "% very or extremely useful")
    sessions = exits["session"].nunique()
    headline = (f"{percent:.0f}% of exit tickets rated the session very or extremely useful "
                f"(n = {n} tickets from {sessions} session{'s' if sessions != 1 else ''})." if percent is not None else
                "Too few exit tickets to show a figure.")
    per_session = (pd.DataFrame({"session": exits["session"], "v": exits["useful"] >= 4})
                   .groupby("session", sort=False)["v"].agg(["mean", "size"]))
    chart = [(s, round(100 * r["mean"], 0)) for s, r in per_session.iterrows()
             if r["size"] >= threshold]
    return Part("Exit tickets", instrument, headline, percent, n, table, hidden,
                "Very or extremely useful, by session (all cohorts)", chart)


def _domain_means(ratings: pd.DataFrame, key: str, groups: dict[str, str]) -> pd.DataFrame:
    """Per learner and time, the mean rating in each group of items."""
    rated = ratings.assign(group=ratings[key].map(groups)).dropna(subset=["group"])
    return rated.pivot_table(index=["cohort", "learner", "time"], columns="group",
                             values="rating", aggfunc="mean")


def _change(ratings: pd.DataFrame, key: str, groups: dict[str, str], names: dict[str, str],
            first, last) -> pd.DataFrame:
    means = _domain_means(ratings, key, groups)
    times = means.index.get_level_values("time")
    start = means[times == first].droplevel("time")
    end = means[times == last].droplevel("time")
    both = start.index.intersection(end.index)
    change = (end.loc[both] - start.loc[both])
    overall = (ratings.groupby(["cohort", "learner", "time"])["rating"].mean().unstack("time"))
    rose = (overall[last] > overall[first]).reindex(both)
    out = change.rename(columns=names).reset_index()
    out["% rated higher overall"] = rose.to_numpy()
    return out.drop(columns="learner")


def checked_activities(results: pd.DataFrame | None,
                       threshold: int = DEFAULT_THRESHOLD) -> Part:
    instrument = ("Checked activities in each module: the answers when first checked, and as "
                  "handed in (percent right)")
    if results is None or results.empty:
        return _no_data("Checked activities, first try and final", instrument,
                        "checked activities handed in")
    per = results.groupby(["cohort", "learner"])[["first_percent", "final_percent"]].mean()
    per = per.reset_index().rename(columns={"first_percent": "mean first try %",
                                            "final_percent": "mean final %"})
    per["% improved on a first try"] = (per["mean final %"] > per["mean first try %"]).to_numpy()
    table, hidden = _by_cohort(per[["cohort", "mean first try %", "mean final %"]],
                               ["mean first try %", "mean final %"], "mean", threshold, 0)
    better, _ = _by_cohort(per[["cohort", "% improved on a first try"]],
                           ["% improved on a first try"], "percent", threshold, 0)
    table["% improved on a first try"] = better["% improved on a first try"]
    first, n = _headline(table, "mean first try %")
    final, _ = _headline(table, "mean final %")
    headline = (f"Checked activities: {first:.0f}% right at the first try, {final:.0f}% in the "
                f"answers handed in (n = {n} learners)." if first is not None and final is not None
                else "Too few learners with checked activities to show a figure.")
    by_module = results.groupby("module", sort=False).agg(
        first=("first_percent", "mean"), final=("final_percent", "mean"),
        n=("learner", "nunique"))
    chart = [(m, round(float(r["final"] - r["first"]), 0)) for m, r in by_module.iterrows()
             if r["n"] >= threshold]
    return Part("Checked activities, first try and final", instrument, headline, final, n,
                table, hidden, "Final minus first try, by module (percentage points)", chart,
                " points")


def learning(ratings: pd.DataFrame | None, results: pd.DataFrame | None,
             threshold: int = DEFAULT_THRESHOLD,
             activities: pd.DataFrame | None = None) -> list[Part]:
    sa = load("self-assessment", "teacher-leader")
    instrument = f"{sa['title']}, at the start and the end of the course (1 to 5)"
    parts = []
    if ratings is None or ratings.empty:
        parts.append(_no_data("Self-assessment", instrument, "self-assessments"))
    else:
        groups = {item["id"]: item["domain"] for item in sa["items"]}
        names = {d["id"]: f"{d['name']} (change)" for d in sa["domains"]}
        change = _change(ratings, "item", groups, names, "start", "end")
        domains = [c for c in change.columns if c.endswith("(change)")]
        table, hidden = _by_cohort(change[["cohort", *domains]], domains, "mean", threshold, 2)
        rose, _ = _by_cohort(change[["cohort", "% rated higher overall"]],
                             ["% rated higher overall"], "percent", threshold, 0)
        table["% rated higher overall"] = rose["% rated higher overall"]
        percent, n = _headline(table, "% rated higher overall")
        headline = (f"{percent:.0f}% of learners rated themselves higher at the end than at "
                    f"the start (n = {n} learners with both ratings)." if percent is not None
                    else "Too few learners with both ratings to show a figure.")
        chart = [(c.removesuffix(" (change)"), float(table.at[ALL, c])) for c in domains
                 if not isinstance(table.at[ALL, c], str)]
        parts.append(Part("Self-assessment", instrument, headline, percent, n, table, hidden,
                          "Mean change per domain, in scale points (all cohorts)", chart,
                          " points"))
    instrument = "Checked activities and reflections, graded per module (final result)"
    if results is None or results.empty:
        parts.append(_no_data("Module results", instrument, "graded modules"))
    else:
        per_learner = results.groupby(["cohort", "learner"])["final_percent"].mean().reset_index()
        per_learner = per_learner.rename(columns={"final_percent": "mean final %"})
        table, hidden = _by_cohort(per_learner[["cohort", "mean final %"]], ["mean final %"],
                                   "mean", threshold, 0)
        percent, n = _headline(table, "mean final %")
        headline = (f"Learners scored {percent:.0f}% on average on the graded modules "
                    f"(n = {n} learners)." if percent is not None else
                    "Too few graded learners to show a figure.")
        per_module = results.groupby("module", sort=False)["final_percent"].agg(["mean", "size"])
        chart = [(m, round(r["mean"], 0)) for m, r in per_module.iterrows()
                 if r["size"] >= threshold]
        parts.append(Part("Module results", instrument, headline, percent, n, table, hidden,
                          "Mean final result by module (all cohorts)", chart, notes=[
                              "The graded result counts checked activities and reflections "
                              "together; the checked activities' first tries are below."]))
    parts.append(checked_activities(activities, threshold))
    return parts


def support(ratings: pd.DataFrame | None, threshold: int = DEFAULT_THRESHOLD) -> Part:
    tool = load("readiness", "school-conditions")
    instrument = (f"{tool['title']} (readiness check of the conditions module), rated at two "
                  "times (1 to 4)")
    if ratings is None or ratings.empty:
        return _no_data("School conditions", instrument, "readiness checks at two times")
    groups = {c["id"]: c["area"] for c in tool["conditions"]}
    names = {a["id"]: f"{a['name']} (change)" for a in tool["areas"]}
    change = _change(ratings, "condition", groups, names, 1, 2)
    areas = [c for c in change.columns if c.endswith("(change)")]
    table, hidden = _by_cohort(change[["cohort", *areas]], areas, "mean", threshold, 2)
    rose, _ = _by_cohort(change[["cohort", "% rated higher overall"]],
                         ["% rated higher overall"], "percent", threshold, 0)
    table["% rated conditions higher"] = rose["% rated higher overall"]
    percent, n = _headline(table, "% rated conditions higher")
    headline = (f"{percent:.0f}% of learners rated their school's conditions higher the second "
                f"time (n = {n} learners with both checks)." if percent is not None else
                "Too few learners with both checks to show a figure.")
    chart = [(c.removesuffix(" (change)"), float(table.at[ALL, c])) for c in areas
             if not isinstance(table.at[ALL, c], str)]
    return Part("School conditions", instrument, headline, percent, n, table, hidden,
                "Mean change per area, in scale points (all cohorts)", chart, " points")


def practice(follow_up: pd.DataFrame | None, observations: pd.DataFrame | None,
             threshold: int = DEFAULT_THRESHOLD) -> list[Part]:
    survey = load("instrument", "follow-up")
    instrument = (f"{survey['title']} (follow-up survey, about {survey.get('weeks_after', 8)} "
                  "weeks after the course)")
    using = set(survey["scale"][-survey["positive"]:])
    parts = []
    if follow_up is None or follow_up.empty:
        parts.append(_no_data("Follow-up survey", instrument, "follow-up responses"))
    else:
        rows = pd.DataFrame({"cohort": follow_up["cohort"]})
        for item in survey["items"]:
            answers = follow_up[item["id"]].fillna("")
            rows[f"% {item.get('short', item['id'])}"] = answers.map(
                lambda a: None if a == "" else a in using)
        needed = math.ceil(len(survey["items"]) / 2)
        items = list(rows.columns[1:])
        rows["% doing half or more"] = rows[items].fillna(False).sum(axis=1) >= needed
        values = ["% doing half or more", *items]
        table, hidden = _by_cohort(rows[["cohort", *values]], values, "percent", threshold, 0)
        percent, n = _headline(table, "% doing half or more")
        scale_words = " or ".join(f"'{w}'" for w in survey["scale"][-survey["positive"]:])
        headline = (f"{percent:.0f}% of respondents were doing at least {needed} of the "
                    f"{len(items)} practices ({scale_words}) (n = {n} respondents)."
                    if percent is not None else "Too few responses to show a figure.")
        chart = [(c.removeprefix("% "), float(table.at[ALL, c])) for c in items
                 if not isinstance(table.at[ALL, c], str)]
        parts.append(Part("Follow-up survey", instrument, headline, percent, n, table, hidden,
                          "Doing it, by practice (all cohorts)", chart))
    instrument = "Peer observations with the look-fors, first and second cycle (1 to 4)"
    if observations is None or observations.empty:
        parts.append(_no_data("Peer observations", instrument, "peer observations over time "
                              "(the network keeps none)"))
        return parts
    means = observations.groupby(["cohort", "teacher", "cycle"])["score"].mean().unstack("cycle")
    cycles = sorted(means.columns)
    both = means.dropna(subset=[cycles[0], cycles[-1]]) if len(cycles) > 1 else means.iloc[0:0]
    change = pd.DataFrame({"cohort": both.index.get_level_values("cohort"),
                           "mean change (points)": (both[cycles[-1]] - both[cycles[0]]).to_numpy(),
                           "% observed higher": (both[cycles[-1]] > both[cycles[0]]).to_numpy()})
    if change.empty:
        parts.append(_no_data("Peer observations", instrument, "teachers observed twice"))
        return parts
    table, hidden = _by_cohort(change[["cohort", "mean change (points)"]],
                               ["mean change (points)"], "mean", threshold, 2)
    higher, _ = _by_cohort(change[["cohort", "% observed higher"]], ["% observed higher"],
                           "percent", threshold, 0)
    table["% observed higher"] = higher["% observed higher"]
    percent, n = _headline(table, "% observed higher")
    headline = (f"{percent:.0f}% of teachers observed twice scored higher the second time "
                f"(n = {n} teachers)." if percent is not None else
                "Too few teachers observed twice to show a figure.")
    per_look = observations.pivot_table(index="look_for", columns="cycle", values="score",
                                        aggfunc="mean")
    chart = [(lf, round(float(r[cycles[-1]] - r[cycles[0]]), 2)) for lf, r in per_look.iterrows()]
    shown = sorted(c for c in table.index if c != ALL)
    parts.append(Part("Peer observations", instrument, headline, percent, n, table, hidden,
                      "Mean change per look-for, in rubric points", chart, " points",
                      [f"Kept by {len(shown)} cohort{'s' if len(shown) != 1 else ''}: "
                       f"{', '.join(shown)}."]))
    return parts


def evaluate(tables: dict[str, pd.DataFrame], threshold: int = DEFAULT_THRESHOLD) -> list[Level]:
    """The four levels from the evaluation's tables (tlkit.evaluation.inputs)."""
    get = tables.get
    found = {"reactions": [reactions(get("exit_tickets"), threshold)],
             "learning": learning(get("self_assessment"), get("module_results"), threshold,
                                  get("activity_results")),
             "support": [support(get("readiness"), threshold)],
             "practice": practice(get("follow_up"), get("observations"), threshold)}
    return [Level(key, title, question, found[key]) for key, title, question in LEVELS]


def observations_from_dataset(frame: pd.DataFrame, look_fors: list[str]) -> pd.DataFrame:
    """The network's peer_observations dataset as the evaluation's observations table."""
    tidy = frame.melt(id_vars=["org_id", "teacher_id", "cycle"], value_vars=look_fors,
                      var_name="look_for", value_name="score").dropna(subset=["score"])
    return tidy.rename(columns={"org_id": "cohort", "teacher_id": "teacher"}).assign(
        cohort=lambda t: t["cohort"].astype(str), score=lambda t: t["score"].astype(float))
