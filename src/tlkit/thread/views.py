"""The thread as one person sees it (the participant page and the lab panel): reflections with
their replies, the pinned one first. Posts the facilitator hid show their words only to their
author, with the reason; withdrawn posts show no words to anyone. Names appear only for
people who agreed. Everything is plain text; the pages set it as text, never as HTML."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tlkit.settings import room_url
from tlkit.thread.rules import MAX_REPLY, MAX_STEM, episode_text
from tlkit.thread.store import Person, Post, Task, late

HIDDEN = "Hidden by the facilitator."
WITHDRAWN = "Withdrawn by its author."


def when(seconds: float) -> str:
    """A date people read: 'Sat 5 Dec, 09:12' (this machine's time)."""
    moment = dt.datetime.fromtimestamp(seconds)
    return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"


def thread_address(code: str) -> str | None:
    """The thread page's address with its code, when the participant app's address is known
    (TLKIT_ROOM_URL, set by `tlkit facilitate --room`); None otherwise."""
    base = room_url()
    return f"{base.rstrip('/')}/thread/?code={code}" if base else None


def due_text(due: str) -> str:
    day = dt.date.fromisoformat(due)
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def _post(post: Post, viewer: Person | None, task: Task, labels: dict[str, str]) -> dict:
    mine = viewer is not None and post.person.id == viewer.id
    shown = not post.withdrawn and (post.hidden_reason is None or mine)
    item: dict[str, Any] = {
        "id": post.id, "author": post.person.label, "mine": mine,
        "posted": when(post.posted_at), "edited": post.edited_at is not None and not post.withdrawn,
        "late": late(post.posted_at, task.due), "pinned": post.pinned,
        "state": "withdrawn" if post.withdrawn else "hidden" if post.hidden_reason else "shown",
        "note": WITHDRAWN if post.withdrawn else HIDDEN if post.hidden_reason else "",
        "reason": post.hidden_reason if mine and post.hidden_reason else "",
    }
    if post.kind == "reflection":
        stems = post.body.get("stems", {}) if shown else {}
        item["stems"] = [{"id": sid, "label": labels.get(sid, sid), "text": text}
                         for sid, text in stems.items()]
        item["replies"] = []
    else:
        item["text"] = post.body.get("text", "") if shown else ""
    return item


def thread_items(task: Task, posts: list[Post], viewer: Person | None = None) -> list[dict]:
    """Reflections, pinned first then oldest first, each with its replies oldest first."""
    labels = {stem.id: stem.label for stem in task.protocol.stems}
    reflections = {p.id: _post(p, viewer, task, labels) for p in posts if p.kind == "reflection"}
    for post in posts:
        if post.kind == "reply" and post.parent in reflections:
            reflections[post.parent]["replies"].append(_post(post, viewer, task, labels))
    ordered = list(reflections.values())
    ordered.sort(key=lambda item: not item["pinned"])       # stable: oldest first otherwise
    return ordered


def task_view(task: Task) -> dict[str, Any]:
    """What a participant needs to write: the task, the clip and the protocol's stems."""
    protocol = task.protocol
    clip: dict[str, Any] = {"kind": task.clip.kind}
    if task.clip.kind == "episode":
        clip["episode"] = episode_text(task.clip.name)
    return {"code": task.code, "title": task.title, "prompt": task.prompt,
            "due": task.due, "due_text": due_text(task.due),
            "replies_required": task.replies_required, "clip": clip,
            "protocol": {"name": protocol.name, "purpose": protocol.purpose,
                         "reply_guide": protocol.reply_guide,
                         "stems": [{"id": s.id, "label": s.label, "stem": s.stem, "hint": s.hint}
                                   for s in protocol.stems]},
            "limits": {"stem": MAX_STEM, "reply": MAX_REPLY}}


def standing(task: Task, posts: list[Post], viewer: Person) -> dict[str, Any]:
    """Where the viewer is: their reflection posted, their replies given and still needed."""
    mine = [p for p in posts if p.person.id == viewer.id and not p.withdrawn]
    others = {p.id for p in posts if p.kind == "reflection" and p.person.id != viewer.id}
    replies = sum(1 for p in mine if p.kind == "reply" and p.parent in others)
    reflection = next((p for p in mine if p.kind == "reflection"), None)
    return {"posted": reflection is not None, "reflection": reflection.id if reflection else None,
            "replies": replies, "replies_needed": max(0, task.replies_required - replies)}
