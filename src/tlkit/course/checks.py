"""Checked activities in a module notebook: formative feedback while a teacher studies, a plain
failure while nbgrader grades.

A check cell in a module shows one line, `check_activity("clarify_probe")`. The activity's
definition is a YAML file (content/activities/<id>.yaml, or activities/<id>.yaml beside the
notebook for a course's own modules) listing its items, the accepted labels and spellings, a
hint per item and the answer key as salted SHA-256 digests. The digests keep the key out of
plain sight (the learner's copy of the kit holds them); they are not a secret from someone who
tries every label, and the graded score never relies on them: the grade cell's hidden tests
carry the key itself (`expect_answers`), and only authors see those.

Two modes:
- studying (no NBGRADER_EXECUTION): never raise. Show a plain box saying what is missing and
  which items to reconsider, with a hint that teaches the distinction, and let Run All go on.
- grading (nbgrader sets NBGRADER_EXECUTION during validate and autograde): a missing, blank or
  unreadable answer raises CheckFailed, an AssertionError whose traceback is the sentence
  itself, so nbgrader's Validate dialog and feedback show one sentence and the cell scores 0.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sys
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any, Mapping

from tlkit.content.loader import ContentError, read_yaml
from tlkit.settings import CONTENT

ACTIVITIES_DIR = CONTENT / "activities"
LOCAL_FOLDER = "activities"   # beside the notebook: a course's own module activities
RUN_FIRST = "Run the answer cell above first, then this one."
KINDS = ("labels", "percents")
_MISSING = object()


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
    answers: tuple[str, ...]        # the variable(s) the answer cell sets
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
    answers = need(data.get("answers"), "'answers' (the answer cell's variable names)")
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


# --- reviewing an answer --------------------------------------------------------------------

@dataclass
class Review:
    problems: list[str] = field(default_factory=list)     # missing, blank or unreadable
    reconsider: list[str] = field(default_factory=list)   # answered, but worth another look
    answered: int = 0

    @property
    def complete(self) -> bool:
        return not self.problems

    @property
    def all_right(self) -> bool:
        return not self.problems and not self.reconsider

    def _ipython_display_(self) -> None:
        # A check cell ends with its call: the box it showed is the whole answer, so the value
        # itself shows nothing (no "Review(...)" line, nothing for nbgrader to read as a score).
        pass


def review(activity: Activity, namespace: Mapping[str, Any]) -> Review:
    """What is missing and which answers to reconsider, in plain sentences. Never raises."""
    values = [namespace.get(name, _MISSING) for name in activity.answers]
    if any(value is _MISSING for value in values):
        return Review(problems=[RUN_FIRST])
    if activity.kind == "labels":
        return _review_labels(activity, values[0])
    return _review_percents(activity, dict(zip(activity.answers, values)))


def _label_of(activity: Activity, answer: Any) -> str | None:
    spelling = _spelling(answer)
    for label in activity.labels:
        if spelling in label.spellings:
            return label.name
    return None


def _review_labels(activity: Activity, answer: Any) -> Review:
    result = Review()
    name = activity.answers[0]
    if not isinstance(answer, dict):
        result.problems.append(f"Keep the answer in the shape it started in: {name} = "
                               "{ \"Q1\": \"...\", ... }. Undo your last change or copy the "
                               "lines back from the text above.")
        return result
    blank = []
    for item in activity.items:
        if item.id not in answer:
            result.problems.append(f"{item.name} is missing. Put back the line for {item.id} "
                                   f"and label it.")
            continue
        given = answer[item.id]
        if not str(given if given is not None else "").strip():
            blank.append(item.name)
            continue
        label = _label_of(activity, given)
        if label is None:
            result.problems.append(
                f"{item.name} says {given!r}, which is not one of the "
                f"{_count(len(activity.labels))} labels. Check the spelling: "
                f"{activity.label_names()}.")
            continue
        result.answered += 1
        if answer_digest(activity.salt, item.id, label) not in item.digests:
            result.reconsider.append(f"{item.name}: {item.hints.get(label, item.hint)}")
    if blank:
        which = _join(blank)
        verb = "does" if len(blank) == 1 else "do"
        result.problems.insert(0, f"{which} {verb} not have a label yet. Type "
                                  f"{activity.label_names()} between the quotes.")
    return result


def _percent(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().rstrip("%").strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _review_percents(activity: Activity, answers: Mapping[str, Any]) -> Review:
    result = Review()
    for item in activity.items:
        given = answers.get(item.id)
        number = _percent(given)
        if number is None:
            result.problems.append(
                f"{item.id} is not a number yet (it is {given!r}). Replace None with a "
                f"percent, for example 40 or 72.5.")
            continue
        if not 0 <= number <= 100:
            result.problems.append(f"{item.id} is {number:g}; a percent is between 0 and 100.")
            continue
        result.answered += 1
        if answer_digest(activity.salt, item.id, str(whole_percent(number))) in item.digests:
            continue
        hint = next((h for value, tol, h in item.near if abs(number - value) <= tol), item.hint)
        result.reconsider.append(f"{item.name}: {hint}")
    return result


def _count(n: int) -> str:
    return ("no", "one", "two", "three", "four", "five", "six")[n] if n <= 6 else str(n)


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- what a notebook cell calls -------------------------------------------------------------

def grading() -> bool:
    """True while nbgrader validates or autogrades (it sets NBGRADER_EXECUTION)."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def check_activity(activity_id: str, namespace: Mapping[str, Any] | None = None) -> Review:
    """The visible check. Reads the answers from the notebook (the caller's globals), so a check
    run before its answer cell can say so instead of failing with a NameError."""
    namespace = sys._getframe(1).f_globals if namespace is None else namespace
    try:
        activity = load_activity(activity_id)
    except ActivityError as error:
        if grading():
            raise CheckFailed(str(error)) from None
        _show("problem", [f"This check could not be loaded: {error} Tell your facilitator; "
                          "your answer is kept."])
        return Review(problems=[str(error)])
    result = review(activity, namespace)
    if grading():
        if result.problems:
            raise CheckFailed("\n".join(result.problems)) from None
        print("Every answer is filled in. It is checked when your work is collected.")
        return result
    if result.problems == [RUN_FIRST]:
        _show("note", [RUN_FIRST])
    elif result.all_right:
        _show("done", ["All your answers fit. Well done."])
    else:
        lines = list(result.problems)
        if result.problems:
            lines.append("Nothing stops here: carry on reading, and come back to this activity "
                         "when you are ready (run the answer cell, then this one).")
        if result.reconsider:
            lines.append(f"Worth another look ({len(result.reconsider)} of "
                         f"{len(activity.items)}):")
            lines.extend(result.reconsider)
        elif result.answered:
            lines.append("The answers you have given so far fit.")
        _show("note", lines)
    return result


