"""The room's participant app over real HTTP on 127.0.0.1, on SQLite and PostgreSQL: the
page and its files, joining, picking a participant up again, following a step change, sends
stored once, and every way a participant might try to run or read the session refused."""

from __future__ import annotations

import re
import threading
import time

import pytest
from room_server import Client, room_in_thread

from tlkit.live import LiveStore
from tlkit.live.store import JOIN_TRIES, LOG, WRONG_CODE_LIMIT, new_contribution_id
from tlkit.room import server
from tlkit.room.app import GONE
from tlkit.store.sql import transaction

STATIC = server.STATIC


@pytest.fixture
def live(db_url):
    """The store; wrong join codes are counted across the whole database (PostgreSQL's is
    shared by the tests), so each test starts and ends with
    none, and with no lock-out in the server's log."""
    store = LiveStore(db_url)

    def clear():
        with transaction(store.engine) as connection:
            connection.execute(JOIN_TRIES.delete())
            connection.execute(LOG.delete().where(LOG.c.code == ""))
    clear()
    yield store
    clear()


@pytest.fixture
def room(live):
    with room_in_thread(live) as address:
        yield Client(address)


@pytest.fixture
def session(live):
    return live.open_session("tuning", [5, 5, 5, 5, 5, 5, 5], title="Tuning",
                             episode_id="voting-age-discussion")


def test_the_page_and_its_files_load_nothing_from_outside(room):
    status, page = room.call("GET", "/")
    assert status == 200 and "<h1" in page and 'lang="en"' in page
    for name in ("app.js", "app.css"):
        assert room.call("GET", f"/static/{name}")[0] == 200
    # Every file the page names is one of its own; no address outside this server.
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for name in ("index.html", "app.js", "app.css"):
        text = (STATIC / name).read_text()
        assert "http://" not in text and "https://" not in text, name


def test_the_page_shows_what_people_wrote_as_text_only():
    script = (STATIC / "app.js").read_text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script


def test_a_form_posted_from_another_site_is_refused(room, session):
    import urllib.request

    request = urllib.request.Request(room.base + "/api/join", method="POST",
                                     data=f"code={session.code}".encode(),
                                     headers={"Content-Type": "text/plain"})
    try:
        urllib.request.urlopen(request, timeout=10)
        status = 200
    except urllib.error.HTTPError as err:
        status = err.code
    assert status == 415


def test_replies_carry_a_policy_that_allows_only_this_server(room):
    import urllib.request

    with urllib.request.urlopen(room.base + "/") as response:
        policy = response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy


def test_a_participant_joins_follows_a_step_change_and_sends_once(room, live, session):
    status, joined = room.join(session.code.lower(), "Ann", named=True)
    assert status == 200, joined
    assert joined["session"]["head"].startswith("Step 1 of 7")
    assert joined["forms"]["scores"]["look_fors"]       # the episode's look-fors to score
    code, pid, revision = joined["code"], joined["participant"], joined["session"]["revision"]

    # A follow request waits for the change and answers within about WATCH_SECONDS of it.
    threading.Timer(0.5, live.control, (session.code, session.token, "next")).start()
    started = time.monotonic()
    status, view = room.session(code, pid, since=revision)
    waited = time.monotonic() - started
    assert status == 200 and view["head"].startswith("Step 2 of 7")
    assert 0.4 < waited < 1.5

    # The same send twice (a retry after a dropped connection) is stored once.
    sent_id = new_contribution_id()
    for _ in range(2):
        status, reply = room.send(code, pid, "question", {"text": "<b>why?</b>"}, sent_id)
        assert status == 200 and reply["message"] == "Sent. Thank you."
    stored = live.contributions(session.code, session.token)
    assert [(c.kind, c.body["text"], c.name) for c in stored] == [("question", "<b>why?</b>",
                                                                    "Ann")]
    status, reply = room.send(code, pid, "scores", {"episode": "voting-age-discussion",
                                                    "scores": {"text-evidence": 3}},
                              new_contribution_id())
    assert status == 200, reply
    status, reply = room.send(code, pid, "exit", {"useful": 9}, new_contribution_id())
    assert status == 400 and "from 1 to 5" in reply["message"]


def test_a_reloaded_page_is_the_same_participant(room, live, session):
    _, joined = room.join(session.code)
    status, again = room.call("POST", "/api/resume", {"code": joined["code"],
                                                      "participant": joined["participant"]})
    assert status == 200 and again["resumed"] and again["number"] == joined["number"]
    assert live.participants(session.code) == 1
    status, reply = room.call("POST", "/api/resume", {"code": session.code,
                                                      "participant": "0" * 32})
    assert status == 410 and "no longer there" in reply["message"]


