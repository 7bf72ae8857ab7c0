"""Load on the room's participant app (not a test: it prints figures, nothing passes or fails).

N simulated participants talk to the participant app (tlkit.room, started as `tlkit facilitate
--room` starts it: a process of its own, here on 127.0.0.1) over real HTTP, with exactly the
requests the page makes: join, then follow the session (a follow request that the server
answers when the step changes) while sending a contribution every SEND_SECONDS, each under an
id made before its first try and sent again under that id until the server answers. The
facilitator, in this process, moves the step every MOVE_SECONDS through tlkit.live and
watches what arrives the way the facilitator's page does (latest_seq, then the new
contributions, every HOST_FOLLOW_SECONDS). On SQLite (a file) and on a real PostgreSQL started on
127.0.0.1 for the run (tests/live/pg_local.py).

    python benchmarks/live_room.py [--participants 200] [--seconds 60]
                                   [--backend sqlite|postgresql|both]

Last line, one per back end:
    room <backend>: <stored>/<sent> stored once, contribution p95 <ms> ms,
        step p95 <ms> ms, server <MiB> MiB   (one line)
where contribution is from the first send to the facilitator's page, step from the
facilitator's press to each participant's page, and server the participant app's largest
resident memory during the run. Targets at 200 participants: all stored once, contribution
p95 <= 500 ms, step p95 <= 1000 ms, server <= 250 MiB. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "live"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

SEND_SECONDS = 5.0
MOVE_SECONDS = 10.0
JOIN_SECONDS = 10.0       # joins are spread over this long before the measured run
DRAIN_SECONDS = 10.0
STEPS = 7                 # the tuning protocol's


def _p95(values: list[float]) -> float | None:
    values = sorted(values)
    return values[int(0.95 * (len(values) - 1))] if values else None


class Room:
    """The simulated participants: one asyncio loop, the page's requests over HTTP."""

    def __init__(self, base: str, code: str, participants: int, seconds: float):
        from tornado.httpclient import AsyncHTTPClient

        AsyncHTTPClient.configure(None, max_clients=participants * 3 + 20)
        self.http = AsyncHTTPClient()
        self.base, self.code, self.n, self.seconds = base, code, participants, seconds
        self.first_sent: dict[str, float] = {}     # contribution id -> time of its first try
        self.seen: dict[int, list[float]] = defaultdict(list)   # revision -> when pages saw it
        self.errors: Counter = Counter()
        self.stop = False

    async def request(self, method: str, path: str, body=None, timeout: float = 40.0):
        response = await self.http.fetch(
            self.base + path, method=method, raise_error=False, request_timeout=timeout,
            body=None if body is None else json.dumps(body),
            headers={"Content-Type": "application/json"} if body is not None else None)
        if response.code == 599:        # no answer: the page counts it as a dropped connection
            return 0, {}
        return response.code, json.loads(response.body or b"{}")

    async def participant(self, index: int, start_at: float) -> None:
        await asyncio.sleep(index * JOIN_SECONDS / self.n)
        page = uuid.uuid4().hex
        while True:
            status, joined = await self.request("POST", "/api/join",
                                                {"code": self.code, "name": "", "page": page})
            if status == 200:
                break
            self.errors[f"join {status} {joined.get('message', '')[:60]}"] += 1
            await asyncio.sleep(1)
        who = {"code": joined["code"], "participant": joined["participant"]}
        follow = asyncio.create_task(self.follow(who, joined["session"]["revision"]))
        next_at = start_at + (index / self.n) * SEND_SECONDS
        number = 0
        while next_at < start_at + self.seconds:
            await asyncio.sleep(max(0.0, next_at - time.time()))
            number += 1
            sent_id = uuid.uuid4().hex
            self.first_sent[sent_id] = time.time()
            body = {**who, "id": sent_id, "kind": "question",
                    "body": {"text": f"question {number} from {index}"}}
            for _ in range(20):
                status, reply = await self.request("POST", "/api/send", body, timeout=10)
                if status == 200:
                    break
                if status in (400, 410):
                    self.errors[f"send {status} {reply.get('message', '')[:60]}"] += 1
                    break
                await asyncio.sleep(1)      # as the page: the same id again, a moment later
            next_at += SEND_SECONDS
        await asyncio.sleep(DRAIN_SECONDS / 2)
        follow.cancel()

    async def follow(self, who: dict, revision: int) -> None:
        while not self.stop:
            status, view = await self.request(
                "GET", f"/api/session?code={who['code']}&participant={who['participant']}"
                       f"&since={revision}")
            if status == 200:
                if view["revision"] != revision:
                    revision = view["revision"]
                    self.seen[revision].append(time.time())
            else:
                self.errors[f"follow {status}"] += 1
                await asyncio.sleep(0.5)

    async def run(self, start_at: float) -> None:
        await asyncio.gather(*(self.participant(i, start_at) for i in range(self.n)))
        self.stop = True


