"""LiveSessionHost: the facilitator's view of a live session.

Open a session and get a join code; run the protocol's clock to its plan (a module section's
live minutes when the page is opened for a section: for_section, for_page; else the
protocol's suggested minutes), and participants' views follow within about a second; watch
feedback, questions, the group's calibration agreement and the exit tickets arrive; export
the session (CSV and a readable summary) and delete it. The join code and the control token
are kept in the facilitator's own saved state (a LiveHostRecord), so reloading this page
keeps control of the session. Everything participants typed is shown as text (escaped),
never as HTML.
"""

from __future__ import annotations

import html
import time
from typing import Callable

import ipywidgets as widgets

from tlkit.live import Facilitation, LiveStore, NotAllowed
from tlkit.live import figures
from tlkit.live.address import JOIN_PAGE, JoinAddress, join_address, page_section
from tlkit.practice.follow import HOST_FOLLOW_SECONDS, Follower
from tlkit.room.network import address_qr
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.course.module import section_plan
from tlkit.practice.plan import Plan, plan_for
from tlkit.practice.protocols import list_protocols
from tlkit.settings import SettingError
from tlkit.store import Store, StoreUnavailable, default_store
from tlkit.store.records import LiveHostRecord
from tlkit.live.questions import QUESTION_KINDS, results
from tlkit.widgets.common import (cannot_save_text, download_link, message_html,
                                  question_results_html)
from tlkit.widgets.live.step import protocol, step_html

STATE_KEY = LiveHostRecord.key
LOG_SECONDS = 5.0      # how often the page reads the session's log of refused attempts
DEFAULT_EPISODE = "voting-age-discussion"


def join_address_html(environ=None) -> str:
    """Where participants open the join page, as the facilitator's page shows it: the full
    address in large selectable text when it is known (tlkit.live.address), else where the
    page is and the setting that gives its address."""
    try:
        address = join_address(environ)
    except SettingError as err:
        address, problem = JoinAddress(None), str(err)
    else:
        problem = ""
    how = ("type the code and press Join. Learners working in the protocols module's notebook "
           "can join from the box in its tuning-protocol section instead.")
    if address.on_hub:
        return ("<div style='font-size:1.1em'>On this hub each participant opens the protocols "
                "module's notebook in their own JupyterLab and uses the join box in its "
                "tuning-protocol section: they type the code there and press Join.</div>")
    if address.room:
        return room_address_html(address)
    if address.url is None:
        text = (f"<div style='font-size:1.1em'>Participants open the join page, "
                f"<a href='{JOIN_PAGE}' target='_blank'>live-join</a>, which is next to this "
                f"page, then {how} To show its full address here, set TLKIT_LIVE_JOIN_URL "
                "(see the kit's README).</div>")
        return text + (message_html(problem, "warning") if problem else "")
    url = html.escape(address.url, quote=True)
    text = ("<div style='font-size:1.1em'>Participants open this address:</div>"
            f"<div class='tlkit-live-address' style='font-size:2em;font-weight:bold;"
            f"user-select:all;overflow-wrap:anywhere;margin:0.2em 0'>{url}</div>"
            f"<div style='font-size:1.1em'>Then {how} "
            f"<a href='{url}' target='_blank'>Open the join page</a></div>")
    if address.this_computer_only:
        text += message_html(
            "This address only opens on this computer. For people to join from their own "
            "devices, the kit must be served at an address they can reach; set "
            "TLKIT_LIVE_JOIN_URL to it (see the kit's README).", "warning")
    return text


def room_address_html(address: JoinAddress) -> str:
    """The participant app's address (tlkit facilitate --room), to read out or project."""
    url = html.escape(address.url, quote=True)
    text = ("<div style='font-size:1.1em'>People in the room open this address on their own "
            "phone or laptop, on this room's network:</div>"
            f"<div class='tlkit-live-address' style='font-size:2.8em;font-weight:bold;"
            f"user-select:all;overflow-wrap:anywhere;margin:0.2em 0'>{url}</div>"
            f"<img class='tlkit-live-qr' src='{address_qr(address.url)}' width='240' "
            f"height='240' alt='A QR code of the address {url}: a phone camera opens it'>"
            "<div style='font-size:1.1em'>Then they type the join code and press Join. No "
            "one there can open this page, the guides or the cohort page: only the "
            "participant page is served to the room.</div>")
    if address.this_computer_only:
        text += message_html("This address only opens on this computer: this computer seems "
                             "to be on no network. Join the room's Wi-Fi and start the kit "
                             "again.", "warning")
    return text


