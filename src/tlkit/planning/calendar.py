"""A school year read from a calendar file a teacher can edit in a spreadsheet.

The file is CSV with four columns, `kind,name,start,end`, one row per entry:

    kind,name,start,end
    school year,Riverbend County Schools 2025-26,2025-08-25,2026-06-05
    federal holidays,US federal holidays,,
    closed,Winter break,2025-12-22,2026-01-02
    testing,State testing window,2026-04-20,2026-05-08

Kinds: `school year` (exactly one row: the first and last day), `closed` (a holiday, a break
or a teacher workday: no sessions; `end` may be left empty for one day), `testing` (a testing
window: sessions are possible but teachers are stretched), `federal holidays` (adds the US
federal holidays that fall in the school year, from pandas' holiday calendar). Dates are
written YYYY-MM-DD, or M/D/YYYY as a US spreadsheet saves them. Every problem in the file is
reported at once, each as a sentence naming the row and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from tlkit.data.csv_text import read_rows, write_rows
from tlkit.settings import CONTENT

CALENDARS = CONTENT / "calendars"
SAMPLE = "us-district-2025-26"
COLUMNS = ("kind", "name", "start", "end")
KINDS = ("school year", "closed", "testing", "federal holidays")
_SYNONYMS = {"holiday": "closed", "break": "closed", "closure": "closed", "workday": "closed",
             "school-year": "school year", "year": "school year", "test": "testing",
             "federal-holidays": "federal holidays", "public holidays": "federal holidays"}
MAX_BYTES = 64 * 1024
MAX_ROWS = 400


class CalendarError(ValueError):
    """The calendar file cannot be used. `problems` lists every one, each a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        count = len(self.problems)
        head = ("The calendar has a problem:" if count == 1
                else f"The calendar has {count} problems:")
        super().__init__(head + "\n" + "\n".join(f"- {p}" for p in self.problems))


@dataclass(frozen=True)
class Period:
    """A named stretch of days, first to last inclusive."""

    name: str
    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass
class SchoolYear:
    name: str
    first: date
    last: date
    closed: list[Period] = field(default_factory=list)
    testing: list[Period] = field(default_factory=list)

    def closure_on(self, day: date) -> Period | None:
        return next((p for p in self.closed if day in p), None)

    def testing_on(self, day: date) -> Period | None:
        return next((p for p in self.testing if day in p), None)

    def is_school_day(self, day: date) -> bool:
        return (self.first <= day <= self.last and day.weekday() < 5
                and self.closure_on(day) is None)

    def next_school_day(self, day: date, *, avoid_testing: bool = False) -> date | None:
        """The first school day after `day` (and not in a testing window, if asked)."""
        current = day + timedelta(days=1)
        while current <= self.last:
            if self.is_school_day(current) and not (avoid_testing and self.testing_on(current)):
                return current
            current += timedelta(days=1)
        return None

    def school_days(self) -> int:
        total, current = 0, self.first
        while current <= self.last:
            total += self.is_school_day(current)
            current += timedelta(days=1)
        return total


def sample_text(name: str = SAMPLE) -> str:
    """The text of a calendar shipped with the kit (the sample US district)."""
    return (CALENDARS / f"{name}.csv").read_text(encoding="utf-8")


