"""The step of a live session as both views show it: name, prompts and time left."""

from __future__ import annotations

import html
from functools import cache
from typing import Callable

from tlkit.live import SessionState
from tlkit.practice.clock import ProtocolClock, format_seconds
from tlkit.practice.protocols import Protocol, load_protocol


@cache
def protocol(protocol_id: str) -> Protocol:
    return load_protocol(protocol_id)


def step_html(state: SessionState, now: Callable[[], float]) -> str:
    """The current step, its prompts and the time left, as escaped HTML."""
    if state.ended:
        return ("<div class='tlkit-live-step-text' style='font-size:1.4em'>"
                "<b>The session has ended.</b> Thank you for taking part.</div>")
    proto = protocol(state.protocol_id)
    clock = ProtocolClock(state.clock, now=now)
    steps = len(proto.steps)
    if clock.finished:
        head, prompts, timing = "All steps done", (), "The protocol is complete."
    else:
        step = proto.steps[state.clock.step_index]
        head = f"Step {state.clock.step_index + 1} of {steps}: {step.name}"
        prompts = step.prompts
        if clock.is_step_over:
            timing = "Time is up for this step."
        elif state.clock.running:
            timing = f"{format_seconds(clock.step_remaining())} left in this step"
        else:
            timing = (f"Paused, {format_seconds(clock.step_remaining())} left" if
                      clock.step_elapsed() else
                      f"Not started ({state.clock.step_minutes[state.clock.step_index]} min "
                      "planned)")
    items = "".join(f"<li>{html.escape(p)}</li>" for p in prompts)
    return (f"<div class='tlkit-live-step-text' style='line-height:1.4'>"
            f"<div style='font-size:1.1em'>{html.escape(proto.name)}</div>"
            f"<div class='tlkit-live-step-name' style='font-size:1.6em;font-weight:bold'>"
            f"{html.escape(head)}</div>"
            + (f"<ul style='font-size:1.1em;margin:0.3em 0'>{items}</ul>" if items else "")
            + f"<div class='tlkit-live-time' role='timer' style='font-size:1.3em;"
            f"font-variant-numeric:tabular-nums'>{html.escape(timing)}</div></div>")
