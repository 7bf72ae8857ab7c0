"""What every test layer shares: the checkout's root and a free port on 127.0.0.1.

The test folders are on sys.path (pytest's default import mode), so a test imports these as
`from support import ROOT, free_port`.
"""

from __future__ import annotations

import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port nothing listens on now, on the loopback address the kit's servers use."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
