"""Small JSON state files that let a widget resume after a page reload or kernel restart.

Each widget saves a plain dict under a key (e.g. "runner-tuning", "observation-2026-03-04-a").
Writes are atomic (write to a temporary file, then rename), so a crash mid-save never leaves
a half-written file that would lose a group's place or a learner's notes.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from tlkit.settings import state_dir

_SAFE_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")


def state_path(key: str) -> Path:
    if not _SAFE_KEY.match(key):
        raise ValueError(
            f"State key {key!r} can only use letters, digits, '.', '_' and '-' "
            "(it becomes a file name)."
        )
    return state_dir() / f"{key}.json"


def _plain(value: Any) -> Any:
    """JSON for the numpy/pandas scalars a widget may hand over (np.int64, pd.NA, NaT)."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return value.item()  # a numpy scalar, read without importing numpy here
    raise TypeError(f"{type(value).__name__} values cannot be saved ({value!r}).")


def save_state(key: str, data: dict[str, Any]) -> Path:
    path = state_path(key)
    # Serialise before touching the disk: a value JSON cannot hold raises here, and the
    # previous save stays as it was.
    text = json.dumps(data, indent=2, sort_keys=True, default=_plain)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # on disk before the rename, so a power cut cannot
        os.replace(tmp, path)          # leave an empty file under the real name
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_state(key: str) -> tuple[dict[str, Any] | None, Path | None]:
    """(the saved dict or None, where an unreadable file was kept or None).

    A file that cannot be read is moved aside (never deleted) so the widget can start fresh
    while the old content stays on disk; the second value lets the widget say where it is.
    """
    path = state_path(key)
    if not path.exists():
        return None, None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data, None
    except (ValueError, OSError):
        return None, set_aside(key)


def load_state(key: str) -> dict[str, Any] | None:
    """The saved dict, or None when nothing readable was saved (see read_state)."""
    return read_state(key)[0]


def set_aside(key: str) -> Path | None:
    """Move a state file out of the way without deleting it; returns where it went.

    Each file set aside gets its own time-stamped name, so a second problem never overwrites
    the copy kept from the first.
    """
    path = state_path(key)
    if not path.exists():
        return None
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{key}.unreadable-{stamp}.json")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{key}.unreadable-{stamp}-{n}.json")
    path.replace(target)
    return target
