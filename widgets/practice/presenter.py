"""ProtocolPresenter: the projector's page of the protocol clock (facilitator/presenter.ipynb).

The facilitator drives a clock from a laptop, either the guide's runner or a live session
(facilitator/live-session.ipynb); the projector shows this page in another window. It follows
whichever of those clocks is in use (tlkit.practice.follow.clock_to_follow: a running clock
first, then the one changed last) and switches when the facilitator starts another one. A
press on the projector's buttons goes to the clock shown: the guide's saved runner state
("runner-<protocol id>"), or the live session, through the control the facilitator's live
page keeps in the same state folder. One follower (one polling loop) keeps the page current.
"""

from __future__ import annotations

import html
import time
from typing import Callable

import ipywidgets as widgets

from tlkit.live import LiveStore, NotAllowed
from tlkit.live.questions import results
from tlkit.practice.clock import RunnerState, paused_if_stale
from tlkit.practice.follow import ClockSeen, Follower, clock_to_follow
from tlkit.practice.plan import saved_plan
from tlkit.practice.protocols import list_protocols, load_protocol
from tlkit.store import RunnerRecord, Store, StoreUnavailable, default_store
from tlkit.store.records import LiveHostRecord
from tlkit.widgets.common import question_results_html
from tlkit.widgets.practice.protocol_runner import ProtocolRunner

RUNNER, LIVE = "runner", "live"


