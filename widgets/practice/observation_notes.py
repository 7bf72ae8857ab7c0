"""ObservationNotes: time-stamped low-inference notes and look-for scores during a visit.

A thin view over tlkit.practice.observation. Everything typed is saved through tlkit.store.files on every
change, so a page reload or kernel restart brings the notes, scores and even the half-written
note back. A saved file that cannot be read is set aside (never deleted) and the widget says
where it went.
"""

from __future__ import annotations

import base64
import datetime as dt
import time
from html import escape
from typing import Callable

import ipywidgets as widgets

from tlkit.practice.observation import (DEFAULT_RUBRIC, Note, Observation, ObservationError, Rubric,
                               judgement_words, load_rubric, note_stamp, to_csv)
from tlkit.store.files import read_state, save_state, set_aside

_BIG = "font-size:1.3em"


class ObservationNotes(widgets.VBox):
    """Notes and scores for one observation. `state_key` names the saved file (one per
    observation); `now` is the clock (seconds since the epoch), replaceable in tests."""

    def __init__(self, rubric: str | Rubric = DEFAULT_RUBRIC, *,
                 state_key: str = "observation-default",
                 now: Callable[[], float] = time.time):
        self.rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
        self.state_key = state_key
        self.now = now
        today = dt.date.fromtimestamp(now()).isoformat()
        saved, restored, problem = self._restore(today)
        self.notes: list[Note] = restored.notes
        self.started_at: float | None = saved.get("started_at")
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
            value=saved.get("draft") or "", rows=3,
            placeholder="What was said or done: quotes, counts, who spoke, what students did",
            description="Note", style={"description_width": "0px"},  # named, not shown
            layout=widgets.Layout(width="100%"))
        self.note_box.add_class("tlkit-observation-note-box")
        # A blank choice means "no look-for"; ipywidgets shows a None value as blank anyway.
        tag_options = [("", None)] + [(lf.short, lf.id)
                                                   for lf in self.rubric.look_fors]
        self.tag = widgets.Dropdown(options=tag_options, description="Look-for (optional)",
                                    style={"description_width": "initial"},
                                    value=saved.get("draft_tag")
                                    if saved.get("draft_tag") in self.rubric.look_for_ids
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
        if problem:
            self._say(problem, "warning")
        self._refresh()

    def _restore(self, today: str) -> tuple[dict, Observation, str]:
        """(saved extras, saved observation, message). A saved file that cannot be read is
        moved aside and the widget starts empty, with a message saying where the file went."""
        empty = Observation(observer="", teacher="", date=today, rubric_id=self.rubric.id)
        saved, kept = read_state(self.state_key)
        if saved is None:
            return {}, empty, _unreadable_message(kept) if kept else ""
        try:
            restored = Observation.from_dict(saved)
            started_at = saved.get("started_at")
            if started_at is not None and not isinstance(started_at, (int, float)):
                raise ObservationError("'started_at' should be a time in seconds.")
            if not isinstance(saved.get("draft") or "", str):
                raise ObservationError("'draft' should be text.")
        except ObservationError:
            return {}, empty, _unreadable_message(set_aside(self.state_key))
        restored.date = restored.date or today
        return saved, restored, ""

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
        note = Note(time=self.stamp(), text=text, look_for=self.tag.value)
        self.notes.append(note)
        flagged = judgement_words(text)
        self.note_box.value = ""      # triggers save() with the note already in self.notes
        if flagged:
            words = ", ".join(f"“{w}”" for w in flagged)
            verb = "reads as a judgement" if len(flagged) == 1 else "read as judgements"
            self._say(f"Note added. {words} {verb}. Next time, try writing what was said or "
                      "done instead: a quote, a count, an action.", "nudge")
        else:
            self._say(f"Note added at {note.time}.", "ok")
        self.save()
        self._refresh()
        return note

    def undo_last_note(self) -> None:
        """Take the last note off the list and put its text back in the box to edit."""
        if not self.notes:
            self._say("There are no notes to undo.", "warning")
            return
        note = self.notes.pop()
        self.note_box.value = (note.text + "\n" + self.note_box.value).strip()
        self.tag.value = note.look_for
        self._say(f"The {note.time} note is back in the box to edit.", "ok")
        self.save()
        self._refresh()

    def observation(self) -> Observation:
        return Observation(observer=self.observer.value.strip(),
                           teacher=self.teacher.value.strip(), date=self.date.value.strip(),
                           rubric_id=self.rubric.id, notes=list(self.notes),
                           scores={lf: box.value for lf, box in self.score_boxes.items()})

    def export(self) -> str:
        """Offer the tidy CSV as a download link (a data: URI, so no server path is needed)."""
        observation = self.observation()
        csv_text = to_csv(observation, self.rubric)
        payload = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
        name = f"observation-{observation.observation_id}.csv"
        self.download.value = (f'<a download="{escape(name)}" style="{_BIG}" '
                               f'href="data:text/csv;charset=utf-8;base64,{payload}">'
                               f"Download {escape(name)}</a>")
        return csv_text

    def save(self) -> None:
        if self._restoring:
            return
        data = self.observation().to_dict()
        data.update(started_at=self.started_at, draft=self.note_box.value,
                    draft_tag=self.tag.value)
        try:
            save_state(self.state_key, data)
        except OSError as exc:
            self.save_status.value = (
                f'<div class="tlkit-observation-warning" style="{_BIG};color:#8a1c1c">'
                f"Your notes could not be saved ({escape(exc.strerror or str(exc))}). "
                "They are still on this page: keep it open, or use Export CSV to keep a "
                "copy.</div>")
        else:
            self.save_status.value = ""

    # --- display ---------------------------------------------------------------------------

    def _score_changed(self, lf_id: str) -> None:
        self._show_descriptor(lf_id)
        self.save()

    def _show_descriptor(self, lf_id: str) -> None:
        level = self.score_boxes[lf_id].value
        text = self.rubric.look_for(lf_id).levels.get(level, "") if level else ""
        self.descriptors[lf_id].value = f"<em>{escape(text)}</em>" if text else ""

    def _say(self, text: str, kind: str) -> None:
        colour = {"warning": "#8a4b00", "nudge": "#5a3e8a", "ok": "#1b5e20"}[kind]
        self.message.value = (f'<div class="tlkit-observation-{kind}" '
                              f'style="{_BIG};color:{colour}">{escape(text)}</div>')

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


def _unreadable_message(kept) -> str:
    where = f" they were kept in {kept}" if kept else " the file was left where it was"
    return (f"Your earlier notes could not be read;{where}. You can start again here; "
            "ask for help if you need the old notes back.")
