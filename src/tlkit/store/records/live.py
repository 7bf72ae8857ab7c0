"""Records of a learner's live-session views: the session a participant's box has joined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from tlkit.store.records.core import Record, RecordError, _text

_MAX_CODE = 12          # a join code as the sessions' table holds it
_MAX_ID = 64            # a participant id as the sessions' table holds it


def _plain(text: str) -> bool:
    """Empty, or only the letters and digits of plain ASCII."""
    return text == "" or (text.isascii() and text.isalnum())


@dataclass
class LiveJoinRecord(Record):
    """The live session a participant's box joined: the session's join code and the
    participant id the sessions' database gave this page, so a restart picks up the same
    participant instead of counting a new one. The id is the participant's own secret (what
    they send is sent under it); it lets no one move the clock, read what others sent or end
    the session. Both empty: no session joined (or the learner left it)."""

    code: str = ""
    participant_id: str = ""

    kind: ClassVar[str] = "live-join"
    version: ClassVar[int] = 1
    label: ClassVar[str] = "saved live-session join"

    @property
    def joined(self) -> bool:
        return bool(self.code)

    def _fields(self) -> dict[str, Any]:
        return {"code": self.code, "participant_id": self.participant_id}

    @classmethod
    def _from_fields(cls, data: dict[str, Any]) -> LiveJoinRecord:
        code = _text(data, "code", cls.label)
        participant_id = _text(data, "participant_id", cls.label)
        if len(code) > _MAX_CODE or not _plain(code) or code != code.upper():
            raise RecordError(f"The {cls.label} has the code {code!r}; a join code is up to "
                              f"{_MAX_CODE} capital letters and digits.")
        if len(participant_id) > _MAX_ID or not _plain(participant_id):
            raise RecordError(f"The {cls.label} has a participant id that is not one the "
                              f"sessions' database gives ({len(participant_id)} characters).")
        if bool(code) != bool(participant_id):
            raise RecordError(f"The {cls.label} should hold both the session's code and the "
                              "participant id, or neither.")
        return cls(code, participant_id)
