"""Download links carry their file inside (a data: URI), built in one place
(tlkit.widgets.common.download_link)."""

from __future__ import annotations

import base64
import re

from tlkit.widgets.common import download_link


def _payload(link: str) -> bytes:
    return base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)'", link).group(1))


def test_text_travels_as_utf8_and_the_names_are_escaped():
    link = download_link("Ana's plan: café", "plan 'a'.html", "text/html", "Download <mine>",
                         css_class="tlkit-plan", style="font-size:1.2em")
    assert link.startswith("<a class='tlkit-plan' style='font-size:1.2em' ")
    assert "download='plan &#x27;a&#x27;.html'" in link
    assert "href='data:text/html;charset=utf-8;base64," in link
    assert link.endswith(">Download &lt;mine&gt;</a>")
    assert _payload(link).decode("utf-8") == "Ana's plan: café"


def test_bytes_travel_as_they_are():
    png = bytes(range(256))
    link = download_link(png, "chart.png", "image/png", "Download the chart")
    assert "href='data:image/png;base64," in link and _payload(link) == png


def test_no_widget_builds_its_own_data_link(root):
    own = [str(p.relative_to(root)) for p in (root / "widgets").rglob("*.py")
           if p.name != "common.py" and "base64" in p.read_text(encoding="utf-8")]
    assert not own, f"{own} build data: links themselves; use common.download_link"
