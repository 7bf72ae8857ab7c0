"""A throwaway PostgreSQL server on 127.0.0.1, from Debian's postgresql package, for the
live tests and benchmarks/live_load.py.

PostgreSQL refuses to run as root, so as root the cluster belongs to the unprivileged
`postgres` user (or `nobody`) and its commands run through `runuser`. Trust authentication
is safe here only because the server listens on 127.0.0.1 and a private socket folder, and
lives as long as the block that started it.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

INSTALL_HINT = "install Debian's PostgreSQL server: sudo apt-get install postgresql"
USER = "tlkit"


def binaries() -> Path | None:
    """The newest installed /usr/lib/postgresql/N/bin holding initdb, or None."""
    root = Path("/usr/lib/postgresql")
    found = sorted((p for p in root.glob("*/bin") if (p / "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise RuntimeError("PostgreSQL will not run as root and there is no postgres or nobody "
                       "user to run it as.")


@contextmanager
def postgres_server(database: str = "tlkit") -> Iterator[str]:
    """Start a fresh cluster, yield its SQLAlchemy URL, and stop and remove it afterwards."""
    bin_dir = binaries()
    if bin_dir is None:
        raise FileNotFoundError(f"PostgreSQL's server is not installed; {INSTALL_HINT}")
    user = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="tlkit-pg-"))
    data, sockets = folder / "data", folder / "sock"
    sockets.mkdir()
    if user is not None:
        info = pwd.getpwnam(user)
        for path in (folder, sockets):
            os.chown(path, info.pw_uid, info.pw_gid)
    prefix = ["runuser", "-u", user, "--"] if user else []
    port = _free_port()
    log = folder / "server.log"

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, cwd=folder)
        if done.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {done.stderr or done.stdout}")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER,
            "--no-sync", "-E", "UTF8")
        options = (f"-k {sockets} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off "
                   "-c max_connections=200")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w",
            "-t", "60", "start")
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, database)
        yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/{database}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                            "-w", "-t", "30", "stop"], capture_output=True, cwd=folder)
            deadline = time.time() + 10
            while (data / "postmaster.pid").exists() and time.time() < deadline:
                time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)


def each_backend(choice: str) -> Iterator[tuple[str, str | None]]:
    """("sqlite", url), then ("postgresql", url), as `choice` asks ("sqlite", "postgresql" or
    "both"): each database made for its turn and gone after it. The url is None when
    PostgreSQL is not installed."""
    from tlkit.store import sql

    if choice in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'live.sqlite3'}"
            yield "sqlite", url
            sql.dispose(url)
    if choice in ("postgresql", "both"):
        if binaries() is None:
            yield "postgresql", None
            return
        with postgres_server() as url:
            yield "postgresql", url
            sql.dispose(url)
