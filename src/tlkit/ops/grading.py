"""Grade a cohort: never stop for one learner, grade several at once, lose no grade.

The design, for nbgrader's SQLite gradebook (not safe for concurrent writers):

1. Every submission is checked first (tlkit.ops.submissions.inspect_submission) and copied
   into a staging folder: as it is, repaired (a duplicated cell dropped, an old format
   converted, huge output cleared) or not at all (set aside: not JSON, empty, not UTF-8...).
   The learner's submitted files are never changed.
2. Worker processes (tlkit.ops.grading_workers) grade one learner at a time through
   nbgrader's API, each into its OWN copy of the gradebook and its own autograded folder.
   A worker never opens the course's gradebook. A worker that dies, or a learner whose
   grading runs past the time limit, costs that learner only: a fresh worker goes on.
3. The main process is the only writer of the course's gradebook: as each learner's grades
   come back it merges them in (one transaction per learner) and moves the autograded folder
   into place. A learner whose grading failed changes nothing there, so a grade already in
   the gradebook is never lost, and is never shown as a zero.

What happened to each learner (graded, set aside, failed, and every finding) is kept in
<build>/course-status.json, which the cohort report reads.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import nbformat

from tlkit.atomic import write_atomic
from tlkit.ops import LEARNER_TIMEOUT
from tlkit.ops.grading_workers import grade_in_workers
from tlkit.ops.nbgrader_api import CourseAPI, course_api, submitted_students
from tlkit.ops.submissions import SET_ASIDE, Finding, inspect_submission, plain_text

STATUS_FILE = "course-status.json"
GRADED, SET_ASIDE_STATE, FAILED = "graded", "set aside", "grading failed"


@dataclass
class LearnerOutcome:
    student: str
    module: str
    state: str                      # GRADED, SET_ASIDE_STATE or FAILED
    findings: list[dict] = field(default_factory=list)  # Finding as dicts
    seconds: float = 0.0

    def problems(self) -> list[str]:
        return [plain_text(f["message"]) for f in self.findings]


@dataclass
class GradingRun:
    module: str
    outcomes: list[LearnerOutcome] = field(default_factory=list)
    seconds: float = 0.0
    jobs: int = 1

    def count(self, state: str) -> int:
        return sum(o.state == state for o in self.outcomes)

    def summary(self) -> str:
        n = len(self.outcomes)
        if not n:
            return (f"No submissions of '{self.module}' to grade. Collect them first: "
                    f"tlkit course collect {self.module}")
        lines = [f"Module '{self.module}': {self.count(GRADED)} of {n} learners graded in "
                 f"{self.seconds:.0f} s ({self.jobs} at a time)."]
        aside, failed = self.count(SET_ASIDE_STATE), self.count(FAILED)
        if aside:
            lines.append(f"{aside} set aside (not graded; their earlier grades are kept).")
        if failed:
            lines.append(f"{failed} could not be graded (their earlier grades are kept).")
        flagged = [o for o in self.outcomes if o.findings]
        if flagged:
            lines.append("To follow up with these learners:")
            for o in flagged:
                lines.append(f"  {plain_text(o.student)} ({o.state}):")
                lines.extend(f"    - {message}" for message in o.problems())
        return "\n".join(lines)


# -- status file -----------------------------------------------------------------------------

def status_path(api: CourseAPI) -> Path:
    return Path(api.db_url.removeprefix("sqlite:///")).parent / STATUS_FILE \
        if api.db_url.startswith("sqlite:///") else api.root / "build" / STATUS_FILE


def load_status(api: CourseAPI) -> dict:
    try:
        data = json.loads(status_path(api).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _save_status(api: CourseAPI, status: dict) -> None:
    path = status_path(api)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, json.dumps(status, indent=1, ensure_ascii=False, sort_keys=True))


def record_outcome(api: CourseAPI, status: dict, outcome: LearnerOutcome) -> None:
    entry = {"state": outcome.state, "findings": outcome.findings,
             "when": dt.datetime.now().isoformat(timespec="seconds")}
    status.setdefault(outcome.module, {})[outcome.student] = entry
    _save_status(api, status)


# -- staging ---------------------------------------------------------------------------------

def _stage(api: CourseAPI, module: str, student: str, stage_root: Path,
           released: list[Path]) -> tuple[list[Finding], bool]:
    """Copy one learner's submission into stage_root/<student>/<module>/, checked and
    repaired; return (findings, gradable)."""
    src = api.path("submitted", student, module)
    dest = stage_root / student / module
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.ipynb"))
    findings: list[Finding] = []
    gradable = True
    for original in released:
        nb_findings, nb = inspect_submission(src / original.name, original)
        findings += nb_findings
        if nb is None:
            gradable = False
        else:
            nbformat.write(nb, dest / original.name)
    return findings, gradable


# -- merging ---------------------------------------------------------------------------------

def merge_grades(gb, module: str, student: str, graded: dict) -> None:
    """Write one learner's grades from a worker into the course's gradebook, in one
    transaction. Scores a facilitator already gave by hand are kept."""
    timestamp = dt.datetime.fromisoformat(graded["timestamp"]) if graded["timestamp"] else None
    try:
        kwargs = {"timestamp": timestamp} if timestamp else {}
        gb.update_or_create_submission(module, student, **kwargs)
        for notebook, parts in graded["notebooks"].items():
            for name, values in parts["grades"].items():
                grade = gb.find_grade(name, notebook, module, student)
                grade.auto_score = values["auto_score"]
                grade.needs_manual_grade = (values["needs_manual_grade"]
                                            and grade.manual_score is None)
            for name, text in parts["comments"].items():
                gb.find_comment(name, notebook, module, student).auto_comment = text
        gb.db.commit()
    except Exception:
        gb.db.rollback()
        raise


def _copy_gradebook(src: Path, dest: Path) -> None:
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    # sqlite3's context manager commits but does not close
    a.close()
    b.close()


def _fmt(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def autograde_module(root: Path, module: str, jobs: int = 1, *,
                     students: list[str] | None = None, cell_timeout: int | None = None,
                     learner_timeout: float = LEARNER_TIMEOUT, sandbox: bool = True,
                     progress: Callable[[str], None] | None = print) -> GradingRun:
    """Autograde every collected submission of `module` (or only `students`).

    sandbox: run each learner's notebook in a sandbox (tlkit.ops.sandbox); raises
    SandboxUnavailable, with the reason in one sentence, when none can be made here."""
    from tlkit.ops.release import generate_release
    from tlkit.ops.sandbox import (SandboxUnavailable, sandbox_problem, sandboxed_steps,
                                   unsandboxed_steps)

    started = time.perf_counter()
    shown = progress or (lambda line: None)

    def progress(line: str) -> None:  # lines name learners, whose ids come from folder names
        shown(plain_text(line))

    if sandbox:
        problem = sandbox_problem()
        if problem:
            raise SandboxUnavailable(problem)
    api = course_api(root)
    from nbgrader.converters import Autograde

    # nbgrader's autograde steps, notebooks run in the sandbox (the course's config asks for it
    # already; a course's own config may not) or, --unsandboxed, with nbgrader's own Execute.
    steps = (sandboxed_steps if sandbox else unsandboxed_steps)(list(
        api.config.Autograde.get("autograde_preprocessors") or
        Autograde.class_traits()["autograde_preprocessors"].default()))
    jobs = max(1, int(jobs))
    run = GradingRun(module, jobs=jobs)
    found = submitted_students(api, module)
    if students is not None:
        found = [s for s in found if s in set(students)]
    if not found:
        return run
    release = api.path("release", ".", module)
    if not any(release.glob("*.ipynb")):
        release = generate_release(api.root, module)
    released = sorted(release.glob("*.ipynb"))
    db_file = Path(api.db_url.removeprefix("sqlite:///"))
    status = load_status(api)
    with api.gradebook() as gb:
        on_roster = {s.id for s in gb.students}

    work = Path(tempfile.mkdtemp(prefix=f"grading-{module}-", dir=db_file.parent))
    try:
        stage_root = work / "submitted"
        to_grade: list[str] = []
        pending: dict[str, list[dict]] = {}  # findings from staging, per learner to grade
        for student in found:
            if student not in on_roster:
                outcome = LearnerOutcome(student, module, SET_ASIDE_STATE, [asdict(Finding(
                    "not-on-roster", SET_ASIDE, f"'{student}' handed in '{module}' but is not "
                    "on the roster. Add them with tlkit course roster FILE.csv, then grade "
                    "again."))])
            else:
                findings, gradable = _stage(api, module, student, stage_root, released)
                outcome = LearnerOutcome(student, module, GRADED if gradable else SET_ASIDE_STATE,
                                         [asdict(f) for f in findings])
                if gradable:
                    to_grade.append(student)
                    pending[student] = outcome.findings
                    continue
            run.outcomes.append(outcome)
            record_outcome(api, status, outcome)

        if to_grade:
            def gradebook_copy(n: int) -> Path:  # one for each worker, made as it starts
                copy = work / f"gradebook-{n}.db"
                _copy_gradebook(db_file, copy)
                return copy

            overrides = {"CourseDirectory.submitted_directory": str(stage_root),
                         "Autograde.autograde_preprocessors": steps}
            if cell_timeout:
                overrides["ExecutePreprocessor.timeout"] = int(cell_timeout)
            # Counted over the notebooks that run: those set aside are in the summary.
            total = len(to_grade)
            done = 0
            aside = len(run.outcomes)
            progress(f"Grading {len(to_grade)} submission(s) of '{module}'"
                     + (f" ({aside} more set aside, see below)" if aside else "") + ", "
                     + f"{min(jobs, len(to_grade))} at a time"
                     + (", each in a sandbox..." if sandbox else
                        ", WITHOUT a sandbox: every notebook runs with your rights..."))
            for result in grade_in_workers(api.root, overrides, gradebook_copy, module, to_grade,
                                           jobs, cell_timeout=cell_timeout,
                                           learner_timeout=learner_timeout):
                outcome = _merge_result(api, module, result, pending)
                run.outcomes.append(outcome)
                record_outcome(api, status, outcome)
                done += 1
                elapsed = time.perf_counter() - started
                left = elapsed / done * (total - done)
                progress(f"  learner {done} of {total} ({outcome.student}: {outcome.state}); "
                         f"elapsed {_fmt(elapsed)}, about {_fmt(left)} left")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run.outcomes.sort(key=lambda o: o.student)
    run.seconds = time.perf_counter() - started
    return run


def _merge_result(api: CourseAPI, module: str, result: dict,
                  pending: dict[str, list[dict]]) -> LearnerOutcome:
    student = result["student"]
    findings = list(pending.get(student, []))
    if not result["success"]:
        reasons = "; ".join(plain_text(p) for p in result["problems"][:3]) or \
            "nbgrader named no reason"
        findings.append(asdict(Finding("grading-failed", SET_ASIDE,
                                       f"Grading stopped for this submission ({reasons}). "
                                       "Earlier grades are kept. Ask for the notebook to be "
                                       "handed in again, or grade it by hand.")))
        return LearnerOutcome(student, module, FAILED, findings, result["seconds"])
    try:
        with warnings.catch_warnings(), api.gradebook() as gb:
            warnings.simplefilter("ignore")  # SQLAlchemy's notes on nbgrader's sessions
            merge_grades(gb, module, student, result["grades"])
    except Exception as err:  # noqa: BLE001
        findings.append(asdict(Finding("grading-failed", SET_ASIDE,
                                       f"The grades could not be saved ({type(err).__name__}: "
                                       f"{err}). Earlier grades are kept; grade again.")))
        return LearnerOutcome(student, module, FAILED, findings, result["seconds"])
    final = api.path("autograded", student, module)
    if final.exists():
        shutil.rmtree(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(result["autograded"], final)
    findings += result.get("after", [])
    return LearnerOutcome(student, module, GRADED, findings, result["seconds"])
