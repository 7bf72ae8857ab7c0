"""A live session in the room, in headless Chromium: the facilitator's live-session page on
Voila (127.0.0.1, as `tlkit facilitate --room` serves it) and three participants on the
participant app at this computer's network address, one at phone size. They join, follow a
step change, send every kind the session collects, ride out a dropped connection and a
reload; nothing reaches the facilitator's pages from the room address; axe-core finds nothing
critical or serious on the participant page."""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest
from axe_check import describe, findings, run_axe
from playwright.sync_api import expect
from support import free_port
from voila_pages import ROOT, RecordedPage, open_live_session, running_voila

from tlkit.room.network import network_address, room_url

pytestmark = pytest.mark.live

PHONE = {"width": 390, "height": 844}
XSS = "<img src=x onerror=window.hacked=1>plain words"


@pytest.fixture(scope="module")
def room(tmp_path_factory, chromium_path):
    """Voila on 127.0.0.1 told the room's address, and the participant app on the network
    address (127.0.0.1 on a machine with no network), over the same live database."""
    import os

    import sys
    sys.path.insert(0, str(ROOT / "tests" / "live"))
    from room_server import room_process

    address = network_address() or "127.0.0.1"
    port = free_port()
    url = room_url(address, port)
    tmp = tmp_path_factory.mktemp("room")
    saved = os.environ.get("TLKIT_ROOM_URL")
    os.environ["TLKIT_ROOM_URL"] = url
    try:
        with running_voila(ROOT / "facilitator", tmp, show_tracebacks=True,
                           preheat=False) as voila:
            voila.state.mkdir(parents=True, exist_ok=True)
            with room_process(f"sqlite:///{voila.state / 'live.sqlite3'}", address, port,
                              str(voila.state)):
                yield voila, url, address
    finally:
        if saved is None:
            os.environ.pop("TLKIT_ROOM_URL", None)
        else:
            os.environ["TLKIT_ROOM_URL"] = saved


def _participant(browser, url: str, viewport=None, **options) -> RecordedPage:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900},
                                  **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    return RecordedPage(page)


def _join(page, code: str, name: str = "", step: int = 1) -> None:
    page.get_by_label("Join code").fill(code.lower())
    if name:
        page.get_by_label("Your name (optional)").fill(name)
        page.get_by_label("Let the facilitator see my name").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#step-head")).to_contain_text(f"Step {step} of")


