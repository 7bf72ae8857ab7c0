"""Questions to the room on SQLite and PostgreSQL: a poll (one or several choices), a word
cloud, Q&A with votes counted once and items the facilitator hides, a 1-5 scale; only the
facilitator asks, closes, hides and chooses what the projector shows."""

from __future__ import annotations

import pytest

from tlkit.live import ContributionRefused, LiveStore, NotAllowed
from tlkit.live.questions import results
from tlkit.live.store import new_contribution_id


@pytest.fixture
def room(db_url):
    live = LiveStore(db_url)
    host = live.open_session("tuning", [5, 5, 5, 5, 5, 5, 5])
    people = [live.join(host.code, name, attributed=True) for name in ("Ann", "Bo", "Cy")]
    return live, host, people


def send(live, who, kind, body):
    return live.contribute(who, kind, body, contribution_id=new_contribution_id())


def test_a_poll_counts_each_persons_latest_answer(room):
    live, host, (ann, bo, cy) = room
    poll = live.ask(host.code, host.token, "poll", "Which step was hardest?",
                    ["Clarifying", "Probing", "  ", "Feedback"])
    assert poll.options == ("Clarifying", "Probing", "Feedback")
    send(live, ann, "answer", {"question": poll.id, "choices": [0]})
    send(live, ann, "answer", {"question": poll.id, "choices": [1]})     # changed her mind
    send(live, bo, "answer", {"question": poll.id, "choices": [1]})
    with pytest.raises(ContributionRefused, match="takes one answer"):
        send(live, cy, "answer", {"question": poll.id, "choices": [0, 2]})
    with pytest.raises(ContributionRefused, match="Choose one of"):
        send(live, cy, "answer", {"question": poll.id, "choices": [7]})
    shown = results(poll, live.contributions(host.code, host.token))
    assert shown.responses == 2 and shown.counts == [("Clarifying", 0), ("Probing", 2),
                                                     ("Feedback", 0)]
    several = live.ask(host.code, host.token, "poll", "Which?", ["a", "b", "c"], multiple=True)
    send(live, cy, "answer", {"question": several.id, "choices": [0, 2, 2]})
    assert results(several, live.contributions(host.code, host.token)).counts == [
        ("a", 1), ("b", 0), ("c", 1)]


def test_questions_are_checked_when_asked(room):
    live, host, _ = room
    with pytest.raises(ContributionRefused, match="2 to 8 choices"):
        live.ask(host.code, host.token, "poll", "One?", ["only"])
    with pytest.raises(ContributionRefused, match="the same"):
        live.ask(host.code, host.token, "poll", "Two?", ["x", "x"])
    with pytest.raises(ContributionRefused, match="not a kind of question"):
        live.ask(host.code, host.token, "essay", "Three?")


def test_a_word_cloud_and_a_scale(room):
    live, host, (ann, bo, cy) = room
    cloud = live.ask(host.code, host.token, "words", "One word for today?")
    send(live, ann, "answer", {"question": cloud.id, "words": "Useful, busy"})
    send(live, bo, "answer", {"question": cloud.id, "words": ["useful"]})
    with pytest.raises(ContributionRefused, match="Up to 3 words"):
        send(live, cy, "answer", {"question": cloud.id, "words": "a, b, c, d"})
    assert results(cloud, live.contributions(host.code, host.token)).counts == [
        ("useful", 2), ("busy", 1)]
    scale = live.ask(host.code, host.token, "scale", "I can run a tuning protocol.")
    for who, value in ((ann, 4), (bo, 5)):
        send(live, who, "answer", {"question": scale.id, "value": value})
    with pytest.raises(ContributionRefused, match="from 1 to 5"):
        send(live, cy, "answer", {"question": scale.id, "value": 6})
    shown = results(scale, live.contributions(host.code, host.token))
    assert shown.lines[-1] == "Average: 4.5 of 5" and ("4 Agree", 1) in shown.counts


def test_qna_votes_count_once_and_hidden_items_leave_the_room(room):
    live, host, (ann, bo, cy) = room
    qna = live.ask(host.code, host.token, "qna", "Your questions")
    first, second = new_contribution_id(), new_contribution_id()
    live.contribute(ann, "ask", {"question": qna.id, "text": "How long per step?"},
                    contribution_id=first)
    live.contribute(bo, "ask", {"question": qna.id, "text": "<b>rude</b>"},
                    contribution_id=second)
    revision = live.revision(host.code)
    assert send(live, bo, "upvote", {"question": qna.id, "item": first})
    assert not send(live, bo, "upvote", {"question": qna.id, "item": first})   # once
    assert send(live, cy, "upvote", {"question": qna.id, "item": first})
    assert live.revision(host.code) > revision      # pages following the session look again
    with pytest.raises(ContributionRefused, match="no longer there"):
        send(live, cy, "upvote", {"question": qna.id, "item": "f" * 32})
    board = live.board(host.code)
    assert [(i["text"], i["votes"]) for i in board[0]["items"]] == [
        ("How long per step?", 2), ("<b>rude</b>", 0)]
    assert "Ann" not in repr(board) and "Bo" not in repr(board)
    live.hide(host.code, host.token, second)
    assert [i["text"] for i in live.board(host.code)[0]["items"]] == ["How long per step?"]
    shown = results(qna, live.contributions(host.code, host.token), live.hidden(host.code))
    assert shown.lines == ["How long per step? (2 votes)", "<b>rude</b> (0 votes) (hidden)"]


