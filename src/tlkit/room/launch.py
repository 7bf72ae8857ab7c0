"""`tlkit facilitate --room`: the facilitator's Voila on 127.0.0.1, as ever, and the
participant app (tlkit.room.server) on this computer's network address, for the room.

Nothing else is served on the network address: the guides, the live-session page (which
holds the control token), the presenter view and the cohort page answer on 127.0.0.1 only.
The participant app runs in a process of its own, so a room full of phones never slows the
facilitator's pages, and both stop together.
"""

from __future__ import annotations

import os
import sys

from tlkit.room.network import DEFAULT_PORT, network_address, room_url
from tlkit.serve import servers as serve

ROOM_PAGE = "live-session.ipynb"


def room_command(host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "tlkit.room", "--host", host, "--port", str(port)]


def facilitate_with_room(port: int = 8866, room_port: int = DEFAULT_PORT,
                         room_host: str | None = None, open_browser: bool = True) -> int:
    host = room_host or network_address()
    if host is None:
        print("tlkit: this computer is on no network, so no one else can reach it. Join the "
              "room's Wi-Fi (or turn on this computer's hotspot), then start again.",
              file=sys.stderr)
        return 2
    if serve._any_port_refused(port):
        return 2
    problem = serve.port_problem(room_port, host)
    if problem:
        print(f"tlkit: {problem.replace('--port', '--room-port')}", file=sys.stderr)
        return 2
    root = serve.course_root()
    url = room_url(host, room_port)
    # The facilitator's pages keep their token (tlkit.serve.servers.facilitate); the room's
    # page needs none and never learns it.
    token = serve.session_token()
    env = serve.voila_env(root=root, token=token)
    env["TLKIT_ROOM_URL"] = url
    live = serve.voila_url(port, ROOM_PAGE, token)
    banner = (
        "\nFacilitator views are running on this computer only.\n"
        f"  Live session:      {live}\n"
        f"  Front page:        {serve.voila_url(port, serve.FRONT_PAGE, token)}\n"
        "The room's participant page is open to everyone on this network:\n"
        f"  Participants open: {url}\n"
        f"  Reflection thread: {url}thread/\n"
        "Only the participant pages are served there; open a session on the live-session page "
        "and read out the code. Press Ctrl-C here to stop both.\n"
    )
    return serve._launch(
        [("Voila", serve.voila_command(root / "facilitator", port), env, serve.voila_url(port)),
         ("The participant page", room_command(host, room_port),
          {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}, url)],
        cwd=root, open_url=live if open_browser else None, banner=banner)
