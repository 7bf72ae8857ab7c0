"""What a participant may send, checked before it is stored.

Four kinds: warm or cool feedback (a tuning protocol), calibration scores (an observation
exercise), an exit ticket (how useful the session was, one thing to try) and a question.
Text is kept as text: it is trimmed, control characters are removed and its length is
limited; views escape it when they show it, so no HTML or script reaches any page. Nothing a
participant sends is ever run.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from tlkit.practice.observation import Rubric, as_whole_number

MAX_TEXT = 500                 # characters in one piece of feedback, a question or a "try"
MAX_NAME = 40                  # characters in a display name
USEFUL_SCALE = (1, 2, 3, 4, 5)
USEFUL_LABELS = {1: "Not useful", 2: "A little useful", 3: "Useful", 4: "Very useful",
                 5: "Extremely useful"}
KINDS = ("feedback", "scores", "exit", "question")
KIND_LABELS = {"feedback": "Feedback", "scores": "Calibration scores", "exit": "Exit ticket",
               "question": "Question"}
TONES = ("warm", "cool")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


class ContributionRefused(ValueError):
    """What was sent cannot be stored; the message says why and what to do."""


def clean_text(value: Any, what: str, limit: int = MAX_TEXT, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ContributionRefused(f"The {what} should be text.")
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value)).strip()
    if required and not text:
        raise ContributionRefused(f"The {what} is empty; type something first.")
    if len(text) > limit:
        raise ContributionRefused(f"The {what} is {len(text)} characters long; the limit is "
                                  f"{limit}. Shorten it by {len(text) - limit} and send again.")
    return text


def clean_name(value: Any) -> str:
    """A display name: optional, short, plain."""
    return " ".join(clean_text(value, "display name", MAX_NAME, required=False).split())


def check(kind: str, body: Any, rubric: Rubric | None = None) -> dict[str, Any]:
    """The contribution's body as it will be stored, or ContributionRefused saying why."""
    if kind not in KINDS:
        raise ContributionRefused(f"'{kind}' is not something a session collects.")
    if not isinstance(body, dict):
        raise ContributionRefused("A contribution should be a set of named fields.")
    if kind == "feedback":
        tone = body.get("tone")
        if tone not in TONES:
            raise ContributionRefused("Choose warm or cool for this feedback.")
        clean = {"tone": tone, "text": clean_text(body.get("text"), "feedback")}
        # Feedback may name whose teach-back it is for; kept only when given.
        about = clean_name(body.get("about"))
        return {**clean, "about": about} if about else clean
    if kind == "question":
        return {"text": clean_text(body.get("text"), "question")}
    if kind == "exit":
        useful = as_whole_number(body.get("useful"))
        if useful not in USEFUL_SCALE:
            raise ContributionRefused("Choose how useful the session was, from 1 to 5.")
        return {"useful": useful,
                "try": clean_text(body.get("try"), "thing to try", required=False)}
    # scores
    if rubric is None:
        raise ContributionRefused("This session has no calibration exercise to score.")
    scores = body.get("scores")
    if not isinstance(scores, dict):
        raise ContributionRefused("Scores should be one score per look-for.")
    clean: dict[str, int | None] = {}
    for look_for, score in scores.items():
        if look_for not in rubric.look_for_ids:
            raise ContributionRefused(f"'{str(look_for)[:40]}' is not a look-for of this rubric.")
        number = None if score is None else as_whole_number(score)
        if score is not None and number not in rubric.scale:
            raise ContributionRefused(
                f"The score for '{rubric.look_for(look_for).short}' should be a whole number "
                f"from {min(rubric.levels)} to {max(rubric.levels)}.")
        clean[look_for] = number
    if not any(v is not None for v in clean.values()):
        raise ContributionRefused("Score at least one look-for before sending.")
    return {"episode": str(body.get("episode") or "")[:80], "scores": clean}
