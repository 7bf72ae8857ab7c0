"""Bring a learner's own survey export (Google Forms or Microsoft Forms, saved as CSV) into
the shape of one of the course's codebooks, and say what needs fixing.

    from tlkit.data.forms import import_form
    result = import_form("my-survey.csv", "tl_survey_spring")
    print(result.report())        # every problem at once, with spreadsheet row and column
    result.data                   # the answers, as tlkit.data.load would give them

Headers are the question text; they are matched to the codebook's questions ignoring case
and spacing, or through `mapping={"my question text": "q_find_materials"}`. Answer words are
matched the same way ("strongly AGREE " counts as "Strongly agree"). The export is only read,
never changed or copied: everything happens in memory.
"""

from __future__ import annotations

import difflib
import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import pandas as pd

from tlkit.data import csv_text
from tlkit.data.checking import Problem, check_frame
from tlkit.data.codebooks import Codebook, DataError
from tlkit.data.loading import codebook as load_codebook

# Time-stamp headers the two form tools write, and columns that identify a person: those are
# left out, since the course's data sets hold no names or e-mail addresses.
TIMESTAMP_HEADERS = ("timestamp", "completion time", "submitted")
IDENTIFYING_HEADERS = ("email", "email address", "name", "full name", "username")
FORM_BOOKKEEPING = ("id", "start time", "last modified time")
# Tried in this order; the first that reads every cell of the column wins, so a file written
# day-first (31/03/2025) is read day-first rather than failing or being misread.
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %I:%M:%S %p", "%Y/%m/%d %H:%M:%S",
                     "%m/%d/%Y %H:%M:%S", "%m/%d/%y %H:%M:%S", "%m/%d/%Y %H:%M",
                     "%m/%d/%y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d")


# What an export may hold. A school's or a district's survey is well inside both (20,000
# responses to 30 questions is about 9 MB); past them, reading and checking would keep a
# laptop busy for minutes and use gigabytes of memory for a file that is not a survey export.
MAX_BYTES = 10_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 500


class FormsError(DataError):
    """The export cannot be read at all (wrong file type, empty file)."""


@dataclass
class FormImport:
    data: pd.DataFrame                  # codebook column names; index = spreadsheet row
    problems: list[Problem]             # every problem found, in row order
    notes: list[str]                    # things left out or not matched (not errors)
    mapping: dict[str, str] = field(default_factory=dict)   # header -> codebook column
    source: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        lines = [f"{self.source}: {len(self.data)} responses, "
                 f"{len(self.mapping)} columns matched to the codebook."]
        if self.problems:
            lines.append(f"{len(self.problems)} problem(s) to fix in your spreadsheet "
                         "(row 1 is the header row):")
            lines += [f"  - {p}" for p in self.problems]
        else:
            lines.append("No problems found.")
        lines += [f"Note: {n}" for n in self.notes]
        return "\n".join(lines)


