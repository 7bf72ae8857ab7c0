"""The PD-hours ledger: what each learner of a cohort did that counts, and whether they completed.

What counts, each once (never twice):
- a module's live session attended: the session's minutes from the course manifest. Attendance
  is read from the records live sessions keep when they end (tlkit.live.SessionRecord), whose
  join names are matched to the roster. A learner who joined more than LATE_MINUTES after the
  session opened attended part of it: those minutes count only where the partner's rule says
  so (TLKIT_PARTIAL_SESSIONS), and never as a session attended whole. Two sessions of one
  module count once (the better attendance);
- a module completed (handed in and graded): its self-study minutes (the sum of its sections'
  `self_study_minutes`);
- the teach-back, once scored in a live session: the manifest's `teach_back_minutes`;
- between-session tasks, as thread credits (objects with name, learner_id, task_id,
  task_title and minutes), each task once per learner.

Completion follows the manifest's rules (tlkit.course.manifest.CourseRules): the modules
handed in and graded, the teach-back, and a share of the modules' live sessions attended whole.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

LATE_MINUTES = 10           # joined this long after the session opened: still the whole session
KINDS = ("live session", "module", "teach-back", "between sessions")


@dataclass(frozen=True)
class RosterLearner:
    id: str
    first_name: str
    last_name: str

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.id


@dataclass(frozen=True)
class ModuleTime:
    title: str
    session_minutes: int
    self_study_minutes: int


@dataclass(frozen=True)
class Line:
    learner: str
    kind: str          # one of KINDS
    item: str          # module id, task id, "teach-back"
    what: str          # in words
    date: str          # YYYY-MM-DD, "" where there is none
    minutes: int
    note: str = ""


@dataclass(frozen=True)
class Completion:
    learner: str
    complete: bool
    missing: tuple[str, ...]        # sentences: what is still to do
    attended: int                   # live sessions attended whole
    held: int                       # the course's live sessions held


@dataclass
class Ledger:
    learners: list[RosterLearner]
    lines: list[Line]
    completions: dict[str, Completion]
    notes: list[str] = field(default_factory=list)     # joins not matched, sessions with no module
    first_date: str = ""
    last_date: str = ""

    def minutes(self, learner: str, kind: str | None = None) -> int:
        return sum(l.minutes for l in self.lines
                   if l.learner == learner and (kind is None or l.kind == kind))

    def completers(self) -> list[RosterLearner]:
        return [l for l in self.learners if self.completions[l.id].complete]

    def rows(self) -> list[list[Any]]:
        """The ledger as CSV rows (LEDGER_HEADER): one per thing counted."""
        names = {l.id: l.name for l in self.learners}
        return [[l.learner, names.get(l.learner, ""), l.kind, l.item, l.what, l.date, l.minutes,
                 l.note] for l in self.lines]


LEDGER_HEADER = ["learner", "name", "kind", "item", "what", "date", "minutes", "note"]


def hours(minutes: int) -> str:
    """Contact hours as a certificate shows them: to the tenth of an hour."""
    return f"{minutes / 60:.1f}"


def normal_name(text: Any) -> str:
    """A name as typed, for matching: accents, case, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _name_keys(learner: RosterLearner) -> set[str]:
    first, last = normal_name(learner.first_name), normal_name(learner.last_name)
    keys = {normal_name(learner.id)}
    if first and last:
        keys |= {f"{first} {last}", f"{last} {first}"}
    return keys - {""}


class RosterMatch:
    """Join names to roster learners: a learner's id, 'First Last' or 'Last, First'. A name
    two learners share matches neither (it is reported, not guessed)."""

    def __init__(self, learners: Sequence[RosterLearner]):
        found: dict[str, set[str]] = {}
        for learner in learners:
            for key in _name_keys(learner):
                found.setdefault(key, set()).add(learner.id)
        self._ids = {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}
        self.shared = {key for key, ids in found.items() if len(ids) > 1}

    def __call__(self, name: str) -> str | None:
        return self._ids.get(normal_name(name))


def _day(stamp: float) -> str:
    return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).date().isoformat()


