"""`tlkit start` and `tlkit facilitate`, run as a teacher runs them, fetched over 127.0.0.1."""

from __future__ import annotations

import html
import json
import re
import signal
import urllib.parse

from kit_processes import ROOT, TOKEN, fetch, free_port

from tlkit.course.module import load_module

SOURCE = ROOT / "modules" / "protocols" / "protocols.ipynb"
GUIDE = ROOT / "facilitator" / "protocols.ipynb"


def _cells(notebook: dict) -> list[dict]:
    return notebook["cells"]


def _source(cell: dict) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def _solution_lines(notebook: dict) -> list[str]:
    """Lines only found between nbgrader's solution or hidden-test markers in the authors' notebook
    (a cell may repeat the stub's lines, e.g. a variable name, outside the markers)."""
    lines = []
    for cell in _cells(notebook):
        inside, answer, stub = False, [], set()
        for line in _source(cell).splitlines():
            if "BEGIN SOLUTION" in line or "BEGIN HIDDEN TESTS" in line:
                inside = True
            elif "END SOLUTION" in line or "END HIDDEN TESTS" in line:
                inside = False
            else:
                (answer.append if inside else stub.add)(line.strip())
        lines += [line for line in answer if len(line) > 8 and line not in stub]
    return lines


def _find_notebook(port: int, name: str, path: str = "") -> dict | None:
    """Walk JupyterLab's contents API for `name`; return the notebook model or None."""
    status, body = fetch(f"http://127.0.0.1:{port}/api/contents/{urllib.parse.quote(path)}"
                         "?content=1", TOKEN)
    assert status == 200, body
    for item in json.loads(body)["content"]:
        if item["type"] == "notebook" and item["name"] == name:
            status, body = fetch(f"http://127.0.0.1:{port}/api/contents/"
                                 f"{urllib.parse.quote(item['path'])}?content=1", TOKEN)
            assert status == 200, body
            return json.loads(body)["content"]
        if item["type"] == "directory":
            found = _find_notebook(port, name, item["path"])
            if found:
                return found
    return None


def _voila_html_outputs(page: str) -> str:
    """The HTML outputs Voila rendered server-side (they sit in JSON script blocks)."""
    blocks = re.findall(r'<script type="application/vnd.voila.cell-output\+json">(.*?)</script>',
                        page, re.S)
    parts = []
    for block in blocks:
        output = json.loads(block)
        parts.append(str(output.get("data", {}).get("text/html", "")))
    return "\n".join(parts)


def _check_guide_page(voila_port: int) -> None:
    guide = f"http://127.0.0.1:{voila_port}/voila/render/protocols.ipynb"
    # Only with the token, as JupyterLab: without it Voila sends the browser to its login page.
    refused = fetch(guide)[1]
    assert "token" in refused.lower() and "tlkit-" not in refused, refused[-2000:]
    status, page = fetch(guide, TOKEN)
    assert status == 200, page[-3000:]
    guide = json.loads(GUIDE.read_text(encoding="utf-8"))
    heading = _source(_cells(guide)[0]).splitlines()[0].lstrip("# ").strip()
    assert html.escape(heading) in page
    # The objectives come from the module notebook through a kernel: proof the view ran.
    module = load_module("protocols", root=ROOT)
    outputs = _voila_html_outputs(page)
    assert html.escape(module.objectives[0]) in outputs
    assert "Traceback" not in page and "Error" not in outputs
    assert "load_module(" not in page  # no source code shown to facilitators


def _server_process(running, server: str):
    running.record_descendants()
    found = [running.seen[pid] for pid, cmd in running.commands.items() if f"-m {server}" in cmd]
    assert len(found) == 1, running.commands
    return found[0]


def _stop_and_check(running, servers: tuple[str, ...]) -> None:
    running.record_descendants()
    commands = list(running.commands.values())
    for server in servers:
        assert any(f"-m {server}" in cmd for cmd in commands), commands
    assert any("ipykernel" in cmd for cmd in commands), "the guide's kernel was not seen"
    assert running.listening_addresses() == {"127.0.0.1"}
    left = running.stop(signal.SIGTERM)
    assert not left, f"still running after stop: {[p.pid for p in left]}\n{running.output()}"


