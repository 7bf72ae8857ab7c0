"""A learner whose notebook kills its grading process, or whose grading never ends though each
cell stays under the cell limit, costs that learner only: the others are graded, theirs is
reported as not graded (never as a zero), and a fresh worker goes on."""

from __future__ import annotations

import pandas as pd
import pytest
from cohort_course import answered, course_folders, hand_in, tlkit_course

pytestmark = pytest.mark.course


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    with course_folders(tmp_path_factory, "survives") as (base, _root, build):
        roster = base / "learners.csv"
        roster.write_text("id,first_name,last_name,email\nok-1,A,One,\ncrashes,B,Two,\n"
                          "asleep,C,Three,\nok-2,D,Four,\n", encoding="utf-8")
        assert tlkit_course("init")[0] == 0 and tlkit_course("roster", str(roster))[0] == 0
        assert tlkit_course("release", "--all")[0] == 0
        hand_in(build, "ok-1", answered(build))
        # The answer cell ends the process that grades it (as a crash or running out of memory
        # would), then the one that sleeps past the learner's limit, each cell under 60 s
        # ("asleep" is graded first, in name order: its wait overlaps the others' grading).
        hand_in(build, "crashes", answered(
            build, minutes="slot - 30\nimport os, signal\nos.kill(os.getppid(), signal.SIGKILL)"))
        hand_in(build, "asleep", answered(build, minutes="slot - 30\nimport time\ntime.sleep(50)"))
        hand_in(build, "ok-2", answered(build))
        assert tlkit_course("collect")[0] == 0
        # Only a notebook graded without a sandbox can reach its grading process
        # (tests/sandbox shows a sandboxed one cannot); the workers must survive it all the same.
        log = tlkit_course("autograde", "--jobs", "2", "--learner-timeout", "6", "--unsandboxed")
        assert tlkit_course("report", "--out", str(base / "report"))[0] == 0
        report = pd.read_csv(base / "report" / "cohort-progress.csv", keep_default_na=False)
        yield {"log": log, "report": report.set_index("learner"), "build": build}


def test_the_others_are_graded_in_full(graded):
    code, out = graded["log"]
    assert code == 0, out
    assert "Module 'demo': 2 of 4 learners graded" in out
    assert "2 could not be graded (their earlier grades are kept)" in out
    assert "learner 4 of 4" in out and "Traceback" not in out
    for learner in ("ok-1", "ok-2"):
        assert float(graded["report"].loc[learner, "score"]) == 2
        assert graded["report"].loc[learner, "status"] == "graded"


def test_the_stopped_learners_are_named_with_why_and_never_shown_as_zero(graded):
    report = graded["report"]
    assert "the grading process stopped" in report.loc["crashes", "problems"]
    assert "took longer than 6 seconds" in report.loc["asleep", "problems"]
    for learner in ("crashes", "asleep"):
        assert report.loc[learner, "score"] == ""
        assert report.loc[learner, "status"] == "grading failed"
        assert "handed in again, or grade it by hand" in report.loc[learner, "problems"]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['build'] / 'gradebook.db'}", "tlkit") as gb:
        graded_ids = {s.student.id for s in gb.assignment_submissions("demo")}
    assert graded_ids == {"ok-1", "ok-2"}
