"""Keeper: one view's hold on one saved record, so every widget follows the same rule.

Why it exists: each widget that keeps state used to repeat the same steps around the Store,
and the copies had begun to drift. The rule, kept here once:

- restore: read the record and check that saving works. A record that cannot be used was set
  aside by the store (kept, never deleted) and the view starts fresh; a store that cannot save
  is remembered, so later saves do not try again (unless `keep_trying`), and the view keeps its
  work in memory. Either problem is kept in `problem` for the view to say in a sentence.
- save: merge this view's record with what is stored now, given the record the view last read
  (`base`), in one read-modify-write; `base` then becomes what was saved. Two pages on one key
  merge instead of the last writer winning.
- latest: what another page saved, merged with this view's record, without saving.

Logic only: it never imports ipywidgets (tlkit.widgets.common turns `problem` into a notice).
"""

from __future__ import annotations

import copy
from typing import Callable, Generic, TypeVar

from tlkit.store.base import RecordSetAside, Store, StoreUnavailable, Updated
from tlkit.store.records import Record

R = TypeVar("R", bound=Record)

Problem = RecordSetAside | StoreUnavailable


class Keeper(Generic[R]):
    """The record of `kind` under `key` in `store`, as one view holds it.

    `problem`: what the last restore or save met (a RecordSetAside or a StoreUnavailable),
    None when all went well. `cannot_save`: the fault remembered from restore; save() gives it
    back at once instead of writing. `base`: a copy of what the store held when this view last
    read or wrote it, the base of three-way merges. `keep_trying`: a store that cannot save at
    restore is reported but tried again on every save."""

    def __init__(self, store: Store, key: str, kind: type[R], *, keep_trying: bool = False):
        self.store = store
        self.key = key
        self.kind = kind
        self.keep_trying = keep_trying
        self.base: R | None = None
        self.cannot_save: StoreUnavailable | None = None
        self.problem: Problem | None = None

    def restore(self, *, check: bool = True) -> R | None:
        """The saved record, or None (nothing saved, set aside, or the store cannot save:
        then `problem` says which). `check=False` skips asking whether a save would work
        (a view that does not save)."""
        try:
            saved = self.store.get(self.key, self.kind)
        except RecordSetAside as err:
            self.problem = err
            return None
        except StoreUnavailable as err:
            self._cannot_save(err)
            return None
        if check:
            try:
                self.store.check()
            except StoreUnavailable as err:
                # Work that can be read is still shown (a read-only folder): only saving stops.
                self._cannot_save(err)
        self.base = copy.deepcopy(saved)
        return saved

    def _cannot_save(self, err: StoreUnavailable) -> None:
        self.problem = err
        if not self.keep_trying:
            self.cannot_save = err

    def save(self, mine: R) -> Updated[R] | None:
        """Merge `mine` with what is stored (mine.merged(base, theirs)) and save it. Returns
        what was saved (its `set_aside` says if an unusable record was moved out of the way),
        or None when nothing could be saved: `problem` then says why, and the view keeps its
        work on the page."""
        return self.update(lambda theirs: mine.merged(self.base, theirs))

    def update(self, change: Callable[[R | None], R]) -> Updated[R] | None:
        """save() with a change of the view's own (for a merge that is not mine.merged(base,
        theirs)): change(theirs) is saved in one step, under the same cannot-save rule."""
        try:
            if self.cannot_save is not None:
                raise self.cannot_save
            saved = self.store.update(self.key, self.kind, change)
        except StoreUnavailable as err:
            self.problem = err
            return None
        self.problem = None
        self.base = copy.deepcopy(saved.record)
        return saved

    def put(self, record: R) -> bool:
        """Replace what is stored with `record`, no merge (one page drives it: the latest
        press wins). False when it could not be saved (`problem` says why)."""
        try:
            if self.cannot_save is not None:
                raise self.cannot_save
            self.store.put(self.key, record)
        except StoreUnavailable as err:
            self.problem = err
            return False
        self.problem = None
        return True

    def latest(self, mine: R) -> R:
        """`mine` merged with what the store holds now (another page may have saved), without
        saving; `mine` as it is when the store cannot be read or holds nothing."""
        if self.cannot_save is None:
            try:
                saved = self.store.get(self.key, self.kind)
            except (RecordSetAside, StoreUnavailable):
                saved = None
            if saved is not None:
                return mine.merged(self.base, saved)
        return mine
