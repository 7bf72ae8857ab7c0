"""Protocol handouts: complete, self-contained, printable HTML with the right minutes."""

from __future__ import annotations

import dataclasses
import re
from html import escape
from html.parser import HTMLParser

import pytest

from tlkit.printables.handouts import protocol_handout
from tlkit.practice.protocols import load_all, load_protocol, who_listens, who_speaks
from tlkit.practice.rescale import RescaleError


class _Cells(HTMLParser):
    """Text of each <td> by its class, and every src/href/url in the page."""

    def __init__(self):
        super().__init__()
        self.cells: dict[str, list[str]] = {}
        self.links: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.links += [v for k, v in attrs.items() if k in ("src", "href") and v]
        if tag == "td":
            self._open = (attrs.get("class") or "").split()
            for name in self._open:
                self.cells.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self._open = None

    def handle_data(self, data):
        for name in self._open or ():
            self.cells[name][-1] += data


def _parse(page: str) -> _Cells:
    parser = _Cells()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("protocol", load_all(), ids=lambda p: p.id)
def test_handout_lists_every_step_with_suggested_minutes(protocol):
    page = protocol_handout(protocol)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for step in protocol.steps:
        assert f"<strong>{step.name}</strong>" in page
    minutes = [int(c) for c in _parse(page).cells["tlkit-handout-minutes"]]
    assert minutes == [s.suggested_minutes for s in protocol.steps]
    assert f"Suggested time: {protocol.total_minutes} minutes" in page


def test_handout_uses_rescaled_minutes_and_start_times():
    tuning = load_protocol("tuning")
    page = protocol_handout(tuning, slot_minutes=45)
    cells = _parse(page).cells
    # Worked by hand: 45/60 of (5, 15, 5, 3, 12, 10, 10) puts step 3 below its minimum of 4,
    # so it is held there and the other steps share the remaining 41 minutes.
    assert tuple(int(c) for c in cells["tlkit-handout-minutes"]) == (4, 11, 4, 2, 9, 8, 7)
    # Start times are running totals, shown as H:MM.
    assert cells["tlkit-handout-start"] == ["0:00", "0:04", "0:15", "0:19", "0:21", "0:30",
                                            "0:38"]
    assert "Timed for a 45-minute slot (suggested: 60 minutes)" in page


def test_handout_shows_roles_norms_group_size_who_and_credit():
    protocol = load_protocol("consultancy")
    page = protocol_handout(protocol)
    low, high = protocol.group_size
    assert f"Group: {low} to {high} people" in page
    for text in [*protocol.norms, protocol.originators, protocol.source_note]:
        assert escape(text) in page
    for role in protocol.roles:
        assert escape(role.name) in page and escape(role.description) in page
    for step in protocol.steps:
        assert escape(step.prompts[0]) in page
    cells = _parse(page).cells
    assert cells["tlkit-handout-speakers"] == [who_speaks(protocol, s) for s in protocol.steps]
    assert cells["tlkit-handout-listeners"] == [who_listens(protocol, s) for s in protocol.steps]
    # The discussion step: consultants talk while the presenter listens.
    discussion = [s.name for s in protocol.steps].index("Group discussion")
    assert cells["tlkit-handout-speakers"][discussion] == "Consultants"
    assert cells["tlkit-handout-listeners"][discussion] == "Presenter"


def test_handout_needs_nothing_from_outside():
    for protocol in load_all():
        page = protocol_handout(protocol, slot_minutes=protocol.total_minutes + 15)
        assert _parse(page).links == []
        assert not re.search(r"url\(|@import|<script|<link|<img", page, re.IGNORECASE)
        assert "http" not in page.lower()


def test_handout_is_set_up_for_one_printed_page():
    page = protocol_handout("tuning")
    assert "@page" in page and "@media print" in page
    assert "break-inside: avoid" in page


def test_handout_escapes_all_text():
    base = load_protocol("tuning")
    step = dataclasses.replace(base.steps[0], name="Intro <b>now</b>",
                               prompts=("Is 3 < 5 & 'true'?",))
    tricky = dataclasses.replace(base, name="<script>alert(1)</script>", steps=(step,),
                                 originators="Smith & Jones <i>")
    page = protocol_handout(tricky)
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>now</b>" not in page and "Intro &lt;b&gt;now&lt;/b&gt;" in page
    assert "Is 3 &lt; 5 &amp; &#x27;true&#x27;?" in page
    assert "Smith &amp; Jones &lt;i&gt;" in page


def test_handout_accepts_an_id_and_refuses_a_slot_too_short():
    assert protocol_handout("tuning") == protocol_handout(load_protocol("tuning"))
    with pytest.raises(RescaleError, match="Choose a slot of"):
        protocol_handout("tuning", slot_minutes=10)