def normal(text) -> str:
    """Case, spacing and a trailing colon or question mark do not matter when matching."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip(":?").strip().casefold()


def _megabytes(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def _too_big(name: str, size: int | None = None) -> FormsError:
    how_big = f"is {_megabytes(size)}" if size else f"is larger than {_megabytes(MAX_BYTES)}"
    return FormsError(f"{name} {how_big}; a survey export can be at most "
                      f"{_megabytes(MAX_BYTES)} (about {MAX_ROWS:,} responses). Export only the "
                      "responses you need (one school or one year), or split the file.")


def _read_limited(source: str | Path | IO | bytes, name: str) -> bytes | str:
    """The file's content, refused without reading it all when it is larger than MAX_BYTES:
    a path by its size, an open file after MAX_BYTES."""
    if isinstance(source, (str, Path)):
        try:
            size = Path(source).stat().st_size
        except OSError:
            size = 0        # read_bytes says why it cannot be opened
        if size > MAX_BYTES:
            raise _too_big(name, size)
    elif isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) > MAX_BYTES:
            raise _too_big(name, len(source))
    elif hasattr(source, "read"):
        data = source.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _too_big(name)
        return data
    return csv_text.read_bytes(source, name)


def read_export(source: str | Path | IO) -> pd.DataFrame:
    """Every cell as text, blank cells missing; the index is the spreadsheet row number.
    The encoding (UTF-8, Windows-1252, UTF-16 "Unicode Text") and the cell separator (comma,
    semicolon, tab) are worked out from the file itself. A file over MAX_BYTES, MAX_ROWS
    responses or MAX_COLUMNS columns is refused with a sentence."""
    name = Path(getattr(source, "name", str(source))).name
    if str(name).lower().endswith((".xlsx", ".xls")):
        raise FormsError(f"{name} is an Excel workbook. Save it as CSV first (in Excel: File > "
                         "Save As > CSV UTF-8), then import the .csv file.")
    try:
        text = csv_text.decode(_read_limited(source, name), name)
    except csv_text.CsvTextError as err:
        raise FormsError(str(err)) from err
    if not text.strip():
        raise FormsError(f"{name} is empty: export the responses again.")
    read = dict(dtype=str, keep_default_na=False, na_values=[""], skip_blank_lines=False,
                sep=csv_text.sniff_delimiter(text), nrows=MAX_ROWS + 1)
    try:
        raw = pd.read_csv(io.StringIO(text), **read)
    except pd.errors.EmptyDataError as err:
        raise FormsError(f"{name} is empty: export the responses again.") from err
    except pd.errors.ParserError as err:
        raise FormsError(f"{name} is not a well-formed CSV file: {_csv_damage(str(err))} "
                         "Export the responses from the form again, or open the file in a "
                         "spreadsheet, fix that row and save it as CSV UTF-8.") from err
    if len(raw) > MAX_ROWS:
        raise FormsError(f"{name} has more than {MAX_ROWS:,} rows; a survey export can have at "
                         f"most {MAX_ROWS:,} responses. Export only the responses you need (one "
                         "school or one year), or split the file.")
    if raw.shape[1] > MAX_COLUMNS:
        raise FormsError(f"{name} has {raw.shape[1]:,} columns; a survey export can have at "
                         f"most {MAX_COLUMNS}. Check that it is the responses file of the form.")
    raw.index = raw.index + 2                     # header is spreadsheet row 1
    # A cell of only spaces is blank, so a row of them is a blank row, not a response.
    raw = raw.apply(lambda col: col.str.strip()).replace("", pd.NA)
    return raw.dropna(how="all")                  # fully blank rows are not responses


def _csv_damage(message: str) -> str:
    """pandas' tokenizer message in plain words (its line numbers count file lines)."""
    ragged = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if ragged:
        want, line, saw = ragged.groups()
        return (f"line {line} of the file has {saw} cells but the header row has {want} "
                "(often a comma inside an answer that is not in quotes).")
    if "EOF inside string" in message:
        return "a quote mark (\") opens a cell and never closes."
    return message.splitlines()[0] + "."


def import_form(source: str | Path | IO, dataset: str | Codebook,
                mapping: dict[str, str] | None = None) -> FormImport:
    """Map the export's columns onto `dataset`'s codebook and check every answer."""
    book = dataset if isinstance(dataset, Codebook) else load_codebook(dataset)
    label = Path(getattr(source, "name", str(source))).name
    raw = read_export(source)
    problems: list[Problem] = []
    notes: list[str] = []

    columns = _match_headers(list(raw.columns), book, mapping or {}, problems, notes)
    if not columns:
        problems.append(Problem(1, None, "none of the column headers matches a question of "
                                f"the {book.name} codebook. Pass mapping={{'your question': "
                                f"'column'}} using the columns {', '.join(book.questions.values())}."))
        return FormImport(pd.DataFrame(index=raw.index), problems, notes, {}, label)

    frame = pd.DataFrame(index=raw.index)
    for header, column in columns.items():
        spec = book.column(column)
        cells = raw[header]
        if spec.type == "likert":
            words = {normal(level): level for level in spec.levels}
            cells = cells.map(lambda v: words.get(normal(v), v) if isinstance(v, str) else v)
        elif spec.type == "date":
            cells = _parse_timestamps(cells, header, problems)
        frame[column] = cells

    # Check with the codebook's own pandera schema, limited to the matched columns. Date
    # ranges are the course data's school year, not the learner's, so they are not applied.
    sub = replace(book, rules=(), columns=tuple(
        replace(c, minimum=None, maximum=None, missing=True) if c.type == "date" else c
        for c in book.columns if c.name in columns.values()))
    # The frame's index already is the spreadsheet row, so rows are reported as-is.
    typed, found = check_frame(frame[[c.name for c in sub.columns]], sub, label, first_row=0)
    typed.index.name = "sheet_row"
    header_of = {column: header for header, column in columns.items()}
    for p in found:
        problems.append(Problem(p.row, header_of.get(p.column, p.column),
                                _advice(p.message, book, p.column)))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return FormImport(typed, problems, notes, columns, label)


