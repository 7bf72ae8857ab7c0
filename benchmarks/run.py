"""Print the kit's performance figures (not a test: nothing here passes or fails).

1. Time from opening a Voila page in headless Chromium to its first widget on screen, for the
   facilitator guide next to a bare one-slider notebook served by the same Voila, first with
   a kernel started per page, then with Voila's preheated kernels (one per notebook).
2. Time to execute each module notebook top to bottom on a fresh kernel (nbclient).

Medians over a few runs: `python benchmarks/run.py [--runs 3]`.
"""

from __future__ import annotations

import argparse
import os
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
def _running_voila(root: Path, work: Path, port: int, extra: list[str]):
    """Voila on the benchmark's views, its state in `work` (never the user's ~/.tlkit), and
    certainly stopped at the end: killed if it does not stop in STOP_TIMEOUT seconds."""
    env = serve.voila_env(root=root)
    env["TLKIT_STATE_DIR"] = str(work / f"state-{port}")
    folder = _views_folder(root, work / f"views-{port}")
    with open(work / f"voila-{port}.log", "wb") as log:
        proc = subprocess.Popen(serve.voila_command(folder, port, extra=extra), cwd=root,
                                env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
        try:
            if not serve.wait_until_answers(serve.voila_url(port), proc, timeout=120):
                raise SystemExit(f"Voila did not start; see {log.name}")
            yield proc
        finally:
            serve.stop_all([proc], timeout=STOP_TIMEOUT)


def time_to_widget(root: Path, work: Path, runs: int, preheat: bool) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    port = _free_port()
    extra = ["--preheat_kernel=True", "--pool_size=1"] if preheat else []
    times: dict[str, list[float]] = {name: [] for name, _ in VIEWS}
    with _running_voila(root, work, port, extra):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                 args=CHROMIUM_ARGS, headless=True)
            if preheat:
                time.sleep(20)  # let the pool execute both notebooks once before timing
            for _ in range(runs):
                for name, selector in VIEWS:
                    context = browser.new_context()  # a fresh cache each time
                    page = context.new_page()
                    began = time.perf_counter()
                    page.goto(serve.voila_url(port, name))
                    page.wait_for_selector(selector, state="visible", timeout=180_000)
                    times[name].append(time.perf_counter() - began)
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
            with tempfile.TemporaryDirectory(prefix="tlkit-bench-") as tmp:
                plain = time_to_widget(root, Path(tmp), args.runs, preheat=False)
                warm = time_to_widget(root, Path(tmp), args.runs, preheat=True)
            print("\nTime to first widget in headless Chromium (seconds)")
            print(f"{'':28}{'plain':>10}{'preheated':>12}")
            for name, _ in VIEWS:
                print(f"{name:28}{_median(plain[name]):>10.2f}{_median(warm[name]):>12.2f}")
            ratio = [_median(t["protocols.ipynb"]) / _median(t["bare-slider.ipynb"])
                     for t in (plain, warm)]
            print(f"{'guide / bare slider':28}{ratio[0]:>9.2f}x{ratio[1]:>11.2f}x")

    if not args.skip_notebooks:
        print("\nExecuting each module notebook top to bottom (nbclient, seconds)")
        with tempfile.TemporaryDirectory(prefix="tlkit-bench-") as tmp:
            for name, values in notebook_run_times(root, args.runs, Path(tmp)).items():
                print(f"{name:28}{_median(values):>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
