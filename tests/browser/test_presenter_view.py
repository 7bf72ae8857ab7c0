"""The presenter view on a 1920x1080 projector: large type, nothing facilitator-only, and the
same clock as the guide's runner, whichever page the buttons are pressed on."""

from __future__ import annotations

import json

import pytest
from voila_pages import ROOT

from tlkit.practice.protocols import load_protocol

PRESENTER, GUIDE = "presenter.ipynb", "protocols.ipynb"
PROJECTOR = {"width": 1920, "height": 1080}


def _px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)")


def _open(browser, voila, notebook: str, viewport: dict):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(voila.url(notebook))
    page.wait_for_selector(".tlkit-runner", state="visible")
    return context, page


@pytest.fixture(scope="module")
def projector(browser, voila):
    context, page = _open(browser, voila, PRESENTER, PROJECTOR)
    yield page
    context.close()


def _facilitator_only_text() -> list[str]:
    """Lines a projector must never show: every facilitator move of every protocol the view
    can show, the module's facilitator notes (first lines) and the guide's own controls."""
    lines = ["Facilitator moves", "Minutes available", "hidden from participants"]
    for protocol_id in ("tuning", "consultancy"):
        for step in load_protocol(protocol_id).steps:
            lines += list(step.facilitator_moves)
    module = json.loads((ROOT / "modules" / "protocols" / "protocols.ipynb").read_text("utf-8"))
    for cell in module["cells"]:
        if "facilitator" in cell["metadata"].get("tags", []):
            text = "".join(cell["source"]).strip().splitlines()[0].lstrip("#* ").strip()
            lines.append(text[:60])
    return lines


def test_step_prompt_and_clock_are_readable_from_the_back_of_the_room(projector):
    page = projector
    step = load_protocol("tuning").steps[0]
    assert page.locator(".tlkit-runner-step-name").inner_text().strip() == step.name
    assert _px(page, ".tlkit-runner-step-name div[style]") >= 64
    assert _px(page, ".tlkit-runner-prompts li") >= 40
    assert _px(page, ".tlkit-runner-step-clock [role=timer] > div") >= 200
    # The runner uses the projector's width, not the guide's 1,100 px column.
    width = page.locator(".tlkit-runner").first.evaluate("el => el.getBoundingClientRect().width")
    assert width >= 0.9 * PROJECTOR["width"], width


def test_nothing_facilitator_only_is_on_the_page(projector):
    page = projector
    body = page.locator("body").inner_text()
    shown = [line for line in _facilitator_only_text() if line and line in body]
    assert shown == []
    assert page.locator("input, textarea, select").count() == 0  # no minutes box or chooser


def test_presses_in_the_guide_and_in_the_presenter_view_show_on_both(projector, browser, voila):
    room = projector
    laptop_context, laptop = _open(browser, voila, GUIDE, {"width": 1280, "height": 900})
    try:
        laptop.locator(".tlkit-presenter-link", has_text="presenter view").wait_for()
        assert laptop.locator(".tlkit-presenter-link").get_attribute("href") == PRESENTER
        laptop.locator(".tlkit-runner").get_by_role("button", name="Start", exact=True).click()
        room.locator(".tlkit-runner-step-clock", has_text="left in this step").wait_for(
            timeout=15_000)

        room.locator(".tlkit-runner").get_by_role("button", name="Next", exact=True).click()
        laptop.locator(".tlkit-runner-step-number", has_text="Step 2 of").wait_for(
            timeout=15_000)
        assert "Step 2 of" in room.locator(".tlkit-runner-step-number").inner_text()
    finally:
        laptop_context.close()