def run_room(url: str, participants: int, seconds: int) -> dict:
    import psutil
    from room_server import room_process
    from support import free_port

    from tlkit.live import LiveStore
    from tlkit.practice.follow import HOST_FOLLOW_SECONDS

    store = LiveStore(url)
    host = store.open_session("tuning", [5] * STEPS, episode_id="voting-age-discussion")
    port = free_port()
    with tempfile.TemporaryDirectory() as state, \
            room_process(url, "127.0.0.1", port, state) as proc:
        server = psutil.Process(proc.pid)
        room = Room(f"http://127.0.0.1:{port}", host.code, participants, seconds)
        start_at = time.time() + JOIN_SECONDS + 2
        moved: dict[int, float] = {}
        arrived: dict[str, float] = {}
        peak = [server.memory_info().rss]
        done = threading.Event()

        def facilitator() -> None:
            last, next_move, step, way = 0, start_at + MOVE_SECONDS / 2, 0, 1
            while not done.is_set():
                time.sleep(HOST_FOLLOW_SECONDS)
                peak[0] = max(peak[0], server.memory_info().rss)
                now = time.time()
                if start_at < now and now >= next_move and now < start_at + seconds:
                    # Next to the last step, then Back to the first: one revision a press.
                    if not 0 <= step + way < STEPS:
                        way = -way
                    state = store.control(host.code, host.token, "next" if way > 0 else "back")
                    step += way
                    moved[state.revision] = now
                    next_move += MOVE_SECONDS
                if store.latest_seq(host.code) != last:
                    new = store.contributions(host.code, host.token, last)
                    seen_at = time.time()
                    for item in new:
                        arrived.setdefault(item.id, seen_at)
                    last = new[-1].seq if new else last

        watcher = threading.Thread(target=facilitator)
        watcher.start()
        asyncio.run(room.run(start_at))
        deadline = time.time() + DRAIN_SECONDS
        while time.time() < deadline and len(arrived) < len(room.first_sent):
            time.sleep(0.2)
        done.set()
        watcher.join()
    stored = Counter(item.id for item in store.contributions(host.code, host.token))
    store.delete(host.code, host.token)
    contribution = [arrived[i] - t for i, t in room.first_sent.items() if i in arrived]
    step = [when - moved[rev] for rev, times in room.seen.items() if rev in moved
            for when in times]
    return {"sent": len(room.first_sent),
            "stored once": sum(1 for i in room.first_sent if stored.get(i) == 1),
            "stored twice": sum(1 for n in stored.values() if n > 1),
            "contribution p95": _p95(contribution), "step p95": _p95(step),
            "step changes seen": len(step), "moves": len(moved),
            "server MiB": peak[0] / 2**20, "errors": room.errors}


def _print(backend: str, figures: dict) -> None:
    def ms(value):
        return "–" if value is None else f"{value * 1000:.0f}"
    for error, count in figures["errors"].most_common(5):
        print(f"  {count} x {error}")
    print(f"  {figures['moves']} step changes, seen {figures['step changes seen']} times by "
          f"pages; {figures['stored twice']} contributions stored twice")
    print(f"room {backend}: {figures['stored once']}/{figures['sent']} stored once, "
          f"contribution p95 {ms(figures['contribution p95'])} ms, "
          f"step p95 {ms(figures['step p95'])} ms, server {figures['server MiB']:.0f} MiB",
          flush=True)


def main() -> None:
    from live_load import load_options

    args = load_options(__doc__.splitlines()[0], participants=200)
    print(f"{args.participants} participants on the room's page, each sending every "
          f"{SEND_SECONDS:g} s and following the session; the step moves every "
          f"{MOVE_SECONDS:g} s; {args.seconds} s", flush=True)
    from pg_local import each_backend

    for backend, url in each_backend(args.backend):
        if url is None:
            print(f"room {backend}: skipped (sudo apt-get install postgresql)")
        else:
            _print(backend, run_room(url, args.participants, args.seconds))


if __name__ == "__main__":
    main()
