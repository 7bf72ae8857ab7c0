"""Plain dicts as the JSON files the default store keeps in the state folder (TLKIT_STATE_DIR):
tests read what a widget saved, or plant a file for it, without going through a record.
Writes are atomic and an unreadable file is moved aside (tlkit.store.json_files)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tlkit.settings import state_dir
from tlkit.store.json_files import JsonFileStore, move_aside, read_json, write_json

__all__ = ["load_state", "read_state", "save_state", "state_path"]


def state_path(key: str) -> Path:
    """The file in which the default store keeps `key`'s record."""
    return JsonFileStore(state_dir(create=False)).path(key)


def save_state(key: str, data: dict[str, Any]) -> Path:
    path = state_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
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
