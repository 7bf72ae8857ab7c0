"""YearPlanner: lay a design for teacher-led learning out on a school year and see what breaks.

A thin view over tlkit.planning: the calendar and the design are read there, the plan is
worked out there and drawn there (tlkit.planning.report). This view only holds the inputs,
shows the results, and keeps the inputs as typed in a YearPlanRecord, so a reload or a
restart brings them back, mistakes included, and nothing typed is lost.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html import escape
from pathlib import Path

import ipywidgets as widgets

from tlkit.planning.calendar import CalendarError, parse_calendar, read_calendar, sample_text
from tlkit.planning.design import (SEED_DESIGNS, DesignError, components_csv, load_design,
                                   parse_components)
from tlkit.planning.planner import (Constraints, ConstraintsError, Plan, parse_sites, plan_year,
                                    sessions_csv)
from tlkit.planning.report import calendar_figure, calendar_html, printable_html, summary_html, violations_html
from tlkit.store import Keeper, Store, default_store
from tlkit.store.records import YearPlanRecord
from tlkit.widgets.common import download_link, keeper_notice, message_html
from tlkit.widgets.planning.design_rows import CalendarRows, DesignRows, SiteRows

OWN = "own"
MAX_COHORT = 500
# What the saved plan keeps of each text (calendar, own design, sites): four times the largest
# calendar the planner reads. A pasted document far longer would make every save and reopen slow.
KEEP_CHARS = 256 * 1024
_KEPT_NAMES = {"calendar": "calendar", "own_design": "own design", "sites": "list of sites"}
_WIDE = {"description_width": "initial"}       # every label in full, never cut off
_FULL = widgets.Layout(width="95%")


def _calendar_start(calendar_file: Path | str | None) -> str:
    if calendar_file is not None:
        try:
            if Path(calendar_file).stat().st_size > KEEP_CHARS:
                return sample_text()     # not a calendar; reload_calendar says so
            return Path(calendar_file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            pass    # the sample below; the message comes when the text is read
    return sample_text()


class YearPlanner(widgets.VBox):
    """The planner. `design`: the design shown first (a shipped id or "own"); `calendar_file`:
    a CSV calendar to start from (default: the sample US district); `limit_minutes`,
    `limit_period`, `sites` ("name, minutes" lines) and `cohort`: the constraints to start
    from. With `state_key`, the inputs are saved in `store` and come back on reload."""

    def __init__(self, design: str = "every-other-week", *, state_key: str | None = None,
                 store: Store | None = None, calendar_file: Path | str | None = None,
                 limit_minutes: int | None = None, limit_period: str = "week",
                 sites: str = "", cohort: int = 12):
        self.state_key = state_key
        self.store = store or default_store()
        self.plan: Plan | None = None
        self.problems: list[str] = []
        self._keeper = Keeper(self.store, state_key, YearPlanRecord)
        self._quiet = True
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-plan-save-status")
        start = YearPlanRecord(design=design, own_design=components_csv(load_design(SEED_DESIGNS[0])),
                               calendar=_calendar_start(calendar_file),
                               limit_minutes=limit_minutes, limit_period=limit_period,
                               sites=sites, cohort=cohort)
        record = (self._restore() if state_key else None) or start
        if not record.calendar.strip():
            record = replace(record, calendar=start.calendar)

        titles = [(load_design(d).title, d) for d in SEED_DESIGNS]
        self.design = widgets.Dropdown(options=[*titles, ("My own design (built below)", OWN)],
                                       value=record.design if record.design in
                                       (*SEED_DESIGNS, OWN) else SEED_DESIGNS[0],
                                       description="Design", style=_WIDE, layout=_FULL)
        self.own_design = DesignRows(record.own_design)
        self.own_design.layout.display = "" if self.design.value == OWN else "none"
        self.own_note = widgets.HTML(
            "<p>To build a design of your own, choose <b>My own design</b> under Design. It "
            "starts from District A's parts, which you can change.</p>")
        self.own_note.layout.display = "none" if self.design.value == OWN else ""
        self.calendar = CalendarRows(record.calendar)
        self.limit = widgets.Text(
            value="" if record.limit_minutes is None else str(record.limit_minutes),
            description="Contract limit: after-school minutes", placeholder="e.g. 120; empty: no limit",
            continuous_update=False, style=_WIDE, layout=widgets.Layout(width="32em"))
        self.period = widgets.Dropdown(options=[("per week", "week"), ("per month", "month")],
                                       value=record.limit_period if record.limit_period in
                                       ("week", "month") else "week",
                                       description="The limit counts", style=_WIDE,
                                       layout=widgets.Layout(width="32em"))
        self.sites = SiteRows(record.sites)
        # Not clamped: a number out of range is said in the message and kept as typed.
        self.cohort = widgets.IntText(value=record.cohort, description="Teachers in the cohort",
                                      style=_WIDE, layout=widgets.Layout(width="24em"))
        self.update_button = widgets.Button(description="Update the plan", button_style="primary",
                                            layout=widgets.Layout(width="14em", height="2.6em"))
        self.update_button.add_class("tlkit-plan-update")
        self.update_button.on_click(lambda _b: self.update())
        self.calendar_file = Path(calendar_file) if calendar_file is not None else None
        buttons = [self.update_button]
        if self.calendar_file is not None:
            self.reload_button = widgets.Button(
                description=f"Load {self.calendar_file.name} again",
                layout=widgets.Layout(width="20em", height="2.6em"))
            self.reload_button.add_class("tlkit-plan-reload")
            self.reload_button.on_click(lambda _b: self.reload_calendar())
            buttons.append(self.reload_button)

        self.message = widgets.HTML()
        self.message.add_class("tlkit-plan-message")
        self.summary = widgets.HTML()
        self.summary.add_class("tlkit-plan-summary-view")
        self.violations = widgets.HTML()
        self.violations.add_class("tlkit-plan-violations-view")
        self.chart = widgets.HTML()
        self.chart.add_class("tlkit-plan-chart")
        self.exports = widgets.HTML()
        self.exports.add_class("tlkit-plan-exports")
        for control in (self.design, self.own_design, self.calendar, self.limit, self.period,
                        self.sites, self.cohort):
            control.observe(self._changed, names="value")
        inputs = widgets.VBox([self.design, self.own_note, self.own_design, self.calendar,
                               self.limit, self.period, self.sites, self.cohort,
                               widgets.HBox(buttons)])
        super().__init__([widgets.HTML("<h3 style='font-size:1.4em'>Year planner</h3>"),
                          self.save_status, inputs, self.message, self.summary, self.violations,
                          self.chart, self.exports])
        self.add_class("tlkit-year-planner")
        self._quiet = False
        self.update(save=False)

    # --- reading the inputs -----------------------------------------------------------------

    def record(self) -> YearPlanRecord:
        """The inputs as typed (saved as they are, mistakes included)."""
        limit = self.limit.value.strip()
        return YearPlanRecord(design=self.design.value, own_design=self.own_design.value,
                              calendar=self.calendar.value,
                              limit_minutes=int(limit) if limit.isdigit() else None,
                              limit_period=self.period.value, sites=self.sites.value,
                              cohort=self.cohort.value)

    def _inputs(self):
        problems = []
        year = design = constraints = None
        try:
            year = parse_calendar(self.calendar.value)
        except CalendarError as err:
            problems += [f"Calendar: {_entries(p)}" for p in err.problems]
        own_problems = self.own_design.problems() if self.design.value == OWN else []
        try:
            if own_problems:
                problems += [f"Design: {p}" for p in own_problems]
            else:
                design = (parse_components(self.own_design.value) if self.design.value == OWN
                          else load_design(self.design.value))
        except DesignError as err:
            problems += [f"Design: {p}" for p in err.problems]
        limit_text = self.limit.value.strip()
        if limit_text and not limit_text.isdigit():
            problems.append(f"Contract limit: '{limit_text}' is not a whole number of minutes. "
                            "Type a number such as 120, or leave it empty for no limit.")
        site_problems = self.sites.problems()
        try:
            if site_problems:
                problems += [f"Travel: {p}" for p in site_problems]
                sites = ()
            else:
                sites = parse_sites(self.sites.value)
        except ConstraintsError as err:
            problems += [f"Travel: {p}" for p in err.problems]
            sites = ()
        if not 1 <= self.cohort.value <= MAX_COHORT:
            problems.append(f"Teachers in the cohort: {self.cohort.value} is not a number of "
                            f"teachers the planner takes. Type a number from 1 to {MAX_COHORT}.")
        if not problems:
            constraints = Constraints(int(limit_text) if limit_text else None, self.period.value,
                                      sites, self.cohort.value)
        return year, design, constraints, problems

    # --- showing the plan -------------------------------------------------------------------

    def update(self, save: bool = True) -> Plan | None:
        """Work the plan out again from the inputs and show it; returns it (None if the inputs
        have problems: then the last plan that worked stays on show, marked as such)."""
        if save and self.state_key:
            self._save()
        year, design, constraints, problems = self._inputs()
        self.problems = problems
        if problems:
            kept = (" The plan below is from your last inputs that could be read." if self.plan
                    else "")
            self.message.value = message_html(
                "The plan cannot be updated yet. Nothing you typed is lost: fix these and it "
                "updates by itself." + kept, "problem", items=problems)
            return None
        try:
            plan = plan_year(design, year, constraints)
        except ConstraintsError as err:
            self.problems = err.problems
            self.message.value = message_html("The plan cannot be updated yet.", "problem",
                                              items=err.problems)
            return None
        self.plan = plan
        self.message.value = ""
        self.summary.value = summary_html(plan)
        self.violations.value = violations_html(plan)
        figure = calendar_figure(plan)
        self.chart.value = calendar_html(plan, figure)
        self.exports.value = _exports_html(plan, figure)
        return plan

    def reload_calendar(self) -> None:
        """Read the calendar file again (after it was edited in JupyterLab or a spreadsheet)."""
        try:
            size = self.calendar_file.stat().st_size
            if size > KEEP_CHARS:
                self.message.value = message_html(
                    f"The calendar file {self.calendar_file} is {size / 1024 / 1024:.1f} MB; a "
                    "school year's calendar is a few KB. Check it is the right file. The "
                    "calendar in the box is unchanged.", "problem")
                return
            text = self.calendar_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            reason = getattr(err, "strerror", None) or "it is not plain text (UTF-8)"
            self.message.value = message_html(
                f"The calendar file {self.calendar_file} could not be read ({reason}). The "
                "calendar in the box is unchanged.", "problem")
            return
        self.calendar.value = text      # updates and saves through the observer

    def _changed(self, _change) -> None:
        own = self.design.value == OWN
        self.own_design.layout.display = "" if own else "none"
        self.own_note.layout.display = "none" if own else ""
        if not self._quiet:
            self.update()

    # --- saving -----------------------------------------------------------------------------

    def _restore(self) -> YearPlanRecord | None:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier plan",
                                               "The planner starts from the sample.")
        return saved

    def _save(self) -> None:
        record = self.record()
        cut = [name for name in _KEPT_NAMES if len(getattr(record, name)) > KEEP_CHARS]
        self._keeper.save(replace(record, **{name: getattr(record, name)[:KEEP_CHARS]
                                             for name in cut}))
        notice = keeper_notice(self._keeper)    # "" once saved
        if cut:
            # The page keeps the whole text while it is open; only the saved copy is cut.
            names = " and the ".join(_KEPT_NAMES[name] for name in cut)
            notice += message_html(
                f"The {names} is longer than {KEEP_CHARS // 1024} KB, far more than a year's "
                f"plan needs, so only its first {KEEP_CHARS // 1024} KB are saved. Check you "
                "pasted the right text.", "warning")
        self.save_status.value = notice


def _entries(problem: str) -> str:
    """The calendar's messages count file rows (the header is row 1); on the page the rows are
    entries, counted from 1."""
    return re.sub(r"\b([Rr])ows? (\d+(?:, \d+)*)", lambda m: (
        ("E" if m.group(1) == "R" else "e") + ("ntries " if "," in m.group(2) else "ntry ")
        + ", ".join(str(int(n) - 1) for n in m.group(2).split(", "))), problem)


def _exports_html(plan: Plan, figure) -> str:
    """Download links for the CSV and the printable page; both are made in the kernel and
    carried in the link itself, so nothing is fetched."""
    style = "font-size:1.1em;margin-right:1.5em"
    return ("<p><b>Take the plan with you:</b> "
            + download_link(sessions_csv(plan), "year-plan.csv", "text/csv",
                            "Download the sessions (CSV, for a spreadsheet)",
                            css_class="tlkit-plan-csv", style=style)
            + download_link(printable_html(plan, figure), "year-plan.html", "text/html",
                            "Download a printable page (open it, then print)",
                            css_class="tlkit-plan-print", style=style) + "</p>"
            f"<p style='font-size:0.9em'>{escape(plan.design.title)}</p>")
