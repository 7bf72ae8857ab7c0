"""Run the kit's own commands as a teacher would, and make sure they leave nothing behind.

Each command runs in its own process group so the test can stop it the way a terminal does,
and every process it started (servers, kernels) is recorded so the test can prove all of them
are gone afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from support import ROOT, free_port

TLKIT = Path(sys.executable).parent / "tlkit"
TOKEN = "tlkit-test-token"
START_TIMEOUT = 240  # `tlkit start` first builds the learner's copy with nbgrader
STOP_TIMEOUT = 60


def fetch(url: str, token: str | None = None, timeout: float = 120) -> tuple[int, str]:
    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


class Running:
    """A `tlkit ...` command running in its own process group, with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self._log_handle = open(log, "wb")
        self.proc = subprocess.Popen([str(TLKIT), *args], cwd=ROOT, env=env,
                                     stdin=subprocess.DEVNULL, stdout=self._log_handle,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.seen: dict[int, psutil.Process] = {}
        self.commands: dict[int, str] = {}   # pid -> command line, readable after it ends

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def record_descendants(self) -> None:
        """Remember every process started so far (kernels live in their own groups)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return
        for child in children:
            # One child that ends meanwhile (a kernel) must not hide the others.
            if child.pid in self.seen:
                continue
            try:
                command = " ".join(child.cmdline())
            except psutil.Error:
                continue
            self.seen[child.pid] = child
            self.commands[child.pid] = command

    def listening_addresses(self) -> set[str]:
        """IP addresses the command's processes (servers and kernels) accept connections on."""
        addresses = set()
        for process in self.seen.values():
            try:
                addresses |= {c.laddr.ip for c in process.net_connections(kind="inet")
                              if c.status == psutil.CONN_LISTEN}
            except psutil.Error:
                pass
        return addresses

    def wait_until_ok(self, url: str, token: str | None = None,
                      timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"`tlkit` exited with {self.proc.returncode} before {url} answered:"
                            f"\n{self.output()[-4000:]}")
            try:
                if fetch(url, token, timeout=5)[0] == 200:
                    self.record_descendants()
                    return
            except OSError:
                pass
            time.sleep(0.5)
        pytest.fail(f"{url} did not answer within {timeout} s:\n{self.output()[-4000:]}")

    def wait_for_output(self, text: str, timeout: float = 60) -> str:
        """The output once it holds `text`: the banner is printed after the servers answer."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"`tlkit` never printed {text!r}:\n{self.output()[-4000:]}")
            time.sleep(0.2)
        return self.output()

    def stop(self, sig: int = signal.SIGTERM) -> list[psutil.Process]:
        """Signal the whole group as a terminal would; return the processes still alive."""
        self.record_descendants()
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        _, alive = psutil.wait_procs(list(self.seen.values()), timeout=STOP_TIMEOUT)
        return alive + ([psutil.Process(self.proc.pid)] if self.proc.poll() is None else [])

    def kill_everything(self) -> None:
        for process in [*self.seen.values()]:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=STOP_TIMEOUT)
        self._log_handle.close()
