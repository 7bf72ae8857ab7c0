"""A logging filter for the servers' terminal: drops the warnings that are noise on loopback.

Jupyter Server warns "Notebook ... is not trusted" on every render of a notebook saved without
outputs (all of the kit's), and ipykernel that a TCP kernel runs "without encryption" (on
127.0.0.1 only). A teacher can act on neither, and they bury the ready message. The servers'
config files (tlkit/content/jupyter/*/) attach this filter to their console handler.
"""

from __future__ import annotations

import logging

NOISE = ("is not trusted", "running over TCP without encryption")


class DropLoopbackNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(text in message for text in NOISE)


# The facilitator's lab (tlkit course lab) also repeats, on every grading session: kernels
# stopped after sitting idle (expected, and harmless), a note on websocket ping settings, and
# nbgrader's formgrader saying its config cannot be shown in the browser. None needs action.
FACILITATOR_NOISE = NOISE + ("Culling '", "websocket_ping_timeout",
                             "Formgrader config is not serializable")


class DropFacilitatorLabNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(text in message for text in FACILITATOR_NOISE)
