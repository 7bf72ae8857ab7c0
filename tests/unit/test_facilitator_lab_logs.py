"""`tlkit course lab` shows the address and real problems, not routine notes repeated."""

from __future__ import annotations

import json
import logging

from tlkit.serve.quiet_logs import DropFacilitatorLabNoise
from tlkit.serve.servers import FACILITATOR_CONFIG


def _record(message: str, level=logging.WARNING) -> logging.LogRecord:
    return logging.LogRecord("ServerApp", level, __file__, 1, message, None, None)


def test_routine_notes_are_dropped_and_real_problems_kept():
    keep = DropFacilitatorLabNoise().filter
    for noise in ("Culling 'idle' kernel 'python3' (abc) with 0 connections due to 600 "
                  "seconds of inactivity.", "websocket_ping_timeout is larger than the interval",
                  "Formgrader config is not serializable"):
        assert not keep(_record(noise)), noise
    assert keep(_record("Kernel died unexpectedly", logging.ERROR))
    assert keep(_record("Permission denied: gradebook.db", logging.ERROR))


def test_the_facilitator_lab_config_uses_that_filter():
    config = json.loads((FACILITATOR_CONFIG / "jupyter_server_config.json").read_text("utf-8"))
    filters = config["ServerApp"]["logging_config"]["filters"]
    assert filters["tlkit_noise"]["()"] == "tlkit.serve.quiet_logs.DropFacilitatorLabNoise"
