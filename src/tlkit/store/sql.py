"""The store over SQLAlchemy: SQLite on one machine (the default), PostgreSQL for a hub.

One code path for both. Every statement is built with SQLAlchemy's expressions, so values
always travel as bound parameters, never inside the SQL text.

- SQLite: every Voila kernel on the machine opens the same file. Write-ahead logging lets
  readers go on while one writer writes; each write transaction starts with BEGIN IMMEDIATE,
  so two writers queue (for up to BUSY_TIMEOUT_MS) instead of failing half-way.
- PostgreSQL (TLKIT_LIVE_DB=postgresql://user@host/db): for kernels on several machines.
  The URL's driver is psycopg (version 3) whatever the URL names.

`engine_for(url)` keeps one engine (one connection pool) per URL in a process, so the widgets
of one kernel share it; the live sessions' tables (tlkit.live.store) live in that database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from tlkit.store.base import StoreUnavailable

BUSY_TIMEOUT_MS = 15_000
METADATA = MetaData()

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

