"""For the facilitator: who posted and replied and who has not yet, the stems used, the PD-hours
credit of each person, the thread as CSV (formula-safe) and a printable digest for the next
face-to-face session.

Credit: a person earns the design's minutes for a video reflection once they have a reflection
in the thread (not withdrawn) and have replied to at least the required number of peers'
reflections, whether before or after the due date: late work still counts (the digest and the
facilitator's list mark it late). A hidden post still counts; the facilitator hid its words
from the cohort, the person still did the work."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from html import escape

import pandas as pd

from tlkit.data.csv_text import write_rows
from tlkit.data.suppression import DEFAULT_THRESHOLD, suppress_counts
from tlkit.printables.page_style import page_html
from tlkit.thread.store import Person, Post, Task, ThreadStore, late
from tlkit.thread.views import due_text, when


@dataclass(frozen=True)
class ThreadCredit:
    """One person's participation in one task, for the PD-hours ledger."""
    name: str                  # the name they agreed to show, "Participant N", or a lab id
    learner_id: str | None     # the lab (nbgrader / hub) id when they wrote from the lab
    task_id: str
    task_title: str
    due: str                   # ISO date
    posted: bool
    replies: int
    replies_required: int
    minutes: int               # the design's video-reflection minutes when earned, else 0


@dataclass(frozen=True)
class Participation:
    person: Person
    posted: bool
    late: bool                 # their reflection came after the due date
    replies: int               # replies to other people's reflections
    replies_required: int

    @property
    def done(self) -> bool:
        return self.posted and self.replies >= self.replies_required

    @property
    def label(self) -> str:
        who = self.person.label
        return f"{who} ({self.person.learner_id}, lab)" if self.person.learner_id and \
            self.person.learner_id != who else who


def participation(task: Task, people: list[Person], posts: list[Post]) -> list[Participation]:
    live = [p for p in posts if not p.withdrawn]
    # A reply counts even if the reflection it answers was withdrawn later.
    owner = {p.id: p.person.id for p in posts if p.kind == "reflection"}
    rows = []
    for person in people:
        reflection = next((p for p in live if p.kind == "reflection"
                           and p.person.id == person.id), None)
        replies = sum(1 for p in live if p.kind == "reply" and p.person.id == person.id
                      and owner.get(p.parent, person.id) != person.id)
        rows.append(Participation(person, reflection is not None,
                                  reflection is not None and late(reflection.posted_at, task.due),
                                  replies, task.replies_required))
    return rows


def stems_used(task: Task, posts: list[Post]) -> list[tuple[str, int]]:
    """Each stem of the protocol and how many reflections completed it."""
    live = [p for p in posts if p.kind == "reflection" and not p.withdrawn]
    return [(f"{stem.label} ({stem.stem} …)",
             sum(1 for p in live if p.body.get("stems", {}).get(stem.id)))
            for stem in task.protocol.stems]


def credits(cohort: str | None = None, store=None) -> list[ThreadCredit]:
    """Every person's credit in every task (of `cohort`), tasks oldest first."""
    store = store if store is not None else ThreadStore()
    out = []
    for task in reversed(store.tasks(cohort)):
        people, posts = store.people(task.code), store.posts(task.code)
        for row in participation(task, people, posts):
            out.append(ThreadCredit(
                name=row.person.label if row.person.named or not row.person.learner_id
                else row.person.learner_id,
                learner_id=row.person.learner_id, task_id=task.code, task_title=task.title,
                due=task.due, posted=row.posted, replies=row.replies,
                replies_required=task.replies_required,
                minutes=task.minutes if row.done else 0))
    return out


# -- export -------------------------------------------------------------------------------

HEADER = ["cohort", "task", "task_title", "post", "kind", "reply_to", "author", "learner_id",
          "part", "text", "posted_at", "late", "edited", "state", "hidden_reason", "pinned"]


def _iso(seconds: float | None) -> str:
    return "" if seconds is None else dt.datetime.fromtimestamp(seconds).isoformat(
        timespec="seconds")


def export_csv(task: Task, posts: list[Post]) -> str:
    """The thread as CSV, one row per part of a reflection and one per reply; what people
    wrote can never run as a spreadsheet formula (tlkit.data.csv_text)."""
    labels = {s.id: s.label for s in task.protocol.stems}
    rows = []
    for post in posts:
        state = "withdrawn" if post.withdrawn else "hidden" if post.hidden_reason else "shown"
        parts = (list(post.body.get("stems", {}).items()) if post.kind == "reflection"
                 else [("reply", post.body.get("text", ""))]) or [("", "")]
        for part, text in parts:
            rows.append([task.cohort, task.code, task.title, post.id, post.kind,
                         post.parent or "", post.person.label, post.person.learner_id or "",
                         labels.get(part, part), text, _iso(post.posted_at),
                         late(post.posted_at, task.due), post.edited_at is not None, state,
                         post.hidden_reason or "", post.pinned])
    return write_rows(rows, HEADER)


# -- the digest ---------------------------------------------------------------------------

DIGEST_BUDGET = 4500       # characters of people's words: two printed pages with the rest
STEM_LIMIT = 320
REPLY_LIMIT = 180
REPLIES_SHOWN = 2

