"""The live sessions' tables and every operation on them, one code path for SQLite and
PostgreSQL (tlkit.store.sql).

Who may do what:
- The facilitator opens a session and gets a join code (short, for people to type) and a
  control token (long and secret; only its SHA-256 is stored). Only the token's holder can
  move the clock, end, export or delete the session. Any other attempt is refused with a
  plain sentence and written to the session's log.
- A participant joins with the code (and an optional display name) and gets a participant id,
  a random secret that their contributions are sent under. A wrong, ended or expired code is
  refused with a plain sentence. A page that kept the code and the id picks the same
  participant up again (`participant()`) while the session is open.
- Contributions carry an id made by the sender's view before the first try, so one sent
  twice (a retry after a dropped connection) is stored once. Each participant may send at
  most RATE_LIMIT contributions in any RATE_WINDOW seconds.
- Join codes cannot be found by trying: each page that joins names itself with a random page
  key, and a page that typed WRONG_CODE_LIMIT codes that open no session in the last
  WRONG_CODE_WAIT seconds is refused until they are that old ("wait 30 seconds"), right code
  or not. A script can make new page keys, so the whole database also takes at most
  WRONG_CODE_GLOBAL wrong codes in any WRONG_CODE_GLOBAL_WINDOW seconds from all pages
  together. The first refusal of each lock-out is written to the log under no session
  (`server_log()`). Refused tries are not looked up, so they tell nothing about any code.

Views follow by light polling: `state()` is one row (the clock and its revision) and
`latest_seq()` one indexed maximum, cheap enough to ask twice a second from every page.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text,
                        delete, func, select)
from sqlalchemy.exc import IntegrityError

from tlkit.live.contributions import ContributionRefused, check, clean_name
from tlkit.live.questions import (ANSWER_KINDS, Question, check_answer, check_question,
                                  qna_items)
from tlkit.practice.clock import ProtocolClock, RunnerState
from tlkit.settings import live_db_url
from tlkit.store.sql import METADATA, engine_for, transaction

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I/L: easy to read aloud
CODE_LENGTH = 6
SESSION_HOURS = 12            # a code stops working this long after the session was opened
RATE_LIMIT = 20               # contributions per participant ...
RATE_WINDOW = 10.0            # ... in any this many seconds (a person sends far fewer)
ACTIONS = ("start", "pause", "next", "back", "reset")
WRONG_CODE_LIMIT = 5          # wrong join codes from one page ...
WRONG_CODE_WAIT = 30.0        # ... in any this many seconds, then that page waits this long
WRONG_CODE_GLOBAL = 120       # wrong join codes from every page together ...
WRONG_CODE_GLOBAL_WINDOW = 60.0   # ... in any this many seconds (a room mistypes far fewer)
ANY_PAGE = "-"                # the page key of callers that give none: they share one limit

SESSIONS = Table(
    "tlkit_live_sessions", METADATA,
    Column("code", String(12), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("title", String(200), nullable=False, default=""),
    Column("protocol_id", String(80), nullable=False),
    Column("episode_id", String(80), nullable=True),
    Column("clock", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("opened_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("ended_at", Float, nullable=True),
)
PARTICIPANTS = Table(
    "tlkit_live_participants", METADATA,
    Column("id", String(64), primary_key=True),
    Column("code", String(12), ForeignKey("tlkit_live_sessions.code", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("name", String(80), nullable=False, default=""),
    Column("attributed", Boolean, nullable=False, default=False),
    Column("joined_at", Float, nullable=False),
)
CONTRIBUTIONS = Table(
    "tlkit_live_contributions", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("code", String(12), ForeignKey("tlkit_live_sessions.code", ondelete="CASCADE"),
           nullable=False),
    Column("participant_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("sent_at", Float, nullable=False),
    Column("stored_at", Float, nullable=False),
    Index("tlkit_live_contributions_code_seq", "code", "seq"),
    Index("tlkit_live_contributions_rate", "participant_id", "stored_at"),
)
JOIN_TRIES = Table(
    "tlkit_live_join_tries", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("page", String(64), nullable=False),
    Column("at", Float, nullable=False, index=True),
    Column("outcome", String(12), nullable=False),    # "wrong", or "refused" (logged once)
    Index("tlkit_live_join_tries_page", "page", "at"),
)
QUESTIONS = Table(
    "tlkit_live_questions", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), ForeignKey("tlkit_live_sessions.code", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("kind", String(12), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("options", Text, nullable=False),
    Column("multiple", Boolean, nullable=False),
    Column("open", Boolean, nullable=False),
    Column("shown", Boolean, nullable=False),
    Column("asked_at", Float, nullable=False),
)
HIDDEN = Table(     # Q&A items the facilitator hid from the room and the projector
    "tlkit_live_hidden", METADATA,
    Column("contribution_id", String(64), primary_key=True),
    Column("code", String(12), ForeignKey("tlkit_live_sessions.code", ondelete="CASCADE"),
           nullable=False, index=True),
)
# What a session leaves behind when it ends, for the course's hours and its evaluation
# (tlkit.evaluation): who joined under which name and when, and the exit tickets' ratings.
# Written by end(); delete() removes the session and what was sent, but not this record,
# so attendance survives a deleted session that was ended first. The texts people wrote are
# not kept here (only whether an exit ticket named something to try).
SESSION_RECORDS = Table(
    "tlkit_live_session_records", METADATA,
    Column("code", String(12), primary_key=True),
    Column("module", String(80), nullable=True),
    Column("title", String(200), nullable=False, default=""),
    Column("opened_at", Float, nullable=False),
    Column("ended_at", Float, nullable=False),
    Column("record", Text, nullable=False),     # JSON: joins, exits, taught
)
LOG = Table(
    "tlkit_live_log", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, index=True),
    Column("at", Float, nullable=False),
    Column("event", String(300), nullable=False),
)


class JoinRefused(ValueError):
    """A join code that does not open a session; the message says what to do."""


class NoSuchSession(JoinRefused):
    """The code opens no session (never did, or was deleted): counted as a wrong try."""


class TooManyWrongCodes(JoinRefused):
    """A page (or every page together) typed too many wrong codes; wait, then try again."""


class NotAllowed(PermissionError):
    """Only the facilitator (the control token's holder) may do this."""


@dataclass(frozen=True)
class Facilitation:
    """What the facilitator's view holds: the code to share and the secret token."""
    code: str
    token: str


@dataclass(frozen=True)
class Participant:
    id: str
    code: str
    number: int           # "Participant 3": how the group sees them
    name: str


@dataclass(frozen=True)
class SessionState:
    code: str
    title: str
    protocol_id: str
    episode_id: str | None
    clock: RunnerState
    revision: int
    ended: bool
    expires_at: float
    opened_at: float = 0.0


@dataclass(frozen=True)
class SessionRecord:
    """An ended session as the hours ledger and the evaluation read it."""
    code: str
    module: str | None       # the course module whose live session this was, when known
    title: str
    opened_at: float
    ended_at: float
    joins: tuple[tuple[str, float], ...]     # (display name, joined at), "" for no name
    exits: tuple[tuple[int, bool], ...]      # (usefulness 1-5, named a thing to try)
    taught: tuple[str, ...] = ()             # teach-backs scored in it: the teachers' names


@dataclass(frozen=True)
class Contribution:
    seq: int
    id: str
    kind: str
    body: dict[str, Any]
    participant: int        # the participant's number
    name: str               # their display name if they agreed to be named, else ""
    sent_at: float
    stored_at: float


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normal_code(code: Any) -> str:
    """What a person typed, as a code: case, spaces and dashes ignored."""
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:CODE_LENGTH * 2]


