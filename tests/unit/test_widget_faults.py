"""Every widget with saved state meets the store's faults with a plain sentence, keeps
working, and loses nothing: a folder that cannot be written, a record of the wrong shape,
an unreadable file. Plus the shared message helper they all use."""

from __future__ import annotations

import html
import json

import pytest

from tlkit.practice.protocols import Protocol, list_protocols, load_protocol
from tlkit.store import CalibrationRecord, FeedbackSortRecord, JsonFileStore, RunnerRecord
from tlkit.widgets.common import message_html
from tlkit.widgets.practice.calibration_view import CalibrationView
from tlkit.widgets.practice.feedback_sort import FeedbackSorter
from tlkit.widgets.practice.observation_notes import ObservationNotes
from tlkit.widgets.practice.protocol_runner import ProtocolRunner


def _protocol() -> Protocol:
    return load_protocol(list_protocols()[0])


# Each widget, built on a store, and the HTML widget where it reports on saving.
WIDGETS = {
    "runner": (lambda store: ProtocolRunner(_protocol(), state_key="w", store=store,
                                            now=lambda: 1_760_000_000.0),
               lambda w: w.note.value),
    "observation": (lambda store: ObservationNotes(state_key="w", store=store),
                    lambda w: w.save_status.value + w.message.value),
    "calibration": (lambda store: CalibrationView(state_key="w", store=store),
                    lambda w: w.message.value),
    "feedback": (lambda store: FeedbackSorter(state_key="w", store=store),
                 lambda w: w.save_status.value),
}


def _edit(widget) -> None:
    """One change a user would make, which saves."""
    if isinstance(widget, ProtocolRunner):
        widget.next_button.click()
    elif isinstance(widget, ObservationNotes):
        widget.note_box.value = "S1 reads aloud"
        widget.add_button.click()
    elif isinstance(widget, CalibrationView):
        widget.rows_box.children[0].boxes["text-evidence"].value = 3
    else:
        next(iter(widget.toggles.values())).value = "descriptive"


@pytest.mark.parametrize("name", WIDGETS)
def test_an_unwritable_state_folder_still_builds_the_widget_and_says_so(name, tmp_path):
    build, shown = WIDGETS[name]
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    folder = tmp_path / "blocker" / "state"
    widget = build(JsonFileStore(folder))
    text = html.unescape(shown(widget))
    assert "Your work on this page cannot be saved" in text
    assert f"the folder {folder} cannot be written" in text and "TLKIT_STATE_DIR" in text
    assert 'role="status"' in shown(widget) and "Traceback" not in text
    _edit(widget)                                  # keeps working in memory
    assert "cannot be saved" in html.unescape(shown(widget))


@pytest.mark.parametrize("name, bad", [
    ("runner", {"kind": "runner", "protocol_id": "tuning"}),
    ("observation", {"notes": "oops"}),
    ("calibration", {"observers": "oops"}),
    ("feedback", {"answers": ["not", "a", "mapping"]}),
])
def test_a_record_of_the_wrong_shape_is_set_aside_and_the_widget_says_where(name, bad,
                                                                           tmp_path):
    build, shown = WIDGETS[name]
    store = JsonFileStore(tmp_path)
    store.path("w").write_text(json.dumps(bad), encoding="utf-8")
    widget = build(store)
    text = html.unescape(shown(widget))
    (kept,) = tmp_path.glob("w.unreadable-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == bad          # nothing deleted
    assert f"A copy was kept in {kept}; nothing was deleted." in text
    assert "could not be read (" in text and "Traceback" not in text
    _edit(widget)                                                        # and it starts fresh
    assert store.path("w").exists()


@pytest.mark.parametrize("name", WIDGETS)
def test_an_unreadable_file_is_moved_aside_and_the_widget_says_where(name, tmp_path):
    build, shown = WIDGETS[name]
    store = JsonFileStore(tmp_path)
    store.path("w").write_text("{ half written", encoding="utf-8")
    text = html.unescape(shown(build(store)))
    (kept,) = tmp_path.glob("w.unreadable-*.json")
    assert kept.read_text(encoding="utf-8") == "{ half written"
    assert f"could not be read (it is not readable JSON). A copy was kept in {kept}" in text


def test_two_calibration_pages_merge_rows_by_observer_name(tmp_path):
    first = CalibrationView(state_key="cal", store=JsonFileStore(tmp_path), observers=("Ana",))
    second = CalibrationView(state_key="cal", store=JsonFileStore(tmp_path), observers=("Ana",))
    first.rows_box.children[0].boxes["text-evidence"].value = 3
    second.add_observer("Ben")
    second.rows_box.children[1].boxes["text-evidence"].value = 2
    saved = JsonFileStore(tmp_path).get("cal", CalibrationRecord)
    assert [(name, scores["text-evidence"]) for name, scores in saved.observers] == [
        ("Ana", 3), ("Ben", 2)]
    assert list(second.scores().index) == ["Ana", "Ben"]        # the second page caught up
    assert second.scores().loc["Ana", "text-evidence"] == 3


def test_two_feedback_pages_keep_each_others_answers(tmp_path):
    first = FeedbackSorter(state_key="fb", store=JsonFileStore(tmp_path))
    second = FeedbackSorter(state_key="fb", store=JsonFileStore(tmp_path))
    one, two = first.statements[0].id, first.statements[1].id
    first.toggles[one].value = "evaluative"
    second.toggles[two].value = "descriptive"
    saved = JsonFileStore(tmp_path).get("fb", FeedbackSortRecord)
    assert saved.answers[one] == "evaluative" and saved.answers[two] == "descriptive"


def test_the_runner_saves_a_record_a_second_view_resumes_from(tmp_path):
    runner = ProtocolRunner(_protocol(), state_key="r", store=JsonFileStore(tmp_path),
                            now=lambda: 1_760_000_000.0)
    runner.next_button.click()
    assert JsonFileStore(tmp_path).get("r", RunnerRecord).state.step_index == 1


@pytest.mark.parametrize("kind, role", [("info", "status"), ("warning", "status"),
                                        ("problem", "alert")])
def test_messages_are_escaped_and_announced(kind, role):
    out = message_html("Scores <b>&</b> notes", kind, items=["row <2>"], css_class="extra")
    assert f'role="{role}"' in out and f"tlkit-message-{kind} extra" in out
    assert "Scores &lt;b&gt;&amp;&lt;/b&gt; notes" in out and "<li>row &lt;2&gt;</li>" in out
    with pytest.raises(KeyError):
        message_html("x", "shout")
