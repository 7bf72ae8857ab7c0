"""What the participant app's routes do, apart from the web server: each call takes what the
page sent (decoded JSON) and gives back an HTTP status and a JSON-ready dict. Every message is
a plain sentence the page shows as it is.

A participant is named by the code and the participant id (their own secret, kept in the
browser's localStorage), checked once against the database and then remembered, so following
the session costs no database query per participant: the session's state is read once for
everyone (`state_of`) and each reply works the time left out from it.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

from tlkit.live import (ContributionRefused, JoinRefused, LiveStore, Participant,
                        SessionState, TooManyWrongCodes)
from tlkit.live.contributions import KINDS, MAX_NAME, MAX_TEXT, USEFUL_LABELS
from tlkit.live.questions import ANSWER_KINDS, MAX_WORDS, SCALE_LABELS
from tlkit.live.step import step_view
from tlkit.live.store import normal_code
from tlkit.store import StoreUnavailable

Reply = tuple[int, dict[str, Any]]
GONE = "The facilitator has closed and deleted this session."
UNREACHABLE = ("The session's database did not answer just now; what you typed is kept on "
               "this page and sent again in a moment.")


def _text(value: Any, limit: int = 100) -> str:
    return value[:limit] if isinstance(value, str) else ""


class RoomApp:
    """The participant app's logic over `live` (default: TLKIT_LIVE_DB)."""

    def __init__(self, live: LiveStore | None = None, *, now: Callable[[], float] = time.time):
        self.live = live or LiveStore()
        self.now = now
        self._known: dict[str, Participant] = {}     # participant id -> checked participant
        self._rubrics: dict[str, Any] = {}           # episode id -> rubric (or None)
        self._boards: dict[str, tuple[int, list]] = {}   # code -> (revision, open questions)
        self._lock = threading.Lock()

    # -- who is asking ----------------------------------------------------------------------

    def _participant(self, code: Any, participant_id: Any) -> Participant:
        """The participant these two name, or JoinRefused (a sentence)."""
        code, participant_id = _text(code, 24), _text(participant_id, 64)
        known = self._known.get(participant_id)
        if known is not None and known.code == normal_code(code):
            return known
        participant = self.live.participant(code, participant_id)
        with self._lock:
            self._known[participant.id] = participant
        return participant

    def knows(self, code: Any, participant_id: Any) -> bool:
        """True when these name a participant checked already: no database needed."""
        known = self._known.get(_text(participant_id, 64))
        return known is not None and known.code == normal_code(_text(code, 24))

    def forget_session(self, code: str) -> None:
        with self._lock:
            for pid in [p for p, who in self._known.items() if who.code == code]:
                del self._known[pid]

    def _rubric(self, episode_id: str | None):
        if not episode_id:
            return None
        if episode_id not in self._rubrics:
            from tlkit.practice.observation import load_episode, load_rubric
            try:
                self._rubrics[episode_id] = load_rubric(load_episode(episode_id).rubric_id)
            except Exception:   # an episode this kit does not have: no scoring form
                self._rubrics[episode_id] = None
        return self._rubrics[episode_id]

    # -- what the page shows ----------------------------------------------------------------

    def view(self, state: SessionState | None) -> dict[str, Any]:
        """The session as the page shows it, the time left worked out now."""
        if state is None:
            return {"gone": True, "message": GONE, "revision": None}
        step = step_view(state, self.now)
        revision, board = self._boards.get(state.code, (None, []))
        return {"revision": state.revision, "ended": step.ended, "protocol": step.protocol,
                "head": step.head, "prompts": list(step.prompts), "timing": step.timing,
                "remaining": step.remaining,
                "questions": board if revision == state.revision and not step.ended else []}

    def forms(self, state: SessionState) -> dict[str, Any]:
        """What the page asks for: limits, the exit ticket's scale, the scores' look-fors."""
        rubric = self._rubric(state.episode_id)
        scores = None
        if rubric is not None:
            scores = {"episode": state.episode_id,
                      "look_fors": [{"id": lf.id, "label": lf.short} for lf in rubric.look_fors],
                      "levels": [{"value": level, "label": f"{level} {label}"}
                                 for level, label in rubric.scale.items()]}
        return {"max_text": MAX_TEXT, "max_name": MAX_NAME, "max_words": MAX_WORDS,
                "scale": [{"value": n, "label": label} for n, label in SCALE_LABELS.items()],
                "useful": [{"value": n, "label": f"{n} {label}"}
                           for n, label in USEFUL_LABELS.items()],
                "scores": scores}

    def _welcome(self, participant: Participant, resumed: bool) -> Reply:
        state = self.state_of(participant.code)
        if state is None:
            self.forget_session(participant.code)
            return 410, {"message": GONE}
        return 200, {"code": participant.code, "participant": participant.id,
                     "number": participant.number, "name": participant.name,
                     "resumed": resumed, "session": self.view(state),
                     "forms": self.forms(state)}

    # -- the routes -------------------------------------------------------------------------

    def join(self, sent: Any, page: str | None = None) -> Reply:
        """POST /api/join {code, name, named, page}."""
        sent = sent if isinstance(sent, dict) else {}
        try:
            participant = self.live.join(_text(sent.get("code"), 24),
                                         _text(sent.get("name"), 200),
                                         attributed=sent.get("named") is True,
                                         page=page or _text(sent.get("page"), 64) or None)
            with self._lock:
                self._known[participant.id] = participant
            return self._welcome(participant, resumed=False)
        except TooManyWrongCodes as err:
            return 429, {"message": str(err)}
        except (JoinRefused, ContributionRefused) as err:
            return 400, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def resume(self, sent: Any) -> Reply:
        """POST /api/resume {code, participant}: a reloaded page picks its participant up."""
        sent = sent if isinstance(sent, dict) else {}
        try:
            participant = self._participant(sent.get("code"), sent.get("participant"))
            return self._welcome(participant, resumed=True)
        except JoinRefused as err:
            return 410, {"message": f"{err} This page has forgotten it; type a code to join "
                                    "again."}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def check(self, code: Any, participant_id: Any) -> Reply | None:
        """None when these name a participant; else the reply that refuses them."""
        try:
            self._participant(code, participant_id)
            return None
        except JoinRefused as err:
            return 410, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def state_of(self, code: str) -> SessionState | None:
        """The session's state, with the questions open in it read at the same revision."""
        state = self.live.state(code)
        if state is None:
            self.forget_session(normal_code(code))
            return None
        self._boards[state.code] = (state.revision, self.live.board(state.code))
        return state

    def send(self, sent: Any) -> Reply:
        """POST /api/send {code, participant, id, kind, body}: stored once under its id."""
        sent = sent if isinstance(sent, dict) else {}
        kind, body = sent.get("kind"), sent.get("body")
        if kind not in KINDS and kind not in ANSWER_KINDS:
            return 400, {"message": "This page sent something the session does not collect; "
                                    "reload the page."}
        try:
            participant = self._participant(sent.get("code"), sent.get("participant"))
            rubric = None
            if kind == "scores":
                state = self.live.state(participant.code)
                rubric = self._rubric(state.episode_id if state else None)
            stored = self.live.contribute(participant, kind, body,
                                          contribution_id=_text(sent.get("id"), 64),
                                          sent_at=self.now(), rubric=rubric)
        except ContributionRefused as err:
            return 400, {"message": str(err)}
        except JoinRefused as err:
            return 410, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}
        return 200, {"stored": True, "again": not stored, "message": "Sent. Thank you."}
