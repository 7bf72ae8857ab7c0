"""Answers typed in forms: kept in the answers file, read as a teacher means them, scored per item."""

from __future__ import annotations

import html
import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from support import ROOT

from tlkit.course.answers import (ANSWERS_FILE, AnswersError, MAX_FILE_BYTES, read_answers,
                                  save_activity, save_reflection)
from tlkit.course.checks import CheckFailed, load_activity
from tlkit.course.forms import read_percent, review_form, score_form
from tlkit.ops.form_scores import ScoreForms, reflection_call, score_call

ROLES_KEY = {"S1": "facilitator", "S2": "coach", "S3": "curator", "S4": "curriculum",
             "S5": "facilitator"}


ROLES = ROOT / "modules" / "teacher-roles"
ADULT = ROOT / "modules" / "adult-learning"


def _roles():
    return load_activity("roles_match", here=ROLES)


# --- the answers file ---------------------------------------------------------------------------

def test_answers_are_kept_per_activity_and_reflection_without_touching_the_others(tmp_path):
    save_activity("roles_match", {"S1": "coach"}, tmp_path)
    save_reflection("roles_reflection", "I will start with one colleague.", tmp_path)
    save_activity("active_minutes", {"active_percent": "58%"}, tmp_path)
    kept = read_answers(tmp_path)
    assert kept.activity("roles_match") == {"S1": "coach"}
    assert kept.activity("active_minutes") == {"active_percent": "58%"}
    assert kept.reflection("roles_reflection") == "I will start with one colleague."
    assert kept.activity("unknown") == {} and kept.reflection("unknown") == ""


