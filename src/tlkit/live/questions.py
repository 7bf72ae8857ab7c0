"""The questions a facilitator asks the room during a session, and their results.

Four kinds: a poll (one choice, or several), a word cloud (up to MAX_WORDS short words each),
Q&A (participants ask, everyone may vote each item up once, the facilitator may hide an item)
and a 1-5 scale. A participant's latest answer to a question replaces their earlier one.
Answers are contributions (kind "answer", "ask", "upvote") checked here against their
question; results never carry names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

from tlkit.live.contributions import ContributionRefused, clean_text

QUESTION_KINDS = {"poll": "Poll", "words": "Word cloud", "qna": "Q&A", "scale": "Scale 1 to 5"}
ANSWER_KINDS = ("answer", "ask", "upvote")
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: "1 Strongly disagree", 2: "2 Disagree", 3: "3 Not sure", 4: "4 Agree",
                5: "5 Strongly agree"}
MAX_OPTIONS = 8
MAX_OPTION = 80            # characters in one poll option
MAX_PROMPT = 300
MAX_WORDS = 3              # words one participant gives a word cloud
MAX_WORD = 30              # characters in one word (or short phrase)
CLOUD_SIZE = 30            # words shown in a cloud


@dataclass(frozen=True)
class Question:
    id: int
    kind: str
    prompt: str
    options: tuple[str, ...] = ()
    multiple: bool = False
    open: bool = True
    shown: bool = False          # on the presenter view (the projector)

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "prompt": self.prompt,
                "options": list(self.options), "multiple": self.multiple}


def check_question(kind: Any, prompt: Any, options: Sequence[Any] = ()) -> tuple[str, list[str]]:
    """The prompt and options as they will be stored, or ContributionRefused saying why."""
    if kind not in QUESTION_KINDS:
        raise ContributionRefused(f"'{kind}' is not a kind of question; choose one of: "
                                  f"{', '.join(QUESTION_KINDS.values())}.")
    prompt = clean_text(prompt, "question", MAX_PROMPT)
    if kind != "poll":
        return prompt, []
    cleaned = [clean_text(o, "choice", MAX_OPTION) for o in options if str(o or "").strip()]
    if not 2 <= len(cleaned) <= MAX_OPTIONS:
        raise ContributionRefused(f"A poll needs 2 to {MAX_OPTIONS} choices, one a line; it "
                                  f"has {len(cleaned)}.")
    if len(set(cleaned)) < len(cleaned):
        raise ContributionRefused("Two of the poll's choices are the same; make each different.")
    return prompt, cleaned


def normal_word(word: str) -> str:
    return " ".join(word.lower().split())


def check_answer(kind: str, body: dict[str, Any], question: Question | None) -> dict[str, Any]:
    """An answer, a Q&A item or an upvote as it will be stored."""
    if question is None:
        raise ContributionRefused("That question is no longer there; reload the page.")
    if not question.open:
        raise ContributionRefused("The facilitator has closed this question.")
    if kind == "ask" or kind == "upvote":
        if question.kind != "qna":
            raise ContributionRefused("This question takes answers, not questions.")
        if kind == "ask":
            return {"question": question.id, "text": clean_text(body.get("text"), "question")}
        item = body.get("item")
        if not isinstance(item, str) or not 8 <= len(item) <= 64:
            raise ContributionRefused("Choose a question to vote up.")
        return {"question": question.id, "item": item}
    if question.kind == "poll":
        choices = body.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, int) and not isinstance(c, bool)
                                                    and 0 <= c < len(question.options)
                                                    for c in choices):
            raise ContributionRefused("Choose one of the poll's answers.")
        choices = sorted(set(choices))
        if not choices:
            raise ContributionRefused("Choose an answer before sending.")
        if len(choices) > 1 and not question.multiple:
            raise ContributionRefused("This poll takes one answer; choose one.")
        return {"question": question.id, "choices": choices}
    if question.kind == "words":
        words = body.get("words")
        if isinstance(words, str):
            words = re.split(r"[,\n]", words)
        if not isinstance(words, list):
            raise ContributionRefused("Type a word or two, separated by commas.")
        cleaned = [normal_word(clean_text(w, "word", MAX_WORD)) for w in words
                   if isinstance(w, str) and w.strip()]
        if not cleaned:
            raise ContributionRefused("Type a word before sending.")
        if len(cleaned) > MAX_WORDS:
            raise ContributionRefused(f"Up to {MAX_WORDS} words, please; you typed "
                                      f"{len(cleaned)}.")
        return {"question": question.id, "words": list(dict.fromkeys(cleaned))}
    if question.kind == "scale":
        value = body.get("value")
        if value not in SCALE or isinstance(value, bool):
            raise ContributionRefused("Choose a number from 1 to 5.")
        return {"question": question.id, "value": value}
    raise ContributionRefused("This question takes questions from the room; use Ask.")


@dataclass
class QuestionResults:
    question: Question
    responses: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)   # label, how many
    items: list[dict[str, Any]] = field(default_factory=list)     # Q&A: id, text, votes, hidden
    lines: list[str] = field(default_factory=list)                # the results in sentences


def _latest(items, question_id: int) -> dict[int, dict]:
    latest: dict[int, dict] = {}
    for item in items:
        if item.kind == "answer" and item.body.get("question") == question_id:
            latest[item.participant] = item.body
    return latest


def qna_items(question: Question, items, hidden: set[str] = frozenset(), *,
              with_hidden: bool = False) -> list[dict[str, Any]]:
    """A Q&A question's items, most votes first, each participant's vote counted once."""
    voters: dict[str, set[int]] = {}
    asked = []
    for item in items:
        if item.body.get("question") != question.id:
            continue
        if item.kind == "ask":
            asked.append(item)
            voters.setdefault(item.id, set())
        elif item.kind == "upvote":
            voters.setdefault(item.body["item"], set()).add(item.participant)
    rows = [{"id": item.id, "text": item.body["text"], "votes": len(voters[item.id]),
             "hidden": item.id in hidden, "seq": item.seq}
            for item in asked if with_hidden or item.id not in hidden]
    rows.sort(key=lambda row: (-row["votes"], row["seq"]))
    return rows


def results(question: Question, items, hidden: set[str] = frozenset(), *,
            projector: bool = False) -> QuestionResults:
    """What the room answered, for the facilitator's page, or the projector (`projector`:
    hidden Q&A items left out)."""
    out = QuestionResults(question)
    if question.kind == "qna":
        out.items = qna_items(question, items, hidden, with_hidden=not projector)
        out.responses = len(out.items)
        out.lines = [f"{row['text']} ({row['votes']} vote{'s' if row['votes'] != 1 else ''})"
                     + (" (hidden)" if row["hidden"] else "") for row in out.items]
        return out
    latest = _latest(items, question.id)
    out.responses = len(latest)
    if question.kind == "poll":
        tally = Counter(c for body in latest.values() for c in body["choices"])
        out.counts = [(option, tally[i]) for i, option in enumerate(question.options)]
    elif question.kind == "scale":
        tally = Counter(body["value"] for body in latest.values())
        out.counts = [(SCALE_LABELS[v], tally[v]) for v in SCALE]
    else:
        tally = Counter(w for body in latest.values() for w in body["words"])
        out.counts = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:CLOUD_SIZE]
    out.lines = [f"{label}: {count}" for label, count in out.counts]
    if question.kind == "scale" and latest:
        mean = sum(body["value"] for body in latest.values()) / len(latest)
        out.lines.append(f"Average: {mean:.1f} of 5")
    return out
