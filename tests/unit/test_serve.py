"""tlkit.serve.servers without starting servers: the command lines as Jupyter itself parses them,
the environment that finds the kit's template, the template's lack of outside links, and
the plain message for a taken port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tlkit.serve import servers as serve


def _lab_app(cmd: list[str]):
    from jupyterlab.labapp import LabApp

    assert cmd[:3] == [sys.executable, "-m", "jupyterlab"]
    app = LabApp()
    app.parse_command_line(cmd[3:])
    return app


def _voila_app(cmd: list[str]):
    from voila.app import Voila

    assert cmd[:3] == [sys.executable, "-m", "voila"]
    app = Voila()
    app.parse_command_line(cmd[3:])
    return app


def test_lab_listens_on_loopback_and_makes_no_outside_calls(tmp_path):
    app = _lab_app(serve.lab_command(tmp_path, 8890, as_root=False))
    server = app.config.ServerApp
    assert (server.ip, server.port, server.port_retries) == ("127.0.0.1", 8890, 0)
    assert Path(server.root_dir) == tmp_path.resolve()
    assert server.open_browser is False
    assert "allow_root" not in server
    assert app.news_url is None
    assert app.check_for_updates_class.__name__ == "NeverCheckForUpdate"
    assert app.extension_manager == "readonly"


def test_lab_gets_allow_root_only_as_root(tmp_path):
    assert _lab_app(serve.lab_command(tmp_path, as_root=True)).config.ServerApp.allow_root is True
    assert "--allow-root" not in serve.lab_command(tmp_path, as_root=False)


def test_voila_uses_the_kit_template_loopback_and_safe_culling(tmp_path):
    app = _voila_app(serve.voila_command(tmp_path, 8899, cull_idle_seconds=30,
                                         cull_interval_seconds=5))
    assert (app.ip, app.port, app.port_retries, app.open_browser) == ("127.0.0.1", 8899, 0, False)
    assert app.extra_args == [str(tmp_path.resolve())]
    voila = app.config.VoilaConfiguration
    assert voila.template == serve.VOILA_TEMPLATE
    assert voila.strip_sources is True
    assert set(voila.extension_denylist) == set(serve.VOILA_EXTENSION_DENYLIST)
    culling = app.config.MappingKernelManager
    assert (int(culling.cull_idle_timeout), int(culling.cull_interval)) == (30, 5)
    assert str(culling.cull_connected) == "False"  # never cull a page that is open


def test_voila_env_puts_the_kit_template_first_and_keeps_other_paths(tmp_path):
    env = serve.voila_env({"JUPYTER_PATH": "/somewhere/else", "PATH": "/bin"}, root=tmp_path)
    paths = env["JUPYTER_PATH"].split(":")
    assert paths == [str(serve.JUPYTER_DATA), "/somewhere/else"]
    assert env["TLKIT_COURSE_ROOT"] == str(tmp_path.resolve())
    template = Path(paths[0]) / "voila" / "templates" / serve.VOILA_TEMPLATE
    assert json.loads((template / "conf.json").read_text())["base_template"] == "lab"


def test_voila_finds_the_template_and_it_links_nothing_outside(monkeypatch):
    from voila.paths import collect_template_paths

    monkeypatch.setenv("JUPYTER_PATH", str(serve.JUPYTER_DATA))
    paths = collect_template_paths(["voila", "nbconvert"], serve.VOILA_TEMPLATE, prune=True)
    ours = Path(paths[0])
    assert ours == serve.JUPYTER_DATA / "voila" / "templates" / serve.VOILA_TEMPLATE
    for name in ("index.html.j2", "page.html"):
        text = (ours / name).read_text()
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), name


def test_a_taken_port_is_named_in_a_plain_message():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        message = serve.port_problem(port)
        assert message and f"Port {port} is already in use" in message
        assert serve.facilitate(port=port, open_browser=False) == 2
    assert serve.port_problem(port) is None


def test_stop_all_forces_a_process_that_ignores_the_polite_request():
    stubborn = subprocess.Popen([sys.executable, "-c",
                                 "import signal, time; signal.signal(signal.SIGTERM, "
                                 "signal.SIG_IGN); print('ready', flush=True); time.sleep(60)"],
                                stdout=subprocess.PIPE)
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    assert stubborn.stdout.readline().strip() == b"ready"  # handler installed
    serve.stop_all([stubborn, polite], timeout=1)
    assert stubborn.returncode == -9 and polite.returncode == -15


def test_a_port_just_released_by_a_stopped_server_counts_as_free():
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    accepted, _ = server.accept()
    accepted.close()  # the server closes first, so its port sits in TIME_WAIT (as after Ctrl-C)
    client.close()
    server.close()
    assert serve.port_problem(port) is None


def _launched(monkeypatch, command, *args) -> dict[str, tuple[list[str], dict[str, str]]]:
    """What `start`/`facilitate` would launch: server name -> (command line, environment)."""
    seen = {}

    def fake_launch(servers, cwd, open_url, banner):
        seen.update({name: (cmd, env) for name, cmd, env, _probe in servers})
        return 0

    monkeypatch.setattr(serve, "_launch", fake_launch)
    monkeypatch.setattr(serve, "port_problem", lambda port: None)
    assert command(*args, open_browser=False) == 0
    return seen


def test_voila_for_facilitators_hides_python_tracebacks(monkeypatch, tmp_path):
    for servers in (_launched(monkeypatch, serve.facilitate, 8899),
                    _launched(monkeypatch, serve.start, tmp_path, 8898, 8899)):
        cmd, _env = servers["Voila"]
        assert _voila_app(cmd).config.VoilaConfiguration.show_tracebacks is False
    # Tests still ask for them to see why a page failed.
    shown = _voila_app(serve.voila_command(tmp_path, show_tracebacks=True))
    assert shown.config.VoilaConfiguration.show_tracebacks is True


def test_learners_lab_is_not_told_where_the_authors_notebooks_are(monkeypatch, tmp_path):
    # Even when the teacher's shell sets it, the learners' JupyterLab must not inherit it.
    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(serve.course_root()))
    servers = _launched(monkeypatch, serve.start, tmp_path, 8898, 8899)
    _cmd, lab = servers["JupyterLab"]
    assert "TLKIT_COURSE_ROOT" not in lab
    assert lab["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0] == str(serve.LEARNER_CONFIG)
    # Voila keeps it: the facilitator views read modules/.
    _cmd, voila = servers["Voila"]
    assert voila["TLKIT_COURSE_ROOT"] == str(serve.course_root())


def test_start_gives_kernels_a_short_runtime_folder_the_same_each_time(monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / ("x" * 80)))
    cmd, env = _launched(monkeypatch, serve.start, tmp_path, 8898, 8899)["JupyterLab"]
    short = env["JUPYTER_RUNTIME_DIR"]
    assert len(short) + serve.IPC_NAME_LENGTH <= serve.IPC_PATH_LIMIT
    assert _lab_app(cmd).config.KernelManager.transport == "ipc"
    assert "--LabApp.default_url=/lab/tree/start-here/start-here.ipynb" in cmd
    # The same folder next time: it keeps the cookie secret, so open tabs stay signed in.
    assert _launched(monkeypatch, serve.start, tmp_path, 8898, 8899)["JupyterLab"][1][
        "JUPYTER_RUNTIME_DIR"] == short


def test_a_short_runtime_folder_someone_else_can_open_is_not_used(monkeypatch):
    import shutil
    import tempfile

    base = tempfile.mkdtemp(prefix="tk", dir="/tmp")      # short enough for sockets
    try:
        monkeypatch.setattr(tempfile, "gettempdir", lambda: base)
        folder = Path(base) / f"tlkit-{os.getuid()}-runtime"
        folder.mkdir()
        folder.chmod(0o777)
        assert serve.short_runtime_dir() != folder
        folder.chmod(0o700)
        assert serve.short_runtime_dir() == folder
    finally:
        shutil.rmtree(base)


def test_learners_lab_has_no_news_prompt_and_no_staff_panels():
    # news_url=None alone does not stop JupyterLab asking about Jupyter news: the plugin must go.
    config = json.loads((serve.LEARNER_CONFIG / "labconfig" / "page_config.json").read_text())
    disabled = {name for name, off in config["disabledExtensions"].items() if off}
    assert "@jupyterlab/apputils-extension:announcements" in disabled
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled


def test_voila_preheats_guides_quietly_and_lets_a_closed_page_stop_its_kernel(tmp_path):
    app = _voila_app(serve.voila_command(tmp_path, 8899))
    voila = app.config.VoilaConfiguration
    assert voila.preheat_kernel is True and voila.default_pool_size == serve.PREHEAT_POOL_SIZE
    assert app.config.Voila.identity_provider_class == serve.PAGE_COOKIE_PROVIDER
    assert app.config.Voila.log_level == "WARN"
    cold = _voila_app(serve.voila_command(tmp_path, 8899, preheat=False))
    assert "preheat_kernel" not in cold.config.VoilaConfiguration


def test_the_page_cookie_provider_loads_by_its_name():
    from traitlets.utils.importstring import import_item

    from tlkit.serve.voila_identity import PROVIDER, PageCookieIdentityProvider

    assert import_item(serve.PAGE_COOKIE_PROVIDER) is PageCookieIdentityProvider
    assert PROVIDER == serve.PAGE_COOKIE_PROVIDER


def test_kernels_use_local_sockets_only_where_the_path_fits():
    assert serve.kernel_transport_args("/tmp/voila_abcdefgh") == ["--KernelManager.transport=ipc"]
    assert serve.kernel_transport_args("/home/" + "x" * 80) == []
    lab = _lab_app(serve.lab_command(Path("/tmp"), 8890, as_root=False, runtime_dir="/tmp/rt"))
    assert lab.config.KernelManager.transport == "ipc"
    assert lab.config.ServerApp.log_level == "WARN"


def test_a_deep_runtime_folder_still_gets_local_socket_kernels(tmp_path):
    env = serve.lab_env({"JUPYTER_RUNTIME_DIR": str(tmp_path / ("x" * 80))})
    short = Path(env["JUPYTER_RUNTIME_DIR"])
    assert short.is_dir() and len(str(short)) + serve.IPC_NAME_LENGTH <= serve.IPC_PATH_LIMIT
    assert short.stat().st_mode & 0o077 == 0 and short.stat().st_uid == os.getuid()
    lab = _lab_app(serve.lab_command(Path("/tmp"), 8890, as_root=False, runtime_dir=short))
    assert lab.config.KernelManager.transport == "ipc"
    assert serve.lab_env({"JUPYTER_RUNTIME_DIR": "/tmp/rt"})["JUPYTER_RUNTIME_DIR"] == "/tmp/rt"


@pytest.mark.parametrize("runtime", ["/tmp/rt", "/home/" + "x" * 40, "/home/" + "x" * 80])
def test_validate_chooses_the_kernel_transport_as_the_lab_does(runtime, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", runtime)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(serve.LEARNER_CONFIG)).load_config()
    ipc = config.KernelManager.get("transport") == "ipc"
    assert ipc == bool(serve.kernel_transport_args(runtime))


def test_the_learners_lab_opens_on_the_first_module(root):
    page = serve.start_page(root)
    assert page == "/lab/tree/start-here/start-here.ipynb"
    lab = _lab_app(serve.lab_command(Path("/tmp"), 8890, as_root=False, runtime_dir="/tmp/rt",
                                     first_page=page))
    assert lab.config.LabApp.default_url == page
    assert serve.lab_url(8888, "T", page) == f"http://127.0.0.1:8888{page}?token=T"


def test_the_log_filter_drops_loopback_noise_only():
    import logging

    from tlkit.serve.quiet_logs import DropLoopbackNoise

    def record(message):
        return logging.LogRecord("Voila", logging.WARNING, __file__, 1, message, (), None)

    noise = DropLoopbackNoise()
    assert not noise.filter(record("Notebook protocols.ipynb is not trusted"))
    gone = "404 GET /api/kernels/0b1c2d3e-aaaa-bbbb-cccc-000000000000 (anonymous@127.0.0.1) 1.20ms"
    assert not noise.filter(record(gone))
    assert noise.filter(record("404 GET /api/contents/missing.ipynb (anonymous@127.0.0.1) 1ms"))
    assert noise.filter(record("Kernel restarted: a cell used too much memory"))
    for folder, key in ((serve.VOILA_CONFIG, "Voila"), (serve.LEARNER_CONFIG, "ServerApp")):
        name = "voila.json" if key == "Voila" else "jupyter_server_config.json"
        config = json.loads((folder / name).read_text())[key]["logging_config"]
        assert config["filters"]["tlkit_noise"]["()"] == "tlkit.serve.quiet_logs.DropLoopbackNoise"
        assert config["handlers"]["console"]["filters"] == ["tlkit_noise"]


def test_only_the_front_page_is_preheated(root):
    denied = serve.preheat_denylist(root / "facilitator")
    views = {p.name for p in (root / "facilitator").glob("*.ipynb")}
    assert views - set(denied) == {"index.ipynb"}
    assert {"presenter.ipynb", "protocols.ipynb", "cohort.ipynb"} <= set(denied)
    command = serve.voila_command(root / "facilitator", 8899)
    assert "--VoilaKernelManager.preheat_denylist=protocols.ipynb" in command
    assert "--VoilaKernelManager.preheat_denylist=index.ipynb" not in command
    # A benchmark may choose the views itself.
    chosen = serve.voila_command(root / "facilitator", 8899, preheat_views=["protocols.ipynb"])
    assert "--VoilaKernelManager.preheat_denylist=index.ipynb" in chosen
    assert "--VoilaKernelManager.preheat_denylist=protocols.ipynb" not in chosen


def test_a_folder_outside_a_course_preheats_everything(tmp_path):
    (tmp_path / "views").mkdir()
    (tmp_path / "views" / "a.ipynb").write_text("{}")
    assert serve.preheat_denylist(tmp_path / "views") == []


def test_the_learners_lab_hands_in_through_the_courses_exchange(tmp_path, monkeypatch):
    from tlkit.settings import build_dir, exchange_dir

    monkeypatch.delenv("TLKIT_EXCHANGE", raising=False)
    monkeypatch.setenv("TLKIT_BUILD", str(tmp_path / "build"))
    env = serve.lab_env({"TLKIT_COURSE_ROOT": str(tmp_path)}, tmp_path)
    assert env["TLKIT_EXCHANGE"] == str(exchange_dir(build_dir(tmp_path))) == str(
        (tmp_path / "build" / "exchange").resolve())
    assert "TLKIT_COURSE_ROOT" not in env  # the authors' notebooks stay out of reach
