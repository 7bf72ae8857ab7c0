"""The participant app's web server (Tornado): the page and its files, and four JSON routes.

Every route sits under a prefix, "/" by default; under JupyterHub, the service's own
(JUPYTERHUB_SERVICE_PREFIX, e.g. /services/live/), which the hub's proxy passes on whole.

    GET  /                  the page (static/index.html); /static/... its script and style
    POST /api/join          {code, name, named, page} -> the participant and the session
    POST /api/resume        {code, participant} -> the same, for a reloaded page
    GET  /api/session       ?code=&participant=&since=REVISION: the session once it differs
                            from `since` (or after WAIT_SECONDS): the page follows by asking
                            again at once, so a step change reaches it within a poll
    POST /api/send          {code, participant, id, kind, body} -> stored once under its id

and for between-session reflection threads (tlkit.thread, tlkit.room.threads):

    GET  /thread/           the thread's page (static/thread.html)
    POST /api/thread/join   {code, name, named, page} -> the person, the task and its thread
    POST /api/thread/resume {code, person} -> the same, for a reloaded page
    GET  /api/thread        ?code=&person=&since=REVISION -> the thread as this person sees it
    POST /api/thread/send   {code, person, action, id, parent, post, body}: a reflection or a
                            reply stored once under its id, or an edit or withdrawal of one's own
    GET  /clip              ?code=&person=: the task's video, from the clips folder on this
                            machine (TLKIT_CLIPS_DIR), with range requests for seeking

Nothing else: no route moves the clock, ends, exports, deletes, hides or names anyone. Database
calls run on a few threads so a slow one never holds the others; one watcher per session
reads its revision every WATCH_SECONDS for all the pages that follow it.
"""

from __future__ import annotations

import asyncio
import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tornado.web

from tlkit.live.store import normal_code
from tlkit.room.app import UNREACHABLE, RoomApp
from tlkit.room.threads import ThreadRoutes
from tlkit.settings import clips_dir
from tlkit.store import StoreUnavailable
from tlkit.thread import ThreadStore
from tlkit.thread.rules import VIDEO_TYPES

STATIC = Path(__file__).parent / "static"
WAIT_SECONDS = 20.0        # a follow request is answered after this long even if nothing moved
WATCH_SECONDS = 0.2        # how often a followed session's revision is read
THREADS = 8
MAX_BODY = 16 * 1024       # bytes in one request: a contribution is at most a few hundred
# The page may load only its own files and talk only to this server: nothing outside.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
          "media-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
          "form-action 'none'; frame-ancestors 'none'")


class Watch:
    """Per session code, the latest state and the pages waiting for it to change."""

    def __init__(self, app: RoomApp, run):
        self.app, self.run = app, run
        self.states: dict[str, object] = {}            # code -> SessionState or None (gone)
        self.waiting: dict[str, asyncio.Event] = {}
        self._task: asyncio.Task | None = None

    async def current(self, code: str, fresh: bool = False):
        if fresh or code not in self.states:
            self.states[code] = await self.run(self.app.state_of, code)
        return self.states[code]

    async def changed(self, code: str, since: int | None, timeout: float):
        """The session's state once its revision differs from `since` (at once when `since`
        is None), or as it is after `timeout` seconds."""
        state = await self.current(code, fresh=since is None)
        if state is None or state.revision != since:
            return state
        event = self.waiting.setdefault(code, asyncio.Event())
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._watch())
        try:
            await asyncio.wait_for(event.wait(), timeout)
        except asyncio.TimeoutError:
            pass
        return self.states.get(code)

    async def _watch(self) -> None:
        while self.waiting:
            await asyncio.sleep(WATCH_SECONDS)
            for code in list(self.waiting):
                try:
                    revision = await self.run(self.app.live.revision, code)
                    old = self.states.get(code)
                    if old is not None and revision == old.revision:
                        continue
                    self.states[code] = await self.run(self.app.state_of, code)
                except StoreUnavailable:
                    continue        # the next look tries again
                self.waiting.pop(code).set()


class Base(tornado.web.RequestHandler):
    def set_default_headers(self) -> None:
        self.set_header("Content-Security-Policy", POLICY)
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs) -> None:
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("There is nothing here. Open the address the facilitator shows."
                    if status_code == 404 else "Something went wrong; reload the page.")

    @property
    def room(self) -> RoomApp:
        return self.application.settings["room"]

    async def run(self, function, *args):
        return await asyncio.get_running_loop().run_in_executor(
            self.application.settings["executor"], function, *args)

    def reply(self, status: int, payload: dict) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(payload))

    def prepare(self) -> None:
        # Only the page's own requests: JSON, which another site's page cannot send here
        # without the browser asking this server first (and this server never agrees).
        if self.request.method == "POST" and not self.request.headers.get(
                "Content-Type", "").startswith("application/json"):
            self.reply(415, {"message": "This address takes the page's own requests only."})

    def sent(self):
        try:
            return json.loads(self.request.body or b"{}")
        except ValueError:
            return None


class NotFound(Base):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


class Page(Base):
    def initialize(self, page: str = "index.html") -> None:
        self.page = page

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish((STATIC / self.page).read_bytes())


