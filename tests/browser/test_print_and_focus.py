"""What a browser shows beyond the widgets' text: the observation form's printed pages, and
where the keyboard focus goes in the facilitator guide's runner."""

from __future__ import annotations

import re

import pytest

from tlkit.practice.observation import DEFAULT_RUBRIC, EPISODES_DIR, load_episode, load_rubric
from tlkit.printables.observation_form import observation_form_html

# Chrome's print dialog defaults: about 0.4 inch margins, with the date and title printed.
DIALOG_MARGINS = {side: "0.4in" for side in ("top", "right", "bottom", "left")}


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_observation_form_prints_on_two_sheets(browser, paper):
    """The blank form, and the form with each shipped episode (a facilitator prints one per
    observer): two sheets each, with the dialog's margins and with the form's own."""
    rubric = load_rubric(DEFAULT_RUBRIC)
    episodes = sorted(path.stem for path in EPISODES_DIR.glob("*.yaml"))
    assert episodes
    forms = {"blank": observation_form_html(rubric)}
    forms.update({name: observation_form_html(rubric, load_episode(name)) for name in episodes})
    page = browser.new_page()
    try:
        counts = {}
        for name, html in forms.items():
            page.set_content(html)
            dialog = page.pdf(format=paper, margin=DIALOG_MARGINS, display_header_footer=True)
            bare = page.pdf(format=paper)  # no margins asked for: the form's own @page margins
            counts[name] = (_pages(dialog), _pages(bare))
        assert counts == {name: (2, 2) for name in forms}
    finally:
        page.close()


def _active(page) -> str:
    return page.evaluate("() => { const el = document.activeElement;"
                         " return el.tagName + ':' + (el.innerText || '').trim(); }")


def test_focus_stays_on_the_runner_after_start_and_pause_from_the_keyboard(voila, new_page):
    page = new_page().page
    page.goto(voila.url("protocols.ipynb"))
    runner = page.locator(".tlkit-runner")
    runner.wait_for(state="visible")
    start = runner.get_by_role("button", name="Start", exact=True)
    start.focus()
    page.keyboard.press("Enter")
    runner.locator(".tlkit-runner-step-clock", has_text="left in this step").wait_for()
    # Start disables itself once the clock runs; focus goes to Pause, not to the page body.
    page.wait_for_function("() => document.activeElement.innerText === 'Pause'")
    assert _active(page) == "BUTTON:Pause"
    page.keyboard.press("Enter")
    runner.locator(".tlkit-runner-step-clock", has_text="Paused").wait_for()
    page.wait_for_function("() => document.activeElement.innerText === 'Start'")
    assert _active(page) == "BUTTON:Start"
    # The ring a keyboard user follows is 3 px, not ipywidgets' faint 1 px line.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    assert outline == "3px"
