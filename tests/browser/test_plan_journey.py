"""One plan from the guide to the room: a facilitator preparing the protocols session follows
the guide's link to a live session for the tuning section, which runs that section's 45
minutes, and the projector's presenter view follows the live session step by step."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

from tlkit.course.module import section_plan
from tlkit.practice.protocols import load_protocol

pytestmark = pytest.mark.live

TUNING = "Running a tuning protocol"


def test_the_guide_s_live_session_runs_the_section_s_minutes_and_the_projector_follows(
        voila, new_page):
    plan = section_plan("protocols", TUNING)
    steps = load_protocol("tuning").steps
    assert plan.total == 45

    guide = new_page().page
    guide.goto(voila.url("protocols.ipynb"))
    host = _follow_to_new_tab(guide, guide.locator("a.tlkit-live-link").first)
    host.set_default_timeout(120_000)
    host.wait_for_selector(".tlkit-live-plan", state="visible")   # Voila runs the page first
    expect(host.locator(".tlkit-live-plan")).to_contain_text("planned for 45 minutes")
    host.locator("button.tlkit-live-open").click()
    expect(host.locator(".tlkit-live-code b")).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))

    projector = new_page()
    room = projector.page
    room.set_viewport_size({"width": 1920, "height": 1080})
    room.goto(voila.url("presenter.ipynb"))
    room.wait_for_selector(".tlkit-runner-step-name", state="visible")
    expect(room.locator(".tlkit-runner-step-name")).to_have_text(steps[0].name)
    expect(room.locator(".tlkit-runner-step-number")).to_contain_text(
        f"Step 1 of {len(steps)} · {plan.minutes[0]} min planned")

    host.locator("button.tlkit-live-next").click()
    expect(room.locator(".tlkit-runner-step-name")).to_have_text(steps[1].name)
    expect(room.locator(".tlkit-runner-step-number")).to_contain_text(
        f"Step 2 of {len(steps)} · {plan.minutes[1]} min planned")
    assert projector.outside_requests() == []


def _follow_to_new_tab(guide, link):
    """Click the guide's link, which opens its page in a new tab; that tab. The guide draws its
    widgets above the link after the page arrives, so on a busy machine a click can land where
    the link was a moment before: wait for the page to finish, then try again if no tab opens."""
    guide.wait_for_load_state("load")
    guide.wait_for_selector(".tlkit-runner", state="visible", timeout=120_000)
    for _ in range(3):
        try:
            with guide.context.expect_page(timeout=15_000) as opened:
                link.click()
            return opened.value
        except PlaywrightTimeout:
            continue
    pytest.fail("the guide's live-session link opened no tab in three clicks")
