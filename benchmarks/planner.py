"""How long the year planner takes to update for a full school year, next to plain pandas.

    .venv/bin/python benchmarks/planner.py

Lines: reading the sample calendar; the planner's arithmetic (sessions, hours, shares and
every constraint) for each shipped design; plain pandas building the same session calendar
(dates, closed days, contact minutes) with no constraints or messages; drawing the calendar
chart with its table and the printable page; and a whole widget update as a user sees it.
Times are medians of a few runs; shared machines are noisy, so read ratios, not absolute
seconds. This prints figures only: it asserts nothing.
"""

from __future__ import annotations


import pandas as pd

from timing import median_seconds

from tlkit.planning.calendar import parse_calendar, sample_text
from tlkit.planning.design import SEED_DESIGNS, load_design
from tlkit.planning.planner import Constraints, Site, plan_year
from tlkit.planning.report import calendar_figure, calendar_html, printable_html

REPEAT = 5
CONSTRAINTS = Constraints(120, "week", (Site("Pine Hollow Elementary", 70),
                                        Site("Cedar Creek Middle", 25)), 14)
CODES = {"Monday": "MON", "Tuesday": "TUE", "Wednesday": "WED", "Thursday": "THU",
         "Friday": "FRI"}


def plain_pandas(design, year) -> int:
    """The same calendar the planner lays out, built directly with pandas: contact minutes."""
    closed = pd.DatetimeIndex([d for p in year.closed
                               for d in pd.date_range(p.first, p.last, freq="D")])
    total = 0
    for c in design.components:
        code = CODES[c.weekday]
        if c.every_weeks is None:
            days = pd.date_range(year.first, year.last, freq=f"WOM-{c.week}{code}")
        else:
            first = pd.date_range(year.first, periods=1, freq=f"W-{code}")[0]
            days = pd.date_range(first + pd.Timedelta(weeks=c.week - 1), year.last,
                                 freq=f"{7 * c.every_weeks}D")
        frame = pd.DataFrame({"day": days, "minutes": c.minutes})
        total += int(frame.loc[~frame["day"].isin(closed), "minutes"].sum())
    return total


def main() -> None:
    text = sample_text()
    year = parse_calendar(text)
    print(f"Year planner, sample calendar {year.first} to {year.last} ({year.school_days()} "
          f"school days, {len(year.closed)} closures), median of {REPEAT} runs")
    print(f"  read and check the calendar file         {median_seconds(lambda: parse_calendar(text), REPEAT) * 1000:8.1f} ms")
    for design_id in SEED_DESIGNS:
        design = load_design(design_id)
        plan = plan_year(design, year, CONSTRAINTS)
        assert plain_pandas(design, year) == plan.contact_minutes   # same calendar, same minutes
        kit = median_seconds(lambda: plan_year(design, year, CONSTRAINTS), REPEAT)
        plain = median_seconds(lambda: plain_pandas(design, year), REPEAT)
        print(f"  {design_id:<18} planner arithmetic      {kit * 1000:8.1f} ms   "
              f"plain pandas {plain * 1000:6.1f} ms   ratio {kit / plain:5.2f}   "
              f"({len(plan.sessions)} sessions, {len(plan.violations)} clashes)")
    design = load_design(SEED_DESIGNS[0])
    plan = plan_year(design, year, CONSTRAINTS)

    def draw():
        figure = calendar_figure(plan)
        calendar_html(plan, figure)
        printable_html(plan, figure)

    print(f"  chart + table + printable page           {median_seconds(draw, REPEAT) * 1000:8.1f} ms")
    try:
        from tlkit.widgets import YearPlanner
    except ImportError:
        return
    import tempfile

    from tlkit.store import JsonFileStore

    with tempfile.TemporaryDirectory() as tmp:
        view = YearPlanner(store=JsonFileStore(tmp), state_key="bench",
                           limit_minutes=120, sites="Pine Hollow Elementary, 70")
        values = iter(range(10, 10 + 2 * REPEAT))
        whole = median_seconds(lambda: setattr(view.cohort, "value", next(values)), REPEAT)
        print(f"  whole widget update (inputs to page)     {whole * 1000:8.1f} ms")
        view.close()


if __name__ == "__main__":
    main()
