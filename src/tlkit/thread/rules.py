"""What a between-session task and its thread accept: the reflection protocol (content), the
clip (a video file in the clips folder, or one of the kit's written episodes), the due date,
and the checks on what a person writes. Every refusal is a plain sentence."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tlkit.content import list_names, load
from tlkit.live.contributions import ContributionRefused, clean_name
from tlkit.settings import clips_dir

MAX_STEM = 1000            # characters in one part of a reflection
MAX_REPLY = 600            # characters in a reply
MAX_REASON = 200           # characters in the reason the facilitator gives for hiding a post
MAX_PROMPT = 1000
MAX_TITLE = 120
MAX_REPLIES_REQUIRED = 5
VIDEO_TYPES = {".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm",
               ".ogv": "video/ogg", ".mov": "video/quicktime"}
_VIDEO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,120}")
DEFAULT_PROTOCOL = "notice-wonder-try"
DEFAULT_DESIGN = "every-other-week"
DEFAULT_MODULE = "designing-learning"


class TaskRefused(ValueError):
    """A task the facilitator cannot open as given; the message says what to change."""


@dataclass(frozen=True)
class Stem:
    id: str
    label: str
    stem: str
    hint: str


@dataclass(frozen=True)
class Protocol:
    id: str
    name: str
    purpose: str
    stems: tuple[Stem, ...]
    reply_guide: str


def protocol_ids() -> list[str]:
    return list_names("reflection-protocol")


def load_protocol(protocol_id: str) -> Protocol:
    data = load("reflection-protocol", protocol_id)
    return Protocol(data["id"], data["name"], data["purpose"].strip(),
                    tuple(Stem(s["id"], s["label"], s["stem"], s["hint"]) for s in data["stems"]),
                    data["reply_guide"].strip())


def reflection_minutes(design_id: str = DEFAULT_DESIGN) -> int:
    """The minutes a design gives its video reflection (its virtual component)."""
    design = load("design", design_id)
    for component in design["components"]:
        if component["mode"] == "virtual":
            return int(component["minutes"])
    raise TaskRefused(f"The design {design['title']!r} has no video reflection between "
                      "sessions; choose a design that has one.")


# -- the clip ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Clip:
    kind: str       # "video", "episode" or "" (none)
    name: str       # the file name in the clips folder, or the episode's id

    @property
    def stored(self) -> str:
        return f"{self.kind}:{self.name}" if self.kind else ""


def clip_of(stored: str) -> Clip:
    kind, _, name = (stored or "").partition(":")
    return Clip(kind, name) if kind in ("video", "episode") and name else Clip("", "")


def video_names(folder: Path | None = None) -> list[str]:
    """The video files a task may show: those in the clips folder, by name."""
    folder = folder or clips_dir()
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_file()
                  and p.suffix.lower() in VIDEO_TYPES and _VIDEO_NAME.fullmatch(p.name))


def video_path(name: str, folder: Path | None = None) -> Path | None:
    """The clip's file, only when `name` is a plain file name in the clips folder."""
    folder = folder or clips_dir()
    if not isinstance(name, str) or not _VIDEO_NAME.fullmatch(name) or \
            Path(name).suffix.lower() not in VIDEO_TYPES:
        return None
    path = folder / name
    return path if path.is_file() else None


def check_clip(stored: str) -> Clip:
    clip = clip_of(stored)
    if stored and not clip.kind:
        raise TaskRefused("Choose a video from the clips folder, one of the kit's written "
                          "episodes, or no clip.")
    if clip.kind == "video" and video_path(clip.name) is None:
        raise TaskRefused(f"There is no video {clip.name!r} in the clips folder "
                          f"({clips_dir()}). Copy the partner's file there, then choose it.")
    if clip.kind == "episode" and clip.name not in list_names("episode"):
        raise TaskRefused(f"The kit has no written episode {clip.name!r}.")
    return clip


def episode_text(episode_id: str) -> dict[str, Any]:
    """A written episode as the thread shows it in place of a video: its title, setting and
    timed notes (plain text; the page sets it as text)."""
    data = load("episode", episode_id)
    return {"title": data["title"], "setting": " ".join(data["setting"].split()),
            "notes": [{"time": n["time"], "text": n["text"]} for n in data["notes"]]}


def check_due(due: Any) -> str:
    try:
        return dt.date.fromisoformat(str(due)).isoformat()
    except ValueError:
        raise TaskRefused("Give the due date as year-month-day, e.g. 2026-12-10.") from None


# -- what people write -------------------------------------------------------------------

def _clean(text: Any, limit: int, what: str) -> str:
    if not isinstance(text, str):
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > limit:
        raise ContributionRefused(f"{what} is {len(text)} characters long; the limit is "
                                  f"{limit}. Shorten it and send it again (your text is kept).")
    return text


def check_reflection(body: Any, protocol: Protocol) -> dict[str, str]:
    """A reflection: the protocol's stems, each completed or left out; at least one."""
    given = body.get("stems") if isinstance(body, dict) else None
    given = given if isinstance(given, dict) else {}
    clean = {}
    for stem in protocol.stems:
        text = _clean(given.get(stem.id), MAX_STEM, f"What you wrote after '{stem.stem}'")
        if text:
            clean[stem.id] = text
    if not clean:
        raise ContributionRefused("Your reflection is empty; complete at least one of the "
                                  "sentences, then post it.")
    return clean


def check_reply(body: Any) -> str:
    text = _clean(body.get("text") if isinstance(body, dict) else None, MAX_REPLY, "Your reply")
    if not text:
        raise ContributionRefused("Your reply is empty; write it, then send it.")
    return text
