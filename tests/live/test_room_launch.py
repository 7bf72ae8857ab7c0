"""`tlkit facilitate --room`: the facilitator's Voila stays on 127.0.0.1 and is told the
room's address; only the participant app goes on the network address; the live-session page
shows that address large, with a QR code made on the machine."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from tlkit import cli
from tlkit.live.address import join_address
from tlkit.room import launch, network
from tlkit.serve import servers as serve
from tlkit.settings import SettingError
from tlkit.widgets.live.host import join_address_html

ROOM = "http://192.168.1.20:8870/"


@pytest.fixture(autouse=True)
def no_settings(monkeypatch):
    monkeypatch.delenv("TLKIT_LIVE_JOIN_URL", raising=False)
    monkeypatch.delenv("TLKIT_ROOM_URL", raising=False)


def test_the_live_page_shows_the_rooms_address_and_a_qr_code(monkeypatch):
    monkeypatch.setenv("TLKIT_ROOM_URL", ROOM)
    monkeypatch.setenv("TLKIT_LIVE_JOIN_URL", "https://pd.example.org/voila/render/")
    address = join_address({})
    assert address.room and address.url == ROOM and not address.this_computer_only
    shown = join_address_html({})
    assert f">{ROOM}</div>" in shown and "font-size:2.8em" in shown
    assert "src='data:image/svg+xml" in shown and f"alt='A QR code of the address {ROOM}" in shown
    assert "only the participant page is served to the room" in shown
    assert "only opens on this computer" not in shown


def test_a_room_address_on_this_computer_only_is_said(monkeypatch):
    monkeypatch.setenv("TLKIT_ROOM_URL", "http://127.0.0.1:8870/")
    assert "on no network" in join_address_html({})


def test_a_room_address_that_is_no_web_address_is_refused(monkeypatch):
    monkeypatch.setenv("TLKIT_ROOM_URL", "192.168.1.20:8870")
    with pytest.raises(SettingError, match="TLKIT_ROOM_URL .* is not a web address"):
        join_address({})


def test_the_qr_code_is_made_here_and_differs_by_address():
    one, two = network.address_qr(ROOM), network.address_qr("http://10.0.0.5:8870/")
    assert one.startswith("data:image/svg+xml") and one != two


def test_the_network_address_is_one_others_can_reach():
    found = network.network_address()
    if found is not None:
        ip = ipaddress.ip_address(found)
        assert ip.version == 4 and not ip.is_loopback and not ip.is_link_local


def test_facilitate_room_serves_voila_on_loopback_and_only_the_app_on_the_network(monkeypatch):
    launched = {}
    monkeypatch.setattr(serve, "_launch", lambda servers, **kw: launched.update(
        servers=servers, **kw) or 0)
    monkeypatch.setattr(serve, "port_problem", lambda port, host=serve.HOST: None)
    assert cli.main(["facilitate", "--room", "--room-address", "192.168.1.20",
                     "--room-port", "8870", "--no-browser"]) == 0
    (voila_name, voila_cmd, voila_env, voila_probe), (name, cmd, env, probe) = launched["servers"]
    assert "--Voila.ip=127.0.0.1" in voila_cmd and voila_probe.startswith("http://127.0.0.1:")
    assert voila_env["TLKIT_ROOM_URL"] == ROOM
    assert cmd[-5:] == ["tlkit.room", "--host", "192.168.1.20", "--port", "8870"]
    assert probe == ROOM and "TLKIT_ROOM_URL" not in env
    assert "open to everyone on this network" in launched["banner"]
    assert f"Reflection thread: {ROOM}thread/" in launched["banner"]
    assert launched["open_url"] is None


def test_no_network_and_a_taken_port_are_said_plainly(monkeypatch, capsys):
    monkeypatch.setattr(network, "network_address", lambda: None)
    monkeypatch.setattr(launch, "network_address", lambda: None)
    assert launch.facilitate_with_room(open_browser=False) == 2
    assert "on no network" in capsys.readouterr().err
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        monkeypatch.setattr(serve, "_any_port_refused", lambda *ports: False)
        assert launch.facilitate_with_room(room_port=port, room_host="127.0.0.1",
                                           open_browser=False) == 2
    err = capsys.readouterr().err
    assert f"Port {port} is already in use" in err and "--room-port" in err
