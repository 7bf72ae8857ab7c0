"""Peer observation with look-fors: the rubric, calibration episodes, and an observer's record.

A rubric (content/rubrics/<id>.yaml) names one practice, a scale of levels and its look-fors,
each with an observable descriptor per level. An episode (content/episodes/<id>.yaml) is a short
written classroom scene with reference scores a group calibrates against. Both are read through
the content loader (tlkit.content), so a malformed file raises its ContentError. An Observation
is one observer's time-stamped notes and scores; `to_tidy` turns it into one row per look-for."""

from __future__ import annotations

import numbers
import re
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from tlkit.content.loader import find, folder_of, list_names, load, read
from tlkit.data.csv_text import write_frame

EPISODES_DIR = folder_of("episode")
DEFAULT_RUBRIC = "student-led-discussion"


class ObservationError(ValueError):
    """An observer's record or score is malformed. The message says where and how to fix it."""


@dataclass(frozen=True)
class LookFor:
    id: str
    name: str                  # full wording, e.g. "Students cite the text as evidence"
    short: str                 # column header on a projector, e.g. "Text evidence"
    look_for: str              # what the observer watches and listens for
    levels: dict[int, str]     # level -> observable descriptor


@dataclass(frozen=True)
class Rubric:
    id: str
    name: str
    practice: str
    purpose: str
    scale: dict[int, str]      # level -> label, e.g. 1 -> "Not yet seen"
    look_fors: tuple[LookFor, ...]
    sources: tuple[str, ...] = ()

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(self.scale))

    @property
    def look_for_ids(self) -> tuple[str, ...]:
        return tuple(lf.id for lf in self.look_fors)

    def look_for(self, id_or_name: str) -> LookFor:
        """The look-for with this id, name or short name (case and spacing ignored)."""
        wanted = _normal(id_or_name)
        for lf in self.look_fors:
            if wanted in (_normal(lf.id), _normal(lf.name), _normal(lf.short)):
                return lf
        raise KeyError(
            f"{id_or_name!r} is not a look-for of rubric {self.id!r}; "
            f"use one of: {', '.join(self.look_for_ids)}."
        )

    def check_score(self, look_for_id: str, score: Any) -> int | None:
        """The score as an int (None for blank); a clear ObservationError if off the scale."""
        if score is None or (not isinstance(score, str) and pd.isna(score)) \
                or (isinstance(score, str) and not score.strip()):
            return None
        value = as_whole_number(score)
        if value not in self.scale:
            # str() for numbers: the repr of a numpy value reads "np.int64(5)".
            shown = repr(score) if isinstance(score, str) else str(score)
            raise ObservationError(
                f"Score {shown} for look-for {look_for_id!r} is not on the rubric's scale; "
                f"use a whole number from {min(self.levels)} to {max(self.levels)} "
                "or leave it blank."
            )
        return value


@dataclass(frozen=True)
class Episode:
    id: str
    title: str
    rubric_id: str
    setting: str
    notes: tuple[tuple[str, str], ...]       # (time "mm:ss", what was seen or heard)
    reference: dict[str, int]                # look-for id -> reference score
    rationale: dict[str, str]                # look-for id -> why that score


