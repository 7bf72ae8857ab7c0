"""A learner's own survey export (Google Forms or Microsoft Forms, saved as CSV), checked
against one of the course's codebooks and made ready to explore the same way as the network's.

The file is only read (tlkit.data.forms reads it into memory); nothing is written beside it.
Every problem is listed with its spreadsheet row and column; answers that pass are explored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tlkit.data.codebooks import DataError
from tlkit.explore.survey import Survey, survey_from_frame

OWN = "own"
# The course's codebooks a school's own export can be checked against.
CODEBOOKS = {
    "teacher_survey_spring": "Teachers, spring (the kit's questions)",
    "teacher_survey_eoy": "Teachers, end of year (the kit's questions)",
    "tl_survey_spring": "Teacher leaders, spring (the kit's questions)",
}


# Problems listed one by one; the rest are counted by column. A file of bad values can hold
# a problem in every cell, and a page of hundreds of thousands of lines helps nobody.
FIRST_PROBLEMS = 10


@dataclass
class OwnSurvey:
    survey: Survey | None               # None when nothing could be read
    summary: str                        # one line: what was read
    problems: list[str] = field(default_factory=list)   # the first few, then counts
    notes: list[str] = field(default_factory=list)
    problem_count: int = 0              # every problem found, listed or not


def problem_lines(problems: list, first: int = FIRST_PROBLEMS) -> list[str]:
    """The first `first` problems as sentences, then, when there are more, one line counting
    them by column (most first), so the page stays short whatever the file holds."""
    from collections import Counter

    lines = [str(p) for p in problems[:first]]
    if len(problems) > first:
        by_column = Counter(p.column or "the whole file" for p in problems)
        counts = "; ".join(f"'{column}': {n:,}" for column, n in by_column.most_common(8))
        more = f" and {len(by_column) - 8} more columns" if len(by_column) > 8 else ""
        lines.append(f"… and {len(problems) - first:,} more. Problems by column: "
                     f"{counts}{more}.")
    return lines


def own_survey(source: str | Path | IO, codebook: str,
               mapping: dict[str, str] | None = None) -> OwnSurvey:
    """Read `source` against `codebook` (one of CODEBOOKS). Never raises for a bad file: the
    problems come back as sentences, and the answers that passed can be explored."""
    from tlkit.data import codebook as load_codebook
    from tlkit.data.forms import import_form

    if codebook not in CODEBOOKS:
        return OwnSurvey(None, f"There is no codebook {codebook!r}. Choose one of: "
                         f"{', '.join(CODEBOOKS)}.")
    try:
        result = import_form(source, codebook, mapping)
    except DataError as err:
        return OwnSurvey(None, str(err), [str(err)])
    book = load_codebook(codebook)
    name = result.source or "your file"
    survey = survey_from_frame(OWN, f"Your survey ({name})", result.data.reset_index(drop=True),
                               book)
    count = len(result.problems)
    problems = problem_lines(result.problems)
    if not survey.items:
        return OwnSurvey(None, f"{name}: no column matches a question of the codebook, so "
                         "there is nothing to explore.", problems, result.notes, count)
    shown = f"; the first {FIRST_PROBLEMS} are listed" if count > FIRST_PROBLEMS else ""
    summary = (f"{name}: {len(result.data):,} responses, {len(survey.items)} questions matched. "
               + (f"{count:,} problem(s) to fix in your spreadsheet (row 1 is the header "
                  f"row){shown}; answers with a problem are left out until you fix them."
                  if count else "No problems found."))
    return OwnSurvey(survey, summary, problems, result.notes, count)
