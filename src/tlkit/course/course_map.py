"""The course map and a suggested cohort schedule, read from the course manifest.

The map lists each module in course order with its live-session minutes (the manifest's), its
self-study minutes (the sum of its sections', from the module notebook), its facilitator guide
and what the guide says to prepare. Module 0 shows it to learners; the facilitators' front
page shows it with the guides and a schedule.

A schedule lays the modules' live sections out over a cohort's sessions for one of the two
designs the seed documents describe (WestEd, 2017, "Teachers leading the way"): a two-hour
session every other week with video reflection online in between, or a three-hour session each
month led by two teacher leaders, with observation and coaching in between. A module that fits
the time left in a session goes in it whole; one that does not starts the next session; one
longer than a session is split at its section boundaries.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.course.manifest import load_manifest
from tlkit.course.module import ModuleError, load_module
from tlkit.settings import course_root

PREPARE_HEADING = re.compile(r"^##\s+Before the session\s*$", re.M | re.I)


@dataclass(frozen=True)
class MapRow:
    number: int                     # 0 for the first module (Start here), then 1, 2, ...
    id: str
    title: str
    session_minutes: int
    self_study_minutes: int | None  # None when the module notebook cannot be read
    sections: tuple[tuple[str, int], ...] = ()   # (title, live minutes) of live sections
    guide: str | None = None        # the guide's file name in facilitator/, when there is one
    prepare: tuple[str, ...] = ()   # the guide's "Before the session" points
    problem: str = ""               # why the module notebook could not be read


@dataclass(frozen=True)
class Design:
    id: str
    name: str
    session_minutes: int
    every: str                      # "2 weeks" or "1 month"
    between: str                    # what happens between sessions
    leaders: str


# The two designs in the seeds (WestEd, 2017), in the kit's words.
DESIGNS = (
    Design("fortnightly", "Two hours every other week", 120, "2 weeks",
           "Teachers watch a shared classroom video online and reflect on it in a discussion "
           "thread.", "One teacher leader plans and facilitates."),
    Design("monthly", "Three hours once a month", 180, "1 month",
           "The two teacher leaders observe and coach colleagues in their classrooms as they "
           "try the new strategies.", "Two teacher leaders lead together."),
)


def design(design_id: str) -> Design:
    for item in DESIGNS:
        if item.id == design_id:
            return item
    names = ", ".join(d.id for d in DESIGNS)
    raise ValueError(f"There is no schedule design called {design_id!r}; choose one of: {names}.")


def course_map(root: Path | str | None = None) -> list[MapRow]:
    """Every module in course order. A module whose notebook cannot be read still appears, with
    its manifest title and minutes and the reason (so one broken notebook never hides the map)."""
    root = Path(root) if root is not None else course_root()
    rows = []
    for number, entry in enumerate(load_manifest(root)):
        guide_path = root / "facilitator" / f"{entry.id}.ipynb"
        guide = guide_path.name if guide_path.is_file() else None
        prepare = _prepare_points(guide_path) if guide else ()
        try:
            module = load_module(entry.id, root)
        except ModuleError as err:
            rows.append(MapRow(number, entry.id, entry.title, entry.session_minutes, None,
                               guide=guide, prepare=prepare, problem=str(err).splitlines()[0]))
            continue
        sections = tuple((s.title, s.live_minutes) for s in module.sections if s.live_minutes)
        rows.append(MapRow(number, entry.id, entry.title, entry.session_minutes,
                           module.self_study_minutes, sections, guide, prepare))
    return rows


def _prepare_points(guide: Path) -> tuple[str, ...]:
    """The bullet points under the guide's "## Before the session" heading, as plain text."""
    try:
        cells = json.loads(guide.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return ()
    for cell in cells:
        text = "".join(cell.get("source", "")) if isinstance(cell.get("source"), list) \
            else str(cell.get("source", ""))
        if cell.get("cell_type") != "markdown" or not PREPARE_HEADING.search(text):
            continue
        body = PREPARE_HEADING.split(text, maxsplit=1)[1]
        body = body.split("\n#", 1)[0]
        points, current = [], None
        for line in body.splitlines():
            if re.match(r"\s*[-*]\s+", line):
                current = [re.sub(r"^\s*[-*]\s+", "", line)]
                points.append(current)
            elif current is not None and line.strip():
                current.append(line.strip())
            elif not line.strip():
                current = None
        return tuple(_plain(" ".join(p)) for p in points)
    return ()


def _plain(markdown: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`",
                  lambda m: m[1] or m[2] or m[3], markdown)
    text = re.sub(r"\[(.+?)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())


def total_minutes(rows: list[MapRow]) -> tuple[int, int]:
    """(live minutes, self-study minutes) over the whole course."""
    return (sum(r.session_minutes for r in rows),
            sum(r.self_study_minutes or 0 for r in rows))


# --- a cohort schedule ----------------------------------------------------------------------

@dataclass
class Part:
    module: str                     # module title
    module_id: str
    sections: list[str]
    minutes: int
    starts_module: bool             # the first part of the module (its self-study comes before)
    continues: bool = False         # the module carries on in the next session


@dataclass
class Session:
    number: int
    date: dt.date
    minutes: int                    # the design's session length
    parts: list[Part] = field(default_factory=list)
    self_study_before: int = 0      # minutes of self-study for the modules that start here
    too_long: list[str] = field(default_factory=list)   # sections longer than a whole session

    @property
    def used(self) -> int:
        return sum(p.minutes for p in self.parts)


def add_interval(start: dt.date, every: str, times: int) -> dt.date:
    """`start` moved on `times` intervals ("2 weeks" or "1 month"); a month keeps the day of the
    month, or the month's last day when it is shorter (31 January -> 28 or 29 February)."""
    match = re.fullmatch(r"(\d+) (week|weeks|month|months)", every)
    if not match:
        raise ValueError(f"Interval {every!r} should look like '2 weeks' or '1 month'.")
    count = int(match[1]) * times
    if match[2].startswith("week"):
        return start + dt.timedelta(weeks=count)
    month = start.month - 1 + count
    year, month = start.year + month // 12, month % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def schedule(rows: list[MapRow], chosen: Design, first: dt.date) -> list[Session]:
    """The modules' live sections laid out over sessions of the design's length, from `first`."""
    sessions: list[Session] = []

    def new_session() -> Session:
        session = Session(len(sessions) + 1, add_interval(first, chosen.every, len(sessions)),
                          chosen.session_minutes)
        sessions.append(session)
        return session

    current = new_session()
    for row in rows:
        sections = list(row.sections) or [(row.title, row.session_minutes)]
        left = chosen.session_minutes - current.used
        if current.parts and row.session_minutes > left:
            current = new_session()
        part = None
        for title, minutes in sections:
            if current.parts and minutes > chosen.session_minutes - current.used:
                if part is not None:
                    part.continues = True
                current = new_session()
                part = None
            if part is None:
                part = Part(row.title, row.id, [], 0, starts_module=not any(
                    p.module_id == row.id for s in sessions for p in s.parts))
                current.parts.append(part)
                if part.starts_module:
                    current.self_study_before += row.self_study_minutes or 0
            part.sections.append(title)
            part.minutes += minutes
            if minutes > chosen.session_minutes:
                current.too_long.append(title)
    return sessions


MAX_WEEKLY_MINUTES = 2000        # about 33 hours: more than anyone gives to self-study


def read_weekly_minutes(text: str) -> tuple[int | None, str]:
    """The weekly minutes typed in a box: (minutes, "") or, when they cannot be used,
    (None, a sentence saying why). Nothing is changed silently into another number."""
    typed = text.strip()
    if not typed:
        return None, ""
    figures = typed.lower().removesuffix("minutes").removesuffix("mins").removesuffix("min")
    figures = figures.strip().replace(",", "")
    if not figures.isdigit():
        return None, (f"'{typed}' is not a number of minutes. Type it in figures, for "
                      "example 60.")
    minutes = int(figures)
    if minutes > MAX_WEEKLY_MINUTES:
        return None, (f"{minutes} minutes a week is more than this box takes: up to "
                      f"{MAX_WEEKLY_MINUTES} (about {MAX_WEEKLY_MINUTES // 60} hours). Type a "
                      "smaller number.")
    return minutes, ""


def pace_sentence(self_study_minutes: int, minutes_per_week: int | None) -> str:
    """How long the course's self-study takes at a weekly pace, in one sentence."""
    if minutes_per_week is None:
        return "Type the minutes you can give to self-study each week."
    if minutes_per_week <= 0:
        return ("With no time each week the self-study never ends: type the minutes you can "
                "give, even 20.")
    weeks = -(-self_study_minutes // minutes_per_week)
    return (f"At {minutes_per_week} minutes a week, the course's {self_study_minutes} minutes of "
            f"self-study take about {weeks} {'week' if weeks == 1 else 'weeks'}, beside the live "
            f"sessions.")
