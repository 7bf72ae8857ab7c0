"""Running the course for a cohort on one machine: each `tlkit course ...` step, in plain words.

A thin layer over nbgrader's Python API (tlkit.ops.nbgrader_api): the gradebook and the
exchange live in the build folder (nbgrader_config.py), every step can be run again, and each
returns the lines of a summary a facilitator can read.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from tlkit.ops.grading import GRADED, load_status
from tlkit.ops.nbgrader_api import CourseAPI, course_api, submitted_students
from tlkit.ops.release import ReleaseError, generate_release, module_ids


class CourseOpsError(ValueError):
    """A course step cannot be done; the message says why and what to do."""


def _modules(root: Path, chosen: list[str] | None) -> list[str]:
    known = module_ids(root)
    if not chosen:
        return known
    unknown = [m for m in chosen if m not in known]
    if unknown:
        raise CourseOpsError(f"There is no module {', '.join(repr(m) for m in unknown)} in the "
                             f"course. The modules are: {', '.join(known)}.")
    return list(chosen)


def exchange_root(api: CourseAPI) -> Path:
    return Path(api.config.Exchange.root)


def init(root: Path) -> list[str]:
    """The gradebook, the exchange and the course folders; safe to run again."""
    api = course_api(root)
    created = []
    with api.gradebook() as gb:
        learners = len(gb.students)
    for step in ("submitted", "autograded", "feedback", "release"):
        folder = api.path(step).resolve()
        if not folder.is_dir():
            folder.mkdir(parents=True)
            created.append(folder)
    exchange = exchange_root(api)
    for part in (exchange / api.coursedir.course_id / "inbound",
                 exchange / api.coursedir.course_id / "outbound",
                 exchange / api.coursedir.course_id / "feedback"):
        if not part.is_dir():
            part.mkdir(parents=True)
            created.append(part)
    # Learners hand in through the exchange; nbgrader asks for these permissions.
    os.chmod(exchange, 0o777)
    db = api.db_url.removeprefix("sqlite:///")
    return [f"The course is ready. Gradebook: {db} ({learners} learner(s) in it).",
            f"Exchange (releases and hand-ins): {exchange}",
            f"{len(created)} folder(s) created." if created else "Nothing needed creating.",
            "Next: tlkit course roster FILE.csv"]


def roster(root: Path, path: Path) -> list[str]:
    from tlkit.ops.roster import import_roster

    check = import_roster(course_api(root), path)
    lines = list(check.notes)
    lines.append(f"Added {len(check.learners)} learner(s) to the gradebook"
                 + (f"; {len(check.unchanged)} were already there." if check.unchanged else "."))
    return lines


def release(root: Path, modules: list[str] | None, due: str | None = None) -> list[str]:
    """nbgrader's learner version of each module, put into the exchange for learners."""
    chosen = _modules(root, modules)
    due_at = None
    if due:
        try:
            due_at = dt.datetime.fromisoformat(due)
        except ValueError:
            raise CourseOpsError(f"The due date {due!r} is not a date. Write it as "
                                 "YYYY-MM-DD, or YYYY-MM-DD HH:MM.") from None
    init(root)
    api = CourseAPI(Path(root), {"ExchangeReleaseAssignment.force": True})
    lines = []
    for module in chosen:
        generate_release(root, module)  # raises ReleaseError in plain words
        if due_at is not None:
            with api.gradebook() as gb:
                gb.update_or_create_assignment(module, duedate=due_at)
        result = api.release_assignment(module)
        if not result.success:
            raise ReleaseError(f"Module '{module}' was built but could not be put where "
                               f"learners fetch it.\n  " + "\n  ".join(result.problems()))
        lines.append(f"Released '{module}'" + (f", due {due_at:%Y-%m-%d %H:%M}." if due_at else ".")
                     + f" It is in the exchange: {_exchange_part(api, 'outbound') / module}")
    if lines:
        lines.append("Learners get it in their JupyterLab: the Assignments list, under Released "
                     "assignments, 'Fetch'. They hand it in with 'Hand in this module' at the end "
                     "of the module (or 'Submit' in the Assignments list).")
    return lines


def _exchange_part(api: CourseAPI, part: str) -> Path:
    """inbound (hand-ins), outbound (releases) or feedback, in the course's exchange."""
    return exchange_root(api) / api.coursedir.course_id / part


def collect(root: Path, modules: list[str] | None) -> list[str]:
    api = course_api(root)
    lines = []
    for module in _modules(root, modules):
        result = api.collect(module)
        count = len(submitted_students(api, module))
        if result.success:
            lines.append(f"'{module}': {count} submission(s) collected so far.")
            if not count:
                lines.append("  No learner has handed it in yet (they press 'Hand in this "
                             "module' at its end, or 'Submit' in their Assignments list).")
        else:
            lines.append(f"'{module}': could not collect ("
                         + "; ".join(result.problems()[:2]) + ").")
        lines += _drop_collected_links(api, module)
    lines.append(f"Looked for hand-ins in {_exchange_part(api, 'inbound')}; the collected copies "
                 f"are in {api.path('submitted').resolve()}.")
    return lines


