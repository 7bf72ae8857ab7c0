"""Survey results by group, the way a data meeting needs them: the full answer distribution,
the percent in the top answers beside it, and the change from one survey to the next, with
groups of fewer than 10 people hidden (and the reason said) before anything is shown.

A survey is prepared once (answers turned into small integer codes, groupings joined from the
network's tables); each view is then a count over those codes, so a change of item, grouping
or view costs a few milliseconds (benchmarks/explorer.py prints the figures).

Likert answers are ordinal: every view counts people per answer, none averages answer numbers
(Boone & Boone, 2012, Journal of Extension 50(2)). Missing answers are left out of every
denominator, and the table says how many there were.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from tlkit.data.csv_text import write_frame, write_rows
from tlkit.data.suppression import (COMPLEMENT_REASON, DEFAULT_THRESHOLD, primary_reason,
                                    suppress_counts)

# id -> (label shown in menus and tables, the column a prepared survey holds it in)
GROUPINGS = {
    "org": "Organization",
    "role": "Role",
    "setting": "School setting",
    "content": "Content area",
    "cohort": "Cohort type",
    "everyone": "Everyone (no grouping)",
}
VIEWS = {
    "distribution": "Stacked distribution",
    "percent": "Percent agree",
    "change": "Change: spring to end of year",
}
ALL = "All"
SURVEY_TITLES = {
    "tl_survey_spring": "Teacher leaders, spring 2017",
    "teacher_survey_spring": "Teachers, spring 2017",
    "teacher_survey_eoy": "Teachers, end of year 2017",
}
LINKS = "spring-to-eoy"


class ExploreError(ValueError):
    """A choice the explorer cannot show; the message says why and what to choose instead."""


@dataclass(frozen=True)
class Item:
    column: str
    question: str
    levels: tuple[str, ...]
    positive: tuple[str, ...]           # the top answers that count as "agree"
    codes: np.ndarray                   # one per respondent: index into levels, -1 = no answer


@dataclass(frozen=True)
class Grouping:
    id: str
    labels: tuple[str, ...]
    codes: np.ndarray                   # one per respondent: index into labels, -1 = unknown


@dataclass(frozen=True)
class Survey:
    name: str
    title: str
    rows: int
    items: dict[str, Item]
    groupings: dict[str, Grouping]

    def item(self, column: str) -> Item:
        if column not in self.items:
            raise ExploreError(f"The survey '{self.title}' has no question {column!r}. "
                               f"Choose one of: {', '.join(self.items)}.")
        return self.items[column]

    def grouping(self, grouping: str) -> Grouping:
        if grouping not in self.groupings:
            have = ", ".join(GROUPINGS.get(g, g).lower() for g in self.groupings) or "none"
            raise ExploreError(f"The survey '{self.title}' cannot be grouped by "
                               f"{GROUPINGS.get(grouping, grouping).lower()}: it does not "
                               f"record it. Groupings it has: {have}.")
        return self.groupings[grouping]


def _codes(values: pd.Series, labels) -> np.ndarray:
    cat = pd.Categorical(values.astype(object).where(values.notna(), None), categories=list(labels))
    return np.asarray(cat.codes, dtype=np.int64)


def survey_from_frame(name: str, title: str, frame: pd.DataFrame, book,
                      groups: dict[str, pd.Series] | None = None) -> Survey:
    """A Survey from answers checked against codebook `book` (tlkit.data.codebooks.Codebook).

    Every likert column of the codebook present in `frame` becomes an item; `groups` maps a
    grouping id to one value per row (default: the org_id, setting and cohort_type columns
    when the frame has them).
    """
    from tlkit.data.scales import positive

    tops = positive()
    items = {}
    for spec in book.columns:
        if spec.type != "likert" or spec.name not in frame.columns:
            continue
        top = tops.get(spec.scale, spec.levels[-2:]) if spec.scale else spec.levels[-2:]
        items[spec.name] = Item(spec.name, spec.question or spec.name, tuple(spec.levels),
                                tuple(top), _codes(frame[spec.name], spec.levels))
    if groups is None:
        groups = {g: frame[c] for g, c in (("org", "org_id"), ("setting", "setting"),
                                           ("cohort", "cohort_type")) if c in frame.columns}
    groups = {**groups, "everyone": pd.Series(["All respondents"] * len(frame))}
    groupings = {}
    for gid, values in groups.items():
        values = pd.Series(values).reset_index(drop=True)
        if isinstance(values.dtype, pd.CategoricalDtype):
            labels = [str(c) for c in values.cat.categories]
        else:
            labels = sorted({str(v) for v in values.dropna()})
        if not labels:
            continue
        groupings[gid] = Grouping(gid, tuple(labels), _codes(values.astype(object).map(
            lambda v: None if pd.isna(v) else str(v)), labels))
    return Survey(name, title, len(frame), items, groupings)


@cache
def network_surveys() -> dict[str, Survey]:
    """The network's three surveys, prepared once per kernel, with every grouping joined in:
    organization, role, school setting, content area (the organization's focus) and cohort
    type (for teacher leaders, their own cohort's)."""
    from tlkit.data import codebook, load

    orgs = load("organizations").set_index("org_id")
    leaders = load("teacher_leaders").set_index("tl_id")
    cohort_type = load("cohorts").set_index("cohort_id")["cohort_type"]
    out = {}
    for name, title in SURVEY_TITLES.items():
        frame = load(name)
        org = frame["org_id"].astype(object)
        groups = {"org": frame["org_id"], "setting": frame["setting"],
                  "content": org.map(orgs["content_focus"].astype(object))}
        if "tl_id" in frame.columns:
            who = leaders.loc[frame["tl_id"].astype(object)]
            groups["role"] = pd.Series(np.where(who["leader_role"].astype(object) == "lead",
                                                "lead teacher leader", "co-lead teacher leader"))
            groups["cohort"] = pd.Series(who["cohort_id"].astype(object).map(
                cohort_type.astype(object)).to_numpy())
        else:
            groups["role"] = pd.Series(["teacher"] * len(frame))
            groups["cohort"] = frame["cohort_type"]
        out[name] = survey_from_frame(name, title, frame, codebook(name), {
            g: pd.Series(v).reset_index(drop=True) for g, v in groups.items()})
    return out


@cache
def links() -> dict:
    from tlkit.content import load as load_content

    return load_content("survey-links", LINKS)


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Result:
    """One view, ready to show and share.

    numbers -- one row per group plus "All": figures as numbers, NaN where hidden.
    table   -- the same rows as text for people: hidden cells say why, a "Note" column too.
    hidden  -- group -> the reason it is hidden.
    """

    view: str
    survey: str
    question: str
    grouping: str
    numbers: pd.DataFrame
    table: pd.DataFrame
    hidden: dict[str, str]
    notes: list[str] = field(default_factory=list)
    levels: tuple[str, ...] = ()
    positive: tuple[str, ...] = ()
    threshold: int = DEFAULT_THRESHOLD

    @property
    def caption(self) -> str:
        return f"{VIEWS[self.view]} by {GROUPINGS.get(self.grouping, self.grouping).lower()}: " \
               f"{self.question} ({self.survey})"

    def csv(self) -> str:
        """The shown table (hidden cells as their markers) with the notes under it."""
        return (write_frame(self.table,
                            index_label=GROUPINGS.get(self.grouping, self.grouping))
                + write_rows([[], *([note] for note in [self.caption, *self.notes])]))

    def text(self) -> str:
        """A text equivalent of the chart: every figure shown, in words."""
        lines = [self.caption + "."]
        for group, row in self.numbers.iterrows():
            if group in self.hidden:
                lines.append(f"{group}: {self.hidden[group].lower()}.")
            elif self.view == "percent":
                lines.append(f"{group}: {row['% top two']:.0f}% of {row['Answered']:.0f}.")
            elif self.view == "change":
                lines.append(f"{group}: {row['Before %']:.0f}% then {row['After %']:.0f}% "
                             f"({row['Change (points)']:+.0f} points).")
            else:
                parts = ", ".join(f"{level} {row[level]:.0f}%" for level in self.levels)
                lines.append(f"{group} ({row['Answered']:.0f} answered): {parts}.")
        return " ".join(lines)


def _counts(item: Item, grouping: Grouping) -> np.ndarray:
    """People per group (rows) and answer (columns); missing answers and groups left out."""
    ok = (item.codes >= 0) & (grouping.codes >= 0)
    n_levels = len(item.levels)
    flat = np.bincount(grouping.codes[ok] * n_levels + item.codes[ok],
                       minlength=len(grouping.labels) * n_levels)
    return flat.reshape(len(grouping.labels), n_levels)


def _missing_note(item: Item, grouping: Grouping) -> str:
    missing = int(((item.codes < 0) & (grouping.codes >= 0)).sum())
    if not missing:
        return ""
    who = "person" if missing == 1 else "people"
    return (f"{missing} {who} left this question empty; they are not counted in any "
            "figure (percents are of the people who answered).")


def _hidden_groups(answered: pd.Series, threshold: int) -> dict[str, str]:
    """Groups to hide, with the reason: fewer than `threshold` answers, and one more group
    when needed so that a hidden one cannot be worked out from the All row."""
    if answered.empty:      # no group in common (the change view): only the All row shows
        return {}
    shown = suppress_counts(answered.to_frame("Answered"), threshold=threshold,
                            row_totals=False, column_totals=True)
    reasons = shown.reasons["Answered"]
    return {str(g): r for g, r in reasons.items() if r}


def _percent(part, whole):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, np.round(part / np.where(whole > 0, whole, 1) * 100, 1),
                        np.nan)


def _with_all(counts: np.ndarray, labels: tuple[str, ...], levels) -> pd.DataFrame:
    keep = counts.sum(axis=1) > 0          # groups nobody in this survey answered for
    if not keep.any():
        # A school's own file whose group column (or answers) holds only values the question
        # set does not know: every answer is left out, and there is no table to show.
        raise ExploreError("There is nothing to show for this question in this grouping: no "
                           "answer was counted, because the answers or the group column hold "
                           "values the question set does not know (the problems listed for "
                           "your file say which). Choose another grouping or question, or fix "
                           "the file.")
    frame = pd.DataFrame(counts[keep], index=[l for l, k in zip(labels, keep) if k],
                         columns=list(levels))
    frame.loc[ALL] = frame.sum(axis=0)
    return frame


def _display(numbers: pd.DataFrame, hidden: dict[str, str], threshold: int,
             whole: set[str]) -> pd.DataFrame:
    """Numbers as text: whole-number columns without decimals, hidden groups' cells as markers
    (<10 for a small group, — for one hidden to protect it), and a Note column saying why."""
    def cell(value, column):
        if pd.isna(value):
            return "–"
        return f"{value:.0f}" if column in whole else f"{value:.1f}"

    table = pd.DataFrame({c: [cell(v, c) for v in numbers[c]] for c in numbers.columns},
                         index=numbers.index)
    notes = []
    for group in table.index:
        reason = hidden.get(group, "")
        if reason:
            marker = f"<{threshold}" if reason == primary_reason(threshold) else "—"
            table.loc[group] = marker
        notes.append(reason)
    table["Note"] = notes
    table.index.name = None
    return table


def _hide(numbers: pd.DataFrame, hidden: dict[str, str]) -> pd.DataFrame:
    numbers = numbers.astype(float)
    for group in hidden:
        numbers.loc[group] = np.nan
    return numbers


def distribution(survey: Survey, column: str, grouping: str, *,
                 threshold: int = DEFAULT_THRESHOLD) -> Result:
    item, groups = survey.item(column), survey.grouping(grouping)
    counts = _with_all(_counts(item, groups), groups.labels, item.levels)
    answered = counts.sum(axis=1)
    hidden = _hidden_groups(answered.drop(ALL), threshold)
    numbers = pd.DataFrame(_percent(counts.to_numpy(), answered.to_numpy()[:, None]),
                           index=counts.index, columns=list(item.levels))
    numbers.insert(0, "Answered", answered)
    numbers = _hide(numbers, hidden)
    notes = [n for n in (_missing_note(item, groups),) if n]
    notes += _key(hidden, threshold)
    notes.insert(0, "Answer columns are percents of the people in the group who answered.")
    return Result("distribution", survey.title, item.question, grouping, numbers,
                  _display(numbers, hidden, threshold, {"Answered"}), hidden, notes,
                  item.levels, item.positive, threshold)


def percent_agree(survey: Survey, column: str, grouping: str, *,
                  threshold: int = DEFAULT_THRESHOLD) -> Result:
    item, groups = survey.item(column), survey.grouping(grouping)
    counts = _with_all(_counts(item, groups), groups.labels, item.levels)
    answered = counts.sum(axis=1).to_numpy()
    top = counts[list(item.positive)].sum(axis=1).to_numpy()
    hidden = _hidden_groups(counts.sum(axis=1).drop(ALL), threshold)
    numbers = pd.DataFrame({"Answered": answered, "Top two": top,
                            "% top two": _percent(top, answered)}, index=counts.index)
    shares = pd.DataFrame(_percent(counts.to_numpy(), answered[:, None]), index=counts.index,
                          columns=[f"% {level}" for level in item.levels])
    numbers = _hide(pd.concat([numbers, shares], axis=1), hidden)
    notes = [f"'% top two' is the percent answering {' or '.join(item.positive)}, of those "
             "who answered; the full distribution is beside it."]
    notes += [n for n in (_missing_note(item, groups),) if n] + _key(hidden, threshold)
    return Result("percent", survey.title, item.question, grouping, numbers,
                  _display(numbers, hidden, threshold, {"Answered", "Top two"}), hidden, notes,
                  item.levels, item.positive, threshold)


def change(before: Survey, after: Survey, column: str, grouping: str, *,
           threshold: int = DEFAULT_THRESHOLD) -> Result:
    spec = links()
    pair = next((p for p in spec["pairs"] if column in (p["before"], p["after"])), None)
    if pair is None:
        linked = ", ".join(f"{p['before']} / {p['after']}" for p in spec["pairs"])
        raise ExploreError(f"The question {column!r} has no partner in the other survey, so "
                           f"there is no change to show. Linked questions: {linked}.")
    sides = []
    for survey, col in ((before, pair["before"]), (after, pair["after"])):
        item, groups = survey.item(col), survey.grouping(grouping)
        counts = _with_all(_counts(item, groups), groups.labels, item.levels)
        sides.append((item, counts.sum(axis=1), counts[list(item.positive)].sum(axis=1)))
    (item_b, n_b, top_b), (item_a, n_a, top_a) = sides
    index = [g for g in n_b.index if g in n_a.index]
    index = [g for g in index if g != ALL] + [ALL]
    n_b, n_a, top_b, top_a = (s.reindex(index) for s in (n_b, n_a, top_b, top_a))
    hidden = _hidden_groups(n_b.drop(ALL), threshold)
    for group, reason in _hidden_groups(n_a.drop(ALL), threshold).items():
        hidden.setdefault(group, reason)
    if len(hidden) == 1:   # hidden on one side only: its partner there protects it; hide one more
        small = min((g for g in index if g not in hidden and g != ALL),
                    key=lambda g: min(n_b[g], n_a[g]), default=None)
        if small is not None:
            hidden[small] = COMPLEMENT_REASON
    pct_b, pct_a = _percent(top_b.to_numpy(), n_b.to_numpy()), _percent(top_a.to_numpy(),
                                                                         n_a.to_numpy())
    numbers = pd.DataFrame({"Before answered": n_b.to_numpy(), "Before %": pct_b,
                            "After answered": n_a.to_numpy(), "After %": pct_a,
                            "Change (points)": np.round(pct_a - pct_b, 1)}, index=index)
    numbers = _hide(numbers, hidden)
    notes = [f"Theme: {pair['theme']}. Before: '{item_b.question}' ({before.title}), % "
             f"answering {' or '.join(item_b.positive)}. After: '{item_a.question}' "
             f"({after.title}), % answering {' or '.join(item_a.positive)}.",
             spec.get("caution", "")] + _key(hidden, threshold)
    return Result("change", f"{before.title} and {after.title}", pair["theme"], grouping,
                  numbers, _display(numbers, hidden, threshold,
                                    {"Before answered", "After answered"}),
                  hidden, [n for n in notes if n], (), (), threshold)


def _key(hidden: dict[str, str], threshold: int) -> list[str]:
    used = set(hidden.values())
    key = []
    if primary_reason(threshold) in used:
        key.append(f"<{threshold}: hidden because fewer than {threshold} people answered in "
                   "this group.")
    if COMPLEMENT_REASON in used:
        key.append(f"—: {COMPLEMENT_REASON.lower()}.")
    return key


def explore(surveys: dict[str, Survey], survey: str, column: str, grouping: str, view: str,
            *, threshold: int = DEFAULT_THRESHOLD) -> Result:
    """One view of one question, grouped. Raises ExploreError with a sentence a teacher can
    act on when the choice cannot be shown."""
    if survey not in surveys:
        raise ExploreError(f"There is no survey {survey!r} here. Choose one of: "
                           f"{', '.join(s.title for s in surveys.values())}.")
    if view == "distribution":
        return distribution(surveys[survey], column, grouping, threshold=threshold)
    if view == "percent":
        return percent_agree(surveys[survey], column, grouping, threshold=threshold)
    if view == "change":
        spec = links()
        if survey not in (spec["before"], spec["after"]) or not {spec["before"],
                                                                   spec["after"]} <= set(surveys):
            raise ExploreError("The change view compares the spring and end-of-year teacher "
                               "surveys. Choose one of those surveys, or another view.")
        return change(surveys[spec["before"]], surveys[spec["after"]], column, grouping,
                      threshold=threshold)
    raise ExploreError(f"There is no view {view!r}. Choose one of: {', '.join(VIEWS.values())}.")