class Static(tornado.web.StaticFileHandler):
    def set_default_headers(self) -> None:
        Base.set_default_headers(self)

    def write_error(self, status_code: int, **kwargs) -> None:
        Base.write_error(self, status_code, **kwargs)


class Join(Base):
    async def post(self) -> None:
        self.reply(*await self.run(self.room.join, self.sent()))


class Resume(Base):
    async def post(self) -> None:
        self.reply(*await self.run(self.room.resume, self.sent()))


class Send(Base):
    async def post(self) -> None:
        self.reply(*await self.run(self.room.send, self.sent()))


class Session(Base):
    async def get(self) -> None:
        code = normal_code(self.get_query_argument("code", ""))
        participant = self.get_query_argument("participant", "")
        # A participant checked before is known here: following costs no database call.
        if not self.room.knows(code, participant):
            refused = await self.run(self.room.check, code, participant)
            if refused is not None:
                self.reply(*refused)
                return
        try:
            since = int(self.get_query_argument("since", ""))
        except ValueError:
            since = None
        wait = WAIT_SECONDS if since is not None else 0.0
        try:
            state = await self.application.settings["watch"].changed(code, since, wait)
        except StoreUnavailable:
            self.reply(503, {"message": UNREACHABLE})
            return
        self.reply(200 if state is not None else 410, self.room.view(state))


class ThreadBase(Base):
    @property
    def threads(self) -> ThreadRoutes:
        return self.application.settings["threads"]


class ThreadJoin(ThreadBase):
    async def post(self) -> None:
        self.reply(*await self.run(self.threads.join, self.sent()))


class ThreadResume(ThreadBase):
    async def post(self) -> None:
        self.reply(*await self.run(self.threads.resume, self.sent()))


class ThreadSend(ThreadBase):
    async def post(self) -> None:
        self.reply(*await self.run(self.threads.send, self.sent()))


class Thread(ThreadBase):
    async def get(self) -> None:
        self.reply(*await self.run(self.threads.thread, self.get_query_argument("code", ""),
                                   self.get_query_argument("person", ""),
                                   self.get_query_argument("since", "")))


class Clip(tornado.web.StaticFileHandler):
    """The task's video, to the people of its thread only, from the clips folder."""

    def set_default_headers(self) -> None:
        Base.set_default_headers(self)
        self.set_header("Cache-Control", "private, max-age=3600")

    def write_error(self, status_code: int, **kwargs) -> None:
        Base.write_error(self, status_code, **kwargs)

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        return str(Path(root) / path)

    def get_content_type(self) -> str:
        return VIDEO_TYPES.get(Path(self.absolute_path).suffix.lower(), "application/octet-stream")

    async def get(self, path: str = "", include_body: bool = True) -> None:
        threads: ThreadRoutes = self.application.settings["threads"]
        name = await asyncio.get_running_loop().run_in_executor(
            self.application.settings["executor"], threads.clip_file,
            self.get_query_argument("code", ""), self.get_query_argument("person", ""))
        if name is None:
            raise tornado.web.HTTPError(404)
        self.root = str(clips_dir())
        await super().get(name, include_body)

    async def head(self, path: str = "") -> None:
        await self.get(path, include_body=False)


class ToPage(tornado.web.RequestHandler):
    def get(self) -> None:
        self.redirect(self.request.path + "/")     # the page's relative addresses need the /


def make_app(room: RoomApp | None = None, *, threads: int = THREADS,
             prefix: str = "/", thread_routes: ThreadRoutes | None = None
             ) -> tornado.web.Application:
    room = room or RoomApp()
    thread_routes = thread_routes or ThreadRoutes(ThreadStore(room.live.url))
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    at = re.escape(prefix)
    executor = ThreadPoolExecutor(threads, thread_name_prefix="room")

    def run(function, *args):
        return asyncio.get_running_loop().run_in_executor(executor, function, *args)

    return tornado.web.Application(
        [(at, Page), (at + r"api/join", Join), (at + r"api/resume", Resume),
         (at + r"api/session", Session), (at + r"api/send", Send),
         (at + r"thread/", Page, {"page": "thread.html"}), (at + r"thread", ToPage),
         (at + r"api/thread/join", ThreadJoin), (at + r"api/thread/resume", ThreadResume),
         (at + r"api/thread", Thread), (at + r"api/thread/send", ThreadSend),
         (at + r"clip", Clip, {"path": str(clips_dir())}),
         (at + r"static/(app\.js|app\.css|thread\.js|icon\.svg)", Static, {"path": str(STATIC)}),
         *([(at[:-1], ToPage)] if prefix != "/" else [])],
        default_handler_class=NotFound, room=room, threads=thread_routes, executor=executor,
        watch=Watch(room, run),
        xsrf_cookies=False,
        compress_response=True)


def serve(host: str, port: int, room: RoomApp | None = None, prefix: str = "/") -> None:
    """Serve the participant app on host:port under `prefix` until the process is stopped."""
    async def main() -> None:
        make_app(room, prefix=prefix).listen(port, address=host, max_body_size=MAX_BODY)
        await asyncio.Event().wait()
    asyncio.run(main())
