"""A between-session reflection thread in headless Chromium: the facilitator opens a task on the
between-sessions page (Voila, 127.0.0.1) with a video from the clips folder; three
participants, one at phone width, post and reply on the participant app's thread page (the
room's address) and one learner writes from the thread panel of the designing-learning module
in their own JupyterLab, over the same database; a dropped connection loses nothing; the facilitator hides a post (its author
sees the reason), exports (formula-safe CSV) and prints the digest (at most two pages), then
deletes the task. axe-core finds nothing critical or serious on the thread page or the
facilitator's page."""

from __future__ import annotations

import base64
import csv
import getpass
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_check import describe, findings, not_allowed, run_axe
from playwright.sync_api import expect
from support import free_port
from lab_pages import private_env, run_cell, running_lab
from voila_pages import ROOT, RecordedPage, running_voila

from tlkit.room.network import room_url
from tlkit.serve import servers as serve

pytestmark = pytest.mark.live

PHONE = {"width": 390, "height": 844}
XSS = "<img src=x onerror=window.hacked=1>plain words"
VIDEO = b"\x00\x00\x00\x18ftypmp42" + bytes(512)
TOKEN = "tlkit-thread-lab-test"
MODULE = Path("designing-learning") / "designing-learning.ipynb"


@pytest.fixture(scope="module")
def room(tmp_path_factory, chromium_path):
    """Voila on 127.0.0.1 told the room's address and the clips folder, and the participant
    app on 127.0.0.1, over the same database."""
    sys.path.insert(0, str(ROOT / "tests" / "live"))
    from room_server import room_process

    tmp = tmp_path_factory.mktemp("thread")
    clips = tmp / "clips"
    clips.mkdir()
    (clips / "wait-time.mp4").write_bytes(VIDEO)
    port = free_port()
    url = room_url("127.0.0.1", port)
    saved = {name: os.environ.get(name) for name in ("TLKIT_ROOM_URL", "TLKIT_CLIPS_DIR")}
    os.environ.update(TLKIT_ROOM_URL=url, TLKIT_CLIPS_DIR=str(clips))
    try:
        with running_voila(ROOT / "facilitator", tmp, show_tracebacks=True,
                           preheat=False) as voila:
            voila.state.mkdir(parents=True, exist_ok=True)
            db = f"sqlite:///{voila.state / 'live.sqlite3'}"
            with room_process(db, "127.0.0.1", port, str(voila.state)):
                yield voila, url, db
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def lab(room, tmp_path_factory):
    """The learner's JupyterLab as `tlkit start` starts it, its kernels on the room's
    database, on a copy of the one module the panel is in (the release of every module is
    tested elsewhere and would take minutes here)."""
    _, _, db = room
    tmp = tmp_path_factory.mktemp("thread-lab")
    workspace = tmp / "workspace"
    shutil.copytree(ROOT / "modules" / MODULE.parent, workspace / MODULE.parent)
    env = serve.lab_env(dict(os.environ, JUPYTER_TOKEN=TOKEN, TLKIT_LIVE_DB=db,
                             **private_env(tmp)), ROOT)
    with running_lab(workspace, env, tmp / "lab.log") as port:
        yield workspace, port


def _write_from_the_lab(page, workspace: Path, port: int, code: str) -> None:
    """The learner opens the module, runs the thread panel's cell, posts and replies."""
    cells = json.loads((workspace / MODULE).read_text(encoding="utf-8"))["cells"]
    [index] = [i for i, c in enumerate(cells) if "ReflectionThread(" in "".join(c["source"])]
    page.goto(f"http://127.0.0.1:{port}/lab/tree/{MODULE.as_posix()}?token={TOKEN}")
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(cells), timeout=60_000)
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    run_cell(page, cell, ".tlkit-thread-panel", key="Shift+Enter")
    panel = cell.locator(".tlkit-thread-panel")
    panel.get_by_label("Thread code").fill(code.lower())
    panel.get_by_role("button", name="Open the thread").click()
    panel.get_by_label("I will try").fill("Count to five in my head after each question.")
    panel.get_by_role("button", name="Post my reflection").click()
    expect(panel).to_contain_text("Posted. Thank you.", timeout=20_000)
    expect(panel.get_by_label("Reply to")).to_have_value(re.compile(r"^Dana"))
    panel.get_by_label("Your reply").fill("I want to try the six seconds too.")
    panel.get_by_role("button", name="Send reply").click()
    expect(panel).to_contain_text("Reply sent.", timeout=20_000)
    expect(panel).to_contain_text("you have replied to 1 colleague")


def _person(browser, url: str, viewport=None, **options) -> RecordedPage:
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, **options)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(url)
    return RecordedPage(page)


