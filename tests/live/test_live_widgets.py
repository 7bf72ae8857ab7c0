"""The two views driven from Python on a SQLite file: following, sending, resuming (the
facilitator's page after a reload, a participant's box after a restart)."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from tlkit.live import LiveStore, NotAllowed
from tlkit.live.store import new_contribution_id
from tlkit.store import JsonFileStore, LiveJoinRecord, StoreUnavailable
from tlkit.widgets import LiveSessionHost, LiveSessionJoin


@pytest.fixture
def views(tmp_path):
    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    saved = JsonFileStore(tmp_path / "state")
    host = LiveSessionHost(live=live, store=saved)
    assert host.open_session()
    return live, saved, host


def _join(live, code, name="", named=False):
    view = LiveSessionJoin(live=live)
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
    view = LiveSessionJoin(live=live)
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
    view = LiveSessionJoin(live=live, page="page-one")
    view.name_box.value = "Ana"
    for n in range(WRONG_CODE_LIMIT):
        view.code_box.value = f"WR{n:04d}"
        assert view.join() is False
    view.code_box.value = host.session.code
    assert view.join() is False
    assert "Too many wrong codes from this page; wait 30 seconds" in view.join_message.value
    assert view.name_box.value == "Ana" and view.participant is None
    assert _join(live, host.session.code).participant.number == 1   # another page joins


# --- a participant's box after a restart (state_key: the join is kept) ----------------------

def _kept_join(live, saved, code, name=""):
    view = LiveSessionJoin(state_key="join", live=live, store=saved)
    assert view.participant is None and view.join_message.value == ""
    view.code_box.value, view.name_box.value = code, name
    assert view.join(), view.join_message.value
    assert view.save_status.value == ""
    return view


def _restart(view):
    """A kernel restart and Run All: the old view is gone, a new one is built on the same
    saved state and the same sessions' database."""
    view.close()
    return LiveSessionJoin(state_key=view.state_key, live=view.live, store=view.store)


def test_a_restart_picks_up_the_same_participant_who_follows_and_sends(views):
    live, saved, host = views
    view = _kept_join(live, saved, host.session.code, "Ana")
    assert "Leave this session" in _buttons(view)
    host.press("next")
    again = _restart(view)
    assert again.participant == view.participant              # same id, number and name
    assert live.participants(host.session.code) == 1          # not counted as a new one
    assert again.join_panel not in again.children
    assert "You are back in session" in again.banner.value
    assert "Ana, participant 1" in again.banner.value
    assert "Step 2 of" in again.step.value                    # where the facilitator is now
    host.press("next")
    assert again.follow() and "Step 3 of" in again.step.value
    again.question_box.value = "Sent after the restart"
    assert again.send_question()
    [item] = live.contributions(host.session.code, host.session.token)
    assert item.participant == 1 and item.body["text"] == "Sent after the restart"
    # Without a state_key (the room's join page), nothing is kept: the next page joins afresh.
    other = LiveSessionJoin(live=live, store=saved)
    assert other.participant is None and "Leave this session" not in _buttons(other)


def test_an_ended_session_is_said_forgotten_and_the_form_comes_back(views):
    live, saved, host = views
    view = _kept_join(live, saved, host.session.code)
    host.end()
    again = _restart(view)
    assert again.participant is None and again.join_panel in again.children
    text = again.join_message.value
    assert f"The session {host.session.code} you joined earlier has ended." in text
    assert "This page has forgotten it" in text and "Traceback" not in text
    assert saved.get("join", LiveJoinRecord) == LiveJoinRecord()     # forgotten
    third = _restart(again)
    assert third.participant is None and third.join_message.value == ""   # said once


