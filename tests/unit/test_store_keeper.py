"""The Keeper: one rule for restoring, merging and not being able to save, on a real
JsonFileStore in a temporary folder."""

from __future__ import annotations

import html
import json

import pytest

from tlkit.store import (FeedbackSortRecord, JsonFileStore, Keeper, PaceRecord, RecordSetAside,
                         StoreUnavailable)
from tlkit.widgets.common import keeper_notice

KEY = "sorting"


def _keeper(store, **kwargs) -> Keeper[FeedbackSortRecord]:
    return Keeper(store, KEY, FeedbackSortRecord, **kwargs)


def _blocked(tmp_path):
    """A state folder that cannot be made: part of its path is a file."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    return blocker, JsonFileStore(blocker / "state")


def test_nothing_saved_yet_restores_none_with_no_problem_and_the_first_save_writes(tmp_path):
    store = JsonFileStore(tmp_path / "state")
    keeper = _keeper(store)
    assert keeper.restore() is None
    assert keeper.problem is None and keeper.cannot_save is None and keeper.base is None
    assert keeper_notice(keeper) == ""
    saved = keeper.save(FeedbackSortRecord({"s1": "descriptive"}))
    assert saved.record == FeedbackSortRecord({"s1": "descriptive"}) and saved.set_aside is None
    assert keeper.base == saved.record and keeper.base is not saved.record
    assert store.get(KEY, FeedbackSortRecord) == FeedbackSortRecord({"s1": "descriptive"})


def test_a_saved_record_comes_back_and_its_base_is_a_copy(tmp_path):
    store = JsonFileStore(tmp_path / "state")
    store.put(KEY, FeedbackSortRecord({"s1": "evaluative", "s2": None}, order_seed=7))
    keeper = _keeper(store)
    restored = keeper.restore()
    assert restored == FeedbackSortRecord({"s1": "evaluative", "s2": None}, order_seed=7)
    restored.answers["s1"] = "descriptive"             # the view edits what it was given
    assert keeper.base.answers["s1"] == "evaluative"   # the base of merges does not move


def test_a_record_of_the_wrong_shape_is_set_aside_kept_and_the_page_starts_fresh(tmp_path):
    store = JsonFileStore(tmp_path / "state")
    store.folder.mkdir()
    store.path(KEY).write_text(json.dumps({"kind": "feedback-sort", "version": 1,
                                           "answers": "oops"}), encoding="utf-8")
    keeper = _keeper(store)
    assert keeper.restore() is None
    assert isinstance(keeper.problem, RecordSetAside) and keeper.cannot_save is None
    kept = keeper.problem.kept
    assert json.loads(open(kept, encoding="utf-8").read())["answers"] == "oops"
    notice = html.unescape(keeper_notice(keeper, "Your earlier answers",
                                         "The sorting starts fresh."))
    assert "Your earlier answers could not be read" in notice and kept in notice
    assert "The sorting starts fresh." in notice and 'role="status"' in notice
    # Saving still works, and the set-aside copy stays where it was.
    assert keeper.save(FeedbackSortRecord({"s1": "descriptive"})) is not None
    assert keeper.problem is None and keeper_notice(keeper) == ""
    assert json.loads(open(kept, encoding="utf-8").read())["answers"] == "oops"


def test_an_unwritable_folder_is_remembered_and_save_keeps_the_work_and_says_so(tmp_path):
    blocker, store = _blocked(tmp_path)
    keeper = _keeper(store)
    assert keeper.restore() is None
    assert isinstance(keeper.cannot_save, StoreUnavailable) and keeper.problem is keeper.cannot_save
    notice = html.unescape(keeper_notice(keeper, "unused", "unused"))
    assert "Your work on this page cannot be saved" in notice
    assert f"the folder {blocker / 'state'} cannot be written" in notice
    assert "stays on this page" in notice
    mine = FeedbackSortRecord({"s1": "descriptive"})
    blocker.unlink()                       # the folder could be made now, but the keeper
    assert keeper.save(mine) is None       # remembers: no half-saved session
    assert keeper.problem is keeper.cannot_save
    assert mine == FeedbackSortRecord({"s1": "descriptive"})    # the work is untouched
    assert keeper.put(mine) is False and not (tmp_path / "blocker").exists()
    assert keeper.latest(mine) is mine


def test_keep_trying_saves_once_the_store_can_write_again(tmp_path):
    blocker, store = _blocked(tmp_path)
    keeper = Keeper(store, "pace", PaceRecord, keep_trying=True)
    assert keeper.restore() is None
    assert isinstance(keeper.problem, StoreUnavailable) and keeper.cannot_save is None
    assert keeper.put(PaceRecord(90)) is False and isinstance(keeper.problem, StoreUnavailable)
    blocker.unlink()
    assert keeper.put(PaceRecord(120)) is True and keeper.problem is None
    assert store.get("pace", PaceRecord) == PaceRecord(120)


def test_two_pages_on_one_key_merge_instead_of_the_last_writer_winning(tmp_path):
    first_store, second_store = JsonFileStore(tmp_path), JsonFileStore(tmp_path)
    first_store.put(KEY, FeedbackSortRecord({"s1": None, "s2": None}, order_seed=3))
    first, second = _keeper(first_store), _keeper(second_store)
    mine_a, mine_b = first.restore(), second.restore()
    mine_a.answers["s1"] = "descriptive"
    mine_b.answers["s2"] = "evaluative"
    first.save(mine_a)
    done = second.save(mine_b)
    both = FeedbackSortRecord({"s1": "descriptive", "s2": "evaluative"}, order_seed=3)
    assert done.record == both and second.base == both
    assert first_store.get(KEY, FeedbackSortRecord) == both
    # The first page's next save keeps the second page's answer (its base is older).
    mine_a.answers["s1"] = "advice"
    assert first.save(mine_a).record.answers == {"s1": "advice", "s2": "evaluative"}


def test_latest_sees_another_pages_save_without_writing(tmp_path):
    store = JsonFileStore(tmp_path)
    first, second = _keeper(store), _keeper(store)
    assert first.restore() is None and second.restore() is None
    first.save(FeedbackSortRecord({"s1": "descriptive"}))
    stamp = store.revision(KEY)
    unsaved = FeedbackSortRecord({"s2": "evaluative"})
    assert second.latest(unsaved).answers == {"s1": "descriptive", "s2": "evaluative"}
    assert store.revision(KEY) == stamp                     # nothing was written
    assert unsaved.answers == {"s2": "evaluative"}


def test_update_takes_a_merge_of_the_views_own_under_the_same_rule(tmp_path):
    store = JsonFileStore(tmp_path)
    store.put(KEY, FeedbackSortRecord({"s1": "advice"}))
    keeper = _keeper(store)
    keeper.restore()
    saved = keeper.update(lambda theirs: FeedbackSortRecord(order_seed=11).merged(None, theirs))
    assert saved.record == FeedbackSortRecord({"s1": "advice"}, order_seed=11)
    assert keeper.base == saved.record
    (tmp_path / "other").mkdir()
    _blocker, blocked = _blocked(tmp_path / "other")
    stuck = _keeper(blocked)
    stuck.restore()
    assert stuck.update(lambda theirs: FeedbackSortRecord()) is None
    assert isinstance(stuck.problem, StoreUnavailable)


@pytest.mark.parametrize("check", [True, False])
def test_restore_without_check_does_not_ask_whether_saving_works(tmp_path, check):
    _blocker, store = _blocked(tmp_path)
    keeper = _keeper(store)
    keeper.restore(check=check)
    assert (keeper.cannot_save is not None) == check
