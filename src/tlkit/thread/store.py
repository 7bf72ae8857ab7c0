"""Between-session tasks and their reflection threads: the tables, in the live sessions'
database (TLKIT_LIVE_DB: SQLite on one machine, PostgreSQL on a hub), and every operation on
them, one code path for both (tlkit.store.sql).

Who may do what:
- The facilitator (the facilitator's pages on 127.0.0.1, or a facilitator's server on a hub)
  opens a task and gets its thread code, short for people to type. Only those pages call the
  facilitator's operations (hide, pin, export, delete); the participant app (tlkit.room) and
  the learner's lab panel have no way to reach them.
- A participant joins a task's thread with the code (an optional name, shown beside their
  posts only if they agree) and gets a person id, a random secret kept by their page. A
  learner in the lab joins under their lab id, so every visit is the same person.
- Posts carry an id made by the sender's page before the first try, so one sent twice (a retry
  after a dropped connection) is stored once. A person edits or withdraws only their own.
- Wrong thread codes count toward the live sessions' limits on wrong codes (the same page key
  and the same database), so a code cannot be found by trying.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import (Boolean, Column, Float, ForeignKey, Index, Integer, String, Table, Text,
                        UniqueConstraint, delete, func, select)
from sqlalchemy.exc import IntegrityError

from tlkit.live import JoinRefused, LiveStore, TooManyWrongCodes
from tlkit.live.store import CODE_ALPHABET, CODE_LENGTH, _page_key, normal_code
from tlkit.settings import live_db_url
from tlkit.store.sql import METADATA, engine_for, transaction
from tlkit.thread.rules import (DEFAULT_DESIGN, DEFAULT_MODULE, DEFAULT_PROTOCOL, MAX_PROMPT,
                                MAX_REASON, MAX_REPLIES_REQUIRED, MAX_TITLE, Clip,
                                ContributionRefused, Protocol, TaskRefused, check_clip,
                                check_due, check_reflection, check_reply, clean_name, clip_of,
                                load_protocol, protocol_ids, reflection_minutes)

RATE_LIMIT = 10             # posts, edits and withdrawals per person ...
RATE_WINDOW = 60.0          # ... in any this many seconds (a person writes far fewer)
MAX_POSTS = 60              # posts one person may make in one thread
KINDS = ("reflection", "reply")

TASKS = Table(
    "tlkit_thread_tasks", METADATA,
    Column("code", String(12), primary_key=True),
    Column("cohort", String(80), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("clip", String(200), nullable=False, default=""),
    Column("protocol_id", String(80), nullable=False),
    Column("due", String(10), nullable=False),
    Column("replies_required", Integer, nullable=False),
    Column("design_id", String(80), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("module", String(80), nullable=False),
    Column("opened_at", Float, nullable=False),
    Column("revision", Integer, nullable=False),
)
PEOPLE = Table(
    "tlkit_thread_people", METADATA,
    Column("id", String(64), primary_key=True),
    Column("code", String(12), ForeignKey("tlkit_thread_tasks.code", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("name", String(80), nullable=False, default=""),
    Column("named", Boolean, nullable=False, default=False),
    Column("learner_id", String(120), nullable=True),
    Column("joined_at", Float, nullable=False),
    UniqueConstraint("code", "learner_id", name="tlkit_thread_people_learner"),
)
POSTS = Table(
    "tlkit_thread_posts", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(64), nullable=False, unique=True),
    Column("code", String(12), ForeignKey("tlkit_thread_tasks.code", ondelete="CASCADE"),
           nullable=False),
    Column("person_id", String(64), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("parent", String(64), nullable=True),        # a reply's reflection
    Column("body", Text, nullable=False),               # JSON: {"stems": {...}} or {"text": ...}
    Column("posted_at", Float, nullable=False),
    Column("edited_at", Float, nullable=True),
    Column("withdrawn", Boolean, nullable=False, default=False),
    Column("hidden_reason", String(MAX_REASON), nullable=True),
    Column("pinned", Boolean, nullable=False, default=False),
    Index("tlkit_thread_posts_code_seq", "code", "seq"),
    Index("tlkit_thread_posts_rate", "person_id", "posted_at"),
)
# Every post, edit and withdrawal, for the rate limit (an edit leaves no new post row).
WRITES = Table(
    "tlkit_thread_writes", METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("code", String(12), nullable=False, index=True),
    Column("person_id", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("tlkit_thread_writes_rate", "person_id", "at"),
)


class NoSuchTask(JoinRefused):
    """The code opens no task (never did, or was deleted): counted as a wrong try."""


@dataclass(frozen=True)
class Task:
    code: str
    cohort: str
    title: str
    prompt: str
    clip: Clip
    protocol_id: str
    due: str               # ISO date
    replies_required: int
    design_id: str
    minutes: int           # the design's minutes for a video reflection
    module: str
    opened_at: float
    revision: int

    @property
    def protocol(self) -> Protocol:
        return load_protocol(self.protocol_id)


@dataclass(frozen=True)
class Person:
    id: str                # the person's secret
    code: str
    number: int            # "Participant 3"
    name: str
    named: bool            # they agreed that their name is shown beside their posts
    learner_id: str | None

    @property
    def label(self) -> str:
        """How the cohort and the facilitator see them."""
        return self.name if self.named and self.name else f"Participant {self.number}"


@dataclass(frozen=True)
class Post:
    seq: int
    id: str
    kind: str              # "reflection" or "reply"
    parent: str | None
    person: Person
    body: dict[str, Any]
    posted_at: float
    edited_at: float | None
    withdrawn: bool
    hidden_reason: str | None
    pinned: bool


def _task(row) -> Task:
    return Task(code=row.code, cohort=row.cohort, title=row.title, prompt=row.prompt,
                clip=clip_of(row.clip), protocol_id=row.protocol_id, due=row.due,
                replies_required=row.replies_required, design_id=row.design_id,
                minutes=row.minutes, module=row.module, opened_at=row.opened_at,
                revision=row.revision)


def _person(row) -> Person:
    return Person(row.id, row.code, row.number, row.name, bool(row.named), row.learner_id)


def late(posted_at: float, due: str) -> bool:
    """Posted after the due date (by this machine's calendar)."""
    return dt.datetime.fromtimestamp(posted_at).date().isoformat() > due


class ThreadStore:
    """Tasks and threads in the database at `url` (default: TLKIT_LIVE_DB)."""

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

    def open_task(self, cohort: str, title: str, prompt: str, *, due: str, clip: str = "",
                  protocol_id: str = DEFAULT_PROTOCOL, replies_required: int = 2,
                  design_id: str = DEFAULT_DESIGN, module: str = DEFAULT_MODULE) -> Task:
        """Open a between-session task for `cohort`; its code is what people type."""
        cohort, title, prompt = (" ".join(str(cohort or "").split())[:80],
                                 " ".join(str(title or "").split())[:MAX_TITLE],
                                 str(prompt or "").strip())
        if not cohort:
            raise TaskRefused("Name the cohort the task is for, e.g. Spring 2027.")
        if not title:
            raise TaskRefused("Give the task a title, e.g. Week 2: wait time.")
        if not prompt or len(prompt) > MAX_PROMPT:
            raise TaskRefused(f"Write the prompt people answer (at most {MAX_PROMPT} "
                              "characters).")
        if protocol_id not in protocol_ids():
            raise TaskRefused(f"The kit has no reflection protocol {protocol_id!r}.")
        if not isinstance(replies_required, int) or not 0 <= replies_required <= \
                MAX_REPLIES_REQUIRED:
            raise TaskRefused(f"Each person answers between 0 and {MAX_REPLIES_REQUIRED} "
                              "peers.")
        due, clip_row = check_due(due), check_clip(clip).stored
        minutes = reflection_minutes(design_id)
        for _ in range(20):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with transaction(self.engine) as connection:
                    connection.execute(TASKS.insert().values(
                        code=code, cohort=cohort, title=title, prompt=prompt, clip=clip_row,
                        protocol_id=protocol_id, due=due, replies_required=replies_required,
                        design_id=design_id, minutes=minutes, module=module,
                        opened_at=self.now(), revision=1))
                return self.task(code)
            except IntegrityError:
                continue    # that code is taken: draw another
        raise RuntimeError("Could not find a free thread code; try again.")

    def task(self, code: str) -> Task | None:
        with transaction(self.engine) as connection:
            row = connection.execute(select(TASKS).where(
                TASKS.c.code == normal_code(code))).first()
        return _task(row) if row is not None else None

    def tasks(self, cohort: str | None = None) -> list[Task]:
        """Every task (of one cohort), newest first."""
        query = select(TASKS).order_by(TASKS.c.opened_at.desc())
        if cohort is not None:
            query = query.where(TASKS.c.cohort == cohort)
        with transaction(self.engine) as connection:
            return [_task(row) for row in connection.execute(query).all()]

    def cohorts(self) -> list[str]:
        with transaction(self.engine) as connection:
            return sorted(connection.execute(select(TASKS.c.cohort).distinct()).scalars())

    def revision(self, code: str) -> int | None:
        with transaction(self.engine) as connection:
            return connection.execute(select(TASKS.c.revision).where(
                TASKS.c.code == normal_code(code))).scalar()

    def _bump(self, connection, code: str) -> None:
        connection.execute(TASKS.update().where(TASKS.c.code == code)
                           .values(revision=TASKS.c.revision + 1))

    def people(self, code: str) -> list[Person]:
        with transaction(self.engine) as connection:
            rows = connection.execute(select(PEOPLE).where(PEOPLE.c.code == normal_code(code))
                                      .order_by(PEOPLE.c.number)).all()
        return [_person(row) for row in rows]

    def posts(self, code: str) -> list[Post]:
        """Every post of the thread, oldest first, as stored (the facilitator's view)."""
        query = (select(POSTS, PEOPLE.c.number, PEOPLE.c.name, PEOPLE.c.named,
                        PEOPLE.c.learner_id)
                 .join(PEOPLE, PEOPLE.c.id == POSTS.c.person_id)
                 .where(POSTS.c.code == normal_code(code)).order_by(POSTS.c.seq))
        with transaction(self.engine) as connection:
            rows = connection.execute(query).all()
        return [Post(seq=row.seq, id=row.id, kind=row.kind, parent=row.parent,
                     person=Person(row.person_id, row.code, row.number, row.name,
                                   bool(row.named), row.learner_id),
                     body=json.loads(row.body), posted_at=row.posted_at,
                     edited_at=row.edited_at, withdrawn=bool(row.withdrawn),
                     hidden_reason=row.hidden_reason, pinned=bool(row.pinned))
                for row in rows]

    def _facilitate(self, code: str, post_id: str, **values) -> None:
        with transaction(self.engine) as connection:
            done = connection.execute(POSTS.update().where(
                POSTS.c.code == normal_code(code), POSTS.c.id == post_id).values(**values))
            if done.rowcount == 0:
                raise ValueError("There is no such post in this thread (it may have been "
                                 "deleted).")
            self._bump(connection, normal_code(code))

    def hide(self, code: str, post_id: str, reason: str) -> None:
        """Hide a post from the cohort; its author still sees it, with `reason`."""
        reason = " ".join(str(reason or "").split())[:MAX_REASON]
        if not reason:
            raise ValueError("Say why the post is hidden; its author sees the reason.")
        self._facilitate(code, post_id, hidden_reason=reason)

    def show(self, code: str, post_id: str) -> None:
        self._facilitate(code, post_id, hidden_reason=None)

    def pin(self, code: str, post_id: str | None) -> None:
        """Pin one post to the top of the thread (None: unpin)."""
        code = normal_code(code)
        with transaction(self.engine) as connection:
            connection.execute(POSTS.update().where(POSTS.c.code == code).values(pinned=False))
            self._bump(connection, code)
        if post_id:
            self._facilitate(code, post_id, pinned=True)

    def delete_task(self, code: str) -> None:
        """Remove the task, its people and every post, for good."""
        code = normal_code(code)
        with transaction(self.engine) as connection:
            for table in (WRITES, POSTS, PEOPLE, TASKS):
                connection.execute(delete(table).where(table.c.code == code))

    def delete_cohort(self, cohort: str) -> int:
        """Remove every task of `cohort` and all that was written in them; how many tasks."""
        codes = [task.code for task in self.tasks(cohort)]
        for code in codes:
            self.delete_task(code)
        return len(codes)

    # -- participants -----------------------------------------------------------------------

    def join(self, code: str, name: str = "", *, named: bool = False, page: str | None = None,
             learner_id: str | None = None) -> Person:
        """Join a task's thread. `named`: the person agrees that their name is shown beside
        their posts, to the cohort and its facilitators. `learner_id`: a learner in the lab
        (their lab id), who is the same person each time. Raises JoinRefused (a sentence)."""
        # A name no one may see is not kept at all.
        name = clean_name(name) if named else ""
        page = _page_key(page)
        # The live sessions' limits on wrong codes, in the same database: one count for
        # every code people type, session or thread.
        live = LiveStore(self.url, now=self.now)
        refused: TooManyWrongCodes | None = None
        typed = normal_code(code)
        if not typed:
            raise JoinRefused("Type the thread code the facilitator gave (six letters and "
                              "digits).")
        try:
            with transaction(self.engine) as connection:
                refused = live._wrong_code_limits(connection, page)
                if refused is None:
                    query = select(TASKS).where(TASKS.c.code == typed)
                    if connection.dialect.name == "postgresql":
                        query = query.with_for_update()     # numbers given one at a time
                    if connection.execute(query).first() is None:
                        raise NoSuchTask(f"There is no thread with the code {typed}. Check the "
                                         "code with the facilitator and type it again.")
                    if learner_id:
                        row = connection.execute(select(PEOPLE).where(
                            PEOPLE.c.code == typed, PEOPLE.c.learner_id == learner_id)).first()
                        if row is not None:
                            connection.execute(PEOPLE.update().where(PEOPLE.c.id == row.id)
                                               .values(name=name, named=bool(name)))
                            return self._person(connection, row.id)
                    number = connection.execute(select(func.count()).select_from(PEOPLE)
                                                .where(PEOPLE.c.code == typed)).scalar() + 1
                    person_id = secrets.token_hex(16)
                    connection.execute(PEOPLE.insert().values(
                        id=person_id, code=typed, number=number, name=name,
                        named=bool(name), learner_id=learner_id or None,
                        joined_at=self.now()))
                    return self._person(connection, person_id)
        except NoSuchTask:
            live._wrong_code(page)
            raise
        raise refused       # after the commit, so the log entry stays

    @staticmethod
    def _person(connection, person_id: str) -> Person:
        return _person(connection.execute(select(PEOPLE).where(PEOPLE.c.id == person_id)).first())

    def person(self, code: str, person_id: str) -> Person:
        """The person `person_id` of thread `code` once more (a page picking up its join)."""
        typed = normal_code(code)
        gone = JoinRefused(f"The thread {typed or '(no code)'} you joined earlier is no longer "
                           "there (the facilitator may have deleted it).")
        if not typed or not isinstance(person_id, str) or not 1 <= len(person_id) <= 64:
            raise gone
        with transaction(self.engine) as connection:
            row = connection.execute(select(PEOPLE).where(
                PEOPLE.c.id == person_id, PEOPLE.c.code == typed)).first()
        if row is None or not hmac.compare_digest(row.id, person_id):
            raise gone
        return _person(row)

    def _writing(self, connection, person: Person) -> str:
        """Check the person may write now (still in the thread, under the rate limit) and
        note the write; their thread's code."""
        lock = connection.dialect.name == "postgresql"
        query = select(PEOPLE.c.code).where(PEOPLE.c.id == person.id)
        code = connection.execute(query.with_for_update() if lock else query).scalar()
        if code is None:
            raise JoinRefused("This thread is no longer there (the facilitator may have "
                              "deleted it).")
        now = self.now()
        recent = connection.execute(select(func.count()).select_from(WRITES).where(
            WRITES.c.person_id == person.id, WRITES.c.at > now - RATE_WINDOW)).scalar()
        if recent >= RATE_LIMIT:
            raise ContributionRefused("You are sending faster than the thread accepts; wait a "
                                      "minute and send again (your text is kept).")
        connection.execute(WRITES.insert().values(code=code, person_id=person.id, at=now))
        connection.execute(delete(WRITES).where(WRITES.c.person_id == person.id,
                                                WRITES.c.at < now - RATE_WINDOW))
        return code

    def post(self, person: Person, kind: str, body: Any, *, post_id: str,
             parent: str | None = None) -> bool:
        """Post a reflection (one per person; edit it to change it) or a reply to a peer's
        reflection. False if this id was stored already (sent twice)."""
        if kind not in KINDS:
            raise ContributionRefused("This page sent something the thread does not take; "
                                      "reload the page.")
        if not isinstance(post_id, str) or not 8 <= len(post_id) <= 64:
            raise ContributionRefused("This post has no proper id; send it again.")
        task = self.task(person.code)
        if task is None:
            raise JoinRefused("This thread is no longer there (the facilitator may have "
                              "deleted it).")
        clean = ({"stems": check_reflection(body, task.protocol)} if kind == "reflection"
                 else {"text": check_reply(body)})
        try:
            with transaction(self.engine) as connection:
                if connection.execute(select(POSTS.c.seq).where(POSTS.c.id == post_id)).first():
                    return False
                code = self._writing(connection, person)
                mine = connection.execute(select(POSTS.c.kind, POSTS.c.withdrawn).where(
                    POSTS.c.person_id == person.id)).all()
                if len(mine) >= MAX_POSTS:
                    raise ContributionRefused("You have posted as much as one thread takes; "
                                              "edit a post instead.")
                if kind == "reflection":
                    parent = None
                    if any(k == "reflection" and not w for k, w in mine):
                        raise ContributionRefused("You have posted your reflection already; "
                                                  "edit it to change it.")
                else:
                    target = connection.execute(select(POSTS.c.kind, POSTS.c.withdrawn)
                                                .where(POSTS.c.id == str(parent or ""),
                                                       POSTS.c.code == code)).first()
                    if target is None or target.kind != "reflection" or target.withdrawn:
                        raise ContributionRefused("That reflection is no longer there; reload "
                                                  "the page.")
                connection.execute(POSTS.insert().values(
                    id=post_id, code=code, person_id=person.id, kind=kind, parent=parent,
                    body=json.dumps(clean), posted_at=self.now(), edited_at=None,
                    withdrawn=False, hidden_reason=None, pinned=False))
                self._bump(connection, code)
        except IntegrityError:
            return False    # the same id arrived twice at the same moment: stored once
        return True

    def _own(self, connection, person: Person, post_id: Any):
        row = connection.execute(select(POSTS).where(POSTS.c.id == str(post_id or "")[:64],
                                                     POSTS.c.person_id == person.id)).first()
        if row is None:
            raise ContributionRefused("You can change only your own posts.")
        return row

    def edit(self, person: Person, post_id: str, body: Any) -> None:
        """Change one's own post; it is marked edited."""
        task = self.task(person.code)
        if task is None:
            raise JoinRefused("This thread is no longer there.")
        with transaction(self.engine) as connection:
            row = self._own(connection, person, post_id)
            if row.withdrawn:
                raise ContributionRefused("You withdrew this post; post a new one instead.")
            clean = ({"stems": check_reflection(body, task.protocol)}
                     if row.kind == "reflection" else {"text": check_reply(body)})
            code = self._writing(connection, person)
            connection.execute(POSTS.update().where(POSTS.c.id == row.id).values(
                body=json.dumps(clean), edited_at=self.now()))
            self._bump(connection, code)

    def withdraw(self, person: Person, post_id: str) -> None:
        """Take one's own post back: its words are removed; replies to it stay."""
        with transaction(self.engine) as connection:
            row = self._own(connection, person, post_id)
            if row.withdrawn:
                return
            code = self._writing(connection, person)
            connection.execute(POSTS.update().where(POSTS.c.id == row.id).values(
                body=json.dumps({}), withdrawn=True, pinned=False, edited_at=self.now()))
            self._bump(connection, code)
