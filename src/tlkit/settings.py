"""Every setting of the kit, read in this one place.

Each setting is an environment variable with a default, declared in SETTINGS; the README's
*Settings* table is SETTINGS written out (tests/unit/test_settings_table.py keeps them equal).
Nothing else in the kit, deploy/ included, reads a TLKIT_* variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

CONTENT = Path(str(resources.files("tlkit") / "content"))
PROTOCOLS_DIR = CONTENT / "protocols"
RUBRICS_DIR = CONTENT / "rubrics"


@dataclass(frozen=True)
class Setting:
    variable: str
    default: str
    meaning: str


# Markdown, as the README's table shows it.
SETTINGS = (
    Setting("TLKIT_COURSE_ROOT", "searched upwards from the current folder",
            "the folder holding `modules/` and `facilitator/`"),
    Setting("TLKIT_STATE_DIR", "`~/.tlkit/state`",
            "where widgets keep their saved state (clocks, notes, scores)"),
    Setting("TLKIT_BUILD", "`<course root>/build`",
            "nbgrader's generated files and the gradebook"),
    Setting("TLKIT_WORKSPACE", "`<course root>/workspace`", "the learner's copy of the course"),
    Setting("TLKIT_DATA", "the datasets shipped with the kit", "a different folder of datasets"),
    Setting("TLKIT_EXCHANGE", "`<build folder>/exchange`",
            "nbgrader's exchange, where released modules wait and hand-ins arrive; on a hub, the "
            "one shared folder every server names"),
    Setting("TLKIT_ROLE", "`learner`",
            "on a hub, whose server this is, set by the hub (`deploy/`): `facilitator` (the "
            "course folder and everyone's hand-ins) or `learner` (hand-ins filed under the hub "
            "name)"),
    Setting("TLKIT_LIVE_DB", "`sqlite:///<state folder>/live.sqlite3`",
            "the database live sessions share: SQLite on one machine, or "
            "`postgresql://USER@HOST:PORT/DATABASE` for a hub whose kernels run on several "
            "machines"),
    Setting("TLKIT_LIVE_JOIN_URL", "worked out from the address of the facilitator's page",
            "the public address participants type to reach the live-session join page: the "
            "folder of facilitator views (`https://pd.example.org/voila/render/`) or the page "
            "itself (`…/live-join.ipynb`); the facilitator's page shows it in large type beside "
            "the join code"),
    Setting("TLKIT_ROOM_URL", "set by `tlkit facilitate --room` for its own pages",
            "the address of the participant app (`tlkit.room`) that people in the room open on "
            "their own phones and laptops, e.g. `http://192.168.1.20:8870/`; when it is set, the "
            "facilitator's live-session page shows it, large, beside the join code"),
    Setting("TLKIT_CLIPS_DIR", "`<state folder>/clips`",
            "the folder of video clips of practice that between-session reflection threads "
            "show; the participant app serves them from this machine (or the hub) only"),
    Setting("TLKIT_PARTIAL_SESSIONS", "`no`",
            "the partner's rule for PD hours: `yes` counts the minutes a learner was present at "
            "a live session they joined late, `no` counts only sessions attended whole"),
)
ROLES = ("learner", "facilitator")
# nbgrader's course id: the exchange files releases and hand-ins under it.
COURSE_ID = "tlkit"


class SettingError(ValueError):
    """A setting points somewhere unusable; the message names the variable and the fix."""


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def course_root(start: Path | None = None) -> Path:
    """The folder holding modules/ and facilitator/.

    TLKIT_COURSE_ROOT wins; otherwise search upwards from `start` (default: the current
    folder, which is where Jupyter and Voila run a notebook), then from this source tree.
    """
    env = _env("TLKIT_COURSE_ROOT")
    if env:
        return Path(env).resolve()
    candidates = [Path(start or Path.cwd()).resolve(), Path(__file__).resolve()]
    for first in candidates:
        for folder in [first, *first.parents]:
            if (folder / "modules").is_dir() and (folder / "facilitator").is_dir():
                return folder
    raise FileNotFoundError(
        "Could not find the course folder (the one holding modules/ and facilitator/). "
        "Run from inside it, or set TLKIT_COURSE_ROOT to its path."
    )


def state_dir(create: bool = True) -> Path:
    """Where widgets save their state (runner clocks, observation notes) between reloads.

    TLKIT_STATE_DIR wins; otherwise ~/.tlkit/state. Kept outside the course tree so a new
    release of the course never overwrites what a group or a learner has done.
    """
    env = _env("TLKIT_STATE_DIR")
    folder = Path(env).expanduser() if env else Path.home() / ".tlkit" / "state"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def build_dir(root: Path | None = None) -> Path:
    """nbgrader's generated files (release, submitted, autograded, feedback, gradebook).

    nbgrader_config.py uses this too, so the rule is written once.
    """
    env = _env("TLKIT_BUILD")
    return Path(env).expanduser().resolve() if env else (Path(root or course_root()) / "build").resolve()


def exchange_dir(build: Path | None = None) -> Path:
    """nbgrader's exchange: the build folder's own on one machine, a shared folder on a hub
    (where every server, the facilitator's and the learners', must name the same one)."""
    env = _env("TLKIT_EXCHANGE")
    if env:
        return Path(env).expanduser().resolve()
    return Path(build or build_dir()) / "exchange"


def role() -> str:
    """TLKIT_ROLE: "facilitator" or "learner" (the default), which a hub sets per server."""
    env = _env("TLKIT_ROLE") or ROLES[0]
    if env not in ROLES:
        raise SettingError(f"TLKIT_ROLE is set to {env!r}. Set it to one of: {', '.join(ROLES)}, "
                           "or unset it (a learner's server).")
    return env


def workspace_dir(root: Path | None = None) -> Path:
    """The learner's copy of the course that JupyterLab opens."""
    env = _env("TLKIT_WORKSPACE")
    if env:
        return Path(env).expanduser().resolve()
    return (Path(root or course_root()) / "workspace").resolve()


