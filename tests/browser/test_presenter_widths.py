"""The presenter view's clock at every common projector width, before anything is pressed
(when its caption is longest): wholly on the screen, and nothing on the page scrolls sideways.
A file of its own: the views start from no saved clock."""

from __future__ import annotations

import time

import pytest

PRESENTER = "presenter.ipynb"


# The clock, its box and each line of its text, measured against the window and every box
# around it (a box that scrolls or clips would cut it off as surely as the screen's edge).
CLOCK_FITS = """() => {
  const timer = document.querySelector('.tlkit-runner-step-clock [role=timer]');
  const boxes = [timer];
  for (const line of timer.querySelectorAll('div')) {
    const range = document.createRange();
    range.selectNodeContents(line);
    boxes.push(range);
  }
  const problems = [];
  for (const box of boxes) {
    const r = box.getBoundingClientRect();
    if (r.left < 0 || r.right > window.innerWidth + 0.5)
      problems.push(`${(box.innerText || box.toString()).slice(0, 30)}: ${r.left}-${r.right}`);
    for (let el = timer.parentElement; el; el = el.parentElement) {
      const outer = el.getBoundingClientRect();
      if (getComputedStyle(el).overflowX !== 'visible' && r.right > outer.right + 0.5)
        problems.push(`cut by ${el.className.toString().slice(0, 40)}`);
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth) problems.push('page scrolls');
  return problems;
}"""


@pytest.fixture(scope="module")
def presenter(browser, voila):
    """One presenter page for every width: the window is resized as a facilitator resizes it
    (or drags it onto the projector)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(voila.url(PRESENTER))
    page.locator(".tlkit-runner-step-clock [role=timer]").wait_for(state="visible")
    yield page
    context.close()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768), (1280, 720), (1024, 768)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_clock_fits_every_common_projector_width(presenter, size):
    page = presenter
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.wait_for_function("([w, h]) => window.innerWidth === w && window.innerHeight === h",
                           arg=list(size))
    clock = page.locator(".tlkit-runner-step-clock [role=timer]")
    assert "Press Start to begin this step" in clock.inner_text()
    # JupyterLab's panels lay themselves out again a moment after the window's resize event.
    problems = page.evaluate(CLOCK_FITS)
    deadline = time.monotonic() + 15
    while problems and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        problems = page.evaluate(CLOCK_FITS)
    assert problems == []
    # Still large: the clock is read from the back of the room.
    assert clock.locator("> div").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)") >= 120
