"""Each widget's saved state as a record: the dict form round-trips, a wrong shape raises
RecordError with a plain sentence, and two views' edits merge instead of one wiping the other."""

from __future__ import annotations

import copy
import json

import pytest

from tlkit.practice.clock import RunnerState
from tlkit.store.records import (CalibrationRecord, FeedbackSortRecord, ObservationRecord,
                                 RecordError, RunnerRecord)


def _runner() -> RunnerRecord:
    return RunnerRecord(RunnerState("tuning", [5, 10, 2], step_index=1))


def _observation() -> ObservationRecord:
    record = ObservationRecord(observer="Ana", date="2026-03-04", scores={"norms-in-use": 3},
                               started_at=1_760_000_000.0, draft="half", draft_tag="norms-in-use")
    record.add_note("00:10", "S1 asks S2", "student-questions", added_at=1.0)
    return record


SAMPLES = [_runner(), _observation(),
           CalibrationRecord([("Ana", {"text-evidence": 3, "norms-in-use": None})]),
           FeedbackSortRecord({"s1": "descriptive", "s2": None})]


@pytest.mark.parametrize("record", SAMPLES, ids=lambda r: r.kind)
def test_every_record_round_trips_through_json_with_its_kind_and_version(record):
    data = json.loads(json.dumps(record.to_dict()))
    assert data["kind"] == record.kind and data["version"] == 1
    assert type(record).from_dict(data) == record


@pytest.mark.parametrize("record", SAMPLES, ids=lambda r: r.kind)
def test_a_record_of_another_kind_or_a_newer_version_is_refused(record):
    data = record.to_dict()
    with pytest.raises(RecordError, match="holds something else"):
        type(record).from_dict({**data, "kind": "not-this"})
    with pytest.raises(RecordError, match="newer version of the kit"):
        type(record).from_dict({**data, "version": 99})
    with pytest.raises(RecordError, match="should be a set of named fields, not list"):
        type(record).from_dict([data])


def test_files_saved_before_records_had_a_kind_still_load():
    legacy = {"observer": "Ana", "notes": [{"time": "00:10", "text": "kept"}], "scores": {}}
    record = ObservationRecord.from_dict(legacy)
    assert [(n.id, n.text) for n in record.notes] == [("n1", "kept")]
    assert CalibrationRecord.from_dict({"observers": [{"name": "Ana"}]}).observers == [("Ana", {})]
    assert FeedbackSortRecord.from_dict({"answers": {"s1": "evaluative"}}).answers == {
        "s1": "evaluative"}
    assert RunnerRecord.from_dict(_runner().state.to_dict()) == _runner()


@pytest.mark.parametrize("record_type, data, words", [
    (RunnerRecord, {**_runner().state.to_dict(), "step_index": 7}, "bad 'step_index'"),
    (RunnerRecord, {"protocol_id": "tuning"}, "missing"),
    (ObservationRecord, {"observer": ["not", "text"]}, "'observer' as list"),
    (ObservationRecord, {"notes": "oops"}, "'notes' as str"),
    (ObservationRecord, {"notes": ["oops"]}, "saved note 1 should be"),
    (ObservationRecord, {"started_at": "soon"}, "'started_at' 'soon'"),
    (ObservationRecord, {"scores": {"norms-in-use": "3"}}, "score '3' for 'norms-in-use'"),
    (ObservationRecord, {"removed": "n1"}, "list of note ids"),
    (ObservationRecord, {"draft": 5}, "'draft' as int"),
    (CalibrationRecord, {"observers": "oops"}, "'observers' as str ('oops')"),
    (CalibrationRecord, {"observers": ["Ana"]}, "observer 1 of the saved scores"),
    (CalibrationRecord, {"observers": [{"name": "Ana", "scores": {"x": True}}]}, "score True"),
    (CalibrationRecord, {"observers": [{"name": 7}]}, "'name' as int"),
    (FeedbackSortRecord, {"answers": ["not", "a", "mapping"]}, "'answers' as list"),
    (FeedbackSortRecord, {"answers": {"s1": 1}}, "answer 1 for 's1'"),
])
def test_a_record_of_the_wrong_shape_says_what_is_wrong(record_type, data, words):
    with pytest.raises(RecordError) as caught:
        record_type.from_dict(data)
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value) and isinstance(caught.value, ValueError)


# --- merges ---------------------------------------------------------------------------------

def test_observation_notes_from_two_views_are_both_kept_in_time_order():
    base = _observation()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    theirs.add_note("00:20", "S3 cites page 4", added_at=2.0)
    mine.add_note("00:30", "S2 asks why", added_at=3.0)
    merged = mine.merged(base, theirs)
    assert [n.text for n in merged.notes] == ["S1 asks S2", "S3 cites page 4", "S2 asks why"]


