"""Every module in modules/ through nbgrader's real generate_assignment and autograde."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbgrader_run import (ROOT, cells_by_grade_id, form_cell, form_keys, is_autograded_test,
                          is_hand_graded, nbgrader_meta, read_nb, reflection_ids, source_notebook,
                          wrong_answers)

from tlkit.ops.release import module_ids
from tlkit.ops.submissions import check_submission

MODULES = module_ids(ROOT)
WRONG = [(m, a) for m in MODULES for a in sorted(wrong_answers(m))]
SOLUTION_BLOCK = re.compile(r"BEGIN SOLUTION(.*?)END SOLUTION", re.S)
HIDDEN_BLOCK = re.compile(r"BEGIN HIDDEN TESTS(.*?)END HIDDEN TESTS", re.S)


def _meaningful_lines(block: str) -> list[str]:
    # Lines that could only come from the solution: skip blanks, comment markers and
    # bare punctuation such as a closing bracket.
    lines = [ln.strip() for ln in block.splitlines()]
    return [ln for ln in lines if len(ln) > 3 and not ln.startswith("#")]


@pytest.mark.parametrize("module", MODULES)
def test_release_is_the_learner_version(graded, module):
    source = read_nb(source_notebook(module))
    release = read_nb(graded(module).release)
    released_cells = cells_by_grade_id(release)
    # Widget cells read their section's activity and minutes from the copy they run in.
    assert ([c.metadata["tlkit"] for c in release.cells if "tlkit" in c.metadata]
            == [c.metadata["tlkit"] for c in source.cells if "tlkit" in c.metadata])

    for cell in release.cells:
        assert "facilitator" not in cell.metadata.get("tags", []), cell.source[:80]
        assert not cell.get("outputs") and cell.get("execution_count") is None, cell.source[:80]
        for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS"):
            assert marker not in cell.source, f"{marker!r} left in released cell {cell.source[:80]!r}"

    facilitator_notes = [c.source for c in source.cells if "facilitator" in c.metadata.get("tags", [])]
    released_text = "\n".join(c.source for c in release.cells)
    for note in facilitator_notes:
        assert note.strip() not in released_text

    for gid, cell in cells_by_grade_id(source).items():
        # Lines also present outside the blocks (e.g. the learner's starting scaffold,
        # `answer = {`) legitimately stay in the release.
        outside = set(_meaningful_lines(HIDDEN_BLOCK.sub("", SOLUTION_BLOCK.sub("", cell.source))))
        hidden = [ln for pattern in (SOLUTION_BLOCK, HIDDEN_BLOCK)
                  for block in pattern.findall(cell.source)
                  for ln in _meaningful_lines(block) if ln not in outside]
        for line in hidden:
            assert line not in released_cells[gid].source, f"{gid}: {line!r} reached learners"

    # Learners answer in forms and boxes only: no answer cell, no code to type in.
    assert not any(nbgrader_meta(c).get("solution") for c in release.cells)
    # Each reflection box follows its task (the prompt a facilitator grades).
    for reflection in reflection_ids(source):
        box = next(n for n, c in enumerate(source.cells) if f'"{reflection}"' in c.source
                   and c.cell_type == "code")
        assert nbgrader_meta(source.cells[box - 1]).get("task"), reflection

@pytest.mark.parametrize("module", MODULES)
def test_solution_earns_every_autograded_point(graded, module):
    result = graded(module)
    source = cells_by_grade_id(read_nb(source_notebook(module)))
    scores = result.scores["solution"]
    tests = [gid for gid, cell in source.items() if is_autograded_test(cell)]
    assert tests, f"{module} has no autograded test cells"
    for gid in tests:
        assert scores[gid]["auto_score"] == scores[gid]["max_score"] > 0, (gid, result.autograde_log)
    hand_graded = [gid for gid, cell in source.items() if is_hand_graded(cell)]
    assert hand_graded, f"{module} has no part a facilitator grades"
    for gid in hand_graded:
        assert scores[gid]["needs_manual_grade"], f"{gid} should wait for a facilitator"
    # The reflection reached the graded notebook as the learner wrote it, as plain text.
    shown = "".join(out.get("text", "") for c in result.autograded("solution").cells
                    for out in c.get("outputs", []))
    assert "A sample answer written by the learner." in shown


@pytest.mark.parametrize("module", MODULES)
def test_released_version_earns_nothing(graded, module):
    result = graded(module)
    scores = result.scores["released"]
    source = cells_by_grade_id(read_nb(source_notebook(module)))
    for gid, cell in source.items():
        if is_autograded_test(cell):
            assert scores[gid]["auto_score"] == 0, f"{gid} passes without an answer"


@pytest.mark.parametrize("module", MODULES)
def test_every_form_has_a_plausible_wrong_answer(module):
    activities = set(form_keys(read_nb(source_notebook(module))))
    assert activities, f"{module} has no checked activity"
    missing = sorted(activities - set(wrong_answers(module)))
    assert not missing, f"add entries for {missing} to tests/nbgrader/wrong_answers.yaml"


@pytest.mark.parametrize(("module", "activity_id"), WRONG)
def test_a_wrong_answer_loses_its_share_with_its_message(graded, module, activity_id):
    result = graded(module)
    student = result.wrong_students[activity_id]
    message = wrong_answers(module)[activity_id]["message"]
    check = nbgrader_meta(form_cell(read_nb(source_notebook(module)), activity_id))["grade_id"]

    score = result.scores[student][check]
    # Partial credit: each item right keeps its share, the wrong ones lose theirs.
    assert 0 <= score["auto_score"] < score["max_score"], score
    graded_cell = cells_by_grade_id(result.autograded(student))[check]
    shown = "\n".join(str(out.get("text", "")) for out in graded_cell.outputs)
    assert message in shown, f"{check} does not tell the learner {message!r}; it shows {shown!r}"
    key = form_keys(read_nb(source_notebook(module)))[activity_id]
    assert not any(f"{item}: {answer}" in shown for item, answer in key.items())


@pytest.mark.parametrize("module", MODULES)
def test_a_forged_check_in_the_kernel_changes_no_score(graded, module):
    result = graded(module)
    source = cells_by_grade_id(read_nb(source_notebook(module)))
    for gid, cell in source.items():
        if is_autograded_test(cell):
            assert result.scores["forger"][gid]["auto_score"] == 0, gid


@pytest.mark.parametrize("module", MODULES)
def test_broken_submissions_are_explained_and_others_still_graded(graded, module, tmp_path):
    result = graded(module)
    autograded = result.build / "autograded"
    # Nothing graded for the damaged file (nbgrader may leave an empty folder behind when the
    # module has supporting files, such as an activities/ folder).
    assert not list((autograded / "damaged").rglob("*.ipynb"))
    assert (autograded / "solution" / module).is_dir() and (autograded / "released" / module).is_dir()

    damaged = result.build / "submitted" / "damaged" / module / f"{module}.ipynb"
    [message] = check_submission(damaged, result.release)
    assert f"{module}.ipynb is damaged" in message and "fresh copy" in message

    # A learner deletes the first graded cell: nbgrader would grade the rest without a word.
    release = read_nb(result.release)
    first = next(c for c in release.cells if nbgrader_meta(c).get("grade"))
    release.cells.remove(first)
    short = tmp_path / f"{module}.ipynb"
    nbformat.write(release, short)
    [message] = check_submission(short, result.release)
    assert repr(nbgrader_meta(first)["grade_id"]) in message
