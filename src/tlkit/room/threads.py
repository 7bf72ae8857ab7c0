"""What the participant app's reflection-thread routes do, apart from the web server: each call
takes what the page sent (decoded JSON) and gives back an HTTP status and a JSON-ready dict
whose message is a plain sentence.

A person is named by the thread code and their person id (their secret, kept in the browser's
localStorage). There is no route that hides, pins, exports or deletes, or that shows a name
its owner did not agree to show.
"""

from __future__ import annotations

from typing import Any

from tlkit.live import JoinRefused, TooManyWrongCodes
from tlkit.store import StoreUnavailable
from tlkit.thread import ThreadStore
from tlkit.thread.rules import ContributionRefused
from tlkit.thread.views import standing, task_view, thread_items

Reply = tuple[int, dict[str, Any]]
UNREACHABLE = ("The thread's database did not answer just now; what you wrote is kept on this "
               "page and sent again in a moment.")
ACTIONS = ("reflection", "reply", "edit", "withdraw")


def _text(value: Any, limit: int = 100) -> str:
    return value[:limit] if isinstance(value, str) else ""


class ThreadRoutes:
    def __init__(self, store: ThreadStore | None = None):
        self.store = store or ThreadStore()

    def _welcome(self, person, resumed: bool) -> Reply:
        task = self.store.task(person.code)
        if task is None:
            return 410, {"message": "The facilitator has deleted this thread."}
        return 200, {"code": person.code, "person": person.id, "number": person.number,
                     "label": person.label, "resumed": resumed, "task": task_view(task),
                     **self._thread(task, person)}

    def _thread(self, task, person) -> dict[str, Any]:
        posts = self.store.posts(task.code)
        return {"revision": task.revision, "items": thread_items(task, posts, person),
                "standing": standing(task, posts, person)}

    def join(self, sent: Any) -> Reply:
        """POST api/thread/join {code, name, named, page}."""
        sent = sent if isinstance(sent, dict) else {}
        try:
            person = self.store.join(_text(sent.get("code"), 24), _text(sent.get("name"), 200),
                                     named=sent.get("named") is True,
                                     page=_text(sent.get("page"), 64) or None)
            return self._welcome(person, resumed=False)
        except TooManyWrongCodes as err:
            return 429, {"message": str(err)}
        except (JoinRefused, ContributionRefused) as err:
            return 400, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def resume(self, sent: Any) -> Reply:
        """POST api/thread/resume {code, person}: a reloaded page picks its person up."""
        sent = sent if isinstance(sent, dict) else {}
        try:
            person = self.store.person(_text(sent.get("code"), 24),
                                       _text(sent.get("person"), 64))
            return self._welcome(person, resumed=True)
        except JoinRefused as err:
            return 410, {"message": f"{err} This page has forgotten it; type the code to join "
                                    "again."}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def thread(self, code: Any, person_id: Any, since: Any = None) -> Reply:
        """GET api/thread?code=&person=&since=: the thread as this person sees it, or
        {"same": true} when nothing changed since revision `since`."""
        try:
            person = self.store.person(_text(code, 24), _text(person_id, 64))
            task = self.store.task(person.code)
            if task is None:
                return 410, {"message": "The facilitator has deleted this thread."}
            if str(since) == str(task.revision):
                return 200, {"same": True, "revision": task.revision}
            return 200, self._thread(task, person)
        except JoinRefused as err:
            return 410, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def send(self, sent: Any) -> Reply:
        """POST api/thread/send {code, person, action, id, parent, post, body}."""
        sent = sent if isinstance(sent, dict) else {}
        action = sent.get("action")
        if action not in ACTIONS:
            return 400, {"message": "This page sent something the thread does not take; "
                                    "reload the page."}
        try:
            person = self.store.person(_text(sent.get("code"), 24),
                                       _text(sent.get("person"), 64))
            body = sent.get("body")
            if action in ("reflection", "reply"):
                stored = self.store.post(person, action, body, post_id=_text(sent.get("id"), 64),
                                         parent=_text(sent.get("parent"), 64) or None)
                message = ("Posted. Thank you." if action == "reflection" else "Reply sent.")
            elif action == "edit":
                self.store.edit(person, _text(sent.get("post"), 64), body)
                stored, message = True, "Your changes are saved."
            else:
                self.store.withdraw(person, _text(sent.get("post"), 64))
                stored, message = True, "Withdrawn: your words are removed from the thread."
            task = self.store.task(person.code)
            return 200, {"stored": True, "again": not stored, "message": message,
                         **(self._thread(task, person) if task else {})}
        except ContributionRefused as err:
            return 400, {"message": str(err)}
        except JoinRefused as err:
            return 410, {"message": str(err)}
        except StoreUnavailable:
            return 503, {"message": UNREACHABLE}

    def clip_file(self, code: Any, person_id: Any) -> str | None:
        """The video file name of the thread `code`'s task, for one of its people; None when
        they are not, or the task has no video."""
        try:
            person = self.store.person(_text(code, 24), _text(person_id, 64))
            task = self.store.task(person.code)
        except (JoinRefused, StoreUnavailable):
            return None
        return task.clip.name if task is not None and task.clip.kind == "video" else None
