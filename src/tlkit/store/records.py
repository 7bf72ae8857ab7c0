"""Each widget's saved state as a small, versioned, plain record.

A record knows its `kind` and `version`, turns itself into a JSON-ready dict (`to_dict`) and
back (`from_dict`, which checks the shape and raises RecordError with a plain sentence). Views
of the same record open at once (two tabs, or a facilitator's and participants' screens later)
combine their edits with `merged(base, theirs)`: a three-way merge against the record the view
last read, so one view's save never wipes out another's work.

Files saved before records had a kind and version (plain dicts) still load: a missing kind
or version is read as version 1 of the expected kind.
"""

from __future__ import annotations

import itertools
import math
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, TypeVar

from tlkit.practice.clock import RunnerState

R = TypeVar("R", bound="Record")


class RecordError(ValueError):
    """A saved record is not in the shape this version of the kit reads; the message says why."""


class Record:
    """What every record has: a kind (what it holds), a version (of its shape), a dict form."""

    kind: ClassVar[str] = ""
    version: ClassVar[int] = 1
    label: ClassVar[str] = "saved work"        # how a message names it, e.g. "saved clock"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "version": self.version, **self._fields()}

    def _fields(self) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def from_dict(cls: type[R], data: Any) -> R:
        if not isinstance(data, dict):
            raise RecordError(f"The {cls.label} should be a set of named fields, "
                              f"not {type(data).__name__}.")
        kind, version = data.get("kind", cls.kind), data.get("version", 1)
        if kind != cls.kind:
            raise RecordError(f"The {cls.label} holds something else ({kind!r}, not "
                              f"{cls.kind!r}).")
        if not _whole(version) or version < 1:
            raise RecordError(f"The {cls.label} has a version the kit does not know ({version!r}).")
        if version > cls.version:
            raise RecordError(f"The {cls.label} was saved by a newer version of the kit "
                              f"(shape {version}; this one reads up to {cls.version}). "
                              "Update the kit to open it.")
        body = {k: v for k, v in data.items() if k not in ("kind", "version")}
        return cls._from_fields(body)

    @classmethod
    def _from_fields(cls: type[R], data: dict[str, Any]) -> R:
        raise NotImplementedError

    def merged(self: R, base: R | None, theirs: R | None) -> R:
        """This view's record combined with the stored one (`theirs`), given the record this
        view started from (`base`). The default: this view's record wins."""
        return self


# --- small checks ---------------------------------------------------------------------------

