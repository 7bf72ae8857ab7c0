"""`tlkit course learner correct/remove`: a roster row that conflicts with the gradebook can
be put right, and a learner removed, without losing a grade by accident."""

from __future__ import annotations

import pytest
from cohort_course import MODULE, answered, course_folders, hand_in, tlkit_course


@pytest.fixture
def course(tmp_path_factory):
    with course_folders(tmp_path_factory, "learner") as (base, root, build):
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nana,Ana,Dias,ana@old.org\n"
                          "ben,Ben,Ng,\n", encoding="utf-8")
        assert tlkit_course("init")[0] == 0
        assert tlkit_course("roster", str(roster))[0] == 0
        yield base, build


def _gradebook(build):
    from nbgrader.api import Gradebook

    return Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit")


def test_a_conflicting_row_names_the_command_that_corrects_the_gradebook(course):
    base, build = course
    fixed = base / "fixed.csv"
    fixed.write_text("id,first_name,last_name,email\nana,Ana,Diaz,ana@school.org\n",
                     encoding="utf-8")
    code, out = tlkit_course("roster", str(fixed))
    assert code == 2 and "tlkit course learner correct ana" in out
    code, out = tlkit_course("learner", "correct", "ana", "--last", "Diaz",
                             "--email", "ana@school.org")
    assert code == 0, out
    assert "Corrected ana: was Ana Dias <ana@old.org>, now Ana Diaz <ana@school.org>." in out
    with _gradebook(build) as gb:
        student = gb.find_student("ana")
        assert (student.first_name, student.last_name, student.email) == (
            "Ana", "Diaz", "ana@school.org")
    # The corrected gradebook and the corrected file now agree.
    code, out = tlkit_course("roster", str(fixed))
    assert code == 0 and "1 were already there" in out


def test_rename_is_the_same_command_and_bad_input_is_refused_plainly(course):
    _, build = course
    code, out = tlkit_course("learner", "rename", "ben", "--first", "Benjamin")
    assert code == 0 and "now Benjamin Ng (no email)" in out
    code, out = tlkit_course("learner", "correct", "ben", "--email", "not-an-email")
    assert code == 2 and "'not-an-email' is not an email address" in out
    code, out = tlkit_course("learner", "correct", "Ana", "--first", "A")
    assert code == 2 and "There is no learner 'Ana' in the gradebook. Did you mean 'ana'?" in out
    code, out = tlkit_course("learner", "correct", "ben", "--first", "", "--last", "")
    assert code == 2 and "cannot be blank" in out
    with _gradebook(build) as gb:
        assert gb.find_student("ben").first_name == "Benjamin"


def test_removal_keeps_a_learner_with_grades_unless_asked_and_says_what_is_lost(course):
    _, build = course
    assert tlkit_course("release", MODULE)[0] == 0
    hand_in(build, "ana", answered(build))
    assert tlkit_course("collect")[0] == 0
    assert tlkit_course("autograde", "--jobs", "1")[0] == 0
    code, out = tlkit_course("learner", "remove", "ana")
    assert code == 2, out
    assert "ana (Ana Dias) has grades for 1 module(s) ('demo': 2 of 3)" in out
    assert "--with-grades" in out
    with _gradebook(build) as gb:
        assert gb.find_submission(MODULE, "ana").score == 2
    code, out = tlkit_course("learner", "remove", "ana", "--with-grades")
    assert code == 0, out
    assert "Removed ana (Ana Dias) from the gradebook." in out
    assert "Their grades for 1 module(s) were deleted with them: 'demo'." in out
    code, out = tlkit_course("learner", "remove", "ben")
    assert code == 0 and "Removed ben (Ben Ng)" in out
    with _gradebook(build) as gb:
        assert gb.students == []
