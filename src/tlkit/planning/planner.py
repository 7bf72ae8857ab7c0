"""Lay a design out on a school year: the sessions, the hours, the features, and every
constraint the plan breaks, each said in a sentence with a fix.

Dates come from pandas' calendar offsets (every N weeks on a weekday; the Nth weekday of each
month), so no calendar arithmetic is written by hand here.

Rules, in the order they are checked:
- a session on a closed day (holiday, break, workday) is not held; the fix names the next
  school day;
- a session in a testing window is held, but flagged;
- after-school minutes over the contract limit in a week or a month are flagged, per period;
- a face-to-face session shorter than the round trip from a site is flagged, per site;
- a cohort larger than 30 is flagged (the adult-learning synthesis found practices worked best
  with fewer than 30 learners: Trivette, Dunst, Hamby & O'Herin, 2009).
Contact hours count the sessions that are held.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tlkit.data.csv_text import write_rows
from tlkit.planning.calendar import SchoolYear
from tlkit.planning.design import FEATURES, Component, Design

PERIODS = ("week", "month")
LARGE_COHORT = 30
_DAY_CODES = {"Monday": "MON", "Tuesday": "TUE", "Wednesday": "WED", "Thursday": "THU",
              "Friday": "FRI"}


class ConstraintsError(ValueError):
    """A limit, a site or a cohort size cannot be used; `problems` says why, in sentences."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Site:
    name: str
    travel_minutes: int          # one way, to where face-to-face sessions meet


@dataclass(frozen=True)
class Constraints:
    limit_minutes: int | None = None     # after-school minutes allowed per period; None: no limit
    limit_period: str = "week"
    sites: tuple[Site, ...] = ()
    cohort: int = 12


@dataclass(frozen=True)
class Session:
    day: date
    component: str
    mode: str
    minutes: int
    held: bool
    note: str = ""               # why it is not held, or what it clashes with


@dataclass(frozen=True)
class Violation:
    rule: str                    # closed, testing, contract, travel, cohort
    message: str
    fix: str
    day: date | None = None

    def sentence(self) -> str:
        return f"{self.message} Fix: {self.fix}"


@dataclass
class Plan:
    design: Design
    year: SchoolYear
    constraints: Constraints
    sessions: list[Session] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    def held(self) -> list[Session]:
        return [s for s in self.sessions if s.held]

    @property
    def contact_minutes(self) -> int:
        """Minutes of learning each teacher takes part in over the year."""
        return sum(s.minutes for s in self.held())

    @property
    def contact_hours(self) -> float:
        return self.contact_minutes / 60

    def component_minutes(self) -> dict[str, int]:
        out = {c.name: 0 for c in self.design.components}
        for s in self.held():
            out[s.component] += s.minutes
        return out

    def shares(self) -> dict[str, float]:
        """Each component's percent of the contact minutes."""
        total = self.contact_minutes
        return {name: (100 * minutes / total if total else 0.0)
                for name, minutes in self.component_minutes().items()}

    def leader_minutes(self) -> int:
        """The teacher leader's minutes with teachers: group time once, coaching per teacher."""
        return sum(s.minutes * (self.constraints.cohort if s.mode == "coaching" else 1)
                   for s in self.held())

    def features_served(self) -> dict[str, tuple[str, ...]]:
        return {c.name: c.features for c in self.design.components}

    def features_missing(self) -> list[str]:
        served = {f for c in self.design.components for f in c.features}
        return [f for f in FEATURES if f not in served]

    def summary_rows(self) -> list[tuple[str, str, str, str, str]]:
        """Per component: name, mode, sessions held, hours, share."""
        shares, minutes = self.shares(), self.component_minutes()
        counts = defaultdict(int)
        for s in self.held():
            counts[s.component] += 1
        return [(c.name, c.mode, str(counts[c.name]), f"{minutes[c.name] / 60:g}",
                 f"{shares[c.name]:.0f}%") for c in self.design.components]


def component_dates(component: Component, year: SchoolYear) -> list[date]:
    """Every date the component meets on between the first and last day of school."""
    code = _DAY_CODES[component.weekday]
    start, end = pd.Timestamp(year.first), pd.Timestamp(year.last)
    if component.every_weeks is None:
        days = pd.date_range(start, end, freq=f"WOM-{component.week}{code}")
    else:
        # The first such weekday on or after the first day, then on in steps of N weeks.
        first = pd.date_range(start, periods=1, freq=f"W-{code}")[0]
        first += pd.Timedelta(weeks=component.week - 1)
        days = pd.date_range(first, end, freq=f"{7 * component.every_weeks}D")
    return [d.date() for d in days]


