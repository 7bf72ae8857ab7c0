"""The suite runs in a home folder of its own; this records the real one to prove it untouched.

A test run that wrote to the user's home (saved widget state, Jupyter or IPython settings, a
browser profile) would pass or fail by what earlier runs left there, and would change the
user's own kit. `snapshot` lists what is there; `changes` says what differs afterwards.
"""

from __future__ import annotations

import os
from pathlib import Path

# Where the stack writes when it is told nothing: the kit, Jupyter, IPython, matplotlib, the
# browser, npm and fontconfig. A home that is empty at the start (CI) is watched whole; a
# used one (a teacher's or an author's computer, with other programs writing to it while the
# tests run) is watched at its top level and in these folders.
STACK_FOLDERS = (".tlkit", ".jupyter", ".ipython", ".local/share/jupyter", ".local/etc/jupyter",
                 ".config/matplotlib", ".cache/matplotlib", ".config/chromium", ".cache/chromium",
                 ".pki", ".npm", ".cache/ms-playwright", ".cache/fontconfig", ".nbgrader")

Snapshot = dict[str, tuple[bool, int, int]]


def _walk(top: Path, into: Snapshot, base: Path) -> None:
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        is_dir = entry.is_dir(follow_symlinks=False)
        into[str(Path(entry.path).relative_to(base))] = (
            is_dir, 0 if is_dir else info.st_size, 0 if is_dir else info.st_mtime_ns)
        if is_dir:
            _walk(Path(entry.path), into, base)


def snapshot(home: Path) -> Snapshot:
    """Every path under `home` that the check watches, with its kind, size and change time."""
    home = Path(home)
    found: Snapshot = {}
    if not home.is_dir():
        return found
    if not any(home.iterdir()):
        return found                       # empty: anything that appears is the suite's
    for entry in home.iterdir():
        try:
            info = entry.lstat()
        except OSError:
            continue
        is_dir = entry.is_dir() and not entry.is_symlink()
        found[entry.name] = (is_dir, 0 if is_dir else info.st_size,
                             0 if is_dir else info.st_mtime_ns)
    for name in STACK_FOLDERS:
        if (home / name).is_dir():
            _walk(home / name, found, home)
    return found


def changes(before: Snapshot, home: Path) -> list[str]:
    """What differs between `before` and the home now, one plain line per path."""
    home = Path(home)
    if not before:
        after: Snapshot = {}
        _walk(home, after, home)           # it was empty: every path now present is new
    else:
        after = snapshot(home)
    lines = [f"added   {home / p}" for p in sorted(after.keys() - before.keys())]
    lines += [f"removed {home / p}" for p in sorted(before.keys() - after.keys())]
    lines += [f"changed {home / p}" for p in sorted(before.keys() & after.keys())
              if before[p] != after[p]]
    return lines
