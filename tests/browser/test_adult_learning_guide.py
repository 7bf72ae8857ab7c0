"""The adult-learning facilitator guide in headless Chromium: one page load that checks the
session audit renders and answers a press, the features table, the handout link and that the
page stays on 127.0.0.1."""

from __future__ import annotations

import base64

from axe_check import describe, findings, not_allowed, run_axe


def test_the_guide_audits_a_session_on_a_press(voila, new_page):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url("adult-learning.ipynb"))
    audit = page.locator(".tlkit-session-audit")
    audit.wait_for(state="visible")
    assert audit.locator(".tlkit-audit-row").count() == 5        # the example session

    audit.get_by_role("button", name="Audit this session").click()
    result = audit.locator(".tlkit-audit-result")
    result.locator(".tlkit-audit-active").wait_for(timeout=30_000)
    assert "active in 10 of 90 minutes (11%)" in result.inner_text()
    assert result.locator("img[alt^='Bar chart of minutes per feature']").count() == 1
    assert "Content focus" in result.locator(".tlkit-audit-missing").inner_text()
    # The audit's own tables, chart and suggestions, once shown, are as accessible as the rest.
    left = not_allowed(findings(run_axe(page, ".tlkit-session-audit")), {})
    assert not left, f"axe on the shown audit:\n{describe(left)}"

    # Every segment control is named, so a screen reader and the keyboard can reach it.
    first = audit.locator(".tlkit-audit-row").first
    assert first.get_by_label("Minutes").input_value() == "10"

    table = page.locator(".tlkit-pd-features")
    assert "Every one of the seven features is used" in table.inner_text()

    href = page.locator(".tlkit-audit-sheet-link").get_attribute("href")
    assert href.startswith("data:text/html")
    sheet = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "Sustained duration" in sheet and "Share of active minutes" in sheet

    assert page.locator(".tlkit-agenda-table tbody tr").count() == 7
    assert "Traceback" not in page.content()
    assert recorded.outside_requests() == []
