"""Where the evaluation and the hours ledger read a course's own records, in one place.

- the roster and who completed which module: the nbgrader gradebook and the grading status
  (tlkit.ops.report.cohort_table: handed in, graded, nothing waiting);
- the modules' minutes: the course manifest (session minutes) and each module's sections
  (self-study minutes);
- live sessions attended and their exit tickets: the records live sessions keep when they end
  (tlkit.live.LiveStore.session_records), which a deleted session leaves in place;
- between-session tasks: `thread_credits` below (the reflection threads, tlkit.thread);
- what learners share for the evaluation (self-assessments, readiness checks, the follow-up
  survey, peer observations): CSV files in the course's evaluation folder
  (<build folder>/evaluation, tlkit.evaluation.inputs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from tlkit.course.manifest import CourseRules, course_rules, load_manifest
from tlkit.evaluation.hours import Ledger, ModuleTime, RosterLearner, build_ledger
from tlkit.settings import build_dir, partial_sessions_count

THIS_COHORT = "This cohort"


def thread_credits(cohort: str | None = None, *, live=None) -> Iterable[Any]:
    """Credits for between-session tasks done in the cohort's thread (tlkit.thread.credits),
    read from the live sessions' database (`live`'s, or TLKIT_LIVE_DB). A cohort no thread
    names gives every thread's credits: people are matched to the roster by the ledger."""
    from tlkit.thread import ThreadStore, credits

    store = ThreadStore(live.url if live is not None else None)
    return credits(cohort if cohort in store.cohorts() else None, store)


def evaluation_dir(root: Path | None = None) -> Path:
    """Where a course's evaluation files and the certificate key are kept."""
    return build_dir(root) / "evaluation"


def has_gradebook(root: Path | None = None) -> bool:
    """Whether the course has a cohort yet: its gradebook (nbgrader_config.py keeps it in the
    build folder as gradebook.db)."""
    return (build_dir(root) / "gradebook.db").is_file()


def module_times(root: Path) -> dict[str, ModuleTime]:
    from tlkit.course.module import ModuleError, load_module

    times = {}
    for entry in load_manifest(root):
        try:
            self_study = load_module(entry.id, root).self_study_minutes
        except (ModuleError, OSError):
            self_study = 0      # a module whose sections cannot be read counts its session only
        times[entry.id] = ModuleTime(entry.title, entry.session_minutes, self_study)
    return times


def cohort_records(root: Path) -> tuple[list[RosterLearner], dict[str, set[str]], pd.DataFrame]:
    """(roster, per module the learners graded with nothing waiting, the progress table);
    all empty where the course has no gradebook yet (none is made by looking)."""
    from tlkit.ops.nbgrader_api import course_api
    from tlkit.ops.report import cohort_table, stage

    if not has_gradebook(root):
        return [], {}, pd.DataFrame()
    api = course_api(root)
    with api.gradebook() as gb:
        learners = [RosterLearner(s.id, s.first_name or "", s.last_name or "")
                    for s in sorted(gb.students, key=lambda s: s.id)]
    table = cohort_table(api.root)
    graded: dict[str, set[str]] = {}
    if not table.empty:
        done = table[table.apply(stage, axis=1) == "graded"]
        for module, rows in done.groupby("module"):
            graded[str(module)] = set(rows["learner"])
    return learners, graded, table


