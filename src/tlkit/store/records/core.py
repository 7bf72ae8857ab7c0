"""What every record is, and the field checks and merge helpers the kinds share."""

from __future__ import annotations

import math
from typing import Any, ClassVar, TypeVar

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


# Seconds since 1970 up to the year 3000: a time further out (1e30) is no real moment, and
# turning it into a date or a clock would stop the view every time it opens.
LATEST_MOMENT = 32_503_680_000


def _moment(value: Any) -> bool:
    """A time in seconds since the epoch that a clock or a date can show."""
    return _number(value) and 0 <= value <= LATEST_MOMENT


# The most entries a list or a mapping in a record may hold: far more than a real session
# needs, and few enough that opening and saving stay quick.
MAX_ENTRIES = 5000


def _text(data: dict, key: str, label: str, default: str = "") -> str:
    value = data.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RecordError(f"The {label} has '{key}' as {type(value).__name__} ({value!r}); "
                          "it should be text.")
    return value


def _must_be(value: Any, kind: type, label: str, key: str, should: str,
             verb: str = "has") -> None:
    """The shape check every record makes of a field that holds a mapping or a list: `should`
    ends the sentence ("map look-fors to scores.")."""
    if not isinstance(value, kind):
        raise RecordError(f"The {label} {verb} '{key}' as {type(value).__name__}; "
                          f"it should {should}")
    if len(value) > MAX_ENTRIES:
        raise RecordError(f"The {label} {verb} {len(value):,} entries in '{key}', more than "
                          f"the {MAX_ENTRIES:,} the kit keeps.")


def _check_scores(scores: dict, where: str) -> None:
    """Each score a whole number or empty (a rubric's scores, in notes and in calibration)."""
    for look_for, score in scores.items():
        if score is not None and not _whole(score):
            raise RecordError(f"The {where} has the score {score!r} for {look_for!r}; "
                              "it should be a whole number or empty.")


def _mine_or_theirs(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way choice for one value: what this view changed wins, otherwise the stored one."""
    return mine if mine != base else theirs


def _text_map(data: dict, key: str, label: str) -> dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise RecordError(f"The {label} has '{key}' as {value!r}; it should map names to text.")
    _must_be(value, dict, label, key, "map names to text.")        # its length
    return {str(k): v for k, v in value.items()}


def _merge_map(base: dict, mine: dict, theirs: dict) -> dict:
    """Key by key: what this view changed wins, otherwise the stored value; blanks dropped."""
    out = {}
    for key in [*theirs, *(k for k in mine if k not in theirs)]:
        value = _mine_or_theirs(base.get(key), mine.get(key), theirs.get(key))
        if value not in (None, ""):
            out[key] = value
    return out
