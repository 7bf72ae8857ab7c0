"""Records of the practice widgets: the protocol clock, the feedback sort, the
self-assessment and growth plan, the session audit, the coaching log and the question
workshop."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from tlkit.practice.clock import RunnerState
from tlkit.store.records.core import (Record, RecordError, _merge_map, _mine_or_theirs,
                                      _must_be, _text, _text_map, _whole)

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
        _must_be(answers, dict, cls.label, "answers", "map statements to answers.")
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
        _must_be(ratings, dict, cls.label, "ratings", "map items to ratings.")
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


# --- the session audit ----------------------------------------------------------------------

AuditRow = tuple[str, str, str]     # title, minutes as typed, format id


def _audit_rows(data: dict, key: str, label: str) -> list[AuditRow]:
    rows = data.get(key, [])
    _must_be(rows, list, label, key, "be a list of segments.")
    out = []
    for number, row in enumerate(rows, start=1):
        if (not isinstance(row, list) or len(row) != 3
                or not all(isinstance(part, str) for part in row)):
            raise RecordError(f"Segment {number} of '{key}' in the {label} should be a title, "
                              f"minutes and a kind, not {row!r}.")
        out.append((row[0], row[1], row[2]))
    return out


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


# --- the coaching log and the question workshop --------------------------------------------

_LOG_KEYS = ("date", "goal", "observed", "next_step", "my_question")


@dataclass
class CoachingLogRecord(Record):
    """A coach's log: entries by id (each the five boxes of tlkit.practice.coaching.LOG_FIELDS,
    as text), in the order added. Views merge entry by entry; `removed` keeps the ids taken
    out, so a merge with a view that still shows one never brings it back."""

    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)

    kind: ClassVar[str] = "coaching-log"
    label: ClassVar[str] = "saved coaching log"

    def _fields(self) -> dict[str, Any]:
        return {"entries": [{"id": eid, **entry} for eid, entry in self.entries.items()],
                "removed": sorted(self.removed)}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> CoachingLogRecord:
        raw = data.get("entries") or []
        _must_be(raw, list, cls.label, "entries", "be a list of entries.")
        entries = {}
        for number, entry in enumerate(raw, start=1):
            where = f"{cls.label} (entry {number})"
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                raise RecordError(f"The {where} should be a set of named fields with an id.")
            entries[entry["id"]] = {key: _text(entry, key, where) for key in _LOG_KEYS}
        removed = data.get("removed") or []
        if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
            raise RecordError(f"The {cls.label} has 'removed' as {removed!r}; it should be a "
                              "list of entry ids.")
        return cls(entries, set(removed))

    def merged(self, base: CoachingLogRecord | None,
               theirs: CoachingLogRecord | None) -> CoachingLogRecord:
        if theirs is None:
            return self
        before = base.entries if base else {}
        removed = self.removed | theirs.removed
        order = [*theirs.entries, *(e for e in self.entries if e not in theirs.entries)]
        entries = {eid: _mine_or_theirs(before.get(eid), self.entries[eid],
                                        theirs.entries.get(eid))
                   if eid in self.entries else theirs.entries[eid]
                   for eid in order if eid not in removed}
        return CoachingLogRecord(entries, removed)


@dataclass
class QuestionWorkshopRecord(Record):
    """The question workshop: each question's kind as sorted (None: not sorted) and each
    rewrite as typed. Merged question by question and rewrite by rewrite."""

    sorted_as: dict[str, str | None] = field(default_factory=dict)
    rewrites: dict[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "question-workshop"
    label: ClassVar[str] = "saved question workshop"

    def _fields(self) -> dict[str, Any]:
        return {"sorted_as": dict(self.sorted_as), "rewrites": dict(self.rewrites)}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> QuestionWorkshopRecord:
        sorted_as = data.get("sorted_as") or {}
        _must_be(sorted_as, dict, cls.label, "sorted_as", "map questions to kinds.")
        for question, kind in sorted_as.items():
            if kind is not None and not isinstance(kind, str):
                raise RecordError(f"The {cls.label} has the kind {kind!r} for {question!r}; "
                                  "it should be a kind or empty.")
        return cls(dict(sorted_as), _text_map(data, "rewrites", cls.label))

    def merged(self, base: QuestionWorkshopRecord | None,
               theirs: QuestionWorkshopRecord | None) -> QuestionWorkshopRecord:
        if theirs is None:
            return self
        base = base or QuestionWorkshopRecord()
        return QuestionWorkshopRecord(
            _merge_map(base.sorted_as, self.sorted_as, theirs.sorted_as),
            _merge_map(base.rewrites, self.rewrites, theirs.rewrites))


# --- the teach-back, as the teacher leader keeps it -------------------------------------------

@dataclass
class TeachBackRecord(Record):
    """The teach-back result handed back to a teacher leader (tlkit.practice.teachback,
    plain text, no scorer named). A newer file replaces the older one."""

    result: dict[str, Any] = field(default_factory=dict)

    kind: ClassVar[str] = "teach-back"
    label: ClassVar[str] = "saved teach-back"

    def _fields(self) -> dict[str, Any]:
        return {"result": dict(self.result)}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> TeachBackRecord:
        from tlkit.practice.teachback import ReturnFileError, returned_from_dict

        result = data.get("result") or {}
        if result:
            try:
                returned_from_dict(result)
            except ReturnFileError as err:
                raise RecordError(f"The {cls.label} cannot be used: {err}") from None
        return cls(dict(result))
