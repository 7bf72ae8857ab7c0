"""ReadinessCheck: a team rates each condition with its evidence, sees a heat map of strengths
and gaps with a draft action plan, saves and reloads its ratings, compares two teams (or two
points in time, saved under two names) and exports the plan as a printable page and CSV.

A thin view over tlkit.planning.readiness. Ratings are kept as a ReadinessRecord, one entry
per team name; pages on the same record merge team by team and condition by condition.
"""

from __future__ import annotations

import copy
from html import escape

import ipywidgets as widgets

from tlkit.planning.readiness import (OWNERS, Assessment, ReadinessError, Tool, action_plan,
                                      compare, dataset_teams, from_dataset, heat_map_html,
                                      level_name, load_tool, plan_csv, plan_html)
from tlkit.store import Keeper, ReadinessRecord, Store, default_store
from tlkit.widgets.common import download_link, keeper_notice, message_html

_DATA = "data:"
_SAVED = "saved:"


class ReadinessCheck(widgets.VBox):
    """The readiness assessment. `tool`: the conditions file (content/readiness); with
    `state_key`, each team's ratings are saved under its name and come back after a reload;
    `store` is where (default: the state folder)."""

    def __init__(self, tool: str | Tool = "district-partnership", *,
                 state_key: str | None = None, store: Store | None = None):
        self.tool = tool if isinstance(tool, Tool) else load_tool(tool)
        self.state_key = state_key
        self.store = store or default_store()
        self._keeper = Keeper(self.store, state_key, ReadinessRecord)
        self._loading = False
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-readiness-save-status")
        self.saved = self._restore() if state_key else {}
        self.districts = dataset_teams(self.tool)

        self.team = widgets.Text(description="Team name", placeholder="e.g. Lincoln Middle, May",
                                 style={"description_width": "8em"},
                                 layout=widgets.Layout(width="32em"))
        self.team.add_class("tlkit-readiness-team")
        self.start_from = widgets.Dropdown(description="Start from",
                                           style={"description_width": "8em"},
                                           layout=widgets.Layout(width="32em"))
        self.start_from.add_class("tlkit-readiness-start")
        self.load_button = widgets.Button(description="Load these ratings",
                                          layout=widgets.Layout(width="14em"))
        self.load_button.on_click(lambda _b: self.load(self.start_from.value))

        self.levels: dict[str, widgets.Dropdown] = {}
        self.evidence: dict[str, widgets.Textarea] = {}
        rows, area = [], None
        options = [("Not rated", None)] + [(name, i) for i, name in enumerate(self.tool.levels)]
        for number, item in enumerate(self.tool.conditions, start=1):
            if item.area_name != area:
                area = item.area_name
                rows.append(widgets.HTML(f"<h4 style='font-size:1.15em;margin:1em 0 0.2em'>"
                                         f"{escape(area)}</h4>"))
            level = widgets.Dropdown(options=options, value=None,
                                     description=f"Rating {number}",
                                     style={"description_width": "7em"},
                                     layout=widgets.Layout(width="22em"))
            level.add_class("tlkit-readiness-level")
            note = widgets.Textarea(description=f"Evidence {number}",
                                    placeholder=item.evidence, rows=2,
                                    style={"description_width": "7em"},
                                    layout=widgets.Layout(width="44em"))
            note.add_class("tlkit-readiness-evidence")
            for control in (level, note):
                control.observe(self._changed, names="value")
            self.levels[item.id], self.evidence[item.id] = level, note
            rows.append(widgets.VBox([
                widgets.HTML(f"<div style='font-size:1.05em'><b>{number}.</b> "
                             f"{escape(item.text)}</div>"), level, note],
                layout=widgets.Layout(margin="0 0 0.6em 0")))

        self.show_button = widgets.Button(description="Show heat map and plan",
                                          button_style="primary",
                                          layout=widgets.Layout(width="16em"))
        self.show_button.add_class("tlkit-readiness-show")
        self.show_button.on_click(lambda _b: self.show())
        self.result = widgets.HTML()
        self.result.add_class("tlkit-readiness-result")

        self.first = widgets.Dropdown(description="First", style={"description_width": "5em"},
                                      layout=widgets.Layout(width="30em"))
        self.second = widgets.Dropdown(description="Second", style={"description_width": "5em"},
                                       layout=widgets.Layout(width="30em"))
        self.compare_button = widgets.Button(description="Compare",
                                             layout=widgets.Layout(width="10em"))
        self.compare_button.on_click(lambda _b: self.compare(self.first.value, self.second.value))
        self.comparison = widgets.HTML()
        self.comparison.add_class("tlkit-readiness-comparison")

        self.export_button = widgets.Button(description="Export the plan",
                                            layout=widgets.Layout(width="14em"))
        self.export_button.on_click(lambda _b: self.export())
        self.exports = widgets.HTML()
        self.exports.add_class("tlkit-readiness-exports")
        self._refresh_choices()

        sources = "; ".join(escape(s) for s in self.tool.sources)
        self._show_last_saved()

        super().__init__([
            widgets.HTML(f"<h3 style='font-size:1.4em'>{escape(self.tool.title)}</h3>"
                         f"<p style='font-size:1.1em'>{escape(self.tool.instructions)}</p>"),
            self.save_status, self.team, widgets.HBox([self.start_from, self.load_button]),
            *rows,
            widgets.HBox([self.show_button, self.export_button]), self.exports, self.result,
            widgets.HTML("<h4 style='font-size:1.15em'>Compare two teams, or two points in "
                         "time</h4><p>Save the same team twice under different names (for "
                         "example <i>Lincoln, May</i> and <i>Lincoln, January</i>) to see "
                         "change over time.</p>"),
            widgets.HBox([self.first, self.second, self.compare_button]), self.comparison,
            widgets.HTML(f"<p style='font-size:0.9em'>Sources: {sources}</p>"),
        ])
        self.add_class("tlkit-readiness")

    # --- what is on the page ------------------------------------------------------------

    def assessment(self) -> Assessment:
        return Assessment(self.team.value.strip() or "This team",
                          {cid: box.value for cid, box in self.levels.items()},
                          {cid: box.value for cid, box in self.evidence.items() if box.value})

    def load(self, choice: str) -> None:
        """Fill the page from a saved team ("saved:NAME"), a synthetic district ("data:ID"),
        or blank (""). A synthetic district is a starting point: type a team name to save."""
        try:
            assessment = self._lookup(choice) if choice else Assessment("")
        except ReadinessError as err:
            self.result.value = message_html(str(err), "problem")
            return
        self._loading = True
        try:
            for cid, box in self.levels.items():
                box.value = assessment.ratings.get(cid)
            for cid, box in self.evidence.items():
                box.value = assessment.evidence.get(cid, "")
            self.team.value = choice[len(_SAVED):] if choice.startswith(_SAVED) else ""
        finally:
            self._loading = False
        if choice.startswith(_DATA):
            self.result.value = message_html(
                f"Loaded the synthetic ratings of {assessment.team}. Type a team name to save "
                "your own version of them.")

    def show(self) -> str:
        assessment = self.assessment()
        self.result.value = (heat_map_html(self.tool, [assessment])
                             + _plan_tables(self.tool, assessment))
        return self.result.value

    def compare(self, first: str, second: str) -> str:
        try:
            a, b = self._lookup(first), self._lookup(second)
        except ReadinessError as err:
            self.comparison.value = message_html(str(err), "problem")
            return self.comparison.value
        changes = compare(self.tool, a, b)
        rows = "".join(f"<tr><td>{escape(c.condition.text)}</td>"
                       f"<td>{escape(level_name(self.tool, c.before))}</td>"
                       f"<td>{escape(level_name(self.tool, c.after))}</td>"
                       f"<td>{escape(c.words)}</td></tr>" for c in changes)
        self.comparison.value = (
            heat_map_html(self.tool, [a, b])
            + "<table class='tlkit-readiness-changes' style='border-collapse:collapse'>"
            f"<caption>From {escape(a.team)} to {escape(b.team)}</caption><thead><tr>"
            "<th scope='col'>Condition</th>"
            f"<th scope='col'>{escape(a.team)}</th><th scope='col'>{escape(b.team)}</th>"
            f"<th scope='col'>Change</th></tr></thead><tbody>{rows}</tbody></table>")
        return self.comparison.value

    def export(self) -> tuple[str, str]:
        """(printable page, CSV) of the plan on the page, offered as two download links."""
        assessment = self.assessment()
        page = plan_html(self.tool, assessment, heat_map_html(self.tool, [assessment]))
        table = plan_csv(self.tool, assessment)
        stem = "".join(ch if ch.isalnum() else "-" for ch in assessment.team).strip("-").lower()
        self.exports.value = (
            "<p>Your plan is ready. Open the page and print it (or save it as PDF from the "
            "print window); the CSV opens in a spreadsheet.</p><ul>"
            f"<li>{_download(page, f'action-plan-{stem}.html', 'text/html', 'Printable page (HTML)')}</li>"
            f"<li>{_download(table, f'action-plan-{stem}.csv', 'text/csv', 'Spreadsheet (CSV)')}</li></ul>")
        return page, table

    # --- choices ------------------------------------------------------------------------

    def _lookup(self, choice: str) -> Assessment:
        if choice and choice.startswith(_SAVED):
            name = choice[len(_SAVED):]
            if name not in self.saved:
                raise ReadinessError(f"There is no saved team called {name!r}.")
            team = self.saved[name]
            return Assessment(name, dict(team["ratings"]), dict(team["evidence"]))
        if choice and choice.startswith(_DATA):
            return from_dataset(self.tool, choice[len(_DATA):])
        raise ReadinessError("Choose a saved team or a synthetic district first.")

    def _refresh_choices(self) -> None:
        saved = [(f"Saved: {name}", _SAVED + name) for name in self.saved]
        data = [(f"Synthetic district {d}", _DATA + d) for d in self.districts]
        current = self.start_from.value
        self.start_from.options = [("Blank: our own ratings", "")] + saved + data
        # Never an empty box: the blank start stands until something else is chosen.
        self.start_from.value = (current if current in dict(self.start_from.options).values()
                                 else "")
        for box, default in ((self.first, 0), (self.second, 1)):
            keep = box.value
            box.options = saved + data
            values = [v for _, v in box.options]
            box.value = keep if keep in values else (values[default] if len(values) > default
                                                     else None)

    # --- saving -------------------------------------------------------------------------

    def _show_last_saved(self) -> None:
        """After a reload or Run All, the page shows the saved ratings straight away: the team
        saved last (teams are kept in the order they were first saved)."""
        if not self.saved:
            return
        choice = _SAVED + list(self.saved)[-1]
        self.start_from.value = choice
        self.load(choice)
        others = len(self.saved) - 1
        self.save_status.value += message_html(
            f"Your saved ratings for {self.team.value} are back."
            + (" To see another team's, choose it under Start from and press Load these "
               "ratings." if others else ""), "info")

    def _changed(self, _change) -> None:
        if self._loading or not self.state_key:
            return
        name = self.team.value.strip()
        if not name:
            self.save_status.value = message_html(
                "Type a team name at the top to save these ratings.", "info")
            return
        self._save(name)

    def _restore(self) -> dict:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier ratings",
                                               "The ratings start fresh.")
        return dict(saved.teams) if saved else {}

    def _save(self, name: str) -> None:
        assessment = self.assessment()
        base = self._keeper.base
        mine_teams = copy.deepcopy(base.teams) if base else {}
        mine_teams[name] = {"ratings": assessment.ratings, "evidence": assessment.evidence}
        saved = self._keeper.save(ReadinessRecord(mine_teams, self.tool.id))
        if saved is None:
            self.save_status.value = keeper_notice(self._keeper)
            self.saved[name] = mine_teams[name]       # kept on the page
        else:
            self.saved = dict(saved.record.teams)
            self.save_status.value = message_html(f"Saved as {name}.", "info")
        self._refresh_choices()


def _plan_tables(tool: Tool, assessment: Assessment) -> str:
    plan = action_plan(tool, assessment)
    out = ["<h4 style='font-size:1.15em'>Draft action plan</h4><p>Every condition rated "
           "below \"Partly in place\", or not rated yet, with a first step and who would take "
           "it on. Edit it with your partner; it is a draft.</p>"]
    for owner, label in OWNERS.items():
        items = [i for i in plan if i.owner == owner]
        body = "".join(f"<li><b>{escape(i.condition.text)}</b> ({escape(level_name(tool, i.level))})"
                       f": {escape(i.condition.action)}</li>" for i in items) or "<li>Nothing for now.</li>"
        out.append(f"<h5 style='font-size:1.05em'>{escape(label)}</h5>"
                   f"<ul class='tlkit-readiness-plan-{owner}'>{body}</ul>")
    return "".join(out)


def _download(text: str, filename: str, mime: str, label: str) -> str:
    return download_link(text, filename, mime, label)
