"""TeachBackHost: the facilitator's page for a teach-back, over a live session.

A thin view over tlkit.practice.teachback and tlkit.live: it opens a live session on the
reference episode of the facilitation rubric, shows the join code, and on **Show the scores**
reads what the scorers sent: each scorer's agreement with the reference and the group's
(calibration), then one teacher leader's result, with no scorer named, as a printable page
and as the file handed back for their portfolio. The session's code and control token are
kept in a LiveHostRecord under `state_key`, so a reload keeps control of the session.
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets

from tlkit.live import LiveStore, live_store
from tlkit.live.store import Facilitation
from tlkit.practice.calibration import CalibrationError, percent
from tlkit.practice.plan import plan_for
from tlkit.practice.teachback import (EPISODE_ID, LABEL_PREFIX, calibration_from_live,
                                      from_live, return_file, returned)
from tlkit.printables.teach_back import result_html, teach_back_html
from tlkit.store import Keeper, Store, default_store
from tlkit.store.records import LiveHostRecord
from tlkit.widgets.common import download_link, keeper_notice, message_html

PROTOCOL = "tuning"     # the segments are parts of a tuning protocol; its clock runs as planned


class TeachBackHost(widgets.VBox):
    def __init__(self, *, state_key: str | None = None, store: Store | None = None,
                 live: LiveStore | None = None):
        self.live = live or live_store()
        self.state_key = state_key
        self._keeper = Keeper(store or default_store(), state_key, LiveHostRecord)
        saved = self._keeper.restore() if state_key else None
        self.session: Facilitation | None = (Facilitation(saved.code, saved.token)
                                             if saved and saved.code else None)
        self.save_status = widgets.HTML(keeper_notice(self._keeper, "The teach-back session "
                                                      "kept earlier", "Open a new one."))
        self.open_button = widgets.Button(description="Open a teach-back session",
                                          button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.open_button.on_click(lambda _b: self.open_session())
        self.show_button = widgets.Button(description="Show the scores",
                                          layout=widgets.Layout(width="auto"))
        self.show_button.on_click(lambda _b: self.show())
        self.end_button = widgets.Button(description="End the session",
                                         layout=widgets.Layout(width="auto"))
        self.end_button.on_click(lambda _b: self.end())
        self.code = widgets.HTML()
        self.message = widgets.HTML()
        self.calibration = widgets.HTML()
        self.teacher = widgets.Dropdown(options=[], description="Teach-back of",
                                        style={"description_width": "initial"})
        self.teacher.observe(lambda _c: self.show_result(), names="value")
        self.result = widgets.HTML()
        super().__init__([self.save_status, self.open_button, self.code, self.message,
                          widgets.HBox([self.show_button, self.end_button]), self.calibration,
                          self.teacher, self.result])
        self._contributions: list = []
        self._show_code()

    # --- actions ----------------------------------------------------------------------------

    def open_session(self) -> None:
        minutes = list(plan_for(PROTOCOL).minutes)
        self.session = self.live.open_session(PROTOCOL, minutes, title="Teach-back",
                                              episode_id=EPISODE_ID)
        if self.state_key:
            self._keeper.put(LiveHostRecord(self.session.code, self.session.token))
            self.save_status.value = keeper_notice(self._keeper)
        self._show_code()

    def end(self) -> None:
        if self.session is not None:
            self.live.end(self.session.code, self.session.token)
            self.message.value = message_html("The session has ended. Its scores stay here "
                                              "until you open a new session.")

    def _show_code(self) -> None:
        if self.session is None:
            self.code.value = message_html("No teach-back session is open yet.")
            return
        self.code.value = (
            "<p style='font-size:1.6em'>Join code: <b>"
            f"{escape(self.session.code)}</b></p><p>Scorers join on the live-join page. They "
            "score the reference episode first with the name box left empty, then each "
            "segment with the teacher leader's name typed in the box, and send warm and cool "
            "feedback with the same name.</p>")

    def show(self) -> None:
        """Read what the scorers sent: calibration, and the teacher leaders scored so far."""
        if self.session is None:
            self.message.value = message_html("Open a teach-back session first.", "warning")
            return
        self._contributions = self.live.contributions(self.session.code, self.session.token)
        self._show_calibration()
        names = sorted({c.body["episode"][len(LABEL_PREFIX):] for c in self._contributions
                        if c.kind == "scores"
                        and str(c.body.get("episode", "")).startswith(LABEL_PREFIX)},
                       key=str.casefold)
        self.teacher.options = names
        if names and self.teacher.value is None:
            self.teacher.value = names[0]
        self.show_result()

    def _show_calibration(self) -> None:
        try:
            report = calibration_from_live(self._contributions)
        except CalibrationError as err:
            self.calibration.value = message_html(str(err), "problem")
            return
        if not report.vs_reference:
            self.calibration.value = message_html(
                "No calibration scores yet: scorers send their scores for the reference "
                "episode with the name box left empty.", "info", items=report.messages)
            return
        rows = "".join(
            f"<tr><th scope='row'>{escape(a.first)}</th><td>{percent(a.exact)}</td>"
            f"<td>{percent(a.within_one)}</td></tr>" for a in report.vs_reference)
        group = report.overall
        rows += (f"<tr><th scope='row'>The group</th><td>{percent(group.exact)}</td>"
                 f"<td>{percent(group.within_one)}</td></tr>")
        self.calibration.value = (
            "<h4>Calibration on the reference episode</h4><table class='tlkit-teachback-cal'>"
            "<thead><tr><th scope='col'>Scorer</th><th scope='col'>Exact agreement</th>"
            "<th scope='col'>Within one (exact included)</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")

    def show_result(self) -> None:
        teacher = self.teacher.value
        if not teacher:
            self.result.value = message_html("No segment has been scored yet.")
            return
        result = from_live(self._contributions, teacher)
        safe = "".join(ch if ch.isalnum() else "-" for ch in teacher).strip("-") or "result"
        self.result.value = (
            f"<h4>{escape(teacher)}</h4>{result_html(returned(result), 'h4')}<p>"
            + download_link(teach_back_html(result), f"teach-back-{safe}.html", "text/html",
                            "Open the printable page for this teacher leader")
            + "</p><p>"
            + download_link(return_file(result), f"teach-back-{safe}.json",
                            "application/json", "Download the file to hand back")
            + "</p><p>Hand the file to the teacher leader: they load it in the portfolio "
            "module, where it joins their portfolio.</p>")
