"""JupyterHub figures for sizing a hub (deploy/README.md, Sizing).

    .venv/bin/python benchmarks/hub.py [LEARNERS]

Starts a real JupyterHub on 127.0.0.1 (the one the hub tests use: DummyAuthenticator, local
servers, configurable-http-proxy from npm), then for each learner in turn, through the hub's
REST API: start their server and a Python kernel, and wait until the kernel has imported the
kit's widgets (a usable learner notebook). Prints the time from the start request to that
point, the memory of the single-user server alone and with its kernel; then the facilitator
releases the protocols module, the learners submit it, and each submission is autograded on
the facilitator's server through nbgrader's formgrader API (seconds per submission). Everything
it starts is stopped at the end.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hub"))

from hub_process import FACILITATOR, facilitator_course, running_hub  # noqa: E402

MODULE = "protocols"

KERNEL_CODE = "import tlkit.widgets, pandas"


def _rss(pid: int, with_children: bool) -> float:
    proc = psutil.Process(pid)
    procs = [proc] + (proc.children(recursive=True) if with_children else [])
    return sum(p.memory_info().rss for p in procs) / 2**20


def _usable_notebook(hub, user: str) -> tuple[float, float, float]:
    """(seconds from start request to a kernel that has imported the kit, server MiB, +kernel MiB)."""
    t0 = time.perf_counter()
    hub.start_server(user)
    pid = hub.server_pid(user)
    server_mib = _rss(pid, with_children=False)
    token = hub.tokens[user]
    # A kernel started the way JupyterLab starts one; its IPython start-up file imports the kit
    # before the kernel reports ready, which is when the server answers the request.
    startup = hub.homes / user / ".ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-kit.py").write_text(KERNEL_CODE + "\n")
    status, kernel = hub.request("POST", f"/user/{user}/api/kernels", token, body={"name": "python3"})
    assert status == 201, (status, kernel)
    # The kernel is usable once its start-up import is done: its memory stops growing.
    last, steady_since = -1.0, time.perf_counter()
    while time.perf_counter() - t0 < 120:
        now = _rss(pid, with_children=True)
        if abs(now - last) > 1:
            last, steady_since = now, time.perf_counter()
        elif time.perf_counter() - steady_since >= 1.0:
            break
        time.sleep(0.1)
    settled = steady_since - t0
    return settled, server_mib, _rss(pid, with_children=True)


def _autograde_seconds(hub, learners) -> list[float]:
    facilitator_course(hub, MODULE)
    hub.start_server(FACILITATOR)
    grader, fg = hub.tokens[FACILITATOR], f"/user/{FACILITATOR}/formgrader/api"
    for step in ("assign", "release"):
        assert hub.request("POST", f"{fg}/assignment/{MODULE}/{step}", grader)[0] == 200
    body = {"course_id": "tlkit", "assignment_id": MODULE}
    for name in learners:
        for step in ("fetch", "submit"):
            assert hub.request("POST", f"/user/{name}/assignments/{step}", hub.tokens[name],
                               body=body)[0] == 200
    assert hub.request("POST", f"{fg}/assignment/{MODULE}/collect", grader)[0] == 200
    seconds = []
    for name in learners:
        t0 = time.perf_counter()
        status, result = hub.request("POST", f"{fg}/submission/{MODULE}/{name}/autograde", grader)
        assert status == 200 and result["success"], result
        seconds.append(time.perf_counter() - t0)
    return seconds


def main(count: int) -> None:
    names = [f"learner{n}" for n in range(1, count + 1)]
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), names) as hub:
        rows = [_usable_notebook(hub, name) for name in names]
        grading = _autograde_seconds(hub, names)
    times, servers, totals = zip(*rows)
    print(f"JupyterHub on 127.0.0.1, {count} learners started one after another")
    print(f"  start request to a kernel that has imported the kit: median {statistics.median(times):.1f} s "
          f"(min {min(times):.1f}, max {max(times):.1f})")
    print(f"  single-user server alone: median {statistics.median(servers):.0f} MiB")
    print(f"  server with one kit kernel: median {statistics.median(totals):.0f} MiB")
    print(f"  autograde of one {MODULE} submission on the facilitator's server: median "
          f"{statistics.median(grading):.1f} s (one after another, {len(grading)} submissions)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
