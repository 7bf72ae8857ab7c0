"""The learner's JupyterLab, started as `tlkit start` starts it, in headless Chromium: the
course notebook opens, the kit's widgets render, the page asks nothing of the internet, and
axe-core finds nothing critical or serious in the kit's widgets and text (JupyterLab's own
findings are excused in LAB_ALLOWED, by rule and selector, one by one)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from axe_check import also_refused, describe, findings, not_allowed, run_axe
from lab_pages import private_env, run_cell, running_lab
from playwright.sync_api import expect
from voila_pages import ROOT, RecordedPage

from tlkit.ops import release
from tlkit.ops.learner_view import visible_code_lines
from tlkit.serve import servers as serve

TOKEN = "tlkit-learner-lab-test"
NOTEBOOK = Path("protocols") / "protocols.ipynb"
RUNNER_CALL = 'activity_widget("protocols", "Running a tuning protocol"'

# JupyterLab's own axe findings (rule: selector fragments), not the kit's to fix.
LAB_ALLOWED: dict[str, tuple[str, ...]] = {
    # JupyterLab's toolbar buttons (jp-button, and the Voila and nbgrader buttons built the
    # same way) carry aria-pressed on a role that does not take it.
    "aria-allowed-attr": ('jp-button[', ".voilaRender", ".validate-button",
                          ".jp-DebuggerBugButton"),
    # JupyterLab's code editors (CodeMirror's content box) have no accessible name.
    "aria-input-field-name": (".cm-content",),
    # JupyterLab's windowed notebook list.
    "aria-required-children": (".jp-WindowedPanel-viewport",),
}


def _source(cell: dict) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


@pytest.fixture(scope="module")
def learner_lab(tmp_path_factory, chromium_path):  # no server to start without a browser
    tmp = tmp_path_factory.mktemp("learner-lab")
    env = private_env(tmp)
    with pytest.MonkeyPatch.context() as patch:
        # nbgrader's build and the learner's copy go to temporary folders, as in `tlkit start`
        # with TLKIT_BUILD and TLKIT_WORKSPACE set.
        patch.setenv("TLKIT_BUILD", str(tmp / "build"))
        patch.setenv("TLKIT_WORKSPACE", str(tmp / "workspace"))
        for name, value in env.items():
            patch.setenv(name, value)
        workspace = release.prepare_workspace(root=ROOT)
        lab_env = serve.lab_env(dict(os.environ, JUPYTER_TOKEN=TOKEN), ROOT)
    with running_lab(workspace, lab_env, tmp / "lab.log") as port:
        yield workspace, port


def test_learner_notebook_runs_the_protocol_runner_offline(learner_lab, new_page):
    workspace, port = learner_lab
    learner_copy = json.loads((workspace / NOTEBOOK).read_text(encoding="utf-8"))
    heading = _source(learner_copy["cells"][0]).splitlines()[0].lstrip("# ").strip()

    recorded = new_page()
    page = recorded.page
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.as_posix()}?token={TOKEN}")
    page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text=heading).wait_for(
        state="visible", timeout=60_000)

    # JupyterLab attaches cells a few at a time after the first screenful: wait for them all.
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(learner_copy["cells"]),
                                                                timeout=30_000)
    [index] = [i for i, c in enumerate(learner_copy["cells"]) if RUNNER_CALL in _source(c)]
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    # Its code is folded away: the teacher sees no code, and the cell still runs.
    assert cell.locator(".cm-content").count() == 0
    # Clicking the cell selects it; Shift+Enter runs that cell alone, as a teacher would.
    run_cell(page, cell, ".tlkit-runner", key="Shift+Enter")

    errors = cell.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert errors.count() == 0, errors.first.inner_text()
    assert cell.locator(".tlkit-runner .tlkit-runner-step-clock").is_visible()

    # Fonts load lazily once text uses them: let the page finish asking before we look.
    page.evaluate("document.fonts.ready.then(() => true)")
    assert recorded.urls, "no requests recorded"
    assert recorded.outside_requests() == []


def _widget_cells(notebook: Path) -> list[int]:
    """Positions of the cells that show a kit widget."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return [n for n, c in enumerate(cells)
            if c["cell_type"] == "code" and "from tlkit.widgets import" in "".join(c["source"])]


