"""A small course in tmp for the course-operation tests, and synthetic learners' hand-ins.

The module has every kind of cell the cohort steps meet: a setup cell, a widget cell (skipped
while grading), a code answer with its check, and a written reflection graded by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import secrets
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from support import ROOT

MODULE = "demo"


def _meta(**flags):
    return {"nbgrader": {"schema_version": 3, "grade": False, "solution": False,
                         "locked": False, **flags}}


def write_course(root: Path) -> Path:
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "tlkit": {"module": MODULE, "objectives": ["Try"]}})
    nb.cells = [
        new_markdown_cell("# Part one\n\nA short module.",
                          metadata={"tlkit": {"section": "Part one", "self_study_minutes": 5,
                                              "live_minutes": 10}}),
        new_code_cell("import math\nslot = 45"),
        new_code_cell('from tlkit.widgets import activity_widget\n\n'
                      'activity_widget("demo", "Part one")'),
        new_code_cell("### BEGIN SOLUTION\nminutes_left = slot - 30\n### END SOLUTION",
                      metadata=_meta(solution=True, grade_id="answer-minutes")),
        new_code_cell('assert minutes_left == 15, "Subtract the minutes used from the slot"\n'
                      "### BEGIN HIDDEN TESTS\nassert math.isclose(minutes_left * 3, 45)\n"
                      "### END HIDDEN TESTS",
                      metadata=_meta(grade=True, locked=True, points=2, grade_id="check-minutes")),
        new_markdown_cell("Reflect: what would you change?",
                          metadata=_meta(locked=True, grade_id="reflect-prompt")),
        new_markdown_cell("### BEGIN SOLUTION\nA model reflection.\n### END SOLUTION",
                          metadata=_meta(grade=True, solution=True, points=1,
                                         grade_id="reflection")),
    ]
    module = root / "modules" / MODULE
    module.mkdir(parents=True, exist_ok=True)
    (root / "facilitator").mkdir(exist_ok=True)
    nbformat.write(nb, module / f"{MODULE}.ipynb")
    (root / "modules" / "course.yaml").write_text(
        f"modules:\n  - id: {MODULE}\n    title: Demo\n    session_minutes: 10\n",
        encoding="utf-8")
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    return root


def released(build: Path) -> nbformat.NotebookNode:
    return nbformat.read(build / "release" / MODULE / f"{MODULE}.ipynb", as_version=4)


def answered(build: Path, minutes: str = "slot - 30", reflection: str = "I would start on time."):
    nb = released(build)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "answer-minutes":
            cell.source = f"minutes_left = {minutes}"
        elif gid == "reflection":
            cell.source = reflection
    return nb


def cell_index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def hand_in(build: Path, student: str, content: bytes | str | nbformat.NotebookNode,
            when: dt.datetime | None = None, secret: bool = True) -> None:
    """What nbgrader's submit does: a folder in the exchange's inbound, with a timestamp and
    the submission's secret (secret=False: a hand-in copied there some other way)."""
    when = when or dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone.utc)
    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    folder = build / "exchange" / "tlkit" / "inbound" / f"{student}+{MODULE}+{stamp}+{secrets.token_hex(4)}"
    folder.mkdir(parents=True)
    target = folder / f"{MODULE}.ipynb"
    if isinstance(content, nbformat.NotebookNode):
        nbformat.write(content, target)
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    (folder / "timestamp.txt").write_text(stamp, encoding="utf-8")
    if secret:  # what feedback is handed back by
        (folder / "submission_secret.txt").write_text(secrets.token_hex(64), encoding="utf-8")


def as_json(nb) -> str:
    return json.dumps(nb, indent=1)


@contextlib.contextmanager
def course_folders(tmp_path_factory, name: str):
    """(base, root, build) of a fresh course, with the kit pointed at it while in use."""
    mp = pytest.MonkeyPatch()
    base = tmp_path_factory.mktemp(name)
    root, build = write_course(base / "course"), base / "build"
    mp.setenv("TLKIT_COURSE_ROOT", str(root))
    mp.setenv("TLKIT_BUILD", str(build))
    try:
        yield base, root, build
    finally:
        mp.undo()


def tlkit_course(*args: str) -> tuple[int, str]:
    """`tlkit course ARGS` as a facilitator types it: (exit code, what it printed, errors
    included, as the terminal shows both)."""
    from tlkit.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["course", *args])
    return code, out.getvalue()
