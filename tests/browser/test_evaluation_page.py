"""The evaluation page in Voila shows the four levels with n and what was hidden, with no
serious accessibility finding, and a certificate prints on one sheet."""

from __future__ import annotations

import re

import pytest
from axe_check import describe, findings, not_allowed, run_axe

from tlkit.course.manifest import CourseRules
from tlkit.evaluation.certificates import certificate_html, certificates
from tlkit.evaluation.hours import ModuleTime, RosterLearner, build_ledger
from tlkit.live.store import SessionRecord

DIALOG_MARGINS = {side: "0.4in" for side in ("top", "right", "bottom", "left")}


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_the_evaluation_page_shows_four_levels_with_n_and_what_was_hidden(voila, new_page):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url("evaluation.ipynb"))
    levels = page.locator(".tlkit-evaluation-levels")
    levels.wait_for(state="visible", timeout=120_000)
    page.wait_for_load_state("networkidle")
    for number, title in enumerate(("Reactions", "Learning", "Organisational support",
                                    "Use of new practice", "Student outcomes"), start=1):
        page.get_by_role("heading", name=f"{number}. {title}", level=2).wait_for()
    text = levels.inner_text()
    assert len(re.findall(r"n = \d+", text)) >= 4
    assert "<10" in text and "What was hidden, and why" in text
    assert "fewer than 10 people answered, so its row is hidden" in text
    assert "data-use module" in text
    assert page.get_by_role("button", name="Make the hours ledger and certificates").is_visible()
    assert page.get_by_role("radio", name="This course's records").count() + page.get_by_role(
        "button", name="This course's records").count() >= 1
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "EvaluationView(" not in body
    left = not_allowed(findings(run_axe(page)), {})
    assert not left, f"axe on the evaluation page:\n{describe(left)}"
    assert recorded.outside_requests() == []


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_certificate_prints_on_one_sheet(browser, paper):
    rules = CourseRules("Adult learning and effective professional learning for teacher "
                        "leaders", ("roles",), False, 0, 30,
                        "Riverside County Office of Education, Teacher Leadership Center",
                        "Samantha Okafor-Villanueva and Dr. Jordan Ellis-Nakamura",
                        "blended: in person and online")
    learner = RosterLearner("l1", "Maria-Guadalupe Alexandra", "Fernández de la Cruz Whitfield")
    start = 1_775_000_000.0
    ledger = build_ledger([learner], [SessionRecord("A", "roles", "Tuning", start, start + 7200,
                                                    (("l1", start),), ())],
                          {"roles": {"l1"}}, {"roles": ModuleTime("Roles", 120, 600)}, rules)
    [cert] = certificates(ledger, rules, b"k" * 32)
    page = browser.new_page()
    try:
        page.set_content(certificate_html(cert))
        assert _pages(page.pdf(format=paper, margin=DIALOG_MARGINS,
                               display_header_footer=True)) == 1
        assert _pages(page.pdf(format=paper)) == 1          # the page's own @page margins
        assert _pages(page.pdf(format=paper, landscape=True)) == 1
    finally:
        page.close()
