"""PortfolioView: the learner's own saved work from every module on one page, with an
introduction they write, and a printable page to share with their principal.

A thin view over tlkit.portfolio.parts, which reads the other modules' records without
changing them. Only the introduction is saved here, as a PortfolioRecord.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets

from tlkit.portfolio.parts import (Gathered, Part, body_html, gather, portfolio_html,
                                   reflections_part)
from tlkit.store import Keeper, PortfolioRecord, Store, default_store
from tlkit.widgets.common import download_link, keeper_notice, message_html


def _course_modules() -> dict[str, str]:
    from tlkit.course.manifest import load_manifest

    try:
        return {entry.id: entry.title for entry in load_manifest()}
    except (ValueError, OSError):
        return {}


class PortfolioView(widgets.VBox):
    """The portfolio. `state_key`: where the introduction is saved; `store`: where every
    module's work is read from (default: the state folder); `modules`: the course's module ids
    and titles (default: the manifest); `notebooks`: the folder holding the learner's module
    folders, for written reflections (default: the folder above this notebook's)."""

    def __init__(self, *, state_key: str | None = None, store: Store | None = None,
                 modules: dict[str, str] | None = None, parts: list[Part] | None = None,
                 notebooks: Path | str | None = None):
        self.state_key = state_key
        self.store = store or default_store()
        self.modules = _course_modules() if modules is None else modules
        self.parts = parts
        self.notebooks = Path(notebooks) if notebooks is not None else Path.cwd().parent
        self._keeper = Keeper(self.store, state_key, PortfolioRecord)
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-portfolio-save-status")
        self.introduction = widgets.Textarea(
            value=self._restore() if state_key else "", description="Introduction",
            placeholder="Who you are, what you lead, and what you want your principal to "
                        "notice in this portfolio.", rows=6,
            style={"description_width": "8em"}, layout=widgets.Layout(width="48em"))
        self.introduction.add_class("tlkit-portfolio-introduction")
        self.introduction.observe(self._intro_changed, names="value")
        self.refresh_button = widgets.Button(description="Gather my work again",
                                             layout=widgets.Layout(width="16em"))
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.export_button = widgets.Button(description="Make a printable page",
                                            button_style="primary",
                                            layout=widgets.Layout(width="16em"))
        self.export_button.on_click(lambda _b: self.export())
        self.summary = widgets.HTML()
        self.summary.add_class("tlkit-portfolio-summary")
        self.exports = widgets.HTML()
        self.exports.add_class("tlkit-portfolio-exports")
        self.view = widgets.HTML()
        self.view.add_class("tlkit-portfolio-view")
        self.gathered: list[Gathered] = []
        super().__init__([self.save_status, self.introduction,
                          widgets.HBox([self.refresh_button, self.export_button]),
                          self.summary, self.exports, self.view])
        self.add_class("tlkit-portfolio")
        self.refresh()

    def refresh(self) -> list[Gathered]:
        parts = list(self.parts) if self.parts is not None else None
        if parts is None:
            from tlkit.portfolio.parts import PARTS

            parts = [*PARTS, reflections_part(self.notebooks, self.modules)]
        self.gathered = gather(self.store, self.modules, parts)
        included = [g for g in self.gathered if g.status == "included"]
        problems = [g.note for g in self.gathered if g.status == "unreadable"]
        missing = [g.part.title for g in self.gathered if g.status == "not-started"]
        lines = [f"{len(included)} of {len(self.gathered)} parts of your portfolio hold your "
                 "work."]
        if missing:
            lines.append("Not started yet: " + ", ".join(missing) + ".")
        self.summary.value = (message_html(" ".join(lines))
                              + "".join(message_html(p, "warning") for p in problems))
        self.view.value = body_html(self.introduction.value, self.gathered)
        return self.gathered

    def export(self) -> str:
        """The printable page, offered as a download link; returns its HTML."""
        page = portfolio_html(self.introduction.value, self.refresh())
        self.exports.value = (
            "<p>Open the page, then print it or save it as PDF from the print window.</p>"
            "<p>" + download_link(page, "portfolio.html", "text/html",
                                  "My portfolio (printable page)") + "</p>")
        return page

    def _restore(self) -> str:
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier introduction",
                                               "The introduction starts empty.")
        return saved.introduction if saved else ""

    def _intro_changed(self, _change) -> None:
        self.view.value = body_html(self.introduction.value, self.gathered)
        if not self.state_key:
            return
        # One box, one writer: the introduction is put as it stands, no merge.
        self._keeper.put(PortfolioRecord(self.introduction.value))
        self.save_status.value = keeper_notice(self._keeper)    # "" once saved
