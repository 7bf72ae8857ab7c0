"""A live session end to end in headless Chromium on Voila: one facilitator page and two
participant pages, all sharing the SQLite file in the server's state folder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect
from voila_pages import open_live_session

from tlkit.practice.observation import load_episode, load_rubric

pytestmark = pytest.mark.live

JOIN = "live-join.ipynb"
# The participant page's boxes whose right edge passes 390 px, with what decides their width.
OVERFLOWING = """[...document.querySelectorAll(
    '.tlkit-live-join input, .tlkit-live-join select, .tlkit-live-join textarea')]
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > 390; })
  .map(e => ({html: e.outerHTML.slice(0, 200), right: e.getBoundingClientRect().right,
              width: getComputedStyle(e).width, parent: e.parentElement.getBoundingClientRect().width,
              parentStyle: e.parentElement.getAttribute('style')}))"""
RUBRIC = load_rubric(load_episode("voting-age-discussion").rubric_id)


def test_participants_follow_the_facilitator_and_scores_reach_the_figures(voila, new_page):
    host_recorded = new_page()
    host = host_recorded.page
    code = open_live_session(host, voila)
    # The join page's full address, as Voila served this page, large enough to read out; on
    # 127.0.0.1 the page warns that only this computer can open it.
    address = host.locator(".tlkit-live-address")
    expect(address).to_have_text(re.compile(r"^http://127\.0\.0\.1:\d+/.*live-join\.ipynb$"))
    join_url = address.inner_text()
    assert join_url == voila.url(JOIN, token=False)
    assert voila.token not in host.locator("body").inner_text()
    assert host.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)",
                         address.element_handle()) >= 24
    expect(host.locator(".tlkit-live-host")).to_contain_text(
        "only opens on this computer")

    people = []
    for number, level in ((1, 2), (2, 3)):
        recorded = new_page()
        page = recorded.page
        # Participants type what the facilitator's page shows; on this computer, in a browser
        # that has the kit's token (the page never shows it: it opens every facilitator view).
        page.goto(voila.with_token(join_url))
        page.locator(".tlkit-live-code-box input").fill(code.lower())
        page.get_by_role("button", name="Join").click()
        expect(page.locator(".tlkit-live-step-name")).to_contain_text("Step 1 of")
        # A participant's page has no way to move the session on.
        for control in ("Next", "Back", "Start", "Pause"):
            expect(page.get_by_role("button", name=control, exact=True)).to_have_count(0)
        people.append((recorded, level))

    # At phone width (390 px) nothing on a participant's page runs off the right edge.
    phone = people[0][0].page
    phone.set_viewport_size({"width": 390, "height": 844})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The widgets lay themselves out again after a resize, as on a phone turned sideways and
    # back: wait up to ten seconds for every box to fit, then name any box that still does not.
    try:
        phone.wait_for_function(f"() => {OVERFLOWING}.length === 0", timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail(f"boxes run off a 390 px screen: {phone.evaluate(OVERFLOWING)}")
    phone.set_viewport_size({"width": 1280, "height": 900})

    host.get_by_role("button", name="Next", exact=True).click()
    for recorded, _ in people:
        expect(recorded.page.locator(".tlkit-live-step-name")).to_contain_text(
            "Step 2 of")

    for recorded, level in people:
        page = recorded.page
        for look_for in RUBRIC.look_for_ids:
            page.locator(f".tlkit-live-score-{look_for} select").select_option(index=level)
        page.get_by_role("button", name="Send scores").click()
        expect(page.locator(".tlkit-live-message")).to_contain_text("Sent")
    agreement = host.locator(".tlkit-live-agreement")
    expect(agreement).to_contain_text("2 observers have sent scores")
    expect(agreement).to_contain_text("exact agreement 0%")

    first = people[0][0].page
    first.get_by_label("Feedback:").fill("<script>window.hacked=1</script>warm note")
    first.get_by_role("button", name="Send feedback").click()
    feed = host.locator(".tlkit-live-feed")
    expect(feed).to_contain_text("<script>window.hacked=1</script>warm note")
    assert feed.locator("script").count() == 0
    assert host.evaluate("window.hacked") is None

    # Nothing a participant did moved the session: the facilitator still shows step 2.
    expect(host.locator(".tlkit-live-step-name")).to_contain_text("Step 2 of")
    for recorded in [host_recorded] + [r for r, _ in people]:
        assert recorded.outside_requests() == []
