"""The protocol clock: where a group is in a protocol and how much time is left.

The clock keeps timestamps, not a ticking counter: remaining time is worked out from a time
source whenever it is asked for. So a page reload, a kernel restart or a second view opened
on another screen all show the same time from the same saved state, and a missed tick never
makes the clock drift.

Decisions (the facilitator's buttons):
- next() moves to the following step and starts it at zero; a running clock keeps running,
  a paused clock stays paused. Next on the last step ends the protocol (`finished`).
- back() returns to the previous step and restarts it at zero (time already spent there is
  not restored); running or paused is kept. On the first step it does nothing.
- total_remaining() is the planned minutes of the current and later steps minus the time spent
  in the current step, so overtime in one step eats into the time for the rest.
- A clock saved as running more than 12 hours ago was left behind, not paused: it comes back
  paused at the end of its step (paused_if_stale) rather than days into overtime.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Callable


@dataclass
class RunnerState:
    """Everything needed to rebuild a clock; nothing derived is stored.

    started_at is the wall-clock time (seconds since the epoch) when the clock last started
    running in this step; step_elapsed_before holds the seconds spent in this step before that.
    step_index == len(step_minutes) means the protocol is finished.
    """

    protocol_id: str
    step_minutes: list[int]
    step_index: int = 0
    running: bool = False
    started_at: float | None = None
    step_elapsed_before: float = 0.0

    def __post_init__(self) -> None:
        _validate(asdict(self))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> RunnerState:
        """Rebuild a saved state; a corrupt or foreign dict raises ValueError saying what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"A saved protocol clock must be a JSON object, not {type(data).__name__}.")
        names = {f.name for f in fields(cls)}
        missing = sorted(names - data.keys())
        unknown = sorted(data.keys() - names)
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unexpected {', '.join(map(str, unknown))}")
            raise ValueError(
                f"The saved protocol clock is not in the expected shape ({'; '.join(problems)}). "
                "It may have been saved by something else; start the clock fresh."
            )
        _validate(data)
        return cls(
            protocol_id=data["protocol_id"],
            step_minutes=list(data["step_minutes"]),
            step_index=data["step_index"],
            running=data["running"],
            started_at=None if data["started_at"] is None else float(data["started_at"]),
            step_elapsed_before=float(data["step_elapsed_before"]),
        )


def _is_number(value: Any) -> bool:
    # bool is a subclass of int in Python; a saved `true` is never a valid count or time.
    # Python's json reads NaN and Infinity, which would poison every reading: refuse them.
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


def _validate(data: dict[str, Any]) -> None:
    def bad(field_name: str, problem: str) -> ValueError:
        return ValueError(
            f"The saved protocol clock has a bad '{field_name}': {problem}. Start the clock fresh."
        )

    if not isinstance(data["protocol_id"], str) or not data["protocol_id"]:
        raise bad("protocol_id", "it should be a protocol id such as 'tuning'")
    minutes = data["step_minutes"]
    if (not isinstance(minutes, list) or not minutes
            or not all(isinstance(m, int) and not isinstance(m, bool) and m >= 0 for m in minutes)):
        raise bad("step_minutes", f"it should be a non-empty list of whole minutes, got {minutes!r}")
    index = data["step_index"]
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index <= len(minutes):
        raise bad("step_index", f"it should be a step number from 0 to {len(minutes)}, got {index!r}")
    if not isinstance(data["running"], bool):
        raise bad("running", f"it should be true or false, got {data['running']!r}")
    started = data["started_at"]
    if started is not None and not _is_number(started):
        raise bad("started_at", f"it should be a time stamp or null, got {started!r}")
    if data["running"] and started is None:
        raise bad("started_at", "the clock is marked running but has no start time")
    elapsed = data["step_elapsed_before"]
    if not _is_number(elapsed) or elapsed < 0:
        raise bad("step_elapsed_before", f"it should be seconds (0 or more), got {elapsed!r}")


STALE_AFTER_SECONDS = 12 * 60 * 60


