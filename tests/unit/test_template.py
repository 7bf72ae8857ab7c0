"""`tlkit new-module`, and the one restart note a module carries: in its introduction."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from support import ROOT

from tlkit import cli
from tlkit.course import checks
from tlkit.course.forms import review_form
from tlkit.course.manifest import load_manifest
from tlkit.course.module import load_module
from tlkit.course.template import TemplateError, is_widget_cell, new_module


@pytest.fixture
def course(tmp_path):
    """A copy of the course's modules, guides, manifest and wrong answers."""
    for folder in ("modules", "facilitator"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "tests" / "nbgrader").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "nbgrader" / "wrong_answers.yaml",
                tmp_path / "tests" / "nbgrader" / "wrong_answers.yaml")
    return tmp_path


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text("utf-8"))["cells"]


def _source(cell) -> str:
    return "".join(cell["source"])


# --- the restart note -------------------------------------------------------------------------

RESTART = "If a box below says **Error displaying widget**"


@pytest.mark.parametrize("path", sorted(ROOT.glob("modules/*/*.ipynb")), ids=lambda p: p.name)
def test_the_restart_note_is_in_the_introduction_not_before_every_widget(path):
    cells = _cells(path)
    assert any(is_widget_cell(cell) for cell in cells) or path.stem != "protocols"
    repeated = [i for i, cell in enumerate(cells) if RESTART in _source(cell)
                or cell.get("metadata", {}).get("tlkit", {}).get("note")]
    assert not repeated, f"{path.name}: a restart note in cell(s) {repeated}"
    intro = " ".join(_source(cells[0]).split())
    assert "Error displaying widget" in intro and "Run > Run All Cells" in intro
    assert "saved work comes back" in intro


def test_a_new_module_has_no_note_before_its_widgets(course):
    new_module("data-talk", "Talking about data", 90, course)
    cells = _cells(course / "modules" / "data-talk" / "data-talk.ipynb")
    assert not any(RESTART in _source(cell) for cell in cells)


# --- new-module -------------------------------------------------------------------------------

def test_new_module_writes_a_complete_module(course):
    written = new_module("data-talk", 'Talking about "data"', 60, course)
    rel = sorted(str(p.relative_to(course)) for p in written)
    assert rel == ["facilitator/data-talk.ipynb", "modules/course.yaml",
                   "modules/data-talk/activities/data-talk_check.yaml",
                   "modules/data-talk/data-talk.ipynb", "modules/start-here/start-here.ipynb",
                   "tests/nbgrader/wrong_answers.yaml"]
    [page] = [c for c in _cells(course / "modules" / "start-here" / "start-here.ipynb")
              if c["metadata"].get("tlkit", {}).get("course_page")]
    # The new module is last in the course, so its number is the count of modules.
    from tlkit.course.manifest import module_ids
    last = len(module_ids(course))
    assert _source(page).endswith(f'\n{last}. [Talking about "data"](../data-talk/data-talk.ipynb)')

    module = load_module("data-talk", course)      # consistent minutes and metadata
    assert module.title == 'Talking about "data"' and module.session_minutes == 60
    assert sum(s.live_minutes for s in module.sections) == 60
    assert all(s.facilitator_notes for s in module.sections)
    assert len(module.pd_features) >= 5 and all(s.pd_features for s in module.sections)
    assert [e.id for e in load_manifest(course)][-1] == "data-talk"

    cells = _cells(course / "modules" / "data-talk" / "data-talk.ipynb")
    text = "\n".join(_source(c) for c in cells)
    assert "{{" not in text and "Talking about \"data\"" in text
    kinds = [c["metadata"].get("nbgrader", {}) for c in cells]
    assert not any(k.get("solution") for k in kinds)          # nothing typed in code
    assert any(k.get("task") and k.get("points") for k in kinds)   # a reflection to grade
    assert 'ReflectionBox("data-talk_reflection")' in text
    check = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("points")
                 and c["cell_type"] == "code")
    assert _source(check).startswith('from tlkit.widgets import activity_form\n'
                                     'activity_form("data-talk_check")\n### BEGIN HIDDEN TESTS')
    guide = "\n".join(_source(c) for c in _cells(course / "facilitator" / "data-talk.ipynb"))
    assert 'load_module("data-talk")' in guide and "AgendaView" in guide and "Debrief" in guide

    wrong = yaml.safe_load((course / "tests" / "nbgrader" / "wrong_answers.yaml").read_text())
    course_modules = set(yaml.safe_load((ROOT / "tests" / "nbgrader" / "wrong_answers.yaml")
                                        .read_text()))
    assert set(wrong) == course_modules | {"data-talk"}
    assert set(wrong["data-talk"]) == {"data-talk_check"}


def test_the_template_key_matches_its_digests_and_the_wrong_answer_is_caught(course):
    new_module("data-talk", "Talking about data", 90, course)
    folder = course / "modules" / "data-talk"
    activity = checks.load_activity("data-talk_check", here=folder)
    key = {"M1": "describe", "M2": "judge", "M3": "describe", "M4": "judge"}
    assert review_form(activity, key).all_right
    wrong = yaml.safe_load((course / "tests" / "nbgrader" / "wrong_answers.yaml").read_text())
    entry = wrong["data-talk"]["data-talk_check"]
    result = review_form(activity, entry["values"], key=key)
    assert not result.missing and len(result.reconsider) == 1 and result.right == 3
    assert entry["message"] in result.reconsider[0]
    plain = (folder / "activities" / "data-talk_check.yaml").read_text()
    assert "judge\n" not in plain.split("items:")[1]          # only digests and hints


@pytest.mark.parametrize(("slug", "minutes", "words"), [
    ("Bad Slug", 90, "cannot be a module name"),
    ("protocols", 90, "already has a module called 'protocols'"),
    ("x", 90, "cannot be a module name"),
    ("fine-name", 10, "40 or more"),
])
def test_new_module_refuses_with_a_plain_message_and_writes_nothing(course, slug, minutes, words):
    before = sorted(p for p in course.rglob("*"))
    manifest = (course / "modules" / "course.yaml").read_text()
    with pytest.raises(TemplateError, match=words):
        new_module(slug, "A title", minutes, course)
    assert sorted(p for p in course.rglob("*")) == before
    assert (course / "modules" / "course.yaml").read_text() == manifest


def test_the_command_says_what_it_made_and_refuses_plainly(course, monkeypatch, capsys):
    monkeypatch.setenv("TLKIT_COURSE_ROOT", str(course))
    assert cli.main(["new-module", "data-talk", "Talking about data", "--minutes", "75"]) == 0
    out = capsys.readouterr().out
    assert "modules/data-talk/data-talk.ipynb" in out and "AUTHORING.md" in out
    assert cli.main(["new-module", "data-talk", "Again"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tlkit: The course already has a module called 'data-talk'")
    assert "Traceback" not in err
