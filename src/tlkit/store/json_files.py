"""JsonFileStore: records as small JSON files in one folder, one file per key.

Writes are atomic (tlkit.atomic: a temporary file, flushed to disk, then renamed), so a
crash mid-save never leaves a half-written file. update() holds a lock on the folder while it
reads, changes and writes, so two views saving at once each see the other's work. A file that
cannot be read, or holds a record of the wrong shape, is moved aside under a time-stamped
name (never deleted), and RecordSetAside says where.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar

from tlkit.atomic import write_atomic
from tlkit.store.base import RecordSetAside, Store, StoreUnavailable, Updated, check_key
from tlkit.store.records import Record, RecordError

try:
    import fcntl
except ImportError:      # Windows: no advisory locks here; saves stay atomic, merges best-effort
    fcntl = None

R = TypeVar("R", bound=Record)

LOCK_NAME = ".tlkit-store.lock"
FIX = ("Ask whoever looks after this computer to make it writable, or set TLKIT_STATE_DIR to "
       "a folder you can write to and restart Jupyter.")

# One saved file holds one person's work on one page: a few KB. Far larger is not work done
# on a page (a pasted document, a junk file) and would make each open and save slow.
MAX_STATE_BYTES = 5 * 1024 * 1024
TOO_LARGE = f"it is larger than the {MAX_STATE_BYTES // (1024 * 1024)} MB one saved file may hold"


class _TooLarge(ValueError):
    pass


_PLAIN_REASONS = {errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                  errno.EROFS: "the disk is read-only", errno.ENOSPC: "the disk is full",
                  errno.ENOTDIR: "part of that path is a file, not a folder",
                  errno.EEXIST: "part of that path is a file, not a folder"}


def _plain(value: Any) -> Any:
    """JSON for the numpy/pandas scalars a widget may hand over (np.int64, pd.NA, NaT)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return value.item()  # a numpy scalar, read without importing numpy here
    raise TypeError(f"{type(value).__name__} values cannot be saved ({value!r}).")


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically. A value JSON cannot hold raises TypeError before the disk is touched,
    so the previous save stays as it was."""
    write_atomic(path, _dumps(data))


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, default=_plain)


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in the file, None if there is no file; ValueError if it is not one."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_STATE_BYTES + 1)   # never more, however large the file
    except FileNotFoundError:
        return None
    except NotADirectoryError:        # the folder is really a file: nothing was saved there
        return None
    if len(raw) > MAX_STATE_BYTES:
        raise _TooLarge(TOO_LARGE)
    # raises ValueError (JSONDecodeError) on broken text, RecursionError on deep nesting
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"it holds a JSON {type(data).__name__}, not a set of named fields")
    return data


def move_aside(path: Path) -> Path | None:
    """Move a file out of the way without deleting it; returns where it went. Each file set
    aside gets its own time-stamped name, so a second problem never overwrites the first."""
    if not path.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.unreadable-{stamp}.json")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.unreadable-{stamp}-{n}.json")
    path.replace(target)
    return target


class JsonFileStore(Store):
    """Records as `<folder>/<key>.json`."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder).expanduser()

    def __repr__(self) -> str:
        return f"JsonFileStore({str(self.folder)!r})"

    def path(self, key: str) -> Path:
        return self.folder / f"{check_key(key)}.json"

    def _unavailable(self, err: OSError) -> StoreUnavailable:
        reason = _PLAIN_REASONS.get(err.errno or 0) or err.strerror or str(err)
        return StoreUnavailable(f"the folder {self.folder} cannot be written ({reason})", FIX)

    def check(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=self.folder, prefix=".write-check.", suffix=".tmp")
            os.close(fd)
            os.unlink(probe)
        except OSError as err:
            raise self._unavailable(err) from None

    def get(self, key: str, record_type: type[R]) -> R | None:
        path = self.path(key)
        try:
            data = read_json(path)
            return None if data is None else record_type.from_dict(data)
        except (ValueError, UnicodeDecodeError, RecursionError) as err:   # broken JSON,
            # nested thousands deep, too large, or not a record (RecordError)
            reason = str(err) if isinstance(err, (RecordError, _TooLarge)) \
                else "it is not readable JSON"
            return self._set_aside(key, path, reason)
        except OSError as err:                            # e.g. no permission to read it
            return self._set_aside(key, path, err.strerror or str(err))

    def _set_aside(self, key: str, path: Path, reason: str):
        try:
            kept = move_aside(path)
        except OSError as err:
            # Cannot read it and cannot move it: refuse to save over it.
            raise StoreUnavailable(
                f"the saved file {path} cannot be read or moved aside "
                f"({_PLAIN_REASONS.get(err.errno or 0) or err.strerror})", FIX) from None
        raise RecordSetAside(key, reason, str(kept or path))

    def revision(self, key: str) -> tuple[int, int] | None:
        try:
            info = self.path(key).stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size

    def put(self, key: str, record: Record) -> None:
        path = self.path(key)
        data = record.to_dict()
        if len(_dumps(data).encode("utf-8")) > MAX_STATE_BYTES:
            # Saving it would make a file the next open sets aside; the page keeps it instead.
            raise StoreUnavailable(
                f"this work is larger than the {MAX_STATE_BYTES // (1024 * 1024)} MB one saved "
                "file may hold", "Shorten the longest text on the page (a pasted document, "
                "perhaps); then it saves again.")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_json(path, data)
        except OSError as err:
            raise self._unavailable(err) from None

    def update(self, key: str, record_type: type[R],
               change: Callable[[R | None], R]) -> Updated[R]:
        with self._locked():
            try:
                current, aside = self.get(key, record_type), None
            except RecordSetAside as err:
                current, aside = None, err
            record = change(current)
            self.put(key, record)
        return Updated(record, aside)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / LOCK_NAME, "a+b")
        except OSError as err:
            raise self._unavailable(err) from None
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            yield
        finally:
            handle.close()                # closing releases the lock
