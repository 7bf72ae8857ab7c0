"""Learners who try to cheat or do harm while their notebook is graded, all graded in one
`tlkit course autograde` run with a fair learner beside them. Each hostile learner adds a cell
after their (right) answer; the cell prints what it managed, and every attempt is contained:
nothing of the course is readable or writable, no network, memory and processes are capped,
nothing outlives grading, feedback pages run nothing and show no check, and the terminal gets
no escape sequence."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from cohort_course import MODULE, answered, cell_index, course_folders, hand_in, tlkit_course
from nbformat.v4 import new_code_cell

from tlkit.ops.sandbox import sandbox_problem

TOKEN = "tlkit-red-team-left-running"
NB = f"{MODULE}.ipynb"
OUTSIDE = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def _probe_reads(paths: list[str]) -> str:
    return ("import os\n"
            f"for path in {paths!r}:\n"
            "    try:\n"
            "        with open(path, 'rb') as handle:\n"
            "            handle.read(100)\n"
            "        print('READ', path)\n"
            "    except OSError as err:\n"
            "        print('BLOCKED', path, type(err).__name__)\n"
            "import glob\n"
            f"print('LISTED', sorted(glob.glob({paths[0]!r}.rsplit('/', 2)[0] + '/*')))\n"
            "print('ENV', sorted(k for k in os.environ if k.startswith('TLKIT')))\n")


def _probe_writes(paths: list[str]) -> str:
    return (f"for path in {paths!r}:\n"
            "    try:\n"
            "        with open(path, 'w') as handle:\n"
            "            handle.write('changed by another learner')\n"
            "        print('WROTE', path)\n"
            "    except OSError as err:\n"
            "        print('BLOCKED', path, type(err).__name__)\n")


_NETWORK = """\
import socket
try:
    socket.create_connection(('127.0.0.1', {port}), timeout=3).close()
    print('CONNECTED')
except OSError as err:
    print('BLOCKED', type(err).__name__)
"""

_MEMORY = """\
try:
    hog = bytearray(3 * 2**30)
    print('ALLOCATED', len(hog))
    del hog
except MemoryError:
    print('BLOCKED MemoryError')
"""

_FORKS = """\
import os, signal, time
children = []
try:
    for _ in range(500):
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        children.append(pid)
    print('FORKED', len(children))
except OSError as err:
    print('STOPPED AFTER', len(children), type(err).__name__)
for pid in children:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
"""

_LEFT_RUNNING = f"""\
import subprocess, sys
subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)', '{TOKEN}'],
                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print('STARTED')
