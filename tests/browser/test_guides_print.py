"""Every facilitator guide prints whole from the browser's Print, and every handout a guide
names has a link to a page of its own to print."""

from __future__ import annotations

import re

import pytest
from voila_pages import ROOT

from tlkit.course.manifest import module_ids

GUIDES = sorted(f"{m}.ipynb" for m in module_ids(ROOT) if (ROOT / "facilitator" / f"{m}.ipynb").exists())
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


@pytest.mark.parametrize("guide", GUIDES)
def test_a_guide_prints_whole_and_links_its_handouts(voila, new_page, guide):
    recorded = new_page()
    page = recorded.page
    page.goto(voila.url(guide))
    page.locator(".tlkit-agenda, .jp-OutputArea-output").first.wait_for(state="visible")
    page.wait_for_load_state("networkidle")
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
