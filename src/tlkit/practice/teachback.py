"""The teach-back: a teacher leader leads a short protocol segment for peers, who score it on
the facilitation rubric (content/rubrics/facilitation.yaml) after calibrating on a reference
episode (content/episodes/facilitated-tuning.yaml).

Calibration uses the kit's calibration statistics (tlkit.practice.calibration.compare): each
scorer's agreement with the reference and the group's. A teach-back's result gives, per
look-for, how many scored it, the median and the spread (lowest to highest), with no scorer
named anywhere: scores arrive as anonymous rows and warm and cool feedback is put in
alphabetical order, so not even the order gives a scorer away.

In a live session scorers send their scores as "scores" contributions: for calibration with
`episode` set to the reference episode's id, for a teach-back with `episode` set to
`teach_back_label(name)`. Feedback for a teach-back is a "feedback" contribution whose
`about` names the teacher leader. `from_live` and `calibration_from_live` sort them out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from tlkit.practice.calibration import CalibrationReport, compare, scores_from_rows
from tlkit.practice.observation import LookFor, Rubric, load_episode, load_rubric

RUBRIC_ID = "facilitation"
EPISODE_ID = "facilitated-tuning"
LABEL_PREFIX = "teach-back: "
NEXT_TRY_PROMPT = ("Plan your next try: pick the look-for you most want to grow, one move you "
                   "will make differently, and the group you will lead it with.")


def teach_back_label(teacher: str) -> str:
    """What a live scores contribution carries in `episode` for one teacher leader's segment."""
    return f"{LABEL_PREFIX}{' '.join(str(teacher).split())}"


# --- calibration on the reference episode -------------------------------------------------------

def calibration(scorers: Mapping[str, Mapping[str, Any]]) -> CalibrationReport:
    """Each scorer's agreement with the reference episode's scores, and the group's (pooled),
    from {scorer name: {look-for id: score}}. Raises CalibrationError for scores off the
    rubric, naming them."""
    rubric = load_rubric(RUBRIC_ID)
    episode = load_episode(EPISODE_ID)
    rows = [(name, dict(scores)) for name, scores in scorers.items()]
    return compare(scores_from_rows(rows, rubric), episode.reference, rubric)


# --- a teach-back's result ------------------------------------------------------------------------

@dataclass(frozen=True)
class LookForResult:
    look_for: LookFor
    scores: tuple[int, ...]          # sorted, so no order follows a scorer

    @property
    def n(self) -> int:
        return len(self.scores)

    @property
    def median(self) -> float | None:
        return statistics.median(self.scores) if self.scores else None

    def spread_text(self) -> str:
        if not self.scores:
            return "not scored"
        low, high = self.scores[0], self.scores[-1]
        return f"all {low}" if low == high else f"{low} to {high}"

    def median_text(self) -> str:
        median = self.median
        if median is None:
            return "–"
        return f"{median:g}"


@dataclass(frozen=True)
class TeachBackResult:
    teacher: str
    rubric: Rubric
    look_fors: tuple[LookForResult, ...]
    warm: tuple[str, ...]
    cool: tuple[str, ...]
    scorers: int                     # how many score sheets counted
    left_out: tuple[str, ...] = ()   # sentences on what was not counted, and why

    def rows(self) -> list[tuple[str, str, str, str]]:
        """(look-for, scored by, median, spread) per look-for, for a table."""
        return [(r.look_for.name, str(r.n), r.median_text(), r.spread_text())
                for r in self.look_fors]


def summarise(teacher: str, scorings: Iterable[Mapping[str, Any]],
              feedback: Iterable[tuple[str, str]] = (), rubric: Rubric | None = None
              ) -> TeachBackResult:
    """The result a teacher leader receives: per look-for the median and spread of the
    scores, and the warm and cool feedback, with no scorer named. A score off the rubric's
    scale is left out and counted in `left_out`, never fatal."""
    rubric = rubric or load_rubric(RUBRIC_ID)
    by_look_for: dict[str, list[int]] = {lf: [] for lf in rubric.look_for_ids}
    sheets, off_scale = 0, 0
    for sheet in scorings:
        counted = False
        for look_for, score in sheet.items():
            if score is None or look_for not in by_look_for:
                continue
            if isinstance(score, bool) or score not in rubric.scale:
                off_scale += 1
                continue
            by_look_for[look_for].append(int(score))
            counted = True
        sheets += counted
    warm = tuple(sorted(text.strip() for tone, text in feedback
                        if tone == "warm" and text.strip()))
    cool = tuple(sorted(text.strip() for tone, text in feedback
                        if tone == "cool" and text.strip()))
    left_out = ((f"{off_scale} score{'s' if off_scale != 1 else ''} off the "
                 f"{min(rubric.levels)} to {max(rubric.levels)} scale "
                 f"{'were' if off_scale != 1 else 'was'} left out.",) if off_scale else ())
    return TeachBackResult(
        teacher=" ".join(str(teacher).split()), rubric=rubric,
        look_fors=tuple(LookForResult(rubric.look_for(lf), tuple(sorted(scores)))
                        for lf, scores in by_look_for.items()),
        warm=warm, cool=cool, scorers=sheets, left_out=left_out)


