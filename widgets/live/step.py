"""The step of a live session as both views show it: name, prompts and time left."""

from __future__ import annotations

import html
from typing import Callable

from tlkit.live import SessionState
from tlkit.live.step import protocol, step_view

__all__ = ["protocol", "step_html"]


def step_html(state: SessionState, now: Callable[[], float]) -> str:
    """The current step, its prompts and the time left, as escaped HTML."""
    view = step_view(state, now)
    if view.ended:
        return ("<div class='tlkit-live-step-text' style='font-size:1.4em'>"
                "<b>The session has ended.</b> Thank you for taking part.</div>")
    items = "".join(f"<li>{html.escape(p)}</li>" for p in view.prompts)
    return (f"<div class='tlkit-live-step-text' style='line-height:1.4'>"
            f"<div style='font-size:1.1em'>{html.escape(view.protocol)}</div>"
            f"<div class='tlkit-live-step-name' style='font-size:1.6em;font-weight:bold'>"
            f"{html.escape(view.head)}</div>"
            + (f"<ul style='font-size:1.1em;margin:0.3em 0'>{items}</ul>" if items else "")
            + f"<div class='tlkit-live-time' role='timer' style='font-size:1.3em;"
            f"font-variant-numeric:tabular-nums'>{html.escape(view.timing)}</div></div>")
