"""Checked activities: their definitions and their answer keys as salted digests.

An activity is a YAML file (content/activities/<id>.yaml, or activities/<id>.yaml beside the
notebook for a course's own modules) listing its items, the labels and their spellings, a hint
per item and the accepted answers as salted SHA-256 digests. A learner answers in a form
(tlkit.widgets.course.activity_form); tlkit.course.forms reviews and scores what the form holds.
The digests keep the key out of plain sight in the learner's copy; they are not a secret from
someone who tries every label, and the graded score never relies on them: the grade cell's
hidden tests carry the key itself (`score_form`), and only authors see those.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Mapping

from tlkit.content.loader import ContentError, read_yaml
from tlkit.settings import CONTENT

ACTIVITIES_DIR = CONTENT / "activities"
LOCAL_FOLDER = "activities"   # beside the notebook: a course's own module activities
KINDS = ("labels", "percents")


class ActivityError(ValueError):
    """An activity file is missing or malformed; the message names the file and the fix."""


class CheckFailed(AssertionError):
    """A check that fails while nbgrader grades. Jupyter shows `_render_traceback_` in place of
    a traceback, so a learner (and nbgrader's Validate dialog) reads only the sentence."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


# --- the activity definition ----------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    name: str
    spellings: tuple[str, ...]
    meaning: str


@dataclass(frozen=True)
class Item:
    id: str
    name: str                       # how feedback refers to it, e.g. "Q3" or "Exact agreement"
    digests: tuple[str, ...]        # accepted answers, salted
    hint: str                       # shown when the answer is not an accepted one
    hints: Mapping[str, str] = field(default_factory=dict)  # labels: hint per answer given
    near: tuple[tuple[float, float, str], ...] = ()          # percents: (value, tolerance, hint)


@dataclass(frozen=True)
class Activity:
    id: str
    kind: str                       # "labels" or "percents"
    answers: tuple[str, ...]        # unused by forms; kept so older files still load
    salt: str
    items: tuple[Item, ...]
    labels: tuple[Label, ...] = ()
    path: Path | None = None

    def label_names(self) -> str:
        names = [label.name for label in self.labels]
        return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def answer_digest(salt: str, item: str, answer: str) -> str:
    """The digest stored for an accepted answer. The item id is mixed in so that two items
    with the same answer do not share a digest (which would give the pattern away)."""
    return hashlib.sha256(f"{salt}|{item}|{answer}".encode("utf-8")).hexdigest()


def whole_percent(value: float) -> int:
    """A percent rounded half up to a whole number: 83.33 and 83.3 are both 83."""
    return math.floor(value + 0.5)


def accepted_digests(activity_kind: str, salt: str, item: str, answer) -> list[str]:
    """Digests to store for a correct `answer`: the label itself, or for a percent every
    whole percent within one of it (83.33 accepts 83 and 84; 50 accepts only 50)."""
    if activity_kind == "labels":
        return [answer_digest(salt, item, str(answer))]
    value = float(answer)
    wholes = sorted({n for n in (math.floor(value), math.ceil(value)) if abs(n - value) < 1})
    return [answer_digest(salt, item, str(n)) for n in wholes]


def activity_path(activity_id: str, here: Path | None = None) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]+", str(activity_id)):
        raise ActivityError(f"{activity_id!r} is not an activity id: use letters, digits, "
                            "hyphens and underscores, the name of its file without .yaml.")
    kit = ACTIVITIES_DIR / f"{activity_id}.yaml"
    # The kit's own activity wins: a file a learner puts beside the notebook (and hands in)
    # never stands in for it. A course's own modules keep theirs beside the notebook, where
    # grading puts back the course's copy over anything handed in.
    if kit.is_file():
        return kit
    return Path(here or Path.cwd()) / LOCAL_FOLDER / f"{activity_id}.yaml"


