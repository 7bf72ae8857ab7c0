"""The learner's answers file: what the forms in a module hold, kept beside the notebook.

Every checked activity and every written reflection in a module is answered in a form the kit
draws, never by editing code. Each change is written at once to `my-answers.json` in the
module's folder (the notebook's folder, where a kernel starts), so nothing typed is lost on a
restart, a check always reads what the form holds now, and nbgrader hands the file in with the
notebook (it collects the whole module folder).

While grading, the file is a learner's upload: `read_answers` refuses one that is too large,
not JSON, or not in the shape below, with a sentence, and never runs anything in it.

    {"activities": {"roles_match": {"S1": "coach", ...}, ...},
     "reflections": {"roles_reflection": "text", ...},
     "first_tries": {"roles_match": {"S1": "teacher", ...}, ...}}

`first_tries` keeps what each form held the first time its answers were checked, never changed
after, so the course's evaluation can set first tries beside final answers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from tlkit.atomic import write_atomic

ANSWERS_FILE = "my-answers.json"
MAX_FILE_BYTES = 1 << 20          # a module's answers are a few kilobytes; a megabyte is plenty
MAX_ANSWER_CHARS = 200            # a label or a number
MAX_REFLECTION_CHARS = 20_000     # about eight pages of writing
_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")


class AnswersError(ValueError):
    """The answers file cannot be read; the message says why in plain words."""


@dataclass
class Answers:
    activities: dict[str, dict[str, str]] = field(default_factory=dict)
    reflections: dict[str, str] = field(default_factory=dict)
    first_tries: dict[str, dict[str, str]] = field(default_factory=dict)

    def activity(self, activity_id: str) -> dict[str, str]:
        return dict(self.activities.get(activity_id, {}))

    def reflection(self, reflection_id: str) -> str:
        return self.reflections.get(reflection_id, "")

    def as_json(self) -> str:
        data = {"activities": self.activities, "reflections": self.reflections}
        if self.first_tries:
            data["first_tries"] = self.first_tries
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def answers_path(folder: Path | str | None = None) -> Path:
    return Path(folder if folder is not None else Path.cwd()) / ANSWERS_FILE


def read_answers(folder: Path | str | None = None) -> Answers:
    """The answers kept in `folder` (the working folder by default); none yet is empty."""
    path = answers_path(folder)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return Answers()
    if not path.is_file():
        raise AnswersError(f"{ANSWERS_FILE} is not a file.")
    if size > MAX_FILE_BYTES:
        raise AnswersError(f"{ANSWERS_FILE} is {size:,} bytes, far more than a module's answers "
                           f"(at most {MAX_FILE_BYTES:,}).")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise AnswersError(f"{ANSWERS_FILE} is damaged: it is not the file the forms write.") \
            from None
    return _answers(data)


def _answers(data) -> Answers:
    if not isinstance(data, dict):
        raise AnswersError(f"{ANSWERS_FILE} is not in the shape the forms write.")
    activities = data.get("activities") or {}
    reflections = data.get("reflections") or {}
    first_tries = data.get("first_tries") or {}
    if not all(isinstance(part, dict) for part in (activities, reflections, first_tries)):
        raise AnswersError(f"{ANSWERS_FILE} is not in the shape the forms write.")
    kept = Answers()
    for where, entries in ((kept.activities, activities), (kept.first_tries, first_tries)):
        for activity_id, values in entries.items():
            if not _ID.fullmatch(str(activity_id)) or not isinstance(values, dict):
                raise AnswersError(f"{ANSWERS_FILE} has an activity entry the forms never "
                                   "write.")
            where[activity_id] = {
                str(item): _text(value, MAX_ANSWER_CHARS) for item, value in values.items()
                if _ID.fullmatch(str(item))}
    for reflection_id, text in reflections.items():
        if not _ID.fullmatch(str(reflection_id)):
            raise AnswersError(f"{ANSWERS_FILE} has a reflection entry the forms never write.")
        kept.reflections[reflection_id] = _text(text, MAX_REFLECTION_CHARS)
    return kept


def _text(value, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise AnswersError(f"{ANSWERS_FILE} holds something other than typed text.")
    return str(value)[:limit]


def save_activity(activity_id: str, values: dict[str, str],
                  folder: Path | str | None = None) -> Answers:
    """Keep one activity's form values, leaving every other answer as it was."""
    answers = _current(folder)
    answers.activities[activity_id] = {k: str(v)[:MAX_ANSWER_CHARS] for k, v in values.items()}
    write_atomic(answers_path(folder), answers.as_json())
    return answers


def save_first_try(activity_id: str, values: dict[str, str],
                   folder: Path | str | None = None) -> bool:
    """Keep the form's values as its first try, once: False if a first try is kept already."""
    answers = _current(folder)
    if activity_id in answers.first_tries:
        return False
    answers.first_tries[activity_id] = {k: str(v)[:MAX_ANSWER_CHARS] for k, v in values.items()}
    write_atomic(answers_path(folder), answers.as_json())
    return True


def save_reflection(reflection_id: str, text: str,
                    folder: Path | str | None = None) -> Answers:
    """Keep one reflection's text as typed (up to the limit the box itself enforces)."""
    answers = _current(folder)
    answers.reflections[reflection_id] = str(text)[:MAX_REFLECTION_CHARS]
    write_atomic(answers_path(folder), answers.as_json())
    return answers


def _current(folder) -> Answers:
    # A damaged file is not overwritten silently: it is kept under another name first.
    try:
        return read_answers(folder)
    except AnswersError:
        path = answers_path(folder)
        path.replace(path.with_name(f"{path.stem}.damaged{path.suffix}"))
        return Answers()
