from __future__ import annotations

import json

import pytest

from tlkit.state import load_state, save_state, state_path


def test_round_trip_and_nothing_saved_yet():
    assert load_state("runner-tuning") is None
    save_state("runner-tuning", {"step_index": 2, "running": True})
    assert load_state("runner-tuning") == {"step_index": 2, "running": True}


def test_an_unreadable_file_is_kept_aside_not_deleted():
    path = state_path("observation-x")
    path.write_text("{ half written", encoding="utf-8")
    assert load_state("observation-x") is None
    (kept,) = path.parent.glob("observation-x.unreadable-*.json")
    assert kept.read_text(encoding="utf-8") == "{ half written"


def test_a_second_unreadable_file_does_not_overwrite_the_first():
    path = state_path("notes")
    for text in ("first broken", "second broken"):
        path.write_text(text, encoding="utf-8")
        assert load_state("notes") is None
    kept = sorted(p.read_text(encoding="utf-8") for p in path.parent.glob("notes.unreadable-*"))
    assert kept == ["first broken", "second broken"]


def test_a_json_value_that_is_not_an_object_is_treated_as_unreadable():
    state_path("k").write_text(json.dumps([1, 2]), encoding="utf-8")
    assert load_state("k") is None


@pytest.mark.parametrize("key", ["../escape", "a/b", "", "with space"])
def test_keys_that_would_escape_the_state_folder_are_refused(key):
    with pytest.raises(ValueError, match="can only use letters"):
        save_state(key, {})


def test_saving_leaves_no_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_STATE_DIR", str(tmp_path))
    save_state("a", {"x": 1})
    save_state("a", {"x": 2})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