def test_learner_notebook_with_every_widget_has_no_serious_axe_finding(learner_lab, new_page):
    """Before the tests below open other notebooks: JupyterLab restores the tabs a page left
    open, and only this notebook's cells should be on the page."""
    workspace, port = learner_lab
    positions = _widget_cells(workspace / NOTEBOOK)
    assert len(positions) >= 4, "the module shows fewer widgets than expected"
    page = new_page().page
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{NOTEBOOK.as_posix()}?token={TOKEN}")
    all_cells = json.loads((workspace / NOTEBOOK).read_text(encoding="utf-8"))["cells"]
    # JupyterLab attaches cells a few at a time after the first screenful: wait for them all.
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(all_cells), timeout=60_000)
    for position in positions:
        # Each widget cell alone, as a learner runs it: its code is folded away, so the
        # learner selects the cell by its prompt and runs it from the keyboard.
        cell = page.locator(".jp-Notebook .jp-Cell").nth(position)
        run_cell(page, cell, ".jp-OutputArea-output [class*='tlkit-']")
    page.wait_for_load_state("networkidle")
    violations = run_axe(page)
    left = not_allowed(findings(violations), LAB_ALLOWED)
    assert not left, f"axe on the learner's notebook:\n{describe(left)}"
    # Only the notebook's own tables and headings: JupyterLab's panels are not the kit's.
    assert also_refused(run_axe(page, ".jp-Notebook")) == []


def test_learner_copy_has_no_facilitator_notes(learner_lab):
    workspace, _ = learner_lab
    source = json.loads((ROOT / "modules" / NOTEBOOK).read_text(encoding="utf-8"))
    # The first line of each note is enough to spot it, even if the rest were cut or edited.
    notes = [_source(c).strip().splitlines()[0] for c in source["cells"]
             if "facilitator" in c["metadata"].get("tags", [])]
    assert notes, "the module has no facilitator notes to look for"
    learner = "\n".join(_source(c) for c in
                        json.loads((workspace / NOTEBOOK).read_text(encoding="utf-8"))["cells"])
    assert [note for note in notes if note in learner] == []


@pytest.fixture(scope="module")
def bare_address(learner_lab, browser):
    """The bare address (what a teacher types) in a page of its own, opened once: the news
    check and the first-screen check both read it, as a JupyterLab page costs seconds to load."""
    _workspace, port = learner_lab
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    recorded = RecordedPage(context.new_page())
    recorded.page.set_default_timeout(120_000)
    recorded.page.goto(f"http://127.0.0.1:{port}/?token={TOKEN}")
    recorded.page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text="Start here").wait_for(
        state="visible", timeout=60_000)
    recorded.opened = time.monotonic()
    yield recorded
    context.close()


def test_the_first_screen_is_start_here_not_the_launcher(learner_lab, new_page, bare_address):
    """The address `tlkit start` prints and opens, and the bare address, both land on the first
    module's notebook: no Launcher (kernels, consoles, terminals) in front of a teacher."""
    workspace, port = learner_lab
    first = serve.start_page(ROOT)
    learner_copy = json.loads((workspace / first.split("/tree/", 1)[1]).read_text("utf-8"))
    # Answers go in forms and boxes: the learner's copy shows not one line of code.
    assert sum(visible_code_lines(c) for c in learner_copy["cells"]) == 0
    printed = new_page().page
    printed.goto(f"http://127.0.0.1:{port}{first}?token={TOKEN}")
    for address, page in (("the printed address", printed), ("the bare address", bare_address.page)):
        page.locator(".jp-Notebook .jp-RenderedMarkdown h1", has_text="Start here").wait_for(
            state="visible", timeout=60_000)
        page.wait_for_timeout(2_000)       # the Launcher, when it comes, comes after restore
        assert page.locator(".jp-Launcher").count() == 0, address
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        assert tab.inner_text().strip() == "start-here.ipynb", address
        # No code on screen at all (an editor still filling in reads empty). Only this
        # notebook: JupyterLab may restore other tabs, kept in the page but hidden.
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        shown = [t for t in notebook.locator(".jp-CodeCell .cm-content").all_inner_texts()
                 if t.strip()]
        assert shown == [], shown
        assert notebook.locator(".jp-CodeCell .cm-editor").count() == 0, address
        # A folded cell shows the "…" alone, not its first line of code.
        folded = notebook.locator(".jp-InputPlaceholder .jp-PlaceholderText").all_inner_texts()
        assert folded and not any(text.strip() for text in folded), folded
    # The course page's links open the modules, in course order, inside JupyterLab.
    page.locator(".jp-RenderedMarkdown a", has_text="Teacher-leader roles").click()
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current",
                 has_text="teacher-roles.ipynb").wait_for(state="visible", timeout=60_000)


def test_the_lab_never_asks_about_jupyter_news(bare_address):
    """JupyterLab's announcements plugin would ask "get notified about official Jupyter news?"
    on first open and then query its news feed; the learners' settings switch it off. Read
    after the first-screen check, on the page it left open (its seconds count as waiting)."""
    page = bare_address.page
    page.locator(".jp-LabShell").wait_for(state="visible", timeout=60_000)
    # The plugin asks a few seconds after start-up; give it longer than that.
    page.wait_for_timeout(max(0.0, 6 - (time.monotonic() - bare_address.opened)) * 1000)
    assert "Jupyter news" not in page.locator("body").inner_text()
    assert page.locator(".jp-Notification-Toast, .Toastify__toast").count() == 0
    assert [url for url in bare_address.urls if "/lab/api/news" in url] == []
