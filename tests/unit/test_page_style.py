"""Every printable page is built on the one shared print stylesheet (tlkit.printables.page_style),
keeps what makes it accessible (language, title, a main landmark, table headers), and does not
carry its own copy of the shared rules."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from tlkit.printables.page_style import BASE_CSS, MARKER, fragment_style, page_html

SRC = Path(__file__).resolve().parents[2] / "src" / "tlkit"
WIDGETS = Path(__file__).resolve().parents[2] / "widgets"


def _protocol_handouts():
    from tlkit.practice.protocols import load_protocol
    from tlkit.printables.handouts import protocol_handout

    names = sorted(p.stem for p in (SRC / "content" / "protocols").glob("*.yaml"))
    assert names
    return {f"handout {n}": protocol_handout(load_protocol(n)) for n in names}


def _observation_forms():
    from tlkit.practice.observation import (DEFAULT_RUBRIC, EPISODES_DIR, load_episode,
                                            load_rubric)
    from tlkit.printables.observation_form import observation_form_html

    rubric = load_rubric(DEFAULT_RUBRIC)
    pages = {"observation form": observation_form_html(rubric)}
    for path in sorted(EPISODES_DIR.glob("*.yaml")):
        pages[f"observation form + {path.stem}"] = observation_form_html(
            rubric, load_episode(path.stem))
    return pages


def _growth_plans():
    from tlkit.practice.self_assessment import load_self_assessment
    from tlkit.printables.growth_plan import growth_plan_html, session_handout_html

    sa = load_self_assessment()
    return {"growth plan": growth_plan_html(sa, None, {}),
            "session handout": session_handout_html(sa)}


def _planning():
    from tlkit.planning.calendar import parse_calendar, sample_text
    from tlkit.planning.design import load_design
    from tlkit.planning.planner import plan_year
    from tlkit.planning.readiness import Assessment, load_tool, plan_html
    from tlkit.planning.report import printable_html

    tool = load_tool()
    team = Assessment("Lincoln", {c.id: 1 for c in tool.conditions}, {})
    return {"year plan": printable_html(plan_year(load_design("every-other-week"),
                                                  parse_calendar(sample_text()))),
            "readiness plan": plan_html(tool, team)}


def _others():
    from tlkit.ops.report import COLUMNS, report_html
    from tlkit.portfolio.parts import Gathered, Part, Piece, portfolio_html
    from tlkit.planning.readiness import handout_html, load_tool
    from tlkit.printables.audit_sheet import audit_sheet
    from tlkit.practice.teachback import summarise
    from tlkit.printables.cards import handout_page, principal_handout_html, quick_card_html
    from tlkit.printables.coaching_log import coaching_log_html
    from tlkit.printables.teach_back import teach_back_html

    part = Part("p", "A part", "m", "k", ("key",))
    gathered = [Gathered(part, "included", (Piece("Ratings", table=(("A", "B"), ("1", "2"))),))]
    return {"audit sheet": audit_sheet(),
            "portfolio": portfolio_html("I lead the Grade 4 team.", gathered),
            "cohort report": report_html(pd.DataFrame(columns=COLUMNS)),
            # A guide's handouts offered as pages of their own.
            "quick card": handout_page("Quick card", quick_card_html()),
            "principal handout": handout_page("Principal", principal_handout_html()),
            "rating sheet": handout_page("Rating sheet", handout_html(load_tool())),
            "coaching log": coaching_log_html([{"date": "2026-03-04", "goal": "More talk"}]),
            "blank coaching log": coaching_log_html([]),
            "teach-back result": teach_back_html(summarise("Dana", [{"norms": 3}],
                                                           [("warm", "Clear start.")]))}


def all_pages() -> dict[str, str]:
    pages = {}
    for build in (_protocol_handouts, _observation_forms, _growth_plans, _planning, _others):
        pages.update(build())
    return pages


PAGES = all_pages()


class _Outline(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self):
        super().__init__()
        self.lang, self.title, self.styles, self.mains = None, "", [], 0
        self.tables = []          # per table: [role, header cells]
        self._in, self._body = None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title" or (tag == "style" and not self._body):
            self._in = tag
            if tag == "style":
                self.styles.append("")
        elif tag == "body":
            self._body = True
        elif tag == "main":
            self.mains += 1
        elif tag == "table":
            self.tables.append([attrs.get("role"), 0])
        elif tag == "th" and self.tables:
            self.tables[-1][1] += 1

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "style":
            self.styles[-1] += data


def _outline(page: str) -> _Outline:
    parser = _Outline()
    parser.feed(page)
    return parser


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_printable_page_uses_the_shared_stylesheet_and_stays_accessible(name):
    page = PAGES[name]
    outline = _outline(page)
    assert page.startswith("<!DOCTYPE html>")
    assert outline.lang == "en" and outline.title.strip() and outline.mains == 1
    # One stylesheet in the head: the shared rules first, as they are, then only the page's own.
    assert len(outline.styles) == 1 and outline.styles[0].lstrip().startswith(f"/* {MARKER}")
    assert BASE_CSS in outline.styles[0]
    own = outline.styles[0].split(BASE_CSS, 1)[1]
    assert "border-collapse" not in own and "font-family: system-ui" not in own
    assert "print-color-adjust" not in own and MARKER not in own
    # Data tables have header cells; layout tables say so.
    assert all(headers for role, headers in outline.tables if role != "presentation")
    # Nothing fetched from outside (SVG namespaces name addresses but fetch nothing).
    assert not re.search(r"(src|href)=[\"']?(https?:)?//|url\((?!#)|@import|<link|<script", page, re.I)


def test_the_page_escapes_its_title_and_puts_the_page_css_after_the_shared_rules():
    page = page_html("Plan <A & B>", "<p>x</p>", css=".mine { color: red; }",
                     body_class="tlkit-x")
    assert "<title>Plan &lt;A &amp; B&gt;</title>" in page and "<A & B>" not in page
    assert page.index(BASE_CSS) < page.index(".mine { color: red; }")
    assert '<body class="tlkit-x"><main><p>x</p></main></body></html>' in page


def test_handouts_shown_in_a_notebook_take_the_shared_table_rules_scoped_to_themselves():
    from tlkit.planning.design import SEED_DESIGNS, load_design
    from tlkit.planning.readiness import handout_html as readiness_handout
    from tlkit.planning.readiness import load_tool
    from tlkit.planning.report import handout_html as design_handout

    style = fragment_style(".tlkit-x")
    assert MARKER in style and ".tlkit-x th, .tlkit-x td { border:" in style
    assert not re.search(r"(^|[}\n]) *(table|th|td) *[{,]", style)   # nothing left unscoped
    for fragment, scope in ((design_handout([load_design(d) for d in SEED_DESIGNS]),
                             ".tlkit-handout"),
                            (readiness_handout(load_tool()), ".tlkit-readiness-handout")):
        assert fragment_style(scope) in fragment and "<!DOCTYPE" not in fragment
        assert fragment.count("<style") == 1 and "border-collapse" not in fragment.replace(
            fragment_style(scope), "")


def test_only_the_shared_stylesheet_writes_a_page_head():
    """A new printable page goes through page_html, so it gets the shared rules too."""
    writers = [path.relative_to(SRC.parent.parent) for folder in (SRC, WIDGETS)
               for path in folder.rglob("*.py")
               if re.search(r"<!doctype|<html[ >]", path.read_text(encoding="utf-8"), re.I)]
    assert writers == [Path("src/tlkit/printables/page_style.py")]


def test_the_quick_card_shows_control_names_in_bold_and_escapes_the_rest():
    from tlkit.printables.cards import QUICK_CARD, quick_card_html

    card = quick_card_html()
    assert card.count("<tr>") == len(QUICK_CARD) + 1
    assert "<strong>Shift + Enter</strong>" in card and "**" not in card
    assert "<strong>Run &gt; Run All Cells</strong>" in card
    assert fragment_style(".tlkit-quick-card") in card


def test_a_guides_handout_link_holds_a_whole_page_to_print():
    import base64

    from tlkit.printables.cards import quick_card_html
    from tlkit.widgets.common import handout_link

    link = handout_link(quick_card_html(), "Quick card", "quick-card.html")
    assert "download='quick-card.html'" in link and "Download the quick card to print" in link
    page = base64.b64decode(re.search(r"base64,([^']+)'", link).group(1)).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Quick card</title>" in page
    assert "Shift + Enter" in page