def expect_answers(activity_id: str, key: Mapping[str, Any],
                   namespace: Mapping[str, Any] | None = None) -> None:
    """The graded check, for a grade cell's hidden tests: `key` is the answer key itself. Raises
    CheckFailed naming each item to reconsider, with its hint (never the right answer)."""
    namespace = sys._getframe(1).f_globals if namespace is None else namespace
    activity = load_activity(activity_id)
    keyed = Activity(activity.id, activity.kind, activity.answers, activity.salt,
                     tuple(Item(i.id, i.name, tuple(accepted_digests(activity.kind, activity.salt,
                                                                     i.id, key[i.id])),
                                i.hint, i.hints, i.near) for i in activity.items),
                     activity.labels, activity.path)
    result = review(keyed, namespace)
    if result.problems:
        raise CheckFailed("\n".join(result.problems))
    if result.reconsider:
        raise CheckFailed("Worth another look:\n" + "\n".join(result.reconsider))


_STYLES = {"note": ("#fff8e1", "#f9a825"), "problem": ("#fdecea", "#c62828"),
           "done": ("#e8f5e9", "#2e7d32")}


def box_html(kind: str, lines: list[str]) -> str:
    """A plain box of sentences (escaped); role=status so screen readers announce it."""
    background, border = _STYLES[kind]
    body = "".join(f'<p style="margin:0.3em 0">{escape(line)}</p>' for line in lines)
    return (f'<div class="tlkit-check tlkit-check-{kind}" role="status" style="background:'
            f'{background};border-left:6px solid {border};padding:0.6em 1em;font-size:1.1em;'
            f'color:#1a1a1a">{body}</div>')


def _show(kind: str, lines: list[str]) -> None:
    from IPython.display import display   # only where a notebook shows the box

    display({"text/html": box_html(kind, lines), "text/plain": "\n".join(lines)}, raw=True)
