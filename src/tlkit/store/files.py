"""Plain dicts as JSON files under a key, in the state folder (TLKIT_STATE_DIR).

The lower level under tlkit.store's records: widgets use a Store (see tlkit.store), while
scripts and checks that only need a dict saved and read back can use these. Writes are atomic
and an unreadable file is moved aside, never deleted (tlkit.store.json_files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tlkit.settings import state_dir
from tlkit.store.base import check_key
from tlkit.store.json_files import move_aside, read_json, write_json


def state_path(key: str) -> Path:
    return state_dir() / f"{check_key(key)}.json"


def save_state(key: str, data: dict[str, Any]) -> Path:
    path = state_path(key)
    write_json(path, data)
    return path


def read_state(key: str) -> tuple[dict[str, Any] | None, Path | None]:
    """(the saved dict or None, where an unreadable file was kept or None)."""
    path = state_path(key)
    try:
        return read_json(path), None
    except (ValueError, UnicodeDecodeError, OSError):
        return None, move_aside(path)


def load_state(key: str) -> dict[str, Any] | None:
    """The saved dict, or None when nothing readable was saved (see read_state)."""
    return read_state(key)[0]


def set_aside(key: str) -> Path | None:
    """Move a state file out of the way without deleting it; returns where it went."""
    return move_aside(state_path(key))
