"""The join page's address on the facilitator's page: from TLKIT_LIVE_JOIN_URL, else from the
address Voila gives the page's kernel, else where the page is and the setting to use."""

from __future__ import annotations

import pytest

from tlkit.live import LiveStore
from tlkit.live.address import JoinAddress, join_address
from tlkit.settings import SETTINGS, SettingError
from tlkit.store import JsonFileStore
from tlkit.widgets import LiveSessionHost
from tlkit.widgets.live.host import join_address_html

VOILA = {"VOILA_REQUEST_URL": "http://10.1.2.3:8866/voila/render/live-session.ipynb?x=1",
         "VOILA_PREHEAT": "False"}


@pytest.fixture(autouse=True)
def no_setting(monkeypatch):
    monkeypatch.delenv("TLKIT_LIVE_JOIN_URL", raising=False)
    monkeypatch.delenv("TLKIT_ROOM_URL", raising=False)


def test_the_address_comes_from_the_page_voila_served():
    assert join_address(VOILA) == JoinAddress("http://10.1.2.3:8866/voila/render/live-join.ipynb")
    local = join_address({**VOILA, "VOILA_REQUEST_URL":
                          "http://127.0.0.1:8866/voila/render/live-session.ipynb"})
    assert local.url == "http://127.0.0.1:8866/voila/render/live-join.ipynb"
    assert local.this_computer_only and not local.from_setting
    # A preheated kernel started before any request, JupyterLab has no address: unknown.
    assert join_address({**VOILA, "VOILA_PREHEAT": "True"}).url is None
    assert join_address({}).url is None
    assert join_address({"VOILA_REQUEST_URL": "javascript:alert(1)//x.ipynb"}).url is None


@pytest.mark.parametrize("value, url", [
    ("https://pd.example.org/voila/render/", "https://pd.example.org/voila/render/live-join.ipynb"),
    ("https://pd.example.org/voila/render", "https://pd.example.org/voila/render/live-join.ipynb"),
    ("https://pd.example.org/live/live-join.ipynb", "https://pd.example.org/live/live-join.ipynb"),
    ("http://pd.local:8866", "http://pd.local:8866/live-join.ipynb"),
])
def test_the_setting_wins_over_the_page_address(monkeypatch, value, url):
    monkeypatch.setenv("TLKIT_LIVE_JOIN_URL", value)
    assert join_address(VOILA) == JoinAddress(url, from_setting=True)
    assert "TLKIT_LIVE_JOIN_URL" in {s.variable for s in SETTINGS}


@pytest.mark.parametrize("value", ["pd.example.org/join", "ftp://pd.example.org/",
                                   "https://", "https://pd example.org/"])
def test_a_setting_that_is_not_a_web_address_gets_a_sentence(monkeypatch, value):
    monkeypatch.setenv("TLKIT_LIVE_JOIN_URL", value)
    with pytest.raises(SettingError, match="is not a web address"):
        join_address(VOILA)
    shown = join_address_html(VOILA)     # the page says so and still says where to go
    assert "is not a web address" in shown and "href='live-join.ipynb'" in shown


def test_the_facilitator_page_shows_the_full_address_large_and_selectable(monkeypatch, tmp_path):
    monkeypatch.setenv("TLKIT_LIVE_JOIN_URL", "https://pd.example.org/voila/render/?a=<b>")
    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    host = LiveSessionHost(live=live, store=JsonFileStore(tmp_path / "state"))
    assert host.open_session()
    banner = host.code_banner.value
    assert host.session.code in banner
    assert ("class='tlkit-live-address' style='font-size:2em;font-weight:bold;"
            "user-select:all") in banner
    assert ">https://pd.example.org/voila/render/live-join.ipynb</div>" in banner
    assert "only opens on this computer" not in banner
    monkeypatch.delenv("TLKIT_LIVE_JOIN_URL")
    assert "only opens on this computer" in join_address_html(
        {"VOILA_REQUEST_URL": "http://localhost:8866/voila/render/live-session.ipynb"})
    unknown = join_address_html({})
    assert "next to this page" in unknown and "set TLKIT_LIVE_JOIN_URL" in unknown
    assert "tlkit-live-address" not in unknown
    # On a hub the facilitator's own server is not an address anyone else may open.
    hub = {**VOILA, "JUPYTERHUB_SERVICE_PREFIX": "/user/facilitator/"}
    assert join_address(hub) == JoinAddress(None, on_hub=True)
    on_hub = join_address_html(hub)
    assert "join box" in on_hub and "10.1.2.3" not in on_hub and "tlkit-live-address" not in on_hub
