"""Live sessions on both back ends: a SQLite file, and a real PostgreSQL server from Debian's
package started on 127.0.0.1 for this module and stopped afterwards (pg_local.py here).
On CI a missing PostgreSQL is a failure (.ci/run installs it); elsewhere those tests skip
with the command to install it."""

from __future__ import annotations

import os

import pytest
from pg_local import INSTALL_HINT, binaries, postgres_server

from tlkit.store import sql


@pytest.fixture(scope="session")
def postgres_url():
    if binaries() is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is missing on CI; {INSTALL_HINT}")
        pytest.skip(INSTALL_HINT)
    with postgres_server() as url:
        yield url
        sql.dispose(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
        yield url
        sql.dispose(url)
    else:
        yield request.getfixturevalue("postgres_url")