def _download(name: str, mime: str, text: str, label: str) -> str:
    return download_link(text, name, mime, label, style="margin-right:1.5em;font-size:1.1em")


class LiveSessionHost(widgets.VBox):
    """Open and run a live session. plan: the plan the session's clock runs (a Plan, e.g. a
    module section's), or a protocol id, planned at its suggested minutes; choosing another
    protocol on the page plans that one at its suggested minutes. live: the sessions'
    database (default TLKIT_LIVE_DB); module: the course module this is the live session of,
    kept with its attendance when it ends (the hours ledger); store: where this view keeps the open session's code
    and token (default: the state folder); now: the time source."""

    @classmethod
    def for_section(cls, module, section: str, **kwargs) -> "LiveSessionHost":
        """The page for a module section's protocol, timed to the section's live minutes: the
        minutes the guide's agenda, runner and handout give it. A section that cannot be
        planned opens the page at the suggested minutes and says why."""
        kwargs.setdefault("module", getattr(module, "id", module))
        try:
            plan = section_plan(module, section)
        except ValueError as err:   # ModuleError, RescaleError: plain sentences
            host = cls(**kwargs)
            host.message.value = message_html(
                f"The section {section!r} cannot time this session, so the protocol's "
                f"suggested minutes are used: {err}", "warning")
            return host
        return cls(plan, section=section, **kwargs)

    @classmethod
    def for_page(cls, module: str | None = None, section: str | None = None, *,
                 environ=None, **kwargs) -> "LiveSessionHost":
        """The page as its address asks (live-session.ipynb?module=...&section=..., the
        guide's link); else the module section given here; else the suggested minutes."""
        asked = page_section(environ)
        if asked is not None:
            module, section = asked
        if module and section:
            return cls.for_section(module, section, **kwargs)
        return cls(**kwargs)

    def __init__(self, plan: Plan | str = "tuning", *, section: str = "",
                 module: str | None = None, live: LiveStore | None = None, store: Store | None = None,
                 now: Callable[[], float] = time.time, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-live-host")
        self.layout.max_width = "1100px"
        self.live = live or LiveStore()
        self.store = store or default_store()
        self._now = now
        self.session: Facilitation | None = None
        self._state = None
        self._seen_revision = None
        self._last_seq = 0
        self.items: list = []
        self._follower: Follower | None = None
        self._section = section
        self._module = module       # kept with the session's attendance when it ends
        self._opening = plan if isinstance(plan, Plan) else None
        default_protocol = plan.protocol.id if isinstance(plan, Plan) else plan

        ids = list_protocols()
        self.protocol_box = widgets.Dropdown(
            options=[(protocol(i).name, i) for i in ids],
            value=default_protocol if default_protocol in ids else ids[0],
            description="Protocol:", style={"description_width": "initial"})
        self.plan_line = widgets.HTML()
        self.plan_line.add_class("tlkit-live-plan")
        self.protocol_box.observe(lambda _: self._show_plan(), names="value")
        self.open_button = widgets.Button(description="Open a live session",
                                          button_style="primary", layout={"width": "auto"},
                                          style={"button_color": "#1565c0"})
        self.open_button.add_class("tlkit-live-open")
        self.open_button.on_click(lambda _: self.open_session())
        self.message = widgets.HTML()
        self.message.add_class("tlkit-live-host-message")
        self.start_panel = widgets.VBox([
            widgets.HTML("<h2 style='font-size:1.5em;margin:0.2em 0'>Run a live session</h2>"
                         "<div style='font-size:1.2em'>Choose the protocol, then open a "
                         "session. You get a join code and an address for the group: "
                         "participants follow the steps and send feedback, scores, exit "
                         "tickets, questions and answers to what you ask. Only this page "
                         "can move the clock, end, export or delete the session.</div>"),
            self.protocol_box, self.plan_line, self.open_button])
        self.children = [self.start_panel, self.message]
        self._show_plan()
        self._resume()

    @property
    def plan(self) -> Plan:
        """The plan a session opened now would run: the page's own plan for its protocol,
        or the chosen protocol at its suggested minutes."""
        if self._opening is not None and self._opening.protocol.id == self.protocol_box.value:
            return self._opening
        return plan_for(protocol(self.protocol_box.value))

    def _show_plan(self) -> None:
        plan = self.plan
        where = (f", the live minutes of the section {self._section!r}"
                 if self._section and plan is self._opening else "")
        self.plan_line.value = (
            f"<div style='font-size:1.1em'>The clock is planned for {plan.total} minutes"
            f"{html.escape(where)}: {', '.join(map(str, plan.minutes))} minutes per step."
            "</div>")

    # -- opening, resuming ------------------------------------------------------------------

    def _resume(self) -> None:
        # No Keeper: the host's record is a session token, read silently and put whole.
        try:
            record = self.store.get(STATE_KEY, LiveHostRecord)
        except (OSError, ValueError):
            return
        if record is None or not record.code:
            return
        try:
            state = self.live.state(record.code)
        except StoreUnavailable as err:
            self.message.value = message_html(cannot_save_text(err), "warning")
            return
        if state is None:
            return      # deleted since: offer a new one
        self.session = Facilitation(record.code, record.token)
        self._show_session(state, resumed=True)

    def open_session(self) -> bool:
        plan = self.plan
        try:
            # The session keeps the plan's minutes in its clock, so every page that follows
            # it (participants, the presenter) counts down the same plan.
            self.session = self.live.open_session(
                plan.protocol.id, list(plan.minutes),
                title=plan.protocol.name, episode_id=DEFAULT_EPISODE)
            state = self.live.state(self.session.code)
        except StoreUnavailable as err:
            self.message.value = message_html(cannot_save_text(err), "problem")
            return False
        try:
            self.store.put(STATE_KEY, LiveHostRecord(self.session.code, self.session.token))
        except StoreUnavailable as err:
            self.message.value = message_html(
                f"{cannot_save_text(err)} If this page is reloaded, the session goes on but "
                "this page cannot run it.", "warning")
        self._show_session(state)
        return True

    def _show_session(self, state, resumed: bool = False) -> None:
        code = self.session.code
        try:
            episode = load_episode(state.episode_id or DEFAULT_EPISODE)
            self.rubric = load_rubric(episode.rubric_id)
        except Exception:   # no such episode in this kit: no calibration figures
            self.rubric = None
        self.code_banner = widgets.HTML(
            f"<div class='tlkit-live-code' style='font-size:1.5em'>Join code: "
            f"<b style='font-size:1.6em;letter-spacing:0.15em'>{html.escape(code)}</b></div>"
            + join_address_html()
            + (" <div>This page picked the session up again after a reload.</div>" if resumed
               else ""))
        self.step = widgets.HTML()
        self.step.add_class("tlkit-live-step")
        buttons = []
        for action, text in (("back", "Back"), ("start", "Start"), ("pause", "Pause"),
                             ("next", "Next")):
            button = widgets.Button(description=text, tooltip=f"{text} (every participant's "
                                    "page follows)", layout=widgets.Layout(width="96px"))
            button.add_class(f"tlkit-live-{action}")
            button.on_click(lambda _, a=action: self.press(a))
            buttons.append(button)
        self.count = widgets.HTML()
        self.count.add_class("tlkit-live-count")
        self.feed = widgets.HTML()
        self.feed.add_class("tlkit-live-feed")
        self.agreement = widgets.HTML()
        self.agreement.add_class("tlkit-live-agreement")
        self.exits = widgets.HTML()
        self.exits.add_class("tlkit-live-exits")
        self.export_button = widgets.Button(description="Export", layout={"width": "auto"})
        self.export_button.on_click(lambda _: self.export())
        self.end_button = widgets.Button(description="End the session",
                                         layout={"width": "auto"})
        self.end_button.on_click(lambda _: self.end())
        self.confirm = widgets.Checkbox(description="Yes, delete the session and everything "
                                        "sent to it", indent=False,
                                        layout=widgets.Layout(width="auto"))
        self.delete_button = widgets.Button(description="Delete the session",
                                            button_style="danger", layout={"width": "auto"},
                                            style={"button_color": "#b71c1c"})
        self.delete_button.on_click(lambda _: self.delete())
        self.downloads = widgets.HTML()
        self.downloads.add_class("tlkit-live-downloads")
        heading = "<div style='font-weight:bold;font-size:1.2em;margin-top:0.8em'>{}</div>"
        self._build_questions()
        self.refused = widgets.HTML()
        self.refused.add_class("tlkit-live-refused")
        self._log_looked = 0.0
        self.children = [
            self.code_banner, self.step,
            widgets.HBox(buttons, layout=widgets.Layout(gap="8px", flex_flow="row wrap")),
            self.count,
            widgets.HTML(heading.format("Feedback and questions, as they arrive")), self.feed,
            widgets.HTML(heading.format("Calibration: the group's agreement")), self.agreement,
            widgets.HTML(heading.format("Exit tickets")), self.exits,
            widgets.HTML(heading.format("Ask the room")), self.ask_panel,
            widgets.HTML(heading.format("Refused attempts")), self.refused,
            widgets.HTML(heading.format("After the session")),
            widgets.HBox([self.export_button, self.end_button],
                         layout=widgets.Layout(gap="8px")),
            self.downloads,
            widgets.HBox([self.confirm, self.delete_button],
                         layout=widgets.Layout(gap="8px", align_items="center")),
            self.message]
        self._state = state
        self._seen_revision = state.revision
        self.catch_up()
        self._draw_questions(fresh=True)
        self.show_refused()
        self.refresh()
        self._follower = Follower(self.follow, HOST_FOLLOW_SECONDS)

    # -- questions to the room --------------------------------------------------------------

    def _build_questions(self) -> None:
        self.questions: list = []
        self.ask_kind = widgets.Dropdown(options=[(label, kind) for kind, label in
                                                  QUESTION_KINDS.items()],
                                         description="Kind:",
                                         style={"description_width": "initial"})
        self.ask_prompt = widgets.Text(description="Question:", layout=widgets.Layout(width="100%"),
                                       style={"description_width": "initial"})
        self.ask_options = widgets.Textarea(description="Choices, one a line (a poll):",
                                            layout=widgets.Layout(width="100%"),
                                            style={"description_width": "initial"})
        self.ask_multiple = widgets.Checkbox(description="People may choose several",
                                             indent=False)
        self.ask_button = widgets.Button(description="Ask the room", layout={"width": "auto"})
        self.ask_button.add_class("tlkit-live-ask")
        self.ask_button.on_click(lambda _: self.ask())
        self.chosen = widgets.Dropdown(description="Asked:", options=[],
                                       style={"description_width": "initial"})
        buttons = []
        for text, action in (("Close it", self.close_question),
                             ("Show it on the projector", self.project),
                             ("Show none on the projector", lambda: self.project(None))):
            button = widgets.Button(description=text, layout={"width": "auto"})
            button.on_click(lambda _, a=action: a())
            buttons.append(button)
        self.item_box = widgets.Dropdown(description="Q&A item:", options=[],
                                         style={"description_width": "initial"})
        self.hide_button = widgets.Button(description="Hide it from the room",
                                          layout={"width": "auto"})
        self.hide_button.on_click(lambda _: self.hide_item())
        self.results = widgets.HTML()
        self.results.add_class("tlkit-live-questions")
        self.ask_panel = widgets.VBox([
            self.ask_kind, self.ask_prompt, self.ask_options, self.ask_multiple, self.ask_button,
            self.results, self.chosen,
            widgets.HBox(buttons, layout=widgets.Layout(gap="8px", flex_flow="row wrap")),
            widgets.HBox([self.item_box, self.hide_button],
                         layout=widgets.Layout(gap="8px", flex_flow="row wrap"))])

    def _act(self, action: Callable[[], object], done: str = "") -> bool:
        """Run one of the facilitator's question actions; say why if it was refused."""
        try:
            action()
        except (ValueError, NotAllowed, StoreUnavailable) as err:
            self.message.value = message_html(str(err), "problem")
            return False
        self.message.value = message_html(done) if done else ""
        self._draw_questions(fresh=True)
        return True

    def ask(self) -> bool:
        options = [line for line in self.ask_options.value.splitlines() if line.strip()]
        asked = self._act(lambda: self.live.ask(self.session.code, self.session.token,
                                                self.ask_kind.value, self.ask_prompt.value,
                                                options, multiple=self.ask_multiple.value),
                          "Asked. Participants' pages show the question now.")
        if asked:
            self.ask_prompt.value = self.ask_options.value = ""
        return asked

    def close_question(self) -> bool:
        return self.chosen.value is not None and self._act(
            lambda: self.live.close_question(self.session.code, self.session.token,
                                             self.chosen.value))

    def project(self, question_id: int | None | str = "chosen") -> bool:
        chosen = self.chosen.value if question_id == "chosen" else question_id
        return self._act(lambda: self.live.show_question(self.session.code,
                                                         self.session.token, chosen))

    def hide_item(self) -> bool:
        return self.item_box.value is not None and self._act(
            lambda: self.live.hide(self.session.code, self.session.token, self.item_box.value))

    def _draw_questions(self, fresh: bool = False) -> None:
        if self.session is None:
            return
        if fresh:
            self.questions = self.live.questions(self.session.code)
            self._hidden = self.live.hidden(self.session.code)
        hidden = getattr(self, "_hidden", set())
        shown = [results(q, self.items, hidden) for q in reversed(self.questions)]
        self.results.value = "".join(question_results_html(r) for r in shown)
        choices = [(f"{q.prompt[:60]} ({QUESTION_KINDS[q.kind]})", q.id) for q in self.questions]
        if [o[1] for o in self.chosen.options] != [c[1] for c in choices]:
            self.chosen.options = choices
            self.chosen.value = choices[-1][1] if choices else None
        items = [(row["text"][:60], row["id"]) for r in shown for row in r.items
                 if not row["hidden"]]
        if list(self.item_box.options) != items:
            keep = self.item_box.value
            self.item_box.options = items
            self.item_box.value = keep if keep in [i[1] for i in items] else (
                items[0][1] if items else None)

    # -- the clock --------------------------------------------------------------------------

    def press(self, action: str) -> bool:
        if self.session is None:
            return False
        try:
            self._state = self.live.control(self.session.code, self.session.token, action)
        except (NotAllowed, StoreUnavailable) as err:
            self.message.value = message_html(str(err), "problem")
            return False
        self._seen_revision = self._state.revision
        self.message.value = ""
        self.refresh()
        return True

    # -- following what arrives -------------------------------------------------------------

    def catch_up(self) -> bool:
        """Read contributions newer than the last seen; True when there were some."""
        if self.session is None:
            return False
        if self.live.latest_seq(self.session.code) == self._last_seq:
            return False
        new = self.live.contributions(self.session.code, self.session.token, self._last_seq)
        if not new:
            return False
        self.items.extend(new)
        self._last_seq = new[-1].seq
        self._draw_contributions()
        self._draw_questions()
        return True

    def follow(self) -> None:
        if self.session is None:
            return
        revision = self.live.revision(self.session.code)
        if revision is not None and revision != self._seen_revision:
            self._state = self.live.state(self.session.code)
            self._seen_revision = revision
            self._draw_questions(fresh=True)
        self.catch_up()
        self.refresh()
        if self._now() - self._log_looked >= LOG_SECONDS:
            self.show_refused()

    def show_refused(self) -> None:
        """The session's log of refused attempts (someone without this page's control trying
        to run, end, export or delete the session), newest first."""
        self._log_looked = self._now()
        try:
            log = self.live.log(self.session.code, self.session.token)
        except (NotAllowed, StoreUnavailable):
            return
        lines = "".join(f"<li>{time.strftime('%H:%M:%S', time.localtime(at))}: "
                        f"{html.escape(event)}</li>" for at, event in reversed(log[-50:]))
        self.refused.value = (f"<ul style='font-size:1.1em'>{lines}</ul>" if lines else
                              "<p>None: no one else has tried to run this session.</p>")

    def refresh(self) -> None:
        if self._state is not None:
            self.step.value = step_html(self._state, self._now)
            self.count.value = (f"<div style='font-size:1.1em'>Joined so far: "
                                f"{self.live.participants(self.session.code)}</div>")
            if not self.items:
                self._draw_contributions()

    def _draw_contributions(self) -> None:
        lines = []
        for item in reversed(self.items[-200:]):
            if item.kind in ("feedback", "question"):
                what = (f"{item.body['tone'].capitalize()} feedback" if item.kind == "feedback"
                        else "Question")
                lines.append(f"<li><b>{what}</b> from {html.escape(figures.who(item))}: "
                             f"{html.escape(item.body['text'])}</li>")
        self.feed.value = (f"<ul style='font-size:1.1em'>{''.join(lines)}</ul>" if lines else
                           "<p>Nothing yet.</p>")
        if self.rubric is not None:
            agreement = figures.group_agreement(self.items, self.rubric,
                                                self._state.episode_id if self._state else None)
            self.agreement.value = ("<ul style='font-size:1.1em'>" + "".join(
                f"<li>{html.escape(line)}</li>" for line in agreement.lines) + "</ul>")
        results = figures.exit_results(self.items, shared=False)
        table = results.table
        head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in table.columns)
        cells = "".join(f"<td>{html.escape(str(v))}</td>" for v in table.iloc[0])
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in results.notes)
        tries = "".join(f"<li>{html.escape(t)}</li>" for t in results.tries)
        self.exits.value = (
            f"<p>{results.responses} exit ticket{'s' if results.responses != 1 else ''} so far. "
            "How useful was the session? This page shows every rating, as the export holds "
            "them with who sent each; the summary, which you may share, hides groups under "
            "10 so no one's answer can be picked out.</p>"
            f"<table style='border-collapse:collapse' border='1' cellpadding='4'>"
            f"<caption>How useful participants found the session</caption>"
            f"<tr><th scope='row'>Answer</th>{head}</tr>"
            f"<tr><th scope='row'>{html.escape(str(table.index[0]))}</th>{cells}</tr></table>"
            + notes + (f"<p><b>One thing to try</b></p><ul>{tries}</ul>" if tries else ""))

    # -- after the session ------------------------------------------------------------------

    def export(self) -> bool:
        if self.session is None:
            return False
        try:
            self.catch_up()
            state = self.live.state(self.session.code)
            csv_text = figures.export_csv(self.items)
            summary = figures.summary_text(state, self.items,
                                           self.live.participants(self.session.code),
                                           self.rubric)
        except (NotAllowed, StoreUnavailable) as err:
            self.message.value = message_html(str(err), "problem")
            return False
        code = self.session.code
        self.downloads.value = (
            "<p>Save both files before you delete the session:</p>"
            + _download(f"live-session-{code}.csv", "text/csv", csv_text,
                        "Download everything sent (CSV)")
            + _download(f"live-session-{code}-summary.txt", "text/plain", summary,
                        "Download the summary (text)"))
        return True

    def end(self) -> bool:
        try:
            self.live.end(self.session.code, self.session.token, module=self._module)
        except (NotAllowed, StoreUnavailable) as err:
            self.message.value = message_html(str(err), "problem")
            return False
        self.message.value = message_html("The session has ended: no one else can join or "
                                          "send. Export it, then delete it.")
        self.follow()
        return True

    def delete(self) -> bool:
        if self.session is None:
            return False
        if not self.confirm.value:
            self.message.value = message_html("Tick the box to confirm, then press Delete: "
                                              "this cannot be undone.", "warning")
            return False
        try:
            self.live.delete(self.session.code, self.session.token)
        except (NotAllowed, StoreUnavailable) as err:
            self.message.value = message_html(str(err), "problem")
            return False
        if self._follower is not None:
            self._follower.stop()
        try:
            self.store.put(STATE_KEY, LiveHostRecord())
        except StoreUnavailable:
            pass
        self.session, self._state, self.items, self._last_seq = None, None, [], 0
        self.children = [self.start_panel, self.message]
        self.message.value = message_html("The session and everything sent to it were deleted.")
        return True

    def close(self) -> None:
        if self._follower is not None:
            self._follower.stop()
        super().close()
