"""The end of every module: hand it in, see when it was handed in, open the feedback.

    HandInPanel()

One button hands in the module's folder (the notebook and the answers file) through the
course's exchange (tlkit.ops.hand_in); another brings back the feedback the facilitator
returned and links each page, which opens inside JupyterLab.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import ipywidgets as widgets
from IPython.display import Markdown, display

from tlkit.ops.hand_in import (HandInError, feedback_pages, fetch_feedback, hand_in,
                               handed_in_said, hand_ins, progress)
from tlkit.widgets.common import message_html

AGAIN = "You can hand in again at any time; your facilitator collects the newest."


class HandInPanel(widgets.VBox):
    def __init__(self, folder: Path | str | None = None):
        super().__init__()
        self.add_class("tlkit-hand-in")
        self.folder = Path(folder) if folder is not None else Path.cwd()
        self.hand_in_button = widgets.Button(
            description="Hand in this module", button_style="primary",
            tooltip="Send this notebook and your answers to your facilitator",
            layout=widgets.Layout(width="auto"))
        self.feedback_button = widgets.Button(
            description="Get my feedback", tooltip="Bring back the feedback on your hand-in",
            layout=widgets.Layout(width="auto"))
        self.status = widgets.HTML()
        self.feedback_status = widgets.HTML()
        # Markdown links: JupyterLab opens a relative link in the lab itself.
        self.feedback_links = widgets.Output()
        self.hand_in_button.on_click(lambda _: self.hand_in())
        self.feedback_button.on_click(lambda _: self.get_feedback())
        self._show_last()
        self._show_pages(feedback_pages(self.folder))
        self.children = [
            widgets.HTML(f"<p>{self._progress()}</p>"),
            self.hand_in_button, self.status,
            widgets.HTML("<p>After your facilitator has graded it, your feedback comes back "
                         "here.</p>"),
            self.feedback_button, self.feedback_status, self.feedback_links]

    def _progress(self) -> str:
        return f"So far: {progress(self.folder).said()}."

    def _show_last(self) -> None:
        done = hand_ins(self.folder.name)
        if done:
            self.status.value = message_html(f"Handed in on {done[-1].said()}. {AGAIN}")
        else:
            self.status.value = message_html("Not handed in yet.")

    def hand_in(self) -> bool:
        now = progress(self.folder)
        self.children[0].value = f"<p>{self._progress()}</p>"
        if now.activities_answered == 0 and now.reflections_written == 0:
            self.status.value = message_html(
                "Nothing to hand in yet: answer the activities and write your reflection "
                "above first.", "warning")
            return False
        self.status.value = message_html("Handing in...")
        try:
            done = hand_in(self.folder)
        except HandInError as error:
            self.status.value = message_html(str(error), "problem")
            return False
        self.status.value = message_html(
            f"Handed in on {done.said()}: {now.said()}. {AGAIN}")
        return True

    def get_feedback(self) -> list[Path]:
        try:
            pages = fetch_feedback(self.folder)
        except HandInError as error:
            self.feedback_status.value = message_html(str(error), "problem")
            return feedback_pages(self.folder)
        if not hand_ins(self.folder.name) and not pages:
            self.feedback_status.value = message_html(
                "Hand the module in first; feedback comes after your facilitator grades it.")
        elif not pages:
            self.feedback_status.value = message_html(
                "No feedback yet: your facilitator returns it after grading. Try again later.")
        else:
            self.feedback_status.value = message_html(
                f"Your feedback is here ({len(pages)} page{'s' if len(pages) != 1 else ''}).")
        self._show_pages(pages)
        return pages

    def _show_pages(self, pages: list[Path]) -> None:
        self.feedback_links.clear_output()
        if not pages:
            return
        lines = []
        for page in pages:
            link = quote(page.relative_to(self.folder).as_posix())
            lines.append(f"- [Open your feedback (handed in {handed_in_said(page)})]({link})")
        with self.feedback_links:
            display(Markdown("\n".join(lines)))