def activity_results(root: Path, cohort: str = THIS_COHORT) -> pd.DataFrame:
    """Each collected hand-in's checked activities, scored twice from its answers file: the
    first try (what each form held when first checked; a form never checked counts what was
    handed in) and the final answers. Scored against the course's own activity files, never
    files handed in; an answers file that cannot be read is left out."""
    from tlkit.course.answers import AnswersError, read_answers
    from tlkit.course.checks import ActivityError, load_activity
    from tlkit.course.forms import review_form

    rows = []
    submitted = build_dir(root) / "submitted"
    for entry in load_manifest(root):
        source = Path(root) / "modules" / entry.id
        for folder in sorted(submitted.glob(f"*/{entry.id}")) if submitted.is_dir() else []:
            try:
                answers = read_answers(folder)
            except (AnswersError, OSError):
                continue
            first = right = total = 0
            for activity_id in sorted(set(answers.activities) | set(answers.first_tries)):
                try:
                    activity = load_activity(activity_id, here=source)
                except ActivityError:
                    continue
                final = answers.activity(activity_id)
                tried = answers.first_tries.get(activity_id, final)
                first += review_form(activity, tried).right
                right += review_form(activity, final).right
                total += len(activity.items)
            if total:
                rows.append((cohort, folder.parent.name, entry.id, round(100 * first / total, 1),
                             round(100 * right / total, 1)))
    return pd.DataFrame(rows, columns=["cohort", "learner", "module", "first_percent",
                                       "final_percent"])


def session_records(live=None) -> list:
    from tlkit.live import LiveStore

    return (live or LiveStore()).session_records()


def course_ledger(root: Path, *, live=None, credits: Iterable[Any] | None = None,
                  count_partial: bool | None = None) -> tuple[Ledger, CourseRules]:
    """The cohort's hours ledger and the rules it was judged by."""
    rules = course_rules(root)
    learners, graded, _ = cohort_records(root)
    ledger = build_ledger(
        learners, session_records(live), graded, module_times(root), rules,
        thread_credits=thread_credits(live=live) if credits is None else credits,
        count_partial=partial_sessions_count() if count_partial is None else count_partial)
    return ledger, rules


def course_tables(root: Path, *, live=None, data: Path | None = None,
                  cohort: str = THIS_COHORT) -> dict[str, pd.DataFrame]:
    """The evaluation's tables for this course: exit tickets from the live sessions' records,
    module results from the gradebook, and the shared files in `data` (default: the course's
    evaluation folder), which may hold other cohorts too."""
    from tlkit.evaluation.inputs import read_folder

    from tlkit.evaluation.hours import RosterMatch

    module_ids = {entry.id for entry in load_manifest(root)}
    learners, _, table = cohort_records(root)
    match = RosterMatch(learners)
    # This cohort's sessions: those someone on its roster joined by name (the database may
    # hold other cohorts' sessions too); with no roster yet, every module's session.
    records = [r for r in session_records(live) if r.module in module_ids
               and (not learners or any(match(name) for name, _ in r.joins))]
    exits = pd.DataFrame([(cohort, r.module, useful, tried) for r in records
                          for useful, tried in r.exits],
                         columns=["cohort", "session", "useful", "tried"])
    results = pd.DataFrame(columns=["cohort", "learner", "module", "final_percent"])
    if not table.empty:
        scored = table[table["score"].notna() & (table["max_score"].fillna(0) > 0)]
        results = pd.DataFrame({"cohort": cohort, "learner": scored["learner"],
                                "module": scored["module"],
                                "final_percent": 100 * scored["score"] / scored["max_score"]})
    tables = {"exit_tickets": exits, "module_results": results,
              "activity_results": activity_results(root, cohort)}
    folder = Path(data) if data is not None else evaluation_dir(root)
    if folder.is_dir():
        shared = read_folder(folder)
        for name, frame in shared.items():
            tables[name] = (pd.concat([tables[name], frame], ignore_index=True)
                            if name in tables else frame)
    return tables


def demo_tables() -> dict[str, pd.DataFrame]:
    """The synthetic network's cohorts (one per partner organisation), for the demo."""
    from tlkit.data import load
    from tlkit.data.synth_evaluation import build
    from tlkit.data.synth_observations import read_rubric
    from tlkit.evaluation.levels import observations_from_dataset

    tables = build([entry.id for entry in load_manifest()])
    tables["observations"] = observations_from_dataset(load("peer_observations"),
                                                       read_rubric()[0])
    return tables
