"""Plain dicts kept as JSON files in the state folder (tlkit.store.json_files), the layer under
the record store: atomic writes (tlkit.atomic), unreadable files kept aside, safe keys."""

from __future__ import annotations

import json

import pytest

from state_files import load_state, read_state, save_state, state_path


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


def test_numpy_and_pandas_scalars_are_saved_as_plain_json():
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    save_state("scores", {"n": np.int64(3), "ok": np.bool_(True), "mean": np.float64(2.5),
                          "missing": pd.NA, "when": pd.NaT, "list": [np.int32(4)]})
    assert load_state("scores") == {"n": 3, "ok": True, "mean": 2.5, "missing": None,
                                    "when": None, "list": [4]}


def test_a_value_json_cannot_hold_keeps_the_last_save_and_leaves_no_temp_file(tmp_path,
                                                                              monkeypatch):
    monkeypatch.setenv("TLKIT_STATE_DIR", str(tmp_path))
    save_state("notes", {"text": "typed before"})
    with pytest.raises(TypeError, match="object values cannot be saved"):
        save_state("notes", {"text": object()})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]
    assert load_state("notes") == {"text": "typed before"}


def test_a_failed_write_removes_its_temp_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_STATE_DIR", str(tmp_path))
    save_state("notes", {"text": "typed before"})

    def disk_full(_src, _dst):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(OSError):
        patch.setattr("tlkit.atomic.os.replace", disk_full)
        save_state("notes", {"text": "new"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json"]
    assert load_state("notes") == {"text": "typed before"}


def test_read_state_says_where_an_unreadable_file_was_kept():
    assert read_state("scores") == (None, None)          # nothing saved yet
    state_path("scores").write_text("not json", encoding="utf-8")
    data, kept = read_state("scores")
    assert data is None and kept.read_text(encoding="utf-8") == "not json"
    assert not state_path("scores").exists()
