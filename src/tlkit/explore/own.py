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


@dataclass
class OwnSurvey:
    survey: Survey | None               # None when nothing could be read
    summary: str                        # one line: what was read
    problems: list[str] = field(default_factory=list)   # "row 4, column 'Q2': ..."
    notes: list[str] = field(default_factory=list)


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
    problems = [str(p) for p in result.problems]
    if not survey.items:
        return OwnSurvey(None, f"{name}: no column matches a question of the codebook, so "
                         "there is nothing to explore.", problems, result.notes)
    summary = (f"{name}: {len(result.data)} responses, {len(survey.items)} questions matched. "
               + (f"{len(problems)} problem(s) to fix in your spreadsheet (row 1 is the header "
                  "row); answers with a problem are left out until you fix them."
                  if problems else "No problems found."))
    return OwnSurvey(survey, summary, problems, result.notes)
