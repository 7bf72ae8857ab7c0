"""ThreadHost: the facilitator's page for between-session reflection threads.

Open a task (a prompt, a clip of practice, the reflection protocol, a due date, how many peers
each person answers) and read out its code; then follow the thread: who has posted and
replied and who has not yet (to follow up kindly), the stems used, every post with hide (with
a reason its author sees), show again and pin; a printable digest for the next session, the
CSV export, and deleting a task or the whole cohort's thread. Logic in tlkit.thread.
"""

from __future__ import annotations

import datetime as dt
import html
import time
from typing import Callable

import ipywidgets as widgets

from tlkit.content import list_names, load
from tlkit.store import StoreUnavailable
from tlkit.thread import ThreadStore
from tlkit.thread.rules import (DEFAULT_DESIGN, DEFAULT_PROTOCOL, MAX_REPLIES_REQUIRED,
                                TaskRefused, load_protocol, protocol_ids, video_names)
from tlkit.thread.summary import digest_html, export_csv, participation, stems_used
from tlkit.thread.views import due_text, thread_address, when
from tlkit.widgets.common import download_link, message_html
from tlkit.widgets.thread.panel import choose

WIDE = widgets.Layout(width="100%", max_width="640px")


def _button(description: str, style: str = "") -> widgets.Button:
    return widgets.Button(description=description, button_style=style,
                          layout=widgets.Layout(width="auto"))
STYLE = {"description_width": "11em"}


def _field(kind, description: str, **kw):
    return kind(description=description, style=STYLE, layout=WIDE, **kw)