def paused_if_stale(state: RunnerState, now: float) -> RunnerState | None:
    """A copy of a running state started more than 12 hours ago, paused at the end of its step
    (or at the time already spent there, if that was more); None when the state can resume
    as saved.

    No session lasts 12 hours, so such a clock was left running when the group went home;
    resuming it would show days of overtime.
    """
    if not state.running or state.started_at is None \
            or now - state.started_at <= STALE_AFTER_SECONDS:
        return None
    planned = state.step_minutes[state.step_index] * 60.0
    return RunnerState(state.protocol_id, list(state.step_minutes), state.step_index,
                       running=False, started_at=None,
                       step_elapsed_before=max(state.step_elapsed_before, planned))


def format_seconds(seconds: float, *, round_up: bool = True) -> str:
    """mm:ss; a countdown rounds up so it reads 05:00 at the start and 00:00 only at the end."""
    whole = math.ceil(seconds) if round_up else math.floor(seconds)
    whole = max(0, int(whole))
    return f"{whole // 60:02d}:{whole % 60:02d}"


@dataclass
class ProtocolClock:
    """Buttons and readings over a RunnerState. `now` is injectable so tests control time."""

    state: RunnerState
    now: Callable[[], float] = field(default=time.time)

    @classmethod
    def fresh(cls, protocol_id: str, step_minutes: list[int],
              now: Callable[[], float] = time.time) -> ProtocolClock:
        return cls(RunnerState(protocol_id, list(step_minutes)), now)

    # -- readings ---------------------------------------------------------------------------

    @property
    def step_count(self) -> int:
        return len(self.state.step_minutes)

    @property
    def finished(self) -> bool:
        return self.state.step_index >= self.step_count

    def step_elapsed(self) -> float:
        """Seconds spent in the current step."""
        s = self.state
        if s.running and s.started_at is not None:
            # max(): a clock read on a machine whose time is slightly behind never counts back.
            return s.step_elapsed_before + max(0.0, self.now() - s.started_at)
        return s.step_elapsed_before

    def step_planned(self) -> float:
        """Seconds planned for the current step (0 once finished)."""
        return 0.0 if self.finished else self.state.step_minutes[self.state.step_index] * 60.0

    def step_remaining(self) -> float:
        return max(0.0, self.step_planned() - self.step_elapsed())

    def step_overtime(self) -> float:
        """Seconds past the end of the current step (0 while time is left)."""
        if self.finished:
            return 0.0
        return max(0.0, self.step_elapsed() - self.step_planned())

    @property
    def is_step_over(self) -> bool:
        return not self.finished and self.step_elapsed() >= self.step_planned()

    def total_remaining(self) -> float:
        planned = sum(self.state.step_minutes[self.state.step_index:]) * 60.0
        return max(0.0, planned - self.step_elapsed())

    # -- buttons ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start or resume the current step. Does nothing if running or finished."""
        if self.state.running or self.finished:
            return
        self.state.running = True
        self.state.started_at = self.now()

    def pause(self) -> None:
        if not self.state.running:
            return
        self.state.step_elapsed_before = self.step_elapsed()
        self.state.running = False
        self.state.started_at = None

    def next(self) -> None:
        if self.finished:
            return
        self._go_to(self.state.step_index + 1)

    def back(self) -> None:
        if self.state.step_index == 0:
            return
        self._go_to(self.state.step_index - 1)

    def reset(self) -> None:
        """Back to the first step, paused, at zero."""
        self.state.running = False
        self._go_to(0)

    def replan(self, step_minutes: list[int]) -> None:
        """Use new planned minutes (e.g. after fitting the protocol to a slot); time spent stays."""
        if len(step_minutes) != self.step_count:
            raise ValueError(
                f"The new plan has {len(step_minutes)} steps but this protocol has "
                f"{self.step_count}; give one number of minutes per step."
            )
        candidate = self.state.to_dict() | {"step_minutes": list(step_minutes)}
        _validate(candidate)
        self.state.step_minutes = list(step_minutes)

    def _go_to(self, index: int) -> None:
        s = self.state
        s.step_index = index
        s.step_elapsed_before = 0.0
        if self.finished:
            s.running = False
        s.started_at = self.now() if s.running else None
