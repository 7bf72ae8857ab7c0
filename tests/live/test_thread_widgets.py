"""The facilitator's thread page (ThreadHost) and the learner's panel (ReflectionThread), driven
in the kernel over one SQLite database: open a task, a learner posts, edits, replies and
withdraws from the lab, the facilitator follows, hides with a reason the learner sees, pins,
exports and deletes; a dropped database keeps the learner's words and the same post id."""

from __future__ import annotations

import base64
import re

import pytest

from tlkit.store import StoreUnavailable
from tlkit.thread import ThreadStore, credits
from tlkit.widgets import ReflectionThread, ThreadHost


@pytest.fixture
def store(tmp_path):
    from tlkit.store import sql
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    yield ThreadStore(url)
    sql.dispose(url)


def _download(html_text: str, css_class: str) -> str:
    href = re.search(rf"class='{css_class}'[^>]*href='data:[^;]+;charset=utf-8;base64,([^']+)'",
                     html_text)
    return base64.b64decode(href.group(1)).decode()


def _fill(host: ThreadHost, cohort: str = "Spring 2027", due: str = "2026-12-10") -> None:
    host.cohort.value = cohort
    host.title.value = "Week 2: wait time"
    host.prompt.value = "What do you notice about wait time?"
    host.clip.value = "episode:voting-age-discussion"
    host.due.value = due
    host.replies.value = 1


def _open(host: ThreadHost, **fields) -> None:
    _fill(host, **fields)
    assert host.open_task(), host.message.value


def test_a_learner_writes_from_the_lab_and_the_facilitator_follows_hides_and_deletes(store):
    host = ThreadHost(store=store)
    _fill(host, due="someday")
    assert not host.open_task() and "year-month-day" in host.message.value
    _open(host)
    code = host.task_choice.value
    assert code in host.address.value and "30 PD minutes" in host.address.value

    peer = store.join(code, "Dana", named=True)
    store.post(peer, "reflection", {"stems": {"notice": "S4 reads the sentence aloud."}},
               post_id="dana-reflection")
    lab = ReflectionThread(store=store, learner_id="lee01")
    lab.code.value = "nope"
    assert not lab.join() and "no thread with the code" in lab.message.value
    lab.code.value = code.lower()
    assert lab.join(), lab.message.value
    assert "Grade 9 civics" in lab.heading.value          # the written episode in place of video
    assert [box.description for box in lab.stems.values()] == ["I notice", "I wonder",
                                                              "I will try"]
    lab.stems["notice"].value = "<b>S1</b> spoke first"
    assert lab.post_reflection() and "Posted" in lab.message.value
    assert "&lt;b&gt;S1&lt;/b&gt;" in lab.thread.value and "<b>S1</b>" not in lab.thread.value
    lab.stems["wonder"].value = "Why did S5 pass?"
    assert lab.post_reflection() and "changes are saved" in lab.message.value
    assert lab.reply_to.options == (("Dana's reflection", "dana-reflection"),)
    lab.reply.value = "=CMD() I noticed that too"
    assert lab.send_reply() and lab.reply.value == ""
    assert {c.name: c.minutes for c in credits("Spring 2027", store=store)} == {
        "Dana": 0, "lee01": 30}

    host.refresh()
    assert "lee01" in host.people.value and "follow up" in host.people.value
    assert "Still to post or reply: Dana" in host.people.value
    mine = next(v for label, v in host.post_choice.options
                if label.startswith("Participant 2: reflection"))
    host.post_choice.value = mine
    assert not host.hide() and "Say why" in host.message.value
    host.reason.value = "Please leave out the student's initials."
    assert host.hide(), host.message.value
    lab.refresh()
    assert "The facilitator's reason: Please leave out the student&#x27;s" in lab.thread.value
    host.post_choice.value = "dana-reflection"
    assert host.pin()
    assert [i for i in lab.reply_to.options] and "pinned" in host.thread.value

    assert host.export()
    rows = _download(host.downloads.value, "tlkit-thread-csv")
    assert "'=CMD() I noticed that too" in rows and "\n=" not in rows
    digest = _download(host.downloads.value, "tlkit-thread-digest")
    assert "S4 reads the sentence aloud." in digest and "spoke first" not in digest   # hidden

    lab.mine.value = next(v for label, v in lab.mine.options if label.startswith("My reply"))
    assert lab.withdraw()
    assert not host.delete() and "Tick the box" in host.message.value
    host.confirm.value = True
    assert host.delete() and store.task(code) is None and host.task_choice.options == ()


def test_a_dropped_database_keeps_the_learner_s_words_and_their_post_id(store, monkeypatch):
    host = ThreadHost(store=store)
    _open(host)
    lab = ReflectionThread(host.task_choice.value, store=store, learner_id="lee01")
    assert lab.join()
    lab.stems["try"].value = "Wait five seconds after each question."
    real = store.post
    tries = []

    def dropped(*args, **kw):
        tries.append(kw["post_id"])
        if len(tries) == 1:
            raise StoreUnavailable("the live-session database did not answer", "Try again.")
        return real(*args, **kw)

    monkeypatch.setattr(store, "post", dropped)
    assert not lab.post_reflection() and "kept here" in lab.message.value
    assert lab.stems["try"].value == "Wait five seconds after each question."
    assert lab.post_reflection()
    assert tries[0] == tries[1] and len(store.posts(lab.task.code)) == 1


def test_the_facilitator_deletes_a_cohort_s_whole_thread(store):
    host = ThreadHost(store=store)
    _open(host)
    _open(host)
    _open(host, cohort="Autumn 2026")
    host.cohort.value = "Spring 2027"
    host.refresh_button.click()         # the list follows the cohort typed
    assert len(host.task_choice.options) == 2
    assert all("Spring 2027" in label for label, _ in host.task_choice.options)
    host.confirm.value = True
    assert host.delete_cohort() and "2 tasks" in host.message.value
    assert [t.cohort for t in store.tasks()] == ["Autumn 2026"]