def read_calendar(path: Path | str) -> SchoolYear:
    """A calendar file from disk, or a CalendarError that names the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CalendarError([f"The calendar file {path} could not be opened "
                             f"({err.strerror or err}). Check the name and folder."]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CalendarError([f"The calendar file {path} is not plain text (UTF-8). Save it "
                             "from the spreadsheet as 'CSV UTF-8'."]) from None
    return parse_calendar(text)


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD, or M/D/YYYY as a US spreadsheet writes it; None if it is not a real date."""
    text = text.strip()
    for form in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def calendar_fields(text: str) -> list[dict[str, str]]:
    """A calendar's rows as fields by column (COLUMNS), kept as typed, for a form with a row
    per entry; the header line, blank lines and comments are skipped, kinds read as the
    planner reads them."""
    lines = [line for line in text.lstrip("\ufeff").splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for cells in read_rows(lines):
        cells = [c.strip() for c in cells] + [""] * len(COLUMNS)
        if [c.lower() for c in cells[:4]] == list(COLUMNS):
            continue
        fields = dict(zip(COLUMNS, cells))
        fields["kind"] = _SYNONYMS.get(fields["kind"].lower(), fields["kind"].lower())
        out.append(fields)
    return out[:MAX_ROWS]


def fields_calendar(rows: list[dict[str, str]]) -> str:
    """Rows of fields back into a calendar text (a header line first)."""
    return write_rows(([str(row.get(column, "")) for column in COLUMNS] for row in rows),
                      COLUMNS, spreadsheet=False)


def parse_calendar(text: str) -> SchoolYear:
    """The school year a calendar text describes, or a CalendarError listing every problem."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise CalendarError([f"The calendar is longer than {MAX_BYTES // 1024} KB; a school "
                             "year needs only a few dozen rows."])
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise CalendarError(["The calendar is empty. Start from the sample: a first line "
                             "'kind,name,start,end', then a 'school year' row."])
    rows = read_rows(lines)
    header = [cell.strip().lower() for cell in rows[0]]
    if header[:4] != list(COLUMNS):
        raise CalendarError([f"The first line should name the columns 'kind,name,start,end'; "
                             f"it says '{','.join(rows[0])}'. Put that line back at the top."])
    if len(rows) - 1 > MAX_ROWS:
        raise CalendarError([f"The calendar has {len(rows) - 1} rows; the planner reads at most "
                             f"{MAX_ROWS}."])
    problems: list[str] = []
    years: list[tuple[int, Period]] = []
    closed: list[tuple[int, Period]] = []
    testing: list[tuple[int, Period]] = []
    federal = False
    for number, cells in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in cells] + [""] * (4 - len(cells))
        if len(cells) > 4 and any(cells[4:]):
            problems.append(f"Row {number} has more than four columns. Put any comma inside a "
                            "name in quotes, or leave it out.")
            continue
        kind_text, name, start_text, end_text = cells[:4]
        kind = _SYNONYMS.get(kind_text.lower(), kind_text.lower())
        where = f"Row {number}" + (f" ({name})" if name else "")
        if kind not in KINDS:
            problems.append(f"{where}: the kind '{kind_text}' is not one the planner knows. Use "
                            f"one of: {', '.join(KINDS)}.")
            continue
        if kind == "federal holidays":
            federal = True
            continue
        if not start_text:
            problems.append(f"{where} has no start date. Write it as YYYY-MM-DD, for example "
                            "2025-09-02.")
            continue
        first = parse_date(start_text)
        if first is None:
            problems.append(f"{where}: '{start_text}' is not a date. Write it as YYYY-MM-DD "
                            "(for example 2025-09-02) and check that the day exists.")
            continue
        if not end_text and kind == "school year":
            problems.append(f"{where} has no end date: give the last day of school.")
            continue
        last = parse_date(end_text) if end_text else first
        if last is None:
            problems.append(f"{where}: '{end_text}' is not a date. Write it as YYYY-MM-DD "
                            "(for example 2026-06-05) and check that the day exists.")
            continue
        if last < first:
            problems.append(f"{where} ends ({last.isoformat()}) before it starts "
                            f"({first.isoformat()}). Swap the two dates.")
            continue
        period = Period(name or kind.capitalize(), first, last)
        {"school year": years, "closed": closed, "testing": testing}[kind].append((number, period))
    if not years and not problems:
        problems.append("The calendar has no 'school year' row. Add one with the first and last "
                        "day of school, e.g. 'school year,My district,2025-08-25,2026-06-05'.")
    if len(years) > 1:
        rows_named = ", ".join(str(n) for n, _ in years)
        problems.append(f"The calendar has {len(years)} 'school year' rows (rows {rows_named}); "
                        "keep one.")
    if years and len(years) == 1:
        year = years[0][1]
        if (year.last - year.first).days > 366:
            problems.append(f"The school year runs from {year.first.isoformat()} to "
                            f"{year.last.isoformat()}, longer than a year. Check the years.")
        for number, period in closed + testing:
            if period.last < year.first or period.first > year.last:
                problems.append(f"Row {number} ({period.name}) falls outside the school year "
                                f"({year.first.isoformat()} to {year.last.isoformat()}). Check "
                                "its year, or delete the row.")
    if problems:
        raise CalendarError(problems)
    year = years[0][1]
    closures = [p for _, p in closed]
    if federal:
        closures += federal_holidays(year.first, year.last)
    closures.sort(key=lambda p: p.first)
    return SchoolYear(year.name, year.first, year.last, closures,
                      sorted((p for _, p in testing), key=lambda p: p.first))


def federal_holidays(first: date, last: date) -> list[Period]:
    """US federal holidays between two dates, from pandas' calendar of them."""
    from pandas.tseries.holiday import USFederalHolidayCalendar

    found = USFederalHolidayCalendar().holidays(first.isoformat(), last.isoformat(),
                                                return_name=True)
    return [Period(str(name), day.date(), day.date()) for day, name in found.items()]
