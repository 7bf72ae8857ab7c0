"""Load on a live session (not a test: it prints figures, nothing passes or fails).

60 simulated participants each send one contribution a second for a minute, through the same
store the views use (tlkit.live.LiveStore), on SQLite (a file, the default) and on a real
PostgreSQL server started on 127.0.0.1 for the run (tests/live/pg_local.py). Participants
run in several processes, as kernels would; the facilitator's view is simulated in this
process, polling the way LiveSessionHost does (latest_seq, then the new contributions, every
FOLLOW_SECONDS).

Printed per back end: contributions expected, stored, stored more than once, errors, and the
propagation latency (sent -> seen by the facilitator) as median, 95th percentile and maximum.
The target is a p95 of one second or less.

    python benchmarks/live_load.py [--participants 60] [--seconds 60] [--backend sqlite|postgresql|both]

Every request goes to 127.0.0.1 (or a local file); the run stops by itself after
`seconds` plus at most DRAIN_SECONDS.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

DRAIN_SECONDS = 20
PROCESSES = 6


def _participants(url: str, code: str, names: list[str], seconds: int, start_at: float,
                  results) -> None:
    """One process: several participants on threads, each sending once a second."""
    import threading

    from tlkit.live import LiveStore
    from tlkit.live.store import new_contribution_id

    store = LiveStore(url)
    people = [store.join(code, name) for name in names]
    ok, duplicates, errors = 0, 0, []
    lock = threading.Lock()

    def run(index: int, person) -> None:
        nonlocal ok, duplicates
        offset = index / len(people)
        for second in range(seconds):
            delay = start_at + second + offset - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                stored = store.contribute(person, "question", {"text": f"{person.id[:6]} {second}"},
                                          contribution_id=new_contribution_id(),
                                          sent_at=time.time())
                with lock:
                    ok += stored
                    duplicates += not stored
            except Exception as err:  # noqa: BLE001 - every error is counted and printed
                with lock:
                    errors.append(f"{type(err).__name__}: {err}"[:200])

    threads = [threading.Thread(target=run, args=(i, p)) for i, p in enumerate(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put((ok, duplicates, errors))


def run_load(url: str, participants: int, seconds: int) -> dict:
    from tlkit.live import LiveStore
    from tlkit.practice.follow import FOLLOW_SECONDS

    store = LiveStore(url)
    host = store.open_session("tuning", [5, 5, 5, 5, 5])
    context = mp.get_context("spawn")
    results = context.Queue()
    start_at = time.time() + 8          # room for the processes to start and join
    names = [f"P{n}" for n in range(participants)]
    groups = [names[i::PROCESSES] for i in range(PROCESSES)]
    procs = [context.Process(target=_participants,
                             args=(url, host.code, group, seconds, start_at, results))
             for group in groups if group]
    for proc in procs:
        proc.start()

    latencies, seen_ids, last = [], Counter(), 0
    expected = participants * seconds
    deadline = start_at + seconds + DRAIN_SECONDS
    while time.time() < deadline and len(seen_ids) < expected:
        time.sleep(FOLLOW_SECONDS)
        if store.latest_seq(host.code) == last:
            continue
        new = store.contributions(host.code, host.token, last)
        now = time.time()
        for item in new:
            latencies.append(now - item.sent_at)
            seen_ids[item.id] += 1
        if new:
            last = new[-1].seq
    outcomes = [results.get(timeout=DRAIN_SECONDS) for _ in procs]
    for proc in procs:
        proc.join(timeout=DRAIN_SECONDS)
    stored = store.contributions(host.code, host.token)
    ids = Counter(item.id for item in stored)
    store.delete(host.code, host.token)
    latencies.sort()
    return {
        "expected": expected,
        "sent ok": sum(o[0] for o in outcomes),
        "stored": len(stored),
        "stored twice": sum(1 for n in ids.values() if n > 1),
        "errors": [e for o in outcomes for e in o[2]],
        "median": statistics.median(latencies) if latencies else None,
        "p95": latencies[int(0.95 * (len(latencies) - 1))] if latencies else None,
        "max": latencies[-1] if latencies else None,
    }


def _print(name: str, figures: dict) -> None:
    def s(value):
        return "–" if value is None else f"{value * 1000:.0f} ms"
    print(f"{name}: {figures['stored']} of {figures['expected']} contributions stored "
          f"({figures['sent ok']} acknowledged), {figures['stored twice']} stored twice, "
          f"{len(figures['errors'])} errors")
    print(f"  latency to the facilitator's view: median {s(figures['median'])}, "
          f"p95 {s(figures['p95'])}, max {s(figures['max'])}")
    for error in figures["errors"][:5]:
        print(f"  error: {error}")


def load_options(description: str, participants: int) -> argparse.Namespace:
    """The options of both live benchmarks (this one and live_room.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--participants", type=int, default=participants)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    return parser.parse_args()


def main() -> None:
    args = load_options(__doc__.splitlines()[0], participants=60)
    print(f"{args.participants} participants, one contribution a second each for "
          f"{args.seconds} s, in {PROCESSES} processes")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "live"))
    from pg_local import each_backend

    for backend, url in each_backend(args.backend):
        name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[backend]
        if url is None:
            print(f"{name}: skipped (sudo apt-get install postgresql)")
        else:
            _print(name, run_load(url, args.participants, args.seconds))


if __name__ == "__main__":
    main()
