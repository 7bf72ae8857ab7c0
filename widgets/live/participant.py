"""LiveSessionJoin: the participant's view of a live session.

Type the join code (and a name, if you like), then follow the facilitator: the step, its
prompts and the time left, within about a second. Send warm or cool feedback, calibration
scores, an exit ticket or a question. The view has no clock buttons: only the facilitator's
view can move the session on. What you type stays in its box until the database has it; a
send that fails keeps its text and its id, so pressing Send again never stores it twice.

With a `state_key`, the join is kept in the learner's saved state (a LiveJoinRecord, through a
Keeper): after a restart and Run All the box picks up the same participant while the session
is open, says so, and offers "Leave this session" to forget it; a session that has ended or
expired is said in a sentence, forgotten, and the join form comes back. Without a state_key
nothing is kept: the join page that a facilitator's server shows to the whole room runs in
one state folder for everyone, so a kept join there would hand one person's place to the next.
"""

from __future__ import annotations

import time
from typing import Callable

import ipywidgets as widgets

from tlkit.live import (ContributionRefused, JoinRefused, LiveStore, Participant,
                        SessionState)
from tlkit.live.contributions import MAX_NAME, MAX_TEXT, USEFUL_LABELS, USEFUL_SCALE
from tlkit.live.store import new_contribution_id, new_page_key, normal_code
from tlkit.practice.follow import Follower
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.teachback import RUBRIC_ID as TEACH_BACK_RUBRIC, teach_back_label
from tlkit.store import Keeper, LiveJoinRecord, Store, StoreUnavailable, default_store
from tlkit.widgets.common import cannot_save_text, keeper_notice, message_html
from tlkit.widgets.live.step import step_html

WIDE = widgets.Layout(width="100%", max_width="640px")
# This kernel's name for the store's wrong-code limit: a Voila page has its own kernel, and
# running the cell again in a notebook does not start the count afresh.
KERNEL_PAGE_KEY = new_page_key()


def _label(text: str) -> widgets.HTML:
    return widgets.HTML(f"<div style='font-weight:bold;font-size:1.15em;margin-top:0.8em'>"
                        f"{text}</div>")