def _advice(message: str, book: Codebook, column: str | None) -> str:
    if column and column in book.column_names and "must be one of" in message:
        if re.match(r"^'\d+'", message):
            # A "linear scale" question exports numbers, not the words of the scale.
            words = ", ".join(f"{i} = {w}" for i, w in enumerate(book.column(column).levels, 1))
            return (message + " The form seems to record numbers: show the answer words in "
                    f"the form, or replace each number with its word ({words}).")
        return message + " Correct the answer (spelling counts, case and spaces do not)."
    if "is empty" in message:
        return "is empty, but this question needs an answer: ask again or remove the row."
    return message


def _match_headers(headers: list[str], book: Codebook, mapping: dict[str, str],
                   problems: list[Problem], notes: list[str]) -> dict[str, str]:
    """header -> codebook column, from the mapping, the question text or the column name."""
    by_text = {normal(q): col for q, col in book.questions.items()}
    by_text.update({normal(c): c for c in book.column_names})
    wanted = {normal(h): col for h, col in mapping.items()}
    date_columns = [c.name for c in book.columns if c.type == "date"]
    matched: dict[str, str] = {}
    for bad in sorted(set(wanted.values()) - set(book.column_names)):
        problems.append(Problem(None, None, f"the mapping names {bad!r}, which is not a column "
                                f"of {book.name}; use one of {', '.join(book.column_names)}."))
    for header in headers:
        key = normal(header)
        column = wanted.get(key) or by_text.get(key)
        if column is None and key in TIMESTAMP_HEADERS and len(date_columns) == 1:
            column = date_columns[0]
        if column in book.column_names:
            matched[header] = column
        elif key in IDENTIFYING_HEADERS:
            notes.append(f"column '{header}' was left out: the course keeps no names or "
                         "e-mail addresses.")
        elif key not in FORM_BOOKKEEPING:
            near = difflib.get_close_matches(key, list(by_text), n=1, cutoff=0.6)
            hint = (f" Did you mean {_question_or_name(book, by_text[near[0]])!r}? If so, add "
                    f"mapping={{{header!r}: {by_text[near[0]]!r}}}.") if near else ""
            notes.append(f"column '{header}' matches no question of {book.name} and was "
                         f"left out.{hint}")
    seen: dict[str, str] = {}
    for header, column in matched.items():
        if column in seen:
            problems.append(Problem(1, header, f"is matched to {column!r}, like column "
                                    f"'{seen[column]}'. Keep one, or fix the mapping."))
        seen.setdefault(column, header)
    missing = [c for c in book.questions.values() if c not in seen]
    if seen and missing:
        notes.append(f"no column for {', '.join(missing)}; those answers are not in the data.")
    return {h: c for h, c in matched.items() if seen[c] == h}


def _question_or_name(book: Codebook, column: str) -> str:
    return book.column(column).question or column


def _parse_timestamps(cells: pd.Series, header: str, problems: list[Problem]) -> pd.Series:
    # Google writes "4/5/2025 10:23:11" (or "2025/04/05 10:23:11 AM GMT-7"), Microsoft
    # "4/5/25 10:23:11"; a time-zone tail is dropped: only the day is used.
    text = cells.str.replace(r"\s*(GMT|UTC)[+-]?[\d:]*$", "", regex=True)
    present = text.dropna()
    best = None
    for fmt in TIMESTAMP_FORMATS:
        parsed = pd.to_datetime(present, format=fmt, errors="coerce")
        if best is None or parsed.notna().sum() > best.notna().sum():
            best = parsed
        if parsed.notna().all():
            break
    out = pd.Series(pd.NA, index=cells.index, dtype=object)
    if best is not None:
        for row, value in best.items():
            if pd.isna(value):
                problems.append(Problem(int(row), header, f"{cells[row]!r} is not a date and "
                                        "time the course can read; write it like "
                                        "2025-04-05 10:23:11 or leave the cell empty."))
            else:
                out[row] = value.strftime("%Y-%m-%d %H:%M:%S")
    return out
