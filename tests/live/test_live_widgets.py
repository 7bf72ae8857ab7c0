"""The two views driven from Python on a SQLite file: following, sending, resuming."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from tlkit.live import LiveStore
from tlkit.store import JsonFileStore, StoreUnavailable
from tlkit.widgets import LiveSessionHost, LiveSessionJoin


@pytest.fixture
def views(tmp_path):
    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    saved = JsonFileStore(tmp_path / "state")
    host = LiveSessionHost(live=live, store=saved)
    assert host.open_session()
    return live, saved, host


def _join(live, code, name="", named=False):
    view = LiveSessionJoin(store=live)
    view.code_box.value, view.name_box.value, view.named.value = code, name, named
    assert view.join(), view.join_message.value
    return view


def _buttons(widget):
    found = []
    for child in getattr(widget, "children", ()):
        if isinstance(child, widgets.Button):
            found.append(child.description)
        found += _buttons(child)
    return found


def test_participants_follow_and_a_late_joiner_lands_on_the_current_step(views):
    live, _, host = views
    early = _join(live, host.session.code)
    assert "Step 1 of" in early.step.value
    assert not {"Next", "Back", "Start", "Pause"} & set(_buttons(early))   # no clock controls
    host.press("next")
    host.press("start")
    assert early.follow() is True and "Step 2 of" in early.step.value
    assert "left in this step" in early.step.value
    late = _join(live, host.session.code)
    assert "Step 2 of" in late.step.value


def test_wrong_code_says_so_and_keeps_what_was_typed(views):
    live, _, host = views
    view = LiveSessionJoin(store=live)
    view.code_box.value, view.name_box.value = "ABC", "Ana"
    assert view.join() is False
    assert "no session with the code ABC" in view.join_message.value
    assert view.name_box.value == "Ana" and view.participant is None


def test_a_send_whose_answer_was_lost_is_stored_once_when_pressed_again(views, monkeypatch):
    live, _, host = views
    view = _join(live, host.session.code)
    real = live.contribute

    def stored_then_dropped(*args, **kwargs):
        real(*args, **kwargs)
        raise StoreUnavailable("the connection dropped", "Try again.")

    monkeypatch.setattr(live, "contribute", stored_then_dropped)
    view.question_box.value = "Can we see the rubric again?"
    assert view.send_question() is False
    assert view.question_box.value == "Can we see the rubric again?"   # nothing typed is lost
    assert "Not sent yet" in view.message.value
    monkeypatch.setattr(live, "contribute", real)
    assert view.send_question() is True and view.question_box.value == ""
    items = live.contributions(host.session.code, host.session.token)
    assert [i.body["text"] for i in items] == ["Can we see the rubric again?"]


def test_the_facilitator_sees_text_as_text_names_only_if_agreed_and_figures(views):
    live, _, host = views
    named = _join(live, host.session.code, "Ana", named=True)
    hidden = _join(live, host.session.code, "Ben")
    named.feedback_box.value = "<img src=x onerror=alert(1)>"
    assert named.send_feedback()
    hidden.tone.value = "cool"
    hidden.feedback_box.value = "<script>alert(1)</script>"
    assert hidden.send_feedback()
    for view, level in ((named, 2), (hidden, 3)):
        for box in view.score_boxes.values():
            box.value = level
        assert view.send_scores()
    host.follow()
    assert "<script>" not in host.feed.value and "<img" not in host.feed.value
    assert "&lt;script&gt;" in host.feed.value
    assert "Ana (participant 1)" in host.feed.value and "Ben" not in host.feed.value
    assert "2 observers have sent scores" in host.agreement.value
    assert "exact agreement 0%" in host.agreement.value
    assert host.export() and "download=" in host.downloads.value


def test_a_reloaded_facilitator_page_keeps_control_and_delete_clears_it(views, tmp_path):
    live, saved, host = views
    again = LiveSessionHost(live=live, store=saved)
    assert again.session == host.session
    assert again.press("next") and "Step 2 of" in again.step.value
    assert again.delete() is False                      # not confirmed yet
    again.confirm.value = True
    assert again.delete() is True
    assert live.state(host.session.code) is None
    assert LiveSessionHost(live=live, store=saved).session is None


def test_a_page_that_tries_too_many_codes_is_told_to_wait_and_keeps_what_was_typed(views):
    from tlkit.live.store import WRONG_CODE_LIMIT

    live, _, host = views
    view = LiveSessionJoin(store=live, page="page-one")
    view.name_box.value = "Ana"
    for n in range(WRONG_CODE_LIMIT):
        view.code_box.value = f"WR{n:04d}"
        assert view.join() is False
    view.code_box.value = host.session.code
    assert view.join() is False
    assert "Too many wrong codes from this page; wait 30 seconds" in view.join_message.value
    assert view.name_box.value == "Ana" and view.participant is None
    assert _join(live, host.session.code).participant.number == 1   # another page joins
