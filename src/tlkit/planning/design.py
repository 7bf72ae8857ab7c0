"""A design for a year of teacher-led learning: its components, how often each meets, and
which features of effective professional development each serves.

The two district designs WestEd (2017) describes ship as content (content/designs/); a
teacher's own design is typed as CSV, one component a line, and read by `parse_components`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tlkit import content
from tlkit.data.csv_text import read_rows, write_rows

# Darling-Hammond, Hyler & Gardner (2017): the seven features, in their order.
FEATURES = {
    "content-focused": "Content focus",
    "active-learning": "Active learning",
    "collaboration": "Collaboration",
    "modelling": "Models of effective practice",
    "coaching": "Coaching and expert support",
    "feedback-reflection": "Feedback and reflection",
    "sustained": "Sustained duration",
}
MODES = ("face-to-face", "coaching", "virtual")
FREQUENCIES = ("weekly", "every 2 weeks", "every 3 weeks", "every 4 weeks", "monthly")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
OWN_COLUMNS = ("name", "mode", "frequency", "weekday", "week", "minutes", "after_school",
               "features")
SEED_DESIGNS = ("every-other-week", "monthly-pair")
MAX_COMPONENTS = 8


class DesignError(ValueError):
    """A design cannot be read. `problems` lists every one, each a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = ("Your design has a problem:" if len(problems) == 1
                else f"Your design has {len(problems)} problems:")
        super().__init__(head + "\n" + "\n".join(f"- {p}" for p in problems))


@dataclass(frozen=True)
class Component:
    name: str
    mode: str
    frequency: str
    weekday: str
    week: int
    minutes: int
    after_school: bool
    features: tuple[str, ...]
    description: str = ""

    @property
    def every_weeks(self) -> int | None:
        """Weeks between meetings, or None for monthly."""
        if self.frequency == "weekly":
            return 1
        if self.frequency.startswith("every "):
            return int(self.frequency.split()[1])
        return None


@dataclass(frozen=True)
class Design:
    id: str
    title: str
    components: tuple[Component, ...]
    summary: str = ""
    sources: tuple[str, ...] = field(default_factory=tuple)


def load_design(design_id: str) -> Design:
    """A shipped design (content/designs/<id>.yaml), checked against its schema."""
    data = content.load("design", design_id)
    return Design(data["id"], data["title"],
                  tuple(Component(c["name"], c["mode"], c["frequency"], c["weekday"], c["week"],
                                  c["minutes"], c["after_school"], tuple(c["features"]),
                                  c.get("description", ""))
                        for c in data["components"]),
                  data["summary"], tuple(data["sources"]))


def components_csv(design: Design) -> str:
    """A design written in the own-design format, as a starting point to edit."""
    return write_rows(([c.name, c.mode, c.frequency, c.weekday, c.week, c.minutes,
                        "yes" if c.after_school else "no", "; ".join(c.features)]
                       for c in design.components), OWN_COLUMNS, spreadsheet=False)


def component_fields(text: str) -> list[dict[str, str]]:
    """The own design's lines as fields by column (OWN_COLUMNS), kept as typed, for a form with
    a row per component; a header line, blank lines and comments are skipped."""
    lines = [line for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    out = []
    for cells in read_rows(lines):
        cells = [c.strip() for c in cells] + [""] * len(OWN_COLUMNS)
        if [c.lower().replace(" ", "_") for c in cells[:2]] == list(OWN_COLUMNS[:2]):
            continue
        out.append(dict(zip(OWN_COLUMNS, cells)))
    return out[:MAX_COMPONENTS]


def fields_csv(rows: list[dict[str, str]]) -> str:
    """Rows of fields by column back into the own-design format (a header line first)."""
    return write_rows(([str(row.get(column, "")) for column in OWN_COLUMNS] for row in rows),
                      OWN_COLUMNS, spreadsheet=False)


def parse_components(text: str, title: str = "My design") -> Design:
    """A teacher's own design from CSV (columns OWN_COLUMNS; features separated by ';')."""
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise DesignError(["The design is empty. Start from a line 'name,mode,frequency,weekday,"
                           "week,minutes,after_school,features', then one line per component."])
    rows = read_rows(lines)
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    if header[:len(OWN_COLUMNS)] != list(OWN_COLUMNS):
        raise DesignError([f"The first line should name the columns '{','.join(OWN_COLUMNS)}'. "
                           "Put that line back at the top."])
    if len(rows) - 1 > MAX_COMPONENTS:
        raise DesignError([f"The design has {len(rows) - 1} components; keep it to "
                           f"{MAX_COMPONENTS} or fewer."])
    problems: list[str] = []
    components = []
    for number, cells in enumerate(rows[1:], start=2):
        cells = [c.strip() for c in cells] + [""] * len(OWN_COLUMNS)
        name, mode, frequency, weekday, week, minutes, after, features = cells[:8]
        where = f"Line {number}" + (f" ({name})" if name else "")
        found = []
        if not name:
            found.append(f"Line {number} has no name: give the component a short name.")
        mode = mode.lower()
        if mode not in MODES:
            found.append(f"{where}: the mode '{mode}' should be one of: {', '.join(MODES)}.")
        frequency = " ".join(frequency.lower().split())
        if frequency not in FREQUENCIES:
            found.append(f"{where}: how often '{frequency}' should be one of: "
                         f"{', '.join(FREQUENCIES)}.")
        day = weekday.capitalize()
        if day not in WEEKDAYS:
            found.append(f"{where}: the day '{weekday}' should be a school day, Monday to Friday.")
        if not week.isdigit() or not 1 <= int(week) <= 4:
            found.append(f"{where}: the week '{week}' should be a number from 1 to 4 (which week "
                         "of its cycle or month it meets in).")
        if not minutes.isdigit() or not 5 <= int(minutes) <= 480:
            found.append(f"{where}: the minutes '{minutes}' should be a whole number from 5 to "
                         "480.")
        after = after.lower()
        if after not in ("yes", "no", "true", "false"):
            found.append(f"{where}: after_school '{after}' should be yes or no.")
        ids = [f.strip().lower() for f in features.split(";") if f.strip()]
        unknown = [f for f in ids if f not in FEATURES]
        if unknown or not ids:
            found.append(f"{where}: the features should be one or more of "
                         f"{', '.join(FEATURES)}, separated by ';'"
                         + (f" ('{unknown[0]}' is not one)." if unknown else "."))
        if found:
            problems += found
            continue
        components.append(Component(name, mode, frequency, day, int(week), int(minutes),
                                    after in ("yes", "true"), tuple(dict.fromkeys(ids))))
    if problems:
        raise DesignError(problems)
    return Design("own", title, tuple(components))