def build_ledger(learners: Sequence[RosterLearner], sessions: Sequence[Any],
                 graded: Mapping[str, Iterable[str]], modules: Mapping[str, ModuleTime],
                 rules: Any, *, thread_credits: Iterable[Any] = (),
                 count_partial: bool = False) -> Ledger:
    """The ledger of a cohort.

    learners -- the roster; sessions -- ended live sessions' records (SessionRecord);
    graded -- per module id, the learners whose hand-in is graded (nothing waiting);
    modules -- per module id, its title and minutes (manifest and sections);
    rules -- the manifest's CourseRules; thread_credits -- between-session tasks credited
    (name, learner_id, task_id, task_title, minutes); count_partial -- the partner's rule
    for a session joined late (TLKIT_PARTIAL_SESSIONS).
    """
    match = RosterMatch(learners)
    ids = {l.id for l in learners}
    lines: list[Line] = []
    notes: list[str] = []
    unmatched: dict[str, int] = {}
    best: dict[tuple[str, str], tuple[bool, int, str, str]] = {}   # (learner, module) -> ...
    taught: dict[str, str] = {}
    held: set[str] = set()
    days: list[str] = []
    for record in sessions:
        day = _day(record.opened_at)
        # The course's dates: sessions someone on this roster attended or taught in (the
        # database may hold other cohorts' sessions too).
        if any(match(name) for name, _ in record.joins) or any(map(match, record.taught)):
            days.append(day)
        for teacher in record.taught:
            learner = match(teacher)
            if learner is not None:
                taught.setdefault(learner, day)
            else:
                unmatched[teacher] = unmatched.get(teacher, 0) + 1
        if record.module not in modules:
            if record.module is None and not record.taught:
                notes.append(f"The live session {record.code} ({record.title or 'no title'}, "
                             f"{day}) was not opened from a module's page, so its attendance "
                             "counts no hours.")
            elif record.module is not None:
                notes.append(f"The live session {record.code} ({day}) names the module "
                             f"{record.module!r}, which the course does not have.")
            continue
        held.add(record.module)
        length = modules[record.module].session_minutes
        for name, joined_at in record.joins:
            learner = match(name)
            if learner is None:
                if name:
                    unmatched[name] = unmatched.get(name, 0) + 1
                continue
            late = max(0.0, (joined_at - record.opened_at) / 60)
            whole = late <= LATE_MINUTES
            present = length if whole else int(min(length, max(0.0, record.ended_at - joined_at)
                                                   / 60))
            key = (learner, record.module)
            candidate = (whole, present, day, record.code)
            if key not in best or candidate[:2] > best[key][:2]:
                best[key] = candidate
    for (learner, module), (whole, present, day, code) in sorted(best.items()):
        title = modules[module].title
        if whole:
            lines.append(Line(learner, "live session", module, f"Live session: {title}", day,
                              present))
        else:
            lines.append(Line(learner, "live session", module, f"Live session: {title}", day,
                              present if count_partial else 0,
                              f"joined late: present {present} of "
                              f"{modules[module].session_minutes} minutes"
                              + ("" if count_partial else "; part sessions do not count")))
    for module, done in graded.items():
        if module not in modules:
            continue
        for learner in sorted(set(done) & ids):
            lines.append(Line(learner, "module", module, f"Module completed: "
                              f"{modules[module].title}", "", modules[module].self_study_minutes))
    for learner, day in sorted(taught.items()):
        lines.append(Line(learner, "teach-back", "teach-back", "Teach-back, scored by peers",
                          day, rules.teach_back_minutes))
    seen: set[tuple[str, str]] = set()
    # A task done counts once for a person, whichever way they took part (the room's page or
    # their lab); a task not done (no reflection, too few replies) gives no line.
    for credit in sorted(thread_credits, key=lambda c: -int(c.minutes)):
        if int(credit.minutes) <= 0:
            continue
        learner = credit.learner_id if credit.learner_id in ids else match(credit.name)
        if learner is None:
            unmatched[credit.name] = unmatched.get(credit.name, 0) + 1
            continue
        if (learner, credit.task_id) in seen:
            continue
        seen.add((learner, credit.task_id))
        lines.append(Line(learner, "between sessions", str(credit.task_id),
                          f"Between sessions: {credit.task_title}", "", int(credit.minutes)))
    for name, count in sorted(unmatched.items(), key=lambda kv: normal_name(kv[0])):
        notes.append(f"{name!r} ({count} time{'s' if count > 1 else ''}) matches no one on the "
                     "roster, or more than one learner; no hours were given for it. People "
                     "join with their name as on the roster to be counted.")
    course_held = [m for m in rules.modules if m in held]
    completions = {}
    for learner in learners:
        completions[learner.id] = _completion(learner.id, rules, graded, best, taught,
                                              course_held)
    return Ledger(list(learners), lines, completions, notes,
                  min(days) if days else "", max(days) if days else "")


def _completion(learner: str, rules, graded, best, taught, held: list[str]) -> Completion:
    missing = []
    undone = [m for m in rules.modules if learner not in set(graded.get(m, ()))]
    if undone:
        missing.append(f"modules not handed in and graded yet: {', '.join(undone)}")
    if rules.teach_back and learner not in taught:
        missing.append("the teach-back")
    attended = sum(1 for m in held if best.get((learner, m), (False,))[0])
    if rules.min_attendance_percent:
        if not held:
            missing.append("attendance: no live session of the course has been recorded")
        elif attended * 100 < rules.min_attendance_percent * len(held):
            missing.append(f"attendance: {attended} of {len(held)} live sessions attended "
                           f"whole, {rules.min_attendance_percent}% needed")
    return Completion(learner, not missing, tuple(missing), attended, len(held))