class ProtocolPresenter(widgets.VBox):
    """The runner in presenter mode, following the clock in use. `default`: the protocol
    shown before any clock has been pressed. store: the facilitator's state (default: the
    state folder); live: the live sessions' database (default TLKIT_LIVE_DB, opened only once
    the facilitator's live page has a session open); now: the time source."""

    def __init__(self, default: str = "tuning", *, now: Callable[[], float] = time.time,
                 store: Store | None = None, live: LiveStore | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-presenter")
        self.layout.width = "100%"
        self._now = now
        self._store = store or default_store()
        self._live = live
        self._ids = list_protocols()
        self._runners: dict[str, tuple] = {}       # key -> (stamp, ClockSeen)
        self._sessions: dict[str, tuple] = {}      # code -> (revision, seen at, state)
        self._token = ""
        self.runner: ProtocolRunner | None = None
        self.showing: str | None = None            # the protocol shown
        self.live_code: str | None = None          # the live session followed, if any
        # The results of the question the facilitator chose to show, under the clock.
        self.results = widgets.HTML()
        self.results.add_class("tlkit-presenter-results")
        self._results_seen: tuple | None = None
        chosen = clock_to_follow(self._clocks())
        if chosen is None:
            self._show(RUNNER, default)
        else:
            self._show(chosen.source, chosen.key)
        self._follower = Follower(self.follow)

    # -- the clocks there are ---------------------------------------------------------------

    def _clocks(self) -> list[ClockSeen]:
        return self._runner_clocks() + self._live_clocks()

    def _runner_clocks(self) -> list[ClockSeen]:
        seen = []
        for protocol_id in self._ids:
            key = f"runner-{protocol_id}"
            try:
                stamp = self._store.revision(key)
            except (OSError, ValueError):
                stamp = None
            if stamp is None:
                continue                           # never pressed
            cached = self._runners.get(key)
            if cached is None or cached[0] != stamp:
                running = False
                try:
                    record = self._store.get(key, RunnerRecord)
                    if record is not None:
                        state = record.state
                        running = state.running and paused_if_stale(state, self._now()) is None
                except (OSError, ValueError):
                    pass
                cached = (stamp, ClockSeen(RUNNER, protocol_id, running,
                                           self._saved_at(key, first=cached is None)))
                self._runners[key] = cached
            seen.append(cached[1])
        return seen

    def _saved_at(self, key: str, first: bool) -> float:
        """When a runner's state was saved: its file's time where the store keeps files (a
        press on any page of this machine), else when this page saw it change."""
        try:
            return self._store.path(key).stat().st_mtime_ns / 1e9
        except (AttributeError, OSError):
            return 0.0 if first else time.time()

    def _live_clocks(self) -> list[ClockSeen]:
        try:
            record = self._store.get(LiveHostRecord.key, LiveHostRecord)
        except (OSError, ValueError):
            return []
        if record is None or not record.code:
            return []
        self._token = record.token
        code = record.code
        cached = self._sessions.get(code)
        try:
            live = self._live_store()
            revision = live.revision(code)
            state = live.state(code) if revision is not None and (
                cached is None or cached[0] != revision) else None
        except (OSError, ValueError):   # the database is down: follow the guide's runner
            return []
        if revision is None:
            return []                              # deleted
        if cached is None or cached[0] != revision:
            if state is None:
                return []
            # First sight: the latest time known is the opening or the running clock's start;
            # a change seen later happened about now.
            at = (max(state.opened_at, state.clock.started_at or 0.0) if cached is None
                  else time.time())
            cached = (revision, at, state)
            self._sessions[code] = cached
        state = cached[2]
        if state.ended:
            return []
        running = state.clock.running and paused_if_stale(state.clock, self._now()) is None
        return [ClockSeen(LIVE, code, running, cached[1])]

    def _live_store(self) -> LiveStore:
        if self._live is None:
            self._live = LiveStore()
        return self._live

    # -- showing and following --------------------------------------------------------------

    def _show(self, source: str, key: str) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        self.live_code = key if source == LIVE else None
        try:
            if source == LIVE:
                state = self._sessions[key][2].clock
                self.showing = state.protocol_id
                plan = saved_plan(load_protocol(state.protocol_id), state.step_minutes)
                # Never saved here: the live session's database is its clock's one home.
                self.runner = ProtocolRunner(plan, presenter=True, now=self._now,
                                             autosave=False, follow=False,
                                             state_key=f"presenter-live-{key}",
                                             control=self._press_live)
                self.runner.adopt(state)
            else:
                self.showing = key
                # The presenter's own follower looks for presses: no second loop.
                self.runner = ProtocolRunner(key, presenter=True, now=self._now, follow=False,
                                             store=self._store)
            self.children = [self.runner, self.results]
            self._results_seen = None
            self.show_results()
        except ValueError as err:  # a protocol file the kit cannot read: say so, plainly
            self.children = [widgets.HTML(
                f"<p style='font-size:2em;color:#b71c1c'>{html.escape(str(err))}</p>")]

    def follow(self) -> bool:
        """Switch to the clock in use if it is another one, else show what changed on the
        one shown; True when the view changed."""
        chosen = clock_to_follow(self._clocks())
        if chosen is None:
            return False
        if (chosen.source == LIVE) != (self.live_code is not None) or (
                chosen.key != (self.live_code or self.showing)):
            self._show(chosen.source, chosen.key)
            return True
        if self.runner is None:
            return False
        if chosen.source == LIVE:
            return self.runner.adopt(self._sessions[chosen.key][2].clock) | self.show_results()
        return self.runner.look_for_presses()

    def show_results(self) -> bool:
        """Show the results of the question the facilitator put on the projector (hidden Q&A
        items left out), redrawn when something arrived; True when they changed."""
        code = self.live_code
        try:
            seen = (code, self._sessions[code][0],
                    self._live_store().latest_seq(code)) if code else None
            if seen == self._results_seen:
                return False
            shown = next((q for q in self._live_store().questions(code) if q.shown),
                         None) if code else None
            value = "" if shown is None else question_results_html(results(
                shown, self._live_store().contributions(code, self._token),
                self._live_store().hidden(code), projector=True), size="2em")
        except (NotAllowed, StoreUnavailable, KeyError):
            return False        # the next look tries again
        self._results_seen = seen
        changed = value != self.results.value
        self.results.value = value
        return changed

    def _press_live(self, action: str) -> RunnerState | None:
        try:
            return self._live_store().control(self.live_code, self._token, action).clock
        except (NotAllowed, StoreUnavailable, ValueError):
            return None     # not pressed: the page keeps following the session as it is

    def close(self) -> None:
        self._follower.stop()
        if self.runner is not None:
            self.runner.close()
        super().close()
