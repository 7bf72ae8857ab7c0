"""`tlkit course feedback` says what it did and did not do: written answers still waiting for a
grade (on the terminal and on the learner's page, never as a zero), a hand-back that failed,
and where learners find their feedback."""

from __future__ import annotations

import pytest
from cohort_course import MODULE, answered, course_folders, hand_in, tlkit_course


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    with course_folders(tmp_path_factory, "feedback") as (base, root, build):
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nana,Ana,Diaz,\nben,Ben,Ng,\n"
                          "copied,Cy,Lo,\n", encoding="utf-8")
        assert tlkit_course("init")[0] == 0
        assert tlkit_course("roster", str(roster))[0] == 0
        assert tlkit_course("release", MODULE)[0] == 0
        hand_in(build, "ana", answered(build))
        hand_in(build, "ben", answered(build))
        assert tlkit_course("collect")[0] == 0
        assert tlkit_course("autograde", "--jobs", "1")[0] == 0
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{build / 'gradebook.db'}", "tlkit") as gb:
            gb.find_grade("reflection", MODULE, MODULE, "ana").manual_score = 1
            gb.db.commit()
        first = tlkit_course("feedback")
        # A hand-in copied into the exchange by hand, not through the learner's Submit.
        hand_in(build, "copied", answered(build), secret=False)
        assert tlkit_course("collect")[0] == 0
        assert tlkit_course("autograde", "--jobs", "1")[0] == 0
        second = tlkit_course("feedback")
        yield {"build": build, "first": first, "second": second}


def test_ungraded_written_answers_are_named_with_how_to_grade_them(course):
    code, out = course["first"]
    assert code == 0, out
    assert "Warning: 1 written answer(s) are not graded yet" in out
    assert "'demo': ben" in out and "ana" not in out.split("Warning:")[1]
    assert "tlkit course lab" in out and "Manual Grading" in out


def test_the_page_says_not_graded_yet_never_zero(course):
    page = (course["build"] / "feedback" / "ben" / MODULE / f"{MODULE}.html").read_text("utf-8")
    assert "not graded yet, out of 1.0" in page
    assert "Score: 0.0 / 1.0" not in page and "987654" not in page
    graded = (course["build"] / "feedback" / "ana" / MODULE / f"{MODULE}.html").read_text("utf-8")
    assert "not graded yet" not in graded and "Score: 1.0 / 1.0" in graded


def test_where_learners_find_feedback_is_said(course):
    out = course["first"][1]
    assert "Handed back 2 feedback page(s) through the exchange" in out
    assert str(course["build"] / "exchange" / "tlkit" / "feedback") in out
    assert "Get my feedback" in out and "Fetch Feedback" in out
    assert len(list((course["build"] / "exchange" / "tlkit" / "feedback").glob("*.html"))) == 2


def test_a_failed_hand_back_is_a_failure_with_its_reason(course):
    code, out = course["second"]
    assert code == 1, out
    assert "FAILED: the feedback of 1 learner(s) could not be handed back" in out
    assert "copied (their hand-in has no submission_secret.txt" in out
    assert "Traceback" not in out
