"""The terminal a teacher keeps open shows addresses and real problems only: the learners'
JupyterLab, started as `tlkit start` starts it, prints nothing while a kernel starts and runs,
nor when an old tab asks for a kernel that has gone (after the kit was restarted)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from kit_processes import ROOT, TOKEN, fetch, free_port

from tlkit.serve import servers as serve


def _call(method: str, url: str) -> dict:
    request = urllib.request.Request(url, method=method, data=b"{}" if method == "POST" else None,
                                     headers={"Authorization": f"token {TOKEN}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """The learners' JupyterLab on an empty workspace, with a Jupyter runtime folder as deep as a
    long home folder makes it; yields (port, log file)."""
    tmp_path = tmp_path_factory.mktemp("quiet-lab")
    (tmp_path / "workspace").mkdir()
    # A notebook to press Validate on: Validate runs it in a kernel of its own.
    cell = {"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
            "outputs": [], "source": "1 + 1"}
    (tmp_path / "workspace" / "tiny.ipynb").write_text(json.dumps(
        {"cells": [cell], "metadata": {"kernelspec": {"name": "python3", "language": "python",
                                                      "display_name": "Python 3"}},
         "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    deep = tmp_path / "home-of-a-teacher-with-a-long-name" / ".local" / "share" / "jupyter"
    env = serve.lab_env(dict(os.environ, JUPYTER_TOKEN=TOKEN, JUPYTER_DATA_DIR=str(deep),
                             JUPYTER_RUNTIME_DIR=str(deep / "runtime"),
                             IPYTHONDIR=str(tmp_path / "ipython"),
                             TLKIT_STATE_DIR=str(tmp_path / "state")))
    port = free_port()
    log = tmp_path / "lab.log"
    with open(log, "wb") as handle:
        command = serve.lab_command(tmp_path / "workspace", port, first_page=serve.start_page(ROOT),
                                    runtime_dir=env["JUPYTER_RUNTIME_DIR"])
        proc = subprocess.Popen(command, cwd=ROOT, env=env,
                                stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        if not serve.wait_until_answers(f"http://127.0.0.1:{port}/api/status", proc, 120):
            pytest.fail(f"JupyterLab did not start:\n{log.read_text(errors='replace')[-4000:]}")
        yield port, log
    finally:
        serve.stop_all([proc])


def test_a_running_kernel_and_an_old_tab_leave_the_terminal_quiet(lab):
    port, log = lab
    base = f"http://127.0.0.1:{port}/api/kernels"
    try:
        kernel = _call("POST", base)["id"]
    except OSError as error:
        pytest.fail(f"no kernel started ({error}):\n{log.read_text(errors='replace')[-4000:]}")
    time.sleep(5)   # the kernel's own start-up warnings reach the terminal within a second or two
    assert _call("GET", f"{base}/{kernel}")["id"] == kernel, "the kernel stopped"

    # Validate, as the toolbar button asks for it.
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/assignments/validate", method="POST",
        data=json.dumps({"path": "tiny.ipynb"}).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        assert json.loads(response.read())["success"] is True

    # A tab left open across a restart asks again and again for its old kernel.
    gone = uuid.uuid4()
    for _ in range(3):
        assert fetch(f"{base}/{gone}", TOKEN)[0] == 404
    assert fetch(f"http://127.0.0.1:{port}/api/contents/no-such-file.ipynb", TOKEN)[0] == 404
    time.sleep(1)

    printed = log.read_text(errors="replace")
    assert "without encryption" not in printed, printed
    assert "/api/kernels/" not in printed, printed
    # A real problem still shows: a file that is not there.
    assert "404 GET /api/contents/no-such-file.ipynb" in printed, printed
    _call("DELETE", f"{base}/{kernel}")


def test_the_bare_address_leads_to_the_first_module(lab):
    port, _log = lab
    request = urllib.request.Request(f"http://127.0.0.1:{port}/?token={TOKEN}")
    with urllib.request.urlopen(request, timeout=60) as response:
        landed = urllib.parse.urlsplit(response.geturl()).path
    assert landed == "/lab/tree/start-here/start-here.ipynb"