def test_a_room_joins_follows_and_sends_from_its_own_devices(room, browser, new_page):
    voila, url, address = room
    host = new_page().page
    code = open_live_session(host, voila)
    shown = host.locator(".tlkit-live-address")
    expect(shown).to_have_text(url)
    assert host.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)",
                         shown.element_handle()) >= 32
    qr = host.locator("img.tlkit-live-qr")
    expect(qr).to_be_visible()
    assert qr.get_attribute("src").startswith("data:image/svg+xml")      # made here

    # From the room's address only the participant page answers: not Voila, not its pages.
    if address != "127.0.0.1":
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"http://{address}:{voila.port}/", timeout=5)
    for path in ("voila/render/live-session.ipynb", "voila/render/cohort.ipynb"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + path, timeout=5)
        assert refused.value.code == 404

    desk = _participant(browser, url)
    phone = _participant(browser, url, PHONE, is_mobile=True, has_touch=True,
                         device_scale_factor=2)
    keys = _participant(browser, f"{url}?code={code}")
    _join(desk.page, code, "Dana")
    _join(phone.page, code)
    # By keyboard alone: the code came in the address; Tab to Join, Enter.
    expect(keys.page.get_by_label("Join code")).to_have_value(code)
    keys.page.get_by_label("Join code").focus()
    for _ in range(3):
        keys.page.keyboard.press("Tab")
    assert keys.page.evaluate("document.activeElement.textContent") == "Join"
    keys.page.keyboard.press("Enter")
    expect(keys.page.locator("#step-head")).to_contain_text("Step 1 of")
    pages = [desk.page, phone.page, keys.page]
    for page in pages:   # no way to move the session on
        for control in ("Next", "Back", "Start", "Pause", "End the session", "Export"):
            expect(page.get_by_role("button", name=control, exact=True)).to_have_count(0)
    expect(host.locator(".tlkit-live-count")).to_contain_text("Joined so far: 3")

    host.get_by_role("button", name="Next", exact=True).click()
    for page in pages:
        expect(page.locator("#step-head")).to_contain_text("Step 2 of")
    host.get_by_role("button", name="Start", exact=True).click()
    for page in pages:
        expect(page.locator("#time")).to_contain_text("left in this step")

    # Phone first: nothing runs off the right edge at 390 px, targets are large.
    p = phone.page
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for name in ("Send feedback", "Send question", "Send exit ticket", "Send scores"):
        box = p.get_by_role("button", name=name).bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]

    # Every kind, from a participant to the facilitator's page; what they wrote stays text.
    p.get_by_label("Feedback", exact=True).fill(XSS)
    p.get_by_role("button", name="Send feedback").click()
    expect(p.locator("#feedback .message")).to_have_text("Sent. Thank you.")
    expect(p.get_by_label("Feedback", exact=True)).to_have_value("")
    d = desk.page
    d.get_by_label("Cool").check()
    d.get_by_label("Feedback", exact=True).fill("cool from Dana")
    d.get_by_role("button", name="Send feedback").click()
    d.get_by_label("Question", exact=True).fill("What is a focusing question?")
    d.get_by_role("button", name="Send question").click()
    expect(d.locator("#question .message")).to_have_text("Sent. Thank you.")
    for page, level in ((d, 2), (p, 3)):
        for select in page.locator("#score-fields select").all():
            select.select_option(str(level))
        page.get_by_role("button", name="Send scores").click()
        expect(page.locator("#scores .message")).to_have_text("Sent. Thank you.")
    d.get_by_label("How useful was this session?").select_option("4")
    d.get_by_label("One thing I will try").fill("wait time")
    d.get_by_role("button", name="Send exit ticket").click()
    expect(d.locator("#exit .message")).to_have_text("Sent. Thank you.")

    feed = host.locator(".tlkit-live-feed")
    expect(feed).to_contain_text(XSS)
    expect(feed).to_contain_text("Cool feedback from Dana (participant 1): cool from Dana")
    expect(feed).to_contain_text("What is a focusing question?")
    assert feed.locator("img").count() == 0
    expect(host.locator(".tlkit-live-agreement")).to_contain_text("2 observers have sent scores")
    expect(host.locator(".tlkit-live-exits")).to_contain_text("wait time")
    assert all(page.evaluate("window.hacked") is None for page in (host, *pages))

    # A dropped connection: the send waits, then goes by itself, stored once.
    k = keys.page
    k.context.set_offline(True)
    k.get_by_label("Question", exact=True).fill("sent after the drop")
    k.get_by_role("button", name="Send question").click()
    expect(k.locator("#question .message")).to_contain_text("Not sent yet")
    expect(k.locator("#connection")).to_contain_text("connection dropped")
    k.context.set_offline(False)
    expect(k.locator("#question .message")).to_have_text("Sent. Thank you.", timeout=20_000)
    expect(feed).to_contain_text("sent after the drop")
    assert feed.inner_text().count("sent after the drop") == 1

    # A reload keeps the participant.
    p.reload()
    expect(p.locator("#banner")).to_contain_text("You are back in session")
    expect(p.locator("#banner")).to_contain_text("participant 2")
    expect(p.locator("#step-head")).to_contain_text("Step 2 of")
    expect(host.locator(".tlkit-live-count")).to_contain_text("Joined so far: 3")

    local = {"127.0.0.1", address}
    for recorded in (desk, phone, keys):
        assert [u for u in recorded.urls if urlparse(u).hostname not in local] == []

    # Questions to the room: each kind from the facilitator's page to every participant,
    # and the answers back to the facilitator and the projector.
    def ask(kind: str, prompt: str, choices: str = "") -> None:
        host.get_by_label("Kind:").select_option(label=kind)
        host.get_by_label("Question:", exact=True).fill(prompt)
        host.get_by_label("Choices, one a line (a poll):").fill(choices)
        host.get_by_role("button", name="Ask the room").click()
        for page in pages:
            expect(page.locator("#asked")).to_contain_text(prompt)

    def answer(page, prompt: str, button: str = "Send answer") -> None:
        form = page.locator("form.question", has=page.get_by_role("heading", name=prompt))
        form.get_by_role("button", name=button).click()
        expect(form.locator(".message")).to_have_text("Sent. Thank you.")

    ask("Poll", "Which step was hardest?", "Clarifying\nProbing\nFeedback")
    p.get_by_label("Probing").check()
    answer(p, "Which step was hardest?")
    ask("Word cloud", "One word for today?")
    d.get_by_label("Up to 3 words, separated by commas").fill("Useful, calm")
    answer(d, "One word for today?")
    ask("Scale 1 to 5", "I can run a tuning protocol.")
    k.get_by_label("4 Agree").check()
    answer(k, "I can run a tuning protocol.")
    ask("Q&A", "Your questions")
    p.get_by_label("Your question", exact=True).fill("How long per step?")
    answer(p, "Your questions", "Ask")
    d.get_by_label("Your question", exact=True).fill(XSS)
    answer(d, "Your questions", "Ask")
    for page in (d, k):
        vote = page.get_by_role("button", name="Vote up: How long per step?")
        vote.click()
        expect(vote).to_have_attribute("aria-pressed", "true")
    results = host.locator(".tlkit-live-questions")
    expect(results).to_contain_text("How long per step? (2 votes)")
    expect(results).to_contain_text("useful: 1")
    expect(results).to_contain_text("Average: 4.0 of 5")
    expect(results.locator("tr", has_text="Probing")).to_contain_text("1")
    assert results.locator("img").count() == 0
    host.get_by_label("Q&A item:").select_option(label=XSS[:60])
    host.get_by_role("button", name="Hide it from the room").click()
    for page in pages:
        expect(page.locator("#asked")).not_to_contain_text("plain words")
    host.get_by_label("Asked:").select_option(label="Your questions (Q&A)")
    host.get_by_role("button", name="Show it on the projector").click()
    projector = new_page().page
    projector.goto(voila.url("presenter.ipynb"))
    shown = projector.locator(".tlkit-presenter-results")
    expect(shown).to_contain_text("How long per step? (2 votes)", timeout=20_000)
    expect(shown).not_to_contain_text("plain words")

    # axe-core on the participant page, not joined and joined: nothing critical or serious.
    # (Injected past the page's own policy, which forbids any script but its own.)
    fresh = _participant(browser, url, PHONE, is_mobile=True, bypass_csp=True).page
    found = findings(run_axe(fresh))
    assert not found, "axe-core on the join form:\n" + describe(found)
    _join(fresh, code, step=2)
    found = findings(run_axe(fresh))
    assert not found, "axe-core on the joined page:\n" + describe(found)

    # The facilitator ends the session: every page says so and offers no form.
    host.get_by_role("button", name="End the session").click()
    for page in pages:
        expect(page.locator("#step-head")).to_have_text("The session has ended.")
        expect(page.locator("#question")).to_be_hidden()
