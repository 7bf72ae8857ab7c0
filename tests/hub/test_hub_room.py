"""On a hub, the live sessions' participant page is a hub service (/services/live/), as
deploy/tljh/tlkit.py sets it up: people join from their own devices with no hub account,
while everyone's servers still need a sign-in."""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request

from hub_process import LEARNERS, ROOT

from tlkit.live import LiveStore
from tlkit.live.store import new_contribution_id

sys.path.insert(0, str(ROOT / "tests" / "live"))
from room_server import Client  # noqa: E402


def test_people_without_an_account_join_through_the_hub_service(hub):
    live = LiveStore(hub.live_db)
    session = live.open_session("tuning", [5, 5, 5, 5, 5, 5, 5])
    room = Client(hub.url + "/services/live/")
    deadline = time.monotonic() + 60
    while (status := room.call("GET", "/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)     # the hub starts its services as it starts
    assert status == 200
    status, joined = room.join(session.code)        # no cookie, no token: no hub account
    assert status == 200, joined
    status, reply = room.send(joined["code"], joined["participant"], "question",
                              {"text": "From my phone"}, new_contribution_id())
    assert status == 200, reply
    assert [c.body["text"] for c in live.contributions(session.code, session.token)] == [
        "From my phone"]
    # The hub's own pages and people's servers still ask for a sign-in.
    for path in ("/hub/home", f"/user/{LEARNERS[0]}/lab"):
        try:
            with urllib.request.urlopen(hub.url + path, timeout=30) as response:
                assert "/hub/login" in response.url, path
        except urllib.error.HTTPError as refused:
            assert refused.code in (403, 404, 401), path


def test_the_reflection_thread_is_reached_through_the_same_hub_service(hub):
    from tlkit.thread import ThreadStore, credits

    threads = ThreadStore(hub.live_db)
    task = threads.open_task("Hub cohort", "Week 2: wait time", "What do you notice?",
                             due="2026-12-10", clip="episode:voting-age-discussion",
                             replies_required=0)
    room = Client(hub.url + "/services/live/")
    deadline = time.monotonic() + 60
    while (status := room.call("GET", "/thread/")[0]) != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert status == 200
    status, joined = room.call("POST", "/api/thread/join",
                               {"code": task.code, "name": "Ana", "named": True})
    assert status == 200, joined
    assert joined["task"]["clip"]["episode"]["title"].startswith("Grade 9 civics")
    status, reply = room.call("POST", "/api/thread/send", {
        "code": joined["code"], "person": joined["person"], "action": "reflection",
        "id": new_contribution_id(), "body": {"stems": {"notice": "From my phone"}}})
    assert status == 200, reply
    # The lab writes to the same thread, under the hub user's name.
    learner = threads.join(task.code, learner_id=LEARNERS[0])
    threads.post(learner, "reflection", {"stems": {"wonder": "From the lab"}},
                 post_id=new_contribution_id())
    assert {c.name: c.minutes for c in credits("Hub cohort", store=threads)} == {
        "Ana": 30, LEARNERS[0]: 30}
    threads.delete_cohort("Hub cohort")
