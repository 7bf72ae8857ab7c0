"""The course map, a cohort schedule and the set-up check as views (Start here and the
facilitators' front page).

The *_html functions are plain functions over tlkit.course.course_map and
tlkit.course.environment_check; the views add a box or a button and say what went wrong in a
sentence, never a traceback.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import ipywidgets as widgets

from tlkit.course.course_map import (DESIGNS, MapRow, Session, course_map, design, pace_sentence,
                                     read_weekly_minutes, schedule, total_minutes)
from tlkit.course.environment_check import OK, PROBLEM, Check, run_checks, summary
from tlkit.store import Keeper, PaceRecord, Store, default_store
from tlkit.widgets.common import keeper_notice, message_html

_CELL = "padding:0.3em 0.8em;text-align:left;vertical-align:top;border-bottom:1px solid #ccc"
_NUM = "padding:0.3em 0.8em;text-align:right;vertical-align:top;border-bottom:1px solid #ccc"


def _minutes(value: int | None) -> str:
    if value is None:
        return "not known"
    hours, mins = divmod(value, 60)
    if hours and mins:
        return f"{value} min ({hours} h {mins} min)"
    return f"{value} min ({hours} h)" if hours else f"{value} min"


def course_map_html(rows: list[MapRow], *, for_facilitators: bool = False) -> str:
    """The modules in order: live minutes, self-study minutes; for facilitators also the guide
    and what to prepare."""
    head = ["Module", "Title", "Live session", "Self-study before it"]
    if for_facilitators:
        head += ["Guide", "Print and prepare"]
    header = "".join(f"<th scope='col' style='{_CELL}'>{escape(h)}</th>" for h in head)
    body = []
    for row in rows:
        cells = [f"<td style='{_NUM}'>{row.number}</td>",
                 f"<th scope='row' style='{_CELL}'>{escape(row.title)}</th>",
                 f"<td style='{_NUM}'>{_minutes(row.session_minutes)}</td>",
                 f"<td style='{_NUM}'>{_minutes(row.self_study_minutes)}</td>"]
        if for_facilitators:
            link = (f"<a href='{escape(row.guide)}' target='_blank' rel='noopener'>Guide for "
                    f"{escape(row.title)}</a>" if row.guide else "no guide yet")
            prepare = ("<ul style='margin:0;padding-left:1.2em'>"
                       + "".join(f"<li>{escape(p)}</li>" for p in row.prepare) + "</ul>"
                       if row.prepare else "See the guide.")
            cells += [f"<td style='{_CELL}'>{link}</td>", f"<td style='{_CELL}'>{prepare}</td>"]
        body.append("<tr>" + "".join(cells) + "</tr>")
    live, study = total_minutes(rows)
    span = len(head) - 2
    foot = (f"<tr><td style='{_CELL}'></td><th scope='row' style='{_CELL}'>Whole course</th>"
            f"<td style='{_NUM}'>{_minutes(live)}</td><td style='{_NUM}'>{_minutes(study)}</td>"
            + ("<td></td>" * (span - 2)) + "</tr>")
    problems = [f"{row.title}: {row.problem}" for row in rows if row.problem]
    note = (message_html("Some modules could not be read, so their self-study time is not "
                         "known:", "warning", items=problems) if problems else "")
    return (f"<table class='tlkit-course-map-table' style='border-collapse:collapse;"
            f"font-size:1.05em'><caption style='text-align:left;font-weight:bold'>The course, "
            f"module by module ({len(rows)} modules)</caption><thead><tr>{header}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody><tfoot>{foot}</tfoot></table>{note}")


def schedule_html(sessions: list[Session], chosen) -> str:
    """One row per session: date, what runs, minutes used of the session, self-study before."""
    rows = []
    for session in sessions:
        parts = []
        for part in session.parts:
            label = escape(part.module)
            if not part.starts_module:
                label += " (continued)"
            if part.continues:
                label += " (carries on next time)"
            parts.append(f"{label}: {part.minutes} min")
        spare = session.minutes - session.used
        note = f"; {spare} min spare" if spare > 0 else ""
        if session.too_long:
            note += ("; longer than a session: " + escape(", ".join(session.too_long))
                     + ", so split it or add time")
        rows.append(
            f"<tr><td style='{_NUM}'>{session.number}</td>"
            f"<td style='{_CELL};white-space:nowrap'>{session.date:%a %d %b %Y}</td>"
            f"<td style='{_CELL}'>{'<br>'.join(parts)}</td>"
            f"<td style='{_CELL}'>{session.used} of {session.minutes} min{note}</td>"
            f"<td style='{_NUM}'>{_minutes(session.self_study_before)}</td></tr>")
    head = "".join(f"<th scope='col' style='{_CELL}'>{h}</th>" for h in
                   ("Session", "Date", "Modules", "Time used", "Self-study before it"))
    return (f"<table class='tlkit-schedule-table' style='border-collapse:collapse;"
            f"font-size:1.05em'><caption style='text-align:left;font-weight:bold'>"
            f"{escape(chosen.name)}: {len(sessions)} {'session' if len(sessions) == 1 else 'sessions'}</caption><thead><tr>{head}</tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class='tlkit-schedule-between'><b>Between sessions:</b> "
            f"{escape(chosen.between)} <b>Who leads:</b> {escape(chosen.leaders)}</p>")


def _read_map(root) -> tuple[list[MapRow], str]:
    try:
        return course_map(root), ""
    except (FileNotFoundError, ValueError) as err:
        return [], str(err).splitlines()[0]


class CourseMapView(widgets.VBox):
    """The course map. Learners also get a weekly-minutes box that says how long the
    self-study takes, kept under `state_key` so it comes back after a restart."""

    def __init__(self, root: Path | str | None = None, *, for_facilitators: bool = False,
                 state_key: str | None = None, store: Store | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-course-map")
        self.rows, problem = _read_map(root)
        self.table = widgets.HTML()
        self.table.add_class("tlkit-course-map-items")
        if problem:
            self.table.value = message_html(
                f"The course map cannot be shown: {problem} Your notebooks still work.",
                "warning")
        else:
            self.table.value = course_map_html(self.rows, for_facilitators=for_facilitators)
        self.children = [self.table]
        self.state_key, self.store = state_key, store
        self.pace = self.pace_message = self.save_status = None
        if not for_facilitators and self.rows:
            self._add_pace()

    def _add_pace(self) -> None:
        self.store = self.store or default_store()
        # A text box, not a number box: a number box would turn 5000 or "sixty" into another
        # number without a word. The typed text stays; a sentence says what is wrong.
        self.pace = widgets.Text(
            value="", placeholder="e.g. 60", description="Minutes a week for self-study:",
            continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width="340px"))
        self.pace.add_class("tlkit-course-map-pace")
        self.pace_message = widgets.HTML()
        self.pace_message.add_class("tlkit-course-map-pace-message")
        self.save_status = widgets.HTML()
        self.children = [self.table, self.pace, self.pace_message, self.save_status]
        self._keeper = Keeper(self.store, self.state_key, PaceRecord, keep_trying=True)
        saved = self._restore()
        if saved is not None:
            self.pace.value = str(saved)
        self._show(saved)
        self.pace.observe(self._changed, names="value")

    def _restore(self) -> int | None:
        if not self.state_key:
            return None
        record = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier weekly minutes",
                                               "The box starts empty.")
        return record.minutes_per_week if record else None

    def _show(self, minutes: int | None) -> None:
        _live, study = total_minutes(self.rows)
        self.pace_message.value = message_html(pace_sentence(study, minutes or None))

    def _changed(self, change) -> None:
        minutes, problem = read_weekly_minutes(change["new"])
        if problem:
            self.pace_message.value = message_html(problem, "warning")
            return              # the last number that could be read stays saved
        self._show(minutes)
        if not self.state_key or minutes is None:
            return
        # One number, put as it stands (no merge); a failed store is tried again each time.
        self._keeper.put(PaceRecord(minutes))
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved


class ScheduleView(widgets.VBox):
    """A suggested schedule for a cohort: pick a design and the first session's date."""

    def __init__(self, root: Path | str | None = None, first: dt.date | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-schedule")
        self.rows, problem = _read_map(root)
        self.design = widgets.Dropdown(
            options=[(d.name, d.id) for d in DESIGNS], value=DESIGNS[0].id,
            description="Session design:", style={"description_width": "initial"},
            layout=widgets.Layout(width="380px"))
        self.design.add_class("tlkit-schedule-design")
        self.first = widgets.DatePicker(value=first or _next_monday(dt.date.today()),
                                        description="First session:",
                                        style={"description_width": "initial"})
        self.first.add_class("tlkit-schedule-first")
        self.message = widgets.HTML()
        self.table = widgets.HTML()
        self.table.add_class("tlkit-schedule-items")
        self.children = [widgets.HBox([self.design, self.first]), self.message, self.table]
        if problem:
            self.message.value = message_html(f"No schedule can be made: {problem}", "warning")
            return
        self.design.observe(lambda _change: self.refresh(), names="value")
        self.first.observe(lambda _change: self.refresh(), names="value")
        self.refresh()

    def refresh(self) -> None:
        if self.first.value is None:
            # Keep the last schedule on screen; say what to do.
            self.message.value = message_html("Pick the date of the first session.", "warning")
            return
        self.message.value = ""
        chosen = design(self.design.value)
        self.sessions = schedule(self.rows, chosen, self.first.value)
        self.table.value = schedule_html(self.sessions, chosen)


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


_STATUS = {OK: ("All good", "#1b4332"), "warning": ("Worth a look", "#8a4b00"),
           PROBLEM: ("Needs fixing", "#8a1c1c")}


def checks_html(checks: list[Check]) -> str:
    rows = []
    for check in checks:
        word, colour = _STATUS[check.status]
        fix = f"<br><b>What to do:</b> {escape(check.fix)}" if check.fix else ""
        rows.append(f"<tr><th scope='row' style='{_CELL}'>{escape(check.name)}</th>"
                    f"<td style='{_CELL};color:{colour};font-weight:bold'>{word}</td>"
                    f"<td style='{_CELL}'>{escape(check.found)}{fix}</td></tr>")
    kind = ("problem" if any(c.status == PROBLEM for c in checks)
            else "warning" if any(not c.ok for c in checks) else "info")
    head = "".join(f"<th scope='col' style='{_CELL}'>{h}</th>"
                   for h in ("What was checked", "Result", "Details"))
    return (message_html(summary(checks), kind, css_class="tlkit-setup-summary")
            + f"<table class='tlkit-setup-table' style='border-collapse:collapse'>"
              f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


class EnvironmentCheck(widgets.VBox):
    """Checks the set-up at once and again on each press of its button."""

    def __init__(self, run=run_checks, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-setup-check")
        self._run = run
        self.button = widgets.Button(description="Check again", tooltip="Check the set-up again",
                                     icon="")
        self.button.add_class("tlkit-setup-again")
        self.result = widgets.HTML()
        self.result.add_class("tlkit-setup-result")
        self.children = [self.result, self.button]
        self.button.on_click(lambda _button: self.check())
        self.check()

    def check(self) -> list[Check]:
        try:
            self.checks = self._run()
        except Exception as err:  # noqa: BLE001 - a failing check must say so, not crash
            self.checks = []
            self.result.value = message_html(
                f"The set-up check itself could not finish ({type(err).__name__}). Run "
                "`make start` again in the course folder, or send this page to whoever set up "
                "the course.", "problem")
            return self.checks
        self.result.value = checks_html(self.checks)
        return self.checks
