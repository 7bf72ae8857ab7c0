"""What the facilitator sees from what the group sent: feedback and questions as plain
text, the group's calibration agreement (tlkit.practice.calibration), exit-ticket results
through the small-cell rule (tlkit.data.suppression), and the export (CSV and a summary).

Participants are "Participant N" unless they agreed to be named for the facilitator; the
group's figures never carry names.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from tlkit.data.csv_text import write_rows
from tlkit.data.suppression import suppress_counts
from tlkit.live.contributions import KIND_LABELS, USEFUL_LABELS, USEFUL_SCALE
from tlkit.live.store import Contribution, SessionState
from tlkit.practice.calibration import CalibrationError, compare, percent
from tlkit.practice.observation import Rubric


def who(item: Contribution) -> str:
    """How the facilitator sees the sender: their name where they agreed, else a number."""
    return f"{item.name} (participant {item.participant})" if item.name else \
        f"Participant {item.participant}"


def latest_scores(items: Sequence[Contribution], episode: str | None = None) -> pd.DataFrame:
    """Each participant's most recent scores (a re-send replaces their earlier one), as
    observers ("P1", "P2" ...) x look-fors."""
    latest: dict[int, dict] = {}
    for item in items:
        if item.kind == "scores" and (episode is None or item.body.get("episode") in (episode, "")):
            latest[item.participant] = item.body["scores"]
    frame = pd.DataFrame.from_dict({f"P{n}": scores for n, scores in sorted(latest.items())},
                                   orient="index")
    frame.index.name = "observer"
    return frame


@dataclass
class Agreement:
    observers: int
    lines: list[str] = field(default_factory=list)       # plain sentences, most useful first


def group_agreement(items: Sequence[Contribution], rubric: Rubric,
                    episode: str | None = None) -> Agreement:
    """The group's agreement figures from everyone's latest scores, observers against each
    other (the reference stays back for the discussion)."""
    scores = latest_scores(items, episode)
    n = len(scores)
    if n == 0:
        return Agreement(0, ["No scores yet."])
    for look_for in rubric.look_for_ids:
        if look_for not in scores.columns:
            scores[look_for] = None
    scores = scores[list(rubric.look_for_ids)].astype("Int64")
    try:
        report = compare(scores, None, rubric)
    except CalibrationError as err:
        return Agreement(n, err.problems)
    lines = [f"{n} observer{'s' if n != 1 else ''} have sent scores."]
    summary = report.pair_summary()
    if report.pairs:
        exact = sum(p.exact or 0 for p in report.pairs) / len(report.pairs)
        within = sum(p.within_one or 0 for p in report.pairs) / len(report.pairs)
        pairs = len(report.pairs)
        lines.append(f"Across {pairs} pair{'s' if pairs != 1 else ''} of observers: exact agreement "
                     f"{percent(exact)} on average, within one level {percent(within)}.")
        kappas = [p.kappa.value for p in report.pairs if p.kappa.value is not None]
        if kappas:
            middle = sorted(kappas)[len(kappas) // 2] if len(kappas) % 2 else \
                sum(sorted(kappas)[len(kappas) // 2 - 1:len(kappas) // 2 + 1]) / 2
            from tlkit.practice.calibration import landis_koch
            lines.append(f"Median weighted kappa {middle:.2f} ({landis_koch(middle)}), over "
                         f"{len(kappas)} pair{'s' if len(kappas) != 1 else ''}.")
    elif summary is None:
        lines.append("One observer so far: agreement needs at least two.")
    lines.extend(report.among_observers[:3])
    return Agreement(n, lines)


@dataclass
class ExitResults:
    table: pd.DataFrame        # what may be shown: counts, or a marker where hidden
    notes: list[str]
    tries: list[str]           # the "one thing to try" texts, without names
    responses: int


def exit_results(items: Sequence[Contribution], threshold: int = 10, *,
                 shared: bool = True) -> ExitResults:
    """How useful the session was. `shared` (anything that goes beyond the facilitator, such
    as the summary): counts hidden below `threshold` people, with enough neighbours hidden
    that a small count cannot be worked out from the total. Not shared (the facilitator's own
    page): every count, as the export holds each rating."""
    latest: dict[int, dict] = {}
    for item in items:
        if item.kind == "exit":
            latest[item.participant] = item.body
    counts = pd.DataFrame([[sum(1 for b in latest.values() if b["useful"] == level)
                            for level in USEFUL_SCALE]],
                          index=["Participants"],
                          columns=[f"{level} {USEFUL_LABELS[level]}" for level in USEFUL_SCALE])
    tries = [b["try"] for b in latest.values() if b.get("try")]
    if not shared:
        return ExitResults(counts, [], tries, len(latest))
    shown = suppress_counts(counts, threshold=threshold, column_totals=False)
    return ExitResults(shown.display, shown.notes(), tries, len(latest))


# --- the export ------------------------------------------------------------------------------

CSV_COLUMNS = ["number", "sent_at", "stored_at", "kind", "participant", "tone", "text",
               "useful", "try", "scores", "answer"]
ANSWER_FIELDS = ("question", "choices", "words", "value", "item")   # tlkit.live.questions


def _stamp(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(seconds))


def export_csv(items: Sequence[Contribution]) -> str:
    """Every contribution, one row each. Cells that a spreadsheet would read as a formula are
    prefixed with an apostrophe, so a participant's text never runs in the facilitator's
    spreadsheet."""
    return write_rows(([item.seq, _stamp(item.sent_at), _stamp(item.stored_at), item.kind,
                        who(item), item.body.get("tone", ""), item.body.get("text", ""),
                        item.body.get("useful", ""), item.body.get("try", ""),
                        json.dumps(item.body["scores"]) if "scores" in item.body else "",
                        json.dumps({k: item.body[k] for k in ANSWER_FIELDS if k in item.body})
                        if "question" in item.body else ""]
                       for item in items), CSV_COLUMNS)


def summary_text(state: SessionState, items: Sequence[Contribution], participants: int,
                 rubric: Rubric | None = None) -> str:
    """A readable summary of the session: what ran, who took part, what was sent."""
    lines = [f"Live session {state.code}" + (f": {state.title}" if state.title else ""),
             f"Protocol: {state.protocol_id}. Participants who joined: {participants}.", ""]
    counts = {kind: sum(1 for i in items if i.kind == kind) for kind in KIND_LABELS}
    lines.append("Contributions: " + ", ".join(f"{KIND_LABELS[k].lower()} {n}"
                                               for k, n in counts.items()) + ".")
    for tone in ("warm", "cool"):
        texts = [i.body["text"] for i in items if i.kind == "feedback" and i.body["tone"] == tone]
        if texts:
            lines += ["", f"{tone.capitalize()} feedback:"] + [f"- {t}" for t in texts]
    questions = [i.body["text"] for i in items if i.kind == "question"]
    if questions:
        lines += ["", "Questions:"] + [f"- {q}" for q in questions]
    if rubric is not None and counts["scores"]:
        lines += ["", "Calibration agreement:"] + [
            f"- {line}" for line in group_agreement(items, rubric, state.episode_id).lines]
    results = exit_results(items)
    if results.responses:
        lines += ["", f"Exit tickets ({results.responses}): how useful was the session?"]
        lines += [f"- {column}: {value}" for column, value in results.table.iloc[0].items()]
        lines += [f"  ({note})" for note in results.notes]
        if results.tries:
            lines += ["One thing to try:"] + [f"- {t}" for t in results.tries]
    return "\n".join(lines) + "\n"
