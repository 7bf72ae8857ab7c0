"""Serve the course: JupyterLab for learners, Voila for facilitator views, on 127.0.0.1 only.

The command lines are built by small functions so tests can check every flag without starting
a server; `start` and `facilitate` run them as child processes and stop them together.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

from tlkit.settings import CONTENT, build_dir, course_root, exchange_dir

# By name, not imported: it is loaded inside Voila's process (and needs jupyter_server).
PAGE_COOKIE_PROVIDER = "tlkit.serve.voila_identity.PageCookieIdentityProvider"

HOST = "127.0.0.1"
VOILA_TEMPLATE = "tlkit"
# A Jupyter data folder holding voila/templates/tlkit (the kit's template without CDN links).
JUPYTER_DATA = CONTENT / "jupyter"
# A Jupyter config folder for the learners' JupyterLab: it hides nbgrader's authoring and
# grading panels (formgrader, create assignment, course list), which are for course staff.
# The Validate button stays: it lets a teacher check an activity before handing it in.
LEARNER_CONFIG = JUPYTER_DATA / "learner-config"
# A Jupyter config folder for Voila (voila.json): the log filter below on its console, and
# Jupyter Server's Host check, which Voila turns off: a request whose Host header is not this
# computer (another site's page reaching 127.0.0.1 by DNS rebinding) is refused.
VOILA_CONFIG = JUPYTER_DATA / "voila-config"

# The terminal shows warnings and errors only: the ready message is what a teacher reads.
# Both config folders also filter out the two warnings that are noise on loopback
# (tlkit.serve.quiet_logs), and the learners' one turns off nbgrader's staff server extensions.
LOG_LEVEL = "WARN"

# These JupyterLab extensions are installed for the learners' JupyterLab but fail inside Voila
# (errors about shared modules in the browser console), so Voila must not load them.
VOILA_EXTENSION_DENYLIST = (
    "@jupyter/nbgrader",
    "@jupyter-notebook/lab-extension",
    "@voila-dashboards/jupyterlab-preview",
)

# A closed or reloaded page shuts its kernel down itself (tlkit.serve.voila_identity sets the
# cookie that call needs). Culling is the safety net for pages that could not say goodbye (a
# browser that crashed, a laptop put to sleep): kernels idle and without a page for this long
# are stopped. An open page keeps its kernel: connected kernels are never culled. Not shorter:
# a preheated kernel counts as idle since it ran its guide, and between serving the page and
# the page connecting (a second or two) a cull pass could take it.
CULL_IDLE_SECONDS = 900
CULL_INTERVAL_SECONDS = 60

# The facilitators' front page (facilitator/index.ipynb): the course map, a link to each
# module's guide and a suggested cohort schedule. `tlkit facilitate` opens it.
FRONT_PAGE = "index.ipynb"

# Voila's preheating keeps a kernel that has already run a view waiting for it, so the view
# shows at once; left to itself, Voila keeps one for every notebook in the folder. Each waiting
# kernel holds its memory for as long as the kit runs: measured with the front page and the
# eight module guides all preheated (benchmarks/preheat_memory.py), 60 to 162 MiB resident each,
# about 0.9 GiB together, for pages a facilitator opens one or two at a time. So only the front
# page, the page a facilitator opens first, waits preheated (about 60 MiB); a guide opened from
# it starts its kernel then: about 4.5 seconds to its first widget instead of 2.
PREHEAT_POOL_SIZE = 1


def preheat_denylist(folder: Path) -> list[str]:
    """The views in `folder` that get no preheated kernel: all but the front page. A folder
    outside a course (no manifest above it) preheats everything."""
    from tlkit.course.manifest import ManifestError, module_ids

    try:
        module_ids(Path(folder).resolve().parent)
    except (ManifestError, OSError):
        return []
    return sorted(p.name for p in Path(folder).glob("*.ipynb") if p.name != FRONT_PAGE)


# Kernels talk to the server over local sockets (files) instead of TCP ports: nothing listens
# on the network, and ipykernel has no "running over TCP without encryption" warning to print.
# A socket path may hold at most about 100 characters, so only short folders qualify.
IPC_PATH_LIMIT = 100
IPC_NAME_LENGTH = len("/kernel-00000000-0000-0000-0000-000000000000-ipc-4")

READY_TIMEOUT_SECONDS = 120
STOP_TIMEOUT_SECONDS = 15


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def kernel_transport_args(connection_dir: str | Path) -> list[str]:
    """Local-socket kernels when their socket files fit under `connection_dir`, else TCP."""
    if len(str(connection_dir)) + IPC_NAME_LENGTH <= IPC_PATH_LIMIT:
        return ["--KernelManager.transport=ipc"]
    return []


def short_runtime_dir() -> Path | None:
    """A private folder (mode 0700, this user's) whose kernel sockets fit the path limit, for a
    Jupyter runtime folder too deep for them (a long home folder, macOS's ~/Library/Jupyter);
    None where there is none (Windows, no short temporary folder). The same folder each time,
    as Jupyter's own: it keeps the server's cookie secret, so a tab open across a restart of
    the kit stays signed in."""
    import stat
    import tempfile

    if os.name == "nt":
        return None
    name = f"tlkit-{os.getuid()}-runtime"
    for base in (tempfile.gettempdir(), "/tmp"):
        folder = Path(base) / name
        if len(str(folder)) + IPC_NAME_LENGTH > IPC_PATH_LIMIT or not os.path.isdir(base):
            continue
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            info = folder.lstat()
        except OSError:
            continue
        # Another user's folder, a link or one others can open is never used.
        if (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
                and info.st_mode & 0o077 == 0):
            return folder
    return None


def start_page(root: Path) -> str:
    """The learner's first screen: the first module's notebook (start-here, whose course page
    links every module in order), not JupyterLab's Launcher beside folders in alphabetical
    order."""
    from tlkit.course.manifest import module_ids

    first = module_ids(root)[0]
    return f"/lab/tree/{first}/{first}.ipynb"


def lab_command(workspace: Path, port: int = 8888, *, as_root: bool | None = None,
                runtime_dir: str | Path | None = None, first_page: str | None = None) -> list[str]:
    """`jupyter lab` on the learner's workspace, loopback only, no calls to the internet.

    runtime_dir is where its kernels' connection files go (Jupyter's runtime folder: pass
    the JUPYTER_RUNTIME_DIR that lab_env chose). first_page (a /lab/tree/... path) is where
    the bare address leads.
    """
    as_root = _running_as_root() if as_root is None else as_root
    if runtime_dir is None:
        from jupyter_core.paths import jupyter_runtime_dir

        runtime_dir = jupyter_runtime_dir()
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        f"--ServerApp.ip={HOST}",
        f"--ServerApp.port={port}",
        # A taken port is an error we report, not a silent move to another port.
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={Path(workspace).resolve()}",
        # No announcements feed, no update check, no PyPI-backed extension manager.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        f"--ServerApp.log_level={LOG_LEVEL}",
        f"--LabApp.log_level={LOG_LEVEL}",
        *([f"--LabApp.default_url={first_page}"] if first_page else []),
        *kernel_transport_args(runtime_dir),
    ]
    if as_root:  # jupyter lab refuses to run as root without it (containers, CI)
        cmd.append("--allow-root")
    return cmd


def voila_command(
    folder: Path,
    port: int = 8866,
    *,
    show_tracebacks: bool = False,
    preheat: bool = True,
    preheat_views: list[str] | None = None,
    cull_idle_seconds: int = CULL_IDLE_SECONDS,
    cull_interval_seconds: int = CULL_INTERVAL_SECONDS,
    extra: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """`voila` on a folder of views, loopback only, with the kit's template and no code shown.

    Run it with `voila_env()` so Voila finds the kit's template and config. Tracebacks are off
    by default: facilitators should not meet Python internals, and the guide's widgets show
    their own plain messages. Tests turn them on to see why a page failed. preheat keeps
    PREHEAT_POOL_SIZE kernels per view that have already run it: for the views
    preheat_denylist leaves, or for `preheat_views` (names in `folder`) when given.
    """
    # Voila keeps its kernels' connection files in a fresh folder under the temp folder.
    import tempfile

    warm = ["--preheat_kernel=True", f"--pool_size={PREHEAT_POOL_SIZE}"] if preheat else []
    if preheat:
        # Voila matches each entry as a substring of the notebook's path: full names only.
        denied = (preheat_denylist(folder) if preheat_views is None else
                  sorted(p.name for p in Path(folder).glob("*.ipynb")
                         if p.name not in preheat_views))
        warm += [f"--VoilaKernelManager.preheat_denylist={name}" for name in denied]
    return [
        sys.executable, "-m", "voila",
        str(Path(folder).resolve()),
        "--no-browser",
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--template={VOILA_TEMPLATE}",
        "--strip_sources=True",
        f"--show_tracebacks={show_tracebacks}",
        *(f"--VoilaConfiguration.extension_denylist={name}" for name in VOILA_EXTENSION_DENYLIST),
        f"--MappingKernelManager.cull_idle_timeout={cull_idle_seconds}",
        f"--MappingKernelManager.cull_interval={cull_interval_seconds}",
        "--MappingKernelManager.cull_connected=False",
        f"--Voila.identity_provider_class={PAGE_COOKIE_PROVIDER}",
        # Pages open only with the token, as in JupyterLab. Voila's provider then reads it from
        # JUPYTER_TOKEN (voila_env): a command line is readable by anyone on the machine.
        "--Voila.auto_token=True",
        f"--Voila.log_level={LOG_LEVEL}",
        *kernel_transport_args(Path(tempfile.gettempdir()) / "voila_xxxxxxxx"),
        *warm,
        *extra,
    ]


def voila_env(base: dict[str, str] | None = None, root: Path | None = None,
              token: str | None = None) -> dict[str, str]:
    """Environment for Voila: the kit's Jupyter data and config folders first, the course
    root and the token its pages ask for.

    The course root is passed on so facilitator views find modules/ wherever Voila starts
    their kernels. Without a token here or in JUPYTER_TOKEN, Voila makes one nobody knows and
    refuses every page.
    """
    env = dict(os.environ if base is None else base)
    if token:
        env["JUPYTER_TOKEN"] = token
    paths = [str(JUPYTER_DATA)] + [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    configs = [str(VOILA_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
                                     if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(configs)
    if root is not None:
        env.setdefault("TLKIT_COURSE_ROOT", str(Path(root).resolve()))
    return env


def kernel_runtime_dir(env: dict[str, str]) -> Path:
    """Jupyter's runtime folder for `env`, or a short one of the kit's when local-socket kernels
    would not fit under it (a long home folder; macOS's ~/Library/Jupyter/runtime). Jupyter
    Server takes its runtime folder from JUPYTER_RUNTIME_DIR only, not from its options."""
    from jupyter_core.paths import jupyter_runtime_dir

    runtime = Path(env.get("JUPYTER_RUNTIME_DIR") or jupyter_runtime_dir())
    if kernel_transport_args(runtime):
        return runtime
    return short_runtime_dir() or runtime


def lab_env(base: dict[str, str] | None = None, root: Path | None = None) -> dict[str, str]:
    """Environment for the learners' JupyterLab: the kit's learner config folder first, a
    runtime folder where its kernels can use local sockets (kernel_runtime_dir), and the
    course's exchange, through which learners hand modules in (tlkit.ops.hand_in).

    TLKIT_COURSE_ROOT is left out: it points at the authors' notebooks (with solutions),
    and nothing a learner runs needs them.
    """
    env = dict(os.environ if base is None else base)
    env.pop("TLKIT_COURSE_ROOT", None)
    env["JUPYTER_RUNTIME_DIR"] = str(kernel_runtime_dir(env))
    paths = [str(LEARNER_CONFIG)] + [p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    if root is not None:
        env["TLKIT_EXCHANGE"] = str(exchange_dir(build_dir(root)))
    return env


def session_token() -> str:
    """The token the servers ask for: one the user chose (JUPYTER_TOKEN), else a new one,
    shown in the printed links."""
    return os.environ.get("JUPYTER_TOKEN") or secrets.token_urlsafe(24)


def lab_url(port: int, token: str, page: str = "/lab") -> str:
    return f"http://{HOST}:{port}{page}?token={token}"


def voila_url(port: int, notebook: str | None = None, token: str | None = None) -> str:
    """A Voila page's address; with `token`, the one a browser opens first (Voila then keeps
    it signed in by a cookie, so the pages' own links need no token)."""
    url = f"http://{HOST}:{port}/voila/render/{notebook}" if notebook else f"http://{HOST}:{port}/"
    return with_token(url, token) if token else url


def with_token(url: str, token: str) -> str:
    """`url` (which may have a query already) with `token` added to its query."""
    return f"{url}{'&' if '?' in url else '?'}token={token}"


def port_problem(port: int, host: str = HOST) -> str | None:
    """A message for the teacher when `port` cannot be used on `host`, else None."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As the servers do: a port left in TIME_WAIT by a server just stopped is free to use.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return (f"Port {port} is already in use: the kit may already be running (look "
                        "for another terminal window), or another program uses it. Close it, or "
                        "choose another port, e.g. --port 8890.")
            return f"Port {port} cannot be used ({err.strerror}). Choose another, e.g. 8890."
    return None


def wait_until_answers(url: str, process: subprocess.Popen, timeout: float) -> bool:
    """Poll `url` until it answers (any HTTP status) or `process` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return True
        except urllib.error.HTTPError:
            return True  # e.g. 403 without a token: the server is up
        except OSError:
            time.sleep(0.3)
    return False


def _spawn(cmd: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen:
    # stdin from /dev/null: with no terminal, Jupyter stops on the first interrupt instead of
    # asking "Shutdown this Jupyter server (y/[n])?". The children stay in our process group,
    # so whoever stops the whole group stops them too.
    return subprocess.Popen(cmd, env=env, cwd=str(cwd), stdin=subprocess.DEVNULL)


def stop_all(processes: list[subprocess.Popen], timeout: float = STOP_TIMEOUT_SECONDS) -> None:
    """Ask every server to stop (they shut their kernels down), then force the stragglers."""
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Stop(Exception):
    """Raised from the SIGTERM handler to leave the wait like Ctrl-C does."""


def _raise_stop(signum, frame):
    raise _Stop()


def _wait_while_all_run(servers: list[tuple[str, subprocess.Popen]]) -> int:
    while True:
        for name, proc in servers:
            code = proc.poll()
            if code is not None:
                print(f"tlkit: {name} stopped (exit code {code}); stopping the rest.",
                      file=sys.stderr)
                return code or 1
        time.sleep(0.5)


def _any_port_refused(*ports: int) -> bool:
    """Say why the first port that cannot be used is refused; True when one is."""
    for port in ports:
        problem = port_problem(port)
        if problem:
            print(f"tlkit: {problem}", file=sys.stderr)
            return True
    return False


def _launch(servers: list[tuple[str, list[str], dict[str, str], str]], cwd: Path,
            open_url: str | None, banner: str) -> int:
    """Start each (name, command, env, probe url), wait until all answer, print the banner,
    then serve until Ctrl-C, SIGTERM, or one server exits; always stop them all together."""
    started: list[tuple[str, subprocess.Popen]] = []
    previous = signal.signal(signal.SIGTERM, _raise_stop)
    try:
        for name, cmd, env, probe in servers:
            proc = _spawn(cmd, env, cwd)
            started.append((name, proc))
            if not wait_until_answers(probe, proc, READY_TIMEOUT_SECONDS):
                print(f"tlkit: {name} did not start (see the messages above). Nothing is left "
                      "running; try again, or choose other ports with --port.", file=sys.stderr)
                return 1
        print(banner, flush=True)
        if open_url:
            webbrowser.open(open_url)
        return _wait_while_all_run(started)
    except (KeyboardInterrupt, _Stop):
        print("\nStopping the kit's servers...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop_all([proc for _, proc in started])


def start(workspace: Path, lab_port: int = 8888, voila_port: int = 8866,
          open_browser: bool = True) -> int:
    """JupyterLab on the learner's workspace and Voila on facilitator/, until Ctrl-C."""
    if _any_port_refused(lab_port, voila_port):
        return 2
    root = course_root()
    # One token for both servers: the kit runs for one person on this computer.
    token = session_token()
    learner_env = lab_env(dict(os.environ, JUPYTER_TOKEN=token), root)
    first = start_page(root)
    lab = lab_url(lab_port, token, first)
    front = voila_url(voila_port, FRONT_PAGE, token)
    banner = (
        "\nThe Teacher Leader Kit is running on this computer only.\n"
        f"  Course (JupyterLab):       {lab}\n"
        f"  Facilitator views (Voila): {voila_url(voila_port, token=token)}\n"
        f"  Facilitators' front page:  {front}\n"
        "Keep this window open while you work. Press Ctrl-C here to stop both.\n"
    )
    return _launch(
        [("JupyterLab", lab_command(Path(workspace), lab_port, first_page=first,
                                    runtime_dir=learner_env["JUPYTER_RUNTIME_DIR"]),
          learner_env, f"http://{HOST}:{lab_port}/api/status?token={token}"),
         ("Voila", voila_command(root / "facilitator", voila_port),
          voila_env(root=root, token=token), voila_url(voila_port))],
        cwd=root, open_url=lab if open_browser else None, banner=banner,
    )


def facilitate(port: int = 8866, open_browser: bool = True) -> int:
    """Voila alone on facilitator/, until Ctrl-C."""
    if _any_port_refused(port):
        return 2
    root = course_root()
    token = session_token()
    front = voila_url(port, FRONT_PAGE, token)
    banner = (
        "\nFacilitator views are running on this computer only.\n"
        f"  All views:         {voila_url(port, token=token)}\n"
        f"  Front page:        {front}\n"
        "Keep this window open while you facilitate. Press Ctrl-C here to stop.\n"
    )
    return _launch(
        [("Voila", voila_command(root / "facilitator", port), voila_env(root=root, token=token),
          voila_url(port))],
        cwd=root, open_url=front if open_browser else None, banner=banner,
    )


# The facilitator's JupyterLab for grading: nbgrader's formgrader (Nbgrader > Formgrader in the
# menu) on the course root, where nbgrader_config.py is. Only the announcements prompt is
# turned off; the learners' JupyterLab (LEARNER_CONFIG) keeps every nbgrader staff panel hidden.
FACILITATOR_CONFIG = JUPYTER_DATA / "facilitator-config"


def facilitator_lab_env(base: dict[str, str] | None = None,
                        root: Path | None = None) -> dict[str, str]:
    """Environment for the facilitator's JupyterLab: the course root and the kit's
    facilitator config folder (never the learners' one)."""
    env = dict(os.environ if base is None else base)
    paths = [str(FACILITATOR_CONFIG)] + [
        p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep)
        if p and Path(p).resolve() != LEARNER_CONFIG.resolve()]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    if root is not None:
        env["TLKIT_COURSE_ROOT"] = str(Path(root).resolve())
    # nbgrader runs `alembic` from PATH when it makes a gradebook.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def formgrader_url(port: int, token: str) -> str:
    return f"http://{HOST}:{port}/formgrader?token={token}"


def facilitator_lab(port: int = 8890, open_browser: bool = True) -> int:
    """JupyterLab on the course root with nbgrader's formgrader, until Ctrl-C."""
    if _any_port_refused(port):
        return 2
    root = course_root()
    token = session_token()
    env = facilitator_lab_env(dict(os.environ, JUPYTER_TOKEN=token), root)
    grading = formgrader_url(port, token)
    banner = (
        "\nThe facilitator's JupyterLab is running on this computer only.\n"
        f"  Grading (formgrader): {grading}\n"
        f"  JupyterLab:           {lab_url(port, token)}\n"
        "Grade the written reflections under 'Manual Grading'. Press Ctrl-C here to stop.\n"
    )
    return _launch(
        [("JupyterLab", lab_command(root, port), env,
          f"http://{HOST}:{port}/api/status?token={token}")],
        cwd=root, open_url=grading if open_browser else None, banner=banner,
    )
