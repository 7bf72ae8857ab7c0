"""Check a table of text cells against a codebook and list every problem in plain words.

Used by `tlkit.data.load` (the course's own files) and `tlkit.data.forms` (a learner's survey
export). Problems carry the spreadsheet row number (the header is row 1, so the first data row
is row 2) and the column, so a teacher can find the cell in Excel or Google Sheets.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from tlkit.data.codebooks import Codebook, final_dtype, check_schema, parse_schema

MAX_LISTED = 25  # kinds of problem listed in one message; the full list stays on the exception
NOT_PARSED = {"integer": "a whole number", "number": "a number",
              "date": "a real date written YYYY-MM-DD (for example 2017-04-03)"}


@dataclass(frozen=True)
class Problem:
    row: int | None       # spreadsheet row (header = 1); None for the whole file or column
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return (", ".join(where) + ": " if where else "") + self.message


def column_problems(columns: list[str], codebook: Codebook, source: str) -> list[Problem]:
    """Missing and unexpected columns, named, with what to do about them."""
    have, want = list(columns), codebook.column_names
    missing = [c for c in want if c not in have]
    unexpected = [c for c in have if c not in want]
    problems = []
    if missing:
        problems.append(Problem(1, None, f"{source} is missing the column(s) "
                                f"{', '.join(missing)}. Add them to the header row (row 1) or "
                                f"check the file is the {codebook.name} data."))
    if unexpected:
        problems.append(Problem(1, None, f"{source} has column(s) the codebook does not list: "
                                f"{', '.join(unexpected)}. Remove or rename them to one of: "
                                f"{', '.join(want)}."))
    duplicated = sorted({c for c in have if have.count(c) > 1})
    if duplicated:
        problems.append(Problem(1, None, f"{source} repeats the column(s) "
                                f"{', '.join(duplicated)}; keep one of each."))
    return problems


def _spreadsheet_row(index, first_row: int) -> int | None:
    try:
        return int(index) + first_row
    except (TypeError, ValueError):
        return None


def _failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        return err.failure_cases
    return pd.DataFrame(columns=["column", "check", "failure_case", "index"])


def _cases(failures: pd.DataFrame, *columns: str):
    """The failure cases' values in `columns`, row by row, as plain tuples."""
    return zip(*(failures[c].tolist() for c in columns))


def check_frame(raw: pd.DataFrame, codebook: Codebook, source: str,
                first_row: int = 2) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse and check `raw` (text cells, RangeIndex) against `codebook`.

    Returns the typed frame (columns in codebook order, Likert answers as ordered
    categoricals, bad cells left empty) and the list of problems, all found in one pass so a
    learner can fix everything at once.
    """
    problems = column_problems(list(raw.columns), codebook, source)
    if any(list(raw.columns).count(c) > 1 for c in raw.columns):
        return raw, problems
    present = [c for c in codebook.column_names if c in raw.columns]
    frame = raw[present].copy()

    # Pass 1: types. A cell that is not a number or a date is reported, then emptied so the
    # value checks in pass 2 can still run on the rest of the column.
    parse_fail = _failures(parse_schema(codebook, present), frame)
    parse_fail = parse_fail[parse_fail["check"].astype(str).str.startswith("coerce_dtype")]
    emptied = set()
    # Failure cases are read column by column (zip), not with iterrows: a file with a bad value
    # in every cell has hundreds of thousands of them.
    for name, value, index in _cases(parse_fail, "column", "failure_case", "index"):
        spec = codebook.column(name)
        problems.append(Problem(_spreadsheet_row(index, first_row), spec.name,
                                f"{value!r} is not {NOT_PARSED[spec.type]}."))
        emptied.add((index, spec.name))
    for name in {name for _, name in emptied}:
        frame.loc[[i for i, n in emptied if n == name], name] = None
    frame = parse_schema(codebook, present).validate(frame)

    # Pass 2: values and the rules across columns.
    failures = _failures(check_schema(codebook, present), frame)
    for name, check, value, index in _cases(failures, "column", "check", "failure_case",
                                            "index"):
        column = name if isinstance(name, str) else None
        check = str(check)
        row = _spreadsheet_row(index, first_row)
        if check == "not_nullable" and (index, column) in emptied:
            continue   # already reported as unreadable
        if check == "not_nullable":
            msg = "is empty; this column needs a value in every row."
        elif check == "field_uniqueness":
            msg = f"{value!r} appears more than once; each value must be unique."
        elif column is None:
            msg = f"{check}."   # a row rule: its message says what is wrong
        else:
            msg = f"{_show(value)} {check}."
        problems.append(Problem(row, column, msg))

    for spec in codebook.columns:
        if spec.name in frame:
            frame[spec.name] = frame[spec.name].astype(final_dtype(spec))
    problems.sort(key=lambda p: (p.row if p.row is not None else 0, p.column or ""))
    return frame, problems


def _show(value) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return repr(value.item() if hasattr(value, "item") else value)


def summarize(problems: list[Problem], source: str, what_to_do: str) -> str:
    """One message listing the problems and what to do.

    The same message in the same column is listed once with its rows ("rows 4, 9 and 12"),
    so one systematic mistake does not bury the others.
    """
    groups: dict[tuple, list[int | None]] = {}
    for p in problems:
        groups.setdefault((p.column, p.message), []).append(p.row)
    lines = [f"{source}: {len(problems)} problem(s) found. {what_to_do}"]
    for (column, message), rows in list(groups.items())[:MAX_LISTED]:
        where = [_rows_phrase(rows)] if rows != [None] else []
        if column is not None:
            where.append(f"column '{column}'")
        lines.append("  - " + (", ".join(where) + ": " if where else "") + message)
    if len(groups) > MAX_LISTED:
        lines.append(f"  ... and {len(groups) - MAX_LISTED} more kinds of problem "
                     "(see the error's .problems).")
    return "\n".join(lines)


def _rows_phrase(rows: list[int | None], shown: int = 8) -> str:
    rows = [r for r in rows if r is not None]
    if len(rows) == 1:
        return f"row {rows[0]}"
    listed = ", ".join(map(str, rows[:shown]))
    if len(rows) > shown:
        return f"rows {listed} and {len(rows) - shown} more"
    return f"rows {listed}"
