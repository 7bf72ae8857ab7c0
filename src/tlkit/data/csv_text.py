"""The text of a CSV-like file saved from a spreadsheet or a form: which encoding, which
delimiter, and plain words when it is not such a file.

Spreadsheets save "CSV" in several shapes. Excel on Windows writes Windows-1252 ("CSV") or
UTF-8 with a byte-order mark ("CSV UTF-8"); in countries that write decimals with a comma it
separates cells with semicolons; "Unicode Text" is UTF-16 (little-endian, with a byte-order
mark) separated by tabs. Google and Microsoft Forms export UTF-8 with commas.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from pathlib import Path
from typing import Any

DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
SAVE_AS = "Save it as CSV UTF-8 (in the spreadsheet: File > Save As > CSV UTF-8) and try again."

# Checked longest first: a UTF-32 mark begins with the UTF-16 one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")    # .xlsx (a zip) and the older .xls


class CsvTextError(ValueError):
    """The file is not text a spreadsheet saved; the message says what it is and what to do."""


def read_bytes(source: Any, name: str) -> bytes | str:
    """The raw content of a path, an open file (binary or text) or the bytes of an upload."""
    if isinstance(source, (str, os.PathLike)):
        try:
            return Path(source).read_bytes()
        except OSError as exc:
            raise CsvTextError(f"{name} could not be opened ({exc.strerror or exc}).") from None
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    return source.read()


def guess_encoding(data: bytes) -> str:
    """The encoding a spreadsheet most likely used: its byte-order mark; UTF-16 when every
    other byte is NUL (plain text in UTF-16 without a mark); UTF-8 when the bytes are valid
    UTF-8; else Windows-1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    sample = data[:4096]
    if len(sample) >= 2 and b"\x00" in sample:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) > len(odd) * 0.4 and even.count(0) < len(even) * 0.1:
            return "utf-16-le"
        if even.count(0) > len(even) * 0.4 and odd.count(0) < len(odd) * 0.1:
            return "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def decode(data: bytes | str, name: str) -> str:
    """The file's text, whatever of the usual encodings it was saved in. Raises CsvTextError
    with a sentence for a workbook, a binary file or bytes no encoding reads."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith(_WORKBOOKS):
        raise CsvTextError(f"{name} is an Excel workbook, not a CSV file. Save it as CSV "
                           "UTF-8 (in the spreadsheet: File > Save As > CSV UTF-8), then use "
                           "the .csv file.")
    encoding = guess_encoding(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise CsvTextError(f"{name} is not text the course can read. {SAVE_AS}") from None
    if "\x00" in text:
        raise CsvTextError(f"{name} is not a text file (it holds binary data). {SAVE_AS}")
    return text


def sniff_delimiter(text: str) -> str:
    """The cell separator (comma, semicolon or tab) judged from the first lines: the one that
    splits the lines into the same number of cells (csv.Sniffer), else the one that splits
    the header row into the most cells, else a comma."""
    lines = [line for line in text[:65536].splitlines() if line.strip()][:50]
    if not lines:
        return ","
    header_cells = {d: len(next(csv.reader([lines[0]], delimiter=d))) for d in DELIMITERS}
    try:
        found = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found and found in DELIMITERS and header_cells[found] > 1:
        return found
    best = max(DELIMITERS, key=lambda d: header_cells[d])     # ties keep the comma (first)
    return best if header_cells[best] > 1 else ","


def read_rows(lines: list[str]) -> list[list[str]]:
    """Lines of CSV text as rows of cells. A cell longer than the csv module reads (128 KB, a
    pasted document) would stop it with an error each time the text is opened: then each line
    is read on its own, and a line that still cannot be read is split at its commas."""
    try:
        return list(csv.reader(io.StringIO("\n".join(lines))))
    except csv.Error:
        out = []
        for line in lines:
            try:
                out.extend(csv.reader([line]))
            except csv.Error:
                out.append(line.split(","))
        return out


# --- writing -------------------------------------------------------------------------------
# Every CSV the kit writes goes through write_rows or write_frame (tests/unit/test_csv_writer.py
# checks the source tree for other writers).

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should see it: text that a spreadsheet would run as a formula
    (=HYPERLINK(...), +..., -..., @SUM(...)) gets an apostrophe in front, so what a learner or
    participant typed is shown, never run. Numbers stay numbers (a negative score is not text)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    # A lone carriage return is not quoted by the csv module when lines end in "\n", and a
    # spreadsheet would start a new row there: make every line break a "\n" (quoted).
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return "'" + text if str(value).startswith(FORMULA_STARTS) else text


def write_rows(rows: Any, header: Any = None, *, spreadsheet: bool = True) -> str:
    """Rows (lists of cells) as CSV text with "\\n" line ends, a header row first if given.
    `spreadsheet=False` only for the kit's own text formats that the kit reads back (the year
    planner's editable design and calendar text), where an apostrophe would change the data."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    clean = safe_cell if spreadsheet else (lambda value: value)
    if header is not None:
        writer.writerow([clean(cell) for cell in header])
    for row in rows:
        writer.writerow([clean(cell) for cell in row])
    return out.getvalue()


def write_frame(frame: Any, *, index: bool = True, index_label: str | None = None) -> str:
    """A pandas table as CSV text, every text cell (index and headers too) made safe."""
    from pandas.api import types

    shown = frame.copy()
    shown.columns = [safe_cell(c) for c in shown.columns]
    if index:
        shown.index = shown.index.map(safe_cell)
    for position, dtype in enumerate(shown.dtypes):
        if not (types.is_numeric_dtype(dtype) or types.is_datetime64_any_dtype(dtype)):
            shown.isetitem(position, shown.iloc[:, position].map(safe_cell))
    return shown.to_csv(index=index, index_label=safe_cell(index_label),
                        lineterminator="\n")
