"""Handing a module in from the learner's notebook, and getting its feedback back, through a
real nbgrader exchange folder (tlkit.ops.hand_in and the HandInPanel over it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tlkit.course.answers import save_activity, save_reflection
from tlkit.ops import hand_in as H
from tlkit.settings import COURSE_ID

MODULE = "demo"


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A learner's copy of one module (a form and a reflection box), its release, and an
    exchange opened for it; nbgrader's hand-in record (its cache) in the test's own folder."""
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("TLKIT_EXCHANGE", str(tmp_path / "exchange"))
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    nb = new_notebook(cells=[
        new_markdown_cell("# Demo"),
        new_code_cell('from tlkit.widgets import activity_form\n\nactivity_form("demo_match")'),
        new_code_cell('from tlkit.widgets import ReflectionBox\n\nReflectionBox("demo_reflect")'),
    ])
    release = tmp_path / "release"
    (release / MODULE).mkdir(parents=True)
    nbformat.write(nb, release / MODULE / f"{MODULE}.ipynb")
    workspace = tmp_path / "workspace"
    shutil.copytree(release / MODULE, workspace / MODULE)
    return {"folder": workspace / MODULE, "release": release, "exchange": tmp_path / "exchange"}


def _open(course) -> None:
    H.open_exchange(course["exchange"], course["release"], [MODULE])


def _inbound(course) -> list[Path]:
    return sorted((course["exchange"] / COURSE_ID / "inbound").iterdir())


def test_handing_in_sends_the_notebook_and_the_answers_and_says_when(course):
    _open(course)
    save_activity("demo_match", {"S1": "coach"}, course["folder"])
    done = H.hand_in(course["folder"])
    [copy] = _inbound(course)
    assert copy.name.startswith(f"{H._student()}+{MODULE}+")
    answers = json.loads((copy / "my-answers.json").read_text(encoding="utf-8"))
    assert answers["activities"]["demo_match"] == {"S1": "coach"}
    assert (copy / f"{MODULE}.ipynb").is_file()
    assert H.hand_ins(MODULE) == [done]
    assert str(done.when.astimezone().year) in done.said()


def test_handing_in_again_keeps_both_and_the_newest_counts(course):
    _open(course)
    save_reflection("demo_reflect", "first draft", course["folder"])
    first = H.hand_in(course["folder"])
    save_reflection("demo_reflect", "second draft", course["folder"])
    second = H.hand_in(course["folder"])
    assert H.hand_ins(MODULE) == [first, second] and second.when > first.when
    newest = max(_inbound(course), key=lambda p: (p / "timestamp.txt").read_text())
    assert "second draft" in (newest / "my-answers.json").read_text(encoding="utf-8")


def test_without_an_exchange_the_learner_is_told_in_a_sentence(course):
    with pytest.raises(H.HandInError) as raised:
        H.hand_in(course["folder"])
    assert "not set up" in str(raised.value) and "safe" in str(raised.value)
    assert "Traceback" not in str(raised.value) and "/" not in str(raised.value)


def test_a_module_not_given_out_cannot_be_handed_in(course):
    H.open_exchange(course["exchange"], course["release"], [])
    with pytest.raises(H.HandInError, match="has not been given out"):
        H.hand_in(course["folder"])


def test_feedback_comes_back_into_the_module_folder(course):
    from nbgrader.utils import notebook_hash

    _open(course)
    assert H.fetch_feedback(course["folder"]) == []       # nothing handed in yet
    H.hand_in(course["folder"])
    assert H.fetch_feedback(course["folder"]) == []       # handed in, not graded yet
    # What `tlkit course feedback` puts in the exchange: a page named by the hand-in's secret.
    [copy] = _inbound(course)
    secret = (copy / "submission_secret.txt").read_text()
    page = course["exchange"] / COURSE_ID / "feedback" / f"{notebook_hash(secret=secret, notebook_id=MODULE)}.html"
    page.write_text("<html><body>Well done</body></html>", encoding="utf-8")
    [fetched] = H.fetch_feedback(course["folder"])
    assert fetched.read_text(encoding="utf-8").endswith("Well done</body></html>")
    assert fetched.relative_to(course["folder"]).parts[0] == H.FEEDBACK_FOLDER
    assert H.feedback_pages(course["folder"]) == [fetched]
    assert "at" in H.handed_in_said(fetched)


def test_progress_counts_what_the_forms_hold(course):
    assert H.module_forms(course["folder"]) == (["demo_match"], ["demo_reflect"])
    assert H.progress(course["folder"]).said() == (
        "0 of 1 checked activities answered, 0 of 1 reflections written")
    save_activity("demo_match", {"S1": " "}, course["folder"])      # blank is not an answer
    save_reflection("demo_reflect", "Something I noticed", course["folder"])
    assert H.progress(course["folder"]).said() == (
        "0 of 1 checked activities answered, 1 of 1 reflections written")


def test_on_a_hub_a_learner_hands_in_under_their_hub_name(course, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "ana")
    _open(course)
    H.hand_in(course["folder"])
    assert _inbound(course)[0].name.startswith(f"ana+{MODULE}+")


def test_the_panel_refuses_an_empty_hand_in_then_hands_in_and_finds_feedback(course):
    from tlkit.widgets import HandInPanel

    _open(course)
    panel = HandInPanel(course["folder"])
    assert "Not handed in yet" in panel.status.value
    assert panel.hand_in() is False and "Nothing to hand in yet" in panel.status.value
    assert not _inbound(course)
    save_reflection("demo_reflect", "What I will try", course["folder"])
    assert panel.hand_in() is True
    assert "Handed in on" in panel.status.value and "1 of 1 reflections" in panel.status.value
    assert panel.get_feedback() == []
    assert "No feedback yet" in panel.feedback_status.value
    # A new panel (a re-run cell, a restart) still knows the hand-in.
    assert "Handed in on" in HandInPanel(course["folder"]).status.value


def test_the_panel_says_a_problem_plainly(course):
    from tlkit.widgets import HandInPanel

    save_reflection("demo_reflect", "Text", course["folder"])
    panel = HandInPanel(course["folder"])
    assert panel.hand_in() is False
    assert "not set up" in panel.status.value and 'role="alert"' in panel.status.value
