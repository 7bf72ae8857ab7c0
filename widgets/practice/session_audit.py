"""SessionAudit: describe (or pick) a professional-learning session as timed segments, see
which of the seven features each serves, the share of active minutes, what is missing and how
to redesign it; then redesign it and compare before and after.

A thin view over tlkit.practice.session_audit. The segments are kept as typed in a
SessionAuditRecord, so a reload or a restart brings them back and nothing typed is lost.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from tlkit.charts import chart_html
from tlkit.practice.session_audit import (AuditContent, audit, compare, feature_chart,
                                          load_audit_content, read_segments)
from tlkit.store import Keeper, SessionAuditRecord, Store, default_store
from tlkit.widgets.common import keeper_notice, message_html

_WIDE = {"description_width": "initial"}
_OWN = "own"


class SegmentEditor(widgets.VBox):
    """Rows of title, minutes and kind, with buttons to add and remove rows. `on_change` is
    called after every edit."""

    def __init__(self, name: str, formats, on_change):
        self.name, self.formats, self.on_change = name, formats, on_change
        self.rows: list[tuple[widgets.Text, widgets.Text, widgets.Dropdown, widgets.Button]] = []
        self.add_button = widgets.Button(description="Add a segment", icon="plus",
                                         tooltip=f"Add a segment to {name}")
        self.add_button.add_class("tlkit-audit-add")
        self.add_button.on_click(lambda _b: self._add_row(("", "", "")))
        self.box = widgets.VBox()
        super().__init__([self.box, self.add_button])
        self.add_class("tlkit-audit-editor")

    def values(self) -> list[tuple[str, str, str]]:
        return [(title.value, minutes.value, kind.value or "")
                for title, minutes, kind, _remove in self.rows]

    def set_values(self, rows) -> None:
        self.rows = []
        for row in rows:
            self._add_row(row, notify=False)
        self._layout()

    def _add_row(self, row, notify: bool = True) -> None:
        number = len(self.rows) + 1
        title = widgets.Text(value=row[0], description=f"Segment {number}", style=_WIDE,
                             placeholder="what happens",
                             layout=widgets.Layout(width="26em"))
        minutes = widgets.Text(value=row[1], description="Minutes", style=_WIDE,
                               layout=widgets.Layout(width="9em"))
        options = [("Choose the kind of segment", "")] + [(f.name, f.id) for f in self.formats]
        kind = widgets.Dropdown(options=options, value=row[2] if row[2] in
                                {f.id for f in self.formats} else "",
                                description="Kind", style=_WIDE,
                                layout=widgets.Layout(width="30em"))
        remove = widgets.Button(description="Remove", tooltip=f"Remove segment {number}",
                                layout=widgets.Layout(width="7em"))
        for control in (title, minutes, kind):
            control.observe(lambda _c: self.on_change(), names="value")
        remove.on_click(lambda _b, r=remove: self._remove(r))
        self.rows.append((title, minutes, kind, remove))
        if notify:
            self._layout()
            self.on_change()

    def _remove(self, button) -> None:
        self.rows = [row for row in self.rows if row[3] is not button]
        self._layout()
        self.on_change()

    def _layout(self) -> None:
        for number, (title, _m, _k, remove) in enumerate(self.rows, start=1):
            title.description = f"Segment {number}"
            remove.tooltip = f"Remove segment {number}"
        lines = []
        for row in self.rows:
            line = widgets.HBox(list(row), layout=widgets.Layout(flex_flow="row wrap"))
            line.add_class("tlkit-audit-row")
            lines.append(line)
        self.box.children = lines


class SessionAudit(widgets.VBox):
    """The audit. `example`: an example session's id to start from (when nothing is saved);
    `redesign`: also show the redesign and the before/after comparison; `state_key`: where
    the segments are kept; `store`: which store (default: the state folder)."""

    def __init__(self, example: str | None = None, *, redesign: bool = True,
                 state_key: str | None = None, store: Store | None = None,
                 audit_content: AuditContent | None = None):
        self.content = audit_content or load_audit_content()
        self.state_key = state_key
        self.store = store or default_store()
        self._keeper = Keeper(self.store, state_key, SessionAuditRecord)
        self._pending_example: str | None = None
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-audit-save-status")

        self.picker = widgets.Dropdown(
            options=[(e.name, e.id) for e in self.content.examples]
            + [("My own session (start blank)", _OWN)],
            value=example if example in {e.id for e in self.content.examples} else _OWN,
            description="Start from", style=_WIDE, layout=widgets.Layout(width="44em"))
        self.load_button = widgets.Button(description="Load this session", icon="upload",
                                          layout=widgets.Layout(width="auto"))
        self.load_button.add_class("tlkit-audit-load")
        self.load_button.on_click(lambda _b: self.load_example(self.picker.value))
        self.load_note = widgets.HTML()

        self.before = SegmentEditor("the session", self.content.formats, self._changed)
        self.audit_button = widgets.Button(description="Audit this session",
                                           button_style="primary", icon="search",
                                           layout=widgets.Layout(width="16em"))
        self.audit_button.add_class("tlkit-audit-run")
        self.audit_button.on_click(lambda _b: self.show_audit())
        self.result = widgets.HTML()
        self.result.add_class("tlkit-audit-result")

        parts = [widgets.HTML("<h3 style='font-size:1.4em'>Session audit</h3>"
                              "<p style='font-size:1.1em'>List the session's segments in "
                              "order: what happens, how many minutes, and what kind of segment "
                              "it is. Then press <b>Audit this session</b>.</p>"),
                 self.save_status, widgets.HBox([self.picker, self.load_button]),
                 self.load_note, self.before, self.audit_button, self.result]

        self.after = None
        if redesign:
            self.after = SegmentEditor("the redesign", self.content.formats, self._changed)
            self.copy_button = widgets.Button(description="Start the redesign from this session",
                                              layout=widgets.Layout(width="auto"))
            self.copy_button.add_class("tlkit-audit-copy")
            self.copy_button.on_click(lambda _b: self.copy_to_redesign())
            self.compare_button = widgets.Button(description="Compare before and after",
                                                 button_style="primary",
                                                 layout=widgets.Layout(width="18em"))
            self.compare_button.add_class("tlkit-audit-compare")
            self.compare_button.on_click(lambda _b: self.show_comparison())
            self.comparison = widgets.HTML()
            self.comparison.add_class("tlkit-audit-comparison")
            parts += [widgets.HTML("<h4 style='font-size:1.25em'>Your redesign</h4>"
                                   "<p style='font-size:1.1em'>Change, add or remove segments "
                                   "to serve the missing features and keep participants "
                                   "active. Then compare.</p>"),
                      self.copy_button, self.after, self.compare_button, self.comparison]
        super().__init__(parts)
        self.add_class("tlkit-session-audit")

        self._loading = True
        saved = self._restore() if state_key else None
        if saved is not None and (saved.before or saved.after):
            self.before.set_values(saved.before)
            if self.after is not None:
                self.after.set_values(saved.after)
        elif example in {e.id for e in self.content.examples}:
            self.before.set_values(self._example_rows(example))
        else:
            self.before.set_values([("", "", "")])
        self._loading = False

    # --- actions ------------------------------------------------------------------------

    def load_example(self, example_id: str) -> None:
        """Put an example (or a blank row) in place of the session. When the learner has typed
        segments, the first press only asks to press again, so nothing is replaced by accident."""
        typed = [row for row in self.before.values() if any(part.strip() for part in row)]
        if typed and self._pending_example != example_id:
            self._pending_example = example_id
            self.load_note.value = message_html(
                f"This replaces the {len(typed)} segment(s) you have listed. Press "
                "Load this session again to go ahead.", "warning")
            return
        self._pending_example = None
        self.load_note.value = ""
        rows = self._example_rows(example_id) if example_id != _OWN else [("", "", "")]
        self.before.set_values(rows)
        self.result.value = ""
        self._changed()

    def copy_to_redesign(self) -> None:
        if self.after is not None:
            self.after.set_values(self.before.values())
            self._changed()

    def show_audit(self):
        segments, problems = read_segments(self.before.values(), self.content)
        result = audit(segments, self.content)
        self.result.value = _audit_html(result, problems)
        return result

    def show_comparison(self):
        if self.after is None:
            return None
        before, problems = read_segments(self.before.values(), self.content)
        after, after_problems = read_segments(self.after.values(), self.content)
        if not after:
            self.comparison.value = message_html(
                "The redesign has no usable segments yet. Press Start the redesign from this "
                "session, then change it.", "warning", items=after_problems)
            return None
        first, second = audit(before, self.content), audit(after, self.content)
        rows = compare(first, second)
        head = ("<tr><th scope='col'>Measure</th><th scope='col'>Before</th>"
                "<th scope='col'>After</th></tr>")
        body = "".join(f"<tr><td>{escape(m)}</td><td>{escape(b)}</td><td>{escape(a)}</td></tr>"
                       for m, b, a in rows)
        notes = [f"Before, {p[0].lower()}{p[1:]}" for p in problems] + \
                [f"In the redesign, {p[0].lower()}{p[1:]}" for p in after_problems]
        self.comparison.value = (
            (message_html("Some segments are left out until they are complete:", "warning",
                          items=notes) if notes else "")
            + "<table class='tlkit-audit-compare-table' style='font-size:1.05em'>"
            "<caption style='text-align:left;font-weight:bold'>Before and after</caption>"
            f"<thead>{head}</thead><tbody>{body}</tbody></table>"
            + _audit_html(second, [], heading="What the redesign still misses"))
        return rows

    # --- saving -------------------------------------------------------------------------

    def _example_rows(self, example_id: str):
        example = self.content.example(example_id)
        return [(s.title, str(s.minutes), s.format) for s in example.segments]

    def _changed(self) -> None:
        if self._loading or not self.state_key:
            return
        record = SessionAuditRecord(self.before.values(),
                                    self.after.values() if self.after is not None else [])
        self._keeper.save(record)      # the record merges as "this page wins"
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved

    def _restore(self) -> SessionAuditRecord | None:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier session audit",
                                               "The audit starts fresh.")
        return saved


def _audit_html(result, problems, heading: str = "What is missing, and what to change") -> str:
    parts = []
    if problems:
        parts.append(message_html("Some segments are left out until they are complete:",
                                  "warning", items=problems))
    if not result.rows:
        return "".join(parts) + message_html(result.suggestions[0], "info")
    rows = "".join(
        f"<tr><td>{escape(r.segment.title)}</td><td>{r.segment.minutes}</td>"
        f"<td>{'Active' if r.format.active else 'Listening or watching'}</td>"
        f"<td>{escape(', '.join(f.name for f in r.features) or 'none')}</td></tr>"
        for r in result.rows)
    parts.append(
        "<table class='tlkit-audit-table' style='font-size:1.05em'>"
        "<caption style='text-align:left;font-weight:bold'>Segments and the features they "
        "serve</caption><thead><tr><th scope='col'>Segment</th><th scope='col'>Minutes</th>"
        "<th scope='col'>Participants</th><th scope='col'>Features served</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>")
    parts.append(f"<p class='tlkit-audit-active' style='font-size:1.2em;font-weight:bold'>"
                 f"{escape(result.active_line())}</p>")
    fig, alt, table, header = feature_chart(result)
    parts.append(chart_html(fig, alt, table, header, caption="Minutes per feature"))
    missing = ", ".join(f.name for f in result.missing) or "none"
    parts.append(f"<p class='tlkit-audit-missing' style='font-size:1.1em'><b>Features no "
                 f"segment serves:</b> {escape(missing)}</p>")
    parts.append(f"<p style='font-size:1.1em;font-weight:bold;margin-bottom:0'>"
                 f"{escape(heading)}</p><ul class='tlkit-audit-suggestions' "
                 "style='font-size:1.05em'>"
                 + "".join(f"<li>{escape(s)}</li>" for s in result.suggestions) + "</ul>")
    return "".join(parts)
