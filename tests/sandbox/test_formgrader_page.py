"""A hostile hand-in graded the ways nbgrader itself offers (its API, as the formgrader's
Autograde button calls it, and `nbgrader autograde` typed in the course folder) is contained
like one graded by `tlkit course autograde`; and when the coordinator opens it in the
formgrader (`tlkit course lab`, Manual Grading) in Chromium, nothing the learner wrote runs,
their words show as text, the formgrader still grades, and no request leaves the computer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from cohort_course import MODULE, answered, cell_index, course_folders, hand_in, tlkit_course
from nbformat.v4 import new_code_cell, new_markdown_cell, new_output, new_raw_cell

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "servers"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))

from kit_processes import TOKEN, Running  # noqa: E402
from support import free_port  # noqa: E402

from tlkit.ops.sandbox import sandbox_problem  # noqa: E402

pytestmark = pytest.mark.browser
NB = f"{MODULE}.ipynb"

# What a script of the learner's would do in the coordinator's page: mark the window, and
# write a file into the course through the contents API with the coordinator's session.
_PAYLOAD = ("window.__pwned=1;fetch('/api/contents/pwned.txt',{method:'PUT',"
            "headers:{'Content-Type':'application/json','X-XSRFToken':"
            "(document.cookie.match(/_xsrf=([^;]+)/)||[])[1]||''},"
            "body:JSON.stringify({type:'file',format:'text',content:'x'})})")
_OUTPUT_HTML = f'<img src=x onerror="{_PAYLOAD}"><b>learner-output-words</b>'
_SHOW_HTML = ("from IPython.display import HTML, Javascript, display\n"
              f"display(HTML({_OUTPUT_HTML!r}))\n"
              f"display(Javascript({_PAYLOAD!r}))\n")
_READ_GRADEBOOK = """\
try:
    open({path!r}, 'rb').read(10)
    print('READ gradebook')
except OSError as err:
    print('BLOCKED gradebook', type(err).__name__)