def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _text(data: dict, key: str, label: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RecordError(f"The {label} has '{key}' as {type(value).__name__} ({value!r}); "
                          "it should be text.")
    return value


def _mine_or_theirs(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way choice for one value: what this view changed wins, otherwise the stored one."""
    return mine if mine != base else theirs


# --- the protocol runner's clock ------------------------------------------------------------

@dataclass
class RunnerRecord(Record):
    """The runner's clock (tlkit.practice.clock.RunnerState). One facilitator drives it, so
    the latest press wins."""

    state: RunnerState

    kind: ClassVar[str] = "runner"
    label: ClassVar[str] = "saved clock"

    def _fields(self) -> dict[str, Any]:
        return self.state.to_dict()

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> RunnerRecord:
        try:
            return cls(RunnerState.from_dict(data))
        except ValueError as err:
            raise RecordError(str(err)) from None


# --- observation notes ----------------------------------------------------------------------

_counter = itertools.count()


def new_note_id() -> str:
    """Unique across views and kernels: a random part, so two tabs never pick the same id."""
    return f"{uuid.uuid4().hex[:12]}-{next(_counter)}"


@dataclass(frozen=True)
class ObservedNote:
    """One note with an id, so views can merge notes one by one. `time` is the stamp shown
    ("mm:ss" or "HH:MM:SS"); `added_at` (seconds since the epoch) orders notes from views."""

    id: str
    time: str
    text: str
    look_for: str | None = None
    added_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "time": self.time, "text": self.text,
                "look_for": self.look_for, "added_at": self.added_at}


def _note(raw: Any, number: int) -> ObservedNote:
    label = f"saved note {number}"
    if not isinstance(raw, dict):
        raise RecordError(f"The {label} should be a set of named fields, not "
                          f"{type(raw).__name__}.")
    added_at = raw.get("added_at", 0.0)
    if not _number(added_at):
        raise RecordError(f"The {label} has 'added_at' {added_at!r}; it should be a time "
                          "in seconds.")
    look_for = raw.get("look_for")
    if look_for is not None and not isinstance(look_for, str):
        raise RecordError(f"The {label} has 'look_for' {look_for!r}; it should be a "
                          "look-for id or empty.")
    # Notes saved before notes had ids get a stable one from their place in the list.
    return ObservedNote(id=_text(raw, "id", label) or f"n{number}",
                        time=_text(raw, "time", label), text=_text(raw, "text", label),
                        look_for=look_for, added_at=float(added_at))


@dataclass
class ObservationRecord(Record):
    """An observer's notes and scores, the clock start, and the half-written note.

    `removed` holds the ids of notes taken back (Undo), so a merge with a view that still has
    them never brings them back.
    """

    observer: str = ""
    teacher: str = ""
    date: str = ""
    rubric_id: str = ""
    observation_id: str = ""
    scores: dict[str, int | None] = field(default_factory=dict)
    notes: list[ObservedNote] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    started_at: float | None = None
    draft: str = ""
    draft_tag: str | None = None

    kind: ClassVar[str] = "observation"
    label: ClassVar[str] = "saved observation"

    def _fields(self) -> dict[str, Any]:
        return {"observer": self.observer, "teacher": self.teacher, "date": self.date,
                "rubric_id": self.rubric_id, "observation_id": self.observation_id,
                "scores": dict(self.scores), "notes": [n.to_dict() for n in self.notes],
                "removed": sorted(self.removed), "started_at": self.started_at,
                "draft": self.draft, "draft_tag": self.draft_tag}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> ObservationRecord:
        label = cls.label
        scores = data.get("scores") or {}
        if not isinstance(scores, dict):
            raise RecordError(f"The {label} has 'scores' as {type(scores).__name__}; it "
                              "should map look-fors to scores.")
        for look_for, score in scores.items():
            if score is not None and not _whole(score):
                raise RecordError(f"The {label} has the score {score!r} for {look_for!r}; "
                                  "it should be a whole number or empty.")
        raw_notes = data.get("notes") or []
        if not isinstance(raw_notes, list):
            raise RecordError(f"The {label} has 'notes' as {type(raw_notes).__name__}; it "
                              "should be a list of notes.")
        removed = data.get("removed") or []
        if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
            raise RecordError(f"The {label} has 'removed' as {removed!r}; it should be a "
                              "list of note ids.")
        started_at = data.get("started_at")
        if started_at is not None and not _number(started_at):
            raise RecordError(f"The {label} has 'started_at' {started_at!r}; it should be a "
                              "time in seconds.")
        draft_tag = data.get("draft_tag")
        if draft_tag is not None and not isinstance(draft_tag, str):
            raise RecordError(f"The {label} has 'draft_tag' {draft_tag!r}; it should be a "
                              "look-for id or empty.")
        return cls(observer=_text(data, "observer", label), teacher=_text(data, "teacher", label),
                   date=_text(data, "date", label), rubric_id=_text(data, "rubric_id", label),
                   observation_id=_text(data, "observation_id", label), scores=dict(scores),
                   notes=[_note(raw, i) for i, raw in enumerate(raw_notes, start=1)],
                   removed=set(removed),
                   started_at=None if started_at is None else float(started_at),
                   draft=_text(data, "draft", label), draft_tag=draft_tag)

    def add_note(self, time_stamp: str, text: str, look_for: str | None = None,
                 added_at: float | None = None) -> ObservedNote:
        note = ObservedNote(id=new_note_id(), time=time_stamp, text=text, look_for=look_for,
                            added_at=time.time() if added_at is None else added_at)
        self.notes.append(note)
        return note

    def take_back_last_note(self) -> ObservedNote | None:
        """Remove the newest note and remember its id so no merge brings it back."""
        if not self.notes:
            return None
        note = self.notes.pop()
        self.removed.add(note.id)
        return note

    def merged(self, base: ObservationRecord | None,
               theirs: ObservationRecord | None) -> ObservationRecord:
        if theirs is None:
            return self
        base = base or ObservationRecord()
        removed = self.removed | theirs.removed
        by_id = {n.id: n for n in theirs.notes} | {n.id: n for n in self.notes}
        notes = sorted((n for n in by_id.values() if n.id not in removed),
                       key=lambda n: (n.added_at, n.id))
        scores = {}
        for look_for in {*base.scores, *self.scores, *theirs.scores}:
            scores[look_for] = _mine_or_theirs(base.scores.get(look_for),
                                               self.scores.get(look_for),
                                               theirs.scores.get(look_for))
        # The half-written note belongs to the view it is typed in: always this view's.
        pick = {name: _mine_or_theirs(getattr(base, name), getattr(self, name),
                                      getattr(theirs, name))
                for name in ("observer", "teacher", "date", "rubric_id", "observation_id",
                             "started_at")}
        return replace(self, notes=notes, removed=removed,
                       scores={k: v for k, v in scores.items() if v is not None}, **pick)


# --- calibration: everyone's scores for one episode -----------------------------------------

ObserverRow = tuple[str, dict[str, Any]]          # (observer name, {look-for id: score or None})


def _row_key(name: str) -> str:
    return name.strip().casefold()


@dataclass
class CalibrationRecord(Record):
    """The calibration grid: one row per observer, in order. Views merge row by row, matched
    by observer name (case and spaces ignored)."""

    observers: list[ObserverRow] = field(default_factory=list)

    kind: ClassVar[str] = "calibration"
    label: ClassVar[str] = "saved scores"

    def _fields(self) -> dict[str, Any]:
        return {"observers": [{"name": name, "scores": dict(scores)}
                              for name, scores in self.observers]}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> CalibrationRecord:
        raw = data.get("observers", [])
        if not isinstance(raw, list):
            raise RecordError(f"The {cls.label} have 'observers' as {type(raw).__name__} "
                              f"({raw!r}); it should be a list of observers.")
        rows = []
        for number, item in enumerate(raw, start=1):
            where = f"observer {number} of the {cls.label}"
            if not isinstance(item, dict):
                raise RecordError(f"The {where} should be a name with scores, not {item!r}.")
            scores = item.get("scores") or {}
            if not isinstance(scores, dict):
                raise RecordError(f"The {where} has 'scores' as {scores!r}; it should map "
                                  "look-fors to scores.")
            for look_for, score in scores.items():
                if score is not None and not _whole(score):
                    raise RecordError(f"The {where} has the score {score!r} for "
                                      f"{look_for!r}; it should be a whole number or empty.")
            rows.append((_text(item, "name", where), dict(scores)))
        return cls(rows)

    def merged(self, base: CalibrationRecord | None,
               theirs: CalibrationRecord | None) -> CalibrationRecord:
        if theirs is None:
            return self
        base_rows = _keyed(base.observers if base else [])
        their_rows = _keyed(theirs.observers)
        mine = _keyed(self.observers)
        out: list[ObserverRow] = []
        for key, (name, scores) in mine.items():
            if key in their_rows:
                before = base_rows.get(key, ("", {}))[1]
                other = their_rows[key][1]
                cells = {lf: _mine_or_theirs(before.get(lf), scores.get(lf), other.get(lf))
                         for lf in {*before, *scores, *other}}
                out.append((name, cells))
            elif key not in base_rows or scores != base_rows[key][1]:
                out.append((name, scores))         # new here, or changed here after they removed it
        for key, row in their_rows.items():
            if key in mine:
                continue
            if key not in base_rows or row[1] != base_rows[key][1]:
                out.append(row)                    # new there, or changed there after we removed it
        return CalibrationRecord(out)


def _keyed(rows: list[ObserverRow]) -> dict[str, ObserverRow]:
    """Rows by name; a repeated name (or a second blank row) gets a numbered key of its own."""
    out: dict[str, ObserverRow] = {}
    for name, scores in rows:
        key, n = _row_key(name), 1
        while key in out:
            n += 1
            key = f"{_row_key(name)}#{n}"
        out[key] = (name, scores)
    return out


# --- the feedback sorting exercise ----------------------------------------------------------

@dataclass
class FeedbackSortRecord(Record):
    """Each statement's answer (a label, or None for not sorted). Views merge per statement:
    the answer a view changed wins, and answers for statements it does not show are kept."""

    answers: dict[str, str | None] = field(default_factory=dict)
    order_seed: int | None = None    # the learner's shuffle, fixed on first use

    kind: ClassVar[str] = "feedback-sort"
    label: ClassVar[str] = "saved sorting"

    def _fields(self) -> dict[str, Any]:
        fields = {"answers": dict(self.answers)}
        if self.order_seed is not None:
            fields["order_seed"] = self.order_seed
        return fields

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> FeedbackSortRecord:
        seed = data.get("order_seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise RecordError(f"The {cls.label} has the order {seed!r}; it should be a whole "
                              "number.")
        answers = data.get("answers", {})
        if not isinstance(answers, dict):
            raise RecordError(f"The {cls.label} has 'answers' as {type(answers).__name__}; "
                              "it should map statements to answers.")
        for statement, answer in answers.items():
            if answer is not None and not isinstance(answer, str):
                raise RecordError(f"The {cls.label} has the answer {answer!r} for "
                                  f"{statement!r}; it should be a label or empty.")
        return cls(dict(answers), seed)

    def merged(self, base: FeedbackSortRecord | None,
               theirs: FeedbackSortRecord | None) -> FeedbackSortRecord:
        if theirs is None:
            return self
        # The first order stored stays: a learner's statements never reshuffle.
        seed = theirs.order_seed if theirs.order_seed is not None else self.order_seed
        before = base.answers if base else {}
        # A statement this view does not show (a sampled round) keeps the stored answer.
        answers = {sid: _mine_or_theirs(before.get(sid), self.answers[sid],
                                        theirs.answers.get(sid))
                   if sid in self.answers else theirs.answers[sid]
                   for sid in {*theirs.answers, *self.answers}}
        order = [*theirs.answers, *(s for s in self.answers if s not in theirs.answers)]
        return FeedbackSortRecord({sid: answers[sid] for sid in order}, seed)


# --- Start here: the learner's self-study pace -----------------------------------------------

@dataclass
class PaceRecord(Record):
    """Minutes a week a learner plans for self-study (Start here's course map); None: not set."""

    kind: ClassVar[str] = "course-pace"
    version: ClassVar[int] = 1
    label: ClassVar[str] = "saved weekly minutes"

    minutes_per_week: int | None = None

    def _fields(self) -> dict[str, Any]:
        return {"minutes_per_week": self.minutes_per_week}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> PaceRecord:
        minutes = data.get("minutes_per_week")
        if minutes is not None and (not _whole(minutes) or minutes < 0):
            raise RecordError(f"The {cls.label} are {minutes!r}; they should be a whole number "
                              "of minutes, 0 or more.")
        return cls(minutes)
# --- the teacher-leader self-assessment and growth plan ------------------------------------

def _text_map(data: dict, key: str, label: str) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise RecordError(f"The {label} has '{key}' as {value!r}; it should map names to text.")
    return {str(k): v for k, v in value.items()}


def _merge_map(base: dict, mine: dict, theirs: dict) -> dict:
    """Key by key: what this view changed wins, otherwise the stored value; blanks dropped."""
    out = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _mine_or_theirs(base.get(key), mine.get(key), theirs.get(key))
        if value not in (None, ""):
            out[key] = value
    return out


# --- the session audit ----------------------------------------------------------------------

AuditRow = tuple[str, str, str]     # title, minutes as typed, format id


def _audit_rows(data: dict, key: str, label: str) -> list[AuditRow]:
    rows = data.get(key, [])
    if not isinstance(rows, list):
        raise RecordError(f"The {label} has '{key}' as {type(rows).__name__}; it should be a "
                          "list of segments.")
    out = []
    for number, row in enumerate(rows, start=1):
        if (not isinstance(row, list) or len(row) != 3
                or not all(isinstance(part, str) for part in row)):
            raise RecordError(f"Segment {number} of '{key}' in the {label} should be a title, "
                              f"minutes and a kind, not {row!r}.")
        out.append((row[0], row[1], row[2]))
    return out


@dataclass
class SelfAssessmentRecord(Record):
    """A learner's self-assessment: a rating (scale position from 1) and evidence per item,
    and the growth plan's boxes. The rating view and the plan view share one record and
    merge key by key, so each keeps the other's work."""

    ratings: dict[str, int] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    plan: dict[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "self-assessment"
    label: ClassVar[str] = "saved self-assessment"

    def _fields(self) -> dict[str, Any]:
        return {"ratings": dict(self.ratings), "evidence": dict(self.evidence),
                "plan": dict(self.plan)}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> SelfAssessmentRecord:
        ratings = data.get("ratings") or {}
        if not isinstance(ratings, dict):
            raise RecordError(f"The {cls.label} has 'ratings' as {type(ratings).__name__}; "
                              "it should map items to ratings.")
        for item, rating in ratings.items():
            if not _whole(rating) or rating < 1:
                raise RecordError(f"The {cls.label} has the rating {rating!r} for {item!r}; "
                                  "it should be a whole number from 1.")
        return cls(dict(ratings), _text_map(data, "evidence", cls.label),
                   _text_map(data, "plan", cls.label))

    def merged(self, base: SelfAssessmentRecord | None,
               theirs: SelfAssessmentRecord | None) -> SelfAssessmentRecord:
        if theirs is None:
            return self
        base = base or SelfAssessmentRecord()
        return SelfAssessmentRecord(_merge_map(base.ratings, self.ratings, theirs.ratings),
                                    _merge_map(base.evidence, self.evidence, theirs.evidence),
                                    _merge_map(base.plan, self.plan, theirs.plan))
# --- the facilitator's open live session ----------------------------------------------------

@dataclass
class LiveHostRecord(Record):
    """The live session a facilitator's view has open: its join code and control token, so a
    reload of the facilitator's page keeps control of the session. Empty code: none open."""

    code: str = ""
    token: str = ""

    kind: ClassVar[str] = "live-host"
    label: ClassVar[str] = "saved live session"

    def _fields(self) -> dict[str, Any]:
        return {"code": self.code, "token": self.token}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> LiveHostRecord:
        return cls(_text(data, "code", cls.label), _text(data, "token", cls.label))
# --- the year planner -----------------------------------------------------------------------

@dataclass
class YearPlanRecord(Record):
    """The year planner's inputs, kept as typed (a calendar or design with a mistake in it is
    saved too, so nothing typed is lost). Views merge field by field: what a view changed wins."""

    design: str = "every-other-week"    # a shipped design's id, or "own"
    own_design: str = ""                # the teacher's own components, as CSV
    calendar: str = ""                  # the school-year calendar, as CSV ("" = the sample)
    limit_minutes: int | None = None
    limit_period: str = "week"
    sites: str = ""                     # "name, minutes one way", one a line
    cohort: int = 12

    kind: ClassVar[str] = "year-plan"
    label: ClassVar[str] = "saved year plan"
    FIELDS: ClassVar[tuple[str, ...]] = ("design", "own_design", "calendar", "limit_minutes",
                                         "limit_period", "sites", "cohort")

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> YearPlanRecord:
        label = cls.label
        limit = data.get("limit_minutes")
        if limit is not None and not _whole(limit):
            raise RecordError(f"The {label} has the contract limit {limit!r}; it should be a "
                              "whole number of minutes or empty.")
        cohort = data.get("cohort", 12)
        if not _whole(cohort):
            raise RecordError(f"The {label} has the cohort size {cohort!r}; it should be a "
                              "whole number.")
        return cls(design=_text(data, "design", label, "every-other-week"),
                   own_design=_text(data, "own_design", label),
                   calendar=_text(data, "calendar", label), limit_minutes=limit,
                   limit_period=_text(data, "limit_period", label, "week"),
                   sites=_text(data, "sites", label), cohort=cohort)

    def merged(self, base: YearPlanRecord | None,
               theirs: YearPlanRecord | None) -> YearPlanRecord:
        if theirs is None:
            return self
        base = base or YearPlanRecord()
        return replace(self, **{name: _mine_or_theirs(getattr(base, name), getattr(self, name),
                                                      getattr(theirs, name))
                                for name in self.FIELDS})


@dataclass
class SessionAuditRecord(Record):
    """A session as it was (`before`) and its redesign (`after`), each a list of segments
    kept as typed (title, minutes, format id), so nothing a learner wrote is lost even when
    the minutes are not a number yet. One learner edits it: the latest save wins."""

    before: list[AuditRow] = field(default_factory=list)
    after: list[AuditRow] = field(default_factory=list)

    kind: ClassVar[str] = "session-audit"
    label: ClassVar[str] = "saved session audit"

    def _fields(self) -> dict[str, Any]:
        return {"before": [list(row) for row in self.before],
                "after": [list(row) for row in self.after]}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> SessionAuditRecord:
        return cls(_audit_rows(data, "before", cls.label), _audit_rows(data, "after", cls.label))


# --- the survey explorer --------------------------------------------------------------------

@dataclass
class ExplorerRecord(Record):
    """The survey explorer's choices (survey, question, grouping, view, smallest group shown),
    so a reload opens on the same chart. One person drives it, so the latest choice wins."""

    choices: dict[str, Any] = field(default_factory=dict)

    kind: ClassVar[str] = "survey-explorer"
    label: ClassVar[str] = "saved explorer choices"
    KEYS: ClassVar[tuple[str, ...]] = ("survey", "item", "grouping", "view", "threshold")

    def _fields(self) -> dict[str, Any]:
        return {"choices": dict(self.choices)}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> ExplorerRecord:
        choices = data.get("choices", {})
        if not isinstance(choices, dict):
            raise RecordError(f"The {cls.label} has 'choices' as {type(choices).__name__}; "
                              "it should map each menu to its choice.")
        for key, value in choices.items():
            if key not in cls.KEYS:
                raise RecordError(f"The {cls.label} has a menu the kit does not know ({key!r}).")
            ok = _whole(value) if key == "threshold" else isinstance(value, str)
            if not ok:
                raise RecordError(f"The {cls.label} has {value!r} for {key!r}.")
        return cls(dict(choices))


# --- the readiness assessment ---------------------------------------------------------------

TeamRatings = dict[str, Any]      # {"ratings": {condition: level or None}, "evidence": {condition: text}}


def _team(raw: Any, name: str, label: str) -> TeamRatings:
    where = f"team {name!r} in the {label}"
    if not isinstance(raw, dict):
        raise RecordError(f"The {where} should be ratings with evidence, not {raw!r}.")
    ratings, evidence = raw.get("ratings") or {}, raw.get("evidence") or {}
    if not isinstance(ratings, dict) or not isinstance(evidence, dict):
        raise RecordError(f"The {where} should map each condition to a rating and its evidence.")
    for condition, level in ratings.items():
        if level is not None and (not _whole(level) or level < 0):
            raise RecordError(f"The {where} has the rating {level!r} for {condition!r}; it "
                              "should be a step of the scale (0, 1, 2 ...) or empty.")
    for condition, text in evidence.items():
        if not isinstance(text, str):
            raise RecordError(f"The {where} has evidence {text!r} for {condition!r}; it "
                              "should be text.")
    return {"ratings": dict(ratings), "evidence": dict(evidence)}


@dataclass
class ReadinessRecord(Record):
    """A team's (or several teams') readiness ratings and evidence, by team name, in the order
    they were first saved. Views merge team by team and condition by condition."""

    teams: dict[str, TeamRatings] = field(default_factory=dict)
    tool: str = "district-partnership"

    kind: ClassVar[str] = "readiness"
    label: ClassVar[str] = "saved readiness ratings"

    def _fields(self) -> dict[str, Any]:
        return {"tool": self.tool,
                "teams": [{"name": name, **_team(t, name, self.label)}
                          for name, t in self.teams.items()]}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> ReadinessRecord:
        raw = data.get("teams", [])
        if not isinstance(raw, list):
            raise RecordError(f"The {cls.label} have 'teams' as {type(raw).__name__}; it "
                              "should be a list of teams.")
        teams = {}
        for number, item in enumerate(raw, start=1):
            if not isinstance(item, dict):
                raise RecordError(f"Team {number} in the {cls.label} should be a named team, "
                                  f"not {item!r}.")
            name = _text(item, "name", f"team {number} in the {cls.label}")
            teams[name] = _team(item, name, cls.label)
        return cls(teams, _text(data, "tool", cls.label, "district-partnership"))

    def merged(self, base: ReadinessRecord | None,
               theirs: ReadinessRecord | None) -> ReadinessRecord:
        if theirs is None:
            return self
        before = base.teams if base else {}
        out: dict[str, TeamRatings] = {}
        for name in [*theirs.teams, *(n for n in self.teams if n not in theirs.teams)]:
            mine, other = self.teams.get(name), theirs.teams.get(name)
            if mine is None or other is None:
                out[name] = mine or other
                continue
            old = before.get(name, {"ratings": {}, "evidence": {}})
            out[name] = {part: {cid: _mine_or_theirs(old[part].get(cid), mine[part].get(cid),
                                                     other[part].get(cid))
                                for cid in {*mine[part], *other[part]}}
                         for part in ("ratings", "evidence")}
        return ReadinessRecord(out, self.tool)


# --- the course portfolio -------------------------------------------------------------------

@dataclass
class PortfolioRecord(Record):
    """The portfolio's own words: the learner's introduction. Everything else in a portfolio
    is read from the other modules' records and never copied here."""

    introduction: str = ""

    kind: ClassVar[str] = "portfolio"
    label: ClassVar[str] = "saved portfolio introduction"

    def _fields(self) -> dict[str, Any]:
        return {"introduction": self.introduction}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> PortfolioRecord:
        return cls(_text(data, "introduction", cls.label))
