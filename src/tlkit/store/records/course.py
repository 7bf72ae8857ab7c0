"""Records of the course's own views: the learner's self-study pace, the survey
explorer's choices and the facilitator's open live session."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from tlkit.store.records.core import Record, RecordError, _must_be, _text, _whole

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
        _must_be(choices, dict, cls.label, "choices", "map each menu to its choice.")
        for key, value in choices.items():
            if key not in cls.KEYS:
                raise RecordError(f"The {cls.label} has a menu the kit does not know ({key!r}).")
            ok = _whole(value) if key == "threshold" else isinstance(value, str)
            if not ok:
                raise RecordError(f"The {cls.label} has {value!r} for {key!r}.")
        return cls(dict(choices))


# --- the facilitator's open live session ----------------------------------------------------

@dataclass
class LiveHostRecord(Record):
    """The live session a facilitator's view has open: its join code and control token, so a
    reload of the facilitator's page keeps control of the session. Empty code: none open."""

    code: str = ""
    token: str = ""

    kind: ClassVar[str] = "live-host"
    label: ClassVar[str] = "saved live session"
    # The one key it is kept under: the host page writes it, the presenter reads it.
    key: ClassVar[str] = "live-host"

    def _fields(self) -> dict[str, Any]:
        return {"code": self.code, "token": self.token}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> LiveHostRecord:
        return cls(_text(data, "code", cls.label), _text(data, "token", cls.label))