def _join(page, name: str = "") -> None:
    if name:
        page.get_by_label("Your name (optional)").fill(name)
        page.get_by_label("Show my name beside my posts").check()
    page.get_by_role("button", name="Join").click()
    expect(page.locator("#task-head")).to_have_text("Week 2: wait time")


def _reflect(page, notice: str, wonder: str = "") -> None:
    page.get_by_label("I notice: I notice that …").fill(notice)
    if wonder:
        page.get_by_label("I wonder: I wonder …").fill(wonder)
    page.get_by_role("button", name="Post my reflection").click()
    expect(page.locator("#reflection .message")).to_have_text("Posted. Thank you.")


def _reply(page, to: str, text: str) -> None:
    form = page.locator("#items form", has=page.get_by_label(f"Reply to {to}"))
    form.get_by_label(f"Reply to {to}").fill(text)
    form.get_by_role("button", name="Send reply").click()


def _sheets(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _download(host, css_class: str) -> str:
    href = host.locator(f"a.{css_class}").get_attribute("href")
    return base64.b64decode(href.split("base64,", 1)[1]).decode()


def test_a_cohort_reflects_between_sessions_and_the_facilitator_brings_the_digest(
        room, lab, browser, new_page):
    voila, url, db = room
    host = new_page().page
    host.goto(voila.url("between-sessions.ipynb"))
    host.get_by_label("Cohort").fill("Spring 2027")
    host.get_by_label("Title").fill("Week 2: wait time")
    host.get_by_label("Prompt").fill("Watch the clip. What happens after each question?")
    host.get_by_label("Clip of practice").select_option(label="Video: wait-time.mp4")
    host.get_by_label("Due date").fill("2026-12-10")
    host.get_by_label("Replies each person gives").fill("1")
    host.get_by_role("button", name="Open the task").click()
    shown = host.locator(".tlkit-thread-code")
    expect(shown).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))
    code = shown.inner_text()
    expect(host.locator(".tlkit-thread-address")).to_have_text(f"{url}thread/?code={code}")

    # Three participants on the room's address, one on a phone; the code comes in the link.
    link = f"{url}thread/?code={code}"
    desk = _person(browser, link)
    phone = _person(browser, link, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    keys = _person(browser, link)
    d, p, k = desk.page, phone.page, keys.page
    with d.expect_response(lambda r: "/clip?" in r.url) as clip:
        _join(d, "Dana")
    _join(p)
    _join(k, "Ravi")
    expect(d.locator("video")).to_have_attribute("src", re.compile(r"^\.\./clip\?code="))
    assert clip.value.status in (200, 206)            # from this machine's clips folder
    for page in (d, p, k):   # nothing the facilitator does is here
        for control in ("Hide", "Pin", "Export", "Delete"):
            expect(page.get_by_role("button", name=control)).to_have_count(0)

    _reflect(d, "After the first question the teacher waits about six seconds.",
             "Would the wait work in a class that is used to quick answers?")
    _reflect(p, XSS)
    _reflect(k, "=HYPERLINK(\"http://example.org\") the second group talks first")
    expect(k.locator("#items article")).to_have_count(3)
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for name in ("Save changes to my reflection", "Send reply"):
        box = p.get_by_role("button", name=re.compile(name)).first.bounding_box()
        assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE["width"]

    # One learner from the thread panel in their own lab, over the same database.
    from tlkit.thread import ThreadStore, credits

    learner = new_page()
    _write_from_the_lab(learner.page, *lab, code)
    assert learner.outside_requests() == []

    # Replies from the room; a reload picks the person up and shows the newest posts.
    p.reload()
    expect(p.locator("#banner")).to_contain_text("You are back in the thread as Participant 2")
    _reply(p, "Dana", "The quiet students answered after the wait.")
    expect(p.locator("#standing")).to_contain_text("replied to 1 colleague")
    p.get_by_text("Edit my reply").click()
    p.get_by_label("Your reply", exact=True).fill("The quiet students answered after the wait!")
    p.get_by_role("button", name="Save my reply").click()
    expect(p.locator("#items")).to_contain_text("after the wait!")
    expect(p.locator("#items")).to_contain_text("edited")
    d.reload()
    _reply(d, "Ravi", "Which group was it?")
    expect(d.locator("#standing")).to_contain_text("replied to 1 colleague")
    assert all(page.evaluate("window.hacked") is None for page in (d, p, k))
    expect(d.locator("#items")).to_contain_text(XSS)
    assert d.locator("#items img").count() == 0

    # A dropped connection: the reply waits, then goes by itself, stored once.
    k.reload()
    k.context.set_offline(True)
    _reply(k, "Dana", "sent after the drop")
    expect(k.locator("#connection")).to_contain_text("connection dropped")
    k.context.set_offline(False)
    expect(k.locator("#standing")).to_contain_text("replied to 1 colleague", timeout=20_000)
    store = ThreadStore(db)
    assert [post.body.get("text") for post in store.posts(code)].count("sent after the drop") == 1

    # The facilitator follows, hides Ravi's reflection with a reason, and pins Dana's.
    host.get_by_role("button", name="Refresh").click()
    people = host.locator(".tlkit-thread-people")
    expect(people).to_contain_text("Dana")
    expect(people).to_contain_text(getpass.getuser())
    expect(host.locator(".tlkit-thread-host")).to_contain_text("Stems used")
    choice = host.get_by_label("Post", exact=True)
    values = choice.evaluate("(select) => [...select.options].map((o) => o.value)")
    choice.select_option(value=next(v for v in values if v.startswith("Ravi: reflection")))
    host.get_by_label("Reason (its author sees it)").fill("Please describe, do not link.")
    host.get_by_role("button", name="Hide the post").click()
    expect(host.locator(".tlkit-thread-host")).to_contain_text("hidden: Please describe")
    k.reload()
    expect(k.locator("#items")).to_contain_text(
        "Only you see this post. The facilitator's reason: Please describe, do not link.")
    d.reload()
    expect(d.locator("#items")).to_contain_text("Hidden by the facilitator.")
    expect(d.locator("#items")).not_to_contain_text("HYPERLINK")
    assert {c.name: c.minutes for c in credits("Spring 2027", store=store)} == {
        "Dana": 30, "Participant 2": 30, "Ravi": 30, getpass.getuser(): 30}

    # axe-core: the thread page (joined, at phone width) and the facilitator's page.
    fresh = _person(browser, link, PHONE, is_mobile=True, bypass_csp=True).page
    found = findings(run_axe(fresh))
    assert not found, "axe-core on the thread's join form:\n" + describe(found)
    _join(fresh)
    expect(fresh.locator("#items article")).to_have_count(4)
    found = findings(run_axe(fresh))
    assert not found, "axe-core on the thread page:\n" + describe(found)
    left = not_allowed(findings(run_axe(host)), {})       # nothing excused
    assert not left, "axe-core on the facilitator's page:\n" + describe(left)

    # Export (formula-safe) and the digest, printed on at most two pages.
    host.get_by_role("button", name="Make the digest and the export").click()
    rows = list(csv.DictReader(io.StringIO(_download(host, "tlkit-thread-csv"))))
    texts = [row["text"] for row in rows]
    assert "'=HYPERLINK(\"http://example.org\") the second group talks first" in texts
    assert not any(t.startswith(("=", "+", "-", "@")) for row in rows for t in row.values())
    digest = _download(host, "tlkit-thread-digest")
    assert "HYPERLINK" not in digest and "&lt;img" in digest
    printed = new_page().page
    printed.set_content(digest)
    assert 1 <= _sheets(printed.pdf(format="A4")) <= 2
    # A long thread's digest too: forty people writing at length still print on two sheets.
    from tlkit.thread.summary import digest_html

    long = store.open_task("Spring 2027", "A long thread", "Watch it.", due="2026-12-10")
    for n in range(40):
        person = store.join(long.code, f"Teacher {n}", named=True)
        store.post(person, "reflection", {"stems": {s: "A long sentence about the clip. " * 30
                                                    for s in ("notice", "wonder", "try")}},
                   post_id=f"long-reflection-{n:02d}")
        store.post(person, "reply", {"text": "A reply that goes on. " * 25},
                   post_id=f"long-reply-{n:02d}", parent="long-reflection-00")
    printed.set_content(digest_html(long, store.people(long.code), store.posts(long.code)))
    assert _sheets(printed.pdf(format="A4")) <= 2
    store.delete_task(long.code)

    # Delete: the thread is gone for everyone.
    host.get_by_role("button", name="Delete this task").click()
    expect(host.locator(".tlkit-thread-host")).to_contain_text("Tick the box")
    host.get_by_label("I have saved what I need; delete for good").check()
    host.get_by_role("button", name="Delete this task").click()
    expect(host.locator(".tlkit-thread-host")).to_contain_text("were deleted")
    assert store.task(code) is None and store.posts(code) == []
    p.reload()
    expect(p.locator("#join-message")).to_contain_text("no longer there")

    for recorded in (desk, phone, keys):
        assert [u for u in recorded.urls if urlparse(u).hostname != "127.0.0.1"] == []
