"""Every facilitator view as Voila renders it, each page rendered once and checked as it
stands: axe-core finds nothing critical or serious in it, and every facilitator guide prints
whole from the browser's Print and links each handout it names to a page of its own to print.

Findings on Voila's own elements would be excused in VOILA_ALLOWED, by rule and selector.
"""

from __future__ import annotations

import re

import pytest
from axe_check import also_refused, describe, findings, not_allowed, run_axe
from voila_pages import ROOT, RecordedPage

from tlkit.course.manifest import module_ids

VIEWS = sorted(p.name for p in (ROOT / "facilitator").glob("*.ipynb"))
GUIDES = sorted(f"{m}.ipynb" for m in module_ids(ROOT) if (ROOT / "facilitator" / f"{m}.ipynb").exists())
VOILA_ALLOWED: dict[str, tuple[str, ...]] = {}

# An A4 sheet's width at 96 px an inch less the template's 12 mm margins: the narrower of A4
# and Letter, so a page that fits it fits both.
SHEET_PX = 703

# Elements wider than the sheet, or cutting off what they hold, once the page is as wide as a
# sheet. The root is narrowed by hand, not by resizing the window: Print lays the page out
# again without telling its scripts, so sizes the page's scripts set for the window stay.
OVERFLOWING = """(width) => {
  document.documentElement.style.setProperty('width', width + 'px', 'important');
  const found = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    // A text box scrolls its own text; any other box that scrolls sideways cuts it off.
    const field = ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
    const clips = !field && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1;
    if (box.right > width + 1 || clips)
      found.push(`${el.tagName}.${el.className.toString().slice(0, 60)} right=${Math.round(box.right)}`);
  }
  return found.slice(0, 10);
}"""

# For each heading of the guide's own text that names a handout (or a printable), the download
# links before its next heading.
HANDOUT_LINKS = """() => {
  const headings = [...document.querySelectorAll('.jp-MarkdownCell h2')];
  return headings.filter(h => /handout|printable/i.test(h.textContent)).map(h => {
    const next = headings[headings.indexOf(h) + 1];
    const links = [...document.querySelectorAll('a[download]')].filter(a =>
      (h.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) &&
      (!next || (next.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_PRECEDING)) &&
      a.href.startsWith('data:text/html'));
    return [h.textContent.replace('¶', '').trim(), links.length];
  });
}"""


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


@pytest.fixture(scope="module")
def rendered(browser, voila):
    """rendered(view) -> the view's RecordedPage, opened and rendered once: a guide's page
    stays open from its axe check to its print check, the last to use it."""
    pages: dict[str, RecordedPage] = {}

    def get(view: str) -> RecordedPage:
        if view not in pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            recorded = RecordedPage(context.new_page())
            recorded.page.set_default_timeout(120_000)  # the first render starts a kernel
            recorded.page.goto(voila.url(view))
            recorded.page.locator("[class*='tlkit-']").first.wait_for(state="visible")
            recorded.page.wait_for_load_state("networkidle")
            pages[view] = recorded
        return pages[view]

    def done(view: str) -> None:
        pages.pop(view).page.context.close()

    get.done = done
    yield get
    for view in list(pages):
        done(view)


@pytest.mark.parametrize("view", VIEWS)
def test_facilitator_view_has_no_serious_axe_finding(rendered, view):
    page = rendered(view).page
    violations = run_axe(page)
    left = not_allowed(findings(violations), VOILA_ALLOWED)
    if view not in GUIDES:
        rendered.done(view)
    assert not left, f"axe on {view}:\n{describe(left)}"
    assert also_refused(violations) == []


@pytest.mark.parametrize("guide", GUIDES)
def test_a_guide_prints_whole_and_links_its_handouts(rendered, guide):
    recorded = rendered(guide)
    page = recorded.page
    text = page.locator("body").inner_text()
    assert "Traceback" not in text

    # Printed as the browser prints it: more than one sheet (a guide is longer than a window).
    assert _pages(page.pdf(format="A4")) > 1

    page.emulate_media(media="print")
    assert page.evaluate(OVERFLOWING, SHEET_PX) == []

    handouts = page.evaluate(HANDOUT_LINKS)
    mentions = re.search(r"handout|quick card|rating sheet|audit sheet", text, re.I)
    if mentions:
        assert handouts, f"{guide} names a handout ({mentions.group(0)}) under no handout heading"
    assert [name for name, links in handouts if links == 0] == []
    assert recorded.outside_requests() == []
    rendered.done(guide)
