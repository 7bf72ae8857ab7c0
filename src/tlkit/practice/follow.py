"""Following a clock that another page moves: one polling loop for every view that follows.

The guide's runner, the presenter view and both live-session views pick up what another page
changed by asking the saved state (a file, a database row) every FOLLOW_SECONDS; they all
use Follower, so they all react equally fast and a page runs one loop, not one per widget.

The presenter follows whichever clock is in use (clock_to_follow): a running clock before a
stopped one, then the one changed last, whether it is the guide's runner or a live session.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Callable, Iterable

FOLLOW_SECONDS = 0.5    # fast enough that a press shows on the other page within a second
# The facilitator's live page looks twice as often for what the group sends: there is one such
# page per session (not one per participant), and a contribution then shows within half a
# second of being sent, even from a full room.
HOST_FOLLOW_SECONDS = 0.25


class Follower:
    """Calls `look` every FOLLOW_SECONDS on the kernel's event loop until stopped.

    Without a running loop (plain Python, unit tests) nothing is scheduled: call look()
    yourself. An error in one look (a database hiccup, a file half written) is skipped and the
    next look tries again, so a page never stops following.
    """

    def __init__(self, look: Callable[[], object], seconds: float = FOLLOW_SECONDS):
        self._look = look
        self._seconds = seconds
        self._task: asyncio.Task | None = None
        try:
            self._task = asyncio.get_running_loop().create_task(self._run())
        except RuntimeError:
            pass

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._seconds)
            try:
                self._look()
            except Exception:  # noqa: BLE001 - the next look tries again
                pass

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None


@dataclass(frozen=True)
class ClockSeen:
    """One clock the presenter could show. source: "runner" (the guide's runner, by protocol
    id) or "live" (a live session, by join code); changed_at: when it last changed, in seconds
    since the epoch (0 when not known)."""

    source: str
    key: str
    running: bool
    changed_at: float


def clock_to_follow(clocks: Iterable[ClockSeen]) -> ClockSeen | None:
    """The clock the room should see: a running one before a stopped one (the group is working
    to it), then the one changed last; None when there is none."""
    return max(clocks, key=lambda c: (c.running, c.changed_at), default=None)
