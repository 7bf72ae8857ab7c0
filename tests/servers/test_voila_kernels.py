"""Voila as the kit serves it, in headless Chromium: a facilitator guide that is closed gives its
kernel back at once, not after the idle cull (the page's shutdown call needs the _xsrf cookie,
which a render URL opened directly would not set without the kit's identity provider)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from kit_processes import ROOT, TOKEN, free_port

from tlkit.serve import servers as serve

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# The views Voila keeps a preheated kernel for: the front page alone.
GUIDES = sorted(p.name for p in (ROOT / "facilitator").glob("*.ipynb")
                if p.name not in serve.preheat_denylist(ROOT / "facilitator"))
# Well under the cull (CULL_IDLE_SECONDS), so only the page's own shutdown call can explain it.
GIVE_BACK_SECONDS = 30


def _kernels(voila: subprocess.Popen) -> list[psutil.Process]:
    try:
        children = psutil.Process(voila.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    found = []
    for child in children:
        try:
            if "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def _wait_for_kernels(voila: subprocess.Popen, count: int, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(_kernels(voila)) == count:
            return
        time.sleep(0.5)
    pytest.fail(f"expected {count} kernel(s), found {len(_kernels(voila))} after {timeout} s:\n"
                f"{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def kit_voila(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip("install Debian's chromium: sudo apt-get install chromium")
    port = free_port()
    env = serve.voila_env(root=ROOT, token=TOKEN)
    env.update(TLKIT_STATE_DIR=str(tmp_path / "state"), JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"),
               JUPYTER_DATA_DIR=str(tmp_path / "data"), IPYTHONDIR=str(tmp_path / "ipython"))
    log = tmp_path / "voila.log"
    with open(log, "wb") as handle:
        proc = subprocess.Popen(serve.voila_command(ROOT / "facilitator", port), cwd=ROOT,
                                env=env, stdin=subprocess.DEVNULL, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            assert serve.wait_until_answers(serve.voila_url(port), proc, 120), log.read_text()
            yield port, proc, log
        finally:
            kernels = _kernels(proc)
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            for kernel in psutil.wait_procs(kernels, timeout=15)[1]:
                kernel.kill()


def test_a_closed_guide_gives_its_kernel_back(kit_voila):
    from playwright.sync_api import sync_playwright

    port, voila, log = kit_voila
    baseline = len(GUIDES) * serve.PREHEAT_POOL_SIZE  # the preheated pool, one per guide
    _wait_for_kernels(voila, baseline, 180, log)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        context = browser.new_context()
        page = context.new_page()
        page.goto(serve.voila_url(port, "protocols.ipynb", TOKEN))
        page.locator(".tlkit-runner").first.wait_for(state="visible", timeout=180_000)
        assert "_xsrf" in {cookie["name"] for cookie in context.cookies()}
        # The guide is not preheated: opening it starts its kernel.
        _wait_for_kernels(voila, baseline + 1, 180, log)

        page.close(run_before_unload=True)  # as a tab closes: the page says goodbye
        began = time.monotonic()
        _wait_for_kernels(voila, baseline, GIVE_BACK_SECONDS, log)
        assert time.monotonic() - began < serve.CULL_IDLE_SECONDS
        context.close()
        browser.close()
    assert " 403 " not in log.read_text(errors="replace")
