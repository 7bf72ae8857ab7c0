"""The form a learner answers a checked activity in: a choice per item, or a box per percent.

    activity_form("roles_match")      (tlkit.widgets.course.form_cell)

draws the form from the activity's file (tlkit.course.checks), keeps every change in the
answers file beside the notebook at once (tlkit.course.answers), and checks what the form holds
now when the learner presses Check (tlkit.course.forms). Nothing here is code a learner edits.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from tlkit.course.answers import AnswersError, read_answers, save_activity, save_first_try
from tlkit.course.checks import Activity, ActivityError, box_html, load_activity
from tlkit.course.forms import review_form
from tlkit.widgets.common import message_html

CHOOSE = "Choose…"
_WIDE = {"description_width": "initial"}


class ActivityForm(widgets.VBox):
    def __init__(self, activity_id: str, folder: Path | str | None = None):
        super().__init__()
        self.add_class("tlkit-activity-form")
        self.folder = Path(folder) if folder is not None else Path.cwd()
        self.message = widgets.HTML()
        try:
            self.activity: Activity | None = load_activity(activity_id, here=self.folder)
        except ActivityError as error:
            self.activity = None
            self.message.value = message_html(
                f"This activity could not be shown: {error} Tell your facilitator.", "problem")
            self.children = [self.message]
            return
        self.fields = {item.id: self._field(item) for item in self.activity.items}
        self.check_button = widgets.Button(description="Check my answers", icon="check",
                                           tooltip="Check my answers", button_style="primary",
                                           layout=widgets.Layout(width="auto"))
        self.check_button.on_click(lambda _: self.check())
        self.saved = widgets.HTML()
        self.result = widgets.HTML()
        self._restore()
        for box in self.fields.values():
            box.observe(lambda _: self.save(), names="value")
        self.children = [*self.fields.values(), widgets.HBox([self.check_button, self.saved]),
                         self.message, self.result]

    def _field(self, item) -> widgets.Widget:
        if self.activity.kind == "labels":
            options = [(CHOOSE, "")] + [(label.name, label.name) for label in self.activity.labels]
            box = widgets.Dropdown(options=options, value="", description=item.name,
                                   style=_WIDE, layout=widgets.Layout(width="auto"))
        else:
            box = widgets.Text(value="", description=item.name, placeholder="a number, e.g. 40",
                               continuous_update=True, style=_WIDE,
                               layout=widgets.Layout(width="auto", max_width="34em"))
        box.add_class("tlkit-form-field")
        return box

    def values(self) -> dict[str, str]:
        return {item_id: str(box.value or "") for item_id, box in self.fields.items()}

    def _restore(self) -> None:
        try:
            kept = read_answers(self.folder).activity(self.activity.id)
        except AnswersError as error:
            self.message.value = message_html(f"Your earlier answers could not be read: {error} "
                                              "Answer again here; a copy of the old file is kept.",
                                              "warning")
            return
        for item_id, value in kept.items():
            box = self.fields.get(item_id)
            if box is None:
                continue
            if isinstance(box, widgets.Dropdown) and value not in dict(box.options).values():
                continue
            box.value = value

    def save(self) -> bool:
        """Keep the form as it is now; say so if it cannot be kept (the page still holds it)."""
        try:
            save_activity(self.activity.id, self.values(), self.folder)
        except OSError as error:
            self.saved.value = message_html(
                f"Not saved ({error.strerror or error}). Keep this page open and tell your "
                "facilitator.", "problem")
            return False
        self.saved.value = "<span class='tlkit-form-saved' style='color:#1b4332'>Saved</span>"
        return True

    def check(self):
        """Check what the form holds now, and say what to reconsider (never the answer). The
        first check also keeps the answers as the first try (the course's evaluation)."""
        if self.save():
            try:
                save_first_try(self.activity.id, self.values(), self.folder)
            except OSError:
                pass    # the answers are saved; only the first try is not: nothing to say
        result = review_form(self.activity, self.values())
        kind = "done" if result.all_right else "note"
        self.result.value = box_html(kind, result.lines())
        return result