"""

_HTML = """\
from IPython.display import HTML, Javascript, SVG, display
display(HTML('<b id="learner-html">bold</b><script>alert("learner-script")</script>'))
display(Javascript('alert("learner-js")'))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>alert("learner-svg")</script></svg>'))
"""

_ANSI = "raise ValueError('\\x1b[2J\\x1b[31mred\\x1b]0;a new title\\x07 \\x1b[1Aup\\u202eevil')"


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _left_running() -> list[str]:
    """Processes still running that the `left-running` learner started."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if TOKEN in cmdline:
            found.append(f"{proc.name}: {cmdline[:80]}")
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    problem = sandbox_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"No sandbox on CI: {problem}")
        pytest.skip(problem)
    with course_folders(tmp_path_factory, "red-team") as (base, root, build):
        # A connection would wait in the backlog; no thread accepts (grading forks its workers
        # only while the process runs one thread, as the command does).
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        listener.setblocking(False)

        gradebook = str(build / "gradebook.db")
        source = str(root / "modules" / MODULE / NB)
        fair_in = str(build / "submitted" / "fair" / MODULE / NB)
        hostile = {
            "reads": _probe_reads([gradebook, source, fair_in,
                                   str(root / "nbgrader_config.py"), NB]),
            "writes": _probe_writes([gradebook, fair_in,
                                     str(build / "submitted" / "fair" / MODULE / "extra.py"),
                                     str(build / "autograded" / "fair" / MODULE / NB),
                                     "own-scratch.txt"]),
            "network": _NETWORK.format(port=listener.getsockname()[1]),
            "memory": _MEMORY,
            "forks": _FORKS,
            "left-running": _LEFT_RUNNING,
            "html": _HTML,
            "ansi": _ANSI,
            "linked": _probe_reads(["leak.txt", "course/nbgrader_config.py"]),
            # Named to come early in the (alphabetical) grading order: its 15 s wait for the
            # timeout then overlaps the others being graded in the second job.
            "endless": "import time\ntime.sleep(600)",
        }
        learners = ["fair", *hostile]
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\n" + "".join(
            f"{s},A,B,\n" for s in learners), encoding="utf-8")
        assert tlkit_course("init")[0] == 0 and tlkit_course("roster", str(roster))[0] == 0
        assert tlkit_course("release", "--all")[0] == 0
        hand_in(build, "fair", answered(build))
        for learner, code in hostile.items():
            reflection = ("<script>alert('learner-md')</script><img src=x onerror=alert(1)>"
                          if learner == "html" else "I would start on time.")
            nb = answered(build, reflection=reflection)
            nb.cells.insert(cell_index(nb, "answer-minutes") + 1, new_code_cell(code))
            hand_in(build, learner, nb)
        # Links in a hand-in to the source notebook and the course (written straight into the
        # exchange, as a learner on a shared machine can): collecting must not follow them.
        linked = next(build.glob(f"exchange/tlkit/inbound/linked+{MODULE}+*"))
        (linked / "leak.txt").symlink_to(source)
        (linked / "course").symlink_to(root, target_is_directory=True)
        collected = tlkit_course("collect")
        assert collected[0] == 0
        before = _fingerprint(build / "submitted" / "fair")
        # The sandboxes' temporary folders go into a folder of this test's own (kept short:
        # the kernel's sockets live there).
        temp = tempfile.mkdtemp(prefix="tlkit-red-team-")
        kept, tempfile.tempdir = tempfile.tempdir, temp
        env = pytest.MonkeyPatch()
        env.setenv("TMPDIR", temp)  # for workers that start afresh (spawned)
        started = time.perf_counter()
        try:
            log = tlkit_course("autograde", "--jobs", "2", "--learner-timeout", "15")
        finally:
            tempfile.tempdir = kept
            env.undo()
        seconds = time.perf_counter() - started
        after = _fingerprint(build / "submitted" / "fair")
        deadline = time.time() + 5  # a sandbox ends as its kernel is stopped; allow a moment
        while _left_running() and time.time() < deadline:
            time.sleep(0.2)
        left = _left_running()
        folders = sorted(Path(temp).iterdir())
        shutil.rmtree(temp, ignore_errors=True)
        feedback = tlkit_course("feedback")
        connections = []
        try:
            connections.append(listener.accept())
        except BlockingIOError:
            pass
        listener.close()
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{gradebook}", "tlkit") as gb:
            scores = {s.student.id: s.code_score for s in gb.assignment_submissions(MODULE)}

        def printed(learner: str) -> str:
            nb = nbformat.read(build / "autograded" / learner / MODULE / NB, 4)
            cell = nb.cells[cell_index(nb, "answer-minutes") + 1]
            return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)

        yield {"collected": collected[1], "log": log, "seconds": seconds, "before": before, "after": after, "left": left,
               "folders": folders,
               "connections": list(connections), "feedback": feedback, "scores": scores,
               "printed": printed, "build": build, "learners": learners}


def test_every_learner_is_graded_and_the_fair_one_in_full(graded):
    code, out = graded["log"]
    assert code == 0, out
    assert "each in a sandbox" in out
    n = len(graded["learners"])
    assert f"{n - 1} of {n} learners graded" in out, out
    # Every answer is right: hostile cells cost the grade nothing, and changed no one else's.
    # The notebook that never ends is stopped at the learner's limit and shows no score.
    assert graded["scores"] == {s: 2 for s in graded["learners"] if s != "endless"}
    assert "endless (grading failed)" in out and "took longer than 15 seconds" in out
    assert graded["seconds"] < 90  # about 20 s on a quiet machine


def test_the_gradebook_source_and_other_hand_ins_cannot_be_read(graded):
    printed = graded["printed"]("reads")
    assert "READ" in printed and printed.count("READ ") == 1, printed  # its own copy only
    assert f"READ {NB}" in printed
    assert printed.count("BLOCKED") == 4, printed
    assert "LISTED []" in printed  # the folder holding the course and its build: not there
    assert "ENV []" in printed     # no TLKIT_* setting of the facilitator's