def test_only_the_facilitator_asks_closes_hides_and_shows(room):
    live, host, (ann, *_) = room
    poll = live.ask(host.code, host.token, "scale", "Ready?")
    for attempt in (lambda t: live.ask(host.code, t, "scale", "Mine?"),
                    lambda t: live.close_question(host.code, t, poll.id),
                    lambda t: live.show_question(host.code, t, poll.id),
                    lambda t: live.hide(host.code, t, "x" * 32)):
        with pytest.raises(NotAllowed):
            attempt(ann.id)
    assert len(live.log(host.code, host.token)) == 4
    live.show_question(host.code, host.token, poll.id)
    assert [q.shown for q in live.questions(host.code)] == [True]
    live.close_question(host.code, host.token, poll.id)
    assert live.board(host.code) == []
    with pytest.raises(ContributionRefused, match="closed this question"):
        send(live, ann, "answer", {"question": poll.id, "value": 3})
    live.delete(host.code, host.token)
    assert live.questions(host.code) == []


def test_the_facilitators_page_asks_shows_results_and_hides(tmp_path):
    from tlkit.store import JsonFileStore
    from tlkit.widgets import LiveSessionHost

    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    host = LiveSessionHost(live=live, store=JsonFileStore(tmp_path / "state"))
    host.open_session()
    code, token = host.session.code, host.session.token
    host.ask_kind.value, host.ask_prompt.value = "words", "One word for <today>?"
    assert host.ask() and "pages show the question now" in host.message.value
    cloud = live.questions(code)[0]
    ann = live.join(code, "Ann", attributed=True)
    send(live, ann, "answer", {"question": cloud.id, "words": "<b>bold</b>, calm"})
    host.ask_kind.value, host.ask_prompt.value = "poll", "Pick one"
    host.ask_options.value = "only one"
    assert not host.ask() and "2 to 8 choices" in host.message.value
    host.ask_kind.value, host.ask_prompt.value = "qna", "Questions?"
    assert host.ask()
    qna = live.questions(code)[1]
    rude = new_contribution_id()
    live.contribute(ann, "ask", {"question": qna.id, "text": "rude words"}, contribution_id=rude)
    host.follow()
    shown = host.results.value
    assert "One word for &lt;today&gt;?" in shown and "&lt;b&gt;bold&lt;/b&gt;: 1" in shown
    assert "<b>bold" not in shown and "Ann" not in shown and "rude words (0 votes)" in shown
    assert host.item_box.options == (("rude words", rude),)
    assert host.hide_item() and live.board(code)[1]["items"] == []
    assert "rude words (0 votes) (hidden)" in host.results.value
    host.chosen.value = cloud.id
    assert host.project() and [q.shown for q in live.questions(code)] == [True, False]
    assert host.close_question() and [q.open for q in live.questions(code)] == [False, True]
    assert live.log(code, token) == []      # the facilitator's own actions: nothing refused
    host.close()


def test_the_projector_shows_the_results_the_facilitator_chose_without_hidden_items(tmp_path):
    from tlkit.store import JsonFileStore
    from tlkit.widgets import LiveSessionHost
    from tlkit.widgets.practice.presenter import ProtocolPresenter

    live = LiveStore(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    state = JsonFileStore(tmp_path / "state")     # the facilitator's, shared by both pages
    host = LiveSessionHost(live=live, store=state)
    host.open_session()
    code, token = host.session.code, host.session.token
    projector = ProtocolPresenter(live=live, store=state)
    assert projector.live_code == code and projector.results.value == ""
    qna = live.ask(code, token, "qna", "Your questions")
    ann = live.join(code)
    keep, rude = new_contribution_id(), new_contribution_id()
    live.contribute(ann, "ask", {"question": qna.id, "text": "Keep me"}, contribution_id=keep)
    live.contribute(ann, "ask", {"question": qna.id, "text": "Hide me"}, contribution_id=rude)
    projector.follow()
    assert projector.results.value == ""          # nothing chosen for the projector yet
    live.show_question(code, token, qna.id)
    live.hide(code, token, rude)
    assert projector.follow()
    shown = projector.results.value
    assert "Your questions" in shown and "Keep me (0 votes)" in shown and "Hide me" not in shown
    assert "font-size:2em" in shown
    live.show_question(code, token, None)
    projector.follow()
    assert projector.results.value == ""
    projector.close()
    host.close()


def test_the_export_holds_every_answer(room):
    from tlkit.live import figures

    live, host, (ann, *_) = room
    poll = live.ask(host.code, host.token, "poll", "Which?", ["a", "b"])
    send(live, ann, "answer", {"question": poll.id, "choices": [1]})
    rows = figures.export_csv(live.contributions(host.code, host.token)).splitlines()
    assert rows[0].endswith(",scores,answer")
    assert rows[1].endswith(f'"{{""question"": {poll.id}, ""choices"": [1]}}"')
