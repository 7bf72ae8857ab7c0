"""The teacher-roles guide in headless Chromium (one page load): the self-assessment and the
growth plan render, rating items gives a profile chart with its text, the plan downloads as a
page that prints on one or two sheets, and the page shows no code, no error and stays local."""

from __future__ import annotations

import base64
import re

import pytest

from tlkit.practice.self_assessment import load_self_assessment, profile
from tlkit.printables.growth_plan import BOX_LIMIT, PLAN_FIELDS, growth_plan_html

GUIDE = "teacher-roles.ipynb"
DIALOG_MARGINS = {side: "0.4in" for side in ("top", "right", "bottom", "left")}


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _decoded(href: str) -> str:
    assert href.startswith("data:text/html")
    return base64.b64decode(href.split(",", 1)[1]).decode("utf-8")


def _print_pages(browser, html: str) -> list[int]:
    page = browser.new_page()
    try:
        page.set_content(html)
        return [_pages(page.pdf(format=paper, margin=DIALOG_MARGINS, display_header_footer=True))
                for paper in ("Letter", "A4")]
    finally:
        page.close()


def test_guide_rates_shows_a_profile_and_exports_a_printable_plan(voila, new_page, browser):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url(GUIDE))
    form = page.locator(".tlkit-self-assessment").first
    form.wait_for(state="visible")
    assert page.locator(".tlkit-agenda-table tbody tr").count() == 8

    ratings = form.locator(".tlkit-sa-rating select")
    assert ratings.count() == 16
    # Collaboration: two foundational items, then two advanced. A mean of 4.0, but a
    # foundation below Practising makes it a growth area.
    for n, label in enumerate(["2 Starting", "4 Confident", "5 Leading others", "5 Leading others"]):
        ratings.nth(n).select_option(label=label)
    form.get_by_role("button", name="Show my profile").click()
    chart = form.locator(".tlkit-sa-profile img")
    chart.wait_for()
    alt = chart.get_attribute("alt")
    assert "4 of 16 items rated" in alt and "Collaboration and communication: 4.0" in alt
    assert "Collaboration and communication" in form.locator(".tlkit-sa-growth").inner_text()

    plan = page.locator(".tlkit-growth-plan").first
    goal = plan.locator(".tlkit-plan-goal textarea")
    goal.fill("Run two tuning protocols with my team by March")
    goal.press("Tab")                                 # the box saves when focus leaves it
    plan.get_by_role("button", name="Make my printable plan").click()
    link = plan.locator(".tlkit-plan-download")
    link.wait_for()
    exported = _decoded(link.get_attribute("href"))
    assert "Run two tuning protocols with my team by March" in exported
    assert "4 of 16 statements rated" in exported      # the ratings typed in the form above
    assert max(_print_pages(browser, exported)) <= 2

    handout = _decoded(page.locator(".tlkit-roles-handout-link").get_attribute("href"))
    assert 1 <= max(_print_pages(browser, handout)) <= 2

    code = ".jp-CodeCell .jp-InputArea, .jp-InputArea-editor, .cm-editor, .CodeMirror"
    assert page.locator(code).count() == 0
    body = page.locator("body").inner_text()
    assert not re.search(r"Traceback|Error:|There was an error", body), body[:2000]
    assert recorded.outside_requests() == []


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_full_plan_prints_on_two_sheets_at_most(browser, paper):
    """Every item rated with a long example, every box at its limit: still two sheets."""
    sa = load_self_assessment()
    ratings = {item.id: 1 + n % 5 for n, item in enumerate(sa.items)}
    evidence = {item.id: ("In March I led our Grade 5 team through a consultancy on a student "
                          "who rarely speaks; two colleagues tried the idea the next week.")
                for item in sa.items}
    plan = {key: "advocacy" if key == "focus" else ("Ask my principal for a shared planning "
                                                    "period each week. " * 12)[:BOX_LIMIT]
            for key, _label, _q in PLAN_FIELDS}
    page = browser.new_page()
    try:
        page.set_content(growth_plan_html(sa, profile(sa, ratings, evidence), plan, evidence))
        pages = _pages(page.pdf(format=paper, margin=DIALOG_MARGINS, display_header_footer=True))
        assert 1 <= pages <= 2
    finally:
        page.close()
