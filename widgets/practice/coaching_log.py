"""CoachingLog: a coach's log of coaching cycles with colleagues, kept in the store and
printable.

A thin view over tlkit.practice.coaching (the boxes and their checks) and
tlkit.printables.coaching_log (the printable page). With a state_key the entries are kept in
a CoachingLogRecord, merged entry by entry with any other page showing the same log; the
portfolio shows them.
"""

from __future__ import annotations

import uuid

import ipywidgets as widgets

from tlkit.practice.coaching import LOG_FIELDS, check_entry, sorted_entries
from tlkit.printables.coaching_log import coaching_log_html, entry_html
from tlkit.store import CoachingLogRecord, Keeper, Store, default_store
from tlkit.widgets.common import download_link, keeper_notice, message_html

_WIDE = widgets.Layout(width="95%")
_LABELS = {"description_width": "initial"}


class CoachingLog(widgets.VBox):
    """The log: five boxes for one coaching cycle, **Add this entry**, the entries so far and
    a printable page. `state_key` names the saved log (the portfolio reads "coaching-log")."""

    def __init__(self, *, state_key: str | None = None, store: Store | None = None):
        self.state_key = state_key
        self._keeper = Keeper(store or default_store(), state_key, CoachingLogRecord)
        self.record = (self._keeper.restore() if state_key else None) or CoachingLogRecord()
        self.save_status = widgets.HTML(keeper_notice(self._keeper, "Your earlier log",
                                                      "The log starts empty."))
        self.boxes: dict[str, widgets.Widget] = {}
        rows = []
        for key, label, help_text in LOG_FIELDS:
            kind = widgets.Text if key == "date" else widgets.Textarea
            box = kind(description=label, placeholder=help_text, style=_LABELS, layout=_WIDE)
            self.boxes[key] = box
            rows.append(box)
        self.add_button = widgets.Button(description="Add this entry", button_style="primary",
                                         layout=widgets.Layout(width="14em"))
        self.add_button.on_click(lambda _b: self.add_entry())
        self.take_back_button = widgets.Button(description="Take back the last entry",
                                               layout=widgets.Layout(width="16em"))
        self.take_back_button.on_click(lambda _b: self.take_back())
        self.message = widgets.HTML()
        self.entries_view = widgets.HTML()
        self.printable = widgets.HTML()
        super().__init__([
            widgets.HTML("<h3 style='font-size:1.4em'>My coaching log</h3><p style='font-size:"
                         "1.1em'>One entry per coaching cycle. Fill in the five boxes, then "
                         "press <b>Add this entry</b>. Entries are kept as you add them.</p>"),
            self.save_status, *rows,
            widgets.HBox([self.add_button, self.take_back_button]), self.message,
            self.entries_view, self.printable])
        self._show()

    # --- actions ----------------------------------------------------------------------------

    def typed(self) -> dict[str, str]:
        return {key: box.value for key, box in self.boxes.items()}

    def add_entry(self) -> bool:
        """Add what the boxes hold as one entry; False (with the reasons shown) when a box is
        missing or unreadable."""
        entry = {key: value.strip() for key, value in self.typed().items()}
        problems, notes = check_entry(entry)
        if problems:
            self.message.value = message_html("The entry was not added yet:", "warning",
                                              items=problems)
            return False
        self.record.entries[uuid.uuid4().hex[:12]] = entry
        for box in self.boxes.values():
            box.value = ""
        self._save()
        said = "Entry added."
        self.message.value = message_html(said + (" " + " ".join(notes) if notes else ""),
                                          "warning" if notes else "info")
        self._show()
        return True

    def take_back(self) -> None:
        if not self.record.entries:
            self.message.value = message_html("There is no entry to take back.", "info")
            return
        last = list(self.record.entries)[-1]
        entry = self.record.entries.pop(last)
        self.record.removed.add(last)
        for key, box in self.boxes.items():     # back in the boxes, to correct and add again
            box.value = entry.get(key, "")
        self._save()
        self.message.value = message_html("The last entry is back in the boxes above.", "info")
        self._show()

    def _save(self) -> None:
        if not self.state_key:
            return
        saved = self._keeper.save(self.record)
        if saved is not None:
            self.record = saved.record
        self.save_status.value = keeper_notice(self._keeper)

    def _show(self) -> None:
        entries = sorted_entries(list(self.record.entries.values()))
        if not entries:
            self.entries_view.value = "<p><i>No entries yet.</i></p>"
        else:
            self.entries_view.value = (
                f"<div class='tlkit-coaching-entries'><h4>Entries so far ({len(entries)})</h4>"
                + "".join(entry_html(e, n) for n, e in enumerate(entries, start=1)) + "</div>")
        self.printable.value = download_link(
            coaching_log_html(entries), "coaching-log.html", "text/html",
            "Open a printable page of my log" if entries else "Open a blank log to print",
            css_class="tlkit-coaching-printable")