def test_wrong_codes_are_refused_then_the_page_must_wait(room, session):
    for _ in range(WRONG_CODE_LIMIT):
        status, reply = room.join("ZZZZZZ", page="guesser")
        assert status == 400 and "no session with the code" in reply["message"]
    status, reply = room.join(session.code, page="guesser")
    assert status == 429 and "wait 30 seconds" in reply["message"]


def test_an_ended_or_deleted_session_says_so(room, live, session):
    _, joined = room.join(session.code)
    code, pid = joined["code"], joined["participant"]
    live.end(session.code, session.token)
    status, view = room.session(code, pid)
    assert status == 200 and view["ended"]
    status, reply = room.send(code, pid, "question", {"text": "late"}, new_contribution_id())
    assert status == 400 and "has ended" in reply["message"]
    live.delete(session.code, session.token)
    status, view = room.session(code, pid)
    assert status == 410 and GONE in view["message"]


FACILITATOR_ONLY = ["/voila/render/live-session.ipynb", "/voila/render/cohort.ipynb",
                    "/voila/render/presenter.ipynb", "/voila/tree", "/api/control", "/api/next",
                    "/api/end", "/api/export", "/api/delete", "/api/log", "/api/contributions",
                    "/api/participants", "/api/kernels", "/static/../app.py",
                    "/static/../../live/store.py", "/static/%2e%2e/server.py"]


@pytest.mark.parametrize("path", FACILITATOR_ONLY)
def test_nothing_but_the_participant_page_is_served(path):
    with room_in_thread(LiveStore("sqlite://")) as address:
        client = Client(address)
        for method, body in (("GET", None), ("POST", {})):
            status, reply = client.call(method, path, body)
            assert status == 404, (method, path, status)
            assert "nothing here" in reply


def test_a_participant_cannot_take_over_or_read_others(room, live, session):
    _, ann = room.join(session.code, "Ann Other", named=True, page="a")
    _, bob = room.join(session.code, "Bob", page="b")
    room.send(ann["code"], ann["participant"], "question", {"text": "Ann's secret question"},
              new_contribution_id())
    before = live.state(session.code)
    code, pid = bob["code"], bob["participant"]
    replies = [
        room.send(code, pid, "control", {"action": "next"}, new_contribution_id()),
        room.send(code, pid, "next", {}, new_contribution_id()),
        room.call("POST", "/api/send", {"code": code, "participant": pid, "token": "x",
                                        "action": "end", "kind": "end", "body": {}}),
        room.call("POST", "/api/join", {"code": code, "token": session.token[:5]}),
        room.call("POST", "/api/session", {"code": code, "participant": pid}),
        room.call("POST", "/api/send", raw=b"not json"),
        room.session(code, ann["participant"][:-1] + ("1" if ann["participant"][-1] == "0"
                                                      else "0")),     # a guessed id
        room.session(code, pid),
    ]
    for status, reply in replies[:2]:
        assert status == 400 and "does not collect" in reply["message"]
    assert replies[4][0] == 405
    assert replies[6][0] == 410
    # Nothing moved, ended or went; no reply names another participant or what they sent.
    after = live.state(session.code)
    assert (after.revision, after.ended, after.clock) == (before.revision, False, before.clock)
    assert live.participants(session.code) == 3      # the stray join above is a new person
    everything = repr(replies)
    for secret in ("Ann", "secret question", session.token, ann["participant"]):
        assert secret not in everything
    assert [c.kind for c in live.contributions(session.code, session.token)] == ["question"]


def test_a_follow_request_waits_and_then_answers_unchanged(room, session, monkeypatch):
    monkeypatch.setattr(server, "WAIT_SECONDS", 0.6)
    _, joined = room.join(session.code)
    started = time.monotonic()
    status, view = room.session(joined["code"], joined["participant"],
                                since=joined["session"]["revision"])
    assert status == 200 and view["revision"] == joined["session"]["revision"]
    assert 0.5 < time.monotonic() - started < 2


def test_under_a_prefix_as_a_hub_service_only_the_prefix_answers(live, session):
    with room_in_thread(live, prefix="/services/live") as address:
        client = Client(f"{address}/services/live/")
        status, page = client.call("GET", "/")
        assert status == 200 and 'src="static/app.js"' in page
        assert client.call("GET", "/static/app.js")[0] == 200
        status, joined = client.join(session.code)
        assert status == 200 and joined["number"] == 1
        bare = Client(address)
        assert bare.call("GET", "/")[0] == 404 and bare.call("POST", "/api/join", {})[0] == 404
        assert bare.call("GET", "/services/live")[0] == 200      # redirected to the page
