"""One real nbgrader run per module per test session, shared by the tests in this folder.

For each module: generate_assignment, then a handful of "students" submit and are autograded
in a single `nbgrader autograde` call (nbgrader's gradebook is not safe for parallel writers,
and one call pays the start-up cost once):

  solution       the authors' notebook itself, solutions included (and written answers
                 filled in)
  released       the learner version, untouched
  wrong-<n>      the solution with one answer cell replaced by the module's plausible wrong answer
  damaged        a file that is not a notebook at all
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from nbgrader_run import (ROOT, cells_by_grade_id, is_manual_answer, nbgrader, read_nb,
                          source_notebook, wrong_answers)


@dataclass
class GradedModule:
    module: str
    build: Path
    release: Path                      # the released notebook
    autograde_log: str
    wrong_students: dict[str, str]     # answer grade_id -> student id
    scores: dict[str, dict[str, dict]]  # student -> grade_id -> nbgrader Grade.to_dict()

    def autograded(self, student: str):
        return read_nb(self.build / "autograded" / student / self.module / f"{self.module}.ipynb")


def _submit(build: Path, student: str, module: str, nb=None, text: str | None = None) -> None:
    folder = build / "submitted" / student / module
    folder.mkdir(parents=True)
    target = folder / f"{module}.ipynb"
    if text is not None:
        target.write_text(text, encoding="utf-8")
    else:
        nbformat.write(nb, target)


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
    solution = read_nb(source_notebook(module))

    # A written answer left as released counts as blank (nbgrader scores it 0 and stops
    # waiting for a grader), so the "solution" learner writes something in each one.
    for cell in solution.cells:
        if is_manual_answer(cell):
            cell.source = "A sample answer written by the learner."
    _submit(build, "solution", module, solution)
    shutil.copytree(release.parent, build / "submitted" / "released" / module)
    wrong_students = {}
    for n, (answer_id, wrong) in enumerate(sorted(wrong_answers(module).items()), start=1):
        nb = read_nb(source_notebook(module))
        cells_by_grade_id(nb)[answer_id].source = wrong["code"]
        wrong_students[answer_id] = f"wrong-{n}"
        _submit(build, f"wrong-{n}", module, nb)
    _submit(build, "damaged", module, text='{"cells": [')

    students = ["solution", "released", "damaged", *wrong_students.values()]
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