class LiveSessionJoin(widgets.VBox):
    """Join a live session and follow it. state_key: keep the join under this key so a
    restart picks it up (default: keep nothing); live: the sessions' database (default:
    TLKIT_LIVE_DB); store: where the join is kept (default: the state folder; a LiveStore
    given here, as older calls do, is taken as `live`); now: the time source (tests pass a
    fake); page: the key this page's wrong codes are counted under (default: one per
    kernel)."""

    def __init__(self, *, state_key: str | None = None, live: LiveStore | None = None,
                 store: Store | LiveStore | None = None, now: Callable[[], float] = time.time,
                 page: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(store, LiveStore):
            live, store = store, None
        self.page = page or KERNEL_PAGE_KEY
        self.add_class("tlkit-live-join")
        self.layout.max_width = "760px"
        self.live = live or LiveStore()
        self.state_key = state_key
        self.store = store or default_store()
        self._keeper = Keeper(self.store, state_key, LiveJoinRecord) if state_key else None
        self._held: LiveJoinRecord | None = None   # a kept join not picked up yet (no database)
        self._now = now
        self.participant: Participant | None = None
        self.state: SessionState | None = None
        self._seen: int | None = None
        self._pending: dict[str, str] = {}      # form -> id of a send not yet confirmed
        self._follower: Follower | None = None
        self._rubric = None
        self._episode_id: str | None = None

        self.code_box = widgets.Text(description="Join code:", placeholder="e.g. K7PQ2M",
                                     style={"description_width": "initial"}, layout=WIDE)
        self.code_box.add_class("tlkit-live-code-box")
        self.name_box = widgets.Text(description="Your name (optional):",
                                     placeholder=f"up to {MAX_NAME} letters",
                                     style={"description_width": "initial"}, layout=WIDE)
        self.name_box.add_class("tlkit-live-name-box")
        self.named = widgets.Checkbox(description="Let the facilitator see my name beside what "
                                      "I send (the group never sees names)", indent=False,
                                      layout=WIDE)
        self.join_button = widgets.Button(description="Join", button_style="primary",
                                          style={"button_color": "#1565c0"})
        self.join_button.add_class("tlkit-live-join-button")
        self.join_button.on_click(lambda _: self.join())
        self.join_message = widgets.HTML()
        self.join_message.add_class("tlkit-live-join-message")
        self.save_status = widgets.HTML()
        self.save_status.add_class("tlkit-live-save-status")
        self.join_panel = widgets.VBox([
            widgets.HTML("<div style='font-size:1.2em'>Type the code the facilitator shows, "
                         "then press Join. For the session to count towards your PD hours, "
                         "type your name as it is on the course roster.</div>"),
            self.code_box, self.name_box, self.named, self.join_button, self.join_message])
        self.children = [self.save_status, self.join_panel]
        if self._keeper is not None:
            self._resume()

    # -- joining, picking a kept join up, leaving -------------------------------------------

    def _resume(self) -> bool:
        """Pick up the join kept under state_key, if its session is still open."""
        saved = self._keeper.restore()
        self.save_status.value = keeper_notice(self._keeper, "Your earlier join",
                                               "Join with the code below.")
        if saved is None or not saved.joined:
            return False
        try:
            participant = self.live.participant(saved.code, saved.participant_id)
            state = self.live.state(participant.code)
        except JoinRefused as err:
            self._forget()
            self.join_message.value = message_html(
                f"{err} This page has forgotten it. To join a session, type its code below.",
                "warning")
            return False
        except StoreUnavailable as err:
            # Kept: pressing Join with the same code picks the same participant up.
            self._held = saved
            self.code_box.value = saved.code
            self.join_message.value = message_html(
                f"This page could not go back to session {saved.code} yet: {err.problem}. "
                "Press Join in a moment to carry on as the same participant.", "warning")
            return False
        self._enter(participant, state, resumed=True)
        return True

    def join(self) -> bool:
        held = self._held if self._held and self._held.code == normal_code(
            self.code_box.value) else None
        try:
            participant = None
            if held is not None:
                try:
                    participant = self.live.participant(held.code, held.participant_id)
                except JoinRefused:
                    self._forget()              # gone since: an ordinary join says the rest
                    held = None
            if participant is None:
                participant = self.live.join(self.code_box.value, self.name_box.value,
                                             attributed=self.named.value, page=self.page)
            state = self.live.state(participant.code)
        except (JoinRefused, ContributionRefused) as err:
            self.join_message.value = message_html(str(err), "problem")
            return False
        except StoreUnavailable as err:
            self.join_message.value = message_html(cannot_save_text(err), "problem")
            return False
        if held is None and self._keeper is not None:
            self._keeper.put(LiveJoinRecord(participant.code, participant.id))
            self.save_status.value = keeper_notice(self._keeper)    # "" once kept
        self._enter(participant, state, resumed=held is not None)
        return True

    def _forget(self) -> bool:
        """Drop the kept join (an empty record in its place); False if it could not be."""
        self._held = None
        if self._keeper is None:
            return True
        kept = self._keeper.put(LiveJoinRecord())
        self.save_status.value = keeper_notice(self._keeper)
        return kept

    def leave(self) -> bool:
        """Stop following this session on this page and forget the kept join. What was sent
        stays with the facilitator; joining again counts as a new participant."""
        if self.participant is None:
            return False
        code = self.participant.code
        if self._follower is not None:
            self._follower.stop()
            self._follower = None
        self.participant, self.state, self._seen = None, None, None
        self._pending.clear()
        self._forget()      # if it cannot be forgotten, save_status says why
        self.code_box.value = ""
        self.join_message.value = message_html(
            f"You left session {code}. What you sent stays with the facilitator. To join "
            "again, type the code; you will count as a new participant.")
        self.children = [self.save_status, self.join_panel]
        return True

    def _enter(self, participant: Participant, state: SessionState, *,
               resumed: bool = False) -> None:
        self._held = None
        self.join_message.value = ""
        self.participant, self.state = participant, state
        self._seen = self.state.revision
        self._rubric = self._episode_id = None
        if self.state.episode_id:
            try:
                episode = load_episode(self.state.episode_id)
                self._rubric, self._episode_id = load_rubric(episode.rubric_id), episode.id
            except Exception:  # an episode this kit does not have: no scoring form
                self._rubric = None
        self._build_session(resumed)
        self.refresh()
        self._follower = Follower(self.follow)

    def _build_session(self, resumed: bool = False) -> None:
        p = self.participant
        who = f"{p.name}, participant {p.number}" if p.name else f"participant {p.number}"
        self.banner = widgets.HTML(message_html(
            f"You are back in session {p.code} as {who}, as before; what you sent earlier is "
            "still with the facilitator." if resumed else
            f"You joined session {p.code} as {who}."))
        self.banner.add_class("tlkit-live-banner")
        self.step = widgets.HTML()
        self.step.add_class("tlkit-live-step")
        self.message = widgets.HTML()
        self.message.add_class("tlkit-live-message")

        self.scoring_for = widgets.Text(
            description="Whose segment? (empty: the reference episode)", layout=WIDE,
            style={"description_width": "initial"})
        self.scoring_for.add_class("tlkit-live-scoring-for")
        self.tone = widgets.RadioButtons(options=[("Warm", "warm"), ("Cool", "cool")],
                                         description="Kind of feedback:",
                                         style={"description_width": "initial"})
        self.feedback_box = widgets.Textarea(description="Feedback:", layout=WIDE,
                                             placeholder=f"up to {MAX_TEXT} characters")
        self.feedback_button = self._send_button("Send feedback", self.send_feedback)
        parts = [self.save_status, self.banner]
        if self._keeper is not None:
            self.leave_button = widgets.Button(
                description="Leave this session", layout=widgets.Layout(width="auto"),
                tooltip="Stop following this session here and forget it on this page; what "
                        "you sent stays with the facilitator")
            self.leave_button.add_class("tlkit-live-leave")
            self.leave_button.on_click(lambda _: self.leave())
            parts.append(self.leave_button)
        parts += [self.step, self.message,
                  _label("Feedback"), self.tone, self.feedback_box, self.feedback_button]

        self.score_boxes: dict[str, widgets.Dropdown] = {}
        if self._rubric is not None:
            rubric = self._rubric
            options = [("not scored", None)] + [(f"{level} {label}", level)
                                                for level, label in rubric.scale.items()]
            for lf in rubric.look_fors:
                # As wide as the screen allows, up to 460 px: nothing runs off a phone.
                box = widgets.Dropdown(options=options, value=None, description=f"{lf.short}:",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="100%", max_width="460px"))
                box.add_class(f"tlkit-live-score-{lf.id}")
                self.score_boxes[lf.id] = box
            self.scores_button = self._send_button("Send scores", self.send_scores)
            heading = [_label("Calibration scores")]
            if rubric.id == TEACH_BACK_RUBRIC:
                # A teach-back session: the same sheet scores the reference episode (name
                # left empty) and then each colleague's segment; feedback goes to them too.
                heading = [_label("Scores: the reference episode first, then each segment"),
                           self.scoring_for]
            parts += [*heading, *self.score_boxes.values(), self.scores_button]

        self.useful = widgets.Dropdown(
            options=[("choose", None)] + [(f"{n} {USEFUL_LABELS[n]}", n) for n in USEFUL_SCALE],
            value=None, description="How useful was this session?",
            style={"description_width": "initial"}, layout=WIDE)
        self.try_box = widgets.Text(description="One thing I will try:", layout=WIDE,
                                    style={"description_width": "initial"})
        self.exit_button = self._send_button("Send exit ticket", self.send_exit)
        self.question_box = widgets.Textarea(description="Question:", layout=WIDE,
                                             placeholder=f"up to {MAX_TEXT} characters")
        self.question_button = self._send_button("Send question", self.send_question)
        parts += [_label("Exit ticket"), self.useful, self.try_box, self.exit_button,
                  _label("A question for the facilitator"), self.question_box,
                  self.question_button]
        self.children = parts

    def _send_button(self, text: str, action: Callable[[], bool]) -> widgets.Button:
        button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
        button.add_class("tlkit-live-send")
        button.on_click(lambda _: action())
        return button

    # -- following the facilitator ----------------------------------------------------------

    def follow(self) -> bool:
        """Redraw if the facilitator changed something; ticks the time left either way."""
        if self.participant is None:
            return False
        revision = self.live.revision(self.participant.code)
        changed = revision != self._seen
        if changed:
            self._seen = revision
            state = self.live.state(self.participant.code)
            if state is None:
                self.state = None
                self.step.value = message_html("The facilitator has closed and deleted this "
                                               "session.", "warning")
                return True
            self.state = state
        self.refresh()
        return changed

    def refresh(self) -> None:
        if self.state is not None:
            self.step.value = step_html(self.state, self._now)

    # -- sending ----------------------------------------------------------------------------

    def _contribute(self, form: str, kind: str, body: dict) -> bool:
        if self.participant is None:
            return False
        contribution_id = self._pending.setdefault(form, new_contribution_id())
        try:
            self.live.contribute(self.participant, kind, body,
                                  contribution_id=contribution_id, sent_at=time.time(),
                                  rubric=self._rubric)
        except (ContributionRefused, JoinRefused) as err:
            self._pending.pop(form, None)      # nothing was stored: a fixed text gets a new id
            self.message.value = message_html(str(err), "problem")
            return False
        except StoreUnavailable as err:
            # Kept with its id: pressing Send again cannot store it twice.
            self.message.value = message_html(
                f"Not sent yet: {err.problem}. What you typed is still here; press the button "
                "again in a moment.", "warning")
            return False
        self._pending.pop(form, None)
        self.message.value = message_html("Sent. Thank you.")
        return True

    def send_feedback(self) -> bool:
        body = {"tone": self.tone.value, "text": self.feedback_box.value}
        if self.scoring_for.value.strip():
            body["about"] = self.scoring_for.value
        sent = self._contribute("feedback", "feedback", body)
        if sent:
            self.feedback_box.value = ""
        return sent

    def send_scores(self) -> bool:
        whose = self.scoring_for.value.strip()
        return self._contribute("scores", "scores", {
            "episode": teach_back_label(whose) if whose else self._episode_id,
            "scores": {lf: box.value for lf, box in self.score_boxes.items()}})

    def send_exit(self) -> bool:
        sent = self._contribute("exit", "exit", {"useful": self.useful.value, "try": self.try_box.value})
        if sent:
            self.try_box.value = ""
        return sent

    def send_question(self) -> bool:
        sent = self._contribute("question", "question", {"text": self.question_box.value})
        if sent:
            self.question_box.value = ""
        return sent

    def close(self) -> None:
        if self._follower is not None:
            self._follower.stop()
        super().close()
