"""Print the kit's performance figures (not a test: nothing here passes or fails).

1. Time from opening a Voila page in headless Chromium to its first widget on screen, for the
   facilitator guide next to a bare one-slider notebook served by the same Voila: served the
   kit's default way (`tlkit facilitate`: preheated kernels, one per notebook), then with a
   kernel started per page. The ratio guide / bare notebook is the figure to watch.
2. The memory the default way costs: the preheated kernels Voila holds while nobody looks.
3. Time to execute each module notebook top to bottom on a fresh kernel (nbclient).

Medians over a few runs: `python benchmarks/run.py [--runs 3]`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from tlkit.serve import servers as serve
from tlkit.course.module import list_modules, module_path
from tlkit.settings import course_root

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# (notebook, CSS selector of the widget that counts as "ready")
VIEWS = [("bare-slider.ipynb", ".widget-slider"), ("protocols.ipynb", ".tlkit-runner")]
BARE_SLIDER = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "slider", "metadata": {},
               "outputs": [], "source": "import ipywidgets\nipywidgets.IntSlider(5)"}],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}
# Seconds Voila gets to shut its kernels down before it is killed.
STOP_TIMEOUT = 60
# The facilitator views ask for a token, as the kit serves them; this run makes its own.
TOKEN = secrets.token_urlsafe(16)


def _views_folder(root: Path, folder: Path) -> Path:
    """The guide and a bare notebook side by side, so one Voila serves (and preheats) both,
    and nothing else (a preheated pool holds kernels for every notebook in the folder)."""
    import json

    folder.mkdir()
    shutil.copy(root / "facilitator" / "protocols.ipynb", folder / "protocols.ipynb")
    (folder / "bare-slider.ipynb").write_text(json.dumps(BARE_SLIDER), encoding="utf-8")
    return folder


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def _running_voila(root: Path, work: Path, port: int, extra: list[str], preheat: bool = True):
    """Voila on the benchmark's views, its state in `work` (never the user's ~/.tlkit), and
    certainly stopped at the end: killed if it does not stop in STOP_TIMEOUT seconds."""
    env = serve.voila_env(root=root, token=TOKEN)
    env["TLKIT_STATE_DIR"] = str(work / f"state-{port}")
    folder = _views_folder(root, work / f"views-{port}")
    with open(work / f"voila-{port}.log", "wb") as log:
        proc = subprocess.Popen(serve.voila_command(folder, port, preheat=preheat, extra=extra),
                                cwd=root,
                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            if not serve.wait_until_answers(serve.voila_url(port), proc, timeout=120):
                # The log lives in a temporary folder that is about to go: show its end.
                tail = Path(log.name).read_text(errors="replace")[-3000:]
                raise SystemExit(f"Voila did not start (exit code {proc.poll()}):\n{tail}")
            yield proc
        finally:
            serve.stop_all([proc], timeout=STOP_TIMEOUT)


def _kernels(proc: subprocess.Popen):
    import psutil

    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [c for c in children if "ipykernel" in " ".join(c.cmdline())]


def _mib(process) -> float:
    """Proportional set size (shared libraries split between processes), else resident size."""
    info = process.memory_full_info()
    return getattr(info, "pss", info.rss) / 2**20


def _wait_for_pool(proc: subprocess.Popen, count: int, timeout: float = 180) -> None:
    """Until Voila holds `count` kernels that have finished running their notebooks."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(_kernels(proc)) < count:
        time.sleep(1)
    time.sleep(10)  # started is not finished: let them execute their notebooks


