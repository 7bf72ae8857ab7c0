"""A box a learner writes a reflection in, kept as typed and handed in with the module.

    ReflectionBox("roles_reflection")

Typing here never touches the notebook's cells (no edit mode, no shortcuts to trip), every
change is kept at once in the answers file beside the notebook (tlkit.course.answers), and the
grader reads the text as handed in (tlkit.ops.form_scores puts it in the graded notebook).
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from tlkit.course.answers import (MAX_REFLECTION_CHARS, AnswersError, read_answers,
                                  save_reflection)
from tlkit.widgets.common import message_html


def word_count(text: str) -> int:
    return len(text.split())


class ReflectionBox(widgets.VBox):
    def __init__(self, reflection_id: str, label: str = "Your reflection",
                 folder: Path | str | None = None, rows: int = 10):
        super().__init__()
        self.add_class("tlkit-reflection-box")
        self.reflection_id = reflection_id
        self.folder = Path(folder) if folder is not None else Path.cwd()
        self.box = widgets.Textarea(
            description=label, placeholder="Write here. Your words are kept as you type.",
            rows=rows, continuous_update=True, style={"description_width": "initial"},
            layout=widgets.Layout(width="100%", max_width="48em"))
        self.status = widgets.HTML()
        self.message = widgets.HTML()
        try:
            self.box.value = read_answers(self.folder).reflection(reflection_id)
        except AnswersError as error:
            self.message.value = message_html(f"Your earlier answers could not be read: {error} "
                                              "Write again here; a copy of the old file is "
                                              "kept.", "warning")
        self._show_count()
        self.box.observe(lambda change: self.save(), names="value")
        self.children = [self.box, self.status, self.message]

    def _show_count(self, saved: bool = False) -> None:
        words = word_count(self.box.value)
        said = f"{words} word{'s' if words != 1 else ''}"
        self.status.value = (f"<span class='tlkit-reflection-status' style='color:#1b4332'>"
                             f"{said}{' · saved' if saved else ''}</span>")

    def save(self) -> bool:
        text = self.box.value
        if len(text) > MAX_REFLECTION_CHARS:
            # Kept on the page, not cut: the learner decides what to shorten.
            self.message.value = message_html(
                f"This is longer than a reflection can be ({MAX_REFLECTION_CHARS:,} "
                "characters). Shorten it; only the first part is kept until then.", "warning")
        else:
            self.message.value = ""
        try:
            save_reflection(self.reflection_id, text, self.folder)
        except OSError as error:
            self.message.value = message_html(
                f"Not saved ({error.strerror or error}). Keep this page open, copy your text "
                "somewhere safe and tell your facilitator.", "problem")
            return False
        self._show_count(saved=True)
        return True
