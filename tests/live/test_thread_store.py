"""Between-session reflection threads (tlkit.thread): opening a task, posting and replying,
editing and withdrawing one's own, the facilitator hiding and pinning, participation and
PD-hours credit, the CSV export and the digest, and deleting a cohort's thread; the same
journey on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import time

import pytest

from tlkit.live import JoinRefused, TooManyWrongCodes
from tlkit.live.store import JOIN_TRIES, LOG, WRONG_CODE_LIMIT
from tlkit.store.sql import transaction
from tlkit.thread import ThreadCredit, ThreadStore, credits
from tlkit.thread.rules import MAX_REPLY, ContributionRefused, TaskRefused, reflection_minutes
from tlkit.thread.store import PEOPLE, POSTS, TASKS, WRITES
from tlkit.thread.summary import digest_html, export_csv, participation, stems_used
from tlkit.thread.views import HIDDEN, WITHDRAWN, standing, thread_items

DAY = 24 * 3600


class Clock:
    def __init__(self):
        self.t = time.mktime((2026, 12, 7, 10, 0, 0, 0, 0, -1))      # a Monday morning

    def __call__(self):
        return self.t


@pytest.fixture
def sqlite_url(tmp_path):
    from tlkit.store import sql
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    yield url
    sql.dispose(url)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(sqlite_url, clock):
    return ThreadStore(sqlite_url, now=clock)


def _open(store, cohort="Spring 2027", **kw):
    kw.setdefault("due", "2026-12-10")
    kw.setdefault("clip", "episode:voting-age-discussion")
    return store.open_task(cohort, "Week 2: wait time", "Watch the clip; what do you see?", **kw)


def _reflect(store, person, post_id, **stems):
    return store.post(person, "reflection", {"stems": stems}, post_id=post_id)


def _reply(store, person, parent, text, post_id):
    return store.post(person, "reply", {"text": text}, post_id=post_id, parent=parent)


def test_a_task_takes_its_minutes_from_the_design_and_refuses_what_cannot_be_shown(store):
    task = _open(store)
    assert len(task.code) == 6 and task.minutes == reflection_minutes() == 30
    assert task.clip.kind == "episode" and task.protocol.stems[0].label == "I notice"
    with pytest.raises(TaskRefused, match="year-month-day"):
        _open(store, due="next Thursday")
    with pytest.raises(TaskRefused, match="no video 'missing.mp4' in the clips folder"):
        _open(store, clip="video:missing.mp4")
    with pytest.raises(TaskRefused, match="no video reflection"):
        _open(store, design_id="monthly-pair")
    with pytest.raises(TaskRefused, match="Name the cohort"):
        store.open_task("  ", "t", "p", due="2026-12-10")
    assert [t.code for t in store.tasks("Spring 2027")] == [task.code]


def test_a_video_clip_must_be_a_file_in_the_clips_folder(store, tmp_path, monkeypatch):
    monkeypatch.setenv("TLKIT_CLIPS_DIR", str(tmp_path / "clips"))
    (tmp_path / "clips").mkdir()
    (tmp_path / "clips" / "lesson.mp4").write_bytes(b"\0" * 64)
    (tmp_path / "secret.mp4").write_bytes(b"\0")
    assert _open(store, clip="video:lesson.mp4").clip.name == "lesson.mp4"
    with pytest.raises(TaskRefused):
        _open(store, clip="video:../secret.mp4")


def test_people_post_reply_edit_and_withdraw_their_own_and_a_retry_is_stored_once(store):
    task = _open(store)
    dana = store.join(task.code.lower(), "Dana", named=True)
    ravi = store.join(task.code, "Ravi")        # no consent: never named
    assert (dana.label, ravi.label) == ("Dana", "Participant 2")
    assert [p.name for p in store.people(task.code)] == ["Dana", ""]      # not even kept
    assert _reflect(store, dana, "d-reflection", notice="S1 waited six seconds.",
                    wonder="Who else spoke?")
    assert not _reflect(store, dana, "d-reflection", notice="again")     # the retry
    with pytest.raises(ContributionRefused, match="posted your reflection already"):
        _reflect(store, dana, "d-second-post", notice="a second one")
    with pytest.raises(ContributionRefused, match="empty"):
        _reflect(store, ravi, "r-empty-post", notice="   ")
    with pytest.raises(ContributionRefused, match=f"limit is {MAX_REPLY}"):
        _reply(store, ravi, "d-reflection", "x" * (MAX_REPLY + 1), "r-long-post")
    assert _reply(store, ravi, "d-reflection", "=HYPERLINK(\"http://x\") I saw it too",
                  "r-reply-post")
    with pytest.raises(ContributionRefused, match="no longer there"):
        _reply(store, ravi, "no-such-post", "hello", "r-orphan-post")
    with pytest.raises(ContributionRefused, match="only your own"):
        store.edit(ravi, "d-reflection", {"stems": {"notice": "taken over"}})
    store.edit(dana, "d-reflection", {"stems": {"notice": "S1 waited six seconds, then S3."}})
    items = thread_items(task, store.posts(task.code), ravi)
    assert items[0]["stems"][0]["text"] == "S1 waited six seconds, then S3."
    assert items[0]["edited"] and items[0]["author"] == "Dana" and not items[0]["mine"]
    assert items[0]["replies"][0]["author"] == "Participant 2" and items[0]["replies"][0]["mine"]
    assert standing(task, store.posts(task.code), ravi) == {
        "posted": False, "reflection": None, "replies": 1, "replies_needed": 1}

    store.withdraw(ravi, "r-reply-post")
    reply = thread_items(task, store.posts(task.code), dana)[0]["replies"][0]
    assert reply["state"] == "withdrawn" and reply["text"] == "" and reply["note"] == WITHDRAWN
    # Withdrawn words are gone from the database, not only from the page.
    assert "HYPERLINK" not in str([p.body for p in store.posts(task.code)])


def test_the_facilitator_hides_with_a_reason_only_the_author_sees_and_pins_one(store):
    task = _open(store)
    dana, ravi, mei = (store.join(task.code, n, named=True) for n in ("Dana", "Ravi", "Mei"))
    _reflect(store, dana, "d-1-post", notice="Dana's notice")
    _reflect(store, ravi, "r-1-post", notice="Ravi names a student")
    _reflect(store, mei, "m-1-post", try_="ignored", wonder="Mei wonders")
    store.hide(task.code, "r-1-post", "It names a student; please rewrite it without the name.")
    store.pin(task.code, "m-1-post")
    seen_by_dana = thread_items(task, store.posts(task.code), dana)
    # Pinned first, then oldest first.
    assert [i["id"] for i in seen_by_dana] == ["m-1-post", "d-1-post", "r-1-post"]
    hidden = seen_by_dana[2]
    assert hidden["stems"] == [] and hidden["note"] == HIDDEN and hidden["reason"] == ""
    own = next(i for i in thread_items(task, store.posts(task.code), ravi) if i["id"] == "r-1-post")
    assert own["stems"][0]["text"] == "Ravi names a student"
    assert own["reason"].startswith("It names a student")
    with pytest.raises(ValueError, match="Say why"):
        store.hide(task.code, "d-1-post", " ")
    store.show(task.code, "r-1-post")
    assert thread_items(task, store.posts(task.code), dana)[2]["state"] == "shown"


def test_participation_credit_and_stems_used(store, clock):
    task = _open(store, replies_required=1)
    other = _open(store, cohort="Autumn 2026")
    dana, ravi, sam = (store.join(task.code, n, named=True) for n in ("Dana", "Ravi", "Sam"))
    lab = store.join(task.code, learner_id="lee01")
    assert store.join(task.code, "Lee", named=True, learner_id="lee01").id == lab.id
    store.join(other.code, "Elsewhere")
    _reflect(store, dana, "d-1-post", notice="n", wonder="w")
    _reply(store, dana, "d-1-post", "my own reflection does not count", "d-self-post")
    clock.t += 5 * DAY                                           # after the due date
    _reflect(store, ravi, "r-1-post", notice="n", **{"try": "t"})
    _reply(store, ravi, "d-1-post", "late but counted", "r-reply-post")
    _reply(store, dana, "r-1-post", "thanks", "d-reply-post")
    _reflect(store, sam, "s-1-post", notice="posted, never replied")
    _reflect(store, lab, "l-1-post", notice="from the lab")
    _reply(store, lab, "s-1-post", "reply from the lab", "l-reply-post")
    rows = {r.person.label: r for r in participation(task, store.people(task.code),
                                                      store.posts(task.code))}
    assert rows["Dana"].replies == 1 and not rows["Dana"].late and rows["Dana"].done
    assert rows["Ravi"].late and rows["Ravi"].done
    assert rows["Sam"].posted and not rows["Sam"].done
    assert dict(stems_used(task, store.posts(task.code))) == {
        "I notice (I notice that …)": 4, "I wonder (I wonder …)": 1,
        "I will try (In my classroom I will try …)": 1}

    given = credits("Spring 2027", store=store)
    assert all(isinstance(c, ThreadCredit) for c in given)
    by_name = {c.name: c for c in given}
    assert set(by_name) == {"Dana", "Ravi", "Sam", "Lee"}
    assert (by_name["Dana"].minutes, by_name["Ravi"].minutes, by_name["Sam"].minutes) == (30, 30, 0)
    assert by_name["Lee"].learner_id == "lee01" and by_name["Lee"].minutes == 30
    assert by_name["Dana"].learner_id is None and by_name["Dana"].due == "2026-12-10"
    assert (by_name["Sam"].posted, by_name["Sam"].replies, by_name["Sam"].replies_required) == (
        True, 0, 1)
    assert len(credits(store=store)) == 5              # both cohorts
    # Withdrawing the reflection takes the credit back.
    store.withdraw(sam, "s-1-post")
    store.withdraw(dana, "d-1-post")
    assert {c.name: c.minutes for c in credits("Spring 2027", store=store)}["Dana"] == 0


def test_export_is_formula_safe_and_the_digest_escapes_and_leaves_out_hidden_posts(store):
    task = _open(store)
    dana, ravi = store.join(task.code, "Dana", named=True), store.join(task.code, "Ravi")
    _reflect(store, dana, "d-1-post", notice="=1+1 <script>alert(1)</script>", wonder="-2 cells")
    _reflect(store, ravi, "r-1-post", notice="something to hide")
    _reply(store, ravi, "d-1-post", "@SUM(A1) reply", "r-2-post")
    store.hide(task.code, "r-1-post", "Off topic")
    rows = list(csv.DictReader(io.StringIO(export_csv(task, store.posts(task.code)))))
    assert [(r["post"], r["part"]) for r in rows] == [
        ("d-1-post", "I notice"), ("d-1-post", "I wonder"), ("r-1-post", "I notice"),
        ("r-2-post", "reply")]
    assert rows[0]["text"].startswith("'=1+1") and rows[1]["text"] == "'-2 cells"
    assert rows[3]["text"] == "'@SUM(A1) reply" and rows[3]["reply_to"] == "d-1-post"
    assert rows[2]["state"] == "hidden" and rows[2]["hidden_reason"] == "Off topic"
    assert rows[2]["author"] == "Participant 2"          # no consent, no name

    page = digest_html(task, store.people(task.code), store.posts(task.code))
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "something to hide" not in page and "Ravi" not in page
    # The digest is shared with the cohort: counts of fewer than 10 people are hidden, here
    # all of them; with a threshold of 2, a hidden post still counts as taking part.
    assert "<td>&lt;10</td>" in page and "<td>2</td>" not in page
    page = digest_html(task, store.people(task.code), store.posts(task.code), threshold=2)
    assert "<td>2</td>" in page


def test_a_long_thread_s_digest_stops_at_its_budget(store):
    task = _open(store)
    for n in range(40):
        person = store.join(task.code, f"P{n}", named=True)
        _reflect(store, person, f"post-{n:03d}", notice="word " * 200, wonder="why " * 100)
    page = digest_html(task, store.people(task.code), store.posts(task.code))
    assert "more reflections: the export holds every post" in page
    assert page.count('class="reflection"') < 12


def test_deleting_a_cohort_s_thread_removes_everything_written_in_it(store):
    task, other = _open(store), _open(store, cohort="Autumn 2026")
    for code in (task.code, other.code):
        person = store.join(code, "Dana", named=True)
        _reflect(store, person, f"post-{code}", notice="n")
    assert store.delete_cohort("Spring 2027") == 1
    assert store.task(task.code) is None and store.task(other.code) is not None
    with transaction(store.engine) as connection:
        for table in (TASKS, PEOPLE, POSTS, WRITES):
            assert connection.execute(table.select().where(
                table.c.code == task.code)).first() is None, table.name
    with pytest.raises(JoinRefused):
        store.person(task.code, store.people(other.code)[0].id)


def test_wrong_thread_codes_count_toward_the_live_sessions_lock_out(store):
    with transaction(store.engine) as connection:
        connection.execute(JOIN_TRIES.delete())
        connection.execute(LOG.delete())
    for _ in range(WRONG_CODE_LIMIT):
        with pytest.raises(JoinRefused, match="no thread with the code"):
            store.join("ZZZZZZ", page="one-page")
    task = _open(store)
    with pytest.raises(TooManyWrongCodes):
        store.join(task.code, page="one-page")           # even the right code, for a while
    assert store.join(task.code, page="another-page").number == 1


def test_the_same_journey_on_postgresql_and_sqlite(db_url):
    store = ThreadStore(db_url)
    task = _open(store, cohort=f"Journey {time.time()}", replies_required=1)
    a, b = store.join(task.code, "A", named=True), store.join(task.code, learner_id="lab-b")
    _reflect(store, a, f"{task.code}-a", notice="from the room")
    _reflect(store, b, f"{task.code}-b", wonder="from the lab")
    assert not _reflect(store, b, f"{task.code}-b", wonder="retried")
    _reply(store, a, f"{task.code}-b", "reply", f"{task.code}-ra")
    store.hide(task.code, f"{task.code}-a", "Rewrite it")
    store.pin(task.code, f"{task.code}-b")
    given = {c.name: c.minutes for c in credits(task.cohort, store=store)}
    assert given == {"A": 30, "lab-b": 0}
    assert [i["id"] for i in thread_items(task, store.posts(task.code), b)] == [
        f"{task.code}-b", f"{task.code}-a"]
    store.delete_cohort(task.cohort)
    assert credits(task.cohort, store=store) == []
