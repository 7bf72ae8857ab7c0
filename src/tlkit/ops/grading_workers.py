"""Worker processes that grade one learner at a time each, for tlkit.ops.grading.

Each worker grades through nbgrader's API into its OWN copy of the gradebook and its own
autograded folder, and sends back the grades as plain data; it never opens the course's
gradebook. The main process hands out learners, watches every worker, and:

- when a worker dies (a crash, memory running out), records that learner as failed and starts
  a fresh worker for the others;
- when one learner's grading runs past the time limit (cells that each stay under the cell
  limit but never end as a whole), stops that worker and does the same.

So one learner's notebook can stop no one else's grading. Workers talk to the main process
over pipes, which start no threads: that keeps forking safe (see `pool_context`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

from tlkit.ops import LEARNER_TIMEOUT
from tlkit.ops.nbgrader_api import CourseAPI
from tlkit.ops.submissions import findings_after_grading


def pool_context():
    """How worker processes start. A forked worker starts at once with nbgrader already
    imported (a spawned one spends a second or two importing it, which a small cohort feels);
    forking is only safe while this process runs no other thread, so inside a Jupyter kernel
    (which has threads) workers are spawned instead."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


# -- inside a worker -------------------------------------------------------------------------

def _worker_main(conn, root: str, overrides: dict, db: str) -> None:
    # Kernels started here inherit this process's stderr; their start-up chatter is not for a
    # facilitator's terminal (nbgrader's own log comes back in each result).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle
    autograded = str(Path(db).parent / f"autograded-{Path(db).stem}")
    api = CourseAPI(Path(root), {**overrides, "CourseDirectory.db_url": f"sqlite:///{db}",
                                 "CourseDirectory.autograded_directory": autograded})
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(_grade_one(api, autograded, *task))


def _grades_of(api: CourseAPI, module: str, student: str) -> dict:
    """A learner's submission as plain data, read from a worker's gradebook."""
    with api.gradebook() as gb:
        sub = gb.find_submission(module, student)
        return {
            "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
            "notebooks": {
                nb.name: {
                    "grades": {g.name: {"auto_score": g.auto_score,
                                        "needs_manual_grade": g.needs_manual_grade}
                               for g in nb.grades},
                    "comments": {c.name: c.auto_comment for c in nb.comments},
                }
                for nb in sub.notebooks
            },
        }


def _grade_one(api: CourseAPI, autograded: str, module: str, student: str,
               cell_timeout: int | None) -> dict:
    start = time.perf_counter()
    result = api.autograde(module, student)
    out = {"student": student, "success": result.success, "problems": result.problems(),
           "autograded": str(Path(autograded) / student / module)}
    if result.success:
        try:
            out["grades"] = _grades_of(api, module, student)
            out["after"] = [asdict(f) for nb in sorted(Path(out["autograded"]).glob("*.ipynb"))
                            for f in findings_after_grading(nb, cell_timeout)]
        except Exception as err:  # noqa: BLE001 - reported as this learner's failure
            out["success"] = False
            out["problems"] = [f"{type(err).__name__}: {err}"]
    out["seconds"] = time.perf_counter() - start
    return out


# -- in the main process ---------------------------------------------------------------------

class _Worker:
    def __init__(self, ctx, root: str, overrides: dict, db: Path):
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(theirs, root, overrides, str(db)),
                                   daemon=True)
        self.process.start()
        theirs.close()
        self.student: str | None = None
        self.started = 0.0

    def give(self, task: tuple) -> None:
        self.student = task[1]
        self.started = time.perf_counter()
        self.conn.send(task)

    def stop(self, kill: bool = False) -> None:
        if not kill:
            try:
                self.conn.send(None)
            except OSError:
                pass
            self.process.join(10)
        if self.process.is_alive():
            # Its kernel notices its parent is gone and ends itself (ipykernel's parent poller;
            # a sandboxed one is ended with its sandbox, bwrap's --die-with-parent).
            self.process.kill()
            self.process.join()
        from tlkit.ops.sandbox import remove_folders_of

        remove_folders_of(self.process.pid)  # what a stopped worker's sandboxes left
        self.conn.close()


def _failed(student: str, problem: str) -> dict:
    return {"student": student, "success": False, "problems": [problem], "seconds": 0.0}


def grade_in_workers(root: Path, overrides: dict, gradebook_copy: Callable[[int], Path],
                     module: str, students: Iterable[str], jobs: int, *,
                     cell_timeout: int | None = None,
                     learner_timeout: float = LEARNER_TIMEOUT) -> Iterator[dict]:
    """Grade `students` in up to `jobs` workers; yield each learner's result as it comes.

    gradebook_copy(n) makes the n-th copy of the course's gradebook for a worker (a fresh one
    for every worker started, replacements included)."""
    ctx = pool_context()
    todo = deque(students)
    made = 0

    def start() -> _Worker:
        nonlocal made
        worker = _Worker(ctx, str(root), overrides, gradebook_copy(made))
        made += 1
        return worker

    idle = [start() for _ in range(max(1, min(jobs, len(todo))))]
    busy: dict = {}  # connection -> worker
    try:
        while todo or busy:
            while todo and idle:
                worker = idle.pop()
                worker.give((module, todo.popleft(), cell_timeout))
                busy[worker.conn] = worker
            waiting = list(busy) + [w.process.sentinel for w in busy.values()]
            ready = set(wait(waiting, timeout=1.0))
            for worker in list(busy.values()):
                result, lost = _check(worker, ready, learner_timeout)
                if result is None:
                    continue
                del busy[worker.conn]
                if lost:  # it died or was stopped: a fresh worker takes its place
                    worker.stop(kill=True)
                    if todo:
                        idle.append(start())
                else:
                    idle.append(worker)
                yield result
    finally:
        for worker in idle + list(busy.values()):
            worker.stop(kill=worker in busy.values())


def _check(worker: _Worker, ready: set, limit: float) -> tuple[dict | None, bool]:
    """A busy worker's (result, lost): its learner's result; a failure when it died or ran past
    the limit (lost: the worker must go); or (None, False) while it is still grading."""
    if worker.conn in ready or worker.process.sentinel in ready:
        try:
            if worker.conn.poll():
                return worker.conn.recv(), False
        except (EOFError, OSError):
            pass  # the pipe closed: the worker is ending
        if not worker.process.is_alive():
            return _failed(worker.student, "the grading process stopped before it finished, "
                           "as when a notebook uses up the computer's memory"), True
        return None, False
    if time.perf_counter() - worker.started > limit:
        return _failed(worker.student, f"grading took longer than {limit:.0f} seconds and "
                       "was stopped"), True
    return None, False
