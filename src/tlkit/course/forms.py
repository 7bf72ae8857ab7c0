"""Checking what a learner chose or typed in an activity's form, item by item.

The form (tlkit.widgets.course.activity_form) shows a drop-down of the activity's labels for
each item of a labels activity and a text box for each percent. This module reads those values
the way a teacher means them ("58", "58%", "58 %" are all 58), says in plain words what is
missing, gives each item to reconsider its hint (never its answer), and counts the items that
are right, which is the score: 4 of 5 right earns four fifths of the points.

It runs in the learner's kernel for the Check button, and in the coordinator's own process
while grading (tlkit.ops.form_scores), where the key comes from the hidden tests.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Mapping

from tlkit.course.checks import (Activity, Item, accepted_digests, answer_digest, label_of,
                                 whole_percent)

_FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)\s*$")
_NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)\s*(%|percent|per cent)?\s*$", re.IGNORECASE)


@dataclass
class FormReview:
    missing: list[str] = field(default_factory=list)      # items with nothing usable yet
    reconsider: list[str] = field(default_factory=list)   # answered, worth another look
    right: int = 0
    total: int = 0

    @property
    def all_right(self) -> bool:
        return self.total > 0 and self.right == self.total

    def points(self, most: float) -> float:
        """The share of `most` this earns: one item's worth for each right item."""
        return round(most * self.right / self.total, 2) if self.total else 0.0

    def lines(self) -> list[str]:
        """What the learner reads after Check, and in their feedback."""
        if self.all_right:
            return ["All your answers fit. Well done."]
        out = list(self.missing)
        if self.reconsider:
            out.append(f"Worth another look ({len(self.reconsider)} of {self.total}):")
            out.extend(self.reconsider)
        elif self.right:
            out.append("The answers you have given so far fit.")
        return out


def read_percent(text: str) -> tuple[float | None, str]:
    """A typed percent as a number, or None and a sentence saying what to type instead."""
    text = str(text or "").strip()
    if not text:
        return None, ""
    fraction = _FRACTION.match(text)
    if fraction:
        return None, (f"“{text}” is a fraction. Give the share as a percent: for example, "
                      "1/4 is 25.")
    number = _NUMBER.match(text)
    if not number:
        return None, (f"“{text}” is not a number. Type it with digits, for example 40 "
                      "or 72.5 (a % sign is fine).")
    value = float(number.group(1).replace(",", "."))
    if not math.isfinite(value):
        return None, f"“{text}” is not a number."
    return value, ""


def review_form(activity: Activity, values: Mapping[str, str],
                key: Mapping[str, object] | None = None) -> FormReview:
    """Review the form's values. With `key` (the hidden tests' answers) the key decides what
    is right; without it, the activity's stored digests do."""
    items = activity.items
    if key is not None:
        items = tuple(Item(i.id, i.name, tuple(accepted_digests(activity.kind, activity.salt,
                                                                 i.id, key[i.id])),
                           i.hint, i.hints, i.near) for i in items)
    result = FormReview(total=len(items))
    unanswered = []
    for item in items:
        given = str(values.get(item.id, "") or "").strip()
        if activity.kind == "labels":
            _review_label(activity, item, given, result, unanswered)
        else:
            _review_percent(activity, item, given, result, unanswered)
    if unanswered:
        verb = "has" if len(unanswered) == 1 else "have"
        result.missing.insert(0, f"{_join(unanswered)} {verb} no answer yet.")
    return result


def _review_label(activity, item, given, result, unanswered) -> None:
    if not given:
        unanswered.append(item.name)
        return
    label = label_of(activity, given)
    if label is None:     # only a hand-edited answers file can hold this
        result.missing.append(f"{item.name}: “{given}” is not one of the choices.")
        return
    if answer_digest(activity.salt, item.id, label) in item.digests:
        result.right += 1
    else:
        result.reconsider.append(f"{item.name}: {item.hints.get(label, item.hint)}")


def _review_percent(activity, item, given, result, unanswered) -> None:
    if not given:
        unanswered.append(item.name)
        return
    number, problem = read_percent(given)
    if number is None:
        result.missing.append(f"{item.name}: {problem}")
        return
    if not 0 <= number <= 100:
        result.missing.append(f"{item.name}: {number:g} is not a percent; a percent is "
                              "between 0 and 100.")
        return
    if answer_digest(activity.salt, item.id, str(whole_percent(number))) in item.digests:
        result.right += 1
        return
    hint = next((h for value, tol, h in item.near if abs(number - value) <= tol), None)
    if hint is None and 0 < number < 1:
        hint = (f"{number:g} looks like a fraction of one. Give the share as a percent: "
                f"multiply by 100.")
    result.reconsider.append(f"{item.name}: {hint or item.hint}")


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- what a graded cell calls -----------------------------------------------------------------

def score_form(activity_id: str, key: Mapping[str, object]) -> None:
    """The graded check, for a grade cell's hidden tests: while nbgrader runs, reads the answers
    file beside the notebook and prints what to reconsider. It fails the cell unless every item is right, so
    grading without the kit's own scoring step never gives marks for a partly right form; with
    it (tlkit.ops.form_scores, outside the learner's kernel) each right item earns its share."""
    import os

    from tlkit.course.answers import AnswersError, read_answers
    from tlkit.course.checks import CheckFailed, load_activity

    if not os.environ.get("NBGRADER_EXECUTION"):
        return      # an author's Run All of the source notebook: nothing is graded there
    try:
        values = read_answers().activity(activity_id)
    except AnswersError as error:
        raise CheckFailed(str(error)) from None
    result = review_form(load_activity(activity_id), values, key=key)
    if not result.all_right:
        raise CheckFailed("\n".join(result.lines()))
    print("\n".join(result.lines()))


def fail_if_unanswered(activity_id: str, folder=None) -> None:
    """While nbgrader validates: fail with one sentence naming the items with no answer yet
    (a damaged answers file or activity file says so instead)."""
    from tlkit.course.answers import AnswersError, read_answers
    from tlkit.course.checks import ActivityError, CheckFailed, load_activity

    try:
        activity = load_activity(activity_id, here=folder)
        values = read_answers(folder).activity(activity_id)
    except (ActivityError, AnswersError) as error:
        raise CheckFailed(str(error)) from None
    missing = review_form(activity, values).missing
    if missing:
        raise CheckFailed("\n".join(missing))
