"""The record store: JsonFileStore behind the Store interface, and its faults in plain words."""

from __future__ import annotations

import json
import threading

import pytest

from tlkit.store import (CalibrationRecord, JsonFileStore, ObservationRecord, RecordSetAside,
                         Store, StoreUnavailable, default_store)


@pytest.fixture
def store(tmp_path) -> JsonFileStore:
    return JsonFileStore(tmp_path / "state")


def _cal(*rows) -> CalibrationRecord:
    return CalibrationRecord([(name, {"text-evidence": score}) for name, score in rows])


def test_put_then_get_and_nothing_saved_yet(store):
    assert isinstance(store, Store)
    assert store.get("cal", CalibrationRecord) is None
    store.put("cal", _cal(("Ana", 3)))
    assert store.get("cal", CalibrationRecord) == _cal(("Ana", 3))
    saved = json.loads(store.path("cal").read_text(encoding="utf-8"))
    assert saved["kind"] == "calibration" and saved["version"] == 1


def test_an_unreadable_file_is_set_aside_and_the_error_says_where(store):
    store.folder.mkdir()
    store.path("obs").write_text("{ half written", encoding="utf-8")
    with pytest.raises(RecordSetAside) as caught:
        store.get("obs", ObservationRecord)
    kept = caught.value.kept
    assert kept.startswith(str(store.folder / "obs.unreadable-"))
    assert open(kept, encoding="utf-8").read() == "{ half written"
    assert caught.value.reason == "it is not readable JSON"
    assert not store.path("obs").exists()
    assert store.get("obs", ObservationRecord) is None         # a fresh start from here


def test_a_record_of_the_wrong_shape_is_set_aside_with_the_reason(store):
    store.folder.mkdir()
    store.path("cal").write_text(json.dumps({"observers": "oops"}), encoding="utf-8")
    with pytest.raises(RecordSetAside) as caught:
        store.get("cal", CalibrationRecord)
    assert "'observers' as str" in caught.value.reason
    assert json.loads(open(caught.value.kept, encoding="utf-8").read()) == {"observers": "oops"}


def test_a_record_of_another_kind_under_the_key_is_set_aside_not_overwritten(store):
    store.put("shared", _cal(("Ana", 3)))
    with pytest.raises(RecordSetAside, match="holds something else"):
        store.get("shared", ObservationRecord)
    (kept,) = store.folder.glob("shared.unreadable-*.json")
    assert json.loads(kept.read_text(encoding="utf-8"))["kind"] == "calibration"


def test_update_over_an_unreadable_file_saves_and_reports_where_the_old_one_went(store):
    store.folder.mkdir()
    store.path("cal").write_text("not json", encoding="utf-8")
    done = store.update("cal", CalibrationRecord, lambda current: current or _cal(("Ben", 2)))
    assert done.record == _cal(("Ben", 2))
    assert open(done.set_aside.kept, encoding="utf-8").read() == "not json"
    assert store.get("cal", CalibrationRecord) == _cal(("Ben", 2))


def test_a_folder_under_a_file_cannot_be_written_and_says_so_plainly(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    store = JsonFileStore(blocker / "state")
    assert store.get("cal", CalibrationRecord) is None          # reading finds nothing
    for attempt in (store.check, lambda: store.put("cal", _cal(("Ana", 3))),
                    lambda: store.update("cal", CalibrationRecord, lambda c: _cal())):
        with pytest.raises(StoreUnavailable) as caught:
            attempt()
        err = caught.value
        assert err.problem == (f"the folder {blocker / 'state'} cannot be written "
                               "(part of that path is a file, not a folder)")
        assert "TLKIT_STATE_DIR" in err.fix and str(err).startswith("The folder")
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_a_read_only_folder_cannot_be_written(tmp_path, monkeypatch):
    # Root ignores file modes, so the refusal a teacher's account would meet is simulated
    # where the store first writes.
    import errno
    import tlkit.store.json_files as json_files

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(json_files.tempfile, "mkstemp", refuse)
    with pytest.raises(StoreUnavailable, match="permission denied"):
        JsonFileStore(tmp_path / "locked").check()


def test_two_stores_on_one_folder_merge_instead_of_the_last_writer_winning(tmp_path):
    first, second = JsonFileStore(tmp_path), JsonFileStore(tmp_path)
    base = ObservationRecord(observer="Ana")
    first.put("obs", base)
    mine_a = first.get("obs", ObservationRecord)
    mine_b = second.get("obs", ObservationRecord)
    mine_a.add_note("00:10", "from the first tab", added_at=1.0)
    mine_b.add_note("00:20", "from the second tab", added_at=2.0)
    first.update("obs", ObservationRecord, lambda theirs: mine_a.merged(base, theirs))
    done = second.update("obs", ObservationRecord, lambda theirs: mine_b.merged(base, theirs))
    assert [n.text for n in done.record.notes] == ["from the first tab", "from the second tab"]
    assert first.get("obs", ObservationRecord) == done.record


def test_updates_from_many_writers_at_once_lose_nothing(tmp_path):
    JsonFileStore(tmp_path).put("obs", ObservationRecord())

    def writer(name: str) -> None:
        store = JsonFileStore(tmp_path)          # its own store, as another kernel would have
        for i in range(15):
            def add(current, i=i):
                current.add_note("00:00", f"{name}-{i}")
                return current
            store.update("obs", ObservationRecord, add)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("a", "b", "c")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notes = JsonFileStore(tmp_path).get("obs", ObservationRecord).notes
    assert sorted(n.text for n in notes) == sorted(f"{n}-{i}" for n in "abc" for i in range(15))


def test_the_default_store_is_the_state_folder_and_is_made_on_first_save(tmp_path, monkeypatch):
    folder = tmp_path / "not-yet"
    monkeypatch.setenv("TLKIT_STATE_DIR", str(folder))
    store = default_store()
    assert store.get("cal", CalibrationRecord) is None and not folder.exists()
    store.put("cal", _cal(("Ana", 3)))
    assert (folder / "cal.json").is_file()


@pytest.mark.parametrize("key", ["../escape", "a/b", "", "with space"])
def test_keys_stay_inside_the_store(store, key):
    with pytest.raises(ValueError, match="can only use letters"):
        store.put(key, _cal())
