"""benchmarks/run.py cleans up after itself: its kernels keep state in a temporary folder,
never the user's ~/.tlkit, and the Voila it starts is gone when it is done."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

from kit_processes import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_module_notebooks_run_with_their_own_state_folder(tmp_path):
    course = tmp_path / "course"
    (course / "modules" / "probe").mkdir(parents=True)
    probe = {"cells": [{"cell_type": "code", "execution_count": None, "id": "save",
                        "metadata": {}, "outputs": [],
                        "source": "import json\nfrom tlkit.settings import state_dir\n"
                                  "path = state_dir() / 'bench-probe.json'\n"
                                  "path.write_text(json.dumps({'ran': True}))"}],
             "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}},
             "nbformat": 4, "nbformat_minor": 5}
    (course / "modules" / "probe" / "probe.ipynb").write_text(json.dumps(probe))
    (course / "modules" / "course.yaml").write_text(  # the manifest makes probe a module
        "modules:\n  - id: probe\n    title: Probe\n    session_minutes: 1\n")
    ours = tmp_path / "bench-state"

    times = _bench().notebook_run_times(course, 1, ours)

    assert list(times) == ["probe"] and len(times["probe"]) == 1
    assert json.loads((ours / "bench-probe.json").read_text()) == {"ran": True}
    # The folder the kernel would otherwise inherit (here the tests' own) stays untouched.
    assert not (Path(os.environ["TLKIT_STATE_DIR"]) / "bench-probe.json").exists()


STUBBORN_SERVER = """
import http.server, signal, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a Voila that hangs on shutdown
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])),
                       http.server.SimpleHTTPRequestHandler).serve_forever()
"""


def test_a_voila_that_will_not_stop_is_killed(tmp_path, monkeypatch):
    bench = _bench()
    monkeypatch.setattr(bench.serve, "voila_command",
                        lambda folder, port, **options: [sys.executable, "-c", STUBBORN_SERVER,
                                                        str(port)])
    monkeypatch.setattr(bench, "STOP_TIMEOUT", 1)
    with bench._running_voila(ROOT, tmp_path, bench._free_port(), []) as proc:
        assert proc.poll() is None
    assert proc.returncode == -9
