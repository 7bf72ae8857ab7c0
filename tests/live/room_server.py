"""The participant app (tlkit.room) for tests and benchmarks: in a thread of the test process
(`room_in_thread`), or as `tlkit facilitate --room` runs it, a process of its own
(`room_process`), and a small JSON client that makes the requests the page makes."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from typing import Any, Iterator

from tlkit.room import server


class Client:
    """The page's requests, over real HTTP."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             timeout: float = 30) -> tuple[int, Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status, text = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text.decode(errors="replace")

    def join(self, code: str, name: str = "", named: bool = False, page: str = "test-page"):
        return self.call("POST", "/api/join", {"code": code, "name": name, "named": named,
                                               "page": page})

    def session(self, code: str, participant: str, since: int | None = None, **kw):
        query = f"/api/session?code={code}&participant={participant}"
        return self.call("GET", query + ("" if since is None else f"&since={since}"), **kw)

    def send(self, code: str, participant: str, kind: str, body: dict, id: str):
        return self.call("POST", "/api/send", {"code": code, "participant": participant,
                                               "id": id, "kind": kind, "body": body})


@contextmanager
def room_in_thread(live, host: str = "127.0.0.1", prefix: str = "/") -> Iterator[str]:
    """The app over `live` (a LiveStore) in a thread, under `prefix`; yields its address."""
    from tlkit.room.app import RoomApp

    loop = asyncio.new_event_loop()
    ready = threading.Event()
    box: dict = {}

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            app = server.make_app(RoomApp(live), prefix=prefix)
            box["server"] = app.listen(0, address=host, max_body_size=server.MAX_BODY)
            box["port"] = next(iter(box["server"]._sockets.values())).getsockname()[1]
            ready.set()
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://{host}:{box['port']}"
    finally:
        loop.call_soon_threadsafe(box["server"].stop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


@contextmanager
def room_process(db_url: str, host: str, port: int, state_dir: str) -> Iterator[subprocess.Popen]:
    """`python -m tlkit.room` as `tlkit facilitate --room` starts it, until the block ends."""
    from tlkit.serve.servers import wait_until_answers

    env = dict(os.environ, TLKIT_LIVE_DB=db_url, TLKIT_STATE_DIR=state_dir,
               PYTHONDONTWRITEBYTECODE="1")   # no __pycache__ in the kit (test_packaging)
    proc = subprocess.Popen([sys.executable, "-m", "tlkit.room", "--host", host,
                             "--port", str(port)], env=env, stdin=subprocess.DEVNULL)
    try:
        if not wait_until_answers(f"http://{host}:{port}/", proc, 60):
            raise RuntimeError("the participant app did not start")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
