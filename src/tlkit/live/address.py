"""The join page's full address, for the facilitator to read out or put on the projector.

A kernel does not know the address the browser used, with one exception: Voila starts each
page's kernel with the request's own address in VOILA_REQUEST_URL (not for a preheated
kernel, which starts before any request). So the address is, in this order:

0. TLKIT_ROOM_URL, set by `tlkit facilitate --room` for its own pages: the participant app
   (tlkit.room) on the laptop's network address, which people open on their own devices;
1. TLKIT_LIVE_JOIN_URL (tlkit.settings), the public address set by whoever runs the kit: a
   folder (the join page's name is added) or the join page itself;
2. the facilitator's own page address from Voila, with the page's name swapped for the join
   page's (the two pages sit side by side in facilitator/);
3. unknown (JupyterLab, a preheated kernel): the facilitator's page says where the join page
   is and names the setting.

On a JupyterHub (JUPYTERHUB_SERVICE_PREFIX is set in every single-user server) the
facilitator's page address is the facilitator's own server, which no one else may open: there,
unless the setting names a public join page, people join from the box in their own module
notebook, and the page says so.

An address on 127.0.0.1 or localhost only opens on the facilitator's own computer; the page
says so, since people in the room cannot type it.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

from tlkit.settings import live_join_url, room_url

JOIN_PAGE = "live-join.ipynb"
HOST_PAGE = "live-session.ipynb"


@dataclass(frozen=True)
class JoinAddress:
    url: str | None              # the join page's full address, None when it is not known
    from_setting: bool = False   # True: TLKIT_LIVE_JOIN_URL gave it
    this_computer_only: bool = False   # 127.0.0.1, localhost: others cannot open it
    on_hub: bool = False         # a JupyterHub server: people join from their own notebooks
    room: bool = False           # the participant app (tlkit.room): no kernel per person


def _this_computer_only(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _join_page_in(url: str) -> str:
    """`url` as the join page's address: a page's own address names the page; a folder gets
    the join page's name added. Query and fragment are dropped (they are the page's own)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.endswith(JOIN_PAGE):
        folder = path if path.endswith("/") else (
            path.rsplit("/", 1)[0] + "/" if path.endswith(".ipynb") else path + "/")
        path = folder + JOIN_PAGE
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def join_address(environ: Mapping[str, str] | None = None) -> JoinAddress:
    """Where participants open the join page. Raises tlkit.settings.SettingError (a sentence)
    when TLKIT_LIVE_JOIN_URL or TLKIT_ROOM_URL is set to something that is not a web
    address."""
    room = room_url()
    if room:
        return JoinAddress(room, True, _this_computer_only(room), room=True)
    configured = live_join_url()
    if configured:
        url = _join_page_in(configured)
        return JoinAddress(url, True, _this_computer_only(url))
    env = os.environ if environ is None else environ
    if env.get("JUPYTERHUB_SERVICE_PREFIX"):
        return JoinAddress(None, on_hub=True)
    request = env.get("VOILA_REQUEST_URL", "")
    if request and env.get("VOILA_PREHEAT") != "True":
        parts = urlsplit(request)
        if parts.scheme in ("http", "https") and parts.hostname and parts.path.endswith(".ipynb"):
            url = _join_page_in(request)
            return JoinAddress(url, False, _this_computer_only(url))
    return JoinAddress(None)


def host_page_for(module: str, section: str) -> str:
    """The facilitator's live page opened for a module section (a link beside the guide's
    runner), so the session runs to that section's minutes: live-session.ipynb?module=...&
    section=..."""
    return f"{HOST_PAGE}?module={quote(module, safe='')}&section={quote(section, safe='')}"


def page_section(environ: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The (module, section) the facilitator's live page was opened for, from its address in
    Voila (host_page_for's link); None when the page was opened plainly or its address is not
    known (JupyterLab, a preheated kernel)."""
    env = os.environ if environ is None else environ
    request = env.get("VOILA_REQUEST_URL", "")
    if not request or env.get("VOILA_PREHEAT") == "True":
        return None
    query = parse_qs(urlsplit(request).query)
    module, section = query.get("module", [""])[0], query.get("section", [""])[0]
    return (module.strip(), section.strip()) if module.strip() and section.strip() else None