def test_a_note_taken_back_in_one_view_is_not_brought_back_by_the_other():
    base = _observation()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    taken = mine.take_back_last_note()
    assert taken.text == "S1 asks S2" and taken.id in mine.removed
    theirs.add_note("00:20", "S3 cites page 4", added_at=2.0)
    assert [n.text for n in mine.merged(base, theirs).notes] == ["S3 cites page 4"]
    # and the other way round: the view that still has it saves after the undo was stored
    stored = mine.merged(base, theirs)
    assert [n.text for n in theirs.merged(base, stored).notes] == ["S3 cites page 4"]


def test_observation_fields_and_scores_take_what_each_view_changed():
    base = _observation()
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.scores["text-evidence"] = 2
    theirs.scores["norms-in-use"] = 4
    theirs.teacher = "Ms Ortiz 9B"
    mine.draft, theirs.draft = "mine typing", "their typing"
    merged = mine.merged(base, theirs)
    assert merged.scores == {"norms-in-use": 4, "text-evidence": 2}
    assert merged.teacher == "Ms Ortiz 9B" and merged.observer == "Ana"
    assert merged.draft == "mine typing"          # a half-written note is the view's own


def test_calibration_rows_merge_by_observer_name():
    base = CalibrationRecord([("Ana", {"text-evidence": 3}), ("Ben", {"text-evidence": 2}),
                              ("Observer C", {})])
    mine, theirs = copy.deepcopy(base), copy.deepcopy(base)
    mine.observers[0][1]["norms-in-use"] = 4                 # I score Ana's second look-for
    theirs.observers[1][1]["text-evidence"] = 1              # they change Ben
    theirs.observers.append(("Dee", {"text-evidence": 4}))   # and add Dee
    mine.observers[2] = ("Cy", {"text-evidence": 2})         # I rename Observer C
    merged = mine.merged(base, theirs)
    assert merged.observers == [("Ana", {"text-evidence": 3, "norms-in-use": 4}),
                                ("Ben", {"text-evidence": 1}), ("Cy", {"text-evidence": 2}),
                                ("Dee", {"text-evidence": 4})]


def test_feedback_answers_merge_per_statement_and_keep_statements_not_shown():
    base = FeedbackSortRecord({"s1": "descriptive", "s9": "evaluative"})
    mine = FeedbackSortRecord({"s1": "evaluative", "s2": None})     # s9 not shown here
    theirs = FeedbackSortRecord({"s1": "descriptive", "s2": "descriptive", "s9": "evaluative"})
    merged = mine.merged(base, theirs)
    assert merged.answers == {"s1": "evaluative", "s2": "descriptive", "s9": "evaluative"}


# --- a participant's live-session join ------------------------------------------------------

def test_a_live_join_round_trips_and_holds_only_the_code_and_the_participant_id():
    from tlkit.store import LiveJoinRecord

    record = LiveJoinRecord("K7PQ2M", "0123456789abcdef0123456789abcdef")
    data = json.loads(json.dumps(record.to_dict()))
    assert data == {"kind": "live-join", "version": 1, "code": "K7PQ2M",
                    "participant_id": "0123456789abcdef0123456789abcdef"}
    assert LiveJoinRecord.from_dict(data) == record and record.joined
    assert not LiveJoinRecord.from_dict({"kind": "live-join"}).joined     # left: empty
    with pytest.raises(RecordError, match="newer version of the kit"):
        LiveJoinRecord.from_dict({**data, "version": 2})


@pytest.mark.parametrize("data, words", [
    ({"code": "K7PQ2M"}, "both the session's code and the participant id, or neither"),
    ({"participant_id": "abc123"}, "or neither"),
    ({"code": 7, "participant_id": "abc"}, "'code' as int"),
    ({"code": "k7pq2m", "participant_id": "abc"}, "capital letters and digits"),
    ({"code": "K7<b>M", "participant_id": "abc"}, "capital letters and digits"),
    ({"code": "K7PQ2M", "participant_id": "x" * 65}, "not one the sessions' database gives"),
    ({"code": "K7PQ2M", "participant_id": "ab cd"}, "not one the sessions' database gives"),
])
def test_a_live_join_of_the_wrong_shape_says_what_is_wrong(data, words):
    from tlkit.store import LiveJoinRecord

    with pytest.raises(RecordError) as caught:
        LiveJoinRecord.from_dict({"kind": "live-join", "version": 1, **data})
    assert words in str(caught.value)
