"""The reflection thread in the participant app over real HTTP on 127.0.0.1: the page loads
nothing from outside and sets every text as text; joining, picking up, posting once under an
id, replying, editing and withdrawing one's own; the video served from the clips folder only
to the thread's people, with range requests; nothing that hides, pins, exports or deletes."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from room_server import Client, room_in_thread

from tlkit.live import LiveStore
from tlkit.room import server
from tlkit.thread import ThreadStore

STATIC = server.STATIC
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8


@pytest.fixture
def clips(tmp_path, monkeypatch):
    folder = tmp_path / "clips"
    folder.mkdir()
    (folder / "wait-time.mp4").write_bytes(VIDEO)
    (tmp_path / "private.mp4").write_bytes(b"not for anyone")
    monkeypatch.setenv("TLKIT_CLIPS_DIR", str(folder))
    return folder


@pytest.fixture
def url(tmp_path):
    from tlkit.store import sql
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    yield url
    sql.dispose(url)


@pytest.fixture
def room(url, clips):
    with room_in_thread(LiveStore(url)) as address:
        yield Client(address)


@pytest.fixture
def task(url, clips):
    return ThreadStore(url).open_task("Spring 2027", "Week 2: wait time", "What do you see?",
                                      due="2026-12-10", clip="video:wait-time.mp4",
                                      replies_required=1)


def _join(room, code, name="", named=False):
    return room.call("POST", "/api/thread/join", {"code": code, "name": name, "named": named,
                                                  "page": "thread-test-page"})


def _send(room, joined, **sent):
    return room.call("POST", "/api/thread/send",
                     {"code": joined["code"], "person": joined["person"], **sent})


def test_the_thread_page_loads_its_own_files_only_and_sets_text_as_text(room):
    status, page = room.call("GET", "/thread/")
    assert status == 200 and 'lang="en"' in page and "Thread code" in page
    assert "Who sees what you write" in page and "deletes the cohort's thread" in page
    assert room.call("GET", "/static/thread.js")[0] == 200
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    script = (STATIC / "thread.js").read_text()
    assert "http://" not in script and "https://" not in script
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    request = urllib.request.Request(room.base + "/thread/")
    with urllib.request.urlopen(request, timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
    assert "media-src 'self'" in policy and "default-src 'none'" in policy


def test_people_post_once_reply_edit_and_withdraw_over_http(room, task):
    status, dana = _join(room, task.code.lower(), "Dana", named=True)
    assert status == 200, dana
    assert dana["task"]["clip"] == {"kind": "video"} and dana["label"] == "Dana"
    assert [s["id"] for s in dana["task"]["protocol"]["stems"]] == ["notice", "wonder", "try"]
    status, ravi = _join(room, task.code, "Ravi")
    assert ravi["label"] == "Participant 2"

    body = {"stems": {"notice": "<b>S1</b> waited", "wonder": "why?"}}
    first = _send(room, dana, action="reflection", id="dana-reflection-1", body=body)
    again = _send(room, dana, action="reflection", id="dana-reflection-1", body=body)
    assert first[0] == again[0] == 200 and again[1]["again"] and not first[1]["again"]
    assert first[1]["standing"]["posted"]
    status, reply = _send(room, ravi, action="reply", id="ravi-reply-0001",
                          parent="dana-reflection-1", body={"text": "I saw that too"})
    assert status == 200 and reply["standing"]["replies"] == 1
    status, refused = _send(room, ravi, action="edit", post="dana-reflection-1",
                            body={"stems": {"notice": "mine now"}})
    assert status == 400 and "only your own" in refused["message"]
    status, refused = _send(room, ravi, action="reflection", id="ravi-reflection",
                            body={"stems": {"notice": "x" * 5000}})
    assert status == 400 and "limit is 1000" in refused["message"]

    status, seen = room.call("GET", f"/api/thread?code={task.code}&person={ravi['person']}")
    assert status == 200
    item = seen["items"][0]
    assert item["stems"][0]["text"] == "<b>S1</b> waited"       # as text, for textContent
    assert item["replies"][0]["mine"] and item["author"] == "Dana"
    same = room.call("GET", f"/api/thread?code={task.code}&person={ravi['person']}"
                            f"&since={seen['revision']}")[1]
    assert same == {"same": True, "revision": seen["revision"]}
    status, done = _send(room, ravi, action="withdraw", post="ravi-reply-0001")
    assert status == 200 and done["items"][0]["replies"][0]["state"] == "withdrawn"

    status, back = room.call("POST", "/api/thread/resume",
                             {"code": task.code, "person": dana["person"]})
    assert status == 200 and back["resumed"] and back["standing"]["posted"]
    status, gone = room.call("POST", "/api/thread/resume",
                             {"code": task.code, "person": "not-a-person"})
    assert status == 410 and "no longer there" in gone["message"]
    status, wrong = _join(room, "ZZZ999")
    assert status == 400 and "no thread with the code" in wrong["message"]


def test_the_clip_is_served_from_the_clips_folder_to_the_thread_s_people_only(room, task):
    _, dana = _join(room, task.code)
    query = f"/clip?code={task.code}&person={dana['person']}"
    with urllib.request.urlopen(room.base + query, timeout=10) as response:
        assert response.headers["Content-Type"] == "video/mp4"
        assert response.read() == VIDEO
    ranged = urllib.request.Request(room.base + query, headers={"Range": "bytes=4-11"})
    with urllib.request.urlopen(ranged, timeout=10) as response:
        assert response.status == 206 and response.read() == VIDEO[4:12]
    for path in (f"/clip?code={task.code}&person=someone-else", f"/clip?code={task.code}",
                 "/clip/wait-time.mp4", "/clip/../private.mp4", "/static/../../private.mp4"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(room.base + path, timeout=10)
        assert refused.value.code == 404, path


def test_no_route_hides_pins_exports_or_deletes(room, task, url):
    _, dana = _join(room, task.code, "Dana", named=True)
    _send(room, dana, action="reflection", id="dana-reflection-1", body={"stems": {"notice": "n"}})
    for action in ("hide", "pin", "export", "delete"):
        status, refused = _send(room, dana, action=action, post="dana-reflection-1")
        assert status == 400, action
    for path in ("/api/thread/export", "/api/thread/delete", "/api/thread/hide"):
        assert room.call("POST", path, {"code": task.code})[0] == 404
    request = urllib.request.Request(room.base + "/api/thread/join", method="POST",
                                     data=f"code={task.code}".encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 415
    assert ThreadStore(url).posts(task.code)[0].hidden_reason is None



def test_a_database_that_does_not_answer_is_said_plainly_and_nothing_is_taken(url, task):
    from tlkit.room.threads import UNREACHABLE, ThreadRoutes
    from tlkit.store import StoreUnavailable

    store = ThreadStore(url)
    person = store.join(task.code, "Dana", named=True)

    def down(*args, **kwargs):
        raise StoreUnavailable("the live-session database did not answer", "Try again.")

    routes = ThreadRoutes(store)
    store.post = down
    status, reply = routes.send({"code": task.code, "person": person.id, "action": "reply",
                                 "id": "reply-when-down", "parent": "x",
                                 "body": {"text": "kept"}})
    assert (status, reply) == (503, {"message": UNREACHABLE})
    store.person = down
    assert routes.thread(task.code, person.id)[0] == 503
    assert routes.clip_file(task.code, person.id) is None
    assert ThreadStore(url).posts(task.code) == []
