"""The evaluation's tables, and reading them from a partner's CSV files with their columns checked.

Each table has one row per answer, with a `cohort` column so several cohorts' files can be put
together. Exit tickets come from the live sessions' records; the other tables are what learners
share at the start and the end of the course and in the follow-up survey (their own copies stay
in their portfolios), exported from a form or a spreadsheet as CSV.

A file is read as text (never run), checked whole, and refused with every problem named by its
row (the first MAX_PROBLEMS), so nothing is half-read. Files of up to MAX_BYTES.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pandas as pd

from tlkit.content.loader import load
from tlkit.data.csv_text import CsvTextError, decode, read_bytes, read_rows, sniff_delimiter

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 10
MAX_TEXT = 80               # characters in a cohort, learner, item or module cell


class EvaluationInputError(ValueError):
    """A file cannot be used; the message names the file, the rows and the fix."""


def _whole(low: int, high: int) -> Callable[[str], object]:
    def check(text: str):
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"should be a whole number from {low} to {high}") from None
        if not low <= value <= high:
            raise ValueError(f"should be a whole number from {low} to {high}")
        return value
    return check


def _percent(text: str):
    try:
        value = float(text)
    except ValueError:
        raise ValueError("should be a percentage from 0 to 100") from None
    if not 0 <= value <= 100:
        raise ValueError("should be a percentage from 0 to 100")
    return value


def _yes_no(text: str):
    value = text.strip().casefold()
    if value in ("yes", "true", "1"):
        return True
    if value in ("no", "false", "0", ""):
        return False
    raise ValueError("should be yes or no")


def _one_of(*allowed: str) -> Callable[[str], object]:
    def check(text: str):
        if text not in allowed:
            raise ValueError(f"should be one of: {', '.join(allowed)}")
        return text
    return check


def _label(text: str):
    if not text or len(text) > MAX_TEXT:
        raise ValueError(f"should be filled in, at most {MAX_TEXT} characters")
    return text


@dataclass(frozen=True)
class TableSpec:
    name: str
    about: str
    columns: dict[str, Callable[[str], object]]


def _follow_up_columns() -> dict[str, Callable[[str], object]]:
    survey = load("instrument", "follow-up")
    answer = _one_of("", *survey["scale"])
    return {"cohort": _label, "learner": _label, "weeks_after": _whole(0, 104),
            **{item["id"]: answer for item in survey["items"]}}


TABLES = {
    "exit_tickets": TableSpec("exit_tickets", "one exit ticket from a live session",
                              {"cohort": _label, "session": _label, "useful": _whole(1, 5),
                               "tried": _yes_no}),
    "self_assessment": TableSpec("self_assessment", "one self-assessment rating",
                                 {"cohort": _label, "learner": _label,
                                  "time": _one_of("start", "end"), "item": _label,
                                  "rating": _whole(1, 5)}),
    "module_results": TableSpec("module_results", "one learner's graded module",
                                {"cohort": _label, "learner": _label, "module": _label,
                                 "final_percent": _percent}),
    "activity_results": TableSpec("activity_results", "one learner's checked activities in a "
                                  "module, first try and final",
                                  {"cohort": _label, "learner": _label, "module": _label,
                                   "first_percent": _percent, "final_percent": _percent}),
    "readiness": TableSpec("readiness", "one school-conditions rating",
                           {"cohort": _label, "learner": _label, "time": _whole(1, 2),
                            "condition": _label, "rating": _whole(1, 4)}),
    "observations": TableSpec("observations", "one look-for score of a peer observation",
                              {"cohort": _label, "teacher": _label, "cycle": _whole(1, 9),
                               "look_for": _label, "score": _whole(1, 5)}),
}


def spec(name: str) -> TableSpec:
    if name == "follow_up":
        return TableSpec("follow_up", "one follow-up survey response", _follow_up_columns())
    return TABLES[name]


TABLE_NAMES = (*TABLES, "follow_up")


def read_table(name: str, source, label: str | None = None) -> pd.DataFrame:
    """The table `name` from a CSV file (path or bytes), checked; EvaluationInputError if not."""
    table = spec(name)
    label = label or f"The file {Path(str(source)).name if not isinstance(source, bytes) else name}"
    try:
        data = read_bytes(source, label)
        if len(data) > MAX_BYTES:
            raise EvaluationInputError(f"{label} is larger than {MAX_BYTES // 2**20} MB; split "
                                       "it by cohort and import each part.")
        text = decode(data, label)
    except CsvTextError as err:
        raise EvaluationInputError(str(err)) from None
    rows = read_rows(text.splitlines()) if text.strip() else []
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        import csv
        import io
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise EvaluationInputError(f"{label} is empty. It needs a header row with the columns "
                                   f"{', '.join(table.columns)}.")
    header = [cell.strip() for cell in rows[0]]
    missing = [c for c in table.columns if c not in header]
    if missing:
        raise EvaluationInputError(f"{label} has no column {', '.join(missing)}. The header "
                                   f"row needs: {', '.join(table.columns)} (in any order).")
    where = {c: header.index(c) for c in table.columns}
    problems, clean = [], []
    for number, row in enumerate(rows[1:], start=2):
        values = {}
        for column, check in table.columns.items():
            cell = row[where[column]].strip() if where[column] < len(row) else ""
            try:
                values[column] = check(cell)
            except ValueError as err:
                problems.append(f"row {number}, {column}: {cell[:40]!r} {err}")
        clean.append(values)
    if problems:
        more = len(problems) - MAX_PROBLEMS
        raise EvaluationInputError(
            f"{label} ({table.about} per row) has {len(problems)} problem"
            f"{'s' if len(problems) > 1 else ''}; nothing was read. Fix them and try again:\n"
            + "\n".join(problems[:MAX_PROBLEMS])
            + (f"\n... and {more} more." if more > 0 else ""))
    return pd.DataFrame(clean, columns=list(table.columns))


def read_folder(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table found in `folder` as <name>.csv (a missing one is simply not there)."""
    folder = Path(folder)
    return {name: read_table(name, folder / f"{name}.csv") for name in TABLE_NAMES
            if (folder / f"{name}.csv").is_file()}