def test_nothing_outside_its_own_folder_can_be_written(graded):
    printed = graded["printed"]("writes")
    assert printed.count("BLOCKED") == 4, printed
    assert "WROTE own-scratch.txt" in printed  # its own temporary folder is writable
    assert graded["before"] == graded["after"]
    assert not (graded["build"] / "submitted" / "fair" / MODULE / "extra.py").exists()
    graded_fair = nbformat.read(graded["build"] / "autograded" / "fair" / MODULE / NB, 4)
    assert graded_fair.cells  # still the fair learner's graded notebook, not the text written


def test_no_network_not_even_loopback(graded):
    assert "BLOCKED" in graded["printed"]("network")
    assert graded["connections"] == []


def test_memory_and_processes_are_capped(graded):
    assert "BLOCKED MemoryError" in graded["printed"]("memory")
    forks = graded["printed"]("forks")
    assert "STOPPED AFTER" in forks, forks
    assert int(forks.split("STOPPED AFTER")[1].split()[0]) < 64


def test_nothing_it_started_outlives_grading(graded):
    assert "STARTED" in graded["printed"]("left-running")
    assert graded["left"] == []
    assert graded["folders"] == []  # nor its temporary folder, even when it was stopped


def test_feedback_runs_nothing_and_shows_no_check_or_outside_request(graded):
    assert graded["feedback"][0] == 0
    for learner in graded["learners"][:-1]:
        page = (graded["build"] / "feedback" / learner / MODULE / f"{MODULE}.html").read_text(
            encoding="utf-8")
        assert "Content-Security-Policy" in page and "script-src" not in page
        assert "default-src 'none'" in page
        assert "<script" not in page.lower(), learner
        assert "BEGIN HIDDEN TESTS" not in page and "isclose" not in page, learner
        assert "Subtract the minutes used" not in page  # nor the visible check's code
        assert not OUTSIDE.search(page), (learner, OUTSIDE.search(page))  # MathJax's CDN
    page = (graded["build"] / "feedback" / "html" / MODULE / f"{MODULE}.html").read_text(
        encoding="utf-8")
    assert "&lt;script&gt;alert(&#x27;learner-md&#x27;)" in page or \
        "&lt;script&gt;alert('learner-md')" in page
    # Shown as text (escaped), never as markup; HTML output falls back to its plain text.
    assert "<img src=x" not in page and '<b id="learner-html">' not in page
    assert "&lt;IPython.core.display.HTML object&gt;" in page


def test_a_learners_escape_sequences_never_reach_the_terminal(graded):
    out = graded["log"][1]
    assert "Python said: ValueError" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "red a new title" not in out or "\x1b" not in out


def test_without_bubblewrap_grading_says_so_and_waits_for_unsandboxed(monkeypatch, capsys):
    import tlkit.ops.sandbox as sandbox
    from tlkit.cli import main

    monkeypatch.setattr(sandbox, "bwrap_command", lambda: None)
    sandbox.sandbox_problem.cache_clear()
    try:
        assert main(["course", "autograde"]) == 2
    finally:
        sandbox.sandbox_problem.cache_clear()
    err = capsys.readouterr().err
    assert err.count(".") == 1 and "bubblewrap" in err and "--unsandboxed" in err, err
    assert "apt-get install bubblewrap" in err


def test_an_activity_file_handed_in_never_replaces_the_kits(tmp_path, monkeypatch):
    from tlkit.course import checks

    own = tmp_path / checks.LOCAL_FOLDER
    own.mkdir()
    (own / "clarify_probe.yaml").write_text("id: clarify_probe\nkind: labels\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    kits = checks.ACTIVITIES_DIR / "clarify_probe.yaml"
    assert checks.load_activity("clarify_probe").path == kits
    with pytest.raises(checks.ActivityError, match="not an activity id"):
        checks.load_activity("../../build/gradebook")


def test_links_in_a_hand_in_bring_nothing_of_the_course(graded):
    printed = graded["printed"]("linked")
    assert "READ" not in printed and printed.count("BLOCKED") == 2, printed
    assert "linked handed in a link, leak.txt, which was left out" in graded["collected"]
    assert "linked handed in a link, course, which was left out" in graded["collected"]
    assert not (graded["build"] / "submitted" / "linked" / MODULE / "course").exists()
