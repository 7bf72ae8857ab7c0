"""Saved state that is hostile or broken never stops a page: too large, nested thousands
deep, a time no clock can show or lists longer than any session needs are set aside (kept,
never deleted); a read-only folder still shows the work saved there; keys stay plain names."""

from __future__ import annotations

import json
import time

import pytest

from tlkit.store import (FeedbackSortRecord, JsonFileStore, Keeper, ObservationRecord,
                         RecordSetAside, StoreUnavailable)
from tlkit.store.json_files import MAX_STATE_BYTES
from tlkit.store.records.core import MAX_ENTRIES
from tlkit.widgets.common import keeper_notice


def _observation(**fields):
    return {"kind": "observation", "version": ObservationRecord.version, "observer": "Ana",
            **fields}


@pytest.mark.parametrize("text, said", [
    ("[" * 100_000 + "]" * 100_000, "not readable JSON"),
    (json.dumps(_observation(started_at=1e30)), "started_at"),
    (json.dumps(_observation(notes=[{"id": "a", "time": "00:01", "text": "x",
                                     "added_at": -5}])), "added_at"),
    (json.dumps(_observation(notes=[{"id": f"n{i}", "time": "00:01", "text": "x"}
                                    for i in range(MAX_ENTRIES + 1)])), "more than the"),
    (json.dumps(_observation(draft="x" * (MAX_STATE_BYTES + 10))), "larger than the 5 MB"),
])
def test_a_hostile_state_file_is_set_aside_quickly_with_a_reason(tmp_path, text, said):
    store = JsonFileStore(tmp_path)
    (tmp_path / "obs.json").write_text(text, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(RecordSetAside) as caught:
        store.get("obs", ObservationRecord)
    assert time.monotonic() - started < 3
    assert said in caught.value.reason
    assert not (tmp_path / "obs.json").exists()
    assert [p.name.startswith("obs.unreadable-") for p in tmp_path.iterdir()] == [True]


def test_work_too_large_to_save_stays_on_the_page_and_the_last_save_stays_on_disk(tmp_path):
    store = JsonFileStore(tmp_path)
    keeper = Keeper(store, "obs", ObservationRecord)
    keeper.restore()
    assert keeper.save(ObservationRecord(observer="Ana", draft="first notes"))
    assert keeper.save(ObservationRecord(observer="Ana", draft="x" * MAX_STATE_BYTES)) is None
    assert "larger than the 5 MB" in keeper_notice(keeper) and "Shorten" in keeper_notice(keeper)
    assert store.get("obs", ObservationRecord).draft == "first notes"
    assert keeper.save(ObservationRecord(observer="Ana", draft="shorter")) is not None


def test_a_read_only_folder_shows_the_saved_work_and_says_it_cannot_be_saved(tmp_path,
                                                                           monkeypatch):
    store = JsonFileStore(tmp_path)
    store.put("sorting", FeedbackSortRecord({"s1": "descriptive"}))

    def read_only():
        raise StoreUnavailable(f"the folder {tmp_path} cannot be written (the disk is "
                               "read-only)", "Ask whoever looks after this computer.")

    monkeypatch.setattr(store, "check", read_only)
    keeper = Keeper(store, "sorting", FeedbackSortRecord)
    assert keeper.restore() == FeedbackSortRecord({"s1": "descriptive"})
    assert "cannot be saved" in keeper_notice(keeper) and "read-only" in keeper_notice(keeper)
    assert keeper.save(FeedbackSortRecord({"s1": "evaluative"})) is None     # not tried again
    assert store.get("sorting", FeedbackSortRecord) == FeedbackSortRecord({"s1": "descriptive"})


@pytest.mark.parametrize("key", ["ok\n", "ok\nx", "../ok", "a/b", "", ".hidden", "ok\r"])
def test_a_state_key_is_a_plain_name(tmp_path, key):
    with pytest.raises(ValueError):
        JsonFileStore(tmp_path).put(key, FeedbackSortRecord({}))
    assert list(tmp_path.iterdir()) == []
