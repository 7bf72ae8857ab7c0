"""ReflectionThread: the learner's panel for the cohort's between-session reflection thread, in
the module the task belongs to. The same thread as the participant app's page, in the same
database: type the thread code, post a reflection with the protocol's stems, reply to
colleagues, edit or withdraw your own. A learner writes under their lab id (so every visit is
the same person, and the post counts toward their PD hours); their name is shown to the cohort
only if they agree. A send that fails keeps its text and its id, so sending again never stores
it twice.
"""

from __future__ import annotations

import getpass
import html
import os

import ipywidgets as widgets

from tlkit.live import JoinRefused, TooManyWrongCodes
from tlkit.live.store import new_contribution_id, new_page_key
from tlkit.store import StoreUnavailable
from tlkit.thread import ThreadStore
from tlkit.thread.rules import ContributionRefused
from tlkit.thread.views import standing, task_view, thread_address, thread_items
from tlkit.widgets.common import message_html

WIDE = widgets.Layout(width="100%", max_width="640px")
STYLE = {"description_width": "10em"}
KERNEL_PAGE_KEY = new_page_key()
PRIVACY = ("Who sees what you write: the people of this cohort who join the thread and its "
           "facilitators. Your lab id goes with your posts to the facilitator, for your PD "
           "hours; the cohort sees your name only if you tick the box. You can edit or withdraw "
           "your own posts; the facilitator deletes the cohort's thread at the end of the "
           "course.")


def lab_learner_id() -> str:
    """Who this lab belongs to: the hub's name for them, else this computer's login."""
    return os.environ.get("JUPYTERHUB_USER") or getpass.getuser()


