"""A logging filter for the servers' terminal: drops the lines that are noise on loopback.

Jupyter Server warns "Notebook ... is not trusted" on every render of a notebook saved without
outputs (all of the kit's), and ipykernel that a TCP kernel runs "without encryption" (on
127.0.0.1 only). A browser tab left open on a kernel that has gone (after a restart of the kit)
keeps asking for it, and each answer is logged as "404 GET /api/kernels/…"; the tab recovers by
itself once the notebook is opened again. A teacher can act on none of these, and they bury the
addresses and the real problems. The servers' config files (tlkit/content/jupyter/*/) attach
this filter to their console handler.
"""

from __future__ import annotations

import logging
import re

NOISE = ("is not trusted", "running over TCP without encryption")
# The request log's lines, and tornado's own line for the same refused request.
GONE_KERNEL = re.compile(r"^404 [A-Z]+ /api/kernels/")


class DropLoopbackNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (any(text in message for text in NOISE) or GONE_KERNEL.match(message))


# The facilitator's lab (tlkit course lab) also repeats, on every grading session: kernels
# stopped after sitting idle (expected, and harmless), a note on websocket ping settings, and
# nbgrader's formgrader saying its config cannot be shown in the browser. None needs action.
FACILITATOR_NOISE = NOISE + ("Culling '", "websocket_ping_timeout",
                             "Formgrader config is not serializable")


class DropFacilitatorLabNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (any(text in message for text in FACILITATOR_NOISE)
                    or GONE_KERNEL.match(message))