def test_leave_forgets_the_join_and_joining_again_is_a_new_participant(views):
    live, saved, host = views
    view = _kept_join(live, saved, host.session.code)
    [leave] = [b for b in _children(view) if isinstance(b, widgets.Button)
               and b.description == "Leave this session"]
    leave.click()
    assert view.participant is None and view.join_panel in view.children
    assert f"You left session {host.session.code}" in view.join_message.value
    again = _restart(view)
    assert again.participant is None and again.join_message.value == ""
    again.code_box.value = host.session.code
    assert again.join() and again.participant.number == 2


def test_a_database_down_at_restart_keeps_the_join_and_join_picks_it_up(views, monkeypatch):
    live, saved, host = views
    view = _kept_join(live, saved, host.session.code)
    real = live.participant

    def down(*args, **kwargs):
        raise StoreUnavailable("the sessions' database cannot be reached", "Try again.")

    monkeypatch.setattr(live, "participant", down)
    again = _restart(view)
    assert again.participant is None
    assert "could not go back to session" in again.join_message.value
    assert again.code_box.value == host.session.code                 # ready to press Join
    assert saved.get("join", LiveJoinRecord).code == host.session.code   # kept
    monkeypatch.setattr(live, "participant", real)
    assert again.join() and again.participant == view.participant
    assert live.participants(host.session.code) == 1
    # Down again at the next restart, and the session ends meanwhile: Join says so and forgets.
    monkeypatch.setattr(live, "participant", down)
    third = _restart(again)
    monkeypatch.setattr(live, "participant", real)
    host.end()
    assert third.join() is False and "has ended" in third.join_message.value
    assert saved.get("join", LiveJoinRecord) == LiveJoinRecord()


def test_state_store_faults_are_said_and_the_join_still_works(views, tmp_path):
    live, _, host = views
    # A state folder that cannot be written: said at once; the join works, kept nowhere.
    (tmp_path / "blocker").write_text("a file", encoding="utf-8")
    blocked = JsonFileStore(tmp_path / "blocker" / "state")
    view = LiveSessionJoin(state_key="join", live=live, store=blocked)
    assert "Your work on this page cannot be saved" in view.save_status.value
    view.code_box.value, view.name_box.value = host.session.code, "Ana"
    assert view.join() and view.participant.name == "Ana"
    assert "cannot be saved" in view.save_status.value
    # A kept join of the wrong shape: set aside (not deleted), said, and the form is shown.
    saved = JsonFileStore(tmp_path / "state2")
    saved.path("join").parent.mkdir(parents=True, exist_ok=True)
    saved.path("join").write_text('{"kind": "live-join", "code": "AB"}', encoding="utf-8")
    view = LiveSessionJoin(state_key="join", live=live, store=saved)
    (kept,) = (tmp_path / "state2").glob("join.unreadable-*.json")
    assert "Your earlier join could not be read" in view.save_status.value
    assert view.participant is None and view.join_panel in view.children
    view.code_box.value = host.session.code
    assert view.join() and saved.get("join", LiveJoinRecord).code == host.session.code


def _children(widget):
    for child in getattr(widget, "children", ()):
        yield child
        yield from _children(child)


def test_the_facilitator_sees_every_exit_rating_and_the_refused_attempts(views):
    live, _, host = views
    code = host.session.code
    assert "<h2" not in host.children[0].value       # the session's view, not the start panel
    assert "Run a live session</h2>" in host.start_panel.children[0].value
    people = [live.join(code) for _ in range(3)]
    for person, useful in zip(people, (2, 2, 5)):
        live.contribute(person, "exit", {"useful": useful}, contribution_id=new_contribution_id())
    host.follow()
    exits = host.exits.value
    assert "<10" not in exits and "&lt;10" not in exits
    assert "<td>2</td>" in exits and "<td>1</td>" in exits and "hides groups under 10" in exits
    assert "no one else has tried" in host.refused.value
    with pytest.raises(NotAllowed):
        live.control(code, people[0].id, "next")        # a participant's try at the clock
    host.show_refused()
    assert "refused: press Next on the clock without the facilitator&#x27;s token" in (
        host.refused.value)
