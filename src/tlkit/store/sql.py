"""The store over SQLAlchemy: SQLite on one machine (the default), PostgreSQL for a hub.

One code path for both. Every statement is built with SQLAlchemy's expressions, so values
always travel as bound parameters, never inside the SQL text.

- SQLite: every Voila kernel on the machine opens the same file. Write-ahead logging lets
  readers go on while one writer writes; each write transaction starts with BEGIN IMMEDIATE,
  so two writers queue (for up to BUSY_TIMEOUT_MS) instead of failing half-way.
- PostgreSQL (TLKIT_LIVE_DB=postgresql://user@host/db): for kernels on several machines.
  The URL's driver is psycopg (version 3) whatever the URL names.

`engine_for(url)` keeps one engine (one connection pool) per URL in a process, so the widgets
of one kernel share it. `SqlStore` is the Store interface (tlkit.store.base) over a table of
records; the live sessions' tables (tlkit.live.store) live in the same database.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from sqlalchemy import (Column, Float, Integer, MetaData, String, Table, Text, create_engine,
                        event, select)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from tlkit.store.base import R, RecordSetAside, Store, StoreUnavailable, Updated, check_key
from tlkit.store.records import Record, RecordError

BUSY_TIMEOUT_MS = 15_000
METADATA = MetaData()

RECORDS = Table(
    "tlkit_records", METADATA,
    Column("key", String(160), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("saved_at", Float, nullable=False),
)

_engines: dict[str, Engine] = {}
_created: dict[str, int] = {}   # url -> how many tables were made there
_lock = threading.Lock()


def normalise_url(url: str) -> str:
    """The URL with psycopg as PostgreSQL's driver; a plain sentence if it is not a database
    URL the kit can use."""
    try:
        parsed = make_url(url)
    except Exception:  # SQLAlchemy's ArgumentError, or a value that is not text
        raise StoreUnavailable(f"the live-session database address {url!r} is not a database "
                               "URL", "Set TLKIT_LIVE_DB to sqlite:///PATH or "
                               "postgresql://USER@HOST:PORT/DATABASE.") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise StoreUnavailable(f"the live-session database {backend!r} is not one the kit "
                               "supports", "Use SQLite (sqlite:///PATH) or PostgreSQL "
                               "(postgresql://USER@HOST:PORT/DATABASE).")
    return parsed.render_as_string(hide_password=False)


def _sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        # The driver's own transaction handling off: the "begin" hook below says BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # IMMEDIATE takes the write lock at the start, so a read-then-write transaction never
        # has to give up half-way because another writer came first.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def engine_for(url: str) -> Engine:
    """One engine per database URL in this process, its tables made on first use."""
    url = normalise_url(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                if parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                                          "check_same_thread": False})
                _sqlite_hooks(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=20,
                                       connect_args={"connect_timeout": 5})
            _engines[url] = engine
        # Tables join METADATA when their module is imported (tlkit.live.store): make any
        # that are new since the last look.
        if _created.get(url) != len(METADATA.tables):
            try:
                METADATA.create_all(engine)
            except IntegrityError:
                pass  # another kernel made the tables at the same moment
            _created[url] = len(METADATA.tables)
        return engine


def dispose(url: str) -> None:
    """Close the pool for a URL (tests and benchmarks that stop a server)."""
    url = normalise_url(url)
    with _lock:
        engine = _engines.pop(url, None)
        _created.pop(url, None)
    if engine is not None:
        engine.dispose()


def unavailable(err: Exception) -> StoreUnavailable:
    """A database fault as the plain StoreUnavailable every view already knows how to show."""
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return StoreUnavailable(f"the live-session database did not answer ({first[:160]})",
                            "Check that the database is running and reachable, then try "
                            "again; nothing already sent is lost.")


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; a database fault comes out as StoreUnavailable (a broken
    uniqueness rule stays an IntegrityError, which callers expecting duplicates catch)."""
    try:
        with engine.begin() as connection:
            yield connection
    except (StoreUnavailable, IntegrityError):
        raise   # IntegrityError: the caller's own business (a duplicate it expects)
    except SQLAlchemyError as err:
        raise unavailable(err) from err


class SqlStore(Store):
    """Records in the table tlkit_records of a SQLAlchemy database."""

    def __init__(self, url: str):
        self.url = url
        self._engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            try:
                self._engine = engine_for(self.url)
            except SQLAlchemyError as err:
                raise unavailable(err) from err
        return self._engine

    def check(self) -> None:
        with transaction(self.engine) as connection:
            connection.execute(select(1))

    def _row(self, connection: Connection, key: str, lock: bool = False):
        query = select(RECORDS).where(RECORDS.c.key == check_key(key))
        if lock and connection.dialect.name == "postgresql":
            query = query.with_for_update()
        return connection.execute(query).first()

    def _read(self, connection: Connection, key: str, record_type: type[R], row) -> R:
        try:
            return record_type.from_dict(json.loads(row.body))
        except (ValueError, RecordError) as err:
            kept = f"{key}.unreadable-{time.time_ns()}"
            connection.execute(RECORDS.update().where(RECORDS.c.key == key).values(key=kept))
            raise RecordSetAside(key, str(err).rstrip("."),
                                 f"the row {kept!r} of the table tlkit_records") from None

    def get(self, key: str, record_type: type[R]) -> R | None:
        with transaction(self.engine) as connection:
            row = self._row(connection, key)
            if row is None:
                return None
            try:
                return self._read(connection, key, record_type, row)
            except RecordSetAside as err:
                aside = err
        raise aside  # raised after the commit, so the row stays set aside

    def _write(self, connection: Connection, key: str, record: Record, row) -> None:
        values = {"kind": record.kind, "body": json.dumps(record.to_dict()),
                  "saved_at": time.time()}
        if row is None:
            connection.execute(RECORDS.insert().values(key=key, revision=1, **values))
        else:
            connection.execute(RECORDS.update().where(RECORDS.c.key == key)
                               .values(revision=RECORDS.c.revision + 1, **values))

    def put(self, key: str, record: Record) -> None:
        with transaction(self.engine) as connection:
            self._write(connection, key, record, self._row(connection, check_key(key), True))

    def revision(self, key: str) -> Hashable | None:
        with transaction(self.engine) as connection:
            return connection.execute(select(RECORDS.c.revision)
                                      .where(RECORDS.c.key == check_key(key))).scalar()

    def update(self, key: str, record_type: type[R],
               change: Callable[[R | None], R]) -> Updated[R]:
        aside = None
        with transaction(self.engine) as connection:
            row = self._row(connection, check_key(key), lock=True)
            current = None
            if row is not None:
                try:
                    current = self._read(connection, key, record_type, row)
                except RecordSetAside as err:
                    aside, row = err, None
            record = change(current)
            self._write(connection, key, record, row)
        return Updated(record, aside)
