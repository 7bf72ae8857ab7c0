"""A coach's log as one printable page: each coaching cycle's five boxes, oldest first.

One standalone page on the shared print stylesheet (page_style). With no entries it is the
blank form a coach fills in by hand (two empty entries), so the guide can hand it out.
"""

from __future__ import annotations

from html import escape
from typing import Any, Mapping, Sequence

from tlkit.practice.coaching import LOG_FIELDS, sorted_entries
from tlkit.printables.page_style import page_html

TITLE = "My coaching log"
BLANK_ENTRIES = 2

# The log's own rules: one entry never splits across pages, and a blank box leaves room.
_CSS = """
.entry { break-inside: avoid; border-top: 1px solid #767676; padding-top: .3em; margin-top: .6em; }
dt { font-weight: 700; margin-top: .3em; }
dd { margin: 0 0 .2em 0; white-space: pre-wrap; }
dd.blank { border-bottom: 1px solid #767676; min-height: 3em; }
"""


def entry_html(entry: Mapping[str, Any], number: int) -> str:
    rows = []
    for key, label, _help in LOG_FIELDS:
        value = str(entry.get(key, "")).strip()
        css = "" if value else " class='blank'"
        rows.append(f"<dt>{escape(label)}</dt><dd{css}>{escape(value)}</dd>")
    return (f"<section class='entry' aria-label='Entry {number}'><h2>Entry {number}</h2>"
            f"<dl>{''.join(rows)}</dl></section>")


def coaching_log_html(entries: Sequence[Mapping[str, Any]], coach: str = "") -> str:
    """The whole printable log (entries in date order), or the blank form when there are
    none."""
    ordered = sorted_entries(list(entries)) or [{}] * BLANK_ENTRIES
    who = f"<p>Coach: {escape(coach.strip())}</p>" if coach.strip() else ""
    intro = ("<p>One entry per coaching cycle with a colleague. The colleague owns the goal and "
             "the next step; what was observed is written as it happened, without a verdict."
             "</p>")
    body = (f"<h1>{escape(TITLE)}</h1>{who}{intro}"
            + "".join(entry_html(e, n) for n, e in enumerate(ordered, start=1)))
    return page_html(TITLE, body, css=_CSS)
