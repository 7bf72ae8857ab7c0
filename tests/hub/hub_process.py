"""A real JupyterHub on 127.0.0.1: started by the hub tests and by benchmarks/hub.py.

DummyAuthenticator and SimpleLocalProcessSpawner (every single-user server a local process,
each with its own home folder and server root); configurable-http-proxy from npm, installed
into <repo>/.cache/chp the first time when it is not on PATH. The single-user servers read
deploy/nbgrader/nbgrader_config.py, the file a hub installs as /etc/jupyter/nbgrader_config.py.
Every process started here is stopped at the end (the hub stops the proxy and the servers;
anything left is terminated by process id).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import contextlib
from support import ROOT, free_port

CHP_DIR = ROOT / ".cache" / "chp"
CHP_PACKAGE = "configurable-http-proxy@5.3.0"
FACILITATOR = "grader"
LEARNERS = ("ana", "ben")


class MissingNpm(RuntimeError):
    """Node.js and npm are needed once, to install configurable-http-proxy."""


def proxy_command() -> str:
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    local = CHP_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return str(local)
    hint = "the hub tests need Node.js and npm to install configurable-http-proxy once: sudo apt-get install nodejs npm"
    npm = shutil.which("npm")
    if npm is None:
        raise MissingNpm(hint)
    CHP_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                           str(CHP_DIR), CHP_PACKAGE], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not local.exists():
        raise RuntimeError(f"`npm install {CHP_PACKAGE}` into {CHP_DIR} failed:\n{done.stdout}\n{done.stderr}")
    return str(local)


def facilitator_course(hub: "Hub", module: str, title: str = "Protocols") -> Path:
    """The facilitator's home made the course folder: `module` from the kit, a manifest
    listing it and the kit's nbgrader_config.py."""
    home = hub.homes / FACILITATOR
    (home / "modules").mkdir(parents=True)
    shutil.copytree(ROOT / "modules" / module, home / "modules" / module)
    (home / "modules" / "course.yaml").write_text(
        f"modules:\n  - id: {module}\n    title: {title}\n    session_minutes: 90\n")
    shutil.copy(ROOT / "nbgrader_config.py", home / "nbgrader_config.py")
    return home


@dataclass
class Hub:
    url: str
    api_token: str
    homes: Path
    exchange: Path
    tokens: dict[str, str] = field(default_factory=dict)

    @property
    def live_db(self) -> str:
        """The live-session database the hub's participant page (service "live") uses."""
        return f"sqlite:///{self.homes.parent}/live.sqlite3"

    def request(self, method: str, path: str, token: str | None = None, body=None,
                raw: bool = False, timeout: float = 120):
        """(status, parsed JSON or text) for a request to the hub or through its proxy."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"token {token or self.api_token}")
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode(errors="replace")
        if raw:
            return status, text
        try:
            return status, json.loads(text) if text else None
        except json.JSONDecodeError:
            return status, text

    def start_server(self, user: str, timeout: float = 90, attempts: int = 3) -> float:
        """Start the user's server through the hub's REST API; seconds until it answers.

        On a busy machine the port the spawner picked can be taken before the server binds
        it; the hub then reports the failed start and the request is sent again."""
        t0 = time.perf_counter()
        for _ in range(attempts):
            status, _ = self.request("POST", f"/hub/api/users/{user}/server")
            if status not in (201, 202, 400):  # 400: already running or starting
                time.sleep(1)
                continue
            while time.perf_counter() - t0 < timeout:
                _, info = self.request("GET", f"/hub/api/users/{user}")
                server = (info or {}).get("servers", {}).get("")
                if server is None:
                    break  # the start failed: try again
                if server.get("ready"):
                    status, _ = self.request("GET", f"/user/{user}/api/status", self.tokens[user])
                    if status == 200:
                        return time.perf_counter() - t0
                time.sleep(0.3)
        raise AssertionError(f"{user}'s server did not start within {timeout} s")

    def server_pid(self, user: str) -> int | None:
        _, info = self.request("GET", f"/hub/api/users/{user}")
        server = (info or {}).get("servers", {}).get("", {})
        return (server.get("state") or {}).get("pid")


def _hub_config(tmp: Path, port: int, api_token: str, chp: str, learners) -> str:
    bin_dir = Path(sys.executable).parent
    # CI runs as root; on a real hub each server runs as its own user (see deploy/).
    allow_root = ', "--ServerApp.allow_root=True"' if os.getuid() == 0 else ""
    return f"""
