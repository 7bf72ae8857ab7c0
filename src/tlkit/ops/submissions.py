"""Check a learner's notebook before it is graded, and explain any problem in plain words.

nbgrader's autograde either stops with a traceback on a notebook that is not valid JSON, or
quietly grades a notebook whose graded cells were deleted (an activity's graded cell, a check,
a code answer, or a reflection's question, which nbgrader marks as a task cell: those score
nothing and nobody is told). This check finds both, so a facilitator or learner can fix the
file first.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError


def _graded_cells(nb: nbformat.NotebookNode) -> dict[str, str]:
    """Every cell that is graded or holds an answer, by grade id, with what it is in words: a
    graded activity or check, a code answer, or a reflection's question (a task cell, graded
    by hand)."""
    cells = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if (meta.get("grade") or meta.get("solution") or meta.get("task")) \
                and meta.get("grade_id"):
            cells.setdefault(meta["grade_id"], _what(meta))
    return cells


def _graded_ids(nb: nbformat.NotebookNode) -> list[str]:
    return list(_graded_cells(nb))


_QUESTION = "a reflection's question, graded by hand"


def _what(meta: dict) -> str:
    if meta.get("task"):
        return _QUESTION
    if meta.get("solution"):
        return "an answer cell"
    return "an activity or check cell"


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
        expected = _graded_cells(_read(released))
    except Exception as err:  # the same ways of failing as the learner's copy above
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        return [f"The released notebook {released} cannot be opened ({reason}), so "
                f"{path.name} cannot be checked against it. " + fix]
    return [
        f"{path.name} is missing the cell '{gid}' ({what}, probably deleted by accident). "
        f"Open a fresh copy of {released.name}, copy that cell back into your notebook in the "
        f"same place, and save." for gid, what in expected.items() if gid not in present
    ]


# ---------------------------------------------------------------------------------------------
# Before grading a cohort: every kind of broken submission, and what grading does about it.

# A saved notebook bigger than this holds far more output than any module prints.
LARGE_BYTES = 20 * 1024 * 1024

GRADE = "grade"          # graded as it is; the finding is reported beside the score
REPAIR = "repair"        # graded from a repaired copy (the learner's file is not changed)
SET_ASIDE = "set-aside"  # not graded; nothing in the gradebook changes for it


# Terminal escape sequences (colours, titles, cursor moves), then any control character left
# and the Unicode controls that reorder text on screen.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]"          # CSI: colours, cursor moves
                      r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, links
                      r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"      # DCS, PM, APC, SOS strings
                      r"|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: str) -> str:
    """`text` (which may quote what a learner wrote) safe to print on a terminal: escape
    sequences and control characters removed, line breaks and tabs made spaces."""
    text = _ESCAPES.sub("", str(text))
    text = re.sub(r"[\r\n\t]+", " ", text)
    return _CONTROLS.sub("", text)


@dataclass(frozen=True)
class Finding:
    kind: str     # e.g. "not-json", "cell-duplicated"
    action: str   # GRADE, REPAIR or SET_ASIDE
    message: str  # what is wrong and what to do, in plain words

    def __post_init__(self):
        # Messages quote learners' exceptions and file contents; they end up on a terminal.
        object.__setattr__(self, "message", plain_text(self.message))


def _locked_sources(nb) -> dict[str, str]:
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            and c.metadata["nbgrader"].get("locked")
            and not c.metadata["nbgrader"].get("solution")}


def inspect_submission(path: Path | str, released: Path | str) -> tuple[list[Finding], object]:
    """Everything wrong with a submitted notebook, and the notebook to grade.

    Returns (findings, notebook): notebook is None when the file must be set aside, else the
    notebook nbgrader should grade (repaired where a finding says REPAIR). Never raises.
    """
    path, released = Path(path), Path(released)
    fresh = f"a fresh copy of {released.name}"
    if not path.is_file():
        return [Finding("missing", SET_ASIDE, f"{path.name} was not handed in. Submit it again "
                        "from the course's Assignments tab.")], None
    data = path.read_bytes()
    if not data.strip():
        return [Finding("empty", SET_ASIDE, f"{path.name} is empty (0 cells, nothing saved). "
                        f"Restore an earlier version (File > Revert Notebook to Checkpoint) "
                        f"or copy your answers into {fresh}, then submit again.")], None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        return [Finding("not-utf8", SET_ASIDE, f"{path.name} is not saved as UTF-8 text "
                        f"(unreadable byte at position {err.start}), as happens when another "
                        f"program saves it. Open {fresh} in JupyterLab, copy your answers in, "
                        "save and submit again.")], None
    findings: list[Finding] = []
    try:
        raw = json.loads(text)
    except ValueError:
        [message] = check_submission(path, released)
        return [Finding("not-json", SET_ASIDE, message + " Then submit again.")], None
    major = raw.get("nbformat") if isinstance(raw, dict) else None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat notes (and fixes) repeated cell ids
            nb = nbformat.reads(text, as_version=4)
        if isinstance(major, int) and major < 4:
            findings.append(Finding(
                "old-format", REPAIR, f"{path.name} is in an old notebook format (version "
                f"{major}); it was converted for grading. Open it in JupyterLab and save it "
                "once, which updates the format, before the next submission."))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(nb)
    except Exception as err:  # noqa: BLE001 - any way of not being a notebook
        [message] = check_submission(path, released) or [
            f"{path.name} cannot be opened as a notebook ({str(err).splitlines()[0]}). "
            f"Copy your answers into {fresh}."]
        return [Finding("not-notebook", SET_ASIDE, message + " Then submit again.")], None
    try:
        original = _read(released)
    except Exception:  # noqa: BLE001
        return [Finding("no-release", SET_ASIDE, check_submission(path, released)[0])], None

    # Duplicated cells (a copy-paste in JupyterLab): nbgrader stops at them, for everyone
    # after this learner too. Grade the first copy of each; say which copies were left out.
    seen: set[str] = set()
    kept = []
    for number, cell in enumerate(nb.cells, start=1):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid and gid in seen:
            findings.append(Finding(
                "cell-duplicated", REPAIR, f"{path.name}: cell {number} is a second copy of "
                f"'{gid}' (copied and pasted?). Only the first copy was graded. Delete the "
                "copy, keeping your answer in the first one, and save."))
            continue
        if gid:
            seen.add(gid)
        kept.append(cell)
    nb.cells = kept

    expected = _graded_cells(original)
    for gid, what in expected.items():
        if gid not in seen:
            findings.append(Finding(
                "cell-deleted", GRADE, f"{path.name} is missing the cell '{gid}' ({what}; "
                f"deleted by accident?); it scores nothing until it is back. Restore the cell "
                f"from the released copy ({fresh}) in the same place, and save."))
    before = _locked_sources(original)
    for gid, source in _locked_sources(nb).items():
        if gid in before and source.strip() != before[gid].strip():
            if expected.get(gid) == _QUESTION:
                findings.append(Finding(
                    "cell-edited", GRADE, f"{path.name}: the reflection's question '{gid}' was "
                    "changed. Grading used the released question, not the changed one. Restore "
                    f"the question from the released copy ({fresh}); your own words go in the "
                    "box below it."))
                continue
            findings.append(Finding(
                "cell-edited", GRADE, f"{path.name}: the check cell '{gid}' was changed. "
                "Grading used the released check, not the changed one. Restore the check "
                f"cell from the released copy ({fresh})."))
    if len(data) > LARGE_BYTES:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
        findings.append(Finding(
            "large-output", REPAIR, f"{path.name} is {len(data) / 2**20:.0f} MB, almost all of "
            "it printed output; the output was cleared for grading. Remove the line that "
            "prints so much, run the notebook again and save."))
    return findings, nb


def findings_after_grading(autograded: Path | str, timeout: int | None = None) -> list[Finding]:
    """What went wrong while the notebook ran: a cell stopped at its time limit, or a code
    cell that is not graded (a course's own code answer, or any other code cell) stopped with
    an error (the checks after it may then fail)."""
    path = Path(autograded)
    try:
        nb = _read(path)
    except Exception:  # noqa: BLE001
        return []
    found: list[Finding] = []
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if not errors:
            continue
        ename = errors[0].get("ename", "")
        meta = cell.get("metadata", {}).get("nbgrader", {})
        # nbgrader interrupts a cell at the time limit: the error is then KeyboardInterrupt.
        if ename in ("CellTimeoutError", "KeyboardInterrupt") or "timeout" in ename.lower():
            limit = f" ({timeout} seconds)" if timeout else ""
            found.append(Finding(
                "timeout", GRADE, f"{path.name}: cell {number} was still running at the time "
                f"limit{limit} and was stopped (a loop that never ends?). Fix that cell, run "
                "the notebook from the top and check it finishes, then submit again."))
        elif not meta.get("grade"):
            value = str(errors[0].get("evalue", ""))[:120]
            problem, line = _plain_error(ename, value)
            # Only a course's own code answers are answer cells; the kit's modules are answered
            # in forms and boxes, whose cells are never the learner's to edit.
            answer = bool(meta.get("solution"))
            kind = "the answer cell" if answer else "the code cell"
            heading = _heading_before(nb.cells, number - 1)
            where = f"{kind} under '{heading}' (cell {number})" if heading else \
                f"{kind} at position {number}"
            fix = f"Fix line {line} of that cell" if line else "Fix that cell"
            fix = (f"The checks after it could not see the answers. {fix} (the answers in it "
                   "stay)" if answer else f"The checks after it may have failed because of it. "
                   f"{fix}, or copy it back from a fresh copy of {path.name}")
            found.append(Finding(
                "error", GRADE, f"{path.name}: {where} could not run: {problem}. {fix}, run the "
                f"notebook from the top and submit again. (Python said: {ename}"
                f"{': ' + value if value else ''})"))
    return found


_LINE = re.compile(r"\(?[^()\s]*\.py, line (\d+)\)?")
_QUOTED = re.compile(r"'([^']+)'")


def _plain_error(ename: str, value: str) -> tuple[str, int | None]:
    """What a Python error means, in a sentence a non-programmer can act on, and the line of
    the cell it names (None when it names none). A notebook cell's "file" is a number."""
    match = _LINE.search(value)
    line = int(match.group(1)) if match else None
    name = _QUOTED.search(value)
    name = name.group(1) if name else ""
    at = f"line {line}" if line else "a line"
    if ename == "IndentationError" or ename == "TabError":
        return f"{at} is indented wrongly (spaces at its start)", line
    if ename == "SyntaxError":
        return (f"Python could not read {at} (a typo, or a missing bracket, quote or "
                "colon?)"), line
    if ename == "NameError":
        return (f"it uses the name '{name}', which is not defined (a typo, or a cell above "
                "that was not run?)"), line
    if ename in ("ModuleNotFoundError", "ImportError"):
        return f"it imports '{name}', which is not available here", line
    if ename == "ZeroDivisionError":
        return "it divides by zero", line
    return "it stopped with an error", line


def _heading_before(cells, index: int) -> str:
    """The last Markdown heading above cells[index], shortened; "" when there is none."""
    for cell in reversed(cells[:index]):
        if cell.get("cell_type") != "markdown":
            continue
        for text in str(cell.get("source", "")).splitlines():
            if text.lstrip().startswith("#"):
                title = text.strip().lstrip("#").strip()
                return title if len(title) <= 60 else title[:57] + "..."
    return ""