def time_to_widget(root: Path, work: Path, runs: int, preheat: bool,
                   memory: dict[str, float] | None = None) -> dict[str, list[float]]:
    """Seconds to first widget per view; with `memory`, also what the idle server holds."""
    from playwright.sync_api import sync_playwright

    port = _free_port()
    times: dict[str, list[float]] = {name: [] for name, _ in VIEWS}
    with _running_voila(root, work, port, [], preheat=preheat) as proc:
        if preheat:
            _wait_for_pool(proc, len(VIEWS))
        if memory is not None:
            import psutil

            kernels = _kernels(proc)
            memory["kernels"] = len(kernels)
            memory["kernels_mib"] = sum(_mib(k) for k in kernels)
            memory["server_mib"] = _mib(psutil.Process(proc.pid))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS, headless=True)
            for _ in range(runs):
                for name, selector in VIEWS:
                    context = browser.new_context()  # a fresh cache each time
                    page = context.new_page()
                    began = time.perf_counter()
                    page.goto(serve.voila_url(port, name, TOKEN))
                    page.wait_for_selector(selector, state="visible", timeout=180_000)
                    times[name].append(time.perf_counter() - began)
                    page.close(run_before_unload=True)  # as a tab closes: its kernel stops
                    time.sleep(1)
                    context.close()
                    if preheat:
                        time.sleep(12)  # the pool refills in the background
            browser.close()
    return times


def notebook_run_times(root: Path, runs: int, state_dir: Path) -> dict[str, list[float]]:
    """Seconds per run for each module; the kernels save their state under `state_dir`."""
    import nbformat
    from nbclient import NotebookClient

    env = dict(os.environ, TLKIT_STATE_DIR=str(state_dir))
    times: dict[str, list[float]] = {}
    for name in list_modules(root):
        path = module_path(name, root)
        times[name] = []
        for _ in range(runs):
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            began = time.perf_counter()
            client.execute(env=env)  # passed on to the kernel it starts
            times[name].append(time.perf_counter() - began)
    return times


def _median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-notebooks", action="store_true")
    args = parser.parse_args(argv)
    root = course_root()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.runs} runs")

    if not args.skip_browser:
        if not CHROMIUM.exists():
            print("\nSkipping the browser figures: install Debian's chromium "
                  "(sudo apt-get install chromium).")
        else:
            warm_memory: dict[str, float] = {}
            cold_memory: dict[str, float] = {}
            with tempfile.TemporaryDirectory(prefix="tlkit-bench-") as tmp:
                warm = time_to_widget(root, Path(tmp), args.runs, preheat=True,
                                      memory=warm_memory)
                plain = time_to_widget(root, Path(tmp), args.runs, preheat=False,
                                       memory=cold_memory)
            print("\nTime to first widget in headless Chromium (seconds)")
            print(f"{'':28}{'kit default':>12}{'kernel per page':>17}")
            for name, _ in VIEWS:
                print(f"{name:28}{_median(warm[name]):>12.2f}{_median(plain[name]):>17.2f}")
            ratio = [_median(t["protocols.ipynb"]) / _median(t["bare-slider.ipynb"])
                     for t in (warm, plain)]
            print(f"{'guide / bare slider':28}{ratio[0]:>11.2f}x{ratio[1]:>16.2f}x")
            print("\nMemory of an idle Voila serving the two views (MiB, proportional set size)")
            for label, mem in (("kit default", warm_memory), ("kernel per page", cold_memory)):
                print(f"{label:28}server {mem['server_mib']:>6.0f}   "
                      f"{mem['kernels']:.0f} waiting kernel(s) {mem['kernels_mib']:>6.0f}")
            per_kernel = warm_memory["kernels_mib"] / max(1, warm_memory["kernels"])
            print(f"{'preheating costs':28}{warm_memory['kernels_mib'] - cold_memory['kernels_mib']:>13.0f}"
                  f" MiB while idle, about {per_kernel:.0f} MiB per preheated notebook")

    if not args.skip_notebooks:
        print("\nExecuting each module notebook top to bottom (nbclient, seconds)")
        with tempfile.TemporaryDirectory(prefix="tlkit-bench-") as tmp:
            for name, values in notebook_run_times(root, args.runs, Path(tmp)).items():
                print(f"{name:28}{_median(values):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
