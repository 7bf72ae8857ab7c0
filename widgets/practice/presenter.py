"""ProtocolPresenter: the projector's page of the protocol runner (facilitator/presenter.ipynb).

The facilitator drives the clock from the guide on a laptop; the projector shows this page in
another window. Both read and write the same saved runner state ("runner-<protocol id>"), so a
press on either page shows on the other within a second. The page shows the protocol whose
clock was pressed last, and switches when the facilitator starts another one.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import Iterable
from typing import Callable

import ipywidgets as widgets

from tlkit.practice.protocols import list_protocols
from tlkit.store import state_path
from tlkit.widgets.practice.protocol_runner import FOLLOW_SECONDS, ProtocolRunner


def last_pressed(protocol_ids: Iterable[str]) -> str | None:
    """The protocol whose runner state was saved most recently, or None if none was."""
    newest: tuple[int, str] | None = None
    for protocol_id in protocol_ids:
        try:
            saved_at = state_path(f"runner-{protocol_id}").stat().st_mtime_ns
        except OSError:
            continue
        if newest is None or saved_at > newest[0]:
            newest = (saved_at, protocol_id)
    return newest[1] if newest else None


class ProtocolPresenter(widgets.VBox):
    """The runner in presenter mode, following the guide. `default`: the protocol shown
    before any clock has been pressed."""

    def __init__(self, default: str = "tuning", *, now: Callable[[], float] = time.time,
                 **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-presenter")
        self.layout.width = "100%"
        self._now = now
        self._ids = list_protocols()
        self.runner: ProtocolRunner | None = None
        self.showing: str | None = None
        self.show(last_pressed(self._ids) or default)
        self._watcher: asyncio.Task | None = None
        try:
            self._watcher = asyncio.get_running_loop().create_task(self._watch())
        except RuntimeError:
            pass  # no event loop (unit tests): call follow() to switch

    def show(self, protocol_id: str) -> None:
        if self.runner is not None:
            self.runner.close()
            self.runner = None
        self.showing = protocol_id
        try:
            self.runner = ProtocolRunner(protocol_id, presenter=True, now=self._now)
            self.children = [self.runner]
        except ValueError as err:  # a protocol file the kit cannot read: say so, plainly
            self.children = [widgets.HTML(
                f"<p style='font-size:2em;color:#b71c1c'>{html.escape(str(err))}</p>")]

    def follow(self) -> bool:
        """Switch to the protocol pressed last, if it is another one; True when switched."""
        latest = last_pressed(self._ids)
        if latest is None or latest == self.showing:
            return False
        self.show(latest)
        return True

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(FOLLOW_SECONDS)
            self.follow()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        if self.runner is not None:
            self.runner.close()
        super().close()