# --- from a live session ---------------------------------------------------------------------------

def _latest_by_participant(contributions: Iterable[Any], episode: str) -> dict[int, Any]:
    """Each participant's newest scores sent for `episode` (a resend replaces the first)."""
    latest: dict[int, Any] = {}
    for c in sorted(contributions, key=lambda c: c.seq):
        if c.kind == "scores" and c.body.get("episode") == episode:
            latest[c.participant] = c
    return latest


def calibration_from_live(contributions: Iterable[Any]) -> CalibrationReport:
    """The calibration report for the scores participants sent on the reference episode,
    one row per participant (their name if they gave it, else "Participant N")."""
    latest = _latest_by_participant(contributions, EPISODE_ID)
    scorers = {(c.name or f"Participant {number}"): c.body["scores"]
               for number, c in sorted(latest.items())}
    return calibration(scorers)


def from_live(contributions: Sequence[Any], teacher: str) -> TeachBackResult:
    """One teacher leader's result from a live session's contributions: each participant's
    newest score sheet for their segment, and the feedback sent about them."""
    contributions = list(contributions)
    label = teach_back_label(teacher)
    sheets = [c.body["scores"] for c in _latest_by_participant(contributions, label).values()]
    name = " ".join(str(teacher).split()).casefold()
    feedback = [(c.body["tone"], c.body["text"]) for c in contributions
                if c.kind == "feedback"
                and " ".join(str(c.body.get("about", "")).split()).casefold() == name]
    return summarise(teacher, sheets, feedback)


# --- the file handed back to the teacher leader -----------------------------------------------------

RETURN_KIND = "tlkit-teach-back"
RETURN_LIMIT = 100_000          # characters: a result is a few hundred; anything larger is not one
_TEXT_LIMIT = 600


class ReturnFileError(ValueError):
    """A teach-back file that cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Returned:
    """A result as the teacher leader keeps it: plain text only, no scorer anywhere."""

    teacher: str
    scorers: int
    rows: tuple[tuple[str, str, str, str], ...]     # look-for, scored by, median, spread
    warm: tuple[str, ...]
    cool: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"kind": RETURN_KIND, "version": 1, "teacher": self.teacher,
                "scorers": self.scorers, "rows": [list(r) for r in self.rows],
                "warm": list(self.warm), "cool": list(self.cool)}


def returned(result: TeachBackResult) -> Returned:
    return Returned(result.teacher, result.scorers, tuple(result.rows()), result.warm,
                    result.cool)


def return_file(result: TeachBackResult) -> str:
    """The file the facilitator hands back (JSON text), read by `read_returned`."""
    import json

    return json.dumps(returned(result).to_dict(), ensure_ascii=False, indent=1)


def _texts(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= _TEXT_LIMIT
                                              for v in value):
        raise ReturnFileError(f"its {what} should be a list of short texts.")
    return tuple(value)


def returned_from_dict(data: Any) -> Returned:
    """A Returned from its dict; ReturnFileError saying what is wrong."""
    if not isinstance(data, dict) or data.get("kind") != RETURN_KIND:
        raise ReturnFileError("it is not a teach-back result from this kit.")
    teacher, scorers, rows = data.get("teacher"), data.get("scorers"), data.get("rows")
    if not isinstance(teacher, str) or len(teacher) > _TEXT_LIMIT:
        raise ReturnFileError("its teacher leader's name should be a short text.")
    if isinstance(scorers, bool) or not isinstance(scorers, int) or scorers < 0:
        raise ReturnFileError("its number of score sheets should be a whole number.")
    if not isinstance(rows, list) or not all(
            isinstance(r, list) and len(r) == 4 and all(isinstance(c, str) and
                                                        len(c) <= _TEXT_LIMIT for c in r)
            for r in rows):
        raise ReturnFileError("its table should have four short texts in each row.")
    return Returned(teacher, scorers, tuple(tuple(r) for r in rows),
                    _texts(data.get("warm"), "warm feedback"),
                    _texts(data.get("cool"), "cool feedback"))


def read_returned(text: str | bytes) -> Returned:
    """The result in a file the facilitator handed back. Raises ReturnFileError, in plain
    words, for anything else (another file, a damaged one, one far too large)."""
    import json

    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ReturnFileError("This file is not the teach-back file your facilitator "
                                  "gave you (it is not text). Choose the file ending in "
                                  ".json.") from None
    if len(text) > RETURN_LIMIT:
        raise ReturnFileError("This file is far larger than a teach-back result; choose the "
                              "file your facilitator gave you.")
    try:
        return returned_from_dict(json.loads(text))
    except json.JSONDecodeError:
        raise ReturnFileError("This file could not be read as a teach-back result; it may be "
                              "damaged. Ask your facilitator for it again.") from None
    except ReturnFileError as err:
        raise ReturnFileError(f"This file could not be used: {err} Ask your facilitator "
                              "for the teach-back file again.") from None
