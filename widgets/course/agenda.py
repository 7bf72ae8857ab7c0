"""The facilitator guide's session plan: agenda, objectives and facilitator notes as HTML.

Everything comes from the module notebook through tlkit.course.module, so the guide and the course
can never disagree about timings or notes. The *_html functions are plain functions (usable
and testable without a browser); AgendaView adds the start-time box that re-times the agenda.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import mistune

from tlkit.course.module import AgendaItem, Module, agenda

# Facilitator notes are Markdown and need no raw HTML, so any HTML in a note is shown as
# text (escape=True): a tag such as <img onerror=...> pasted into a note must never run script
# in the facilitator's page. mistune also turns javascript: and data: links into "#harmful-link".
_markdown = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])


def agenda_html(items: list[AgendaItem]) -> str:
    """A projector-readable table: start-end, segment, minutes, with the total at the foot."""
    # Padded inline: the table also shows where the kit's stylesheet is absent (JupyterLab, a
    # saved page), and unpadded cells read "09:00–09:10Why protocols?". The time column keeps
    # the title apart on its right, the minutes column on its left.
    time_pad, minutes_pad = "padding:0.3em 1.2em 0.3em 0", "padding:0.3em 0 0.3em 1.2em"
    rows = "".join(
        f"<tr><td style='{time_pad};white-space:nowrap;font-variant-numeric:tabular-nums'>"
        f"{item.start}&ndash;{item.end}</td><td>{html.escape(item.title)}</td>"
        f"<td style='{minutes_pad};text-align:right'>{item.minutes}</td></tr>"
        for item in items
    )
    total = sum(item.minutes for item in items)
    return (
        "<table class='tlkit-agenda-table' style='font-size:1.25em;border-collapse:collapse'>"
        f"<thead><tr><th style='{time_pad};text-align:left'>Time</th>"
        "<th style='text-align:left'>Segment</th>"
        f"<th style='{minutes_pad};text-align:right'>Minutes</th></tr></thead>"
        f"<tbody>{rows}</tbody><tfoot><tr><td></td>"
        "<th style='text-align:left;padding:0.3em 1.2em 0.3em 0'>Total</th>"
        f"<th style='text-align:right'>{total}</th></tr></tfoot></table>"
    )


def objectives_html(module: Module) -> str:
    items = "".join(f"<li>{html.escape(text)}</li>" for text in module.objectives)
    return (f"<div class='tlkit-objectives' style='font-size:1.2em'><p>By the end of "
            f"<b>{html.escape(module.title)}</b>, participants can:</p><ul>{items}</ul></div>")


def facilitator_notes_html(module: Module) -> str:
    """The module's facilitator-only notes, grouped under the section they belong to."""
    parts = []
    for section in module.sections:
        if not section.facilitator_notes:
            continue
        notes = "".join(f"<div class='tlkit-facilitator-note'>{_markdown(note)}</div>"
                        for note in section.facilitator_notes)
        timing = (f"{section.live_minutes} min live" if section.live_minutes
                  else "self-study only")
        # h3: the guide shows the notes under an h2, and headings must not skip a level.
        parts.append(f"<h3>{html.escape(section.title)} <small>({timing})</small></h3>{notes}")
    if not parts:
        return ("<p class='tlkit-facilitator-notes'>This module has no facilitator notes yet. "
                "Authors add them as Markdown cells tagged <code>facilitator</code>.</p>")
    return f"<div class='tlkit-facilitator-notes' style='font-size:1.1em'>{''.join(parts)}</div>"


class AgendaView(widgets.VBox):
    """The live session's agenda with a start-time box; typing a new time re-times it."""

    def __init__(self, module: Module, start: str = "09:00", **kwargs):
        super().__init__(**kwargs)
        self.module = module
        self.add_class("tlkit-agenda")
        self.start_box = widgets.Text(value=start, description="Session starts at:",
                                      placeholder="09:00", continuous_update=False,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="260px"))
        self.start_box.add_class("tlkit-agenda-start")
        self.message = widgets.HTML()
        self.message.add_class("tlkit-agenda-message")
        self.table = widgets.HTML()
        self.table.add_class("tlkit-agenda-items")
        self.children = [self.start_box, self.message, self.table]
        self.start_box.observe(lambda change: self.retime(change["new"]), names="value")
        self.retime(start)

    def retime(self, start: str) -> None:
        try:
            items = agenda(self.module, start)
        except ValueError as err:
            # Keep the last good agenda on screen; say what to type instead.
            self.message.value = (f"<span style='color:#b71c1c;font-size:1.1em'>"
                                  f"{html.escape(str(err))}</span>")
            return
        self.message.value = ""
        self.table.value = agenda_html(items)