DIGEST_CSS = """
body { font-size: 10pt; }
h1 { font-size: 15pt; margin: 0 0 .2em; }
h2 { font-size: 12pt; margin: .8em 0 .3em; }
.meta, .counts { margin: .2em 0; }
table.counts { margin: .3em 0; }
table.counts caption { text-align: left; font-weight: 600; }
.reflection { border-top: 1px solid #767676; padding: .3em 0; break-inside: avoid; }
.reflection p { margin: .15em 0; }
.who { font-weight: 600; }
.replies { margin: .2em 0 0 1.2em; padding: 0; }
.replies li { margin: .1em 0; }
.more { font-style: italic; }
@page { size: A4; margin: 14mm; }
"""


def _counts_html(table: pd.DataFrame, caption: str, threshold: int, **totals) -> str:
    """A count table as the digest shows it: the digest is shared with the cohort, so counts of
    fewer than `threshold` people are hidden (tlkit.data.suppression)."""
    shown = suppress_counts(table, threshold=threshold, **totals)
    display = shown.display
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in display.columns)
    rows = "".join(f'<tr><th scope="row">{escape(str(index))}</th>'
                   + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
                   for index, row in display.iterrows())
    notes = "".join(f'<p class="counts">{escape(note)}</p>' for note in shown.notes())
    return (f'<table class="counts"><caption>{escape(caption)}</caption><tr><td></td>{head}'
            f"</tr>{rows}</table>{notes}")


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def digest_html(task: Task, people: list[Person], posts: list[Post], *,
                threshold: int = DEFAULT_THRESHOLD) -> str:
    """A printable page (at most two sheets) for the next face-to-face session: the task,
    how many took part, the stems used, and the reflections the cohort can see, the pinned
    one first; hidden and withdrawn posts are left out, and no one who has not posted is
    named. Long threads are cut at a budget and point to the export for the rest."""
    rows = participation(task, people, posts)
    protocol = task.protocol
    labels = {s.id: s.label for s in protocol.stems}
    visible = [p for p in posts if not p.withdrawn and not p.hidden_reason]
    reflections = [p for p in visible if p.kind == "reflection"]
    reflections.sort(key=lambda p: not p.pinned)
    replies = {}
    for post in visible:
        if post.kind == "reply":
            replies.setdefault(post.parent, []).append(post)

    clip = {"video": f"the video {task.clip.name}", "episode": f"the written episode "
            f"{task.clip.name}"}.get(task.clip.kind, "no clip")
    body = [f"<h1>{escape(task.title)}</h1>",
            f'<p class="meta">Between-session reflection · cohort {escape(task.cohort)} · due '
            f"{escape(due_text(task.due))} · {escape(protocol.name)} · {escape(clip)}</p>",
            f'<p class="meta"><strong>Prompt:</strong> {escape(_short(task.prompt, 400))}</p>',
            _counts_html(pd.DataFrame(
                [[sum(r.done for r in rows), sum(r.posted and not r.done for r in rows),
                  sum(not r.posted for r in rows)]], index=["People"],
                columns=[f"Posted and replied to {task.replies_required}", "Posted only",
                         "Not yet posted"]),
                "Who took part, of the people who opened the thread", threshold,
                column_totals=False),
            _counts_html(pd.DataFrame([[n for _, n in stems_used(task, posts)]],
                                      index=["Reflections"],
                                      columns=[label for label, _ in stems_used(task, posts)]),
                         "Stems used", threshold, row_totals=False, column_totals=False),
            "<h2>Reflections</h2>"]
    spent, left_out = 0, 0
    for post in reflections:
        if spent >= DIGEST_BUDGET:
            left_out += 1
            continue
        parts = [f'<p><span class="who">{escape(post.person.label)}</span>'
                 + (" · pinned" if post.pinned else "")
                 + (" · late" if late(post.posted_at, task.due) else "") + "</p>"]
        for sid, text in post.body.get("stems", {}).items():
            shown = _short(text, STEM_LIMIT)
            spent += len(shown)
            parts.append(f"<p><strong>{escape(labels.get(sid, sid))}:</strong> "
                         f"{escape(shown)}</p>")
        answers = replies.get(post.id, [])
        if answers:
            items = []
            for reply in answers[:REPLIES_SHOWN]:
                shown = _short(reply.body.get("text", ""), REPLY_LIMIT)
                spent += len(shown)
                items.append(f"<li>{escape(reply.person.label)}: {escape(shown)}</li>")
            if len(answers) > REPLIES_SHOWN:
                items.append(f'<li class="more">and {len(answers) - REPLIES_SHOWN} more '
                             "replies</li>")
            parts.append(f'<ul class="replies">{"".join(items)}</ul>')
        body.append(f'<section class="reflection">{"".join(parts)}</section>')
    if not reflections:
        body.append("<p>No reflections yet.</p>")
    if left_out:
        body.append(f'<p class="more">And {left_out} more reflections: the export holds '
                    "every post.</p>")
    body.append(f'<p class="credit">Printed {escape(when(time.time()))}. Shared with the '
                "cohort and its facilitators only; names appear only for people who agreed.</p>")
    return page_html(f"Digest: {task.title}", "\n".join(body), css=DIGEST_CSS)