"""
_HOSTILE_MD = f"learner-md-words <script>{_PAYLOAD}</script><img src=x onerror=\"{_PAYLOAD}\">"


def _hostile(build: Path, gradebook: Path) -> nbformat.NotebookNode:
    nb = answered(build, reflection=_HOSTILE_MD)
    at = cell_index(nb, "answer-minutes") + 1
    nb.cells[at:at] = [new_code_cell(_READ_GRADEBOOK.format(path=str(gradebook))),
                       new_code_cell(_SHOW_HTML),
                       new_markdown_cell(f"[learner-link](javascript:{_PAYLOAD}) "
                                         "![tracker](http://example.org/t.png)"),
                       new_raw_cell(f"learner-raw-words <img src=x onerror=\"{_PAYLOAD}\">")]
    return nb


def _printed(build: Path, learner: str) -> str:
    nb = nbformat.read(build / "autograded" / learner / MODULE / NB, 4)
    cell = nb.cells[cell_index(nb, "answer-minutes") + 1]
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    problem = sandbox_problem()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"No sandbox on CI: {problem}")
        pytest.skip(problem)
    with course_folders(tmp_path_factory, "formgrader") as (base, root, _elsewhere):
        # The build folder where the kit puts it by default, inside the course: the formgrader
        # serves files from a hand-in's folder only there.
        build = root / "build"
        inside = pytest.MonkeyPatch()
        inside.setenv("TLKIT_BUILD", str(build))
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nbutton,A,B,\ntyped,C,D,\n",
                          encoding="utf-8")
        assert tlkit_course("init")[0] == 0 and tlkit_course("roster", str(roster))[0] == 0
        assert tlkit_course("release", "--all")[0] == 0
        gradebook = build / "gradebook.db"
        for learner in ("button", "typed"):
            hand_in(build, learner, _hostile(build, gradebook))
        inbound = next(build.glob(f"exchange/tlkit/inbound/button+{MODULE}+*"))
        (inbound / "page.html").write_text(f"<script>{_PAYLOAD}</script>hand-in-file",
                                           encoding="utf-8")
        assert tlkit_course("collect")[0] == 0
        try:
            yield base, root, build
        finally:
            inside.undo()


@pytest.fixture(scope="module")
def graded(course):
    """`button` graded through nbgrader's API from the course folder, as the formgrader's
    Autograde button does; `typed` through `nbgrader autograde` typed there."""
    base, root, build = course
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    here = os.getcwd()
    os.chdir(root)
    try:
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        button = api.autograde(MODULE, "button")
    finally:
        os.chdir(here)
    env = dict(os.environ, PATH=os.pathsep.join([str(Path(sys.executable).parent),
                                                 os.environ.get("PATH", "")]))
    typed = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", MODULE,
                            "--student", "typed"], cwd=root, env=env, capture_output=True,
                           text=True, timeout=300)
    return {"button": button, "typed": typed, "build": build, "root": root, "base": base}


def test_nbgraders_own_ways_of_grading_are_sandboxed(graded):
    assert graded["button"]["success"], graded["button"]["log"][-3000:]
    assert graded["typed"].returncode == 0, graded["typed"].stderr[-3000:]
    for learner in ("button", "typed"):
        printed = _printed(graded["build"], learner)
        assert "BLOCKED gradebook" in printed and "READ" not in printed, (learner, printed)


def test_the_autograded_notebook_keeps_only_plain_outputs(graded):
    nb = nbformat.read(graded["build"] / "autograded" / "button" / MODULE / NB, 4)
    kinds = {kind for cell in nb.cells if cell.cell_type == "code"
             for output in cell.outputs for kind in output.get("data", {})}
    assert kinds and kinds <= {"text/plain", "image/png", "image/jpeg"}, kinds


def test_without_a_sandbox_nbgrader_refuses_in_one_sentence(course, monkeypatch):
    base, root, build = course
    import tlkit.ops.sandbox as sandbox
    from tlkit.ops.nbgrader_api import CourseAPI

    monkeypatch.setattr(sandbox, "bwrap_command", lambda: None)
    sandbox.sandbox_problem.cache_clear()
    try:
        # The kit's wrapper of nbgrader's API, as the formgrader would call it, into a copy.
        api = CourseAPI(root, {"CourseDirectory.autograded_directory": str(base / "refused")})
        result = api.autograde(MODULE, "typed")
        # --unsandboxed still grades (hand-ins the coordinator trusts).
        code, out = tlkit_course("autograde", "--unsandboxed", "--learner-timeout", "120")
    finally:
        sandbox.sandbox_problem.cache_clear()
    assert not result.success
    sentence = sandbox.sandbox_problem.__wrapped__()  # what it says with bwrap gone
    assert result.problems()[0] == sentence.strip(), result.problems()
    assert "tlkit course autograde --unsandboxed" in sentence and sentence.count(".") == 1
    assert not list((base / "refused").rglob("*.ipynb"))  # nothing ran, nothing was written
    assert code == 0 and "2 of 2 learners graded" in out and "WITHOUT a sandbox" in out, out


@pytest.fixture(scope="module")
def lab(graded, tmp_path_factory):
    """`tlkit course lab` on the course, and the ids of the two submissions."""
    from nbgrader.api import Gradebook

    build, root = graded["build"], graded["root"]
    # An autograded notebook from before outputs were made plain: its HTML outputs are still
    # in the file, and only the formgrader's own drawing of the page stands in their way.
    older = build / "autograded" / "typed" / MODULE / NB
    nb = nbformat.read(older, 4)
    nb.cells[cell_index(nb, "answer-minutes") + 2].outputs = [new_output(
        "display_data", data={"text/html": f'<img src=x onerror="{_PAYLOAD}">older-words',
                              "application/javascript": _PAYLOAD, "text/plain": "older-words"})]
    nbformat.write(nb, older)
    with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
        ids = {s: gb.find_submission_notebook(MODULE, MODULE, s).id for s in ("button", "typed")}
    work = tmp_path_factory.mktemp("lab")
    env = dict(os.environ, TLKIT_COURSE_ROOT=str(root), TLKIT_BUILD=str(build),
               JUPYTER_TOKEN=TOKEN, JUPYTER_RUNTIME_DIR=str(work / "runtime"),
               HOME=str(work / "home"))
    port = free_port()
    running = Running(["course", "lab", "--no-browser", "--port", str(port)], env,
                      work / "lab.log")
    try:
        running.wait_until_ok(f"http://127.0.0.1:{port}/api/status", TOKEN)
        yield {"port": port, "ids": ids, "root": root, "build": build}
    finally:
        running.kill_everything()


@pytest.fixture(scope="module")
def browser(lab):
    from playwright.sync_api import sync_playwright
    from voila_pages import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        hint = "install Debian's chromium: sudo apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI; {hint}")
        pytest.skip(hint)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


def _open(browser, lab, path: str):
    from voila_pages import RecordedPage

    # The coordinator's session: every request the page makes carries their token, so a
    # learner's script, were it to run, could write through the contents API.
    context = browser.new_context(extra_http_headers={"Authorization": f"token {TOKEN}"})
    page = context.new_page()
    recorded = RecordedPage(page)
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    response = page.goto(f"http://127.0.0.1:{lab['port']}{path}?token={TOKEN}")
    page.wait_for_load_state("networkidle")
    return context, page, recorded, messages, response


@pytest.mark.parametrize("learner", ["button", "typed"])
def test_nothing_the_learner_wrote_runs_in_the_formgrader(browser, lab, learner):
    context, page, recorded, messages, response = _open(
        browser, lab, f"/formgrader/submissions/{lab['ids'][learner]}/")
    try:
        assert response.status == 200
        assert "script-src" in response.headers.get("content-security-policy", "")
        time.sleep(1)  # a request started by a learner's script would have landed by now
        assert page.evaluate("window.__pwned") is None
        assert not (lab["root"] / "pwned.txt").exists()
        text = page.inner_text("body")
        # The learner's words are there, as text: their markup shows as typed.
        assert "learner-md-words <script>" in text, text[:3000]
        assert "learner-raw-words" in text
        assert "learner-link" in text and page.locator("a[href^='javascript']").count() == 0
        # An HTML output shows its plain-text form: made plain while grading (button), or
        # while the page is drawn for a notebook graded before that (typed).
        assert ("older-words" if learner == "typed" else "IPython.core.display.HTML object") \
            in text, text[:3000]
        assert page.locator("b", has_text="learner-output-words").count() == 0
        assert page.locator("[onerror]").count() == 0
        # No request leaves the computer (no maths renderer from a CDN, no learner's image).
        assert recorded.outside_requests() == [], recorded.outside_requests()
        # nbgrader's own scripts still run under the policy: the autograded score is filled
        # in from the gradebook, and a score typed for the reflection is saved.
        # (Polled from here: the policy forbids the eval Playwright's own waiting uses.)
        deadline = time.time() + 30
        while page.get_attribute("#check-minutes", "placeholder") != "2" and \
                time.time() < deadline:
            time.sleep(0.2)
        assert page.get_attribute("#check-minutes", "placeholder") == "2", messages
        page.fill("#reflection", "1")
        page.press("#reflection", "Tab")
    finally:
        context.close()
    from nbgrader.api import Gradebook

    deadline = time.time() + 10
    while True:
        with Gradebook(f"sqlite:///{lab['build'] / 'gradebook.db'}", "tlkit") as gb:
            score = gb.find_grade("reflection", MODULE, MODULE, learner).manual_score
        if score == 1 or time.time() > deadline:
            break
        time.sleep(0.3)
    assert score == 1


def test_a_file_handed_in_beside_the_notebook_runs_no_script(browser, lab):
    context, page, _recorded, _messages, response = _open(
        browser, lab, f"/formgrader/submissions/{lab['ids']['button']}/page.html")
    try:
        assert response.status == 200 and "hand-in-file" in page.content()
        assert "sandbox" in response.headers.get("content-security-policy", "")
        time.sleep(1)
        assert page.evaluate("window.__pwned") is None
        assert not (lab["root"] / "pwned.txt").exists()
    finally:
        context.close()