def _drop_collected_links(api: CourseAPI, module: str) -> list[str]:
    """nbgrader's collect copies what a link in a hand-in points to, with the facilitator's
    rights: a link to the course's notebooks would bring their solutions into a learner's
    folder. Whatever was a link in the collected hand-in is removed from the collected copy."""
    from tlkit.ops.submissions import plain_text

    inbound = exchange_root(api) / api.coursedir.course_id / "inbound"
    lines = []
    for student in submitted_students(api, module):
        collected = api.path("submitted", student, module)
        try:
            stamp = (collected / "timestamp.txt").read_bytes()
        except OSError:
            continue
        for handed in inbound.glob(f"{student}+{module}+*"):
            try:
                if (handed / "timestamp.txt").read_bytes() != stamp:
                    continue
            except OSError:
                continue
            for folder, dirs, files in os.walk(handed):
                for name in dirs + files:
                    path = Path(folder) / name
                    if not path.is_symlink():
                        continue
                    copy = collected / path.relative_to(handed)
                    if copy.is_dir() and not copy.is_symlink():
                        shutil.rmtree(copy, ignore_errors=True)
                    elif copy.exists() or copy.is_symlink():
                        copy.unlink()
                    lines.append(plain_text(
                        f"  {student} handed in a link, {path.relative_to(handed)}, which was "
                        "left out: a hand-in holds files, not links to files elsewhere."))
    return lines


class StepLines(list):
    """A step's summary lines; `failed` when part of the step did not work (exit code 1)."""

    failed = False


def ungraded_answers(api: CourseAPI, module: str, students: list[str]) -> dict[str, int]:
    """Per learner, how many written answers of `module` still wait for a facilitator."""
    from nbgrader.api import MissingEntry

    waiting = {}
    with api.gradebook() as gb:
        for student in students:
            try:
                sub = gb.find_submission(module, student)
            except MissingEntry:
                continue
            count = sum(1 for nb in sub.notebooks for g in nb.grades
                        if g.manual_score is None and g.needs_manual_grade)
            if count:
                waiting[student] = count
    return waiting


def _hand_back_problem(result) -> str:
    problems = result.problems(2)
    if any("submission_secret" in p for p in problems):
        # nbgrader finds a learner's feedback by a secret their own Submit puts in the hand-in.
        return ("their hand-in has no submission_secret.txt, so it was not handed in from "
                "their JupyterLab; send them the page from the feedback folder, or ask them to "
                "hand in again with 'Hand in this module'")
    return "; ".join(problems) or "nbgrader named no reason"


def feedback(root: Path, modules: list[str] | None) -> StepLines:
    """Feedback pages for every graded learner, one learner at a time (never stopping), put
    into the exchange for learners to fetch."""
    api = course_api(root)
    status = load_status(api)
    lines = StepLines()
    waiting: dict[str, dict[str, int]] = {}
    handed_back = 0
    for module in _modules(root, modules):
        graded = [s for s, e in sorted(status.get(module, {}).items()) if e["state"] == GRADED]
        failed, not_handed = [], []
        for student in graded:
            result = api.generate_feedback(module, student)
            if not result.success:
                failed.append(student)
                continue
            given = api.release_feedback(module, student)
            if given.success:
                handed_back += 1
            else:
                reason = _hand_back_problem(given)
                not_handed.append(f"{student} ({reason})")
        made = len(graded) - len(failed)
        lines.append(f"'{module}': feedback for {made} learner(s) in "
                     f"{api.path('feedback').resolve()}.")
        if failed:
            lines.append(f"  No feedback for {', '.join(failed)}: grade them again first.")
        if not_handed:
            lines.failed = True
            lines.append(f"  FAILED: the feedback of {len(not_handed)} learner(s) could not be "
                         "handed back, so they cannot see it yet: " + ", ".join(not_handed))
        module_waiting = ungraded_answers(api, module, graded)
        if module_waiting:
            waiting[module] = module_waiting
    if waiting:
        total = sum(sum(w.values()) for w in waiting.values())
        lines.append(f"Warning: {total} written answer(s) are not graded yet; their feedback "
                     "pages say 'not graded yet' for them:")
        for module, per_learner in waiting.items():
            lines.append(f"  '{module}': " + ", ".join(
                f"{s} ({n})" if n > 1 else s for s, n in per_learner.items()))
        lines.append("  Grade them in tlkit course lab (Manual Grading in the formgrader), "
                     "then run tlkit course feedback again.")
    if handed_back:
        where = exchange_root(api) / api.coursedir.course_id / "feedback"
        lines.append(f"Handed back {handed_back} feedback page(s) through the exchange ({where}). "
                     "Learners see them in their JupyterLab: 'Get my feedback' at the end of the "
                     "module (or, on a hub, 'Fetch Feedback' on the module's submitted copy in "
                     "the Assignments list); the page opens from the module's feedback folder.")
    return lines
