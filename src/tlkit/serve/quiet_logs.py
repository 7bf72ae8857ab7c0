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