def data_override() -> Path | None:
    """TLKIT_DATA: a teacher's own folder of datasets, or None for the kit's own."""
    env = _env("TLKIT_DATA")
    if not env:
        return None
    folder = Path(env).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"TLKIT_DATA is set to {folder}, which is not a folder. "
                                "Point it at a folder of datasets, or unset it to use "
                                "the course's own data.")
    return folder


def live_db_url() -> str:
    """TLKIT_LIVE_DB: where live sessions are shared. Default: a SQLite file in the state
    folder, which every kernel on this machine opens (a facilitator's and participants' pages
    served by one Voila). A hub whose kernels run on several machines sets a PostgreSQL URL."""
    env = _env("TLKIT_LIVE_DB")
    if env:
        return env
    return f"sqlite:///{state_dir(create=False) / 'live.sqlite3'}"


def clips_dir() -> Path:
    """TLKIT_CLIPS_DIR: the video clips a reflection thread may show, served from this machine
    (or the hub) by the participant app, never fetched from the internet."""
    env = _env("TLKIT_CLIPS_DIR")
    return Path(env).expanduser() if env else state_dir(create=False) / "clips"


def _web_address(name: str, example: str) -> str | None:
    """The setting `name` when it is a web address, None when unset; SettingError otherwise."""
    env = _env(name)
    if env is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(env)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in env
    except ValueError:
        ok = False
    if not ok:
        raise SettingError(f"{name} is set to {env!r}, which is not a web address. Set it to "
                           f"the address people type to reach {example}, or unset it.")
    return env


def room_url() -> str | None:
    """TLKIT_ROOM_URL: the participant app's address on the room's network (tlkit.room), or
    None when no room is open."""
    return _web_address("TLKIT_ROOM_URL", "the participant app, such as http://192.168.1.20:8870/")


def live_join_url() -> str | None:
    """TLKIT_LIVE_JOIN_URL: the public web address of the live-session join page, or of the
    folder it is in, as people in the room type it; None when unset (the facilitator's page
    then works the address out from its own, tlkit.live.address)."""
    return _web_address("TLKIT_LIVE_JOIN_URL",
                        "the join page, such as https://pd.example.org/voila/render/")


def partial_sessions_count() -> bool:
    """TLKIT_PARTIAL_SESSIONS: whether a live session joined late counts the minutes present
    towards a learner's hours (tlkit.evaluation.hours); by default it counts nothing."""
    env = (_env("TLKIT_PARTIAL_SESSIONS") or "no").lower()
    if env not in ("yes", "no"):
        raise SettingError(f"TLKIT_PARTIAL_SESSIONS is set to {env!r}. Set it to yes (a late "
                           "join counts the minutes present) or no (only whole sessions count).")
    return env == "yes"