def new_contribution_id() -> str:
    return uuid.uuid4().hex


def new_page_key() -> str:
    """A random name for one participant page, under which its wrong codes are counted."""
    return secrets.token_hex(16)


def _page_key(page: Any) -> str:
    if (isinstance(page, str) and 1 <= len(page) <= 64 and page.isprintable()
            and page != "*"):       # "*" is where refusals of every page together are kept
        return page
    return ANY_PAGE


class LiveStore:
    """Live sessions in the database at `url` (default: TLKIT_LIVE_DB, tlkit.settings)."""

    def __init__(self, url: str | None = None, *, now: Callable[[], float] = time.time):
        self.url = url or live_db_url()
        self.now = now
        self._engine = None

    @property
    def engine(self):
        if self._engine is None:
            from sqlalchemy.exc import SQLAlchemyError

            from tlkit.store.sql import unavailable
            try:
                self._engine = engine_for(self.url)
            except SQLAlchemyError as err:
                raise unavailable(err) from err
        return self._engine

    # -- the facilitator --------------------------------------------------------------------

    def open_session(self, protocol_id: str, step_minutes: list[int], *, title: str = "",
                     episode_id: str | None = None) -> Facilitation:
        token = secrets.token_urlsafe(32)
        clock = RunnerState(protocol_id, list(step_minutes))
        now = self.now()
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with transaction(self.engine) as connection:
                    connection.execute(SESSIONS.insert().values(
                        code=code, token_hash=_hash(token), title=title[:200],
                        protocol_id=protocol_id, episode_id=episode_id,
                        clock=json.dumps(clock.to_dict()), revision=1, opened_at=now,
                        expires_at=now + SESSION_HOURS * 3600, ended_at=None))
                return Facilitation(code, token)
            except IntegrityError:
                continue    # that code is taken: draw another
        raise RuntimeError("Could not find a free join code; try again.")

    def _session_row(self, connection, code: str, lock: bool = False):
        query = select(SESSIONS).where(SESSIONS.c.code == normal_code(code))
        if lock and connection.dialect.name == "postgresql":
            query = query.with_for_update()
        return connection.execute(query).first()

    def _log(self, connection, code: str, event: str) -> None:
        connection.execute(LOG.insert().values(code=normal_code(code), at=self.now(),
                                               event=event[:300]))

    def _authorise(self, code: str, token: str | None, what: str) -> None:
        """Raise NotAllowed (and log the attempt) unless `token` controls session `code`."""
        with transaction(self.engine) as connection:
            row = self._session_row(connection, code)
            if row is None:
                raise NotAllowed("There is no such session (it may have been deleted).")
            if isinstance(token, str) and hmac.compare_digest(row.token_hash, _hash(token)):
                return
            self._log(connection, code, f"refused: {what} without the facilitator's token")
        raise NotAllowed(f"Only the facilitator can {what}; nothing was changed.")

    def control(self, code: str, token: str | None, action: str) -> SessionState:
        """Press a clock button (start, pause, next, back, reset) as the facilitator."""
        if action not in ACTIONS:
            raise ValueError(f"'{action}' is not a clock button.")
        self._authorise(code, token, f"press {action.capitalize()} on the clock")
        with transaction(self.engine) as connection:
            row = self._session_row(connection, code, lock=True)
            if row is None or row.ended_at is not None:
                raise NotAllowed("This session has ended; open a new one to run the clock.")
            clock = ProtocolClock(RunnerState.from_dict(json.loads(row.clock)), now=self.now)
            getattr(clock, action)()
            connection.execute(SESSIONS.update().where(SESSIONS.c.code == row.code).values(
                clock=json.dumps(clock.state.to_dict()), revision=SESSIONS.c.revision + 1))
        return self.state(code)

    def end(self, code: str, token: str | None, *, module: str | None = None) -> None:
        """Close the session to new joins and contributions; what was sent stays to export.
        `module`: the course module this was the live session of; the session's record
        (SessionRecord: joins and exit ratings) is kept under it for the hours ledger."""
        self._authorise(code, token, "end the session")
        code = normal_code(code)
        with transaction(self.engine) as connection:
            connection.execute(SESSIONS.update().where(SESSIONS.c.code == code)
                               .values(ended_at=self.now(), revision=SESSIONS.c.revision + 1))
            self._keep_record(connection, code, module)

    def _keep_record(self, connection, code: str, module: str | None) -> None:
        from tlkit.practice.teachback import LABEL_PREFIX

        row = self._session_row(connection, code)
        joins = [[r.name, r.joined_at] for r in connection.execute(
            select(PARTICIPANTS.c.name, PARTICIPANTS.c.joined_at)
            .where(PARTICIPANTS.c.code == code).order_by(PARTICIPANTS.c.number))]
        latest: dict[str, dict] = {}     # a participant's last exit ticket is their answer
        taught: set[str] = set()
        for sent in connection.execute(
                select(CONTRIBUTIONS.c.participant_id, CONTRIBUTIONS.c.kind,
                       CONTRIBUTIONS.c.body).where(CONTRIBUTIONS.c.code == code,
                                                   CONTRIBUTIONS.c.kind.in_(("exit", "scores")))
                .order_by(CONTRIBUTIONS.c.seq)):
            body = json.loads(sent.body)
            if sent.kind == "exit":
                latest[sent.participant_id] = body
            elif str(body.get("episode", "")).startswith(LABEL_PREFIX):
                taught.add(body["episode"][len(LABEL_PREFIX):])
        exits = [[int(b["useful"]), bool(b.get("try"))] for b in latest.values()]
        record = {"joins": joins, "exits": exits, "taught": sorted(taught)}
        connection.execute(delete(SESSION_RECORDS).where(SESSION_RECORDS.c.code == code))
        connection.execute(SESSION_RECORDS.insert().values(
            code=code, module=(module or None) and str(module)[:80], title=row.title,
            opened_at=row.opened_at, ended_at=row.ended_at or self.now(),
            record=json.dumps(record)))

    def session_records(self, since: float = 0.0) -> list[SessionRecord]:
        """Every ended session's record (oldest first), deleted sessions' included."""
        with transaction(self.engine) as connection:
            rows = connection.execute(select(SESSION_RECORDS).where(SESSION_RECORDS.c.opened_at >= since)
                                      .order_by(SESSION_RECORDS.c.opened_at, SESSION_RECORDS.c.code)).all()
        records = []
        for row in rows:
            data = json.loads(row.record)
            records.append(SessionRecord(
                row.code, row.module, row.title, row.opened_at, row.ended_at,
                tuple((str(n), float(t)) for n, t in data.get("joins", [])),
                tuple((int(u), bool(t)) for u, t in data.get("exits", [])),
                tuple(str(n) for n in data.get("taught", []))))
        return records

    def delete(self, code: str, token: str | None) -> None:
        """Remove the session and everything sent to it, for good. The record end() kept
        (joins and exit ratings: SessionRecord) stays, for the course's hours."""
        self._authorise(code, token, "delete the session")
        code = normal_code(code)
        with transaction(self.engine) as connection:
            for table in (HIDDEN, QUESTIONS, CONTRIBUTIONS, PARTICIPANTS, LOG, SESSIONS):
                connection.execute(delete(table).where(table.c.code == code))

    # -- questions to the room ---------------------------------------------------------------

    def _bump(self, connection, code: str) -> None:
        """A new revision, so every page following the session looks again."""
        connection.execute(SESSIONS.update().where(SESSIONS.c.code == normal_code(code))
                           .values(revision=SESSIONS.c.revision + 1))

    def ask(self, code: str, token: str | None, kind: str, prompt: str,
            options: list[str] | tuple[str, ...] = (), *, multiple: bool = False) -> Question:
        """Put a question to the room (tlkit.live.questions); it stays open until closed."""
        self._authorise(code, token, "ask the room a question")
        prompt, options = check_question(kind, prompt, options)
        with transaction(self.engine) as connection:
            row = self._session_row(connection, code, lock=True)
            if row is None or row.ended_at is not None:
                raise NotAllowed("This session has ended; open a new one to ask questions.")
            result = connection.execute(QUESTIONS.insert().values(
                code=row.code, kind=kind, prompt=prompt, options=json.dumps(options),
                multiple=bool(multiple and kind == "poll"), open=True, shown=False,
                asked_at=self.now()))
            self._bump(connection, row.code)
        return Question(result.inserted_primary_key[0], kind, prompt, tuple(options),
                        bool(multiple and kind == "poll"))

    def _change_question(self, code: str, token: str | None, what: str, **values) -> None:
        self._authorise(code, token, what)
        with transaction(self.engine) as connection:
            connection.execute(QUESTIONS.update().where(
                QUESTIONS.c.code == normal_code(code), *values.pop("where")).values(**values))
            self._bump(connection, code)

    def close_question(self, code: str, token: str | None, question_id: int) -> None:
        self._change_question(code, token, "close a question", open=False,
                              where=[QUESTIONS.c.id == question_id])

    def show_question(self, code: str, token: str | None, question_id: int | None) -> None:
        """Show this question's results on the presenter view (None: show none)."""
        self._change_question(code, token, "choose what the projector shows", shown=False,
                              where=[])
        if question_id is not None:
            self._change_question(code, token, "choose what the projector shows", shown=True,
                                  where=[QUESTIONS.c.id == question_id])

    def hide(self, code: str, token: str | None, contribution_id: str) -> None:
        """Hide a Q&A item from the room and the projector (the facilitator still sees it)."""
        self._authorise(code, token, "hide a question")
        with transaction(self.engine) as connection:
            if connection.execute(select(HIDDEN.c.code).where(
                    HIDDEN.c.contribution_id == contribution_id)).first() is None:
                connection.execute(HIDDEN.insert().values(contribution_id=contribution_id,
                                                          code=normal_code(code)))
            self._bump(connection, code)

    def questions(self, code: str) -> list[Question]:
        """Every question asked in the session, oldest first (prompts are no secret)."""
        with transaction(self.engine) as connection:
            rows = connection.execute(select(QUESTIONS).where(
                QUESTIONS.c.code == normal_code(code)).order_by(QUESTIONS.c.id)).all()
        return [Question(row.id, row.kind, row.prompt, tuple(json.loads(row.options)),
                         row.multiple, row.open, row.shown) for row in rows]

    def hidden(self, code: str) -> set[str]:
        with transaction(self.engine) as connection:
            return set(connection.execute(select(HIDDEN.c.contribution_id).where(
                HIDDEN.c.code == normal_code(code))).scalars())

    def board(self, code: str) -> list[dict[str, Any]]:
        """The open questions as the room sees them: for Q&A, the items not hidden with their
        votes, without names or who sent what."""
        questions = [q for q in self.questions(code) if q.open]
        if any(q.kind == "qna" for q in questions):
            with transaction(self.engine) as connection:
                rows = connection.execute(
                    select(CONTRIBUTIONS.c.seq, CONTRIBUTIONS.c.id, CONTRIBUTIONS.c.kind,
                           CONTRIBUTIONS.c.body, CONTRIBUTIONS.c.participant_id)
                    .where(CONTRIBUTIONS.c.code == normal_code(code),
                           CONTRIBUTIONS.c.kind.in_(("ask", "upvote")))
                    .order_by(CONTRIBUTIONS.c.seq)).all()
            people: dict[str, int] = {}     # a number per voter, only to count votes once
            items = [Contribution(row.seq, row.id, row.kind, json.loads(row.body),
                                  people.setdefault(row.participant_id, len(people)), "",
                                  0.0, 0.0) for row in rows]
            hidden = self.hidden(code)
        board = []
        for question in questions:
            shown = question.public()
            if question.kind == "qna":
                shown["items"] = [{"id": row["id"], "text": row["text"], "votes": row["votes"]}
                                  for row in qna_items(question, items, hidden)]
            board.append(shown)
        return board

    def log(self, code: str, token: str | None) -> list[tuple[float, str]]:
        """The session's log (refused attempts), for the facilitator."""
        self._authorise(code, token, "read the session's log")
        with transaction(self.engine) as connection:
            rows = connection.execute(select(LOG.c.at, LOG.c.event)
                                      .where(LOG.c.code == normal_code(code))
                                      .order_by(LOG.c.seq)).all()
        return [(row.at, row.event) for row in rows]

    def contributions(self, code: str, token: str | None, after: int = 0) -> list[Contribution]:
        """What was sent (after seq `after`), oldest first, for the facilitator only."""
        self._authorise(code, token, "read what participants sent")
        return self._contributions(code, after)

    def _contributions(self, code: str, after: int = 0) -> list[Contribution]:
        query = (select(CONTRIBUTIONS, PARTICIPANTS.c.number, PARTICIPANTS.c.name,
                        PARTICIPANTS.c.attributed)
                 .join(PARTICIPANTS, PARTICIPANTS.c.id == CONTRIBUTIONS.c.participant_id)
                 .where(CONTRIBUTIONS.c.code == normal_code(code), CONTRIBUTIONS.c.seq > after)
                 .order_by(CONTRIBUTIONS.c.seq))
        with transaction(self.engine) as connection:
            rows = connection.execute(query).all()
        return [Contribution(seq=row.seq, id=row.id, kind=row.kind, body=json.loads(row.body),
                             participant=row.number,
                             name=row.name if row.attributed else "", sent_at=row.sent_at,
                             stored_at=row.stored_at) for row in rows]

    def participants(self, code: str) -> int:
        with transaction(self.engine) as connection:
            return connection.execute(select(func.count()).select_from(PARTICIPANTS)
                                      .where(PARTICIPANTS.c.code == normal_code(code))).scalar()

    def latest_seq(self, code: str) -> int:
        """The newest contribution's number (0 if none): a cheap 'anything new?'."""
        with transaction(self.engine) as connection:
            return connection.execute(select(func.coalesce(func.max(CONTRIBUTIONS.c.seq), 0))
                                      .where(CONTRIBUTIONS.c.code == normal_code(code))).scalar()

    # -- everyone ---------------------------------------------------------------------------

    def state(self, code: str) -> SessionState | None:
        with transaction(self.engine) as connection:
            row = self._session_row(connection, code)
        if row is None:
            return None
        return SessionState(code=row.code, title=row.title, protocol_id=row.protocol_id,
                            episode_id=row.episode_id,
                            clock=RunnerState.from_dict(json.loads(row.clock)),
                            revision=row.revision, ended=row.ended_at is not None,
                            expires_at=row.expires_at, opened_at=row.opened_at)

    def revision(self, code: str) -> int | None:
        with transaction(self.engine) as connection:
            return connection.execute(select(SESSIONS.c.revision)
                                      .where(SESSIONS.c.code == normal_code(code))).scalar()

    # -- participants -----------------------------------------------------------------------

    def _open_row(self, connection, code: str):
        typed = normal_code(code)
        if not typed:
            raise JoinRefused("Type the join code the facilitator shows (six letters and "
                              "digits).")
        row = self._session_row(connection, typed)
        if row is None:
            raise NoSuchSession(f"There is no session with the code {typed}. Check the code "
                                "with the facilitator and type it again.")
        if row.ended_at is not None:
            raise JoinRefused(f"The session {typed} has ended. Ask the facilitator for the "
                              "code of today's session.")
        if self.now() > row.expires_at:
            raise JoinRefused(f"The code {typed} has expired (codes last {SESSION_HOURS} "
                              "hours). Ask the facilitator for a new one.")
        return row

    def _wrong_code_limits(self, connection, page: str) -> TooManyWrongCodes | None:
        """The refusal to raise if this page, or every page together, has typed too many
        wrong codes lately (None if it may try); logs the first refusal of each lock-out."""
        now = self.now()

        def count(*where) -> int:
            return connection.execute(select(func.count()).select_from(JOIN_TRIES)
                                      .where(JOIN_TRIES.c.outcome == "wrong", *where)).scalar()

        def refused_since(key: str, since: float) -> bool:
            return connection.execute(select(JOIN_TRIES.c.seq).where(
                JOIN_TRIES.c.page == key, JOIN_TRIES.c.outcome == "refused",
                JOIN_TRIES.c.at >= since).limit(1)).first() is not None

        def refuse(key: str, since: float, event: str, sentence: str) -> TooManyWrongCodes:
            if not refused_since(key, since):    # once per lock-out, so a flood writes little
                connection.execute(JOIN_TRIES.insert().values(page=key, at=now,
                                                              outcome="refused"))
                self._log(connection, "", event)
            return TooManyWrongCodes(sentence)

        window = now - WRONG_CODE_WAIT
        if count(JOIN_TRIES.c.page == page, JOIN_TRIES.c.at > window) >= WRONG_CODE_LIMIT:
            last_wrong = connection.execute(
                select(func.max(JOIN_TRIES.c.at)).where(JOIN_TRIES.c.page == page,
                                                        JOIN_TRIES.c.outcome == "wrong")).scalar()
            return refuse(page, last_wrong,
                          f"refused: join from page {page[:8]} after {WRONG_CODE_LIMIT} wrong "
                          f"codes in {WRONG_CODE_WAIT:g} seconds",
                          f"Too many wrong codes from this page; wait {WRONG_CODE_WAIT:g} "
                          "seconds and try again.")
        window = now - WRONG_CODE_GLOBAL_WINDOW
        if count(JOIN_TRIES.c.at > window) >= WRONG_CODE_GLOBAL:
            return refuse("*", window,
                          f"refused: joins from every page after {WRONG_CODE_GLOBAL} wrong "
                          f"codes in {WRONG_CODE_GLOBAL_WINDOW:g} seconds",
                          "Too many wrong codes were typed on this server in the last minute; "
                          "wait a minute and try again.")
        return None

    def _wrong_code(self, page: str) -> None:
        """Count one code that opened no session, in its own transaction (the join's own is
        rolled back by the refusal); tries older than any window are cleared on the way."""
        now = self.now()
        keep = now - 10 * max(WRONG_CODE_WAIT, WRONG_CODE_GLOBAL_WINDOW)
        with transaction(self.engine) as connection:
            connection.execute(JOIN_TRIES.insert().values(page=page, at=now, outcome="wrong"))
            connection.execute(delete(JOIN_TRIES).where(JOIN_TRIES.c.at < keep))

    def server_log(self, since: float = 0.0) -> list[tuple[float, str]]:
        """Refusals that belong to no session (too many wrong codes), oldest first: for
        whoever runs the server. Page keys appear shortened; no code or name is kept."""
        with transaction(self.engine) as connection:
            rows = connection.execute(select(LOG.c.at, LOG.c.event)
                                      .where(LOG.c.code == "", LOG.c.at >= since)
                                      .order_by(LOG.c.seq)).all()
        return [(row.at, row.event) for row in rows]

    def join(self, code: str, name: str = "", *, attributed: bool = False,
             page: str | None = None) -> Participant:
        """Join a session. `attributed`: the participant agrees that the facilitator sees
        their name beside what they send (the group never does). `page`: the joining page's
        key (new_page_key()), under which its wrong codes are counted."""
        name = clean_name(name)
        page = _page_key(page)
        refused: TooManyWrongCodes | None = None
        try:
            with transaction(self.engine) as connection:
                if normal_code(code):
                    refused = self._wrong_code_limits(connection, page)
                if refused is None:
                    row = self._open_row(connection, code)
                    # The number is the count so far plus one, under the session row's lock.
                    self._session_row(connection, row.code, lock=True)
                    number = connection.execute(
                        select(func.count()).select_from(PARTICIPANTS)
                        .where(PARTICIPANTS.c.code == row.code)).scalar() + 1
                    participant = Participant(secrets.token_hex(16), row.code, number, name)
                    connection.execute(PARTICIPANTS.insert().values(
                        id=participant.id, code=row.code, number=number, name=name,
                        attributed=bool(attributed and name), joined_at=self.now()))
        except NoSuchSession:
            self._wrong_code(page)
            raise
        if refused is not None:
            raise refused       # after the commit, so the log entry stays
        return participant

    def participant(self, code: str, participant_id: str) -> Participant:
        """The participant `participant_id` of session `code` once more: a page picking up a
        join it saved (tlkit.store.LiveJoinRecord). The id is the participant's secret, so an
        id that is not one of this session's participants is refused with the same sentence
        as a session that is gone, and whether a session has ended or expired is told only to
        one of its participants: asking tells nothing about any code. Raises JoinRefused (a
        sentence) when the session is gone, has ended or has expired; no participant is added
        and no wrong code is counted."""
        typed = normal_code(code)
        gone = JoinRefused(f"The session {typed or '(no code)'} you joined earlier is no longer "
                           "there (the facilitator may have deleted it).")
        if (not typed or not isinstance(participant_id, str)
                or not 1 <= len(participant_id) <= 64):
            raise gone
        with transaction(self.engine) as connection:
            row = connection.execute(
                select(PARTICIPANTS.c.id, PARTICIPANTS.c.number, PARTICIPANTS.c.name,
                       SESSIONS.c.ended_at, SESSIONS.c.expires_at)
                .join(SESSIONS, SESSIONS.c.code == PARTICIPANTS.c.code)
                .where(PARTICIPANTS.c.id == participant_id, PARTICIPANTS.c.code == typed)
            ).first()
        if row is None or not hmac.compare_digest(row.id, participant_id):
            raise gone
        if row.ended_at is not None:
            raise JoinRefused(f"The session {typed} you joined earlier has ended.")
        if self.now() > row.expires_at:
            raise JoinRefused(f"The session {typed} you joined earlier has expired (codes last "
                              f"{SESSION_HOURS} hours).")
        return Participant(row.id, typed, row.number, row.name)

    def contribute(self, participant: Participant, kind: str, body: dict[str, Any], *,
                   contribution_id: str, sent_at: float | None = None,
                   rubric=None) -> bool:
        """Store one contribution; False if this id was stored already (sent twice).
        Raises ContributionRefused (a sentence) for bad input, a closed session or too many
        sends, and JoinRefused if the session has gone."""
        if kind in ANSWER_KINDS:
            body = body if isinstance(body, dict) else {}
            asked = body.get("question")
            clean = check_answer(kind, body, next(
                (q for q in self.questions(participant.code) if q.id == asked), None))
        else:
            clean = check(kind, body, rubric)
        if not isinstance(contribution_id, str) or not 8 <= len(contribution_id) <= 64:
            raise ContributionRefused("This contribution has no proper id; send it again.")
        now = self.now()
        try:
            with transaction(self.engine) as connection:
                who = connection.execute(
                    select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.id == participant.id)
                    .with_for_update() if connection.dialect.name == "postgresql" else
                    select(PARTICIPANTS.c.code).where(PARTICIPANTS.c.id == participant.id)
                ).scalar()
                if who is None:
                    raise JoinRefused("This page is no longer part of the session (it may "
                                      "have been deleted). Join again with the code.")
                seen = connection.execute(select(CONTRIBUTIONS.c.participant_id)
                                          .where(CONTRIBUTIONS.c.id == contribution_id)).scalar()
                if seen is not None:
                    return False
                session = self._session_row(connection, who)
                if session.ended_at is not None or now > session.expires_at:
                    raise ContributionRefused("The session has ended, so nothing more can be "
                                              "sent. Thank you for taking part.")
                recent = connection.execute(
                    select(func.count()).select_from(CONTRIBUTIONS)
                    .where(CONTRIBUTIONS.c.participant_id == participant.id,
                           CONTRIBUTIONS.c.stored_at > now - RATE_WINDOW)).scalar()
                if recent >= RATE_LIMIT:
                    raise ContributionRefused("You are sending faster than the session accepts; "
                                              "wait a few seconds and press Send again.")
                if kind == "upvote" and not self._may_vote(connection, who, participant.id,
                                                           clean["item"]):
                    return False    # voted for this one already: counted once
                connection.execute(CONTRIBUTIONS.insert().values(
                    id=contribution_id, code=who, participant_id=participant.id, kind=kind,
                    body=json.dumps(clean), sent_at=now if sent_at is None else float(sent_at),
                    stored_at=now))
                if kind in ("ask", "upvote"):
                    self._bump(connection, who)     # every page shows the new item or vote
        except IntegrityError:
            return False    # the same id arrived twice at the same moment: stored once
        return True

    def _may_vote(self, connection, code: str, participant_id: str, item: str) -> bool:
        """False when this participant voted for `item` already; ContributionRefused when
        there is no such item in the session."""
        asked = connection.execute(select(CONTRIBUTIONS.c.id).where(
            CONTRIBUTIONS.c.id == item, CONTRIBUTIONS.c.code == code,
            CONTRIBUTIONS.c.kind == "ask")).first()
        if asked is None:
            raise ContributionRefused("That question is no longer there; reload the page.")
        votes = connection.execute(select(CONTRIBUTIONS.c.body).where(
            CONTRIBUTIONS.c.participant_id == participant_id,
            CONTRIBUTIONS.c.kind == "upvote")).scalars()
        return all(json.loads(body).get("item") != item for body in votes)


def live_store(url: str | None = None) -> LiveStore:
    return LiveStore(url)
