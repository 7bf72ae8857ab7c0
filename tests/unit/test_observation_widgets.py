"""ObservationNotes and CalibrationView driven from Python: set values, click, read the text."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re

import pandas as pd
import pytest

from tlkit.practice.observation import load_episode, load_rubric
from tlkit.store import JsonFileStore, ObservationRecord
from state_files import load_state, save_state, state_path
from tlkit.widgets.practice.calibration_view import CalibrationView
from tlkit.widgets.practice.observation_notes import ObservationNotes

RUBRIC = load_rubric("student-led-discussion")
IDS = list(RUBRIC.look_for_ids)


class FakeTime:
    def __init__(self, t: float = 1_760_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def _click(button) -> None:
    button.click()


# --- ObservationNotes ----------------------------------------------------------------------

def test_notes_are_stamped_with_elapsed_time_after_start():
    clock = FakeTime()
    notes = ObservationNotes(state_key="obs-a", now=clock)
    assert "tlkit-observation" in notes._dom_classes
    _click(notes.start_button)
    clock.t += 125
    notes.note_box.value = "S1 quotes paragraph 3"
    notes.tag.value = "text-evidence"
    _click(notes.add_button)
    assert [(n.time, n.text, n.look_for) for n in notes.notes] == [
        ("02:05", "S1 quotes paragraph 3", "text-evidence")]
    assert notes.note_box.value == ""
    assert "02:05" in notes.notes_view.value and "S1 quotes paragraph 3" in notes.notes_view.value


def test_before_start_notes_carry_the_clock_time():
    clock = FakeTime(dt.datetime(2026, 3, 4, 9, 14, 30).timestamp())
    notes = ObservationNotes(state_key="obs-b", now=clock)
    notes.note_box.value = "T stands at the door"
    _click(notes.add_button)
    assert notes.notes[0].time == "09:14:30"


def test_empty_note_is_refused_and_the_box_keeps_its_text():
    notes = ObservationNotes(state_key="obs-c", now=FakeTime())
    notes.note_box.value = "   "
    _click(notes.add_button)
    assert notes.notes == []
    assert notes.note_box.value == "   "
    assert "empty" in notes.message.value


def test_judgement_words_get_a_gentle_nudge_but_the_note_is_kept():
    notes = ObservationNotes(state_key="obs-d", now=FakeTime())
    notes.note_box.value = "Great question, students engaged"
    _click(notes.add_button)
    assert len(notes.notes) == 1
    assert "“Great”" in notes.message.value and "“engaged”" in notes.message.value
    assert "said or done" in notes.message.value
    notes.note_box.value = "S2 asks S4: where does it say that?"
    _click(notes.add_button)
    assert "judgement" not in notes.message.value


def test_notes_scores_and_draft_survive_a_reload():
    clock = FakeTime()
    first = ObservationNotes(state_key="obs-e", now=clock)
    first.observer.value = "Ana"
    _click(first.start_button)
    clock.t += 30
    first.note_box.value = "S3 to S4: read that part again?"
    _click(first.add_button)
    first.score_boxes["student-questions"].value = 2
    first.note_box.value = "half-typed no"
    assert load_state("obs-e")["scores"]["student-questions"] == 2

    again = ObservationNotes(state_key="obs-e", now=clock)
    assert again.observer.value == "Ana"
    assert [(n.time, n.text) for n in again.notes] == [("00:30", "S3 to S4: read that part again?")]
    assert again.score_boxes["student-questions"].value == 2
    assert again.note_box.value == "half-typed no"
    clock.t += 30
    again.note_box.value = "next"
    _click(again.add_button)
    assert again.notes[-1].time == "01:00"      # the clock kept its start across the reload


@pytest.mark.parametrize("saved", [
    {"observer": "Ana", "notes": [{"time": "00:10", "text": "kept"}], "started_at": "soon"},
    {"observer": ["not", "text"], "notes": []},
])
def test_unreadable_saved_notes_are_set_aside_with_a_plain_message(saved):
    save_state("obs-bad", saved)
    notes = ObservationNotes(state_key="obs-bad", now=FakeTime())
    message = html.unescape(notes.message.value)
    assert "Your earlier notes could not be read (" in message
    assert "A copy was kept in" in message and "nothing was deleted" in message
    assert 'role="status"' in notes.message.value
    assert "Traceback" not in message
    kept = list(state_path("obs-bad").parent.glob("obs-bad.unreadable-*.json"))
    assert len(kept) == 1 and str(kept[0]) in message
    assert notes.notes == [] and notes.observer.value == ""
    notes.note_box.value = "S1 reads aloud"          # the widget works and saves afresh
    _click(notes.add_button)
    assert load_state("obs-bad")["notes"][0]["text"] == "S1 reads aloud"


def test_saved_notes_that_are_not_json_are_kept_and_reported():
    state_path("obs-json").write_text("{not json", encoding="utf-8")
    notes = ObservationNotes(state_key="obs-json", now=FakeTime())
    message = html.unescape(notes.message.value)
    assert "could not be read (it is not readable JSON). A copy was kept in" in message
    (kept,) = state_path("obs-json").parent.glob("obs-json.unreadable-*.json")
    assert kept.read_text(encoding="utf-8") == "{not json"


def test_saved_notes_with_extra_keys_still_load():
    save_state("obs-extra", {"observer": "Ana", "mood": "fine", "notes": None,
                             "scores": {"norms-in-use": 3}})
    notes = ObservationNotes(state_key="obs-extra", now=FakeTime())
    assert notes.observer.value == "Ana" and notes.score_boxes["norms-in-use"].value == 3
    assert notes.message.value == ""


def test_a_failed_save_says_so_and_keeps_the_typing():
    notes = ObservationNotes(state_key="obs-full", now=FakeTime())

    def disk_full(path, data):
        raise OSError(28, "No space left on device")

    # A patch of its own: undoing the test's `monkeypatch` would also undo the isolated
    # TLKIT_STATE_DIR, and the last line would read the user's real state folder.
    with pytest.MonkeyPatch.context() as full_disk:
        full_disk.setattr("tlkit.store.json_files.write_json", disk_full)
        notes.note_box.value = "S2 asks why"
        assert notes.note_box.value == "S2 asks why"
        status = html.unescape(notes.save_status.value)
        assert "Your work on this page cannot be saved" in status
        assert "cannot be written (the disk is full)" in status and "TLKIT_STATE_DIR" in status
        _click(notes.add_button)
        assert [n.text for n in notes.notes] == ["S2 asks why"]
        assert "cannot be saved" in notes.save_status.value      # still shown after the add
    notes.note_box.value = "next"
    assert notes.save_status.value == ""
    assert load_state("obs-full")["notes"][0]["text"] == "S2 asks why"   # saved once it can


def test_a_folder_that_cannot_be_made_still_builds_the_widget_and_says_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    store = JsonFileStore(blocker / "state")
    notes = ObservationNotes(state_key="obs-nowhere", now=FakeTime(), store=store)
    status = html.unescape(notes.save_status.value)
    assert f"the folder {blocker / 'state'} cannot be written" in status
    assert "part of that path is a file, not a folder" in status
    assert 'role="status"' in notes.save_status.value and "Traceback" not in status
    notes.observer.value = "Ana"
    notes.note_box.value = "S1 reads aloud"
    _click(notes.add_button)                                  # still works, in memory
    assert [n.text for n in notes.notes] == ["S1 reads aloud"]
    assert "S1 reads aloud" in notes.notes_view.value
    assert "Ana" in notes.export()
    assert "cannot be saved" in notes.save_status.value


def test_two_pages_on_one_observation_keep_both_pages_notes(tmp_path):
    clock = FakeTime()
    first = ObservationNotes(state_key="obs-two", now=clock, store=JsonFileStore(tmp_path))
    second = ObservationNotes(state_key="obs-two", now=clock, store=JsonFileStore(tmp_path))
    first.note_box.value = "S1 asks S2 a question"
    _click(first.add_button)
    clock.t += 5
    second.note_box.value = "S3 cites page 4"
    _click(second.add_button)
    assert [n.text for n in second.notes] == ["S1 asks S2 a question", "S3 cites page 4"]
    first.score_boxes["norms-in-use"].value = 3      # the first page saves and catches up
    assert [n.text for n in first.notes] == ["S1 asks S2 a question", "S3 cites page 4"]
    assert "S3 cites page 4" in first.notes_view.value
    saved = JsonFileStore(tmp_path).get("obs-two", ObservationRecord)
    assert [n.text for n in saved.notes] == ["S1 asks S2 a question", "S3 cites page 4"]
    assert saved.scores == {"norms-in-use": 3}


def test_a_note_taken_back_on_one_page_stays_gone_when_the_other_saves(tmp_path):
    first = ObservationNotes(state_key="obs-undo", now=FakeTime(), store=JsonFileStore(tmp_path))
    first.note_box.value = "Great discussion"
    _click(first.add_button)
    second = ObservationNotes(state_key="obs-undo", now=FakeTime(), store=JsonFileStore(tmp_path))
    assert [n.text for n in second.notes] == ["Great discussion"]
    _click(first.undo_button)
    assert first.note_box.value == "Great discussion"         # back in the box to reword
    second.note_box.value = "S2 reads aloud"
    _click(second.add_button)                              # the second page still showed it
    assert [n.text for n in second.notes] == ["S2 reads aloud"]
    saved = JsonFileStore(tmp_path).get("obs-undo", ObservationRecord)
    assert [n.text for n in saved.notes] == ["S2 reads aloud"]
    assert first.note_box.value == "Great discussion"     # the first page's draft is its own


def test_choosing_a_score_shows_that_levels_descriptor():
    notes = ObservationNotes(state_key="obs-f", now=FakeTime())
    notes.score_boxes["norms-in-use"].value = 4
    assert RUBRIC.look_for("norms-in-use").levels[4][:30] in notes.descriptors["norms-in-use"].value


def test_undo_puts_the_last_note_back_in_the_box():
    notes = ObservationNotes(state_key="obs-g", now=FakeTime())
    notes.note_box.value = "S5 underlines lines"
    notes.tag.value = "distributed-talk"
    _click(notes.add_button)
    _click(notes.undo_button)
    assert notes.notes == []
    assert notes.note_box.value == "S5 underlines lines" and notes.tag.value == "distributed-talk"


def test_export_offers_the_tidy_csv_as_a_data_link():
    notes = ObservationNotes(state_key="obs-h", now=FakeTime())
    notes.observer.value, notes.teacher.value, notes.date.value = "Ana", "9B", "2026-03-04"
    notes.tag.value = "teacher-steps-back"
    notes.note_box.value = "T silent 03:00-05:00"
    _click(notes.add_button)
    notes.score_boxes["teacher-steps-back"].value = 3
    _click(notes.export_button)
    link = notes.download.value
    assert "download='observation-2026-03-04-ana-9b.csv'" in link
    payload = re.search(r"base64,([A-Za-z0-9+/=]+)", link).group(1)
    table = pd.read_csv(io.StringIO(base64.b64decode(payload).decode("utf-8")))
    row = table.set_index("look_for_id").loc["teacher-steps-back"]
    assert row.score == 3 and "T silent 03:00-05:00" in row.evidence
    assert len(table) == len(IDS)


# --- CalibrationView -----------------------------------------------------------------------

def _view(**kw) -> CalibrationView:
    return CalibrationView("student-led-discussion", "voting-age-discussion", **kw)


def test_compare_shows_observer_lookfor_and_disagreement_sections():
    view = _view()
    assert view.compare_button.description == "Compare scores"
    assert "tlkit-calibration" in view._dom_classes
    assert "tlkit-calibration-results" in view.results._dom_classes
    reference = load_episode("voting-age-discussion").reference
    off_by_two = dict(reference, **{"distributed-talk": 4})
    view.set_scores(pd.DataFrame([reference, off_by_two], index=["Ana", "Ben"]))
    _click(view.compare_button)
    text = html.unescape(view.results.value)
    assert "Each observer against the reference" in text
    assert "Within one level (includes exact)" in text
    assert "100%" in text and "almost perfect" in text          # Ana matches the reference
    assert "Where observers disagree most with each other" in text
    assert "Shared talk: scores from 2 to 4" in text
    assert "Where the group is furthest from the reference" in text
    assert "Shared talk: on average 1.0 levels from the reference (2)" in text
    assert "linear weights" in text and "Landis" in text


def test_grid_entry_with_a_blank_and_a_single_observer():
    view = _view(observers=("Ana",))
    row = view.rows_box.children[0]
    for lf_id, value in zip(IDS, [3, 4, 2, None, 3, 3]):
        row.boxes[lf_id].value = value
    _click(view.compare_button)
    text = html.unescape(view.results.value)
    assert "No one scored 'Student questions'" in text
    assert "Only one observer" in text
    assert "Observers against each other" not in text


def test_two_observers_all_threes_shows_why_kappa_is_missing():
    view = _view(observers=("Ana", "Ben"))
    view.set_scores(pd.DataFrame({lf: [3, 3] for lf in IDS}, index=["Ana", "Ben"]))
    _click(view.compare_button)
    # Against the reference kappa exists; between the two all-3 observers it cannot.
    (pair,) = view.report.pairs
    assert pair.kappa.value is None
    assert "Kappa cannot be computed" in view.results.value
    assert not re.search(r"\bnan\b", view.results.value, re.IGNORECASE)


def test_add_observer_adds_a_row_and_scores_autosave():
    view = _view(observers=("Ana",), state_key="cal-a")
    _click(view.add_button)
    assert [r.name.value for r in view.rows_box.children] == ["Ana", "Observer 2"]
    view.rows_box.children[1].boxes["text-evidence"].value = 2
    again = _view(state_key="cal-a")
    assert [r.name.value for r in again.rows_box.children] == ["Ana", "Observer 2"]
    assert again.scores().loc["Observer 2", "text-evidence"] == 2


def test_set_scores_rejects_off_rubric_scores_and_keeps_the_grid():
    view = _view(observers=("Ana",))
    view.rows_box.children[0].boxes["text-evidence"].value = 3
    with pytest.raises(Exception, match=r"Row 1 \(Zed\)"):
        view.set_scores(pd.DataFrame({"text-evidence": [9]}, index=["Zed"]))
    assert view.scores().loc["Ana", "text-evidence"] == 3


def _upload(view, content: bytes, name="scores.csv"):
    view.upload.value = ({"name": name, "type": "text/csv", "size": len(content),
                          "content": memoryview(content), "last_modified": dt.datetime.now()},)


def test_uploaded_csv_fills_the_grid():
    view = _view()
    _upload(view, b"Timestamp,observer,Text evidence,norms-in-use\n1,Ana,3,4\n2,Ben,2,3\n")
    assert list(view.scores().index) == ["Ana", "Ben"]
    assert view.scores().loc["Ben", "norms-in-use"] == 3
    assert "Loaded 2 observers" in view.message.value and "Timestamp" in view.message.value


def test_uploaded_csv_merges_with_scores_typed_in_the_grid():
    view = _view(state_key="cal-merge")               # starts with Observer A, B, C
    view.rows_box.children[1].name.value = "Cy"
    view.rows_box.children[1].boxes["text-evidence"].value = 1
    view.rows_box.children[2].name.value = "ben"
    view.rows_box.children[2].boxes["text-evidence"].value = 4
    _upload(view, b"observer,text-evidence\nAna,3\nBen,2\n")
    scores = view.scores()
    assert list(scores.index) == ["Cy", "Ben", "Ana"]    # the unused Observer A row is gone
    assert scores.loc["Cy", "text-evidence"] == 1 and scores.loc["Ben", "text-evidence"] == 2
    message = html.unescape(view.message.value)
    assert "Added: Ana." in message and "Updated from the file: Ben." in message
    assert [o["name"] for o in load_state("cal-merge")["observers"]] == ["Cy", "Ben", "Ana"]


def test_bad_csv_lists_every_problem_and_keeps_what_was_entered():
    view = _view(observers=("Ana",))
    view.rows_box.children[0].boxes["text-evidence"].value = 3
    _upload(view, b"observer,text-evidence,norms-in-use\nBen,6,3\n,2,x\n")
    message = view.message.value
    assert "scores.csv was not loaded" in message
    assert "Row 2, column B" in message and "Row 3, column A" in message
    assert "Row 3, column C" in message
    assert list(view.scores().index) == ["Ana"]


def test_calibration_view_says_where_unreadable_saved_scores_were_kept():
    from state_files import state_path
    from tlkit.widgets.practice.calibration_view import CalibrationView

    state_path("calibration-broken").write_text("{ half", encoding="utf-8")
    view = CalibrationView(state_key="calibration-broken")
    assert "could not be read" in view.message.value
    assert "calibration-broken.unreadable-" in view.message.value


def test_compare_observers_keeps_the_reference_hidden_and_ranks_by_spread():
    view = _view()
    assert view.observers_button.description == "Compare observers"
    reference = load_episode("voting-age-discussion").reference
    rationale = load_episode("voting-age-discussion").rationale
    far_apart = dict(reference, **{"norms-in-use": 1, "text-evidence": 4})
    view.set_scores(pd.DataFrame([reference, far_apart, reference], index=["Ana", "Ben", "Cy"]))
    _click(view.observers_button)
    text = html.unescape(view.results.value)
    assert "Where observers disagree most with each other" in text
    among = re.search(r'<ol class="tlkit-calibration-among">(.*?)</ol>', view.results.value)
    first = html.unescape(re.search(r"<li>(.*?)</li>", among.group(1)).group(1))
    assert first.startswith("Norms in use: scores from 1 to 3")
    assert "two or more levels apart in 2 of 3 pairs" in first
    # Nothing about the reference yet: no reference table, column, ranking or reasons.
    assert "reference" not in text.lower().replace("the reference plays no part", "")
    assert not any(reason and reason in text for reason in rationale.values())
    _click(view.compare_button)
    text = html.unescape(view.results.value)
    assert "Where observers disagree most with each other" in text
    assert "Where the group is furthest from the reference" in text
    assert "Why the reference score" in text


def test_a_large_group_shows_a_pair_summary_not_every_pair():
    view = _view()
    reference = load_episode("voting-age-discussion").reference
    names = [f"Observer {n:02}" for n in range(40)]
    rows = [dict(reference, **{"norms-in-use": 1 + n % 4}) for n in range(40)]
    view.set_scores(pd.DataFrame(rows, index=names))
    _click(view.compare_button)
    text = html.unescape(view.results.value)
    assert "40 observers make 780 pairs" in text
    assert "Pairs that agree least" in text and "Median" in text
    # The five least-agreeing pairs, not 780 rows.
    assert len(re.findall(r"Observer \d\d & Observer \d\d", text)) == 5
    assert len(view.results.value) < 60_000


def test_an_upload_over_the_limits_is_refused_and_the_grid_kept():
    view = _view(observers=("Ana",))
    view.rows_box.children[0].boxes["text-evidence"].value = 3
    rows = "".join(f"Observer {n},3\n" for n in range(61))
    _upload(view, f"observer,text-evidence\n{rows}".encode(), name="everyone.csv")
    message = html.unescape(view.message.value)
    assert "everyone.csv was not loaded" in message and "at most 60" in message
    assert list(view.scores().index) == ["Ana"]
    # 59 from the file plus 2 typed rows would make 61: also refused, grid unchanged.
    view.add_observer("Ben")
    rows = "".join(f"Observer {n},3\n" for n in range(59))
    _upload(view, f"observer,text-evidence\n{rows}".encode(), name="most.csv")
    message = html.unescape(view.message.value)
    assert "most.csv was not loaded" in message and "61 observers" in message
    assert list(view.scores().index) == ["Ana", "Ben"]
    assert view.upload.value == ()


def test_excel_unicode_text_upload_fills_the_grid():
    view = _view()
    assert ".txt" in view.upload.accept
    content = "observer\tText evidence\tnorms-in-use\nJosé\t3\t4\nZoë\t2\t3\n".encode("utf-16")
    _upload(view, content, name="scores.txt")
    assert list(view.scores().index) == ["José", "Zoë"]
    assert "Loaded 2 observers" in view.message.value


def _calibration_notes() -> list[str]:
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    notes = []
    for path, marker in ((root / "modules/protocols/protocols.ipynb", "voting-age episode"),
                         (root / "facilitator/protocols.ipynb", "## Calibrating observation")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        [note] = [" ".join("".join(c["source"]).replace("*", "").split()) for c in cells
                  if c["cell_type"] == "markdown" and marker in "".join(c["source"])]
        notes.append(note)
    return notes


def test_facilitator_notes_and_the_view_name_the_same_steps_and_lists():
    view = _view()
    reference = load_episode("voting-age-discussion").reference
    view.set_scores(pd.DataFrame([reference, dict(reference, **{"norms-in-use": 1})],
                                 index=["Ana", "Ben"]))
    _click(view.observers_button)
    before = html.unescape(view.results.value)
    _click(view.compare_button)
    after = html.unescape(view.results.value)
    among = "Where observers disagree most with each other"
    from_reference = "Where the group is furthest from the reference"
    assert among in before and from_reference not in before and from_reference in after
    for note in _calibration_notes():
        # The notes tell the facilitator to press the observers' button first, read the
        # spread list, and only then reveal the reference: the buttons and lists exist.
        first = note.index(view.observers_button.description)
        assert first < note.index(among) < note.index(view.compare_button.description)
        assert note.index(view.compare_button.description) < note.index(from_reference)
        assert "standard deviation" in note and "two or more levels apart" in note


def test_a_full_observation_refuses_another_note_and_keeps_it_in_the_box(monkeypatch):
    monkeypatch.setattr("tlkit.widgets.practice.observation_notes.MAX_ENTRIES", 2)
    clock = FakeTime()
    notes = ObservationNotes(state_key="obs-full", now=clock)
    for text in ("one", "two", "three"):
        clock.t += 1          # notes are kept in the order they were added
        notes.note_box.value = text
        _click(notes.add_button)
    assert [n.text for n in notes.notes] == ["one", "two"]
    assert notes.note_box.value == "three" and "already has 2 notes" in notes.message.value
