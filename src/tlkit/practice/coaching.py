"""Coaching a colleague: the question workshop and the coaching log, as plain logic.

The workshop's questions live in content/questions/<name>.yaml. Sorting is marked like the
feedback sort: a blank or unknown kind counts as not sorted yet, never as an error. A rewrite
is checked for what closes a question down or judges: the kit's judgement word list
(content/wordlists/judgement.yaml, the same words the observation notes flag), a yes-or-no
opening, advice in the shape of a question and "why did you". Every finding is a sentence that
explains, never a score.

A coaching log entry is one cycle with a colleague: the date, the colleague's goal in their
own words, what was observed, the colleague's next step and the coach's own question to get
better at coaching. `check_entry` says in plain words what is missing or judges.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from tlkit.content.loader import find, read
from tlkit.practice.observation import judgement_words

DEFAULT_QUESTIONS = "coaching"


@dataclass(frozen=True)
class QuestionKind:
    id: str
    name: str
    meaning: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    kind: str
    why: str


@dataclass(frozen=True)
class Rewrite:
    id: str
    text: str
    example: str


@dataclass(frozen=True)
class QuestionSet:
    title: str
    instructions: str
    kinds: tuple[QuestionKind, ...]
    questions: tuple[Question, ...]
    rewrites: tuple[Rewrite, ...]
    sources: tuple[str, ...]

    def kind_name(self, kind_id: str) -> str:
        return next((k.name for k in self.kinds if k.id == kind_id), kind_id)


def load_questions(name_or_path: str | Path = DEFAULT_QUESTIONS) -> QuestionSet:
    """The workshop's questions. A malformed file raises ContentError naming file and fix."""
    text = str(name_or_path)
    path = Path(text) if text.endswith((".yaml", ".yml")) else find("questions", text)
    document = read("questions", path)
    data = document.data
    kind_ids = [k["id"] for k in data["kinds"]]
    seen: set[str] = set()
    for group in ("questions", "rewrites"):
        for index, entry in enumerate(data[group]):
            if entry["id"] in seen:
                document.fail([group, index, "id"], f"the id '{entry['id']}' is used twice.",
                              "give each question its own id (answers are saved under it).")
            seen.add(entry["id"])
    for index, entry in enumerate(data["questions"]):
        if entry["kind"] not in kind_ids:
            document.fail(["questions", index, "kind"],
                          f"'{entry['kind']}' is not one of the kinds ({', '.join(kind_ids)}).",
                          "use one of those ids, or add the kind under 'kinds'.")
    return QuestionSet(
        title=data["title"], instructions=" ".join(data["instructions"].split()),
        kinds=tuple(QuestionKind(k["id"], k["name"], k["meaning"]) for k in data["kinds"]),
        questions=tuple(Question(q["id"], q["text"], q["kind"], q["why"])
                        for q in data["questions"]),
        rewrites=tuple(Rewrite(r["id"], r["text"], r["example"]) for r in data["rewrites"]),
        sources=tuple(data["sources"]))


# --- sorting --------------------------------------------------------------------------------

@dataclass(frozen=True)
class SortFeedback:
    right: int
    total: int
    unsorted: int
    wrong: tuple[tuple[Question, str], ...]     # each wrongly sorted question, with the kind given

    def line(self) -> str:
        text = f"{self.right} of {self.total} sorted as the workshop sorts them"
        if self.unsorted:
            text += f" ({self.unsorted} not sorted yet)"
        return text + "."


def mark_sort(questions: QuestionSet, answers: Mapping[str, Any]) -> SortFeedback:
    """How the learner's sort compares: answers map question ids to kind ids (None or an
    unknown kind counts as not sorted)."""
    kinds = {k.id for k in questions.kinds}
    right, unsorted, wrong = 0, 0, []
    for question in questions.questions:
        given = answers.get(question.id)
        if given not in kinds:
            unsorted += 1
        elif given == question.kind:
            right += 1
        else:
            wrong.append((question, given))
    return SortFeedback(right, len(questions.questions), unsorted, tuple(wrong))


# --- rewriting a question as an open one ----------------------------------------------------

# A question opening like this can be answered yes or no: it closes the thinking down.
_YES_NO = re.compile(r"^\s*(is|are|was|were|do|does|did|don't|doesn't|didn't|can|could|would|"
                     r"will|won't|wouldn't|should|have|has|had|haven't|isn't|aren't|wasn't)\b",
                     re.I)