c = get_config()
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {{{FACILITATOR!r}, *{tuple(learners)!r}}}
c.Authenticator.admin_users = set()
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/home/{{username}}"
c.Spawner.cmd = [{str(bin_dir / 'jupyterhub-singleuser')!r}]
c.Spawner.args = ["--ServerApp.ip=127.0.0.1"{allow_root}]
c.JupyterHub.tornado_settings = {{"slow_spawn_timeout": 0}}  # the start request returns at once
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.Spawner.environment = {{
    # /etc/jupyter's nbgrader_config.py, then the role's settings from deploy/jupyter/.
    "JUPYTER_CONFIG_PATH": lambda spawner: "{tmp}/etc-jupyter:{ROOT}/deploy/jupyter/" + (
        "facilitator" if spawner.user.name == {FACILITATOR!r} else "learner"),
    "TLKIT_EXCHANGE": "{tmp}/exchange",
    "TLKIT_ROLE": lambda spawner: "facilitator" if spawner.user.name == {FACILITATOR!r} else "learner",
    "PATH": "{bin_dir}:/usr/bin:/bin",
    "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ in the kit's folders (test_packaging)
}}
c.JupyterHub.services = [
    {{"name": "course-test", "api_token": {api_token!r}}},
    # The live sessions' participant page, as deploy/tljh/tlkit.py runs it: open to people
    # with no hub account at /services/live/.
    {{"name": "live", "url": "http://127.0.0.1:{free_port()}",
      "command": [{sys.executable!r}, "-m", "tlkit.room"],
      "environment": {{"TLKIT_LIVE_DB": "sqlite:///{tmp}/live.sqlite3",
                      "PYTHONDONTWRITEBYTECODE": "1"}}}},  # no __pycache__, as above
]
c.JupyterHub.load_roles = [{{
    "name": "course-test",
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users"],
    "services": ["course-test"],
}}]
"""


@contextlib.contextmanager
def running_hub(tmp: Path, learners=LEARNERS):
    """Start the hub with its files in `tmp`; stop it and everything it started on exit."""
    chp = proxy_command()
    (tmp / "etc-jupyter").mkdir()
    shutil.copy(ROOT / "deploy" / "nbgrader" / "nbgrader_config.py",
                tmp / "etc-jupyter" / "nbgrader_config.py")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    homes = tmp / "home"
    homes.mkdir()
    port = free_port()
    api_token = secrets.token_hex(16)
    (tmp / "jupyterhub_config.py").write_text(_hub_config(tmp, port, api_token, chp, learners))
    log = (tmp / "hub.log").open("w")
    proc = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f",
                             str(tmp / "jupyterhub_config.py")], cwd=tmp, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", api_token, homes, exchange)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError("JupyterHub exited:\n" + (tmp / "hub.log").read_text()[-3000:])
            try:
                if hub.request("GET", "/hub/api/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("JupyterHub did not answer:\n" + (tmp / "hub.log").read_text()[-3000:])
            time.sleep(0.3)
        for user in (FACILITATOR, *learners):
            status, made = hub.request("POST", f"/hub/api/users/{user}/tokens",
                                       body={"note": "course test", "expires_in": 3600})
            assert status == 201, f"no token for {user}: {made}"
            hub.tokens[user] = made["token"]
        yield hub
    finally:
        children = []
        try:
            children = psutil.Process(proc.pid).children(recursive=True)
        except psutil.Error:
            pass
        proc.send_signal(signal.SIGTERM)  # the hub stops every server and the proxy it started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for child in children:
            try:
                child.terminate()
                child.wait(timeout=10)
            except psutil.Error:
                pass
        log.close()
