"""`tlkit facilitate --room` run as a facilitator runs it: on the network address only the
participant page answers; Voila, the live-session page and the cohort page stay on
127.0.0.1; both stop together."""

from __future__ import annotations

import urllib.error
import urllib.request

import psutil
import pytest
from kit_processes import fetch
from support import free_port

from tlkit.room.network import network_address

FACILITATOR_PAGES = ("", "voila/render/live-session.ipynb", "voila/render/cohort.ipynb",
                     "voila/render/presenter.ipynb", "voila/render/index.ipynb", "api/kernels",
                     "voila/tree")


def test_facilitate_room_serves_only_the_participant_page_to_the_network(run_tlkit, kit_env,
                                                                         tmp_path):
    # On a machine with no network, a second loopback address stands in for the room's: it
    # is still an address Voila does not listen on.
    address = network_address() or "127.0.0.2"
    port, room_port = free_port(), free_port()
    env = dict(kit_env, TLKIT_STATE_DIR=str(tmp_path / "state"))
    running = run_tlkit(["facilitate", "--room", "--no-browser", "--port", str(port),
                         "--room-port", str(room_port), "--room-address", address], env)
    room = f"http://{address}:{room_port}/"
    running.wait_until_ok(room)
    printed = running.wait_for_output("Participants open")
    assert room in printed and f"http://127.0.0.1:{port}/voila/render/live-session.ipynb" in printed
    running.record_descendants()

    # Every port the kit listens on: Voila (and its kernels) on 127.0.0.1 only, and on the
    # network address nothing but the participant page.
    listening = set()
    for process in running.seen.values():
        try:
            listening |= {(c.laddr.ip, c.laddr.port) for c in
                          process.net_connections(kind="inet") if c.status == psutil.CONN_LISTEN}
        except psutil.Error:
            pass
    assert {ip for ip, _ in listening} <= {"127.0.0.1", address}
    assert {(ip, p) for ip, p in listening if ip == address} == {(address, room_port)}

    for path in FACILITATOR_PAGES:
        with pytest.raises(urllib.error.URLError):      # nothing listens there
            urllib.request.urlopen(f"http://{address}:{port}/{path}", timeout=5)
        if path:
            assert fetch(room + path)[0] == 404, path
    status, page = fetch(room)
    assert status == 200 and "Join the live session" in page
    assert fetch(f"http://127.0.0.1:{port}/")[0] == 200      # the facilitator's, as ever
    assert running.stop() == []
