"""Records of classroom observation: one observer's notes and scores, and the
calibration grid of everyone's scores."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from tlkit.store.records.core import (Record, RecordError, _check_scores, _mine_or_theirs,
                                      _moment, _must_be, _text)

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


def _look_for(data: dict, key: str, label: str) -> str | None:
    """A field naming a rubric look-for (a note's tag), or None."""
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise RecordError(f"The {label} has '{key}' {value!r}; it should be a look-for id or "
                          "empty.")
    return value


def _note(raw: Any, number: int) -> ObservedNote:
    label = f"saved note {number}"
    if not isinstance(raw, dict):
        raise RecordError(f"The {label} should be a set of named fields, not "
                          f"{type(raw).__name__}.")
    added_at = raw.get("added_at", 0.0)
    if not _moment(added_at):
        raise RecordError(f"The {label} has 'added_at' {added_at!r}; it should be a time "
                          "in seconds.")
    look_for = _look_for(raw, "look_for", label)
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
        _must_be(scores, dict, label, "scores", "map look-fors to scores.")
        _check_scores(scores, label)
        raw_notes = data.get("notes") or []
        _must_be(raw_notes, list, label, "notes", "be a list of notes.")
        removed = data.get("removed") or []
        _must_be(removed, list, label, "removed", "be a list of note ids.")
        if not isinstance(removed, list) or not all(isinstance(r, str) for r in removed):
            raise RecordError(f"The {label} has 'removed' as {removed!r}; it should be a "
                              "list of note ids.")
        started_at = data.get("started_at")
        if started_at is not None and not _moment(started_at):
            raise RecordError(f"The {label} has 'started_at' {started_at!r}; it should be a "
                              "time in seconds.")
        draft_tag = _look_for(data, "draft_tag", label)
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
            _check_scores(scores, where)
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
