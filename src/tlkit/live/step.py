"""The step of a live session in words: the protocol, the step, its prompts and the time
left. Every view of a session (the facilitator's and participant's widgets, the room's
participant app) says the same thing, so it is worked out once, here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

from tlkit.live.store import SessionState
from tlkit.practice.clock import ProtocolClock, format_seconds
from tlkit.practice.protocols import Protocol, load_protocol



@cache
def protocol(protocol_id: str) -> Protocol:
    return load_protocol(protocol_id)


@dataclass(frozen=True)
class StepView:
    protocol: str                 # the protocol's name
    head: str                     # "Step 2 of 5: Clarifying questions", or "All steps done"
    prompts: tuple[str, ...]
    timing: str                   # the time left, in words
    remaining: float | None       # seconds left in the step while the clock runs, else None
    ended: bool = False


def step_view(state: SessionState, now: Callable[[], float]) -> StepView:
    if state.ended:
        return StepView("", "The session has ended.", (), "Thank you for taking part.", None,
                        ended=True)
    proto = protocol(state.protocol_id)
    clock = ProtocolClock(state.clock, now=now)
    if clock.finished:
        return StepView(proto.name, "All steps done", (), "The protocol is complete.", None)
    step = proto.steps[state.clock.step_index]
    remaining = None
    head = f"Step {state.clock.step_index + 1} of {len(proto.steps)}: {step.name}"
    if clock.is_step_over:
        timing = "Time is up for this step."
    elif state.clock.running:
        remaining = clock.step_remaining()
        timing = f"{format_seconds(remaining)} left in this step"
    else:
        timing = (f"Paused, {format_seconds(clock.step_remaining())} left" if
                  clock.step_elapsed() else
                  f"Not started ({state.clock.step_minutes[state.clock.step_index]} min "
                  "planned)")
    return StepView(proto.name, head, tuple(step.prompts), timing, remaining)
