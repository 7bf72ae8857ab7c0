"""What the browser tests share: Voila on a folder, and pages that record their requests."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tlkit.serve import servers as serve
from support import ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1"}


class Voila:
    def __init__(self, port: int, proc: subprocess.Popen, log: Path, state: Path, token: str):
        self.port, self.proc, self.log, self.state = port, proc, log, state
        self.token = token

    def url(self, notebook: str | None, token: bool = True) -> str:
        """A page's address with the token, as the kit prints it (token=False: without)."""
        return serve.voila_url(self.port, notebook, self.token if token else None)

    def with_token(self, url: str) -> str:
        """`url` (a page's address as a page shows it) with the token added."""
        return serve.with_token(url, self.token)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextmanager
def running_voila(folder: Path, tmp: Path, **options):
    """Voila on `folder` until the block ends; `options` go to tlkit.serve.servers.voila_command."""
    port = free_port()
    log = tmp / f"voila-{port}.log"
    token = secrets.token_urlsafe(16)
    env = serve.voila_env(root=ROOT, token=token)
    # Every folder the server and its kernels write to is temporary: the user's own Jupyter
    # and IPython files are neither used nor touched.
    env.update(TLKIT_STATE_DIR=str(tmp / "state"), JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_DATA_DIR=str(tmp / "data"), IPYTHONDIR=str(tmp / "ipython"))
    env.pop("TLKIT_LIVE_JOIN_URL", None)   # pages show the address they were served at
    with open(log, "wb") as handle:
        proc = subprocess.Popen(serve.voila_command(folder, port, **options), cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=handle,
                                stderr=subprocess.STDOUT, start_new_session=True)
        voila = Voila(port, proc, log, tmp / "state", token)
        try:
            if not serve.wait_until_answers(serve.voila_url(port), proc, timeout=120):
                pytest.fail(f"Voila did not start:\n{voila.output()[-4000:]}")
            yield voila
        finally:
            proc.terminate()  # Voila shuts its kernels down on SIGTERM
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class RecordedPage:
    """A page that remembers every URL it asked for (including websockets)."""

    def __init__(self, page):
        self.page = page
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda socket: self.urls.append(socket.url))

    def outside_requests(self) -> list[str]:
        return [url for url in self.urls
                if urlparse(url).scheme not in ("data", "blob", "about")
                and urlparse(url).hostname not in LOCAL_HOSTS]


def open_live_session(page, voila: Voila) -> str:
    """Open the facilitator's live-session page, press Open a live session; the join code."""
    import re

    from playwright.sync_api import expect

    page.goto(voila.url("live-session.ipynb"))
    page.locator(".tlkit-live-open button, button.tlkit-live-open").first.click()
    banner = page.locator(".tlkit-live-code b")
    expect(banner).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))
    return banner.inner_text()