class ReflectionThread(widgets.VBox):
    """The thread for `code` (or a box to type it). store: the threads' database (default
    TLKIT_LIVE_DB); learner_id: who writes (default: the hub user or this login)."""

    def __init__(self, code: str = "", *, store: ThreadStore | None = None,
                 learner_id: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("tlkit-thread-panel")
        self.store = store or ThreadStore()
        self.learner_id = learner_id or lab_learner_id()
        self.person = None
        self.task = None
        self._reflection: str | None = None      # the id of this learner's reflection
        self._pending: dict[str, str] = {}     # what is being sent -> its id, kept until stored
        self.code = widgets.Text(description="Thread code", value=code, style=STYLE, layout=WIDE,
                                 placeholder="six letters and digits")
        self.name = widgets.Text(description="Your name", style=STYLE, layout=WIDE,
                                 placeholder="optional")
        self.named = widgets.Checkbox(description="Show my name beside my posts to the cohort",
                                      indent=False, layout=WIDE)
        self.join_button = widgets.Button(description="Open the thread", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.join_button.on_click(lambda _: self.join())
        self.heading = widgets.HTML()
        self.stems: dict[str, widgets.Textarea] = {}
        self.stem_box = widgets.VBox()
        self.post_button = widgets.Button(description="Post my reflection", button_style="primary",
                                          layout=widgets.Layout(width="auto"))
        self.post_button.on_click(lambda _: self.post_reflection())
        self.standing = widgets.HTML()
        self.thread = widgets.HTML()
        self.reply_to = widgets.Dropdown(description="Reply to", style=STYLE, layout=WIDE,
                                         options=[])
        self.reply = widgets.Textarea(description="Your reply", rows=3, style=STYLE, layout=WIDE)
        self.reply_button = widgets.Button(description="Send reply",
                                           layout=widgets.Layout(width="auto"))
        self.reply_button.on_click(lambda _: self.send_reply())
        self.mine = widgets.Dropdown(description="One of your posts", style=STYLE, layout=WIDE,
                                     options=[])
        self.withdraw_button = widgets.Button(description="Withdraw it",
                                              layout=widgets.Layout(width="auto"))
        self.withdraw_button.on_click(lambda _: self.withdraw())
        self.refresh_button = widgets.Button(description="Show new posts",
                                             layout=widgets.Layout(width="auto"))
        self.refresh_button.on_click(lambda _: self.refresh())
        self.message = widgets.HTML()
        self.join_panel = widgets.VBox([
            widgets.HTML("<p>Between sessions, the cohort watches the same clip of practice and "
                         "reflects on it here. Type the thread code the facilitator gave.</p>"),
            self.code, self.name, self.named, self.join_button,
            widgets.HTML(f"<p style='font-size:.95em'>{html.escape(PRIVACY)}</p>")])
        self.children = [self.join_panel, self.message]

    def _say(self, text: str, kind: str = "info") -> None:
        self.message.value = message_html(text, kind)

    # -- joining ----------------------------------------------------------------------------

    def join(self) -> bool:
        try:
            self.person = self.store.join(self.code.value, self.name.value,
                                          named=self.named.value, page=KERNEL_PAGE_KEY,
                                          learner_id=self.learner_id)
            self.task = self.store.task(self.person.code)
        except (JoinRefused, TooManyWrongCodes, ContributionRefused, StoreUnavailable) as err:
            self._say(str(err), "problem")
            return False
        view = task_view(self.task)
        self.stems = {}
        for stem in view["protocol"]["stems"]:
            box = widgets.Textarea(rows=3, layout=WIDE, placeholder=stem["hint"])
            box.add_class(f"tlkit-thread-stem-{stem['id']}")
            # The label is the box's accessible name as well as its heading.
            box.description = stem["label"]
            box.style = STYLE
            self.stems[stem["id"]] = box
        self.stem_box.children = [widgets.HTML(
            f"<p><b>{html.escape(s['label'])}:</b> {html.escape(s['stem'])} … "
            f"<span style='color:#444'>{html.escape(s['hint'])}</span></p>") for s in
            view["protocol"]["stems"]] + list(self.stems.values())
        self.heading.value = self._task_html(view)
        self.children = [self.heading, self.stem_box, self.post_button, self.standing,
                         self.thread, self.reply_to, self.reply, self.reply_button,
                         self.mine, self.withdraw_button, self.refresh_button, self.message]
        self._say(f"You are in the thread as {self.person.label}.")
        self.refresh(fill=True)
        return True

    def _task_html(self, view) -> str:
        clip = ""
        if view["clip"]["kind"] == "video":
            address = thread_address(self.task.code)
            clip = ("<p>Watch the clip on the thread's page"
                    + (f": <a href='{html.escape(address, quote=True)}' target='_blank'>"
                       f"{html.escape(address)}</a>" if address else
                       ", at the address the facilitator gave") + ".</p>")
        elif view["clip"]["kind"] == "episode":
            episode = view["clip"]["episode"]
            notes = "".join(f"<li>{html.escape(n['time'])} {html.escape(n['text'])}</li>"
                            for n in episode["notes"])
            clip = (f"<details><summary>The episode (written notes): "
                    f"{html.escape(episode['title'])}</summary><p>{html.escape(episode['setting'])}"
                    f"</p><ol>{notes}</ol></details>")
        return (f"<h3 style='font-size:1.25em'>{html.escape(view['title'])}</h3>"
                f"<p>{html.escape(view['prompt'])}</p><p>Due {html.escape(view['due_text'])}; "
                f"reply to {view['replies_required']} colleagues.</p>{clip}"
                f"<p><b>{html.escape(view['protocol']['name'])}</b>: "
                f"{html.escape(view['protocol']['purpose'])}</p>")

    # -- reading ----------------------------------------------------------------------------

    def refresh(self, fill: bool = False) -> None:
        if self.person is None:
            return
        try:
            posts = self.store.posts(self.person.code)
        except StoreUnavailable as err:
            self._say(str(err), "problem")
            return
        items = thread_items(self.task, posts, self.person)
        where = standing(self.task, posts, self.person)
        self._reflection = where["reflection"]
        self.post_button.description = ("Save changes to my reflection" if self._reflection
                                         else "Post my reflection")
        if fill and self._reflection:
            own = next(i for i in items if i["id"] == self._reflection)
            for stem in own["stems"]:
                if stem["id"] in self.stems:
                    self.stems[stem["id"]].value = stem["text"]
        posted = ("Your reflection is posted" if where["posted"]
                  else "Your reflection is not posted yet")
        self.standing.value = (f"<p role='status'>{posted}; you have replied to "
                               f"{where['replies']} colleague"
                               f"{'s' if where['replies'] != 1 else ''}.</p>")
        self.thread.value = _thread_html(items)
        choose(self.reply_to, [(f"{i['author']}'s reflection", i["id"]) for i in items
                               if not i["mine"] and i["state"] == "shown"])
        mine = [("My reflection", i["id"]) for i in items
                if i["mine"] and i["state"] != "withdrawn"]
        mine += [(f"My reply to {i['author']}", r["id"]) for i in items for r in i["replies"]
                 if r["mine"] and r["state"] != "withdrawn"]
        choose(self.mine, mine)

    # -- writing ----------------------------------------------------------------------------

    def _write(self, key: str, write) -> bool:
        post_id = self._pending.setdefault(key, new_contribution_id())
        try:
            write(post_id)
        except StoreUnavailable as err:
            self._say(f"{err} What you wrote is kept here; press the button again.", "problem")
            return False
        except (ContributionRefused, JoinRefused, ValueError) as err:
            self._say(str(err), "problem")
            return False
        self._pending.pop(key, None)
        self.refresh()
        return True

    def post_reflection(self) -> bool:
        body = {"stems": {sid: box.value for sid, box in self.stems.items()}}
        if self._reflection:
            done = self._write("edit", lambda _: self.store.edit(self.person, self._reflection,
                                                                 body))
            if done:
                self._say("Your changes are saved.")
            return done
        done = self._write("reflection", lambda post_id: self.store.post(
            self.person, "reflection", body, post_id=post_id))
        if done:
            self._say("Posted. Thank you.")
        return done

    def send_reply(self) -> bool:
        if not self.reply_to.value:
            self._say("There is no colleague's reflection to reply to yet.", "warning")
            return False
        done = self._write(f"reply-{self.reply_to.value}", lambda post_id: self.store.post(
            self.person, "reply", {"text": self.reply.value}, post_id=post_id,
            parent=self.reply_to.value))
        if done:
            self.reply.value = ""
            self._say("Reply sent.")
        return done

    def withdraw(self) -> bool:
        if not self.mine.value:
            return False
        post = self.mine.value
        was_reflection = post == self._reflection
        done = self._write(f"withdraw-{post}", lambda _: self.store.withdraw(self.person, post))
        if done:
            if was_reflection:
                for box in self.stems.values():
                    box.value = ""
            self._say("Withdrawn: your words are removed from the thread.")
        return done


def choose(dropdown: widgets.Dropdown, options: list) -> None:
    """New options, keeping the chosen one if it is still there, else the first."""
    chosen = dropdown.value
    dropdown.options = options
    values = [value for _, value in options]
    if values:
        dropdown.value = chosen if chosen in values else values[0]


def _thread_html(items) -> str:
    def head(item) -> str:
        bits = [item["posted"]] + (["edited"] if item["edited"] else []) + \
            (["after the due date"] if item["late"] else []) + \
            (["pinned by the facilitator"] if item["pinned"] else [])
        who = f"{item['author']} (you)" if item["mine"] else item["author"]
        note = f"<p><i>{html.escape(item['note'])}</i></p>" if item["note"] else ""
        reason = (f"<p style='border-left:4px solid #8a1c1c;padding-left:.4em'>Only you see this "
                  f"post. The facilitator's reason: {html.escape(item['reason'])}</p>"
                  if item["reason"] else "")
        return f"<b>{html.escape(who)}</b> · {html.escape(' · '.join(bits))}{note}{reason}"

    out = []
    for item in items:
        stems = "".join(f"<p style='margin:.2em 0'><b>{html.escape(s['label'])}:</b> "
                        f"{html.escape(s['text'])}</p>" for s in item["stems"])
        replies = "".join(f"<li>{head(r)}<p style='margin:.2em 0'>{html.escape(r['text'])}</p></li>"
                          for r in item["replies"])
        border = "3px solid #1565c0" if item["pinned"] else "1px solid #888"
        out.append(f"<div class='tlkit-thread-item' style='border:{border};border-radius:6px;"
                   f"padding:.4em .7em;margin:.6em 0;overflow-wrap:anywhere'>{head(item)}{stems}"
                   + (f"<ul style='list-style:none;padding-left:1em'>{replies}</ul>"
                      if replies else "") + "</div>")
    return ("<h3 style='font-size:1.15em'>The thread</h3>"
            + ("".join(out) or "<p>No reflections yet: yours can be the first.</p>"))