def plan_year(design: Design, year: SchoolYear, constraints: Constraints | None = None) -> Plan:
    """The design laid out on the school year, with every constraint it breaks."""
    constraints = constraints or Constraints()
    check_constraints(constraints)
    plan = Plan(design, year, constraints)
    for component in design.components:
        for day in component_dates(component, year):
            closure = year.closure_on(day)
            if closure is not None:
                plan.sessions.append(Session(day, component.name, component.mode,
                                             component.minutes, False, closure.name))
                move_to = year.next_school_day(day)
                fix = (f"move it to {_day(move_to)}, the next school day"
                       if move_to else "add a session earlier in the year instead")
                plan.violations.append(Violation(
                    "closed", f"The {component.name.lower()} on {_day(day)} falls on "
                    f"{closure.name} (school is closed), so it is not held and does not count.",
                    fix + ".", day))
                continue
            window = year.testing_on(day)
            plan.sessions.append(Session(day, component.name, component.mode, component.minutes,
                                         True, window.name if window else ""))
            if window is not None:
                move_to = year.next_school_day(window.last)
                plan.violations.append(Violation(
                    "testing", f"The {component.name.lower()} on {_day(day)} falls in the "
                    f"{window.name.lower()}, when many teachers give or supervise tests.",
                    (f"move it to {_day(move_to)}, after the window, " if move_to else "")
                    + "or make this one short and online.", day))
    plan.sessions.sort(key=lambda s: (s.day, s.component))
    plan.violations += _contract(plan, design, constraints)
    plan.violations += _travel(design, constraints)
    if constraints.cohort > LARGE_COHORT:
        plan.violations.append(Violation(
            "cohort", f"A cohort of {constraints.cohort} teachers is large: active adult "
            f"learning worked best with fewer than {LARGE_COHORT} learners, and a teacher "
            "leader usually guides 12 to 15.",
            f"split it into {-(-constraints.cohort // 15)} cohorts, each with its own teacher "
            "leader."))
    plan.violations.sort(key=lambda v: (v.day or date.max, v.rule))
    return plan


def check_constraints(constraints: Constraints) -> None:
    problems = []
    if constraints.limit_minutes is not None and constraints.limit_minutes < 0:
        problems.append("The contract limit cannot be below zero minutes; leave it empty for "
                        "no limit.")
    if constraints.limit_period not in PERIODS:
        problems.append(f"The contract limit is per week or per month, not "
                        f"'{constraints.limit_period}'.")
    if constraints.cohort < 1:
        problems.append("A cohort needs at least one teacher.")
    if problems:
        raise ConstraintsError(problems)


def _contract(plan: Plan, design: Design, constraints: Constraints) -> list[Violation]:
    if constraints.limit_minutes is None:
        return []
    after_school = {c.name for c in design.components if c.after_school}
    totals: dict[tuple, int] = defaultdict(int)
    first_day: dict[tuple, date] = {}
    for s in plan.held():
        if s.component not in after_school:
            continue
        iso = s.day.isocalendar()
        key = ((iso.year, iso.week) if constraints.limit_period == "week"
               else (s.day.year, s.day.month))
        totals[key] += s.minutes
        first_day.setdefault(key, s.day)
    out = []
    for key, minutes in totals.items():
        if minutes <= constraints.limit_minutes:
            continue
        day = first_day[key]
        when = (f"the week of {_day(day)}" if constraints.limit_period == "week"
                else day.strftime("%B %Y"))
        over = minutes - constraints.limit_minutes
        out.append(Violation(
            "contract", f"In {when} the plan asks for {minutes} minutes after school; the "
            f"contract allows {constraints.limit_minutes} a {constraints.limit_period}.",
            f"cut {over} minutes (split the session across two {constraints.limit_period}s, or "
            "shorten it), or hold it in paid time such as a release day.", day))
    return out


def _travel(design: Design, constraints: Constraints) -> list[Violation]:
    out = []
    for component in design.components:
        if component.mode != "face-to-face":
            continue
        for site in constraints.sites:
            trip = 2 * site.travel_minutes
            if trip > component.minutes:
                out.append(Violation(
                    "travel", f"Teachers from {site.name} travel {trip} minutes there and back "
                    f"for a {component.minutes}-minute {component.name.lower()}: more time on "
                    "the road than learning.",
                    f"let {site.name} join by video, meet at a school nearer the middle, or "
                    "meet less often for longer."))
    return out


def parse_sites(text: str) -> tuple[Site, ...]:
    """Sites typed one a line as 'name, minutes one way'; a ConstraintsError lists problems."""
    sites, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, minutes = line.rpartition(",")
        name, minutes = name.strip(), minutes.strip()
        if not name or not minutes.isdigit():
            problems.append(f"Site line {number} ('{line.strip()}') should be a school's name, a "
                            "comma and the minutes it takes to travel one way, e.g. 'Pine "
                            "Hollow Elementary, 55'.")
            continue
        if int(minutes) > 600:
            problems.append(f"Site line {number}: {minutes} minutes one way is more than ten "
                            "hours; check the number.")
            continue
        sites.append(Site(name, int(minutes)))
    if problems:
        raise ConstraintsError(problems)
    return tuple(sites)


def site_fields(text: str) -> list[tuple[str, str]]:
    """Sites typed as 'name, minutes' lines, as (name, minutes) kept as typed, for a form."""
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, comma, minutes = line.rpartition(",")
            out.append((name.strip(), minutes.strip()) if comma else (line.strip(), ""))
    return out


def site_lines(sites: list[tuple[str, int]]) -> str:
    """Sites as the 'name, minutes one way' lines parse_sites reads."""
    return "".join(f"{name.strip()}, {minutes}\n" for name, minutes in sites if name.strip())


def sessions_csv(plan: Plan) -> str:
    """The plan as CSV: one session a row, for a spreadsheet or a district calendar."""
    return write_rows(([s.day.isoformat(), s.day.strftime("%A"), s.component, s.mode,
                        s.minutes, "yes" if s.held else "no", s.note] for s in plan.sessions),
                      ["date", "weekday", "component", "mode", "minutes", "held", "note"])


def _day(day: date | None) -> str:
    return day.strftime("%a %d %b %Y").replace(" 0", " ") if day else ""
