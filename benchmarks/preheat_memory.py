"""Print what Voila's preheated kernels cost on the kit's own facilitator views, and what they
save (not a test: nothing here passes or fails).

Voila is started as `tlkit facilitate` starts it, on facilitator/, once for each way of
preheating below; when its waiting kernels have run their views and gone quiet, each kernel's
memory is read three ways (psutil): resident (RSS, what a task manager shows), proportional
(PSS: shared libraries split between the processes that share them, so the figures add up to
what the kernels take together) and unique (USS: what stopping that kernel gives back). Then
headless Chromium opens the front page and a module guide, each in a fresh browser context,
and times the first widget on screen.

    python benchmarks/preheat_memory.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
# Run as a script, benchmarks/ is on the path: the browser and process helpers are run.py's.
from run import CHROMIUM, CHROMIUM_ARGS, STOP_TIMEOUT, _free_port, _kernels

from tlkit.course.manifest import module_ids
from tlkit.serve import servers as serve
from tlkit.settings import course_root

TOKEN = secrets.token_urlsafe(16)
# (view, CSS selector of the widget that counts as "ready")
OPENED = [(serve.FRONT_PAGE, ".tlkit-course-map-table"), ("protocols.ipynb", ".tlkit-runner")]
MIB = 2**20


def _wait_until_quiet(proc: subprocess.Popen, count: int, timeout: float = 600) -> None:
    """Until `count` kernels run and none of them has used the processor for 5 seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernels = _kernels(proc)
        if len(kernels) >= count:
            busy = sum(k.cpu_times().user + k.cpu_times().system for k in kernels)
            time.sleep(5)
            if sum(k.cpu_times().user + k.cpu_times().system for k in _kernels(proc)) - busy < 0.05:
                return
        else:
            time.sleep(1)
    raise SystemExit(f"Voila did not settle with {count} kernels in {timeout} s")


def _memory(kernels: list[psutil.Process]) -> list[tuple[float, float, float]]:
    figures = []
    for kernel in kernels:
        info = kernel.memory_full_info()
        figures.append((info.rss / MIB, getattr(info, "pss", info.rss) / MIB, info.uss / MIB))
    return sorted(figures)


def _first_widget_seconds(port: int, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {view: [] for view, _ in OPENED}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            for view, selector in OPENED:
                context = browser.new_context()
                page = context.new_page()
                began = time.perf_counter()
                page.goto(serve.voila_url(port, view, TOKEN))
                page.wait_for_selector(selector, state="visible", timeout=180_000)
                times[view].append(time.perf_counter() - began)
                page.close(run_before_unload=True)
                context.close()
                time.sleep(15)     # a preheated pool refills behind the page
        browser.close()
    return {view: statistics.median(values) for view, values in times.items()}


def measure(root: Path, work: Path, label: str, views: list[str], runs: int,
            browser: bool) -> None:
    port = _free_port()
    env = serve.voila_env(root=root, token=TOKEN)
    env.update(TLKIT_STATE_DIR=str(work / f"state-{port}"),
               JUPYTER_RUNTIME_DIR=str(work / f"runtime-{port}"))
    command = serve.voila_command(root / "facilitator", port, preheat=bool(views),
                                  preheat_views=views)
    with open(work / f"voila-{port}.log", "wb") as log:
        proc = subprocess.Popen(command, cwd=root, env=env, stdout=log,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            if not serve.wait_until_answers(serve.voila_url(port), proc, timeout=120):
                raise SystemExit(f"Voila did not start:\n{Path(log.name).read_text()[-3000:]}")
            _wait_until_quiet(proc, len(views))
            figures = _memory(_kernels(proc))
            server = psutil.Process(proc.pid).memory_full_info()
            print(f"\n{label}: {len(figures)} waiting kernel(s); the server itself "
                  f"{server.rss / MIB:.0f} MiB resident, {getattr(server, 'pss', 0) / MIB:.0f} "
                  "MiB proportional")
            if figures:
                rss, pss, uss = zip(*figures)
                print(f"  per kernel, MiB        {'min':>6}{'median':>8}{'max':>6}")
                for name, values in (("resident (RSS)", rss), ("proportional (PSS)", pss),
                                     ("unique (USS)", uss)):
                    print(f"  {name:22}{min(values):>6.0f}{statistics.median(values):>8.0f}"
                          f"{max(values):>6.0f}")
                print(f"  together: {sum(rss):.0f} MiB resident, {sum(pss):.0f} MiB "
                      f"proportional ({sum(pss) / 1024:.2f} GiB), {sum(uss):.0f} MiB unique")
            if browser:
                seconds = _first_widget_seconds(port, runs)
                for view, value in seconds.items():
                    state = "preheated" if view in views else "a kernel started on opening"
                    print(f"  first widget, {view:22}{value:>6.2f} s  ({state})")
        finally:
            serve.stop_all([proc], timeout=STOP_TIMEOUT)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args(argv)
    root = course_root()
    folder = root / "facilitator"
    guides = sorted(f"{m}.ipynb" for m in module_ids(root) if (folder / f"{m}.ipynb").exists())
    kit = sorted(p.name for p in folder.glob("*.ipynb")
                 if p.name not in serve.preheat_denylist(folder))
    browser = CHROMIUM.exists() and not args.skip_browser
    total = psutil.virtual_memory().total / 2**30
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {total:.1f} GiB of memory; "
          f"medians of {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="tlkit-bench-") as tmp:
        for label, views in (("The kit's default (" + ", ".join(kit) + ")", kit),
                             ("The front page and every module guide",
                              [serve.FRONT_PAGE] + guides),
                             ("Nothing preheated", [])):
            measure(root, Path(tmp), label, views, args.runs, browser)
    return 0


if __name__ == "__main__":
    sys.exit(main())
