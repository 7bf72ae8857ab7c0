"""The facilitators' front page in headless Chromium: one load checks the course map, the
guide links and a schedule that follows the chosen design, then the links to the live-session,
join, cohort and presenter pages, one of them followed."""

from __future__ import annotations

import pytest
from voila_pages import ROOT, RecordedPage

from tlkit.course.course_map import course_map


@pytest.fixture(scope="module")
def front(voila, browser):
    """The front page, loaded once for both tests (the second leaves it for another page)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorded = RecordedPage(context.new_page())
    recorded.page.set_default_timeout(120_000)
    recorded.page.goto(voila.url("index.ipynb"))
    recorded.page.locator(".tlkit-course-map-table").wait_for(state="visible")
    yield recorded
    context.close()


def test_front_page_shows_the_map_links_the_guides_and_reschedules(front):
    recorded = front
    page = recorded.page
    table = page.locator(".tlkit-course-map-table")
    rows = course_map(ROOT)
    text = table.inner_text()
    for row in rows:
        assert row.title in text
    for row in rows:
        if row.guide:
            link = page.get_by_role("link", name=f"Guide for {row.title}")
            assert link.get_attribute("href") == row.guide

    schedule = page.locator(".tlkit-schedule-table caption")
    schedule.wait_for(state="visible")
    assert "Two hours every other week" in schedule.inner_text()
    # From the keyboard: the design list has its accessible name.
    design = page.get_by_label("Session design:")
    design.focus()
    design.select_option(label="Three hours once a month")
    page.locator(".tlkit-schedule-table caption", has_text="Three hours once a month").wait_for()
    assert "observe and coach" in page.locator(".tlkit-schedule-between").inner_text()
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "CourseMapView(" not in body
    assert recorded.outside_requests() == []


def test_front_page_links_the_live_session_join_and_cohort_pages(voila, front):
    recorded = front
    page = recorded.page
    for name, href in (("Live session", "live-session.ipynb"), ("Join page", "live-join.ipynb"),
                       ("Cohort progress", "cohort.ipynb"),
                       ("Presenter view", "presenter.ipynb")):
        assert page.get_by_role("link", name=name, exact=True).get_attribute("href") == href

    # Followed from the front page (no token in the link: the first visit signed in), the
    # live-session page says what it is and what to do before any session is open.
    page.get_by_role("link", name="Live session", exact=True).click()
    page.wait_for_url("**/live-session.ipynb")
    heading = page.get_by_role("heading", name="Live session", level=1)
    heading.wait_for()
    steps = page.locator(".jp-MarkdownCell ol li")
    assert steps.count() >= 3
    assert "Open a live session" in steps.first.inner_text()
    page.get_by_role("button", name="Open a live session").wait_for()
    assert page.locator(".tlkit-live-code").count() == 0   # nothing opened by reading
    # The heading and the instructions come before the controls.
    assert heading.evaluate("(h, b) => !!(h.compareDocumentPosition(b) & 4)",
                            page.get_by_role("button", name="Open a live session")
                            .element_handle())

    page.goto(voila.url("live-join.ipynb", token=False))
    page.get_by_role("heading", name="Join a live session", level=1).wait_for()
    page.get_by_label("Join code:").wait_for()
    assert "Traceback" not in page.locator("body").inner_text()
    assert recorded.outside_requests() == []
