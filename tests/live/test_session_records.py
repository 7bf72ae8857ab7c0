"""What a live session leaves for the hours ledger when it ends: joins, exit ratings and the
teach-backs scored, kept after the session is deleted; nothing of a session never ended."""

from __future__ import annotations

from tlkit.live import LiveStore
from tlkit.live.store import new_contribution_id
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.practice.teachback import EPISODE_ID, LABEL_PREFIX

RUBRIC = load_rubric(load_episode(EPISODE_ID).rubric_id)


class Clock:
    def __init__(self, t: float = 2_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_an_ended_session_keeps_its_record_after_deletion(db_url):
    clock = Clock()
    live = LiveStore(db_url, now=clock)
    host = live.open_session("tuning", [5, 10, 5], title="Tuning protocol")
    ana = live.join(host.code, "Ana Pérez")
    clock.t += 20 * 60
    ben = live.join(host.code, "Ben Li", attributed=True)
    anon = live.join(host.code)
    send = lambda who, kind, body: live.contribute(who, kind, body,
                                                   contribution_id=new_contribution_id(),
                                                   rubric=RUBRIC)
    send(ana, "exit", {"useful": 2, "try": ""})
    send(ana, "exit", {"useful": 5, "try": "Start with norms"})     # her answer: the last one
    send(ben, "exit", {"useful": 3, "try": "=cmd"})
    send(anon, "scores", {"episode": f"{LABEL_PREFIX}Ana Pérez",
                          "scores": {RUBRIC.look_for_ids[0]: 3}})
    never_ended = live.open_session("tuning", [5], title="Left open")
    live.join(never_ended.code, "Cy")
    clock.t += 100 * 60
    live.end(host.code, host.token, module="protocols")
    live.delete(host.code, host.token)
    assert live.state(host.code) is None
    # The layer's PostgreSQL database is shared with other tests: this session's record only.
    [record] = [r for r in live.session_records() if r.code == host.code]
    assert record.code == host.code and record.module == "protocols"
    assert record.ended_at - record.opened_at == 120 * 60
    assert [name for name, _ in record.joins] == ["Ana Pérez", "Ben Li", ""]
    assert record.joins[1][1] - record.opened_at == 20 * 60
    assert sorted(record.exits) == [(3, True), (5, True)]
    assert record.taught == ("Ana Pérez",)
    # Ending again (a second click) rewrites the record, never doubles it.
    other = live.open_session("tuning", [5])
    live.end(other.code, other.token)
    live.end(other.code, other.token)
    assert [r.code for r in live.session_records()].count(other.code) == 1
    assert never_ended.code not in {r.code for r in live.session_records()}
