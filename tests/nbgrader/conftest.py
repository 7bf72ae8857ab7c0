"""One real nbgrader run per module per test session, shared by the tests in this folder.

For each module: generate_assignment, then a handful of "students" submit and are autograded
in a single `nbgrader autograde` call (nbgrader's gradebook is not safe for parallel writers,
and one call pays the start-up cost once):

  solution       the authors' notebook itself, with an answers file holding every form's key
                 and a few words in each reflection box
  released       the learner version, untouched (no answers file: nothing answered)
  wrong          the solution with every activity's answers replaced by its plausible wrong
                 answer (each activity's check cell is scored on its own, so one learner
                 shows every activity's wrong-answer message and share of marks)
  forger         every answer wrong, and a cell added that replaces the checking function and
                 prints full marks: grading must not believe it
  damaged        a file that is not a notebook at all
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell
from nbgrader_run import (ROOT, answers_file, form_keys, nbgrader, read_nb, reflection_ids,
                          source_notebook, wrong_answers)

from tlkit.course.answers import ANSWERS_FILE


@dataclass
class GradedModule:
    module: str
    build: Path
    release: Path                      # the released notebook
    autograde_log: str
    wrong_students: dict[str, str]     # activity id -> student id
    scores: dict[str, dict[str, dict]]  # student -> grade_id -> nbgrader Grade.to_dict()

    def autograded(self, student: str):
        return read_nb(self.build / "autograded" / student / self.module / f"{self.module}.ipynb")


def _submit(build: Path, student: str, module: str, nb=None, text: str | None = None,
            answers: str | None = None) -> None:
    folder = build / "submitted" / student / module
    folder.mkdir(parents=True)
    target = folder / f"{module}.ipynb"
    if text is not None:
        target.write_text(text, encoding="utf-8")
    else:
        nbformat.write(nb, target)
    if answers is not None:
        (folder / ANSWERS_FILE).write_text(answers, encoding="utf-8")


# What a hostile learner adds to a notebook: the checking function replaced, and full marks
# printed as the cell's value for nbgrader to read.
FORGERY = ("import tlkit.course.forms as F\nF.score_form = lambda *a, **k: None\n"
           "import builtins\nbuiltins.score_form = F.score_form\n100")


def _scores(build: Path, module: str, students: list[str]) -> dict:
    from nbgrader.api import Gradebook, MissingEntry

    result = {}
    with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
        for student in students:
            try:
                submission = gb.find_submission(module, student)
            except MissingEntry:
                continue
            result[student] = {g.name: g.to_dict() for nb in submission.notebooks
                               for g in nb.grades}
    return result


def _grade(module: str, build: Path) -> GradedModule:
    nbgrader("generate_assignment", module, "--force", root=ROOT, build=build)
    release = build / "release" / module / f"{module}.ipynb"
    source = read_nb(source_notebook(module))
    keys = form_keys(source)
    written = {r: "A sample answer written by the learner." for r in reflection_ids(source)}
    _submit(build, "solution", module, source, answers=answers_file(keys, written))
    shutil.copytree(release.parent, build / "submitted" / "released" / module)
    wrongs = {activity_id: wrong["values"] for activity_id, wrong in wrong_answers(module).items()}
    wrong_students = dict.fromkeys(wrongs, "wrong")
    _submit(build, "wrong", module, source, answers=answers_file({**keys, **wrongs}, written))
    forged = read_nb(release)
    forged.cells.insert(0, new_code_cell(FORGERY))
    everything_wrong = {a: {item: "" for item in key} for a, key in keys.items()}
    _submit(build, "forger", module, forged, answers=answers_file(everything_wrong, {}))
    _submit(build, "damaged", module, text='{"cells": [')

    students = ["solution", "released", "forger", "damaged", "wrong"]
    # No roster import: autograde adds a learner it has not met (nbgrader's create_student).
    # The damaged submission makes nbgrader exit 1 after grading everyone else.
    done = nbgrader("autograde", module, root=ROOT, build=build, check=False)
    return GradedModule(module, build, release, done.stdout + done.stderr, wrong_students,
                        _scores(build, module, students))


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """graded(module) -> GradedModule, computed once per module per session."""
    cache: dict[str, GradedModule] = {}
    # One build folder (one gradebook) for every module graded in this process: nbgrader makes
    # the gradebook once, and each module keeps its own folders inside it.
    build = tmp_path_factory.mktemp("build")

    def get(module: str) -> GradedModule:
        if module not in cache:
            cache[module] = _grade(module, build)
        return cache[module]

    return get
