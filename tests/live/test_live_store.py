"""The live sessions' store on SQLite and PostgreSQL: codes, the facilitator's token,
contributions stored once, limits, concurrent writers, export and deletion."""

from __future__ import annotations

import threading

import pytest
from sql_store import RECORDS, SqlStore

from tlkit.live import ContributionRefused, JoinRefused, LiveStore, NotAllowed, figures
from tlkit.live.contributions import MAX_TEXT
from tlkit.live import store as live_store_module
from tlkit.live.store import (CONTRIBUTIONS, JOIN_TRIES, RATE_LIMIT, SESSION_HOURS,
                              WRONG_CODE_GLOBAL_WINDOW, WRONG_CODE_LIMIT, WRONG_CODE_WAIT,
                              TooManyWrongCodes, new_contribution_id, new_page_key)
from tlkit.practice.observation import load_episode, load_rubric
from tlkit.store import CalibrationRecord, RecordSetAside
from tlkit.store.sql import transaction

EPISODE = load_episode("voting-age-discussion")
RUBRIC = load_rubric(EPISODE.rubric_id)


class Clock:
    def __init__(self, t: float = 1_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def _session(url, clock=None):
    store = LiveStore(url, now=clock or Clock())
    return store, store.open_session("tuning", [5, 10, 5], episode_id=EPISODE.id)


def test_codes_refuse_wrong_ended_and_expired_with_a_sentence(db_url):
    clock = Clock()
    store, host = _session(db_url, clock)
    assert len(host.code) == 6 and host.token != host.code
    with pytest.raises(JoinRefused, match="no session with the code"):
        store.join("NOPE99")
    with pytest.raises(JoinRefused, match="Type the join code"):
        store.join("  ")
    joined = store.join(f" {host.code.lower()[:3]}-{host.code.lower()[3:]} ", "Ana")
    assert joined.number == 1 and joined.code == host.code
    clock.t += SESSION_HOURS * 3600 + 1
    with pytest.raises(JoinRefused, match="expired"):
        store.join(host.code)
    store2, other = _session(db_url)
    store2.end(other.code, other.token)
    with pytest.raises(JoinRefused, match="has ended"):
        store2.join(other.code)


def test_only_the_token_holder_moves_the_clock_and_refusals_are_logged(db_url):
    store, host = _session(db_url)
    for token in (None, "", "guess", host.code):
        with pytest.raises(NotAllowed, match="Only the facilitator can press Next"):
            store.control(host.code, token, "next")
    with pytest.raises(NotAllowed):
        store.end(host.code, "guess")
    with pytest.raises(NotAllowed):
        store.delete(host.code, "guess")
    with pytest.raises(NotAllowed):
        store.contributions(host.code, "guess")
    assert store.state(host.code).clock.step_index == 0
    assert store.state(host.code).ended is False
    log = store.log(host.code, host.token)
    assert len(log) == 7 and all(event.startswith("refused:") for _, event in log)
    revision = store.revision(host.code)
    assert store.control(host.code, host.token, "next").clock.step_index == 1
    assert store.revision(host.code) == revision + 1
    with pytest.raises(ValueError):
        store.control(host.code, host.token, "DROP TABLE")


def test_a_contribution_sent_twice_is_stored_once(db_url):
    store, host = _session(db_url)
    person = store.join(host.code)
    cid = new_contribution_id()
    assert store.contribute(person, "question", {"text": "Why?"}, contribution_id=cid) is True
    assert store.contribute(person, "question", {"text": "Why?"}, contribution_id=cid) is False
    # The same id from many threads at once (retries racing): still one row.
    other = new_contribution_id()
    results = []
    threads = [threading.Thread(target=lambda: results.append(store.contribute(
        person, "question", {"text": "Again"}, contribution_id=other))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(True) == 1
    assert [c.body["text"] for c in store.contributions(host.code, host.token)] == ["Why?", "Again"]


def test_bad_input_gets_a_sentence_and_text_stays_text(db_url):
    store, host = _session(db_url)
    person = store.join(host.code, "  <b>Ana</b>\x00  ")
    assert person.name == "<b>Ana</b>"
    send = lambda kind, body: store.contribute(person, kind, body,  # noqa: E731
                                               contribution_id=new_contribution_id(),
                                               rubric=RUBRIC)
    with pytest.raises(ContributionRefused, match="limit is 500"):
        send("question", {"text": "x" * (MAX_TEXT + 1)})
    with pytest.raises(ContributionRefused, match="empty"):
        send("feedback", {"tone": "warm", "text": "   "})
    with pytest.raises(ContributionRefused, match="warm or cool"):
        send("feedback", {"tone": "hot", "text": "ok"})
    with pytest.raises(ContributionRefused, match="from 1 to 4"):
        send("scores", {"scores": {RUBRIC.look_for_ids[0]: 9}})
    with pytest.raises(ContributionRefused, match="not a look-for"):
        send("scores", {"scores": {"'; DROP TABLE x; --": 1}})
    with pytest.raises(ContributionRefused, match="not something"):
        send("code", {"text": "import os"})
    assert send("question", {"text": "'); DROP TABLE tlkit_live_sessions; --"})
    assert store.state(host.code) is not None        # parameters, never SQL text
    [item] = store.contributions(host.code, host.token)
    assert item.body["text"] == "'); DROP TABLE tlkit_live_sessions; --"


def test_each_participant_is_rate_limited(db_url):
    store, host = _session(db_url)
    person, other = store.join(host.code), store.join(host.code)
    for n in range(RATE_LIMIT):
        store.contribute(person, "question", {"text": f"q{n}"},
                         contribution_id=new_contribution_id())
    with pytest.raises(ContributionRefused, match="faster than the session accepts"):
        store.contribute(person, "question", {"text": "one more"},
                         contribution_id=new_contribution_id())
    assert store.contribute(other, "question", {"text": "mine"},
                            contribution_id=new_contribution_id())
    store.now.t += 11
    assert store.contribute(person, "question", {"text": "later"},
                            contribution_id=new_contribution_id())


def _wrong(n: int) -> str:
    return f"WR{n:04d}"     # holds a 0, which join codes never do: it can never open a session


@pytest.fixture
def no_join_tries(db_url):
    """Wrong tries are counted across the whole database (PostgreSQL's is shared by the
    tests): start and end with none."""
    def clear():
        with transaction(LiveStore(db_url).engine) as connection:
            connection.execute(JOIN_TRIES.delete())
    clear()
    yield db_url
    clear()


def test_wrong_codes_lock_one_page_out_for_a_while_and_not_the_others(no_join_tries):
    clock = Clock(2_000_000.0)
    store, host = _session(no_join_tries, clock)
    mine, other = new_page_key(), new_page_key()
    for n in range(WRONG_CODE_LIMIT):
        clock.t += 1
        with pytest.raises(JoinRefused, match="no session with the code"):
            store.join(_wrong(n), page=mine)
    # Locked: neither the right code nor another wrong one is looked up.
    for code in (host.code, _wrong(99)):
        with pytest.raises(TooManyWrongCodes) as refused:
            store.join(code, "Ana", page=mine)
        assert str(refused.value) == ("Too many wrong codes from this page; wait 30 seconds "
                                      "and try again.")
    assert store.participants(host.code) == 0
    # Another page in the room still joins, and its own wrong code is only a wrong code.
    assert store.join(host.code, page=other).number == 1
    with pytest.raises(JoinRefused, match="no session with the code"):
        store.join(_wrong(7), page=other)
    # The refusals are logged, once for the lock-out.
    log = store.server_log(since=2_000_000.0)
    assert len(log) == 1 and log[0][1].startswith("refused: join from page")
    assert mine[:8] in log[0][1] and host.code not in log[0][1]
    # After the wait the right code works.
    clock.t += WRONG_CODE_WAIT
    assert store.join(host.code, "Ana", page=mine).number == 2


def test_wrong_codes_from_every_page_together_are_limited(no_join_tries, monkeypatch):
    monkeypatch.setattr(live_store_module, "WRONG_CODE_GLOBAL", 3 * WRONG_CODE_LIMIT)
    clock = Clock(3_000_000.0)
    store, host = _session(no_join_tries, clock)
    for page in range(3):   # a script making new page keys gets no further
        key = new_page_key()
        for n in range(WRONG_CODE_LIMIT):
            with pytest.raises(JoinRefused, match="no session"):
                store.join(_wrong(n), page=key)
    with pytest.raises(TooManyWrongCodes, match="on this server in the last minute"):
        store.join(host.code, page=new_page_key())
    with pytest.raises(TooManyWrongCodes):
        store.join(host.code)           # a caller that names no page
    assert [event for _, event in store.server_log(since=3_000_000.0)] == [
        f"refused: joins from every page after {3 * WRONG_CODE_LIMIT} wrong codes in 60 "
        "seconds"]
    clock.t += WRONG_CODE_GLOBAL_WINDOW + 1
    assert store.join(host.code, page=new_page_key()).number == 1


def test_concurrent_participants_lose_nothing(db_url):
    store, host = _session(db_url)
    people = [store.join(host.code, f"P{n}") for n in range(8)]
    errors = []

    def run(person):
        try:
            for n in range(15):
                store.contribute(person, "question", {"text": f"{person.name}-{n}"},
                                 contribution_id=new_contribution_id())
        except Exception as err:  # noqa: BLE001 - the test reports any
            errors.append(err)

    threads = [threading.Thread(target=run, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    texts = [c.body["text"] for c in store.contributions(host.code, host.token)]
    assert sorted(texts) == sorted(f"P{p}-{n}" for p in range(8) for n in range(15))
    assert sorted({p.number for p in people}) == list(range(1, 9))


def test_figures_export_and_delete(db_url):
    store, host = _session(db_url)
    people = [store.join(host.code, f"T{n}", attributed=n == 0) for n in range(12)]
    for n, person in enumerate(people):
        store.contribute(person, "exit", {"useful": 4 if n < 10 else 2, "try": f"=HYPERLINK({n})"},
                         contribution_id=new_contribution_id())
    for n, person in enumerate(people[:3]):
        store.contribute(person, "scores", {"episode": EPISODE.id, "scores": {
            lf: (n + i) % 4 + 1 for i, lf in enumerate(RUBRIC.look_for_ids)}},
            contribution_id=new_contribution_id(), rubric=RUBRIC)
    items = store.contributions(host.code, host.token)
    results = figures.exit_results(items)
    row = results.table.iloc[0]
    assert results.responses == 12
    # The two 2s are hidden, and the 10 beside them too, else 12 - 10 would give them away.
    assert row["2 A little useful"] == "<10" and row["4 Very useful"] == "—"
    assert row["Total"] == 12 and row["1 Not useful"] == 0
    agreement = figures.group_agreement(items, RUBRIC, EPISODE.id)
    assert agreement.observers == 3 and "3 pairs" in agreement.lines[1]
    exported = figures.export_csv(items)
    assert "'=HYPERLINK(0)" in exported and ",=HYPERLINK" not in exported
    assert "T0 (participant 1)" in exported and "T1" not in exported   # named only if agreed
    summary = figures.summary_text(store.state(host.code), items, 12, RUBRIC)
    assert "Participants who joined: 12" in summary and "3 observers" in summary
    store.delete(host.code, host.token)
    assert store.state(host.code) is None
    with transaction(store.engine) as connection:
        left = connection.execute(CONTRIBUTIONS.select()
                                  .where(CONTRIBUTIONS.c.code == host.code)).all()
    assert left == []


def test_sql_store_keeps_records_and_sets_aside_what_it_cannot_read(db_url):
    store = SqlStore(db_url)
    store.check()
    assert store.get("calibration-x", CalibrationRecord) is None
    store.put("calibration-x", CalibrationRecord([("Ana", {"a": 2})]))
    first = store.revision("calibration-x")
    done = store.update("calibration-x", CalibrationRecord,
                        lambda r: CalibrationRecord(r.observers + [("Ben", {"a": 3})]))
    assert [name for name, _ in done.record.observers] == ["Ana", "Ben"]
    assert store.revision("calibration-x") != first
    with transaction(store.engine) as connection:
        connection.execute(RECORDS.update().where(RECORDS.c.key == "calibration-x")
                           .values(body="{not json"))
    with pytest.raises(RecordSetAside, match="tlkit_records"):
        store.get("calibration-x", CalibrationRecord)
    assert store.get("calibration-x", CalibrationRecord) is None   # kept aside, not deleted
    with transaction(store.engine) as connection:
        kept = connection.execute(RECORDS.select().where(RECORDS.c.body == "{not json")).all()
    assert len(kept) == 1


def test_a_kept_participant_id_picks_up_the_same_participant_while_the_session_is_open(db_url):
    clock = Clock()
    store, host = _session(db_url, clock)
    ana = store.join(host.code, "Ana")
    store.join(host.code, "Ben")
    again = store.participant(host.code.lower(), ana.id)     # typed codes are normalised
    assert again == ana and store.participants(host.code) == 2   # no one is added
    assert store.contribute(again, "question", {"text": "still me"},
                            contribution_id=new_contribution_id())
    [item] = store.contributions(host.code, host.token)
    assert item.participant == 1
    # A wrong id, another session's participant, or no id: one sentence that tells nothing
    # about the session, and nothing counted against the page's wrong codes.
    _, other = _session(db_url, clock)
    stranger = store.join(other.code)

    def tries() -> int:
        with transaction(store.engine) as connection:
            return len(connection.execute(JOIN_TRIES.select()).all())

    before = tries()
    for code, pid in ((host.code, "f" * 32), (host.code, stranger.id), (host.code, ""),
                      (host.code, None), ("NOPE99", ana.id), ("", ana.id)):
        with pytest.raises(JoinRefused, match="is no longer there"):
            store.participant(code, pid)
    assert tries() == before
    store.end(other.code, other.token)
    with pytest.raises(JoinRefused, match="is no longer there"):      # ended, but not theirs
        store.participant(other.code, ana.id)
    with pytest.raises(JoinRefused, match=f"The session {other.code} you joined earlier has "
                                          "ended"):
        store.participant(other.code, stranger.id)
    clock.t += SESSION_HOURS * 3600 + 1
    with pytest.raises(JoinRefused, match="has expired"):
        store.participant(host.code, ana.id)
    clock.t -= SESSION_HOURS * 3600 + 1
    store.delete(host.code, host.token)
    with pytest.raises(JoinRefused, match="is no longer there"):
        store.participant(host.code, ana.id)