@pytest.mark.parametrize("content, says", [
    ("not json {", "damaged"),
    (json.dumps([1, 2]), "shape"),
    (json.dumps({"activities": {"roles_match": {"S1": {"nested": 1}}}}), "typed text"),
    (json.dumps({"activities": {"../x": {}}}), "never write"),
    (json.dumps({"reflections": "text"}), "shape"),
])
def test_a_handed_in_file_in_another_shape_is_refused_with_a_sentence(tmp_path, content, says):
    (tmp_path / ANSWERS_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(AnswersError, match=says):
        read_answers(tmp_path)


def test_an_oversized_answers_file_is_refused_before_it_is_read(tmp_path):
    (tmp_path / ANSWERS_FILE).write_bytes(b" " * (MAX_FILE_BYTES + 1))
    with pytest.raises(AnswersError, match="bytes"):
        read_answers(tmp_path)


def test_saving_over_a_damaged_file_keeps_the_damaged_copy(tmp_path):
    (tmp_path / ANSWERS_FILE).write_text("half a file {", encoding="utf-8")
    save_activity("roles_match", {"S1": "coach"}, tmp_path)
    assert read_answers(tmp_path).activity("roles_match") == {"S1": "coach"}
    assert (tmp_path / "my-answers.damaged.json").read_text(encoding="utf-8") == "half a file {"


# --- reading and reviewing ----------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["58", "58%", "58 %", " 58.3 ", "58,3", "58 percent"])
def test_a_percent_reads_the_way_a_teacher_types_it(typed):
    value, problem = read_percent(typed)
    assert problem == "" and round(value) == 58


@pytest.mark.parametrize("typed, says", [("7/12", "is a fraction"), ("sixty", "not a number"),
                                         ("58%%", "not a number")])
def test_a_percent_that_cannot_be_read_says_what_to_type(typed, says):
    value, problem = read_percent(typed)
    assert value is None and says in problem


def test_a_partly_right_form_earns_its_share_and_names_only_the_items_to_reconsider():
    values = dict(ROLES_KEY, S3="curriculum")
    result = review_form(_roles(), values, key=ROLES_KEY)
    assert (result.right, result.total) == (4, 5)
    assert result.points(3) == 2.4
    assert len(result.reconsider) == 1 and result.reconsider[0].startswith("S3:")
    # The hint teaches; it never names the answer.
    assert "curator" not in result.reconsider[0].lower()


def test_the_stored_key_and_the_hidden_key_agree_on_the_solution():
    assert review_form(_roles(), ROLES_KEY).all_right
    assert review_form(_roles(), ROLES_KEY, key=ROLES_KEY).points(3) == 3


def test_an_empty_form_scores_zero_and_says_which_items_have_no_answer():
    result = review_form(_roles(), {}, key=ROLES_KEY)
    assert result.points(3) == 0
    assert result.lines()[0] == "S1, S2, S3, S4 and S5 have no answer yet."


def test_a_fraction_typed_for_a_percent_is_said_plainly():
    activity = load_activity("active_minutes", here=ADULT)
    result = review_form(activity, {"active_percent": "0.58"})
    assert result.right == 0 and "fraction" in result.reconsider[0]


# --- the graded cell, in the kernel -------------------------------------------------------------

def test_the_kernel_check_fails_unless_every_item_is_right(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    score_form("roles_match", ROLES_KEY)      # an author's Run All: nothing is graded
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    shutil.copytree(ROLES / "activities", tmp_path / "activities")
    save_activity("roles_match", dict(ROLES_KEY, S3="curriculum"), tmp_path)
    with pytest.raises(CheckFailed, match="S3"):
        score_form("roles_match", ROLES_KEY)
    save_activity("roles_match", ROLES_KEY, tmp_path)
    score_form("roles_match", ROLES_KEY)


# --- the grading step, outside the kernel -------------------------------------------------------

GRADED_SOURCE = ('activity_form("roles_match")\n'
                 f'score_form("roles_match", {ROLES_KEY!r})\n')


def _graded_notebook(forged_output: bool = True):
    cell = new_code_cell(GRADED_SOURCE, execution_count=3)
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "points": 3,
                                 "grade_id": "roles_match_tests", "locked": True}
    if forged_output:   # what a learner's kernel could print: full marks
        cell.outputs = [new_output("execute_result", data={"text/plain": "3"},
                                   execution_count=3)]
    reflection = new_code_cell('ReflectionBox("roles_reflection")')
    reflection.outputs = [new_output("display_data", data={"text/html": "<img src=x onerror=1>"})]
    return new_notebook(cells=[cell, reflection])


def _score(nb, folder):
    if not (folder / "activities").exists():
        shutil.copytree(ROLES / "activities", folder / "activities")
    ScoreForms().preprocess(nb, {"metadata": {"path": str(folder)}})
    return nb


def test_the_grading_step_scores_from_the_answers_file_whatever_the_kernel_printed(tmp_path):
    save_activity("roles_match", dict(ROLES_KEY, S3="curriculum", S5=""), tmp_path)
    nb = _score(_graded_notebook(), tmp_path)
    outputs = nb.cells[0].outputs
    assert outputs[-1]["output_type"] == "execute_result"
    assert outputs[-1]["data"]["text/plain"] == "1.8"          # 3 of 5 right, of 3 points
    assert "3 of 5 right" in outputs[0]["text"] and "S5 has no answer yet" in outputs[0]["text"]
    from nbgrader.utils import determine_grade
    assert determine_grade(nb.cells[0]) == (1.8, 3.0)


def test_no_answers_file_scores_zero_and_a_damaged_one_says_so(tmp_path):
    from nbgrader.utils import determine_grade
    assert determine_grade(_score(_graded_notebook(), tmp_path).cells[0]) == (0, 3.0)
    (tmp_path / ANSWERS_FILE).write_text("{broken", encoding="utf-8")
    nb = _score(_graded_notebook(), tmp_path)
    assert "damaged" in nb.cells[0].outputs[0]["text"]
    assert determine_grade(nb.cells[0]) == (0, 3.0)


def test_the_reflection_reaches_the_grader_as_plain_text_only(tmp_path):
    save_reflection("roles_reflection", "<script>alert(1)</script> My plan.", tmp_path)
    nb = _score(_graded_notebook(), tmp_path)
    (output,) = nb.cells[1].outputs
    assert output["output_type"] == "stream"
    assert "<script>alert(1)</script> My plan." in output["text"]
    nbformat.validate(nb)


def test_only_literal_keys_are_read_from_a_graded_cell():
    assert score_call(GRADED_SOURCE) == ("roles_match", ROLES_KEY)
    assert score_call('score_form("roles_match", make_key())') is None
    assert score_call("score_form(") is None
    assert reflection_call('ReflectionBox("roles_reflection", rows=8)') == "roles_reflection"
    assert reflection_call("print(1)") is None


# --- the widgets --------------------------------------------------------------------------------

def test_the_form_keeps_each_choice_at_once_and_shows_it_again_after_a_restart(tmp_path):
    from tlkit.widgets import ActivityForm

    shutil.copytree(ROLES / "activities", tmp_path / "activities")
    form = ActivityForm("roles_match", folder=tmp_path)
    assert [box.description for box in form.fields.values()] == ["S1", "S2", "S3", "S4", "S5"]
    form.fields["S1"].value = "coach"
    assert read_answers(tmp_path).activity("roles_match")["S1"] == "coach"
    again = ActivityForm("roles_match", folder=tmp_path)
    assert again.fields["S1"].value == "coach"


def test_check_reads_the_form_as_it_is_now(tmp_path):
    from tlkit.widgets import ActivityForm

    shutil.copytree(ROLES / "activities", tmp_path / "activities")
    form = ActivityForm("roles_match", folder=tmp_path)
    for item, label in ROLES_KEY.items():
        form.fields[item].value = label
    assert form.check().all_right and "Well done" in form.result.value
    form.fields["S2"].value = "facilitator"
    result = form.check()
    assert result.right == 4 and "S2:" in form.result.value and "Well done" not in form.result.value


def test_a_percent_form_takes_what_a_teacher_types(tmp_path):
    from tlkit.widgets import ActivityForm

    shutil.copytree(ADULT / "activities", tmp_path / "activities")
    form = ActivityForm("active_minutes", folder=tmp_path)
    form.fields["active_percent"].value = "sixty"
    assert "not a number" in html.unescape(form.check() and form.result.value)
    form.fields["active_percent"].value = "58 %"
    assert read_answers(tmp_path).activity("active_minutes") == {"active_percent": "58 %"}


def test_an_unknown_activity_is_a_sentence_not_a_traceback(tmp_path):
    from tlkit.widgets import ActivityForm

    form = ActivityForm("no_such_activity", folder=tmp_path)
    assert "could not be shown" in form.message.value and form.activity is None


def test_the_reflection_box_keeps_every_change_and_counts_words(tmp_path):
    from tlkit.widgets import ReflectionBox

    box = ReflectionBox("roles_reflection", folder=tmp_path)
    box.box.value = "I will start with one colleague."
    assert read_answers(tmp_path).reflection("roles_reflection") == box.box.value
    assert "6 words · saved" in box.status.value
    assert ReflectionBox("roles_reflection", folder=tmp_path).box.value == box.box.value


def test_a_reflection_that_cannot_be_saved_stays_on_the_page_and_says_so(tmp_path, monkeypatch):
    from tlkit.widgets import ReflectionBox

    box = ReflectionBox("roles_reflection", folder=tmp_path)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("tlkit.widgets.course.reflection_box.save_reflection", full_disk)
    box.box.value = "Typed work"
    assert "Not saved (No space left on device)" in box.message.value
    assert box.box.value == "Typed work"


def test_a_key_that_is_not_plain_data_scores_nothing_whatever_the_kernel_said(tmp_path):
    from nbgrader.utils import determine_grade

    save_activity("roles_match", ROLES_KEY, tmp_path)
    nb = _graded_notebook()
    nb.cells[0].source = 'ActivityForm("roles_match")\nscore_form("roles_match", make_key())'
    _score(nb, tmp_path)
    assert "not written as plain data" in nb.cells[0].outputs[0]["text"]
    assert determine_grade(nb.cells[0]) == (0, 3.0)


def test_while_nbgrader_runs_the_form_cell_builds_no_widget_and_names_what_is_missing(
        tmp_path, monkeypatch):
    from tlkit.widgets import activity_form

    shutil.copytree(ROLES / "activities", tmp_path / "activities")
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    with pytest.raises(CheckFailed) as failed:
        activity_form("roles_match", folder=tmp_path)
    assert str(failed.value) == "S1, S2, S3, S4 and S5 have no answer yet."
    assert failed.value._render_traceback_() == [str(failed.value)]
    save_activity("roles_match", dict(ROLES_KEY, S3="coach"), tmp_path)
    assert activity_form("roles_match", folder=tmp_path) is None   # wrong, but complete
    monkeypatch.delenv("NBGRADER_EXECUTION")
    assert activity_form("roles_match", folder=tmp_path).fields["S3"].value == "coach"