def test_start_serves_learner_course_and_facilitator_views(run_tlkit, kit_env):
    lab_port, voila_port = free_port(), free_port()
    running = run_tlkit(["start", "--no-browser", "--port", str(lab_port),
                         "--voila-port", str(voila_port)], kit_env)
    running.wait_until_ok(f"http://127.0.0.1:{lab_port}/api/status", TOKEN)
    running.wait_until_ok(f"http://127.0.0.1:{voila_port}/")

    # JupyterLab answers only with the token.
    assert fetch(f"http://127.0.0.1:{lab_port}/api/contents")[0] == 403
    learner = _find_notebook(lab_port, "protocols.ipynb")
    assert learner is not None, "no protocols.ipynb in the learner's workspace"
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    learner_text = "\n".join(_source(c) for c in _cells(learner))

    learner_md = [_source(c) for c in _cells(source) if c["cell_type"] == "markdown"
                  and "facilitator" not in c.get("metadata", {}).get("tags", [])]
    assert learner_md[0].strip() in learner_text
    for cell in _cells(source):
        if "facilitator" in cell.get("metadata", {}).get("tags", []):
            assert _source(cell).strip() not in learner_text, "facilitator note released"
    solutions = _solution_lines(source)
    assert solutions, "the module notebook should hold at least one hidden answer key"
    for line in solutions:
        assert line not in learner_text, f"solution line released: {line!r}"

    # The learners' JupyterLab hides nbgrader's staff panels but keeps Validate.
    status, lab_page = fetch(f"http://127.0.0.1:{lab_port}/lab", TOKEN)
    assert status == 200
    disabled = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">'
                                    r'(.*?)</script>', lab_page, re.S).group(1))["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" in disabled
    assert "@jupyter/nbgrader:validate-assignment" not in disabled

    # kit_env sets TLKIT_COURSE_ROOT; the learners' server must not pass it on to notebooks.
    lab_process = _server_process(running, "jupyterlab")
    assert "TLKIT_COURSE_ROOT" not in lab_process.environ()
    assert "TLKIT_COURSE_ROOT" in _server_process(running, "voila").environ()
    assert "--show_tracebacks=False" in running.commands[_server_process(running, "voila").pid]

    _check_guide_page(voila_port)
    printed = running.wait_for_output("The Teacher Leader Kit is running")
    first = "/lab/tree/start-here/start-here.ipynb"      # the learner's first screen
    assert f"http://127.0.0.1:{lab_port}{first}?token={TOKEN}" in printed
    assert f"http://127.0.0.1:{voila_port}/voila/render/index.ipynb?token={TOKEN}" in printed
    _check_quiet_terminal(printed)
    _stop_and_check(running, ("jupyterlab", "voila"))


# What a teacher sees before the ready message: a line or two, not the servers' start-up log.
MOST_LINES_BEFORE_READY = 25


def _check_quiet_terminal(printed: str) -> None:
    before, ready, _after = printed.partition("The Teacher Leader Kit is running")
    assert ready, printed[-3000:]
    lines = [line for line in before.splitlines() if line.strip()]
    assert len(lines) <= MOST_LINES_BEFORE_READY, "\n".join(lines)
    # Noise on loopback, even after a guide was rendered (which is when Voila would warn).
    for noise in ("is not trusted", "without encryption", "DeprecationWarning", "Traceback",
                  "[I "):
        assert noise not in printed, noise


def test_facilitate_serves_the_guide_alone(run_tlkit, kit_env):
    port = free_port()
    running = run_tlkit(["facilitate", "--no-browser", "--port", str(port)], kit_env)
    running.wait_until_ok(f"http://127.0.0.1:{port}/")
    _check_guide_page(port)
    assert running.wait_for_output(f"http://127.0.0.1:{port}/voila/render/index.ipynb?token={TOKEN}")
    _stop_and_check(running, ("voila",))


def test_a_taken_port_gets_a_plain_message(run_tlkit, kit_env):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        running = run_tlkit(["facilitate", "--no-browser", "--port", str(port)], kit_env)
        assert running.proc.wait(timeout=60) == 2
    assert f"Port {port} is already in use" in running.output()


def test_course_lab_serves_the_formgrader_to_the_facilitator_only(run_tlkit, kit_env, tmp_path):
    port = free_port()
    running = run_tlkit(["course", "lab", "--no-browser", "--port", str(port)], kit_env)
    running.wait_until_ok(f"http://127.0.0.1:{port}/api/status", TOKEN)
    assert "Manage Assignments" not in fetch(f"http://127.0.0.1:{port}/formgrader")[1]  # no token
    status, page = fetch(f"http://127.0.0.1:{port}/formgrader", TOKEN)
    assert status == 200 and "Manage Assignments" in page, page[-2000:]
    # The course's modules are the formgrader's assignments (read from the course root).
    status, body = fetch(f"http://127.0.0.1:{port}/formgrader/api/assignments", TOKEN)
    assert status == 200 and "protocols" in body, body[:2000]
    status, lab_page = fetch(f"http://127.0.0.1:{port}/lab", TOKEN)
    disabled = json.loads(re.search(r'<script id="jupyter-config-data" type="application/json">'
                                    r'(.*?)</script>', lab_page, re.S).group(1))["disabledExtensions"]
    assert "@jupyter/nbgrader:formgrader" not in disabled
    printed = running.wait_for_output("Manual Grading")
    assert f"http://127.0.0.1:{port}/formgrader?token={TOKEN}" in printed
    assert "Manual Grading" in printed
    running.record_descendants()
    assert running.listening_addresses() == {"127.0.0.1"}
    left = running.stop(signal.SIGTERM)
    assert not left, f"still running after stop: {[p.pid for p in left]}\n{running.output()}"
