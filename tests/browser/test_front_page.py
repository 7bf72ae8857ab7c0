"""The facilitators' front page in headless Chromium: one load checks the course map, the
guide links and a schedule that follows the chosen design."""

from __future__ import annotations

from voila_pages import ROOT

from tlkit.course.course_map import course_map


def test_front_page_shows_the_map_links_the_guides_and_reschedules(voila, new_page):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url("index.ipynb"))
    table = page.locator(".tlkit-course-map-table")
    table.wait_for(state="visible", timeout=120_000)
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
