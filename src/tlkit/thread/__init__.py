"""Between sessions: a clip of practice and a reflection thread for the cohort.

A facilitator opens a task (a prompt, a clip, a reflection protocol, a due date, how many
peers each person answers); people post a reflection with the protocol's stems and reply to
peers, from the participant app (tlkit.room) or from the lab; the facilitator follows who has
taken part, hides or pins posts, prints a digest, exports and deletes. `rules` holds what a
task and a post accept, `store` the tables and operations, `views` the thread as one person
sees it, `summary` participation, PD-hours credit, the CSV export and the digest.
"""

from tlkit.thread.store import Person, Post, Task, ThreadStore
from tlkit.thread.summary import ThreadCredit, credits

__all__ = ["Person", "Post", "Task", "ThreadCredit", "ThreadStore", "credits"]
