"""The Store interface (tlkit.store.base) over a table of records in the live-session database
(tlkit.store.sql): the record store's rules checked on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json
import time
from collections.abc import Hashable
from typing import Callable

from sqlalchemy import Column, Float, Integer, String, Table, Text, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from tlkit.store.base import R, RecordSetAside, Store, Updated, check_key
from tlkit.store.records import Record, RecordError
from tlkit.store.sql import METADATA, engine_for, transaction, unavailable

RECORDS = Table(
    "tlkit_records", METADATA,
    Column("key", String(160), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("body", Text, nullable=False),
    Column("revision", Integer, nullable=False),
    Column("saved_at", Float, nullable=False),
)


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
