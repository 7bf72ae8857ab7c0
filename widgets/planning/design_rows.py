"""Row editors for the year planner: a teacher's own design, one part a row; the school
calendar, one entry a row; and the schools teachers travel from. Each row is made of ordinary
controls (a box for the name, menus, dates, whole numbers, tick boxes), each with a visible
label that a screen reader also reads.

The editors keep their text in the planner's formats (`tlkit.planning.design.fields_csv`,
`tlkit.planning.calendar.fields_calendar` and `tlkit.planning.planner.site_lines`), so what is
saved is unchanged; `value` holds that text and can be observed like any control's. Setting
`value` (a calendar file read again) rebuilds the rows.
"""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import traitlets

from tlkit.planning.calendar import (KINDS, MAX_ROWS, calendar_fields, fields_calendar,
                                     parse_date)
from tlkit.planning.design import (FEATURES, FREQUENCIES, MAX_COMPONENTS, MODES, WEEKDAYS,
                                   component_fields, fields_csv)
from tlkit.planning.planner import site_fields, site_lines
from tlkit.widgets.common import message_html

_LABEL = {"description_width": "initial"}     # labels are shown in full, never cut
_BUTTON = widgets.Layout(width="auto", align_self="flex-start")   # as wide as its words
MAX_SITES = 12
MODE_WORDS = {"face-to-face": "Face to face", "coaching": "One-on-one coaching",
              "virtual": "Online"}


def _int(text: str, default: int) -> int:
    # A number from the file stays as it is, even out of range: the row says what is wrong.
    return int(text) if text.strip().isdigit() else default


def _out_of_range(where: str, value: int, low: int, high: int, what: str) -> list[str]:
    """A number box is never clamped without a word: a value out of range is said."""
    if low <= value <= high:
        return []
    return [f"{where}: {value} is not a {what}. Type a number from {low} to {high}."]


class ComponentRow(widgets.VBox):
    """One part of a design: name, how and how often it meets, day, week, minutes, after
    school, and the features it serves."""

    def __init__(self, fields: dict[str, str], changed: Callable, remove: Callable):
        self.heading = widgets.HTML()
        self.name = widgets.Text(value=fields.get("name", ""), style=_LABEL,
                                 placeholder="e.g. Team meeting", continuous_update=False,
                                 layout=widgets.Layout(width="30em"))
        mode = fields.get("mode", "").lower()
        self.mode = widgets.Dropdown(options=[(MODE_WORDS[m], m) for m in MODES],
                                     value=mode if mode in MODES else MODES[0],
                                     description="How it meets", style=_LABEL)
        frequency = " ".join(fields.get("frequency", "").lower().split())
        self.frequency = widgets.Dropdown(
            options=[(f.capitalize(), f) for f in FREQUENCIES],
            value=frequency if frequency in FREQUENCIES else "every 2 weeks",
            description="How often", style=_LABEL)
        day = fields.get("weekday", "").capitalize()
        self.weekday = widgets.Dropdown(options=list(WEEKDAYS),
                                        value=day if day in WEEKDAYS else WEEKDAYS[1],
                                        description="Day", style=_LABEL)
        self.week = widgets.IntText(
            value=_int(fields.get("week", ""), 1), style=_LABEL,
            description="Which week it starts (1 to 4)", layout=widgets.Layout(width="24em"))
        self.minutes = widgets.IntText(
            value=_int(fields.get("minutes", ""), 60), step=5, description="Minutes (5 to 480)",
            style=_LABEL, layout=widgets.Layout(width="18em"))
        self.after_school = widgets.Checkbox(
            value=fields.get("after_school", "").lower() in ("yes", "true"),
            description="After school (counts toward the contract limit)", indent=False,
            layout=widgets.Layout(width="auto"))
        chosen = {f.strip().lower() for f in fields.get("features", "").split(";")}
        self.features = {fid: widgets.Checkbox(value=fid in chosen, description=name,
                                               indent=False,
                                               layout=widgets.Layout(width="auto",
                                                                     margin="0 1.5em 0 0"))
                         for fid, name in FEATURES.items()}
        self.remove_button = widgets.Button(layout=_BUTTON)
        self.remove_button.add_class("tlkit-design-remove")
        self.remove_button.on_click(lambda _b: remove(self))
        for control in (self.name, self.mode, self.frequency, self.weekday, self.week,
                        self.minutes, self.after_school, *self.features.values()):
            control.observe(lambda _c: changed(), names="value")
        feature_box = widgets.HBox(list(self.features.values()),
                                   layout=widgets.Layout(flex_flow="row wrap"))
        super().__init__([
            self.heading, self.name,
            widgets.HBox([self.mode, self.frequency, self.weekday],
                         layout=widgets.Layout(flex_flow="row wrap")),
            widgets.HBox([self.week, self.minutes], layout=widgets.Layout(flex_flow="row wrap")),
            self.after_school, widgets.Label("Features it serves (tick one or more):"),
            feature_box, self.remove_button],
            layout=widgets.Layout(border="1px solid #767676", padding="0.4em 0.8em",
                                  margin="0 0 0.6em 0"))
        self.add_class("tlkit-design-row")

    def number(self, n: int) -> None:
        """Say which part this is, in the heading and in the names a screen reader reads."""
        self.heading.value = f"<h4 style='font-size:1.1em;margin:0.3em 0'>Part {n}</h4>"
        self.name.description = f"Name of part {n}"
        self.remove_button.description = f"Remove part {n}"

    def fields(self) -> dict[str, str]:
        return {"name": self.name.value.strip(), "mode": self.mode.value,
                "frequency": self.frequency.value, "weekday": self.weekday.value,
                "week": str(self.week.value), "minutes": str(self.minutes.value),
                "after_school": "yes" if self.after_school.value else "no",
                "features": "; ".join(f for f, box in self.features.items() if box.value)}

    def problems(self, n: int) -> list[str]:
        out = []
        if not self.name.value.strip():
            out.append(f"Part {n} has no name yet: type a short name, such as Team meeting.")
        if not any(box.value for box in self.features.values()):
            out.append(f"Part {n} serves no feature yet: tick at least one.")
        out += _out_of_range(f"Part {n}, which week it starts", self.week.value, 1, 4,
                             "week of its cycle or month")
        out += _out_of_range(f"Part {n}, minutes", self.minutes.value, 5, 480,
                             "length the planner takes (a whole school day at most)")
        return out


