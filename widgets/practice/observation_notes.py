"""ObservationNotes: time-stamped low-inference notes and look-for scores during a visit.

A thin view over tlkit.practice.observation and an ObservationRecord (tlkit.store.records).
Everything typed is saved on every change, so a page reload or kernel restart brings the notes,
scores and even the half-written note back. Two pages open on the same observation merge note
by note. A saved record that cannot be read is set aside (never deleted) and the widget says
where it went; a store that cannot save leaves everything working on the page, with a warning.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from html import escape
from typing import Callable

import ipywidgets as widgets

from tlkit.practice.observation import (DEFAULT_RUBRIC, Note, Observation, Rubric,
                               judgement_words, load_rubric, note_stamp, to_csv)
from tlkit.store import (Keeper, ObservationRecord, RecordSetAside, Store, StoreUnavailable,
                         default_store)
from tlkit.store.records import ObservedNote, new_note_id
from tlkit.store.records.core import MAX_ENTRIES
from tlkit.widgets.common import cannot_save_text, download_link, message_html, set_aside_text

_BIG = "font-size:1.3em"


class ObservationNotes(widgets.VBox):
    """Notes and scores for one observation. `state_key` names the saved record (one per
    observation); `now` is the clock (seconds since the epoch), replaceable in tests;
    `store` is where records are kept (default: the state folder)."""

    def __init__(self, rubric: str | Rubric = DEFAULT_RUBRIC, *,
                 state_key: str = "observation-default",
                 now: Callable[[], float] = time.time, store: Store | None = None):
        self.rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
        self.state_key = state_key
        self.now = now
        self.store = store or default_store()
        self._keeper = Keeper(self.store, state_key, ObservationRecord)
        today = dt.date.fromtimestamp(now()).isoformat()
        restored = self._restore(today)
        self.notes: list[ObservedNote] = list(restored.notes)
        self._removed: set[str] = set(restored.removed)
        self.started_at: float | None = restored.started_at
        self._restoring = True

        self.observer = widgets.Text(value=restored.observer, description="Observer",
                                     placeholder="Your name")
        self.teacher = widgets.Text(value=restored.teacher, description="Class",
                                    placeholder="Teacher / class, e.g. Ms Ortiz 9B")
        self.date = widgets.Text(value=restored.date, description="Date",
                                 placeholder="YYYY-MM-DD")

        self.start_button = widgets.Button(description="Start observing", button_style="info",
                                           layout=widgets.Layout(width="12em"))
        self.start_button.add_class("tlkit-observation-start")
        self.start_button.on_click(lambda _b: self.start())
        self.clock_status = widgets.HTML()
        self.clock_status.add_class("tlkit-observation-clock")

        self.note_box = widgets.Textarea(
            value=restored.draft, rows=3,
            placeholder="What was said or done: quotes, counts, who spoke, what students did",
            description="Note", style={"description_width": "0px"},  # named, not shown
            layout=widgets.Layout(width="100%"))
        self.note_box.add_class("tlkit-observation-note-box")
        # A blank choice means "no look-for"; ipywidgets shows a None value as blank anyway.
        tag_options = [("", None)] + [(lf.short, lf.id)
                                                   for lf in self.rubric.look_fors]
        self.tag = widgets.Dropdown(options=tag_options, description="Look-for (optional)",
                                    style={"description_width": "initial"},
                                    value=restored.draft_tag
                                    if restored.draft_tag in self.rubric.look_for_ids
                                    else None)
        self.add_button = widgets.Button(description="Add note", button_style="primary")
        self.add_button.add_class("tlkit-observation-add")
        self.add_button.on_click(lambda _b: self.add_note())
        self.undo_button = widgets.Button(description="Undo last note")
        self.undo_button.on_click(lambda _b: self.undo_last_note())
        self.message = widgets.HTML()
        self.message.add_class("tlkit-observation-message")
        # Its own line, so a failed save stays in view while other messages come and go.
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-observation-save-status")
        self.notes_view = widgets.HTML()
        self.notes_view.add_class("tlkit-observation-notes")

        self.score_boxes: dict[str, widgets.Dropdown] = {}
        self.descriptors: dict[str, widgets.HTML] = {}
        score_rows = []
        saved_scores = restored.scores
        for lf in self.rubric.look_fors:
            options = [("", None)] + [(f"{level} {label}", level)
                                       for level, label in sorted(self.rubric.scale.items())]
            value = saved_scores.get(lf.id)
            # The heading above names the box on screen; the zero-width description names it
            # for a screen reader (an empty one would leave the <select> unnamed).
            box = widgets.Dropdown(options=options,
                                   value=value if isinstance(value, int)
                                   and value in self.rubric.scale else None,
                                   description=f"Score for {lf.name}",
                                   style={"description_width": "0px"},
                                   layout=widgets.Layout(width="14em"))
            box.add_class("tlkit-observation-score")
            box.observe(lambda change, lf_id=lf.id: self._score_changed(lf_id), names="value")
            descriptor = widgets.HTML()
            self.score_boxes[lf.id] = box
            self.descriptors[lf.id] = descriptor
            label = widgets.HTML(f'<div style="{_BIG}"><strong>{escape(lf.name)}</strong></div>'
                                 f"<div>{escape(lf.look_for)}</div>")
            score_rows.append(widgets.VBox([label, box, descriptor],
                                           layout=widgets.Layout(margin="0 0 .8em 0")))
            self._show_descriptor(lf.id)

        self.export_button = widgets.Button(description="Export CSV")
        self.export_button.add_class("tlkit-observation-export")
        self.export_button.on_click(lambda _b: self.export())
        self.download = widgets.HTML()
        self.download.add_class("tlkit-observation-download")

        for field in (self.observer, self.teacher, self.date, self.note_box, self.tag):
            field.observe(lambda _change: self.save(), names="value")

        header = widgets.HTML(
            f'<h3 style="font-size:1.6em">Observation: {escape(self.rubric.name)}</h3>'
            '<p style="font-size:1.1em">Write what you see and hear, with its time. '
            "Scores come after, from the notes.</p>")
        super().__init__([
            header, widgets.HBox([self.observer, self.teacher, self.date]),
            widgets.HBox([self.start_button, self.clock_status]),
            self.note_box, widgets.HBox([self.tag, self.add_button, self.undo_button]),
            self.message, self.save_status, self.notes_view,
            widgets.HTML(f'<h4 style="{_BIG}">Scores</h4>'), *score_rows,
            widgets.HBox([self.export_button, self.download]),
        ])
        self.add_class("tlkit-observation")
        self._restoring = False
        problem = self._keeper.problem
        if isinstance(problem, RecordSetAside):
            self._say(set_aside_text(
                problem, "Your earlier notes",
                "You can start again here; ask for help if you need the old notes back."),
                "warning")
        elif problem is not None:
            self.save_status.value = self._cannot_save_html(problem)
        self._refresh()

    def _restore(self, today: str) -> ObservationRecord:
        """The record to show. A saved record that cannot be read is set aside by the store
        and the widget starts empty (the keeper's problem says where it was kept)."""
        restored = self._keeper.restore()
        if restored is None:
            return ObservationRecord(date=today, rubric_id=self.rubric.id)
        return replace(restored, date=restored.date or today)

    # --- actions ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start (or restart) the elapsed clock that stamps notes."""
        self.started_at = self.now()
        self.save()
        self._refresh()

    def stamp(self) -> str:
        return note_stamp(self.now(), self.started_at)

    def add_note(self) -> Note | None:
        text = self.note_box.value.strip()
        if not text:
            # Refuse but keep whatever is in the box (even spaces): nothing typed is thrown away.
            self._say("The note is empty. Type what you saw or heard, then press Add note.",
                      "warning")
            return None
        if len(self.notes) >= MAX_ENTRIES:
            # A longer list would not open again quickly; the typed note stays in the box.
            self._say(f"This observation already has {MAX_ENTRIES:,} notes, as many as one "
                      "observation keeps. Download it, then start a new observation for the "
                      "next notes.", "warning")
            return None
        note = ObservedNote(id=new_note_id(), time=self.stamp(), text=text,
                            look_for=self.tag.value, added_at=self.now())
        self.notes.append(note)
        flagged = judgement_words(text)
        self.note_box.value = ""      # triggers save() with the note already in self.notes
        if flagged:
            words = ", ".join(f"“{w}”" for w in flagged)
            verb = "reads as a judgement" if len(flagged) == 1 else "read as judgements"
            self._say(f"Note added. {words} {verb}. Next time, try writing what was said or "
                      "done instead: a quote, a count, an action.", "info")
        else:
            self._say(f"Note added at {note.time}.", "info")
        self.save()
        self._refresh()
        return note

    def undo_last_note(self) -> None:
        """Take the last note off the list and put its text back in the box to edit."""
        if not self.notes:
            self._say("There are no notes to undo.", "warning")
            return
        note = self.notes.pop()
        self._removed.add(note.id)     # so a page that still shows it cannot bring it back
        self.note_box.value = (note.text + "\n" + self.note_box.value).strip()
        self.tag.value = note.look_for
        self._say(f"The {note.time} note is back in the box to edit.", "info")
        self.save()
        self._refresh()

    def observation(self) -> Observation:
        return Observation(observer=self.observer.value.strip(),
                           teacher=self.teacher.value.strip(), date=self.date.value.strip(),
                           rubric_id=self.rubric.id,
                           notes=[Note(n.time, n.text, n.look_for) for n in self.notes],
                           scores={lf: box.value for lf, box in self.score_boxes.items()})

    def export(self) -> str:
        """Offer the tidy CSV as a download link (a data: URI, so no server path is needed)."""
        observation = self.observation()
        csv_text = to_csv(observation, self.rubric)
        name = f"observation-{observation.observation_id}.csv"
        self.download.value = download_link(csv_text, name, "text/csv", f"Download {name}",
                                            style=_BIG)
        return csv_text

    def record(self) -> ObservationRecord:
        """What this page holds, as the record it saves."""
        observation = self.observation()
        return ObservationRecord(
            observer=observation.observer, teacher=observation.teacher, date=observation.date,
            rubric_id=self.rubric.id,
            observation_id=self._keeper.base.observation_id if self._keeper.base else "",
            scores={lf: v for lf, v in observation.scores.items() if v is not None},
            notes=list(self.notes), removed=set(self._removed), started_at=self.started_at,
            draft=self.note_box.value, draft_tag=self.tag.value)

    def save(self) -> None:
        """Merge this page's record with the stored one (notes by id, the rest field by
        field) and show what another page added."""
        if self._restoring:
            return
        mine = self.record()
        saved = self._keeper.save(mine)
        if saved is None:
            self.save_status.value = self._cannot_save_html(self._keeper.problem)
            return
        self.save_status.value = ""
        if saved.set_aside is not None:
            self._say(set_aside_text(saved.set_aside, "The notes saved before",
                                     "This page's notes were saved in their place."), "warning")
        if saved.record != mine:
            self._show(saved.record)

    def _show(self, record: ObservationRecord) -> None:
        """Bring in what another page saved (its notes, scores and fields)."""
        self._restoring = True
        try:
            self.notes = list(record.notes)
            self._removed = set(record.removed)
            self.started_at = record.started_at
            for box, value in ((self.observer, record.observer), (self.teacher, record.teacher),
                               (self.date, record.date)):
                box.value = value
            for lf_id, box in self.score_boxes.items():
                value = record.scores.get(lf_id)
                box.value = value if value in self.rubric.scale else None
        finally:
            self._restoring = False
        self._refresh()

    @staticmethod
    def _cannot_save_html(err: StoreUnavailable) -> str:
        return message_html(cannot_save_text(err) + " Use Export CSV to keep a copy.",
                            "warning", css_class="tlkit-observation-warning")

    # --- display ---------------------------------------------------------------------------

    def _score_changed(self, lf_id: str) -> None:
        self._show_descriptor(lf_id)
        self.save()

    def _show_descriptor(self, lf_id: str) -> None:
        level = self.score_boxes[lf_id].value
        text = self.rubric.look_for(lf_id).levels.get(level, "") if level else ""
        self.descriptors[lf_id].value = f"<em>{escape(text)}</em>" if text else ""

    def _say(self, text: str, kind: str) -> None:
        self.message.value = message_html(text, kind)

    def _refresh(self) -> None:
        if self.started_at is None:
            self.clock_status.value = ("<span>Notes are stamped with the clock time until you "
                                       "press Start observing.</span>")
        else:
            since = time.strftime("%H:%M", time.localtime(self.started_at))
            self.clock_status.value = (f'<span style="{_BIG}">Observing since '
                                       f"<strong>{since}</strong>: notes show elapsed time.</span>")
            self.start_button.description = "Restart clock"
        short = {lf.id: lf.short for lf in self.rubric.look_fors}
        items = "".join(
            f'<li><strong style="font-family:monospace">{escape(n.time)}</strong> '
            f"{escape(n.text)}"
            + (f" <em>[{escape(short.get(n.look_for, n.look_for))}]</em>" if n.look_for else "")
            + "</li>" for n in self.notes)
        self.notes_view.value = (f'<ol style="font-size:1.15em">{items}</ol>' if items
                                 else "<p><em>No notes yet.</em></p>")