class ThreadHost(widgets.VBox):
    """Open and follow between-session reflection threads. store: the threads' database
    (default TLKIT_LIVE_DB); cohort: the cohort shown first; now: the time source."""

    def __init__(self, cohort: str = "", *, store: ThreadStore | None = None,
                 now: Callable[[], float] = time.time, **kwargs):
        super().__init__(**kwargs)
        self.store = store or ThreadStore(now=now)
        self.now = now
        self.add_class("tlkit-thread-host")
        due = dt.date.fromtimestamp(now()) + dt.timedelta(days=7)
        self.cohort = _field(widgets.Text, "Cohort", value=cohort,
                             placeholder="e.g. Spring 2027")
        self.title = _field(widgets.Text, "Title", placeholder="e.g. Week 2: wait time")
        self.prompt = _field(widgets.Textarea, "Prompt", rows=3,
                             placeholder="What people look for in the clip")
        self.clip = _field(widgets.Dropdown, "Clip of practice", options=self._clips())
        self.protocol = _field(widgets.Dropdown, "Reflection protocol",
                               options=[(load_protocol(p).name, p) for p in protocol_ids()],
                               value=DEFAULT_PROTOCOL)
        self.due = _field(widgets.Text, "Due date", value=due.isoformat(),
                          placeholder="year-month-day")
        self.replies = _field(widgets.BoundedIntText, "Replies each person gives", value=2,
                              min=0, max=MAX_REPLIES_REQUIRED)
        self.design = _field(widgets.Dropdown, "Design (PD minutes)", options=[
            (load("design", d)["title"], d) for d in list_names("design")], value=DEFAULT_DESIGN)
        self.open_button = _button("Open the task", "primary")
        self.open_button.on_click(lambda _: self.open_task())

        self.task_choice = _field(widgets.Dropdown, "Task", options=[])
        self.task_choice.observe(lambda _: self.refresh(), "value")
        self.refresh_button = _button("Refresh")
        # Refresh reads the cohort's tasks again too: another facilitator may have opened one.
        self.refresh_button.on_click(lambda _: self._load_tasks(self.task_choice.value))
        self.address = widgets.HTML()
        self.people = widgets.HTML()
        self.thread = widgets.HTML()
        self.post_choice = _field(widgets.Dropdown, "Post", options=[])
        self.reason = _field(widgets.Text, "Reason (its author sees it)",
                             placeholder="e.g. It names a student; please rewrite without it.")
        self.hide_button = _button("Hide the post")
        self.show_button = _button("Show it again")
        self.pin_button = _button("Pin the post")
        self.hide_button.on_click(lambda _: self.hide())
        self.show_button.on_click(lambda _: self.show_again())
        self.pin_button.on_click(lambda _: self.pin())
        self.export_button = _button("Make the digest and the export")
        self.export_button.on_click(lambda _: self.export())
        self.downloads = widgets.HTML()
        self.confirm = widgets.Checkbox(description="I have saved what I need; delete for good",
                                        indent=False, layout=WIDE)
        self.delete_button = _button("Delete this task", "danger")
        self.delete_cohort_button = _button("Delete the cohort's whole thread", "danger")
        self.delete_button.on_click(lambda _: self.delete())
        self.delete_cohort_button.on_click(lambda _: self.delete_cohort())
        self.message = widgets.HTML()

        def heading(text: str) -> widgets.HTML:
            return widgets.HTML("<h2 style='font-size:1.3em;margin:1em 0 .3em'>"
                                f"{html.escape(text)}</h2>")

        self.children = [
            heading("Open a task"), self.cohort, self.title, self.prompt, self.clip,
            self.protocol, self.due, self.replies, self.design, self.open_button,
            heading("Follow a task"), self.task_choice, self.refresh_button, self.address,
            self.people, self.thread,
            heading("Hide or pin a post"), self.post_choice, self.reason,
            widgets.HBox([self.hide_button, self.show_button, self.pin_button]),
            heading("Digest, export and delete"), self.export_button, self.downloads,
            self.confirm, widgets.HBox([self.delete_button, self.delete_cohort_button]),
            self.message]
        self._load_tasks()

    @staticmethod
    def _clips() -> list[tuple[str, str]]:
        videos = [(f"Video: {name}", f"video:{name}") for name in video_names()]
        episodes = [(f"Written episode: {load('episode', e)['title']}", f"episode:{e}")
                    for e in list_names("episode")]
        return [("No clip", "")] + videos + episodes

    def _say(self, text: str, kind: str = "info") -> None:
        self.message.value = message_html(text, kind)

    def _load_tasks(self, chosen: str | None = None) -> None:
        try:
            tasks = self.store.tasks(self.cohort.value.strip() or None)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return
        with self.hold_trait_notifications():
            choose(self.task_choice, [(f"{t.title} ({t.cohort}, due {t.due}, code {t.code})",
                                       t.code) for t in tasks])
            if chosen in [code for _, code in self.task_choice.options]:
                self.task_choice.value = chosen
        self.refresh()

    # -- opening ----------------------------------------------------------------------------

    def open_task(self) -> bool:
        try:
            task = self.store.open_task(self.cohort.value, self.title.value, self.prompt.value,
                                        due=self.due.value.strip(), clip=self.clip.value,
                                        protocol_id=self.protocol.value,
                                        replies_required=int(self.replies.value),
                                        design_id=self.design.value)
        except (TaskRefused, StoreUnavailable) as err:
            self._say(str(err), "problem")
            return False
        self._load_tasks(task.code)
        self._say(f"The task is open. Its thread code is {task.code}: give it to the cohort "
                  "with the address above.")
        return True

    # -- following --------------------------------------------------------------------------

    @property
    def task(self):
        code = self.task_choice.value
        return self.store.task(code) if code else None

    def refresh(self) -> None:
        try:
            task = self.task
            if task is None:
                self.address.value = self.people.value = self.thread.value = ""
                choose(self.post_choice, [])
                return
            people, posts = self.store.people(task.code), self.store.posts(task.code)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return
        self.address.value = self._address_html(task)
        self.people.value = self._people_html(task, people, posts)
        self.thread.value = self._thread_html(task, posts)
        choose(self.post_choice, [
            (f"{p.person.label}: {p.kind} of {when(p.posted_at)}"
             + (" (hidden)" if p.hidden_reason else "") + (" (pinned)" if p.pinned else ""), p.id)
            for p in posts if not p.withdrawn])

    @staticmethod
    def _address_html(task) -> str:
        address = thread_address(task.code)
        code = html.escape(task.code)
        where = (f"<div class='tlkit-thread-address' style='font-size:1.6em;font-weight:bold;"
                 f"user-select:all;overflow-wrap:anywhere'>{html.escape(address)}</div>"
                 if address else
                 "<p>People open the thread page of the participant app: on a hub, "
                 "<code>/services/live/thread/</code> on the hub's address; with "
                 "<code>tlkit facilitate --room</code>, the room address followed by "
                 "<code>thread/</code>. Learners can also use the panel in the designing-learning "
                 "module.</p>")
        return (f"<p style='font-size:1.2em'>Thread code: <b class='tlkit-thread-code' "
                f"style='font-size:1.5em;letter-spacing:.1em'>{code}</b> · due "
                f"{html.escape(due_text(task.due))} · {task.replies_required} replies each · "
                f"{task.minutes} PD minutes when done</p>" + where)

    @staticmethod
    def _people_html(task, people, posts) -> str:
        rows = participation(task, people, posts)
        if not rows:
            return "<p>No one has opened the thread yet.</p>"
        body = "".join(
            f"<tr><th scope='row'>{html.escape(r.label)}</th>"
            f"<td>{'yes' + (' (late)' if r.late else '') if r.posted else 'not yet'}</td>"
            f"<td>{r.replies} of {r.replies_required}</td>"
            f"<td>{'done' if r.done else 'follow up'}</td></tr>" for r in rows)
        waiting = [r.label for r in rows if not r.done]
        follow = (f"<p>Still to post or reply: {html.escape(', '.join(waiting))}. A short, "
                  "kind reminder helps; people who have not joined at all do not appear here."
                  "</p>" if waiting else "<p>Everyone who joined has posted and replied.</p>")
        stems = "".join(f"<li>{html.escape(label)}: {n}</li>"
                        for label, n in stems_used(task, posts))
        return ("<table class='tlkit-thread-people' border='1' cellpadding='4' "
                "style='border-collapse:collapse'><caption>Who has taken part</caption>"
                "<tr><th scope='col'>Person</th><th scope='col'>Reflection</th>"
                "<th scope='col'>Replies</th><th scope='col'>Status</th></tr>"
                f"{body}</table>{follow}<p><b>Stems used</b></p><ul>{stems}</ul>")

    @staticmethod
    def _thread_html(task, posts) -> str:
        labels = {s.id: s.label for s in task.protocol.stems}
        items = []
        for post in posts:
            if post.withdrawn:
                continue
            if post.kind == "reflection":
                words = "".join(f"<p style='margin:.2em 0'><b>{html.escape(labels.get(k, k))}:"
                                f"</b> {html.escape(v)}</p>"
                                for k, v in post.body.get("stems", {}).items())
            else:
                words = f"<p style='margin:.2em 0'>{html.escape(post.body.get('text', ''))}</p>"
            state = ((f" · hidden: {html.escape(post.hidden_reason)}" if post.hidden_reason
                      else "") + (" · pinned" if post.pinned else ""))
            indent = "margin-left:2em;" if post.kind == "reply" else ""
            items.append(f"<div class='tlkit-thread-post' style='{indent}border-top:1px solid "
                         "#999;padding:.3em 0;overflow-wrap:anywhere'>"
                         f"<b>{html.escape(post.person.label)}</b> · {post.kind} · "
                         f"{html.escape(when(post.posted_at))}{state}{words}</div>")
        return ("<h3 style='font-size:1.15em'>The thread</h3>"
                + ("".join(items) or "<p>No posts yet.</p>"))

    # -- hiding and pinning -----------------------------------------------------------------

    def _act(self, action, done: str) -> bool:
        if self.task is None or not self.post_choice.value:
            self._say("Choose a task and a post first.", "warning")
            return False
        try:
            action(self.task.code, self.post_choice.value)
        except (ValueError, StoreUnavailable) as err:
            self._say(str(err), "problem")
            return False
        self.refresh()
        self._say(done)
        return True

    def hide(self) -> bool:
        done = self._act(lambda code, post: self.store.hide(code, post, self.reason.value),
                         "The post is hidden from the cohort; its author sees it with your reason.")
        if done:
            self.reason.value = ""
        return done

    def show_again(self) -> bool:
        return self._act(self.store.show, "The post is shown to the cohort again.")

    def pin(self) -> bool:
        return self._act(self.store.pin, "The post is pinned to the top of the thread.")

    # -- after the task ---------------------------------------------------------------------

    def export(self) -> bool:
        task = self.task
        if task is None:
            self._say("Choose a task first.", "warning")
            return False
        try:
            people, posts = self.store.people(task.code), self.store.posts(task.code)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return False
        style = "margin-right:1.5em;font-size:1.1em"
        self.downloads.value = (
            "<p>The digest prints on at most two pages for the next session; the export "
            "holds every post (save it before you delete):</p>"
            + download_link(digest_html(task, people, posts), f"thread-{task.code}-digest.html",
                            "text/html", "Download the digest to print",
                            css_class="tlkit-thread-digest", style=style)
            + download_link(export_csv(task, posts), f"thread-{task.code}.csv", "text/csv",
                            "Download every post (CSV)", css_class="tlkit-thread-csv",
                            style=style))
        return True

    def _confirmed(self) -> bool:
        if not self.confirm.value:
            self._say("Tick the box to confirm, then press Delete: this cannot be undone.",
                      "warning")
        return self.confirm.value

    def delete(self) -> bool:
        task = self.task
        if task is None or not self._confirmed():
            return False
        try:
            self.store.delete_task(task.code)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return False
        self.confirm.value = False
        self.downloads.value = ""
        self._load_tasks()
        self._say(f"The task {task.title!r} and everything written in it were deleted.")
        return True

    def delete_cohort(self) -> bool:
        cohort = self.cohort.value.strip()
        if not cohort:
            self._say("Type the cohort's name above, then press Delete.", "warning")
            return False
        if not self._confirmed():
            return False
        try:
            count = self.store.delete_cohort(cohort)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return False
        self.confirm.value = False
        self.downloads.value = ""
        self._load_tasks()
        self._say(f"The cohort {cohort!r}'s thread was deleted: {count} task"
                  f"{'s' if count != 1 else ''} and every post in them.")
        return True
