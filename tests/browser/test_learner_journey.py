"""A teacher's whole journey through one module, in Chromium, with the kit's own servers.

A new learner lands on start-here in JupyterLab, runs it, answers a form wrong and then right,
writes a reflection and hands the module in from the notebook. The facilitator collects,
autogrades (`tlkit course` steps), grades the reflection in nbgrader's formgrader in the
browser, and returns feedback. The learner brings the feedback back from the same place and
opens it inside JupyterLab; the portfolio shows the reflection.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from lab_pages import private_env, running_lab, stop_lab
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from voila_pages import ROOT, free_port

from tlkit.ops import cohort, release
from tlkit.ops.form_scores import score_call
from tlkit.serve import servers as serve

MODULE = "start-here"
TOKEN = "tlkit-journey-learner"
STAFF_TOKEN = "tlkit-journey-facilitator"
REFLECTION = "I will read each module on Tuesday evenings and try one protocol with my team."
WRONG = yaml.safe_load((ROOT / "tests" / "nbgrader" / "wrong_answers.yaml").read_text())[MODULE]


def _keys() -> dict[str, dict]:
    """Each activity's key, read from the hidden scoring cells of the authors' notebook."""
    import nbformat

    source = nbformat.read(ROOT / "modules" / MODULE / f"{MODULE}.ipynb", as_version=4)
    return dict(call for cell in source.cells
                if cell.metadata.get("nbgrader", {}).get("grade")
                and (call := score_call(cell.source)))


@pytest.fixture(scope="module")
def journey(tmp_path_factory, chromium_path):
    """A course of start-here and the portfolio, set up as a coordinator would: the gradebook,
    this computer's user on the roster, and the learner's copy made as `tlkit start` makes it."""
    tmp = tmp_path_factory.mktemp("journey")
    root = tmp / "course"
    for module in (MODULE, "portfolio"):
        shutil.copytree(ROOT / "modules" / module, root / "modules" / module)
    (root / "modules" / "course.yaml").write_text(
        f"modules:\n  - id: {MODULE}\n    title: Start here\n    session_minutes: 30\n"
        "  - id: portfolio\n    title: Portfolio\n    session_minutes: 30\n", encoding="utf-8")
    (root / "facilitator").mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", root / "nbgrader_config.py")
    env = private_env(tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TLKIT_COURSE_ROOT", str(root))
        patch.setenv("TLKIT_WORKSPACE", str(tmp / "workspace"))
        patch.delenv("TLKIT_BUILD", raising=False)
        patch.delenv("TLKIT_EXCHANGE", raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        from tlkit.ops.hand_in import _student

        learner = _student()
        cohort.init(root)
        roster = tmp / "learners.csv"
        with open(roster, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([["id", "first_name", "last_name", "email"],
                                          [learner, "Ana", "Reyes", "ana@example.org"]])
        cohort.roster(root, roster)
        workspace = release.prepare_workspace(root=root)
        lab_env = serve.lab_env(dict(os.environ, JUPYTER_TOKEN=TOKEN), root)
        with running_lab(workspace, lab_env, tmp / "lab.log", root=root) as port:
            yield {"root": root, "workspace": workspace, "port": port, "learner": learner,
                   "tmp": tmp}


def _open(page, port: int, path: str, cells: int) -> None:
    """Open a notebook of the learner's copy, once all its `cells` are on the page and its
    kernel is ready to run them (a Run All before that can leave cells unrun)."""
    page.goto(serve.lab_url(port, TOKEN, f"/lab/tree/{path}"))
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current",
                 has_text=Path(path).name).wait_for(state="visible", timeout=60_000)
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(notebook.locator(".jp-Cell")).to_have_count(cells, timeout=60_000)
    expect(page.locator(".jp-StatusBar-Widget", has_text="| Idle")).to_have_count(
        1, timeout=60_000)


def _cells(notebook: Path) -> int:
    return len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])


def _run_all(page, shows) -> None:
    """Run > Run All Cells, as start-here teaches, until `shows` (a locator) is on the page.
    Once in a while a Run All pressed just after JupyterLab connects its kernel runs nothing;
    a teacher presses it again (start-here's table says so), and so does this test."""
    for attempt in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
        try:
            shows.first.wait_for(state="visible", timeout=30_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def _choose(form, values: dict[str, str]) -> None:
    for item, value in values.items():
        form.locator(".tlkit-form-field", has_text=item).locator("select").select_option(value)


def _grade_in_formgrader(journey, new_page) -> None:
    """The facilitator's JupyterLab (`tlkit course lab`): the reflection, shown as the learner
    wrote it, gets its score in the formgrader's manual grading page."""
    from nbgrader.api import Gradebook

    root, tmp = journey["root"], journey["tmp"]
    staff = tmp / "staff"
    staff.mkdir()
    env = serve.facilitator_lab_env(dict(os.environ, JUPYTER_TOKEN=STAFF_TOKEN,
                                         **private_env(staff)), root)
    port = free_port()
    db = f"sqlite:///{root / 'build' / 'gradebook.db'}"
    with Gradebook(db, "tlkit") as gb:
        notebook_id = gb.find_submission_notebook(MODULE, MODULE, journey["learner"]).id
    with open(tmp / "staff.log", "wb") as log:
        proc = subprocess.Popen(serve.lab_command(root, port, runtime_dir=env["JUPYTER_RUNTIME_DIR"]),
                                cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            assert serve.wait_until_answers(f"http://127.0.0.1:{port}/api/status", proc, 120)
            page = new_page().page
            broken: list = []
            page.on("pageerror", lambda error: broken.append(str(error)))
            # The address `tlkit course lab` prints signs the facilitator in; then the learner's
            # notebook in Manual Grading.
            page.goto(serve.formgrader_url(port, STAFF_TOKEN))
            page.wait_for_url(re.compile("/formgrader/manage_assignments"), timeout=60_000)
            page.goto(f"http://127.0.0.1:{port}/formgrader/submissions/{notebook_id}/")
            expect(page.locator("body")).to_contain_text(REFLECTION, timeout=60_000)
            score = page.locator(f"input.score#{MODULE}_reflection_task")
            # The page's script marks the box once it is ready to save what is typed.
            expect(score).to_have_class(re.compile("needs_manual_grade"), timeout=30_000)
            score.fill("1")
            score.press("Tab")  # the formgrader saves a score when its box loses focus
            for _ in range(40):
                with Gradebook(db, "tlkit") as gb:
                    grade = gb.find_grade(f"{MODULE}_reflection_task", MODULE, MODULE,
                                          journey["learner"])
                    kept = grade.manual_score
                if kept == 1:
                    break
                page.wait_for_timeout(250)
            assert kept == 1, "the formgrader did not keep the reflection's score"
            assert broken == [], f"the formgrader's own scripts failed: {broken}"
        finally:
            assert not stop_lab(proc)


def test_a_learner_answers_hands_in_and_reads_feedback(journey, new_page):
    from tlkit.ops.grading import autograde_module
    from tlkit.ops.sandbox import sandbox_problem

    root, port = journey["root"], journey["port"]
    keys = _keys()
    page = new_page().page
    first = serve.start_page(root).removeprefix("/lab/tree/")
    _open(page, port, first, _cells(journey["workspace"] / first))
    forms = page.locator(".tlkit-activity-form")
    _run_all(page, forms)
    expect(forms).to_have_count(len(keys), timeout=90_000)
    panel = page.locator(".tlkit-hand-in")
    expect(panel).to_contain_text("Not handed in yet", timeout=60_000)

    # A wrong answer gets a hint that points at the reasoning; then the right one.
    first = forms.nth(0)
    activity = "start-here_check"
    _choose(first, WRONG[activity]["values"])
    first.get_by_role("button", name="Check my answers").click()
    expect(first).to_contain_text(WRONG[activity]["message"], timeout=30_000)
    _choose(first, {k: str(v) for k, v in keys[activity].items()})
    first.get_by_role("button", name="Check my answers").click()
    expect(first).to_contain_text("All your answers fit", timeout=30_000)
    _choose(forms.nth(1), {k: str(v) for k, v in keys["start-here_help"].items()})

    # The reflection goes in its box, never into a cell.
    box = page.locator(".tlkit-reflection-box textarea")
    box.fill(REFLECTION)
    expect(page.locator(".tlkit-reflection-box")).to_contain_text("saved", timeout=30_000)

    panel.get_by_role("button", name="Hand in this module").click()
    expect(panel).to_contain_text("Handed in on", timeout=60_000)
    expect(panel).to_contain_text("2 of 2 checked activities answered, 1 of 1 reflections")

    # The facilitator's side: collect, autograde, grade the reflection, return feedback.
    collected = cohort.collect(root, [MODULE])
    assert f"'{MODULE}': 1 submission(s) collected so far." in collected
    run = autograde_module(root, MODULE, sandbox=sandbox_problem() is None, progress=None)
    assert [o.state for o in run.outcomes] == ["graded"], run.summary()
    _grade_in_formgrader(journey, new_page)
    returned = cohort.feedback(root, [MODULE])
    assert not returned.failed and any("Handed back 1" in line for line in returned), returned

    # The learner brings it back where they handed in, and opens it inside JupyterLab.
    panel.get_by_role("button", name="Get my feedback").click()
    expect(panel).to_contain_text("Your feedback is here", timeout=60_000)
    panel.get_by_role("link", name=re.compile("Open your feedback")).click()
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current",
                 has_text=f"{MODULE}.html").wait_for(state="visible", timeout=60_000)
    shown = page.frame_locator(".jp-HTMLViewer:not(.lm-mod-hidden) iframe, "
                               ".lm-Widget.lm-mod-current iframe").first.locator("body")
    expect(shown).to_contain_text(REFLECTION, timeout=30_000)
    text = shown.inner_text()
    # Both activities right after the second try, and the reflection's grade: full marks.
    assert f"{MODULE} (Score: 3.0 / 3.0)" in text
    assert "score_form" not in text and "HIDDEN" not in text  # no key in the feedback

    # The portfolio gathers the reflection for the learner's principal.
    _open(page, port, "portfolio/portfolio.ipynb",
          _cells(journey["workspace"] / "portfolio" / "portfolio.ipynb"))
    _run_all(page, page.locator(".tlkit-portfolio"))
    expect(page.locator(".tlkit-portfolio").first).to_contain_text(REFLECTION, timeout=90_000)
