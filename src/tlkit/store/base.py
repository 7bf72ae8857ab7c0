"""The Store interface: records kept under a key, shared by every view that opens them.

A store knows nothing of widgets or of where it keeps things: JSON files today
(tlkit.store.json_files), a database later. Its faults are exceptions with plain sentences
and attributes a widget can show, never a file path in the interface itself:

- StoreUnavailable: nothing can be saved right now (a folder that cannot be written, a
  database that is down). Views keep working in memory and say so.
- RecordSetAside: what was saved under a key could not be read (unreadable, or a record of
  the wrong shape). The store kept it out of the way, never deleted it, and `kept` says where.
"""

from __future__ import annotations

from collections.abc import Hashable

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from tlkit.store.records import Record

R = TypeVar("R", bound=Record)

_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")


def check_key(key: str) -> str:
    """Keys become file names or row ids, so they keep to a small, safe alphabet."""
    if not isinstance(key, str) or not _SAFE_KEY.fullmatch(key):   # match() lets "ok\n" in
        raise ValueError(
            f"State key {key!r} can only use letters, digits, '.', '_' and '-' "
            "(it becomes a file name).")
    return key


class StoreUnavailable(OSError):
    """Nothing can be saved. `problem` says what is wrong in a clause ("the folder X cannot
    be written (Permission denied)"), `fix` says what to do in a sentence."""

    def __init__(self, problem: str, fix: str):
        super().__init__(f"{problem[:1].upper()}{problem[1:]}. {fix}")
        self.problem = problem
        self.fix = fix


class RecordSetAside(ValueError):
    """The saved record under `key` could not be used; `reason` says why and `kept` where the
    store kept it (a file path, a table row: whatever the store can point a person to)."""

    def __init__(self, key: str, reason: str, kept: str):
        super().__init__(f"The saved record {key!r} could not be used ({reason}); "
                         f"it was kept in {kept}.")
        self.key = key
        self.reason = reason
        self.kept = kept


@dataclass(frozen=True)
class Updated(Generic[R]):
    """What update() wrote, and where an unusable stored record was kept if it met one."""

    record: R
    set_aside: RecordSetAside | None = None


class Store(ABC):
    """Records under keys. Implementations must make update() a read-modify-write that no
    other writer to the same key can slip into (a file lock, a database transaction)."""

    @abstractmethod
    def check(self) -> None:
        """Raise StoreUnavailable if a save would fail now (so a view can say so at once)."""

    @abstractmethod
    def get(self, key: str, record_type: type[R]) -> R | None:
        """The record saved under key, or None if there is none. Raises RecordSetAside when
        what is there cannot be read as a `record_type` (it is kept, not deleted)."""

    @abstractmethod
    def put(self, key: str, record: Record) -> None:
        """Save the record under key, replacing what was there. Raises StoreUnavailable."""

    @abstractmethod
    def revision(self, key: str) -> Hashable | None:
        """A cheap token that changes whenever the record under key changes (None if there is
        none), so a view can follow another view's saves without reading the record each time."""

    @abstractmethod
    def update(self, key: str, record_type: type[R],
               change: Callable[[R | None], R]) -> Updated[R]:
        """Read the record under key (None if none, or if unusable: then it is set aside),
        save change(record) in one step, and return what was saved."""
