"""The learner's JupyterLab for browser tests, started with the kit's own command line and
environment, every folder it writes to kept inside the test's temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest
from voila_pages import ROOT, free_port

from tlkit.serve import servers as serve


def private_env(tmp: Path) -> dict[str, str]:
    """Every folder Jupyter, JupyterLab, IPython and the kit write to, inside `tmp`, so the
    user's own Jupyter settings are neither read nor changed."""
    folders = {
        "TLKIT_STATE_DIR": "state",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",  # the notebook trust database lives here
        "JUPYTERLAB_SETTINGS_DIR": "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "lab-workspaces",
        "IPYTHONDIR": "ipython",  # the kernel's history database
    }
    env = {}
    for name, folder in folders.items():
        (tmp / folder).mkdir()
        env[name] = str(tmp / folder)
    return env


def stop_lab(proc: subprocess.Popen) -> list[psutil.Process]:
    """Stop JupyterLab as `tlkit start` does; return any of its processes still alive."""
    try:
        # Kernels run in sessions of their own, so note them while the server still knows them.
        started = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        started = []
    serve.stop_all([proc])  # SIGTERM: JupyterLab shuts its kernels down before it exits
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # anything left in the server's own group
    except ProcessLookupError:
        pass
    _, alive = psutil.wait_procs(started, timeout=serve.STOP_TIMEOUT_SECONDS)
    for process in alive:
        process.kill()
    return alive


@contextmanager
def running_lab(workspace: Path, env: dict[str, str], log: Path, root: Path = ROOT):
    """JupyterLab on `workspace` (a learner's copy of the course at `root`) with the kit's
    command line; yields its port."""
    port = free_port()
    with open(log, "wb") as handle:
        # From the course root, as `tlkit start` runs it (Jupyter also reads config from there).
        command = serve.lab_command(workspace, port, first_page=serve.start_page(root),
                                    runtime_dir=env["JUPYTER_RUNTIME_DIR"])
        proc = subprocess.Popen(command, cwd=root, env=env,
                                stdin=subprocess.DEVNULL, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            if not serve.wait_until_answers(f"http://127.0.0.1:{port}/api/status", proc, 120):
                pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')[-4000:]}")
            yield port
        finally:
            alive = stop_lab(proc)
    assert not alive, f"processes left running after JupyterLab stopped: {alive}"


def run_cell(page, cell, shows: str, key: str = "Control+Enter", timeout: int = 150_000) -> None:
    """Run one notebook cell as a learner does (select it by its prompt, press `key`) and wait
    until `shows` (a selector inside the cell) is visible.

    The kernel must be idle first: on a busy machine a key pressed while the notebook is still
    connecting to its kernel can be lost. If the output has not come after a while, the cell
    is selected and run once more (running a widget cell twice only draws it again): a widget
    shows in a few seconds even on a busy machine, so a first wait of 20 s means a lost press,
    not a slow kernel."""
    idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']")
    # A dialog asking for a kernel comes instead of an idle kernel: answer it, then wait.
    idle.or_(page.locator(".jp-Dialog")).first.wait_for(state="attached", timeout=timeout)
    _no_dialog(page)
    idle.first.wait_for(state="attached", timeout=timeout)
    target = cell.locator(shows).first
    for wait in (min(20_000, timeout), timeout):
        _no_dialog(page)
        cell.locator(".jp-InputPrompt").first.click(timeout=wait)
        page.keyboard.press(key)
        try:
            target.wait_for(state="visible", timeout=wait)
            return
        except Exception:  # noqa: BLE001  (Playwright's TimeoutError: try the press once more)
            if wait == timeout:
                _no_dialog(page)
                raise


def _no_dialog(page) -> None:
    """Answer JupyterLab's kernel choice as a learner would, and fail with what it says on any
    other dialog (a kernel that could not start, say): a dialog takes every click, and the
    test would only time out.

    On a busy machine Lab has once asked, on opening a module, which kernel to start, the
    course's Python kernel listed (why it did not start it by itself is not known: a slow or
    failed kernel list shows no kernel to choose, a failed start an error first). A learner
    picks that kernel and presses Select, and so does the test."""
    dialog = page.locator(".jp-Dialog")
    if not dialog.count():
        return
    text = dialog.first.inner_text()
    if text.startswith("Select Kernel") and "Python 3 (ipykernel)" in text:
        dialog.first.locator("select").select_option(label="Python 3 (ipykernel)")
        dialog.first.locator(".jp-Dialog-button.jp-mod-accept").click()
        dialog.first.wait_for(state="detached", timeout=30_000)
        return
    raise AssertionError(f"JupyterLab shows a dialog: {text[:500]!r}")