class SiteRow(widgets.HBox):
    """A school teachers travel from and its minutes one way."""

    def __init__(self, name: str, minutes: str, changed: Callable, remove: Callable):
        self.name = widgets.Text(value=name, style=_LABEL, placeholder="e.g. Pine Hollow "
                                 "Elementary", continuous_update=False,
                                 layout=widgets.Layout(width="28em"))
        self.minutes = widgets.IntText(value=_int(minutes, 0), style=_LABEL,
                                       description="Minutes one way",
                                       layout=widgets.Layout(width="14em"))
        self.remove_button = widgets.Button(layout=_BUTTON)
        self.remove_button.on_click(lambda _b: remove(self))
        for control in (self.name, self.minutes):
            control.observe(lambda _c: changed(), names="value")
        super().__init__([self.name, self.minutes, self.remove_button],
                         layout=widgets.Layout(flex_flow="row wrap"))
        self.add_class("tlkit-site-row")

    def number(self, n: int) -> None:
        self.name.description = f"School {n}"
        self.remove_button.description = f"Remove school {n}"

    def problems(self, n: int) -> list[str]:
        return _out_of_range(f"School {n}, minutes one way", self.minutes.value, 0, 600,
                             "travel time the planner takes (up to ten hours)")


KIND_WORDS = {"school year": "School year: its first and last day",
              "closed": "Closed: a holiday, break or workday",
              "testing": "Testing window",
              "federal holidays": "US federal holidays (added for you)"}


class CalendarRow(widgets.VBox):
    """One calendar entry: its kind, name, first day and last day. A date in the file that is
    not a real day is kept as it was written until a day is picked, so the planner can say
    which it is and nothing is lost."""

    def __init__(self, fields: dict[str, str], changed: Callable, remove: Callable):
        self._changed = changed
        kind = fields.get("kind", "closed")
        self.kind = widgets.Dropdown(options=[(KIND_WORDS[k], k) for k in KINDS],
                                     value=kind if kind in KINDS else "closed",
                                     description="Kind", style=_LABEL)
        self.name = widgets.Text(value=fields.get("name", ""), style=_LABEL,
                                 placeholder="e.g. Winter break", continuous_update=False,
                                 layout=widgets.Layout(width="36em"))
        self.kept: dict[str, str] = {}
        self.start = self._picker(fields.get("start", ""), "start", "First day", "18em")
        self.end = self._picker(fields.get("end", ""), "end",
                                "Last day (leave empty for one day)", "32em")
        self.remove_button = widgets.Button(layout=_BUTTON)
        self.remove_button.on_click(lambda _b: remove(self))
        for control in (self.kind, self.name):
            control.observe(lambda _c: self._edited(), names="value")
        super().__init__([widgets.HBox([self.kind, self.name],
                                       layout=widgets.Layout(flex_flow="row wrap")),
                          widgets.HBox([self.start, self.end, self.remove_button],
                                       layout=widgets.Layout(flex_flow="row wrap"))],
                         layout=widgets.Layout(margin="0 0 0.6em 0", padding="0 0 0.4em 0",
                                               border_bottom="1px solid #767676"))
        self.add_class("tlkit-calendar-row")
        self._edited(quiet=True)

    def _picker(self, text: str, which: str, words: str, width: str) -> widgets.DatePicker:
        day = parse_date(text) if text else None
        if text and day is None:
            self.kept[which] = text
        picker = widgets.DatePicker(value=day, description=words, style=_LABEL,
                                    layout=widgets.Layout(width=width))

        def picked(_change):
            self.kept.pop(which, None)
            self._edited()
        picker.observe(picked, names="value")
        return picker

    def _edited(self, quiet: bool = False) -> None:
        # Federal holidays come from a calendar of them: no dates to give.
        dated = self.kind.value != "federal holidays"
        for picker in (self.start, self.end):
            picker.disabled = not dated
        if not quiet:
            self._changed()

    def number(self, n: int) -> None:
        self.name.description = f"Name of entry {n}"
        self.remove_button.description = f"Remove entry {n}"

    def fields(self) -> dict[str, str]:
        dated = self.kind.value != "federal holidays"

        def day(picker, which):
            if not dated:
                return ""
            return picker.value.isoformat() if picker.value else self.kept.get(which, "")
        return {"kind": self.kind.value, "name": self.name.value.strip(),
                "start": day(self.start, "start"), "end": day(self.end, "end")}


