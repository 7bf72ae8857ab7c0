"""Descriptive vs evaluative feedback: the statements of the sorting exercise and its marking.

The statements live in content/statements/feedback.yaml. Marking never raises on a learner's
answers: a blank or unrecognised label counts as not sorted yet, and ids that are not in the
exercise are listed so the view can say so.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from tlkit.content.loader import folder_of, read

# Read through the content loader: a malformed file raises ContentError naming file and fix.
STATEMENTS_FILE = folder_of("statements") / "feedback.yaml"
LABELS = ("descriptive", "evaluative")


@dataclass(frozen=True)
class Statement:
    id: str
    text: str
    label: str   # one of LABELS
    why: str     # one line: why the label fits


@dataclass(frozen=True)
class Exercise:
    title: str
    instructions: str
    background: str
    sources: tuple[str, ...]
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Marked:
    statement: Statement
    answer: str | None   # the learner's label, normalised; None when not sorted

    @property
    def correct(self) -> bool:
        return self.answer == self.statement.label


@dataclass(frozen=True)
class SortResult:
    items: tuple[Marked, ...]                  # every statement of the exercise, in order
    unknown_ids: tuple[str, ...] = ()          # answered ids that are not in the exercise
    unrecognised: Mapping[str, Any] = field(default_factory=dict)  # id -> label not understood

    @property
    def right(self) -> int:
        return sum(item.correct for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def wrong(self) -> list[Marked]:
        return [item for item in self.items if item.answer is not None and not item.correct]

    @property
    def unanswered(self) -> list[str]:
        return [item.statement.id for item in self.items if item.answer is None]

    def score_line(self) -> str:
        line = f"{self.right} of {self.total} sorted correctly"
        if self.unanswered:
            line += f" ({len(self.unanswered)} not sorted yet)"
        return line + "."


def load_exercise(path: Path | str | None = None) -> Exercise:
    """The sorting exercise: the shipped statements, or a statements file by path."""
    document = read("statements", Path(path) if path else STATEMENTS_FILE)
    data = document.data
    seen: dict[str, int] = {}
    for index, entry in enumerate(data["statements"]):
        if entry["id"] in seen:
            document.fail(["statements", index, "id"],
                          f"the id '{entry['id']}' is used more than once (statements "
                          f"{seen[entry['id']] + 1} and {index + 1}).",
                          "give each statement its own id (answers are saved under it).")
        seen[entry["id"]] = index
    statements = tuple(Statement(id=e["id"], text=e["text"].strip(), label=e["label"],
                                 why=e["why"].strip()) for e in data["statements"])
    return Exercise(
        title=data.get("title", "Describe or judge?"),
        instructions=data.get("instructions", ""),
        background=data.get("background", ""),
        sources=tuple(data.get("sources") or ()),
        statements=statements,
    )


def load_statements(path: Path | str | None = None) -> list[Statement]:
    return list(load_exercise(path).statements)


def sample_statements(statements: Sequence[Statement], n: int | None = None,
                      seed: int | None = None) -> list[Statement]:
    """Statements to show: all of them, or `n` split as evenly as possible between the labels.

    With no n and no seed the file order is kept (it alternates labels on purpose); a seed
    shuffles reproducibly, so a facilitator can give everyone the same order. A shuffled order
    never lets clicking the two labels in turn score more than three in four.
    """
    statements = list(statements)
    if n is None and seed is None:
        return statements
    rng = random.Random(seed)
    if n is None:
        order = rng.sample(statements, len(statements))
        for _ in range(100):   # rarely needed: a random order is seldom this regular
            if not _alternation_pays(order):
                break
            order = rng.sample(statements, len(statements))
        return order
    if not 1 <= n <= len(statements):
        raise ValueError(f"Choose between 1 and {len(statements)} statements (got {n}).")
    # Deal from each label in turn, so a short round is never all one kind.
    piles = [rng.sample(group, len(group)) for group in
             ([s for s in statements if s.label == label] for label in LABELS)]
    rng.shuffle(piles)
    chosen: list[Statement] = []
    while len(chosen) < n:
        for pile in piles:
            if pile and len(chosen) < n:
                chosen.append(pile.pop())
    return rng.sample(chosen, len(chosen))


def _alternation_pays(order: Sequence[Statement]) -> bool:
    """Would clicking descriptive, evaluative, descriptive... (or the reverse) score over 3/4?"""
    if len(order) < 4:
        return False
    best = max(sum(s.label == LABELS[(i + phase) % 2] for i, s in enumerate(order))
               for phase in (0, 1))
    return best > 0.75 * len(order)


def learner_seed(state_key: str | None, user: str | None = None) -> int:
    """A shuffle seed of one learner for one exercise: the same on every reload, different from
    a neighbour's, so answers cannot be copied by position nor guessed from a pattern."""
    if user is None:
        user = os.environ.get("JUPYTERHUB_USER") or _login_name()
    digest = hashlib.sha256(f"{user}|{state_key or 'feedback-sort'}".encode("utf-8")).hexdigest()
    return int(digest[:12], 16)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):   # no login name in a bare container
        return "learner"


def _normalise(label: Any) -> str | None:
    text = str(label).strip().lower() if isinstance(label, str) else ""
    return text if text in LABELS else None


def check_sorting(answers: Mapping[Any, Any],
                  statements: Sequence[Statement] | None = None) -> SortResult:
    """Mark a learner's sorting. `answers` maps statement id -> "descriptive"/"evaluative".

    Labels are read case-blind; a missing, blank or unrecognised one counts as not sorted.
    `statements` is the set the learner was shown (default: all of them).
    """
    statements = load_statements() if statements is None else list(statements)
    known = {s.id for s in statements}
    unknown = tuple(str(key) for key in answers if key not in known)
    unrecognised = {key: value for key, value in answers.items()
                    if key in known and _is_given(value) and _normalise(value) is None}
    items = tuple(Marked(s, _normalise(answers.get(s.id))) for s in statements)
    return SortResult(items=items, unknown_ids=unknown, unrecognised=unrecognised)


def _is_given(value: Any) -> bool:
    return value is not None and str(value).strip() != ""
