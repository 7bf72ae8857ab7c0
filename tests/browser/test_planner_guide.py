"""The designing-learning guide in headless Chromium: the year planner renders its calendar
chart and summary, a changed input changes them, and nothing is fetched from outside. One page
load carries every check (a render costs seconds)."""

from __future__ import annotations

import pytest

GUIDE = "designing-learning.ipynb"
SUMMARY = ".tlkit-plan-summary-view"


@pytest.fixture(scope="module")
def planner_page(voila, browser):
    from voila_pages import RecordedPage

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    recorded = RecordedPage(page)
    page.goto(voila.url(GUIDE))
    page.wait_for_selector(".tlkit-year-planner", state="visible")
    yield recorded
    context.close()


def test_the_planner_renders_and_follows_a_changed_input(planner_page):
    page = planner_page.page
    summary = page.locator(SUMMARY)
    summary.locator("text=Contact hours per teacher: 48.5").wait_for()
    chart = page.locator(".tlkit-plan-chart img")
    assert chart.get_attribute("alt").startswith("Calendar of the school year")
    assert chart.evaluate("img => img.naturalWidth") > 300
    assert "Pine Hollow Elementary travel 140 minutes" in page.locator(
        ".tlkit-plan-violations-view").inner_text()
    old_alt = chart.get_attribute("alt")

    page.get_by_label("Design", exact=True).select_option(label=(
        "District B: two teacher leaders, a three-hour session each month, coaching between"))
    summary.locator("text=Contact hours per teacher: 33").wait_for()
    page.locator(".tlkit-plan-violations-view",
                 has_text="the contract allows 120 a week").wait_for()
    page.wait_for_function(
        "old => document.querySelector('.tlkit-plan-chart img').alt !== old", arg=old_alt)

    box = page.get_by_label("Contract limit: after-school minutes")
    box.fill("200")
    box.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('.tlkit-plan-violations-view').innerText"
        ".includes('the contract allows')")
    assert page.locator(".tlkit-plan-csv").get_attribute("href").startswith("data:text/csv")
    assert page.locator(".tlkit-handout table").count() == 3
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "import " not in text
    assert planner_page.outside_requests() == []