class _Rows(widgets.VBox):
    """Rows with an Add button; `value` is the rows' text in the planner's format."""

    value = traitlets.Unicode("")

    def __init__(self, intro: str, add_words: str, limit: int):
        self.limit = limit
        self.rows_box = widgets.VBox()
        self.add_button = widgets.Button(description=add_words, icon="plus", layout=_BUTTON)
        self.add_button.on_click(lambda _b: self.add())
        self.note = widgets.HTML()
        self._writing = False
        super().__init__([widgets.HTML(f"<p style='margin:0.4em 0'>{intro}</p>"),
                          self.rows_box, self.add_button, self.note])
        self.observe(self._value_set, names="value")

    def _value_set(self, change) -> None:
        # Text put in from outside (a file read again): show it as rows.
        if not self._writing:
            self.set_text(change["new"])

    @property
    def rows(self) -> list:
        return list(self.rows_box.children)

    def _set_rows(self, rows: list) -> None:
        self.rows_box.children = tuple(rows)
        for n, row in enumerate(rows, start=1):
            row.number(n)
        self.add_button.disabled = len(rows) >= self.limit
        self.note.value = (message_html(f"That is the most this planner takes ({self.limit}).")
                           if len(rows) >= self.limit else "")
        self._changed()

    def remove(self, row) -> None:
        self._set_rows([r for r in self.rows if r is not row])

    def _changed(self) -> None:
        self._writing = True
        try:
            self.value = self._text()
        finally:
            self._writing = False

    def set_text(self, text: str) -> None:
        raise NotImplementedError

    def _text(self) -> str:
        raise NotImplementedError

    def add(self) -> None:
        raise NotImplementedError


class DesignRows(_Rows):
    """A teacher's own design, one part a row; `value` is the design in the own-design CSV."""

    def __init__(self, text: str = ""):
        super().__init__("Build your design one part at a time: a group session, a coaching "
                         "visit, an online task. Press <b>Add a part</b> for each.",
                         "Add a part", MAX_COMPONENTS)
        self.add_class("tlkit-design-rows")
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self._set_rows([ComponentRow(f, self._changed, self.remove)
                        for f in component_fields(text)])

    def add(self) -> None:
        if len(self.rows) < self.limit:
            self._set_rows([*self.rows, ComponentRow({}, self._changed, self.remove)])

    def problems(self) -> list[str]:
        if not self.rows:
            return ["Your design has no parts yet: press Add a part."]
        return [p for n, row in enumerate(self.rows, start=1) for p in row.problems(n)]

    def _text(self) -> str:
        return fields_csv([row.fields() for row in self.rows])


class SiteRows(_Rows):
    """The schools teachers travel from; `value` is 'name, minutes' lines."""

    def __init__(self, text: str = ""):
        super().__init__("Schools whose teachers travel to the group sessions, with the "
                         "minutes it takes one way. Leave this empty if everyone is close.",
                         "Add a school", MAX_SITES)
        self.add_class("tlkit-site-rows")
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self._set_rows([SiteRow(name, minutes, self._changed, self.remove)
                        for name, minutes in site_fields(text)])

    def add(self) -> None:
        if len(self.rows) < self.limit:
            self._set_rows([*self.rows, SiteRow("", "", self._changed, self.remove)])

    def problems(self) -> list[str]:
        return [p for n, row in enumerate(self.rows, start=1) for p in row.problems(n)]

    def _text(self) -> str:
        return site_lines([(row.name.value, row.minutes.value) for row in self.rows])


class CalendarRows(_Rows):
    """The school calendar, one entry a row; `value` is the calendar text (kind,name,start,end)."""

    def __init__(self, text: str = ""):
        super().__init__("The school calendar: the school year, every day school is closed, and "
                         "the testing windows. Press <b>Add an entry</b> for each.",
                         "Add an entry", MAX_ROWS)
        self.add_class("tlkit-calendar-rows")
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self._set_rows([CalendarRow(f, self._changed, self.remove)
                        for f in calendar_fields(text)])

    def add(self) -> None:
        if len(self.rows) < self.limit:
            self._set_rows([*self.rows, CalendarRow({}, self._changed, self.remove)])

    def _text(self) -> str:
        return fields_calendar([row.fields() for row in self.rows])
