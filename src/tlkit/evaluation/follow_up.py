"""The follow-up survey as a learner answers it, and shared files added to the evaluation folder.

A learner answers the follow-up (content/instruments/follow-up.yaml) in a form some weeks
after the course; the form makes a one-row CSV file in the import's own columns, which they
send to their facilitator. The facilitator adds it (or any partner's export) on the evaluation
page: the file is checked whole (tlkit.evaluation.inputs) and merged into the evaluation
folder, a learner's newer follow-up answer replacing their older one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import pandas as pd

from tlkit.atomic import write_atomic
from tlkit.content.loader import load
from tlkit.data.csv_text import write_frame, write_rows
from tlkit.evaluation.inputs import MAX_TEXT, EvaluationInputError, read_table, spec

NAME = "follow-up"
# A newer row with the same key replaces the older one; other tables keep every new row once.
KEYS = {"follow_up": ["cohort", "learner"]}


def survey() -> dict:
    return load("instrument", NAME)


def response_csv(answers: Mapping[str, str], *, learner: str, cohort: str,
                 weeks_after: int) -> str:
    """One learner's answers as the import reads them; EvaluationInputError says what to fix."""
    columns = list(spec("follow_up").columns)
    learner, cohort = " ".join(str(learner).split()), " ".join(str(cohort).split())
    for what, text in (("your name", learner), ("the cohort", cohort)):
        if not text or len(text) > MAX_TEXT or not text.isprintable():
            raise EvaluationInputError(f"Type {what} (at most {MAX_TEXT} characters).")
    row = {"cohort": cohort, "learner": learner, "weeks_after": weeks_after,
           **{item["id"]: answers.get(item["id"]) or "" for item in survey()["items"]}}
    text = write_rows([[row[c] for c in columns]], columns)
    read_table("follow_up", text.encode("utf-8"), "Your answers")     # the same check
    return text


def ratings_csv(first: Mapping[str, object], again: Mapping[str, object], *, learner: str,
                cohort: str) -> str:
    """A learner's self-assessment at the start (`first`) and the end (`again`, the
    portfolio's re-rating) as the import's self_assessment rows; items not rated are left out."""
    from tlkit.practice.self_assessment import load_self_assessment, read_rating

    assessment = load_self_assessment()
    learner, cohort = " ".join(str(learner).split()), " ".join(str(cohort).split())
    for what, text in (("your name", learner), ("the cohort", cohort)):
        if not text or len(text) > MAX_TEXT or not text.isprintable():
            raise EvaluationInputError(f"Type {what} (at most {MAX_TEXT} characters).")
    rows = [[cohort, learner, time, item.id, rating]
            for time, ratings in (("start", first), ("end", again))
            for item in assessment.items
            if (rating := read_rating(ratings.get(item.id), assessment.scale)) is not None]
    if not rows:
        raise EvaluationInputError("There are no self-assessment ratings to share yet.")
    text = write_rows(rows, list(spec("self_assessment").columns))
    read_table("self_assessment", text.encode("utf-8"), "Your ratings")
    return text


def add_shared_file(folder: Path, name: str, content: bytes) -> tuple[int, Path]:
    """Check `content` as the table `name`, merge it into folder/<name>.csv; (rows now, path)."""
    new = read_table(name, content, "The file")
    path = Path(folder) / f"{name}.csv"
    table = new
    if path.is_file():
        table = pd.concat([read_table(name, path), new], ignore_index=True)
    keys = KEYS.get(name)
    table = (table.drop_duplicates(subset=keys, keep="last") if keys
             else table.drop_duplicates(keep="first"))
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, write_frame(table, index=False))
    return len(table), path