def as_whole_number(value: Any) -> int | None:
    """3, 3.0, "3" and " 3 " are the whole number 3; anything else (3.5, "three", True) is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real) and float(value).is_integer():
        return int(value)
    # isdecimal, not isdigit: "²".isdigit() is True but int("²") fails.
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return None


def _normal(text: str) -> str:
    return " ".join(str(text).lower().replace("_", "-").split())


def load_rubric(id: str = DEFAULT_RUBRIC, folder: Path | None = None) -> Rubric:
    """A rubric by id, shipped or in `folder`; a ContentError naming file, field and fix."""
    document = read("rubric", find("rubric", id, folder))
    data, fail = document.data, document.fail
    for level in data["scale"]:
        if not isinstance(level, int) or isinstance(level, bool):
            fail(["scale", level], f"the level '{level}' is not a whole number.",
                 "number the levels 1, 2, 3 ..., e.g. '1: Not yet seen'.")
    scale = {level: text.strip() for level, text in data["scale"].items()}
    if sorted(scale) != list(range(1, len(scale) + 1)):
        fail(["scale"], f"the levels are numbered {sorted(scale)}.",
             "number them 1, 2, 3 ... with no gaps.")
    look_fors, seen = [], set()
    for index, raw in enumerate(data["look_fors"]):
        lf_id = raw["id"]
        if lf_id in seen:
            fail(["look_fors", index, "id"], f"the id '{lf_id}' is used for two look-fors.",
                 "give each look-for its own id.")
        seen.add(lf_id)
        if sorted(raw["levels"], key=str) != sorted(scale, key=str):
            fail(["look_fors", index, "levels"],
                 f"the levels of look-for '{lf_id}' ({sorted(raw['levels'], key=str)}) do not "
                 f"match the scale ({sorted(scale)}).",
                 "write one descriptor for each level of the scale.")
        look_fors.append(LookFor(
            id=lf_id, name=raw["name"], short=raw.get("short") or raw["name"],
            look_for=raw.get("look_for", ""),
            levels={level: text.strip() for level, text in raw["levels"].items()}))
    return Rubric(id=data["id"], name=data["name"], practice=data.get("practice", ""),
                  purpose=data.get("purpose", ""), scale=scale, look_fors=tuple(look_fors),
                  sources=tuple(data.get("sources") or ()))


def load_episode(id: str, folder: Path | None = None,
                 rubrics_folder: Path | None = None) -> Episode:
    """An episode by id, shipped or in `folder`, checked against its rubric."""
    document = read("episode", find("episode", id, folder))
    data, fail = document.data, document.fail
    if data["rubric"] not in list_names("rubric", rubrics_folder):
        fail(["rubric"], f"there is no rubric called '{data['rubric']}'.",
             f"use one of: {', '.join(list_names('rubric', rubrics_folder)) or 'none'}.")
    rubric = load_rubric(data["rubric"], rubrics_folder)
    notes = tuple((note["time"], note["text"].strip()) for note in data["notes"])
    reference, rationale = {}, {}
    for lf_id, entry in data["reference"].items():
        if lf_id not in rubric.look_for_ids:
            fail(["reference", lf_id], f"'{lf_id}' is not a look-for of rubric '{rubric.id}'.",
                 f"use one of: {', '.join(rubric.look_for_ids)}.")
        if entry["score"] not in rubric.scale:
            fail(["reference", lf_id, "score"],
                 f"the score {entry['score']} is not on the rubric's scale.",
                 f"use a whole number from {min(rubric.levels)} to {max(rubric.levels)}.")
        reference[lf_id] = entry["score"]
        rationale[lf_id] = str(entry.get("rationale") or "").strip()
    missing = [lf for lf in rubric.look_for_ids if lf not in reference]
    if missing:
        fail(["reference"], f"there is no reference score for {', '.join(missing)}.",
             "add one under 'reference' for each look-for of the rubric.")
    return Episode(id=data["id"], title=data["title"], rubric_id=rubric.id,
                   setting=str(data.get("setting", "")).strip(), notes=notes,
                   reference=reference, rationale=rationale)


# --- Low-inference notes -----------------------------------------------------------------

# Words that report the observer's judgement or a guess about students' inner state rather than
# what was said or done: content/wordlists/judgement.yaml.
JUDGEMENT_LIST = "judgement"
# Verbatim speech is evidence, not the observer's own words, so quoted text is skipped.
_QUOTED = re.compile(r'"[^"]*"|“[^”]*”')


@cache
def _judgement_pattern() -> re.Pattern:
    words = load("wordlist", JUDGEMENT_LIST)["words"]
    return re.compile(
        r"(?<![\w'’-])(" + "|".join(
            re.escape(w).replace("'", "['’]").replace(r"\ ", r"\s+").replace(r"\-", "[- ]")
            for w in sorted(words, key=len, reverse=True)
        ) + r")(?![\w'’-])",
        re.IGNORECASE,
    )


def judgement_words(text: str) -> list[str]:
    """Evaluative or inferential words in a note, as written, first occurrence of each.

    Words inside quotation marks are skipped: a student saying "that's wrong" is a verbatim
    quote, which is exactly what a low-inference note should hold.
    """
    found, seen = [], set()
    for match in _judgement_pattern().finditer(_QUOTED.sub(" ", text or "")):
        key = " ".join(match.group(1).lower().replace("’", "'").split())
        if key not in seen:
            seen.add(key)
            found.append(match.group(1))
    return found


# --- An observer's record ------------------------------------------------------------------

def elapsed_label(seconds: float) -> str:
    """"mm:ss" since the start; minutes keep counting past 59 (a 75-minute lesson is 75:00)."""
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{secs:02d}"


def note_stamp(now: float, started_at: float | None) -> str:
    """A note's time: elapsed "mm:ss" once the observer has started the clock, otherwise the
    local clock time "HH:MM:SS" (both in seconds since the epoch)."""
    if started_at is None:
        return time.strftime("%H:%M:%S", time.localtime(now))
    return elapsed_label(now - started_at)


@dataclass
class Note:
    time: str                      # elapsed "mm:ss" since the observer started, or "HH:MM:SS"
    text: str
    look_for: str | None = None    # look-for id this note is evidence for, if tagged


@dataclass
class Observation:
    observer: str
    teacher: str                   # teacher or class label, e.g. "Ms Ortiz, 9B"
    date: str                      # ISO date "YYYY-MM-DD"
    rubric_id: str = DEFAULT_RUBRIC
    scores: dict[str, int | None] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    observation_id: str = ""

    def __post_init__(self):
        if not self.observation_id:
            parts = [self.date, self.observer, self.teacher]
            slug = "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)
            self.observation_id = slug or "observation"

    def to_dict(self) -> dict:
        return {"observer": self.observer, "teacher": self.teacher, "date": self.date,
                "rubric_id": self.rubric_id, "scores": dict(self.scores),
                "notes": [vars(n).copy() for n in self.notes],
                "observation_id": self.observation_id}

    @classmethod
    def from_dict(cls, data: dict) -> "Observation":
        """Rebuild from `to_dict` output. Missing, null and unknown keys are tolerated (files
        saved by other versions still load); a field of the wrong kind raises ObservationError."""
        if not isinstance(data, dict):
            raise ObservationError("A saved observation must be a mapping of field -> value.")
        text = {}
        for key in ("observer", "teacher", "date", "rubric_id", "observation_id"):
            value = data.get(key)
            if value is not None and not isinstance(value, str):
                raise ObservationError(f"Saved observation: '{key}' should be text, "
                                       f"not {value!r}.")
            text[key] = value or ""
        scores = data.get("scores") or {}
        if not isinstance(scores, dict):
            raise ObservationError("Saved observation: 'scores' should map look-for ids to "
                                   "scores.")
        notes = [Note(time=str(n.get("time") or ""), text=str(n.get("text") or ""),
                      look_for=n.get("look_for") if isinstance(n.get("look_for"), str) else None)
                 for n in (data.get("notes") or []) if isinstance(n, dict)]
        return cls(observer=text["observer"], teacher=text["teacher"], date=text["date"],
                   rubric_id=text["rubric_id"] or DEFAULT_RUBRIC, scores=dict(scores),
                   notes=notes, observation_id=text["observation_id"])


def check_observation(observation: Observation, rubric: Rubric) -> dict[str, int | None]:
    """Scores keyed by look-for id, each on the scale; ALL problems raised together."""
    problems, clean = [], {}
    for lf_id, score in observation.scores.items():
        if lf_id not in rubric.look_for_ids:
            problems.append(f"{lf_id!r} is not a look-for of rubric {rubric.id!r}.")
            continue
        try:
            clean[lf_id] = rubric.check_score(lf_id, score)
        except ObservationError as exc:
            problems.append(str(exc))
    if problems:
        raise ObservationError(f"Observation by {observation.observer or 'unnamed observer'}: "
                               + " ".join(problems))
    return clean


TIDY_COLUMNS = ["observation_id", "observer", "teacher", "date", "look_for_id", "look_for",
                "score", "evidence"]


def to_tidy(observation: Observation, rubric: Rubric | None = None) -> pd.DataFrame:
    """One row per look-for of the rubric, with its score (blank if unscored) and the tagged
    notes joined as "mm:ss text | mm:ss text". Untagged notes stay out: they are not evidence
    for one look-for in particular."""
    rubric = rubric or load_rubric(observation.rubric_id)
    scores = check_observation(observation, rubric)
    rows = []
    for lf in rubric.look_fors:
        evidence = " | ".join(f"{n.time} {n.text}" for n in observation.notes
                              if n.look_for == lf.id)
        rows.append({"observation_id": observation.observation_id,
                     "observer": observation.observer, "teacher": observation.teacher,
                     "date": observation.date, "look_for_id": lf.id, "look_for": lf.name,
                     "score": scores.get(lf.id), "evidence": evidence})
    frame = pd.DataFrame(rows, columns=TIDY_COLUMNS)
    frame["score"] = frame["score"].astype("Int64")   # blank stays blank, not 3.0 / NaN
    return frame


def to_csv(observation: Observation, rubric: Rubric | None = None) -> str:
    """The tidy table as CSV text (UTF-8), ready to save or offer as a download."""
    return write_frame(to_tidy(observation, rubric), index=False)
