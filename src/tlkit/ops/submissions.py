"""Check a learner's notebook before it is graded, and explain any problem in plain words.

nbgrader's autograde either stops with a traceback on a notebook that is not valid JSON, or
quietly grades a notebook whose answer or test cells were deleted (those cells score
nothing and nobody is told). This check finds both, so a facilitator or learner can fix the
file first.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError


def _graded_ids(nb: nbformat.NotebookNode) -> list[str]:
    ids = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if (meta.get("grade") or meta.get("solution")) and meta.get("grade_id"):
            ids.append(meta["grade_id"])
    return ids


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def check_submission(path: Path | str, released: Path | str) -> list[str]:
    """Problems with the learner's notebook `path`, compared with the `released` original.

    Returns an empty list when the notebook can be graded. Never raises, whether the
    submission or the released original is bad; every message names the file and says what
    to do.
    """
    path, released = Path(path), Path(released)
    if not path.is_file():
        return [f"There is no notebook at {path}. Check the file name, or start again from "
                f"a fresh copy of {released.name}."]
    try:
        present = set(_graded_ids(_read(path)))
    except NotJSONError as err:
        where = ""
        if isinstance(err.__cause__, json.JSONDecodeError):
            where = f" at line {err.__cause__.lineno}, column {err.__cause__.colno}"
        return [f"{path.name} is damaged and cannot be opened as a notebook (the file is cut "
                f"short or garbled{where}). Restore an earlier version (File > Revert Notebook "
                f"to Checkpoint in JupyterLab) or copy your answers into a fresh copy of "
                f"{released.name}."]
    except Exception as err:  # valid JSON that is not a notebook fails in several ways
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return [f"{path.name} cannot be opened as a notebook ({reason}). Restore an earlier "
                f"version or copy your answers into a fresh copy of {released.name}."]

    # The released original is the course's file, not the learner's; if it is missing or
    # damaged the fix is to release the course again, so the message says that instead.
    fix = (f"Release the course again (tlkit release), or pass the path of the released "
           f"{released.name}.")
    if not released.is_file():
        return [f"There is no released notebook at {released} to check {path.name} against. "
                + fix]
    try:
        expected = _graded_ids(_read(released))
    except Exception as err:  # the same ways of failing as the learner's copy above
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return [f"The released notebook {released} cannot be opened ({reason}), so "
                f"{path.name} cannot be checked against it. " + fix]
    missing = [gid for gid in expected if gid not in present]
    return [
        f"{path.name} is missing the cell '{gid}' (an answer or check cell, probably deleted "
        f"by accident). Open a fresh copy of {released.name}, copy that cell back into your "
        f"notebook in the same place, and save." for gid in missing
    ]