# Advice in the shape of a question, and a tag that asks for agreement.
_ADVICE = re.compile(r"\b(have you (thought about|considered|tried)|why not|what if you|"
                     r"how about|wouldn't it be|you could|don't you think|"
                     r"wouldn't you agree|do you agree)\b", re.I)
_TAG = re.compile(r",\s*(didn't|don't|isn't|wasn't|aren't|won't|right)\b[^,]*\?\s*$", re.I)
_WHY_YOU = re.compile(r"\bwhy (did|didn't|do|don't|would|were|was) (you|they)\b", re.I)


@dataclass(frozen=True)
class RewriteCheck:
    problems: tuple[str, ...]     # sentences that explain what to change; empty: it is open

    @property
    def is_open(self) -> bool:
        return not self.problems


def check_rewrite(text: str, original: str = "") -> RewriteCheck:
    """What in a rewritten question still leads or judges, in sentences that explain."""
    text = " ".join((text or "").split())
    if not text:
        return RewriteCheck(("Write your open question in the box first.",))
    problems = []
    if original and text.rstrip("?").casefold() == " ".join(original.split()).rstrip(
            "?").casefold():
        problems.append("This is the question as it was. Change it so the colleague does the "
                        "thinking.")
    words = judgement_words(text)
    if words:
        listed = ", ".join(f"“{w}”" for w in words)
        problems.append(f"{listed} {'carries' if len(words) == 1 else 'carry'} a verdict or a "
                        "guess at how someone felt. Ask about what happened or what the "
                        "colleague noticed instead.")
    if _ADVICE.search(text) or _TAG.search(text):
        problems.append("It still holds your own idea and asks the colleague to agree. Leave "
                        "the idea out and ask what they think.")
    elif _YES_NO.match(text):
        problems.append("It can be answered yes or no. Start with what, how or which, so "
                        "the colleague has to think to answer.")
    if _WHY_YOU.search(text):
        problems.append("“Why did you…” can sound like a demand to defend a choice. Try "
                        "“What were you hoping…” or “What led you to…”.")
    if not text.endswith("?"):
        problems.append("End it with a question mark: it should be a question the colleague "
                        "answers, not a statement.")
    return RewriteCheck(tuple(problems))


# --- the coaching log -----------------------------------------------------------------------

LOG_FIELDS = (
    ("date", "Date", "The day of the conversation, e.g. 2026-03-04."),
    ("goal", "My colleague's goal, as they said it",
     "Their words, not yours: what they want to work on."),
    ("observed", "What I observed",
     "Low-inference notes: counts, quotes, what students did."),
    ("next_step", "My colleague's next step", "What they chose to try next."),
    ("my_question", "My own question to improve as a coach",
     "One thing you want to get better at in the next conversation."),
)
FIELD_LIMIT = 2000     # characters a box keeps (a log is notes, not an essay)


def read_date(text: str) -> dt.date | None:
    """A date typed as 2026-03-04 (also 2026/03/04); None when it is not one."""
    try:
        return dt.date.fromisoformat(str(text).strip().replace("/", "-"))
    except ValueError:
        return None


def check_entry(entry: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(problems that stop the entry being added, notes worth a second look), in sentences."""
    problems, notes = [], []
    for key, label, _help in LOG_FIELDS:
        value = str(entry.get(key, "")).strip()
        if not value:
            problems.append(f"“{label}” is empty. Write it before you add the entry.")
        elif len(value) > FIELD_LIMIT:
            problems.append(f"“{label}” is {len(value)} characters long; keep it under "
                            f"{FIELD_LIMIT}.")
    date = str(entry.get("date", "")).strip()
    if date and read_date(date) is None:
        problems.append(f"“{date}” is not a date the log can read. Write it as year-month-"
                        "day, e.g. 2026-03-04.")
    flagged = judgement_words(str(entry.get("observed", "")))
    if flagged:
        listed = ", ".join(f"“{w}”" for w in flagged)
        notes.append(f"What you observed uses {listed}, which reads as a judgement. What did "
                     "you see or hear that made you think so? Write that instead; the entry "
                     "is kept either way.")
    return problems, notes


def sorted_entries(entries: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Entries oldest first by their date (an unreadable date last), then as added."""
    def key(item):
        index, entry = item
        date = read_date(str(entry.get("date", "")))
        return (date is None, date or dt.date.min, index)
    return [entry for _i, entry in sorted(enumerate(entries), key=key)]