def load_activity(activity_id: str, here: Path | None = None) -> Activity:
    path = activity_path(activity_id, here)
    try:
        # the one protected reader: no aliases, a size and a depth limit
        data = read_yaml(path, f"The activity file {path}")
    except FileNotFoundError:
        raise ActivityError(f"There is no activity called {activity_id!r} (looked for "
                            f"{path.name} in {LOCAL_FOLDER}/ beside the notebook and in the "
                            f"kit's content/activities/).") from None
    except ContentError as error:
        raise ActivityError(str(error)) from None
    return _activity(data, path, activity_id)


def _activity(data: Any, path: Path, activity_id: str) -> Activity:
    where = path.name

    def need(value, what):
        if value in (None, "", [], {}):
            raise ActivityError(f"{where}: {what} is missing. See AUTHORING.md for the fields.")
        return value

    if not isinstance(data, dict):
        raise ActivityError(f"{where} should be a block with id, kind, answers, salt and items.")
    if data.get("id") != activity_id:
        raise ActivityError(f"{where}: its id is {data.get('id')!r}; make it {activity_id!r}, "
                            f"the file's name.")
    kind = need(data.get("kind"), "'kind'")
    if kind not in KINDS:
        raise ActivityError(f"{where}: kind {kind!r} should be one of {', '.join(KINDS)}.")
    answers = data.get("answers") or ()     # older files name the answer cell's variables
    answers = (answers,) if isinstance(answers, str) else tuple(str(a) for a in answers)
    labels = tuple(
        Label(str(name), tuple(_spelling(s) for s in [name, *(info or {}).get("spellings", [])]),
              str((info or {}).get("meaning", "")).strip())
        for name, info in (data.get("labels") or {}).items())
    if kind == "labels" and not labels:
        raise ActivityError(f"{where}: a labels activity needs 'labels', each with spellings.")
    items = []
    for item_id, info in need(data.get("items"), "'items'").items():
        info = info or {}
        digests = info.get("accepted")
        if not digests:
            raise ActivityError(f"{where}, item {item_id}: 'accepted' (the digests of the "
                                f"right answers) is missing.")
        items.append(Item(
            id=str(item_id), name=str(info.get("name", item_id)),
            digests=tuple(str(d) for d in digests),
            hint=str(need(info.get("hint"), f"item {item_id}'s 'hint'")).strip(),
            hints={str(k): str(v).strip() for k, v in (info.get("hints") or {}).items()},
            near=tuple((float(n["value"]), float(n.get("tolerance", 0.01)), str(n["hint"]).strip())
                       for n in info.get("near") or ())))
    return Activity(id=activity_id, kind=kind, answers=answers,
                    salt=str(need(data.get("salt"), "'salt'")), items=tuple(items),
                    labels=labels, path=path)


def _spelling(text: Any) -> str:
    """Case, spaces and trailing punctuation do not matter: " Probing question." reads the same."""
    return re.sub(r"\s+", " ", str(text)).strip().strip(".!?\"'").strip().lower()


# --- reading an answer ---------------------------------------------------------------------

def label_of(activity: Activity, answer: Any) -> str | None:
    """The label an answer names, whatever its case, spacing or spelling; None if none."""
    spelling = _spelling(answer)
    for label in activity.labels:
        if spelling in label.spellings:
            return label.name
    return None


# --- what a check shows ---------------------------------------------------------------------

_STYLES = {"note": ("#fff8e1", "#f9a825"), "problem": ("#fdecea", "#c62828"),
           "done": ("#e8f5e9", "#2e7d32")}


def box_html(kind: str, lines: list[str]) -> str:
    """A plain box of sentences (escaped); role=status so screen readers announce it."""
    background, border = _STYLES[kind]
    body = "".join(f'<p style="margin:0.3em 0">{escape(line)}</p>' for line in lines)
    return (f'<div class="tlkit-check tlkit-check-{kind}" role="status" style="background:'
            f'{background};border-left:6px solid {border};padding:0.6em 1em;font-size:1.1em;'
            f'color:#1a1a1a">{body}</div>')
